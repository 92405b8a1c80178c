package io.ancdb.bench;

import io.ancdb.typed.Definitions;
import io.ancdb.Database;
import io.ancdb.DatabaseKey;
import io.ancdb.DatabaseOptions;
import io.ancdb.KeyRange;
import io.ancdb.OnConflict;
import io.ancdb.ReadTx;
import io.ancdb.Row;
import io.ancdb.RowCursor;
import io.ancdb.WriteTx;
import io.ancdb.typed.FieldDef;
import io.ancdb.typed.FieldType;
import io.ancdb.typed.RecordDefinition;
import org.openjdk.jmh.infra.Blackhole;

import java.nio.file.Path;

/**
 * ANC-DB through its Java API, on the raw-table path: {@link ReadTx#get},
 * {@link ReadTx#scan(String, KeyRange)}, {@link WriteTx#insert(String, long, Object[], OnConflict)},
 * {@link WriteTx#update}, {@link WriteTx#delete}. (The typed {@code RecordTable}
 * path sits on the same calls and adds a map per record.) The tables are
 * created by {@link Database#define(RecordDefinition)}, so the file is the one
 * the MessagePack dispatcher also reads.
 *
 * <p>Encrypted ({@link Store#ANCDB_CIPHER}): the same calls on an encrypted copy
 * of the data set (SQLCipher 4 pages), written and opened with
 * {@link #PASSPHRASE}; the key derivation runs once per trial, at open.
 */
public final class AncdbJavaStore implements Store {
    /** The encrypted data set's passphrase: a benchmark fixture, not a secret. */
    static final String PASSPHRASE = "ancdb-bench: not a secret";

    private final boolean encrypted;
    Database db;
    Data data;
    String table;
    static final String TS_INDEX = "agent_memory_timestamp";

    /** A plaintext store. */
    public AncdbJavaStore() {
        this(false);
    }

    /** {@code encrypted}: the store opens the encrypted data set with {@link #PASSPHRASE}. */
    public AncdbJavaStore(boolean encrypted) {
        this.encrypted = encrypted;
    }

    /** A new key for {@link #PASSPHRASE} (a DatabaseKey opens one file once). */
    static DatabaseKey passphrase() {
        return DatabaseKey.passphrase(PASSPHRASE.toCharArray());
    }

    /** The record definitions of the two shapes (the same SQL as the sqlite-jdbc tables). */
    static RecordDefinition definition(Shape shape) {
        return switch (shape) {
            case KV -> RecordDefinition.of("kv", FieldDef.of("k", FieldType.I64).asPrimaryKey(),
                    FieldDef.of("v", FieldType.BYTES));
            case AGENT -> RecordDefinition.of("agent_memory", FieldDef.of("id", FieldType.I64).asPrimaryKey(),
                    FieldDef.of("timestamp", FieldType.I64).asIndexed(), FieldDef.of("content", FieldType.STR),
                    FieldDef.of("embedding", FieldType.F32VEC));
        };
    }

    /**
     * The options of {@code config}: default is exactly what {@code Database.open(file)} uses
     * ({@link DatabaseOptions#defaults()}: WAL, synchronous=FULL, normal locking with kept snapshots, a
     * pool of reader connections); tuned changes only synchronous, the cache and mmap.
     */
    static DatabaseOptions options(Config config, Path file) {
        // Group commit (DatabaseOptions.withGroupCommit, on by default) needs no line here: single-record
        // writes go through Database.writeTx, the path it groups.
        DatabaseOptions o = DatabaseOptions.defaults();
        return switch (config) {
            case DEFAULT, STOCK -> o;
            case TUNED -> o.withSynchronous(DatabaseOptions.Synchronous.NORMAL).withCachePages(config.cachePages(file))
                    .withMmapSize(config.mmapBytes(file));
        };
    }

    /** Builds the data set at {@code file} (key order, 10 000 records per transaction). */
    static void build(Path file, Data data) {
        build(file, data, null);
    }

    /** The encrypted data set: the same records, the file encrypted with {@link #PASSPHRASE}. */
    static void buildEncrypted(Path file, Data data) {
        build(file, data, passphrase());
    }

    private static void build(Path file, Data data, DatabaseKey key) {
        DatabaseOptions o = DatabaseOptions.defaults().withSynchronous(DatabaseOptions.Synchronous.OFF)
                .withCachePages(20_000).withExclusiveLocking(true).withKey(key);
        try (Database db = Database.create(file, o)) {
            Definitions.of(db).define(definition(data.shape));
            String table = data.shape.table;
            for (long k = 1; k <= data.n; ) {
                long end = Math.min(data.n, k + 9_999);
                try (WriteTx tx = db.beginWrite()) {
                    for (; k <= end; k++) {
                        tx.insert(table, k, values(data, k, 0), OnConflict.FAIL);
                    }
                    tx.commit();
                }
            }
        }
    }

    static Object[] values(Data data, long key, int version) {
        return switch (data.shape) {
            case KV -> new Object[] {key, Data.value(key, version)};
            case AGENT -> new Object[] {key, data.timestamp(key), Data.content(key), Data.embeddingBytes(key)};
        };
    }

    @Override
    public void open(Path path, Data data, Config config) {
        this.data = data;
        this.table = data.shape.table;
        this.db = Database.open(path, encrypted ? options(config, path).withKey(passphrase()) : options(config, path));
    }

    @Override
    public String work(Config config) {
        return (encrypted ? "On an encrypted copy of the data set (SQLCipher 4 pages: AES-256-CBC and HMAC-SHA512 per"
                + " page through libcrypto; opened with its passphrase once per trial, the reader connections with the"
                + " raw key), memory-mapped I/O off (SQLite cannot map encrypted pages, so in tuned the plaintext file"
                + " is mapped and this one is not). " : "")
                + (config == Config.TUNED ? "WAL, synchronous=NORMAL, normal locking, cache > file, mmap"
                : "Database.open(file)'s defaults: WAL, synchronous=FULL, normal locking, 2000-page cache")
                + ", a pool of reader connections (at most one per core, at least 2) whose read transactions keep their"
                + " snapshot between reads (revalidated in shared memory, no system call, while nothing committed)."
                + " Point read: beginRead = a pooled connection + ancdb_read_begin (the kept snapshot reused) +"
                + " ReadTx.get = one ancdb_table_get + record decode + close = ancdb_read_end(keep). Scan: the same"
                + " begin + RowCursor = cursor open + seek + one ancdb_cursor_fetch of the limit's rows + decode per"
                + " row + close. Write: beginWrite on the writer connection = ancdb_begin(write) + WriteTx.insert per"
                + " record (seek: must be absent, insert with the seek's hint) + commit; single-record writes go"
                + " through Database.writeTx (" + groupCommit() + ").";
    }

    @Override
    public Reader reader() {
        return new JavaReader();
    }

    final class JavaReader implements Reader {
        private ReadTx open;

        @Override
        public void get(long key, Blackhole bh) {
            try (ReadTx tx = db.beginRead()) {
                read(tx, key, bh);
            }
        }

        private void read(ReadTx tx, long key, Blackhole bh) {
            Row r = tx.get(table, key);
            if (r == null) {
                throw new MissingRecordException(key);
            }
            check(key, r);
            bh.consume(r);
        }

        @Override
        public void beginTx() {
            open = db.beginRead();
        }

        @Override
        public void getInTx(long key, Blackhole bh) {
            read(open, key, bh);
        }

        @Override
        public void endTx() {
            if (open != null) {
                open.close();
                open = null;
            }
        }

        private void check(long key, Row r) {
            Object[] v = r.values();
            if (r.rowid() != key || !(v[0] instanceof Long k) || k != key) {
                throw new IllegalStateException("wrong key: wanted " + key + ", got " + r.rowid());
            }
            if (data.shape == Shape.KV) {
                Data.checkValue(key, (byte[]) v[1]);
            } else {
                data.checkAgent(key, (Long) v[1], (String) v[2], (byte[]) v[3]);
            }
        }

        @Override
        public int scan(long from, int count, Blackhole bh) {
            int n = 0;
            try (ReadTx tx = db.beginRead();
                 RowCursor c = tx.scan(table, KeyRange.all().from(from).limitTo(count))) {
                while (c.hasNext()) {
                    Row r = c.next();
                    check(from + n, r);
                    bh.consume(r);
                    n++;
                }
            }
            return n;
        }

        @Override
        public int scanByTimestamp(long fromTs, int count, Blackhole bh) {
            int n = 0;
            long rank = (fromTs - Data.T0) / 1000;
            try (ReadTx tx = db.beginRead();
                 RowCursor c = tx.scan(table, KeyRange.onField(TS_INDEX).from(fromTs).limitTo(count))) {
                while (c.hasNext()) {
                    Row r = c.next();
                    Object[] v = r.values();
                    if ((Long) v[1] != Data.timestampOfRank(rank + n)) {
                        throw new IllegalStateException("index scan out of order at " + n);
                    }
                    check(r.rowid(), r);
                    bh.consume(r);
                    n++;
                }
            }
            return n;
        }

        @Override
        public void close() {
            endTx();
        }
    }

    @Override
    public void insertBatch(long[] keys, int from, int count) {
        try (WriteTx tx = db.beginWrite()) {
            for (int i = from; i < from + count; i++) {
                if (!tx.insert(table, keys[i], values(data, keys[i], 0), OnConflict.FAIL)) {
                    throw new IllegalStateException("insert of " + keys[i] + " wrote nothing");
                }
            }
            tx.commit();
        }
    }

    /**
     * Single-record writes go through {@link Database#writeTx}, the call group commit groups (branch
     * group): a commit of its own per call today.
     */
    @Override
    public void insert(long key) {
        db.runWrite(tx -> {
            if (!tx.insert(table, key, values(data, key, 0), OnConflict.FAIL)) {
                throw new IllegalStateException("insert of " + key + " wrote nothing");
            }
        });
    }

    @Override
    public void update(long key, int version) {
        db.runWrite(tx -> {
            if (!tx.update(table, key, values(data, key, version))) {
                throw new IllegalStateException("no record " + key + " to update");
            }
        });
    }

    @Override
    public void delete(long key) {
        db.runWrite(tx -> {
            if (!tx.delete(table, key)) {
                throw new IllegalStateException("no record " + key + " to delete");
            }
        });
    }

    /** What the build does with concurrent single-record writes, for the report. */
    static String groupCommit() {
        return DatabaseOptions.defaults().groupCommit()
                ? "group commit on: writes that arrive together share one commit and one fsync"
                : "group commit off: each call commits and syncs alone";
    }

    @Override
    public void close() {
        if (db != null) {
            db.close();
        }
    }
}

package io.ancdb.bench;

import org.lmdbjava.Cursor;
import org.lmdbjava.Dbi;
import org.lmdbjava.DbiFlags;
import org.lmdbjava.Env;
import org.lmdbjava.EnvFlags;
import org.lmdbjava.GetOp;
import org.lmdbjava.PutFlags;
import org.lmdbjava.Txn;
import org.openjdk.jmh.infra.Blackhole;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;

/**
 * lmdbjava (ByteBuffer proxy, safety checks left on) with 8-byte big-endian
 * keys, in its own best idiom: each reader renews one read transaction per
 * read (see {@link LmdbReader}), inserts use MDB_NOOVERWRITE (the existence
 * check every other store makes). Every read copies the value out of the map
 * into a {@code byte[]} (agent: a String and a byte[]), as the other stores
 * hand back fresh objects. The agent shape keeps its timestamp index by hand in a second
 * database keyed {@code [timestamp 8 BE][id 8 BE]}, written in the same
 * transaction as the record.
 */
public final class LmdbStore implements Store {
    Env<ByteBuffer> env;
    Dbi<ByteBuffer> main;
    private Dbi<ByteBuffer> byTs;
    private Data data;
    private final ByteBuffer wKey = ByteBuffer.allocateDirect(16);
    private ByteBuffer wVal = ByteBuffer.allocateDirect(8 + Data.CONTENT_LEN + Data.EMBEDDING_BYTES);
    private static final ByteBuffer EMPTY = ByteBuffer.allocateDirect(0);
    private static final PutFlags[] NO_OVERWRITE = {PutFlags.MDB_NOOVERWRITE};
    private static final PutFlags[] NO_FLAGS = {};
    /** Guards opening and closing readers and the env (never a read): see {@link LmdbReader#close}. */
    private final ReentrantLock lifecycle = new ReentrantLock();
    private final Set<LmdbReader> readers = new HashSet<>();

    static long mapSize(Data data) {
        long per = data.shape == Shape.KV ? 256 : 8192;
        return Math.max(4L << 30, data.n * per * 8);
    }

    static Env<ByteBuffer> openEnv(Path dir, Data data, EnvFlags... flags) {
        return Env.create().setMapSize(mapSize(data)).setMaxDbs(4).setMaxReaders(126).open(dir.toFile(), flags);
    }

    /** Builds the data set in directory {@code dir} (key order, 10 000 records per transaction). */
    static void build(Path dir, Data data) throws IOException {
        Files.createDirectories(dir);
        LmdbStore s = new LmdbStore();
        s.data = data;
        s.env = openEnv(dir, data, EnvFlags.MDB_NOSYNC);
        try {
            s.openDbis();
            long[] keys = new long[10_000];
            for (long k = 1; k <= data.n; k += keys.length) {
                int m = (int) Math.min(keys.length, data.n - k + 1);
                for (int i = 0; i < m; i++) {
                    keys[i] = k + i;
                }
                s.insertBatch(keys, 0, m);
            }
            s.env.sync(true);
        } finally {
            s.env.close();
        }
    }

    private void openDbis() {
        main = env.openDbi(data.shape.table, DbiFlags.MDB_CREATE);
        if (data.shape == Shape.AGENT) {
            byTs = env.openDbi(data.shape.table + "_timestamp", DbiFlags.MDB_CREATE);
        }
    }

    @Override
    public void open(Path path, Data data, Config config) {
        this.data = data;
        // MDB_NOTLS: a reader's slot belongs to its transaction, which it keeps across reads (see LmdbReader)
        this.env = config == Config.TUNED ? openEnv(path, data, EnvFlags.MDB_NOSYNC, EnvFlags.MDB_NOTLS)
                : openEnv(path, data, EnvFlags.MDB_NOTLS);
        openDbis();
    }

    @Override
    public String work(Config config) {
        return (config == Config.TUNED ? "env flags MDB_NOSYNC + MDB_NOTLS (no fsync at commit)"
                : "env flags MDB_NOTLS (fsync at every commit)")
                + ". Point read: the reader's read txn renew() + Dbi.get + copy of the value out of the map + reset()."
                + " Scan: renew() + the reader's cursor renewed + MDB_SET_RANGE + next per record (each value copied)"
                + " + reset(). Write: txnWrite + Dbi.put with MDB_NOOVERWRITE per record (agent: + a put into the"
                + " hand-kept timestamp index) + commit.";
    }

    @Override
    public Reader reader() {
        lifecycle.lock();
        try {
            LmdbReader r = new LmdbReader();
            readers.add(r);
            return r;
        } finally {
            lifecycle.unlock();
        }
    }

    /**
     * A reader holds one read transaction for its whole life, LMDB's idiom for
     * repeated reads: {@code renew()} starts each read on the newest snapshot and
     * {@code reset()} ends it, keeping the transaction's reader slot (the env is
     * opened MDB_NOTLS, so the slot belongs to the transaction, not the thread).
     * Its cursors are renewed with it instead of being opened per scan.
     */
    final class LmdbReader implements Reader {
        final ByteBuffer key = ByteBuffer.allocateDirect(8);
        final ByteBuffer tsKey = ByteBuffer.allocateDirect(16);
        private final Txn<ByteBuffer> txn;
        private final Cursor<ByteBuffer> cursor;
        private final Cursor<ByteBuffer> tsCursor;      // agent only
        private boolean active;                         // txn renewed (not reset)

        LmdbReader() {
            txn = env.txnRead();
            cursor = main.openCursor(txn);
            tsCursor = byTs == null ? null : byTs.openCursor(txn);
            txn.reset();
        }

        private void renew() {
            txn.renew();
            active = true;
        }

        private void reset() {
            active = false;
            txn.reset();
        }

        private void emit(long k, ByteBuffer v, Blackhole bh) {
            if (data.shape == Shape.KV) {
                byte[] b = new byte[v.remaining()];
                v.get(v.position(), b);
                Data.checkValue(k, b);
                bh.consume(b);
            } else {
                bh.consume(data.readAgent(k, v));
            }
        }

        @Override
        public void get(long k, Blackhole bh) {
            renew();
            try {
                read(k, bh);
            } finally {
                reset();
            }
        }

        private void read(long k, Blackhole bh) {
            key.putLong(0, k);
            ByteBuffer v = main.get(txn, key);
            if (v == null) {
                throw new MissingRecordException(k);
            }
            emit(k, v, bh);
        }

        @Override
        public void beginTx() {
            renew();
        }

        @Override
        public void getInTx(long k, Blackhole bh) {
            read(k, bh);
        }

        @Override
        public void endTx() {
            if (active) {
                reset();
            }
        }

        @Override
        public int scan(long from, int count, Blackhole bh) {
            int n = 0;
            renew();
            try {
                cursor.renew(txn);
                key.putLong(0, from);
                boolean on = cursor.get(key, GetOp.MDB_SET_RANGE);
                while (on && n < count) {
                    long k = cursor.key().getLong(0);
                    if (k != from + n) {
                        throw new IllegalStateException("wrong key: wanted " + (from + n) + ", got " + k);
                    }
                    emit(k, cursor.val(), bh);
                    n++;
                    on = cursor.next();
                }
            } finally {
                reset();
            }
            return n;
        }

        @Override
        public int scanByTimestamp(long fromTs, int count, Blackhole bh) {
            int n = 0;
            long rank = (fromTs - Data.T0) / 1000;
            renew();
            try {
                tsCursor.renew(txn);
                tsKey.putLong(0, fromTs).putLong(8, 0);
                boolean on = tsCursor.get(tsKey, GetOp.MDB_SET_RANGE);
                while (on && n < count) {
                    ByteBuffer ik = tsCursor.key();
                    long ts = ik.getLong(0);
                    long id = ik.getLong(8);
                    if (ts != Data.timestampOfRank(rank + n)) {
                        throw new IllegalStateException("index scan out of order at " + n);
                    }
                    key.putLong(0, id);
                    ByteBuffer v = main.get(txn, key);
                    if (v == null) {
                        throw new IllegalStateException("index points at missing record " + id);
                    }
                    emit(id, v, bh);
                    n++;
                    on = tsCursor.next();
                }
            } finally {
                reset();
            }
            return n;
        }

        /**
         * Closes the cursors and aborts the transaction (a reset one is renewed
         * first: only abort frees its slot). Under the store's lifecycle lock,
         * since JMH may close the store (and the env) from another thread first,
         * which then closes the readers left open.
         */
        @Override
        public void close() {
            lifecycle.lock();
            try {
                if (!readers.remove(this)) {
                    return;
                }
                if (!active) {
                    renew();
                }
                cursor.close();
                if (tsCursor != null) {
                    tsCursor.close();
                }
                txn.close();
            } finally {
                lifecycle.unlock();
            }
        }
    }

    /** Writes record {@code k}; {@code fresh}: it must not exist yet (MDB_NOOVERWRITE, the others' conflict check). */
    private void put(Txn<ByteBuffer> txn, long k, int version, boolean fresh) {
        wKey.clear();
        wKey.putLong(0, k).limit(8);
        byte[] v = data.shape == Shape.KV ? Data.value(k, version) : data.agentBytes(k);
        if (wVal.capacity() < v.length) {
            wVal = ByteBuffer.allocateDirect(v.length);
        }
        wVal.clear();
        wVal.put(v).flip();
        if (!main.put(txn, wKey, wVal, fresh ? NO_OVERWRITE : NO_FLAGS)) {
            throw new IllegalStateException("insert of " + k + ": the key exists");
        }
        if (byTs != null) {
            wKey.clear();
            wKey.putLong(0, data.timestamp(k)).putLong(8, k);
            byTs.put(txn, wKey, EMPTY);
        }
    }

    @Override
    public void insertBatch(long[] keys, int from, int count) {
        try (Txn<ByteBuffer> txn = env.txnWrite()) {
            for (int i = from; i < from + count; i++) {
                put(txn, keys[i], 0, true);
            }
            txn.commit();
        }
    }

    @Override
    public void insert(long key) {
        try (Txn<ByteBuffer> txn = env.txnWrite()) {
            put(txn, key, 0, true);
            txn.commit();
        }
    }

    @Override
    public void update(long key, int version) {
        try (Txn<ByteBuffer> txn = env.txnWrite()) {
            wKey.clear();
            wKey.putLong(0, key).limit(8);
            if (main.get(txn, wKey) == null) {
                throw new IllegalStateException("no record " + key + " to update");
            }
            put(txn, key, version, false);
            txn.commit();
        }
    }

    @Override
    public void delete(long key) {
        try (Txn<ByteBuffer> txn = env.txnWrite()) {
            wKey.clear();
            wKey.putLong(0, key).limit(8);
            if (!main.delete(txn, wKey)) {
                throw new IllegalStateException("no record " + key + " to delete");
            }
            if (byTs != null) {
                wKey.clear();
                wKey.putLong(0, data.timestamp(key)).putLong(8, key);
                byTs.delete(txn, wKey);
            }
            txn.commit();
        }
    }

    @Override
    public void close() {
        lifecycle.lock();
        try {
            for (LmdbReader r : List.copyOf(readers)) {
                r.close();              // reentrant: the lock is ours
            }
            if (env != null) {
                env.close();
            }
        } finally {
            lifecycle.unlock();
        }
    }
}

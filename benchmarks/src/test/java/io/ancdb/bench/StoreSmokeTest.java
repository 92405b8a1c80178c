package io.ancdb.bench;

import io.ancdb.OnConflict;
import io.ancdb.WriteTx;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.lmdbjava.Txn;
import org.openjdk.jmh.infra.Blackhole;
import org.sqlite.SQLiteOpenMode;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every store on a tiny data set: every benchmarked operation once, its
 * results checked, and a store that hands back a wrong record must fail its
 * verification. (Correctness only: nothing here is timed.)
 */
class StoreSmokeTest {
    static final long N = 2_000;
    static final Blackhole BH = new Blackhole(
            "Today's password is swordfish. I understand instantiating Blackholes directly is dangerous.");

    /** Every store this build can run. */
    static List<String> runnable() {
        return Store.names().stream().filter(s -> Store.missing(s) == null).toList();
    }

    static Stream<Arguments> cases() {
        List<Arguments> a = new ArrayList<>();
        for (String store : runnable()) {
            for (Shape shape : Shape.values()) {
                for (Config config : Config.values()) {
                    a.add(Arguments.of(store, shape, config.id()));
                }
            }
        }
        return a.stream();
    }

    @ParameterizedTest(name = "{0} {1} {2}")
    @MethodSource("cases")
    void everyOperationOnce(String storeName, Shape shape, String config) throws Exception {
        try (Trial t = Trial.open(storeName, config, shape, N)) {
            t.warm(BH);
            Store s = t.store;
            try (Store.Reader r = s.reader()) {
                r.get(1, BH);
                r.get(N, BH);
                assertThrows(MissingRecordException.class, () -> r.get(N + 1, BH));
                r.beginTx();
                r.getInTx(17, BH);
                r.getInTx(N / 2, BH);
                r.endTx();
                assertEquals(100, r.scan(5, 100, BH));
                assertEquals(51, r.scan(N - 50, 100, BH));
                if (shape == Shape.AGENT) {
                    assertEquals(100, r.scanByTimestamp(Data.timestampOfRank(10), 100, BH));
                    assertEquals(11, r.scanByTimestamp(Data.timestampOfRank(N - 10), 100, BH));
                }
            }
            long[] fresh = new long[1000];
            for (int i = 0; i < fresh.length; i++) {
                fresh[i] = N + 1 + i;
            }
            try (Store.Reader r = s.reader()) {
                s.insertBatch(fresh, 0, fresh.length);
                s.insert(N + 1001);
                r.get(N + 1001, BH);              // a reader kept across writes reads the newest snapshot
                assertEquals(100, r.scan(N + 1, 100, BH));
            }
            // every store checks that an inserted key is new (lmdb: MDB_NOOVERWRITE), and a failed batch leaves nothing
            assertThrows(Exception.class, () -> s.insert(2));
            assertThrows(Exception.class, () -> s.insertBatch(new long[] {N + 5000, 2}, 0, 2));
            assertFalse(t.exists(N + 5000, BH));
            if (shape == Shape.KV) {
                s.update(3, 42);
            }
            s.delete(9);
            assertThrows(IllegalStateException.class, () -> s.delete(9));
            assertTrue(t.exists(N + 1, BH));
            assertTrue(t.exists(N + 1000, BH));
            assertTrue(t.exists(N + 1001, BH));
            assertTrue(t.exists(3, BH));
            assertFalse(t.exists(9, BH));
            try (Store.Reader r = s.reader()) {
                assertEquals(100, r.scan(N + 1, 100, BH));
                if (shape == Shape.AGENT) {
                    // the new records' timestamps (perm = id above n) follow the loaded ones
                    assertEquals(1001, r.scanByTimestamp(Data.timestampOfRank(N + 1), 2000, BH));
                }
            }
            s.insertBatch(new long[] {9}, 0, 1);      // what Writes does to put deleted records back
            assertTrue(t.exists(9, BH));
        }
    }

    /**
     * Concurrency's writers: several threads inserting and updating at once, each through its own
     * {@link Store.Writer}, lose nothing and leave every record whole.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {Store.ANCDB_JAVA, Store.ANCDB_MSGPACK, Store.SQLITE_JDBC, Store.LMDBJAVA})
    void writersOfManyThreadsAtOnce(String storeName) throws Exception {
        int threads = 4;
        int each = 25;
        try (Trial t = Trial.open(storeName, "default", Shape.KV, N)) {
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            try {
                List<Future<?>> done = new ArrayList<>();
                for (int i = 0; i < threads; i++) {
                    int thread = i;
                    done.add(pool.submit(() -> {
                        try (Store.Writer w = t.store.writer(); Store.Reader r = t.store.reader()) {
                            for (int j = 0; j < each; j++) {
                                w.insert(N + 1 + thread * each + j);
                                w.update(1 + thread * each + j, 7);
                                r.get(1 + thread * each + j, BH);
                            }
                        }
                        return null;
                    }));
                }
                for (Future<?> f : done) {
                    f.get();
                }
            } finally {
                pool.shutdown();
            }
            try (Store.Reader r = t.store.reader()) {
                for (long k = 1; k <= threads * each; k++) {
                    r.get(k, BH);
                    r.get(N + k, BH);
                }
            }
        }
    }

    /**
     * A way to spoil record 5 (in the {@link AncdbJavaStore#values} form): another
     * record's value, or the right value wrong in one byte or character.
     */
    enum Damage {
        OTHER_RECORD(null), FIRST_FILLER_BYTE(Shape.KV), MIDDLE_BYTE(Shape.KV), LAST_BYTE(Shape.KV),
        CONTENT_LAST_CHAR(Shape.AGENT), EMBEDDING_MIDDLE_BYTE(Shape.AGENT), EMBEDDING_LAST_BYTE(Shape.AGENT);

        final Shape only;      // null: both shapes

        Damage(Shape only) {
            this.only = only;
        }

        Object[] apply(Data d, long key) {
            Object[] v = AncdbJavaStore.values(d, this == OTHER_RECORD ? key + 1 : key, 0);
            v[0] = key;
            switch (this) {
                case OTHER_RECORD -> {
                    if (d.shape == Shape.AGENT) {
                        v[1] = d.timestamp(key);   // only the content and embedding are another record's
                    }
                }
                case FIRST_FILLER_BYTE -> ((byte[]) v[1])[12] ^= 1;
                case MIDDLE_BYTE -> ((byte[]) v[1])[50] ^= 1;
                case LAST_BYTE -> ((byte[]) v[1])[Data.VALUE_LEN - 1] ^= 1;
                case CONTENT_LAST_CHAR -> {
                    String c = (String) v[2];
                    v[2] = c.substring(0, c.length() - 1) + (c.charAt(c.length() - 1) == 'a' ? 'b' : 'a');
                }
                case EMBEDDING_MIDDLE_BYTE -> ((byte[]) v[3])[Data.EMBEDDING_BYTES / 2] ^= 1;
                case EMBEDDING_LAST_BYTE -> ((byte[]) v[3])[Data.EMBEDDING_BYTES - 1] ^= 1;
            }
            return v;
        }
    }

    /** Writes {@code values} (the {@link AncdbJavaStore#values} form) under {@code key}, behind the store's back. */
    private static void plant(Trial t, long key, Object[] values) throws Exception {
        Data d = t.data;
        switch (t.store) {
            case AncdbJavaStore a -> a.db.runWrite((WriteTx tx) -> tx.insert(d.shape.table, key, values, OnConflict.REPLACE));
            case AncdbMsgpackStore m -> m.db.runWrite((WriteTx tx) -> tx.insert(d.shape.table, key, values, OnConflict.REPLACE));
            case LmdbStore l -> {
                byte[] v;
                if (d.shape == Shape.KV) {
                    v = (byte[]) values[1];
                } else {
                    v = ByteBuffer.allocate(8 + Data.CONTENT_LEN + Data.EMBEDDING_BYTES).putLong((Long) values[1])
                            .put(((String) values[2]).getBytes(StandardCharsets.US_ASCII)).put((byte[]) values[3]).array();
                }
                try (Txn<ByteBuffer> txn = l.env.txnWrite()) {
                    ByteBuffer k = ByteBuffer.allocateDirect(8).putLong(0, key);
                    l.main.put(txn, k, ByteBuffer.allocateDirect(v.length).put(v).flip());
                    txn.commit();
                }
            }
            case SqliteJdbcStore q -> {
                String sql = d.shape == Shape.KV ? "UPDATE kv SET v = ? WHERE k = ?"
                        : "UPDATE agent_memory SET timestamp = ?, content = ?, embedding = ? WHERE id = ?";
                try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + q.path);
                     PreparedStatement ps = c.prepareStatement(sql)) {
                    for (int i = 1; i < values.length; i++) {
                        ps.setObject(i, values[i]);
                    }
                    ps.setLong(values.length, key);
                    assertEquals(1, ps.executeUpdate());
                }
            }
            default -> throw new AssertionError(t.store);
        }
    }

    /**
     * The dispatcher with vectors as bin (Concurrency's AgentMemory bin store): embeddings written and read as bytes,
     * checked like the other stores', and a wrong one refused.
     */
    @Test
    void msgpackWithVectorsAsBin() throws Exception {
        Data data = new Data(Shape.AGENT, N);
        Path copy = Prepared.copy("ancdb", data);
        try (AncdbMsgpackStore s = new AncdbMsgpackStore(true)) {
            s.open(copy, data, Config.of("default"));
            try (Store.Reader r = s.reader()) {
                r.get(1, BH);
                r.get(N, BH);
                assertEquals(100, r.scan(5, 100, BH));
                assertEquals(100, r.scanByTimestamp(Data.timestampOfRank(10), 100, BH));
                s.insertBatch(new long[] {N + 1, N + 2}, 0, 2);
                s.insert(N + 3);
                r.get(N + 2, BH);
                r.get(N + 3, BH);
                s.db.runWrite((WriteTx tx) -> tx.insert(data.shape.table, 5L,
                        Damage.EMBEDDING_LAST_BYTE.apply(data, 5), OnConflict.REPLACE));
                IllegalStateException e = assertThrows(IllegalStateException.class, () -> r.get(5, BH));
                assertFalse(e instanceof MissingRecordException);
            }
        } finally {
            Prepared.discard(copy);
        }
    }

    static Stream<Arguments> damages() {
        List<Arguments> a = new ArrayList<>();
        for (String store : runnable()) {
            for (Shape shape : Shape.values()) {
                for (Damage d : Damage.values()) {
                    if (d.only == null || d.only == shape) {
                        a.add(Arguments.of(store, shape, d));
                    }
                }
            }
        }
        return a.stream();
    }

    /** Every read path (point read, key scan, index scan) rejects a record wrong anywhere, down to its last byte. */
    @ParameterizedTest(name = "{0} {1} {2}")
    @MethodSource("damages")
    void aSpoiledRecordFailsTheBenchmark(String storeName, Shape shape, Damage damage) throws Exception {
        try (Trial t = Trial.open(storeName, "default", shape, N)) {
            plant(t, 5, damage.apply(t.data, 5));
            try (Store.Reader r = t.store.reader()) {
                r.get(4, BH);
                IllegalStateException e = assertThrows(IllegalStateException.class, () -> r.get(5, BH));
                assertFalse(e instanceof MissingRecordException);
                assertThrows(IllegalStateException.class, () -> r.scan(1, 10, BH));
                r.scan(6, 10, BH);
                if (shape == Shape.AGENT) {
                    long rank = t.data.perm(5);
                    assertThrows(IllegalStateException.class,
                            () -> r.scanByTimestamp(Data.timestampOfRank(rank - 1), 3, BH));
                }
            }
        }
    }

    /** sqlite-jdbc runs in SQLite's multi-thread mode, as ANC-DB's engine does (no per-connection mutex). */
    @Test
    void sqliteJdbcOpensWithoutItsMutex(@TempDir Path dir) throws Exception {
        Path file = Files.createFile(dir.resolve("x.db"));
        for (Config c : Config.values()) {
            int flags = SqliteJdbcStore.settings(file, c, 500).getOpenModeFlags();
            assertEquals(SQLiteOpenMode.NOMUTEX.flag, flags & SQLiteOpenMode.NOMUTEX.flag, c.id());
            assertEquals(0, flags & SQLiteOpenMode.FULLMUTEX.flag, c.id());
        }
    }

    /** ancdb-cipher measures an encrypted file (no SQLite header, no plaintext value), the cold opens read it. */
    @Test
    void theCipherStoreReadsAnEncryptedFile() throws Exception {
        Data d = new Data(Shape.KV, N);
        byte[] cipher = Files.readAllBytes(Prepared.master(Store.engine(Store.ANCDB_CIPHER), d));
        byte[] plain = Files.readAllBytes(Prepared.master(Store.engine(Store.ANCDB_JAVA), d));
        String header = "SQLite format 3\0";
        assertEquals(header, new String(plain, 0, 16, StandardCharsets.US_ASCII));
        assertFalse(new String(cipher, 0, 16, StandardCharsets.ISO_8859_1).equals(header));
        String value = new String(Data.value(N / 2, 0), StandardCharsets.ISO_8859_1);   // one char per byte
        assertTrue(new String(plain, StandardCharsets.ISO_8859_1).contains(value), "the plaintext file holds the value");
        assertFalse(new String(cipher, StandardCharsets.ISO_8859_1).contains(value), "the encrypted file does not");
        for (String store : List.of(Store.ANCDB_JAVA, Store.ANCDB_CIPHER)) {
            Cipher c = new Cipher();
            c.store = store;
            c.config = "default";
            c.shape = "kv";
            c.records = N;
            c.open();
            try {
                c.coldOpen(BH);
                if (store.equals(Store.ANCDB_CIPHER)) {
                    c.coldOpenPassphrase(BH);
                } else {
                    assertThrows(UnsupportedOperationException.class, () -> c.coldOpenPassphrase(BH));
                }
            } finally {
                c.close();
            }
        }
    }

    /** A store this build cannot run fails at once and says why, rather than measuring something else. */
    @Test
    void aStoreThisBuildCannotRunSaysWhy() throws Exception {
        for (String name : Store.names()) {
            String why = Store.missing(name);
            if (why == null) {
                continue;
            }
            UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class, () -> {
                try (Trial t = Trial.open(name, "default", Shape.AGENT, N)) {
                    t.store.reader().close();
                }
            });
            assertEquals(why, e.getMessage());
        }
    }

    @Test
    void dataChecksRejectOtherRecords() {
        Data.checkValue(7, Data.value(7, 3));
        assertThrows(IllegalStateException.class, () -> Data.checkValue(7, Data.value(8, 0)));
        Data d = new Data(Shape.AGENT, N);
        d.checkAgent(7, d.timestamp(7), Data.content(7), Data.embeddingBytes(7));
        d.checkAgent(7, d.timestamp(7), Data.content(7), Data.embedding(7));
        d.checkAgent(N + 5, d.timestamp(N + 5), Data.content(N + 5), Data.embeddingBytes(N + 5));
        assertThrows(IllegalStateException.class,
                () -> d.checkAgent(7, d.timestamp(7), Data.content(8), Data.embeddingBytes(7)));
        assertThrows(IllegalStateException.class,
                () -> d.checkAgent(7, d.timestamp(8), Data.content(7), Data.embeddingBytes(7)));
        assertThrows(IllegalStateException.class,
                () -> d.checkAgent(7, d.timestamp(7), Data.content(7), Data.embeddingBytes(8)));
    }

    /** Each single-bit error at each position of a record fails its check. */
    @Test
    void dataChecksCoverEveryByte() {
        for (int i = 0; i < Data.VALUE_LEN; i++) {
            for (int bit = 0; bit < 8; bit++) {
                byte[] v = Data.value(7, 3);
                v[i] ^= (byte) (1 << bit);
                int at = i;
                assertThrows(IllegalStateException.class, () -> Data.checkValue(7, v), "kv byte " + at);
            }
        }
        Data d = new Data(Shape.AGENT, N);
        String content = Data.content(7);
        for (int i = 0; i < Data.CONTENT_LEN; i++) {
            char[] c = content.toCharArray();
            c[i] ^= 1;
            int at = i;
            assertThrows(IllegalStateException.class,
                    () -> d.checkAgent(7, d.timestamp(7), new String(c), Data.embeddingBytes(7)), "content char " + at);
        }
        for (int i = 0; i < Data.EMBEDDING_BYTES; i++) {
            byte[] e = Data.embeddingBytes(7);
            e[i] ^= (byte) 0x80;
            int at = i;
            assertThrows(IllegalStateException.class, () -> d.checkAgent(7, d.timestamp(7), content, e),
                    "embedding byte " + at);
            float[] f = Data.embedding(7);
            f[i / 4] = (float) Data.FLOAT_LE.get(e, i / 4 * 4);
            assertThrows(IllegalStateException.class, () -> d.checkAgent(7, d.timestamp(7), content, f),
                    "decoded embedding float " + at / 4);
        }
    }
}

package io.ancdb.bench;

import io.ancdb.OnConflict;
import io.ancdb.WriteTx;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.lmdbjava.Txn;
import org.openjdk.jmh.infra.Blackhole;

import java.nio.ByteBuffer;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.List;
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

    static Stream<Arguments> cases() {
        List<Arguments> a = new ArrayList<>();
        for (String store : List.of(Store.ANCDB_JAVA, Store.ANCDB_MSGPACK, Store.SQLITE_JDBC, Store.LMDBJAVA)) {
            for (Shape shape : Shape.values()) {
                for (String config : List.of("default", "tuned")) {
                    a.add(Arguments.of(store, shape, config));
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
            s.insertBatch(fresh, 0, fresh.length);
            s.insert(N + 1001);
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

    /** A record under key 5 carrying record 6's data. */
    private static void plantWrongRecord(Trial t) throws Exception {
        Data d = t.data;
        switch (t.store) {
            case AncdbJavaStore a -> a.db.runWrite((WriteTx tx) ->
                    tx.insert(d.shape.table, 5, new Object[] {5L, Data.value(6, 0)}, OnConflict.REPLACE));
            case AncdbMsgpackStore m -> m.db.runWrite((WriteTx tx) ->
                    tx.insert(d.shape.table, 5, new Object[] {5L, Data.value(6, 0)}, OnConflict.REPLACE));
            case LmdbStore l -> {
                try (Txn<ByteBuffer> txn = l.env.txnWrite()) {
                    ByteBuffer k = ByteBuffer.allocateDirect(8).putLong(0, 5);
                    byte[] v = Data.value(6, 0);
                    l.main.put(txn, k, ByteBuffer.allocateDirect(v.length).put(v).flip());
                    txn.commit();
                }
            }
            case SqliteJdbcStore q -> {
                try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + q.path);
                     PreparedStatement ps = c.prepareStatement("UPDATE kv SET v = ? WHERE k = 5")) {
                    ps.setBytes(1, Data.value(6, 0));
                    assertEquals(1, ps.executeUpdate());
                }
            }
            default -> throw new AssertionError(t.store);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("stores")
    void aWrongRecordFailsTheBenchmark(String storeName) throws Exception {
        try (Trial t = Trial.open(storeName, "default", Shape.KV, N)) {
            plantWrongRecord(t);
            try (Store.Reader r = t.store.reader()) {
                r.get(4, BH);
                IllegalStateException e = assertThrows(IllegalStateException.class, () -> r.get(5, BH));
                assertFalse(e instanceof MissingRecordException);
                assertThrows(IllegalStateException.class, () -> r.scan(1, 10, BH));
            }
        }
    }

    static Stream<String> stores() {
        return Stream.of(Store.ANCDB_JAVA, Store.ANCDB_MSGPACK, Store.SQLITE_JDBC, Store.LMDBJAVA);
    }

    @Test
    void dataChecksRejectOtherRecords() {
        Data.checkValue(7, Data.value(7, 3));
        assertThrows(IllegalStateException.class, () -> Data.checkValue(7, Data.value(8, 0)));
        byte[] v = Data.value(7, 0);
        v[99] ^= 1;
        assertThrows(IllegalStateException.class, () -> Data.checkValue(7, v));
        Data d = new Data(Shape.AGENT, N);
        d.checkAgent(7, d.timestamp(7), Data.content(7), Data.embeddingBytes(7));
        assertThrows(IllegalStateException.class,
                () -> d.checkAgent(7, d.timestamp(7), Data.content(8), Data.embeddingBytes(7)));
        assertThrows(IllegalStateException.class,
                () -> d.checkAgent(7, d.timestamp(8), Data.content(7), Data.embeddingBytes(7)));
    }
}

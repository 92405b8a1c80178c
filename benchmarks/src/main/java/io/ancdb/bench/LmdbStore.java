package io.ancdb.bench;

import org.lmdbjava.Cursor;
import org.lmdbjava.Dbi;
import org.lmdbjava.DbiFlags;
import org.lmdbjava.Env;
import org.lmdbjava.EnvFlags;
import org.lmdbjava.GetOp;
import org.lmdbjava.Txn;
import org.openjdk.jmh.infra.Blackhole;

import java.nio.ByteBuffer;
import java.nio.file.Path;

/**
 * lmdbjava (ByteBuffer proxy, safety checks left on) with 8-byte big-endian
 * keys. Every read copies the value out of the map into a {@code byte[]}
 * (agent: a String and a byte[]), as the other stores hand back fresh
 * objects. The agent shape keeps its timestamp index by hand in a second
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

    static long mapSize(Data data) {
        long per = data.shape == Shape.KV ? 256 : 8192;
        return Math.max(4L << 30, data.n * per * 8);
    }

    static Env<ByteBuffer> openEnv(Path dir, Data data, EnvFlags... flags) {
        return Env.create().setMapSize(mapSize(data)).setMaxDbs(4).setMaxReaders(126).open(dir.toFile(), flags);
    }

    /** Builds the data set in directory {@code dir} (key order, 10 000 records per transaction). */
    static void build(Path dir, Data data) {
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
        this.env = config == Config.TUNED ? openEnv(path, data, EnvFlags.MDB_NOSYNC) : openEnv(path, data);
        openDbis();
    }

    @Override
    public Reader reader() {
        return new LmdbReader();
    }

    final class LmdbReader implements Reader {
        final ByteBuffer key = ByteBuffer.allocateDirect(8);
        final ByteBuffer tsKey = ByteBuffer.allocateDirect(16);

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

        private Txn<ByteBuffer> open;

        @Override
        public void get(long k, Blackhole bh) {
            try (Txn<ByteBuffer> txn = env.txnRead()) {
                read(txn, k, bh);
            }
        }

        private void read(Txn<ByteBuffer> txn, long k, Blackhole bh) {
            key.putLong(0, k);
            ByteBuffer v = main.get(txn, key);
            if (v == null) {
                throw new MissingRecordException(k);
            }
            emit(k, v, bh);
        }

        @Override
        public void beginTx() {
            open = env.txnRead();
        }

        @Override
        public void getInTx(long k, Blackhole bh) {
            read(open, k, bh);
        }

        @Override
        public void endTx() {
            if (open != null) {
                open.close();
                open = null;
            }
        }

        @Override
        public int scan(long from, int count, Blackhole bh) {
            int n = 0;
            try (Txn<ByteBuffer> txn = env.txnRead(); Cursor<ByteBuffer> c = main.openCursor(txn)) {
                key.putLong(0, from);
                boolean on = c.get(key, GetOp.MDB_SET_RANGE);
                while (on && n < count) {
                    long k = c.key().getLong(0);
                    if (k != from + n) {
                        throw new IllegalStateException("wrong key: wanted " + (from + n) + ", got " + k);
                    }
                    emit(k, c.val(), bh);
                    n++;
                    on = c.next();
                }
            }
            return n;
        }

        @Override
        public int scanByTimestamp(long fromTs, int count, Blackhole bh) {
            int n = 0;
            long rank = (fromTs - Data.T0) / 1000;
            try (Txn<ByteBuffer> txn = env.txnRead(); Cursor<ByteBuffer> c = byTs.openCursor(txn)) {
                tsKey.putLong(0, fromTs).putLong(8, 0);
                boolean on = c.get(tsKey, GetOp.MDB_SET_RANGE);
                while (on && n < count) {
                    ByteBuffer ik = c.key();
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
                    on = c.next();
                }
            }
            return n;
        }

        @Override
        public void close() {
            endTx();
        }
    }

    private void put(Txn<ByteBuffer> txn, long k, int version) {
        wKey.clear();
        wKey.putLong(0, k).limit(8);
        byte[] v = data.shape == Shape.KV ? Data.value(k, version) : data.agentBytes(k);
        if (wVal.capacity() < v.length) {
            wVal = ByteBuffer.allocateDirect(v.length);
        }
        wVal.clear();
        wVal.put(v).flip();
        main.put(txn, wKey, wVal);
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
                put(txn, keys[i], 0);
            }
            txn.commit();
        }
    }

    @Override
    public void insert(long key) {
        try (Txn<ByteBuffer> txn = env.txnWrite()) {
            put(txn, key, 0);
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
            put(txn, key, version);
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
        if (env != null) {
            env.close();
        }
    }
}

package io.ancdb.bench;

import org.openjdk.jmh.infra.Blackhole;

import java.nio.file.Path;

/**
 * One store under test. An instance opens a private copy of the prepared data
 * set ({@link Prepared}); every read verifies what it got (see {@link Data})
 * and hands it to the blackhole; every write checks its result.
 */
public interface Store extends AutoCloseable {

    /** Store names, as given to the benchmarks' {@code store} parameter. */
    String ANCDB_JAVA = "ancdb-java";
    String ANCDB_MSGPACK = "ancdb-msgpack";
    String SQLITE_JDBC = "sqlite-jdbc";
    String LMDBJAVA = "lmdbjava";

    static Store create(String name) {
        return switch (name) {
            case ANCDB_JAVA -> new AncdbJavaStore();
            case ANCDB_MSGPACK -> new AncdbMsgpackStore();
            case SQLITE_JDBC -> new SqliteJdbcStore();
            case LMDBJAVA -> new LmdbStore();
            default -> throw new IllegalArgumentException("unknown store " + name);
        };
    }

    /** Which prepared data set (engine) a store reads: both ANC-DB paths share one. */
    static String engine(String name) {
        return switch (name) {
            case ANCDB_JAVA, ANCDB_MSGPACK -> "ancdb";
            case SQLITE_JDBC -> "sqlite";
            case LMDBJAVA -> "lmdb";
            default -> throw new IllegalArgumentException("unknown store " + name);
        };
    }

    /** Opens {@code path} (a private copy: a file, or a directory for lmdb). */
    void open(Path path, Data data, Config config) throws Exception;

    /** A reader for the calling thread (close it on that thread). */
    Reader reader() throws Exception;

    /** Inserts records {@code keys[from .. from+count)} in one transaction. */
    void insertBatch(long[] keys, int from, int count) throws Exception;

    /** Inserts record {@code key} in a transaction of its own. */
    void insert(long key) throws Exception;

    /** Rewrites record {@code key} (kv: a new value version) in a transaction of its own. */
    void update(long key, int version) throws Exception;

    /** Deletes record {@code key} in a transaction of its own; throws if it was missing. */
    void delete(long key) throws Exception;

    @Override
    void close() throws Exception;

    /** Per-thread read access. */
    interface Reader extends AutoCloseable {
        /** Reads record {@code key} in a read transaction of its own, checks and consumes it. */
        void get(long key, Blackhole bh) throws Exception;

        /**
         * Opens one read transaction on this thread that {@link #getInTx} reads
         * through until {@link #endTx} (msgpack: the protocol's BeginTx).
         */
        void beginTx() throws Exception;

        /** As {@link #get}, inside the transaction of {@link #beginTx}. */
        void getInTx(long key, Blackhole bh) throws Exception;

        /** Ends the transaction of {@link #beginTx}. */
        void endTx() throws Exception;

        /** Reads up to {@code count} records with key >= {@code from} in key order (one transaction); returns how many. */
        int scan(long from, int count, Blackhole bh) throws Exception;

        /** agent: up to {@code count} records with timestamp >= {@code fromTs} in timestamp order; returns how many. */
        int scanByTimestamp(long fromTs, int count, Blackhole bh) throws Exception;

        @Override
        void close() throws Exception;
    }
}

package io.ancdb.bench;

import org.openjdk.jmh.infra.Blackhole;

import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;

/**
 * One store under test. An instance opens a private copy of the prepared data
 * set ({@link Prepared}); every read verifies what it got (see {@link Data})
 * and hands it to the blackhole; every write checks its result.
 */
public interface Store extends AutoCloseable {

    /** Store names, as given to the benchmarks' {@code store} parameter. */
    String ANCDB_JAVA = "ancdb-java";
    String ANCDB_MSGPACK = "ancdb-msgpack";
    /** ancdb-msgpack whose sessions ask for vectors as bin (f32 little-endian bytes). */
    String ANCDB_MSGPACK_BIN = "ancdb-msgpack-bin";
    /** ancdb-java on an encrypted copy of the data set (SQLCipher 4 pages), compared with ancdb-java. */
    String ANCDB_CIPHER = "ancdb-cipher";
    String SQLITE_JDBC = "sqlite-jdbc";
    String LMDBJAVA = "lmdbjava";
    /** Not a Java store: benchmarks/c/bench_floor.c, whose results the report reads beside the JMH ones. */
    String C_FLOOR = "c-floor";

    /**
     * Every store, in report order. A new store is one class implementing
     * {@link Store} plus its line here: the benchmarks take it as a
     * {@code store} parameter value, the report describes it with {@link #work}.
     *
     * @param name    the {@code store} parameter value
     * @param engine  which prepared data set it opens (stores of one engine share it)
     * @param factory a new, unopened instance
     * @param builder writes the data set for its engine (see {@link Prepared})
     * @param peer    one of the stores the headline compares (all of make bench's runs, the memory
     *                probes), rather than a variant measured against one of them
     * @param missing why this build cannot run it (a feature not there yet), or null: the suite
     *                leaves it out of the runs, and a target resting on it says why it is not measured
     */
    record Kind(String name, String engine, Supplier<Store> factory, Builder builder, boolean peer, String missing) {
        Kind(String name, String engine, Supplier<Store> factory, Builder builder, boolean peer) {
            this(name, engine, factory, builder, peer, null);
        }
    }

    /** Writes a data set into {@code path} (a file, or a directory it creates). */
    @FunctionalInterface
    interface Builder {
        void build(Path path, Data data) throws Exception;
    }

    List<Kind> KINDS = List.of(
            new Kind(ANCDB_JAVA, "ancdb", AncdbJavaStore::new, AncdbJavaStore::build, true),
            new Kind(ANCDB_MSGPACK, "ancdb", AncdbMsgpackStore::new, AncdbJavaStore::build, true),
            new Kind(ANCDB_MSGPACK_BIN, "ancdb", () -> new AncdbMsgpackStore(true), AncdbJavaStore::build, false,
                    AncdbMsgpackStore.VECTORS_AS_BIN ? null : "this build's protocol has no per-connection option for"
                            + " vectors as bin yet (issue 12 item 5, branch proto)"),
            new Kind(ANCDB_CIPHER, "ancdb-cipher", () -> new AncdbJavaStore(true), AncdbJavaStore::buildEncrypted, false),
            new Kind(SQLITE_JDBC, "sqlite", SqliteJdbcStore::new, SqliteJdbcStore::build, true),
            new Kind(LMDBJAVA, "lmdb", LmdbStore::new, LmdbStore::build, true));

    static Kind kind(String name) {
        for (Kind k : KINDS) {
            if (k.name.equals(name)) {
                return k;
            }
        }
        throw new IllegalArgumentException("unknown store " + name);
    }

    /** The store names, in report order. */
    static List<String> names() {
        return KINDS.stream().map(Kind::name).toList();
    }

    /** Why this build cannot run store {@code name} (see {@link Kind#missing}), or null when it can. */
    static String missing(String name) {
        for (Kind k : KINDS) {
            if (k.name.equals(name)) {
                return k.missing;
            }
        }
        return null;            // not a store of this suite (the C floor): nothing is missing
    }

    /** The peer stores' names (see {@link Kind#peer}), in report order. */
    static List<String> peers() {
        return KINDS.stream().filter(Kind::peer).map(Kind::name).toList();
    }

    static Store create(String name) {
        return kind(name).factory.get();
    }

    /** Which prepared data set (engine) a store reads: both ANC-DB paths share one. */
    static String engine(String name) {
        return kind(name).engine;
    }

    /**
     * What this store does for each benchmarked operation in {@code config}:
     * its settings and the calls a read, a scan and a write make (one line
     * of the report per store and configuration).
     */
    String work(Config config);

    /** Opens {@code path} (a private copy: a file, or a directory for lmdb). */
    void open(Path path, Data data, Config config) throws Exception;

    /** A reader for the calling thread (close it on that thread). */
    Reader reader() throws Exception;

    /**
     * Single-record writes for the calling thread (close it on that thread), for
     * benchmarks that write from many threads at once. A store whose own writes
     * are safe from any thread hands out a view of itself; one that needs a
     * per-thread client (the dispatcher's session) overrides this.
     */
    default Writer writer() throws Exception {
        return new Writer() {
            @Override
            public void insert(long key) throws Exception {
                Store.this.insert(key);
            }

            @Override
            public void update(long key, int version) throws Exception {
                Store.this.update(key, version);
            }

            @Override
            public void close() {
            }
        };
    }

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

    /** Per-thread write access: {@link Store#insert} and {@link Store#update} from one thread. */
    interface Writer extends AutoCloseable {
        void insert(long key) throws Exception;

        void update(long key, int version) throws Exception;

        @Override
        void close() throws Exception;
    }

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

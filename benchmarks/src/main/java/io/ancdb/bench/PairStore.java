package io.ancdb.bench;

import org.openjdk.jmh.infra.Blackhole;

import java.nio.file.Path;

/**
 * One side of {@link StoreFiles}: a directory of pair files ({@link PairFiles})
 * opened by ANC-DB's {@code Store} or by sqlite-jdbc, the same settings on
 * both (WAL, synchronous FULL, a 256-page cache per connection).
 */
interface PairStore extends AutoCloseable {
    /** The {@code store} parameter values. */
    String ANCDB = Store.ANCDB_JAVA;
    String JDBC = Store.SQLITE_JDBC;

    static PairStore create(String name) {
        return switch (name) {
            case ANCDB -> new AncdbPairStore();
            case JDBC -> new JdbcPairStore();
            default -> throw new IllegalArgumentException("StoreFiles runs " + ANCDB + " and " + JDBC + ", not " + name);
        };
    }

    /**
     * Opens the pair files in {@code dir}, keeping at most {@code keepOpen} of
     * them open between operations (0: every operation opens its file and
     * closes it again: the cold path).
     */
    void open(Path dir, int keepOpen) throws Exception;

    /** A thread's access: its share of the files kept open ({@code keepOpen / threads}) when it has its own. */
    Session session(int threads) throws Exception;

    /** What this side does per operation, for the report. */
    String work(boolean cold);

    @Override
    void close() throws Exception;

    /** One thread's operations; each checks what it did. */
    interface Session extends AutoCloseable {
        /** Appends the event of file {@code file} at {@code ts} in a committed transaction of its own. */
        void append(int file, long ts) throws Exception;

        /**
         * Reads the {@link PairFiles#LAST} newest events of file {@code file} (timestamp index,
         * descending), checks them (the newest at {@code newest} when > 0) and consumes them.
         */
        void lastEvents(int file, long newest, Blackhole bh) throws Exception;

        @Override
        void close() throws Exception;
    }
}

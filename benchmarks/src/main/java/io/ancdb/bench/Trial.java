package io.ancdb.bench;

import org.openjdk.jmh.infra.Blackhole;

import java.nio.file.Path;

/**
 * One store opened on a private copy of its prepared data set for one JMH
 * trial (see {@link Prepared}); closing it deletes the copy.
 */
public final class Trial implements AutoCloseable {
    public final String storeName;
    public final Store store;
    public final Data data;
    public final Config config;
    private final Path copy;

    private Trial(String storeName, Store store, Data data, Config config, Path copy) {
        this.storeName = storeName;
        this.store = store;
        this.data = data;
        this.config = config;
        this.copy = copy;
    }

    public static Trial open(String storeName, String config, Shape shape, long n) throws Exception {
        Data data = new Data(shape, n);
        Path copy = Prepared.copy(Store.engine(storeName), data);
        Store store = Store.create(storeName);
        try {
            store.open(copy, data, Config.of(config));
        } catch (Exception | Error e) {
            store.close();
            Prepared.discard(copy);
            throw e;
        }
        return new Trial(storeName, store, data, Config.of(config), copy);
    }

    /**
     * Reads (and checks) every record once through the store, in key order,
     * so each store starts measuring with the data set in its caches (and in
     * the OS page cache) and with the data set proven intact.
     */
    public void warm(Blackhole bh) throws Exception {
        try (Store.Reader r = store.reader()) {
            int chunk = data.n % 10_000 == 0 ? 10_000 : 1_000;
            for (long k = 1; k <= data.n; k += chunk) {
                int got = r.scan(k, chunk, bh);
                if (got != chunk) {
                    throw new IllegalStateException(storeName + ": scan from " + k + " returned " + got + " records");
                }
            }
        }
    }

    /** True if {@code key} reads back as a correct record, false if it is missing. */
    public boolean exists(long key, Blackhole bh) throws Exception {
        try (Store.Reader r = store.reader()) {
            r.get(key, bh);
            return true;
        } catch (MissingRecordException e) {
            return false;
        }
    }

    @Override
    public void close() throws Exception {
        try {
            store.close();
        } finally {
            Prepared.discard(copy);
        }
    }
}

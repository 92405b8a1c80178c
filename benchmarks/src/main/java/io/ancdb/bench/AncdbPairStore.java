package io.ancdb.bench;

import io.ancdb.KeyRange;
import io.ancdb.OnConflict;
import io.ancdb.store.StoreOptions;
import io.ancdb.typed.RecordCursor;
import org.openjdk.jmh.infra.Blackhole;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * ANC-DB's {@code io.ancdb.store.Store} over the pair files, with
 * {@code StoreOptions.defaults()} (WAL, synchronous FULL, one reader
 * connection and a 256-page cache per connection) and {@code maxOpen} =
 * the files kept open, no idle timeout (so "warm" stays warm). Cold: a
 * {@code maxOpen} of 1, so every operation on another file closes the
 * previous one (its connections, checkpointing its WAL) and opens its own.
 * The store is thread-safe: every thread shares it.
 */
final class AncdbPairStore implements PairStore {
    private static final KeyRange NEWEST = KeyRange.onField("ts").reversed().limitTo(PairFiles.LAST);
    private io.ancdb.store.Store store;

    @Override
    public void open(Path dir, int keepOpen) {
        store = io.ancdb.store.Store.open(dir, StoreOptions.defaults().withMaxOpen(Math.max(1, keepOpen))
                .withIdleTimeout(Duration.ZERO));
    }

    @Override
    public Session session(int threads) {
        return new Session() {
            private final long[] ts = new long[PairFiles.LAST + 1];
            private final String[] kinds = new String[PairFiles.LAST + 1];
            private final String[] bodies = new String[PairFiles.LAST + 1];

            @Override
            public void append(int file, long t) {
                Map<String, Object> e = PairFiles.event(file, t);
                store.write(PairFiles.name(file), w -> {
                    if (!w.records(PairFiles.SCHEMA).insert(w.tx(), e, OnConflict.FAIL).written()) {
                        throw new IllegalStateException(PairFiles.name(file) + ": event " + t + " not written");
                    }
                });
            }

            @Override
            public void lastEvents(int file, long newest, Blackhole bh) {
                int n = store.read(PairFiles.name(file), r -> {
                    int i = 0;
                    try (RecordCursor<Map<String, Object>> c = r.records(PairFiles.SCHEMA).scan(r.tx(), NEWEST)) {
                        while (c.hasNext() && i <= PairFiles.LAST) {
                            Map<String, Object> m = c.next();
                            ts[i] = (Long) m.get("ts");
                            kinds[i] = (String) m.get("kind");
                            bodies[i] = (String) m.get("body");
                            i++;
                        }
                    }
                    return i;
                });
                PairFiles.checkLast(file, ts, kinds, bodies, n, newest);
                bh.consume(bodies);
            }

            @Override
            public void close() {
            }
        };
    }

    @Override
    public String work(boolean cold) {
        return cold ? "Store, maxOpen 1: open the file (writer connection; a reader connection for reads), the"
                + " operation, the previous file closed (WAL checkpointed)"
                : "Store.write (version raised, typed insert, commit) / Store.read (typed scan of the ts index,"
                + " descending, limit 20) on a file kept open";
    }

    @Override
    public void close() {
        if (store != null) {
            store.close();
        }
    }
}

package io.ancdb.analytics;

import io.ancdb.OnConflict;
import io.ancdb.store.Store;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Files written during a load are each read at one snapshot: every write
 * transaction adds two rows and raises the version by one, so a file read
 * whole at one snapshot has exactly twice its version in rows, with both
 * rows of every transaction (no torn transactions).
 */
class SnapshotLoadTest {
    @TempDir
    Path dir;

    @Test
    void aFileWrittenDuringTheLoadIsReadAtOneSnapshot() throws Exception {
        List<String> names = List.of("a.x", "b.x", "c.x");
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong writes = new AtomicLong();
        try (Store store = Store.open(dir)) {
            store.define(Fixtures.EVENT);
            Runnable write = () -> {
                long n = writes.incrementAndGet();
                String name = names.get((int) (n % names.size()));
                store.write(name, w -> {
                    for (long half = 0; half < 2; half++) {
                        w.records("Event").insert(w.tx(), Map.of("id", 2 * n + half, "ts", n, "kind", "quote",
                                "body", "transaction " + n), OnConflict.FAIL);
                    }
                });
            };
            for (int i = 0; i < 30; i++) {
                write.run();
            }
            Thread writer = Thread.ofPlatform().start(() -> {
                while (!stop.get()) {
                    write.run();
                }
            });
            try (StoreSource src = PlainStoreSource.open(dir, null)) {
                for (int round = 0; round < 15; round++) {
                    try (StoreAnalytics a = StoreAnalytics.load(src, LoadOptions.defaults())) {
                        Map<String, Long> versions = a.report().versions();
                        for (List<String> r : Fixtures.rows(a,
                                "SELECT db, count(*), count(DISTINCT ts), bool_and(c = 2) FROM "
                                        + "(SELECT db, ts, count(*) OVER (PARTITION BY db, ts) AS c FROM Event) GROUP BY db")) {
                            long rows = Long.parseLong(r.get(1));
                            assertEquals(2 * versions.get(r.get(0)), rows, "round " + round + ": " + r + " " + versions);
                            assertEquals(rows / 2, Long.parseLong(r.get(2)), "round " + round + ": " + r);
                            assertEquals("true", r.get(3), "a torn transaction in round " + round + ": " + r);
                        }
                    }
                }
            } finally {
                stop.set(true);
                writer.join();
            }
        }
        assertTrue(writes.get() > 60, "the writer should have written during the loads: " + writes.get());
    }
}

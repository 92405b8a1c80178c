package io.ancdb.store;

import io.ancdb.Database;
import io.ancdb.ErrorCode;
import io.ancdb.InvalidArgumentException;
import io.ancdb.SqliteShell;
import io.ancdb.TestSeeds;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static io.ancdb.store.StoreFixtures.EVENT;
import static io.ancdb.store.StoreFixtures.events;
import static io.ancdb.store.StoreFixtures.insertEvent;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Turn-taking writes: every store write raises the file's version; an expected version that moved on is refused. */
class StoreVersionTest {
    @TempDir
    Path dir;

    @Test
    void everyWriteRaisesTheVersionAndAStaleExpectationIsRefused() {
        try (Store store = Store.open(dir, StoreFixtures.quick())) {
            store.define(EVENT);
            assertEquals(1, store.write("a.b", w -> insertEvent(w, 1, "quote", "q")));
            assertEquals(2, store.write("a.b", w -> insertEvent(w, 2, "order", "o")));
            assertEquals(3, store.write("a.b", 2, w -> insertEvent(w, 3, "answer", "delivery on day 9")));
            VersionConflictException e = assertThrows(VersionConflictException.class,
                    () -> store.write("a.b", 2, w -> insertEvent(w, 4, "answer", "a late second answer")));
            assertEquals(ErrorCode.VERSION_CONFLICT, e.errorCode());
            assertEquals(10, e.code());
            assertEquals(2, e.expectedVersion());
            assertEquals(3, e.currentVersion());
            assertEquals("a.b", e.name());
            store.read("a.b", r -> {
                assertEquals(3, r.version());
                assertEquals(3, events(r).size());         // the refused write left nothing
                return null;
            });
        }
        assertEquals("3", SqliteShell.one(dir.resolve("a.b.db"), "PRAGMA user_version;"));
    }

    @Test
    void expectingAVersionOfAMissingFileCreatesNothing() {
        try (Store store = Store.open(dir, StoreFixtures.quick())) {
            store.define(EVENT);
            VersionConflictException e = assertThrows(VersionConflictException.class,
                    () -> store.write("a.b", 5, w -> insertEvent(w, 1, "quote", "q")));
            assertEquals(0, e.currentVersion());
            assertFalse(Files.exists(dir.resolve("a.b.db")));
            assertEquals(1, store.write("a.b", 0, w -> insertEvent(w, 1, "quote", "q")));   // 0: "never written"
            assertEquals(1, assertThrows(VersionConflictException.class,
                    () -> store.write("a.b", 0, w -> insertEvent(w, 1, "quote", "q"))).currentVersion());
            assertThrows(InvalidArgumentException.class, () -> store.beginWrite("a.b", -2));
            assertThrows(InvalidArgumentException.class, () -> store.beginWrite("a.b", Store.MAX_VERSION + 1));
        }
    }

    @Test
    void aRollbackTakesTheRaiseBack() {
        try (Store store = Store.open(dir, StoreFixtures.quick())) {
            store.define(EVENT);
            store.write("a.b", w -> insertEvent(w, 1, "quote", "q"));
            try (FileWrite w = store.beginWrite("a.b", 1)) {
                insertEvent(w, 2, "order", "o");
                assertEquals(2, w.version());                 // what the commit would make
            }                                                 // closed without commit: rolled back
            assertThrows(IllegalStateException.class, () -> store.write("a.b", 1, w -> {
                insertEvent(w, 2, "order", "o");
                throw new IllegalStateException("the caller gave up");
            }));
            assertEquals(1, store.read("a.b", FileRead::version));
            assertEquals(2, store.write("a.b", 1, w -> insertEvent(w, 2, "order", "o")));
        }
    }

    @Test
    void aReadSeesTheVersionOfItsOwnSnapshot() throws Exception {
        try (Store store = Store.open(dir, StoreFixtures.quick())) {
            store.define(EVENT);
            store.write("a.b", w -> insertEvent(w, 1, "quote", "q"));
            try (FileRead r = store.beginRead("a.b")) {
                ExecutorService other = Executors.newSingleThreadExecutor();
                try {
                    assertEquals(2L, other.submit(() -> store.write("a.b", w -> insertEvent(w, 2, "order", "o")))
                            .get(30, TimeUnit.SECONDS));
                } finally {
                    other.shutdown();
                }
                assertEquals(1, r.version());                 // version and rows from one snapshot
                assertEquals(1, events(r).size());
            }
            assertEquals(2, store.read("a.b", FileRead::version));
        }
    }

    @Test
    void twoWritersExpectingTheSameVersionNeverBothWin() throws Exception {
        long seed = TestSeeds.seed("StoreVersionTest", "store.seed", System.nanoTime());
        java.util.Random rnd = new java.util.Random(seed);
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try (Store store = Store.open(dir, StoreFixtures.quick())) {
            store.define(EVENT);
            for (int round = 0; round < 150; round++) {
                long expect = round;                          // version before this round
                CountDownLatch go = new CountDownLatch(1);
                List<Future<Long>> writers = new ArrayList<>();
                int n = 2 + rnd.nextInt(2);
                for (int t = 0; t < n; t++) {
                    int who = t;
                    writers.add(pool.submit(() -> {
                        go.await();
                        try {
                            return store.write("a.b", expect, w -> insertEvent(w, expect, "turn", "writer " + who));
                        } catch (VersionConflictException e) {
                            assertEquals(expect + 1, e.currentVersion());
                            return -1L;
                        }
                    }));
                }
                go.countDown();
                int winners = 0;
                for (Future<Long> f : writers) {
                    long v = f.get(30, TimeUnit.SECONDS);
                    if (v >= 0) {
                        assertEquals(expect + 1, v);
                        winners++;
                    }
                }
                assertEquals(1, winners, "round " + round + " (seed " + seed + ")");
            }
            assertEquals(150, StoreFixtures.count(store, "a.b"));
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void afterTheLargestVersionComesOneNotZero() {
        try (Store store = Store.open(dir, StoreFixtures.quick())) {
            store.define(EVENT);
            store.write("a.b", w -> insertEvent(w, 1, "quote", "q"));
        }
        try (Database db = Database.open(dir.resolve("a.b.db"))) {
            db.runWrite(tx -> tx.setUserVersion(Store.MAX_VERSION));
        }
        try (Store store = Store.open(dir, StoreFixtures.quick())) {
            assertEquals(Store.MAX_VERSION, store.read("a.b", FileRead::version));
            assertEquals(1, store.write("a.b", Store.MAX_VERSION, w -> insertEvent(w, 2, "order", "o")));
            assertEquals(1, store.stats("a.b").version());
        }
    }
}

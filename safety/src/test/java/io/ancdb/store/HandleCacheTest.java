package io.ancdb.store;

import io.ancdb.KeyRange;
import io.ancdb.TestSeeds;
import io.ancdb.TransactionConflictException;
import io.ancdb.typed.RecordCursor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static io.ancdb.store.StoreFixtures.EVENT;
import static io.ancdb.store.StoreFixtures.events;
import static io.ancdb.store.StoreFixtures.insertEvent;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The handle cache (bounded, LRU, idle timeout, never a file in use) and per-file locking. */
class HandleCacheTest {
    private static final int WAIT_S = 60;     // deadlock detection only: these tests assert no speed

    @TempDir
    Path dir;

    private Store open(int maxOpen, Duration idle) {
        Store s = Store.open(dir, StoreFixtures.quick().withMaxOpen(maxOpen).withIdleTimeout(idle));
        s.define(EVENT);
        return s;
    }

    @Test
    void atMostMaxOpenFilesAndTheLeastRecentlyUsedIdleOneClosesFirst() {
        try (Store store = open(4, Duration.ZERO)) {
            for (int i = 0; i < 12; i++) {
                store.write("n" + i, w -> insertEvent(w, 1, "quote", "x"));
                assertTrue(store.openFiles() <= 4, "open: " + store.openFiles());
            }
            // n8..n11 are open; use n8, then a new name must close n9 (the least recently used), not n8
            assertTrue(store.isOpen("n8") && store.isOpen("n9"));
            store.read("n8", FileRead::version);
            store.write("n12", w -> insertEvent(w, 1, "quote", "x"));
            assertTrue(store.isOpen("n8"));
            assertFalse(store.isOpen("n9"));
            assertEquals(4, store.openFiles());
            // an evicted file reopens on demand with its data
            assertEquals(1, StoreFixtures.count(store, "n0"));
        }
    }

    @Test
    void aFileMidReadIsNeverClosedToMakeRoom() throws Exception {
        try (Store store = open(3, Duration.ZERO)) {
            store.write("x", w -> {
                for (int i = 0; i < 2000; i++) {
                    insertEvent(w, i, "quote", "row " + i);
                }
            });
            CountDownLatch halfway = new CountDownLatch(1);
            CountDownLatch goOn = new CountDownLatch(1);
            CompletableFuture<List<Long>> reader = CompletableFuture.supplyAsync(() -> {
                List<Long> seen = new ArrayList<>();
                try (FileRead r = store.beginRead("x");
                     RecordCursor<Map<String, Object>> c = r.records("Event").scan(r.tx(), KeyRange.onField("ts"))) {
                    while (c.hasNext()) {
                        seen.add((Long) c.next().get("ts"));
                        if (seen.size() == 1000) {
                            halfway.countDown();
                            await(goOn);
                        }
                    }
                }
                return seen;
            });
            assertTrue(halfway.await(WAIT_S, TimeUnit.SECONDS));
            for (int i = 0; i < 40; i++) {                         // 40 other files through a 3-file cache
                store.write("other" + i, w -> insertEvent(w, 1, "quote", "x"));
                assertTrue(store.isOpen("x"), "the file mid-read was closed at step " + i);
                assertTrue(store.openFiles() <= 3);
            }
            goOn.countDown();
            List<Long> seen = reader.get(WAIT_S, TimeUnit.SECONDS);
            assertEquals(2000, seen.size());
            for (int i = 0; i < seen.size(); i++) {
                assertEquals(i, seen.get(i));
            }
            for (int i = 0; i < 3; i++) {                           // idle now: it may go
                store.write("late" + i, w -> insertEvent(w, 1, "quote", "x"));
            }
            assertFalse(store.isOpen("x"));
        }
    }

    @Test
    void whenEveryOpenFileIsInUseANewOneWaitsThenGivesUp() throws Exception {
        try (Store store = Store.open(dir, StoreFixtures.quick().withMaxOpen(2).withIdleTimeout(Duration.ZERO)
                .withWaitTimeout(Duration.ofSeconds(1)))) {
            store.define(EVENT);
            for (String n : List.of("a", "b", "c")) {
                store.write(n, w -> insertEvent(w, 1, "quote", "x"));
            }
            try (FileRead a = store.beginRead("a"); FileRead b = store.beginRead("b")) {
                TransactionConflictException e = assertThrows(TransactionConflictException.class, () -> store.beginRead("c"));
                assertTrue(e.getMessage().contains("in use"), e.getMessage());
                assertEquals(1, events(a).size());
                assertEquals(1, events(b).size());
                CompletableFuture<Long> waiting = CompletableFuture.supplyAsync(() -> store.read("c", FileRead::version));
                b.close();                                          // frees a slot: the waiter may get it
                assertEquals(1L, waiting.get(WAIT_S, TimeUnit.SECONDS));
            }
        }
    }

    @Test
    void idleFilesCloseAfterTheIdleTimeoutButNotWhileInUse() throws Exception {
        try (Store store = open(100, Duration.ofMillis(50))) {
            store.write("a", w -> insertEvent(w, 1, "quote", "x"));
            store.write("b", w -> insertEvent(w, 1, "quote", "x"));
            try (FileRead r = store.beginRead("a")) {
                Thread.sleep(150);                                  // three idle timeouts
                store.closeIdle();
                assertTrue(store.isOpen("a"), "closed while in use");
                assertFalse(store.isOpen("b"), "idle past its timeout");
                assertEquals(1, events(r).size());
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_S);
            while (store.openFiles() > 0 && System.nanoTime() < deadline) {   // the background sweep
                Thread.sleep(20);
            }
            assertEquals(0, store.openFiles());
        }
    }

    @Test
    void readersWritersAndEvictionsRacingOnFewSlots() throws Exception {
        long seed = TestSeeds.seed("HandleCacheTest", "store.seed", System.nanoTime());
        int names = 12;
        int threads = 4;
        Map<String, AtomicInteger> written = new ConcurrentHashMap<>();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try (Store store = Store.open(dir, StoreFixtures.quick().withMaxOpen(threads + 1)
                .withIdleTimeout(Duration.ofMillis(5)).withWaitTimeout(Duration.ofSeconds(WAIT_S)))) {
            store.define(EVENT);
            List<Future<?>> fs = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                Random rnd = new Random(seed + t);
                fs.add(pool.submit(() -> {
                    Map<String, Long> mine = new HashMap<>();     // this thread's commits per file
                    for (int op = 0; op < 150; op++) {
                        String n = "f" + rnd.nextInt(names);
                        if (rnd.nextInt(3) == 0 || !store.exists(n)) {
                            store.write(n, w -> insertEvent(w, 1, "quote", "x"));
                            written.computeIfAbsent(n, k -> new AtomicInteger()).incrementAndGet();
                            mine.merge(n, 1L, Long::sum);
                        } else {
                            long before = mine.getOrDefault(n, 0L);
                            store.read(n, r -> {
                                // every write adds one event: a snapshot holds as many events as its
                                // version says, and none older than this thread's own last commit (a file
                                // another thread just created may still be at version 0, empty)
                                assertEquals(r.version(), events(r).size(), n);
                                assertTrue(r.version() >= before, n + " at " + r.version() + " after " + before);
                                return null;
                            });
                        }
                        assertTrue(store.openFiles() <= threads + 1);
                    }
                    return null;
                }));
            }
            for (Future<?> f : fs) {
                f.get(WAIT_S * 4L, TimeUnit.SECONDS);
            }
            for (Map.Entry<String, AtomicInteger> e : written.entrySet()) {
                assertEquals(e.getValue().get(), StoreFixtures.count(store, e.getKey()), e.getKey());
                assertEquals(e.getValue().get(), store.stats(e.getKey()).version(), e.getKey());
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void writersOfDifferentFilesHoldTheirTransactionsAtTheSameTime() throws Exception {
        int n = 4;
        CyclicBarrier allInside = new CyclicBarrier(n);
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try (Store store = open(16, Duration.ZERO)) {
            List<Future<Long>> fs = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                String name = "w" + i;
                fs.add(pool.submit(() -> store.write(name, w -> {
                    insertEvent(w, 1, "quote", "x");
                    try {
                        // every writer is inside its write transaction before any commits:
                        // a store-wide lock held across transactions would never let this trip
                        allInside.await(WAIT_S, TimeUnit.SECONDS);
                    } catch (Exception e) {
                        throw new AssertionError("writers of different files did not overlap", e);
                    }
                })));
            }
            for (Future<Long> f : fs) {
                assertEquals(1L, f.get(WAIT_S, TimeUnit.SECONDS));
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void anOpenWriteTransactionHoldsUpNoOtherFileAndNoReaderOfItsOwn() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try (Store store = open(16, Duration.ZERO)) {
            for (String n : List.of("a", "b", "c")) {
                store.write(n, w -> insertEvent(w, 1, "quote", "x"));
            }
            CountDownLatch inside = new CountDownLatch(1);
            CountDownLatch finish = new CountDownLatch(1);
            Future<Long> holder = pool.submit(() -> store.write("a", w -> {
                insertEvent(w, 2, "order", "uncommitted");
                inside.countDown();
                await(finish);
            }));
            assertTrue(inside.await(WAIT_S, TimeUnit.SECONDS));
            // on other threads, each must finish while "a" stays mid-transaction
            assertEquals(2L, pool.submit(() -> store.write("b", w -> insertEvent(w, 2, "order", "o")))
                    .get(WAIT_S, TimeUnit.SECONDS));
            assertEquals(1, StoreFixtures.count(store, "c"));
            assertEquals(1, StoreFixtures.count(store, "a"));       // a's committed snapshot
            finish.countDown();
            assertEquals(2L, holder.get(WAIT_S, TimeUnit.SECONDS));
            assertEquals(2, StoreFixtures.count(store, "a"));
        } finally {
            pool.shutdownNow();
        }
    }

    private static void await(CountDownLatch l) {
        try {
            if (!l.await(WAIT_S, TimeUnit.SECONDS)) {
                throw new AssertionError("latch timed out");
            }
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }
}

package io.ancdb.typed;

import io.ancdb.AncDbException;
import io.ancdb.ErrorCode;
import io.ancdb.InvalidArgumentException;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SnowflakeTest {
    static final long T0 = Snowflake.EPOCH_MILLIS + 1_000_000L;

    /** Returns the scripted times in order, then repeats the last one advancing by 1 ms per read. */
    static final class ScriptedClock implements LongSupplier {
        final long[] script;
        final AtomicInteger reads = new AtomicInteger();

        ScriptedClock(long... script) {
            this.script = script;
        }

        @Override
        public long getAsLong() {
            int i = reads.getAndIncrement();
            return i < script.length ? script[i] : script[script.length - 1] + (i - script.length + 1);
        }
    }

    @Test
    void layoutAndExtractors() {
        assertEquals(1_704_067_200_000L, Snowflake.EPOCH_MILLIS);
        Snowflake s = new Snowflake(1023, () -> T0);
        long id = s.nextId();
        assertTrue(id > 0);
        assertEquals(T0, Snowflake.timestampMillis(id));
        assertEquals(1023, Snowflake.machineId(id));
        assertEquals(0, Snowflake.sequence(id));
        long id2 = s.nextId();
        assertEquals(1, Snowflake.sequence(id2));
        assertEquals(id + 1, id2);
        assertEquals((1_000_000L << 22) | (1023L << 12) | 1, id2);
        assertEquals(id2, Snowflake.compose(T0, 1023, 1));
        assertThrows(InvalidArgumentException.class, () -> new Snowflake(1024));
        assertThrows(InvalidArgumentException.class, () -> new Snowflake(-1));
        assertThrows(InvalidArgumentException.class, () -> Snowflake.compose(T0, 0, 4096));
        // the default generator on the real clock
        long real = new Snowflake(7).nextId();
        assertTrue(Math.abs(Snowflake.timestampMillis(real) - System.currentTimeMillis()) < 5_000);
        assertEquals(7, Snowflake.machineId(real));
    }

    @Test
    void monotonicAndUniqueUnderFourThreads() throws Exception {
        Snowflake s = new Snowflake(3);
        int threads = 4;
        int perThread = 50_000;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<long[]>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                futures.add(pool.submit((Callable<long[]>) () -> {
                    long[] ids = new long[perThread];
                    for (int i = 0; i < perThread; i++) {
                        ids[i] = s.nextId();
                    }
                    return ids;
                }));
            }
            Set<Long> all = new HashSet<>(threads * perThread * 2);
            for (Future<long[]> f : futures) {
                long[] ids = f.get();
                for (int i = 0; i < ids.length; i++) {
                    if (i > 0) {
                        assertTrue(ids[i] > ids[i - 1], "not increasing at " + i);
                    }
                    assertEquals(3, Snowflake.machineId(ids[i]));
                    assertTrue(all.add(ids[i]), "duplicate id " + ids[i]);
                }
            }
            assertEquals(threads * perThread, all.size());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void sequenceOverflowWaitsForTheNextMillisecond() {
        // the clock stays at T0 for 4096 + 100 reads, then moves to T0 + 1
        AtomicLong reads = new AtomicLong();
        LongSupplier clock = () -> reads.incrementAndGet() <= 4096 + 100 ? T0 : T0 + 1;
        Snowflake s = new Snowflake(5, clock);
        long prev = -1;
        for (int i = 0; i < 4096; i++) {
            long id = s.nextId();
            assertEquals(T0, Snowflake.timestampMillis(id));
            assertEquals(i, Snowflake.sequence(id));
            assertTrue(id > prev);
            prev = id;
        }
        long next = s.nextId();                  // must spin through the remaining T0 reads
        assertEquals(T0 + 1, Snowflake.timestampMillis(next));
        assertEquals(0, Snowflake.sequence(next));
        assertTrue(next > prev);
        assertTrue(reads.get() > 4096 + 100, "waited for the clock: " + reads.get());
    }

    @Test
    void smallBackwardsStepIsWaitedOut() {
        // T0+20, then the clock jumps back 5 ms and creeps forward
        ScriptedClock clock = new ScriptedClock(T0 + 20, T0 + 15, T0 + 16, T0 + 17, T0 + 18, T0 + 19, T0 + 20,
                T0 + 20, T0 + 21);
        Snowflake s = new Snowflake(1, clock);
        long a = s.nextId();
        long b = s.nextId();
        assertTrue(b > a);
        assertEquals(T0 + 20, Snowflake.timestampMillis(b));          // resumed at the last millisecond
        assertEquals(1, Snowflake.sequence(b));
        assertEquals(8, clock.reads.get(), "read the clock until it caught up");
        long c = s.nextId();
        assertEquals(T0 + 21, Snowflake.timestampMillis(c));
        assertTrue(c > b);
    }

    @Test
    void backwardsWithinConfiguredBoundIsWaited() {
        ScriptedClock clock = new ScriptedClock(T0 + 100, T0 + 50, T0 + 100);
        Snowflake s = new Snowflake(1, clock, 60);
        long a = s.nextId();
        assertTrue(s.nextId() > a);
    }

    /** Issue 10 item 8: a clock far behind is no error (it was INTERNAL, "a bug"): ids go on increasing. */
    @Test
    void bigBackwardsStepGoesOnFromTheLastId() {
        ScriptedClock clock = new ScriptedClock(T0 + 1000, T0 + 500, T0 + 500, T0 + 501);
        Snowflake s = new Snowflake(1, clock);
        long a = s.nextId();
        long b = s.nextId();                     // the clock is 500 ms behind: no wait, no error
        long c = s.nextId();
        assertEquals(a + 1, b);
        assertEquals(b + 1, c);
        assertEquals(T0 + 1000, Snowflake.timestampMillis(c));
        assertEquals(3, clock.reads.get(), "did not wait for the clock");
        Snowflake strict = new Snowflake(1, new ScriptedClock(T0 + 10, T0 + 9), 0);
        long x = strict.nextId();
        assertTrue(strict.nextId() > x);
    }

    @Test
    void farBehindAndOutOfSequenceBorrowsTheNextMillisecond() {
        AtomicLong reads = new AtomicLong();
        // one read at T0 + 1000, then the clock sits an hour back
        LongSupplier clock = () -> reads.getAndIncrement() == 0 ? T0 + 1000 : T0 - 3_600_000;
        Snowflake s = new Snowflake(2, clock);
        long prev = s.nextId();
        for (int i = 1; i < 3 * 4096; i++) {
            long id = s.nextId();
            assertTrue(id > prev, "id " + i);
            prev = id;
        }
        assertEquals(T0 + 1002, Snowflake.timestampMillis(prev));   // 3 * 4096 ids: two milliseconds borrowed
        assertEquals(4095, Snowflake.sequence(prev));
        assertEquals(2, Snowflake.machineId(prev));
    }

    @Test
    void clockBeforeEpochStillGivesIncreasingNonZeroIds() {
        Snowflake s = new Snowflake(0, () -> 0L);
        long a = s.nextId();
        assertEquals(Snowflake.EPOCH_MILLIS + 1, Snowflake.timestampMillis(a));
        assertTrue(a > 0);
        long prev = a;
        for (int i = 0; i < 5000; i++) {                 // past one millisecond's sequence, without a wait
            long id = s.nextId();
            assertTrue(id > prev);
            prev = id;
        }
    }

    @Test
    void theEndOfTheIdSpaceIsALimitNotABug() {
        Snowflake s = new Snowflake(0, () -> Snowflake.EPOCH_MILLIS + (1L << Snowflake.TIMESTAMP_BITS));
        assertEquals(ErrorCode.LIMIT_EXCEEDED, assertThrows(AncDbException.class, s::nextId).errorCode());
    }
}

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

    @Test
    void bigBackwardsStepThrows() {
        ScriptedClock clock = new ScriptedClock(T0 + 1000, T0 + 500);
        Snowflake s = new Snowflake(1, clock);
        s.nextId();
        AncDbException e = assertThrows(AncDbException.class, s::nextId);
        assertEquals(ErrorCode.INTERNAL, e.errorCode());
        assertTrue(e.getMessage().contains("clock went backwards by 500 ms"), e.getMessage());
        Snowflake strict = new Snowflake(1, new ScriptedClock(T0 + 10, T0 + 9), 0);
        strict.nextId();
        assertTrue(assertThrows(AncDbException.class, strict::nextId).getMessage().contains("by 1 ms"));
    }

    @Test
    void clockBeforeEpochThrows() {
        Snowflake s = new Snowflake(0, () -> 0L);
        assertEquals(ErrorCode.INTERNAL, assertThrows(AncDbException.class, s::nextId).errorCode());
    }
}

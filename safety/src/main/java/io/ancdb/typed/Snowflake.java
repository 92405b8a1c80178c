package io.ancdb.typed;

import io.ancdb.AncDbException;
import io.ancdb.ErrorCode;
import io.ancdb.InvalidArgumentException;

import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;

/**
 * Snowflake ids: 64-bit, positive, increasing per generator.
 *
 * <pre>
 *   bit 63      0
 *   bits 62..22 milliseconds since {@link #EPOCH_MILLIS} (2024-01-01T00:00:00Z), 41 bits (until 2093)
 *   bits 21..12 machine id, 0..1023
 *   bits 11..0  sequence within the millisecond, 0..4095
 * </pre>
 *
 * <p>{@link #nextId()} is lock-free (one CAS on the last issued
 * timestamp/sequence) and strictly increasing across all threads using the
 * generator, whatever the clock does:
 * <ul>
 * <li>4096 ids issued in one millisecond: it waits for the next one;</li>
 * <li>the clock steps back by at most {@code maxBackwardsMillis} (default 10):
 *     it waits until the clock catches up, so ids keep their real time;</li>
 * <li>the clock steps back further (NTP correction, a VM restored from a
 *     snapshot, a clock set before 2024): it goes on from the last id issued,
 *     as a logical clock: the sequence counts on, and when it is used up the
 *     timestamp moves one millisecond ahead. Ids stay unique and increasing;
 *     their timestamps run ahead of the clock until it catches up.</li>
 * </ul>
 * Only the end of the id space (2^41 ms after the epoch, in 2093) is an
 * error: {@link ErrorCode#LIMIT_EXCEEDED}.
 */
public final class Snowflake {
    /** 2024-01-01T00:00:00Z in Unix milliseconds. */
    public static final long EPOCH_MILLIS = 1_704_067_200_000L;
    public static final int TIMESTAMP_BITS = 41;
    public static final int MACHINE_BITS = 10;
    public static final int SEQUENCE_BITS = 12;
    public static final int MAX_MACHINE_ID = (1 << MACHINE_BITS) - 1;
    public static final int MAX_SEQUENCE = (1 << SEQUENCE_BITS) - 1;
    public static final long DEFAULT_MAX_BACKWARDS_MILLIS = 10;

    private static final int MACHINE_SHIFT = SEQUENCE_BITS;
    private static final int TIMESTAMP_SHIFT = SEQUENCE_BITS + MACHINE_BITS;
    private static final long MAX_TIMESTAMP = (1L << TIMESTAMP_BITS) - 1;

    private final int machineId;
    private final LongSupplier clock;
    private final long maxBackwardsMillis;
    /** (timestamp since epoch << 12) | sequence of the last id issued; -1 before the first. */
    private final AtomicLong last = new AtomicLong(-1);

    /** A generator on the system clock. */
    public Snowflake(int machineId) {
        this(machineId, System::currentTimeMillis, DEFAULT_MAX_BACKWARDS_MILLIS);
    }

    /** A generator on {@code clock} (Unix epoch milliseconds). */
    public Snowflake(int machineId, LongSupplier clock) {
        this(machineId, clock, DEFAULT_MAX_BACKWARDS_MILLIS);
    }

    /**
     * @param machineId          0..1023, distinct per concurrent writer
     * @param clock              Unix epoch milliseconds
     * @param maxBackwardsMillis how far back the clock may step and be waited out (further back,
     *                           ids go on from the last one issued)
     */
    public Snowflake(int machineId, LongSupplier clock, long maxBackwardsMillis) {
        if (machineId < 0 || machineId > MAX_MACHINE_ID) {
            throw new InvalidArgumentException("machine id must be 0.." + MAX_MACHINE_ID + ": " + machineId);
        }
        if (maxBackwardsMillis < 0) {
            throw new InvalidArgumentException("maxBackwardsMillis must be >= 0: " + maxBackwardsMillis);
        }
        this.machineId = machineId;
        this.clock = Objects.requireNonNull(clock, "clock");
        this.maxBackwardsMillis = maxBackwardsMillis;
    }

    public int machineId() {
        return machineId;
    }

    /** The next id: greater than every id this generator issued before. */
    public long nextId() {
        while (true) {
            // prev before now: a thread paused between reading the clock and the last id
            // would otherwise take its stale clock reading for the clock going backwards.
            long prev = last.get();
            long now = now();
            long next;
            if (prev < 0) {
                next = Math.max(now, 1) << SEQUENCE_BITS;        // a clock before the epoch: 1 ms after it
            } else {
                long prevTs = prev >>> SEQUENCE_BITS;
                boolean seqLeft = (prev & MAX_SEQUENCE) != MAX_SEQUENCE;
                if (now > prevTs) {
                    next = now << SEQUENCE_BITS;
                } else if (now == prevTs) {
                    if (!seqLeft) {
                        awaitAfter(prevTs);                  // sequence used up in this millisecond
                        continue;
                    }
                    next = prev + 1;
                } else if (prevTs - now <= maxBackwardsMillis && now > 0) {
                    awaitAtLeast(prevTs);                    // a small step back: wait it out
                    continue;
                } else {
                    // far behind: go on from the last id, a millisecond ahead when the sequence is used up
                    next = seqLeft ? prev + 1 : (prevTs + 1) << SEQUENCE_BITS;
                }
            }
            if ((next >>> SEQUENCE_BITS) > MAX_TIMESTAMP) {
                throw exhausted();
            }
            if (last.compareAndSet(prev, next)) {
                return ((next >>> SEQUENCE_BITS) << TIMESTAMP_SHIFT) | ((long) machineId << MACHINE_SHIFT)
                        | (next & MAX_SEQUENCE);
            }
        }
    }

    /**
     * The clock in milliseconds since the epoch: 0 or less for a clock set
     * before it, which {@link #nextId} treats as far behind (no id is 0).
     */
    private long now() {
        long ts = clock.getAsLong() - EPOCH_MILLIS;
        if (ts > MAX_TIMESTAMP) {
            throw exhausted();
        }
        return ts;
    }

    private static AncDbException exhausted() {
        return new AncDbException(ErrorCode.LIMIT_EXCEEDED, "the Snowflake id space ends 2^41 ms after"
                + " 2024-01-01 (in 2093): no more ids can be generated");
    }

    /** Spins until the clock has passed {@code ts} (at most about a millisecond). */
    private void awaitAfter(long ts) {
        while (now() <= ts) {
            Thread.onSpinWait();
        }
    }

    /**
     * Parks until the clock reaches {@code ts}, or falls further behind than
     * maxBackwardsMillis (then {@link #nextId} goes on as a logical clock).
     */
    private void awaitAtLeast(long ts) {
        long behind;
        while ((behind = ts - now()) > 0 && behind <= maxBackwardsMillis) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(Math.min(behind, 1)) / 2);
        }
    }

    /** Unix epoch milliseconds at which {@code id} was generated. */
    public static long timestampMillis(long id) {
        return (id >>> TIMESTAMP_SHIFT) + EPOCH_MILLIS;
    }

    /** The machine id in {@code id}. */
    public static int machineId(long id) {
        return (int) ((id >>> MACHINE_SHIFT) & MAX_MACHINE_ID);
    }

    /** The sequence number in {@code id}. */
    public static int sequence(long id) {
        return (int) (id & MAX_SEQUENCE);
    }

    /** The id with these parts (for range scans by time: {@code compose(ms, 0, 0)}). */
    public static long compose(long timestampMillis, int machineId, int sequence) {
        long ts = timestampMillis - EPOCH_MILLIS;
        if (ts < 0 || ts > MAX_TIMESTAMP || machineId < 0 || machineId > MAX_MACHINE_ID
                || sequence < 0 || sequence > MAX_SEQUENCE) {
            throw new InvalidArgumentException("Snowflake parts out of range: " + timestampMillis + ", " + machineId
                    + ", " + sequence);
        }
        return (ts << TIMESTAMP_SHIFT) | ((long) machineId << MACHINE_SHIFT) | sequence;
    }
}

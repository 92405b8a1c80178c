package io.ancdb.protocol;

import java.time.Duration;

/**
 * Bounds on what one request may hold and how long it may wait, enforced by
 * {@link MessageReader} (on the stream, before a message is buffered) and by
 * the {@link CommandDispatcher} (on the bytes of one request). A value over a
 * limit is refused from its MessagePack header, before anything of its size
 * is allocated, with status 7 LimitExceeded.
 *
 * <p>Defaults ({@link #defaults()}): messages up to 16 MiB; a string or a
 * binary value up to 16 MiB (so in practice the message limit bounds them;
 * lower them to refuse big single values earlier); nesting up to 32
 * containers deep (the request map is depth 1, a record map 2, a vector
 * inside it 3); batches of at most 1000 records; arrays of at most 1 000 000
 * elements (a 768-float embedding is far below); maps of at most 65 536
 * entries; at most 5 s waiting for the database lock (then status 5
 * TransactionConflict). A response larger than {@code maxMessageBytes} is
 * refused with status 7 as well (narrow the range or lower the limit).
 *
 * @param maxMessageBytes bytes of one request (and of one response)
 * @param maxStringBytes  bytes of one str value
 * @param maxBinaryBytes  bytes of one bin (or ext) value
 * @param maxDepth        containers nested in one another (the outermost counts 1)
 * @param maxBatch        records of one BatchWrite
 * @param maxArrayLength  elements of one array
 * @param maxMapSize      entries of one map
 * @param lockTimeout     longest wait for the database lock (begin of a transaction)
 */
public record Limits(int maxMessageBytes, int maxStringBytes, int maxBinaryBytes, int maxDepth, int maxBatch,
                     int maxArrayLength, int maxMapSize, Duration lockTimeout) {
    public static final int MIB = 1 << 20;

    public Limits {
        if (maxMessageBytes < 16 || maxStringBytes < 1 || maxBinaryBytes < 1 || maxDepth < 3 || maxDepth > 10_000
                || maxBatch < 1 || maxArrayLength < 1 || maxMapSize < 16) {
            throw new IllegalArgumentException("limits out of range: maxMessageBytes >= 16, maxStringBytes >= 1,"
                    + " maxBinaryBytes >= 1, 3 <= maxDepth <= 10000, maxBatch >= 1, maxArrayLength >= 1,"
                    + " maxMapSize >= 16");
        }
        if (lockTimeout == null || lockTimeout.isNegative()) {
            throw new IllegalArgumentException("lockTimeout must be >= 0");
        }
    }

    /** 16 MiB messages, strings and binaries; depth 32; batch 1000; arrays 1 000 000; maps 65 536; 5 s lock wait. */
    public static Limits defaults() {
        return new Limits(16 * MIB, 16 * MIB, 16 * MIB, 32, 1000, 1_000_000, 65_536, Duration.ofSeconds(5));
    }

    public Limits withMaxMessageBytes(int n) {
        return new Limits(n, maxStringBytes, maxBinaryBytes, maxDepth, maxBatch, maxArrayLength, maxMapSize, lockTimeout);
    }

    public Limits withMaxStringBytes(int n) {
        return new Limits(maxMessageBytes, n, maxBinaryBytes, maxDepth, maxBatch, maxArrayLength, maxMapSize, lockTimeout);
    }

    public Limits withMaxBinaryBytes(int n) {
        return new Limits(maxMessageBytes, maxStringBytes, n, maxDepth, maxBatch, maxArrayLength, maxMapSize, lockTimeout);
    }

    public Limits withMaxDepth(int n) {
        return new Limits(maxMessageBytes, maxStringBytes, maxBinaryBytes, n, maxBatch, maxArrayLength, maxMapSize, lockTimeout);
    }

    public Limits withMaxBatch(int n) {
        return new Limits(maxMessageBytes, maxStringBytes, maxBinaryBytes, maxDepth, n, maxArrayLength, maxMapSize, lockTimeout);
    }

    public Limits withMaxArrayLength(int n) {
        return new Limits(maxMessageBytes, maxStringBytes, maxBinaryBytes, maxDepth, maxBatch, n, maxMapSize, lockTimeout);
    }

    public Limits withMaxMapSize(int n) {
        return new Limits(maxMessageBytes, maxStringBytes, maxBinaryBytes, maxDepth, maxBatch, maxArrayLength, n, lockTimeout);
    }

    public Limits withLockTimeout(Duration d) {
        return new Limits(maxMessageBytes, maxStringBytes, maxBinaryBytes, maxDepth, maxBatch, maxArrayLength, maxMapSize, d);
    }
}

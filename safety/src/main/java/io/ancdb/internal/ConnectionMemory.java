package io.ancdb.internal;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayDeque;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The native memory of one {@link NativeDb}: out-parameter slots, an error
 * buffer and a scratch block that grows, in a shared arena (a connection
 * moves between threads). Closing a shared arena is a handshake with every
 * thread of the JVM (10-20 us measured here, more with more threads), paid at
 * each connection close. Blocks are therefore reused: a closed connection's
 * block goes back to a small process-wide pool, and the next open takes it,
 * so opening and closing many files costs no handshake. A block that grew
 * past {@link #MAX_POOLED_BYTES} or finds the pool full is freed (its arena
 * closed). The pool holds at most {@link #POOL_SIZE} blocks.
 *
 * <p>A block serves one connection at a time: {@link NativeDb#close()} drops
 * its reference before giving it back, so a closed connection can never
 * reach memory a newer connection uses.
 */
final class ConnectionMemory {
    static final int POOL_SIZE = 16;
    static final long MAX_POOLED_BYTES = 128 * 1024;
    private static final int OUT_BYTES = 64;        // 8 slots of 8 bytes
    private static final int INITIAL_SCRATCH = 16 * 1024;

    private static final ReentrantLock POOL_LOCK = new ReentrantLock();
    private static final ArrayDeque<ConnectionMemory> POOL = new ArrayDeque<>(POOL_SIZE);

    private final Arena arena;
    final MemorySegment out;
    final MemorySegment errBuf;
    private MemorySegment scratch;
    private long allocated;                          // bytes the arena holds (grown blocks stay until it closes)

    private ConnectionMemory(int errLen) {
        arena = Arena.ofShared();
        out = arena.allocate(OUT_BYTES, 8);
        errBuf = arena.allocate(errLen);
        scratch = arena.allocate(INITIAL_SCRATCH, 8);
        allocated = OUT_BYTES + errLen + INITIAL_SCRATCH;
    }

    /** A block from the pool, or a new one; {@code errLen} is the error buffer's size. */
    static ConnectionMemory take(int errLen) {
        POOL_LOCK.lock();
        try {
            ConnectionMemory m = POOL.pollFirst();
            if (m != null) {
                return m;
            }
        } finally {
            POOL_LOCK.unlock();
        }
        return new ConnectionMemory(errLen);
    }

    /** Scratch memory of at least {@code size} bytes (the last block, grown when too small). */
    MemorySegment scratch(long size) {
        if (scratch.byteSize() < size) {
            long n = Math.max(size, scratch.byteSize() * 2);
            scratch = arena.allocate(n, 8);        // the old block is freed with the arena
            allocated += n;
        }
        return scratch;
    }

    /** The current scratch block, whatever its size. */
    MemorySegment scratch() {
        return scratch;
    }

    /** Gives the block back for the next connection, or frees it. The caller no longer refers to it. */
    void release() {
        if (allocated <= MAX_POOLED_BYTES) {
            POOL_LOCK.lock();
            try {
                if (POOL.size() < POOL_SIZE) {
                    POOL.addFirst(this);             // most recently used first: its pages are warm
                    return;
                }
            } finally {
                POOL_LOCK.unlock();
            }
        }
        arena.close();
    }

    /** Blocks waiting in the pool (tests). */
    static int pooled() {
        POOL_LOCK.lock();
        try {
            return POOL.size();
        } finally {
            POOL_LOCK.unlock();
        }
    }
}

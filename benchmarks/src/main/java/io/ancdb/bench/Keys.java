package io.ancdb.bench;

/**
 * A per-thread stream of uniformly random keys of the loaded range 1..n
 * (xorshift64*: a few instructions, no allocation, no shared state).
 */
public final class Keys {
    private final long n;
    private long x;

    public Keys(long n, long seed) {
        this.n = n;
        this.x = Data.mix(seed + 0x9E3779B97F4A7C15L) | 1;
    }

    private long nextLong() {
        x ^= x >>> 12;
        x ^= x << 25;
        x ^= x >>> 27;
        return x * 0x2545F4914F6CDD1DL;
    }

    /** A random key in 1..n. */
    public long next() {
        return 1 + Long.remainderUnsigned(nextLong(), n);
    }

    /** A random start key such that {@code count} keys from it are all loaded. */
    public long start(int count) {
        return 1 + Long.remainderUnsigned(nextLong(), n - count + 1);
    }
}

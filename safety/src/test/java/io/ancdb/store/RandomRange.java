package io.ancdb.store;

import io.ancdb.KeyRange;

import java.util.Random;
import java.util.function.Supplier;

/**
 * A random range for the merged-scan tests: each bound present or not,
 * inclusive or not, either direction, a limit or none; with what a model
 * needs to filter and sort its own rows the same way.
 *
 * @param range the range to scan
 * @param lo    the lower bound's tuple, null: none
 * @param hi    the upper bound's tuple, null: none
 */
record RandomRange(KeyRange range, Object[] lo, boolean loIn, Object[] hi, boolean hiIn, boolean desc, int limit) {
    /** {@code base} with bounds from {@code bound} (null: never bounded) and a limit of at most {@code maxLimit}. */
    static RandomRange of(KeyRange base, Random rnd, Supplier<Object[]> bound, int maxLimit) {
        Object[] lo = bound != null && rnd.nextBoolean() ? bound.get() : null;
        Object[] hi = bound != null && rnd.nextBoolean() ? bound.get() : null;
        boolean loIn = rnd.nextBoolean();
        boolean hiIn = rnd.nextBoolean();
        KeyRange range = base;
        if (lo != null) {
            range = loIn ? range.from(lo) : range.fromExclusive(lo);
        }
        if (hi != null) {
            range = hiIn ? range.to(hi) : range.toExclusive(hi);
        }
        boolean desc = rnd.nextBoolean();
        if (desc) {
            range = range.reversed();
        }
        int limit = rnd.nextInt(3) == 0 ? 0 : 1 + rnd.nextInt(maxLimit);
        return new RandomRange(range.limitTo(limit), lo, loIn, hi, hiIn, desc, limit);
    }
}

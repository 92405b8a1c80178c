package io.ancdb;

import java.util.Arrays;
import java.util.stream.LongStream;

/**
 * Seeds of the randomized tests. Each run prints the seed it uses and how to
 * replay it; a seed given as a system property replaces the default, so a
 * failure is replayed with that one property (and {@code -Dtest=...}).
 */
public final class TestSeeds {
    /** The property the oracle, model and mutation tests read: one seed, or several separated by commas. */
    public static final String PROPERTY = "ancdb.seed";

    private TestSeeds() {
    }

    /** {@code -Dproperty=N} if given, else {@code dflt}; announced as {@code test}'s seed. */
    public static long seed(String test, String property, long dflt) {
        long seed = Long.getLong(property, dflt);
        announce(test, property, seed);
        return seed;
    }

    /** The seeds of a parameterized test: those listed in {@code -Dancdb.seed=a,b} if given, else {@code defaults}. */
    public static LongStream seeds(long... defaults) {
        String given = System.getProperty(PROPERTY);
        if (given == null || given.isBlank()) {
            return Arrays.stream(defaults);
        }
        return Arrays.stream(given.split(",")).map(String::trim).mapToLong(Long::parseLong);
    }

    /** Prints "test: seed N (replay with -Dproperty=N)". */
    public static void announce(String test, String property, long seed) {
        System.out.println(test + ": seed " + seed + " (replay with -D" + property + "=" + seed + ")");
    }
}

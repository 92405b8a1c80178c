package io.ancdb.store;

import io.ancdb.InvalidArgumentException;

/**
 * The database of two parties: {@code pair("acme", "globex")} and
 * {@code pair("globex", "acme")} are both {@code "acme.globex"}.
 *
 * <p>A party name follows the rules of a database name ({@link StoreNames})
 * without the dot: 1 to {@value #MAX_PARTY_LENGTH} characters from
 * {@code a-z 0-9 _ -}, beginning and ending with a letter or digit. The pair's
 * name is the two parties in ASCII order joined by the separator {@code .},
 * which no party name can contain, so {@link #parse} recovers both parties
 * from the name alone. A pair needs two different parties.
 */
public final class PairNames {
    /** The longest party name: two of them and the separator fit in a database name. */
    public static final int MAX_PARTY_LENGTH = 60;
    /** Separates the two parties in a pair's name. */
    public static final char SEPARATOR = '.';

    /** The two parties of a pair file, {@code first} before {@code second} in ASCII order. */
    public record Pair(String first, String second) {
        /** True when {@code party} is one of the two. */
        public boolean includes(String party) {
            return first.equals(party) || second.equals(party);
        }
    }

    private PairNames() {
    }

    /** The canonical database name of the pair {@code a}, {@code b} (in either order). */
    public static String pair(String a, String b) {
        requireParty(a);
        requireParty(b);
        int c = a.compareTo(b);
        if (c == 0) {
            throw new InvalidArgumentException("a pair needs two different parties, got " + StoreNames.quoted(a) + " twice");
        }
        return c < 0 ? a + SEPARATOR + b : b + SEPARATOR + a;
    }

    /**
     * The parties of {@code name}, or null when it is not the canonical name
     * of a pair (no separator, more than one, an invalid party, the parties
     * out of order, or one party twice).
     */
    public static Pair parse(String name) {
        if (name == null) {
            return null;
        }
        int dot = name.indexOf(SEPARATOR);
        if (dot < 0 || name.indexOf(SEPARATOR, dot + 1) >= 0) {
            return null;
        }
        String a = name.substring(0, dot);
        String b = name.substring(dot + 1);
        if (!isParty(a) || !isParty(b) || a.compareTo(b) >= 0) {
            return null;
        }
        return new Pair(a, b);
    }

    /** {@code party} when it is a valid party name; else an InvalidArgumentException saying why. */
    public static String requireParty(String party) {
        String why = StoreNames.problem(party, "party name", MAX_PARTY_LENGTH, false);
        if (why != null) {
            throw new InvalidArgumentException(why);
        }
        return party;
    }

    /** True when {@code party} is a valid party name. */
    public static boolean isParty(String party) {
        return StoreNames.problem(party, "party name", MAX_PARTY_LENGTH, false) == null;
    }
}

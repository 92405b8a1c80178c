package io.ancdb.store;

/**
 * Who may do what to which database of a store: the one decision every
 * entry point (Java, protocol) asks. It looks at names only, never at the
 * disk, so a refused name answers the same whether its file exists or not.
 *
 * <ul>
 *   <li>A party reaches only the pair databases whose name parses
 *   ({@link PairNames#parse}) to two parties, one of them itself: it may
 *   read them, and write them (data and the file's own schemas) with a
 *   read-write token. Any other name, pair or not, is out of its reach.</li>
 *   <li>An administrator reads every database; with read-write it also
 *   writes every database and does what concerns the store as a whole
 *   (defining store schemas, dropping files).</li>
 * </ul>
 */
public final class AccessPolicy {
    /** What a request does. */
    public enum Operation {
        /** Read records, versions, stats; see the name in a listing or a scan. */
        READ,
        /** Write records or a file's own schemas (creates a missing file). */
        WRITE,
        /** Store-wide: define store schemas, drop files. */
        ADMIN
    }

    private AccessPolicy() {
    }

    /**
     * True when {@code p} may do {@code op} to database {@code name} (for
     * {@link Operation#ADMIN} the name does not matter and may be null).
     */
    public static boolean allows(Principal p, Operation op, String name) {
        if (p == null || op == null) {
            return false;
        }
        if (op != Operation.READ && !p.readWrite()) {
            return false;
        }
        if (p.isAdmin()) {
            return true;
        }
        if (op == Operation.ADMIN) {
            return false;
        }
        PairNames.Pair pair = PairNames.parse(name);
        return pair != null && pair.includes(p.party());
    }
}

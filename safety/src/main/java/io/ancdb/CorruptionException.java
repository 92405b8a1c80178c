package io.ancdb;

/**
 * The file is malformed (code 102). Carries the page SQLite found it on, when
 * known, or the root page of the b-tree in which ANC-DB itself found a
 * malformed entry; either way the message names that page too.
 */
public class CorruptionException extends AncDbException {
    private static final long serialVersionUID = 1L;

    private final long page;

    public CorruptionException(int nativeCode, String message, long page) {
        super(ErrorCode.CORRUPTION, nativeCode, message, null);
        this.page = page;
    }

    /** The corrupt page (or the root of the corrupt b-tree), 0 when unknown. */
    public long page() {
        return page;
    }

    /**
     * This corruption located in {@code where} (e.g. "row 7 of people") of the
     * b-tree rooted at {@code root}; unchanged when it already names a page.
     */
    public CorruptionException locatedIn(String where, long root) {
        if (page > 0) {
            return this;
        }
        return new CorruptionException(nativeCode(), bareMessage() + " in " + where + rootedAt(root), root);
    }

    /** The message suffix naming the b-tree rooted at {@code root}. */
    public static String rootedAt(long root) {
        return " (b-tree rooted at page " + root + ")";
    }
}

package io.ancdb;

/**
 * The file is malformed (code 102). Carries the page SQLite found it on, when
 * known, or the root page of the b-tree in which ANC-DB itself found a
 * malformed entry; either way the message names that page too.
 */
public class CorruptionException extends AncDbException {
    private static final long serialVersionUID = 1L;

    private final long page;

    /**
     * @param nativeCode the native result code when SQLite found it (SQLITE_CORRUPT or an extended
     *                   code), 0 when ANC-DB did (use {@link #found(String)} then)
     * @param page       the corrupt page, or the root of the b-tree it is in; 0 when unknown
     */
    public CorruptionException(int nativeCode, String message, long page) {
        super(ErrorCode.CORRUPTION, nativeCode, message, null);
        this.page = page;
    }

    /**
     * Corruption ANC-DB found itself, reading what it wrote (a malformed record,
     * an index entry that points nowhere, an unreadable definition), where no
     * page is known. Its native code is 0: SQLite did not report it.
     */
    public static CorruptionException found(String message) {
        return new CorruptionException(0, message, 0);
    }

    /** As {@link #found(String)}, in the b-tree rooted at page {@code root}, which the message then names. */
    public static CorruptionException found(String message, long root) {
        return new CorruptionException(0, message + rootedAt(root), root);
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
    private static String rootedAt(long root) {
        return " (b-tree rooted at page " + root + ")";
    }
}

package io.ancdb.store;

import io.ancdb.InvalidArgumentException;

import java.util.Locale;
import java.util.Set;

/**
 * The names of a store's database files, and where each one lives.
 *
 * <p>A name is 1 to {@value #MAX_LENGTH} characters from {@code a-z 0-9 . _ -}
 * (ASCII only, so a Cyrillic "а" or a full-width letter can never pass for a
 * Latin one), begins and ends with a letter or digit, and holds no {@code ..}.
 * Upper case is refused, not folded: one name is then one file on every file
 * system, case-insensitive ones included, and no two spellings reach the same
 * file. Also refused: names ending in a suffix of SQLite's side files
 * ({@code -wal}, {@code -shm}, {@code -journal}, {@code -wal2}, or a
 * super-journal's {@code -mj} + hex), and names whose part before the first
 * dot is a reserved device name on Windows ({@code con prn aux nul com0-9
 * lpt0-9}), so a store can be copied to any file system.
 *
 * <p>Name {@code n} is the file {@code <dir>/n.db} (its side files
 * {@code n.db-wal}, {@code n.db-shm}, {@code n.db-journal}). No name maps to a
 * file whose name begins with a dot; the store keeps its own metadata there.
 */
public final class StoreNames {
    /** The longest name. */
    public static final int MAX_LENGTH = 128;
    /** What a database file's name ends in. */
    public static final String FILE_SUFFIX = ".db";
    /** SQLite's side files of {@code x.db}: {@code x.db-wal}, {@code x.db-shm}, {@code x.db-journal}. */
    static final String[] SIDE_FILE_SUFFIXES = {"-wal", "-shm", "-journal"};

    private static final String[] REFUSED_SUFFIXES = {"-wal", "-shm", "-journal", "-wal2"};
    private static final Set<String> DEVICE_NAMES = Set.of("con", "prn", "aux", "nul",
            "com0", "com1", "com2", "com3", "com4", "com5", "com6", "com7", "com8", "com9",
            "lpt0", "lpt1", "lpt2", "lpt3", "lpt4", "lpt5", "lpt6", "lpt7", "lpt8", "lpt9");

    private StoreNames() {
    }

    /** {@code name} when it is a valid database name; else an InvalidArgumentException saying why. */
    public static String requireValid(String name) {
        String why = problem(name, "database name", MAX_LENGTH, true);
        if (why != null) {
            throw new InvalidArgumentException(why);
        }
        return name;
    }

    /** True when {@code name} is a valid database name. */
    public static boolean isValid(String name) {
        return problem(name, "database name", MAX_LENGTH, true) == null;
    }

    /**
     * Why {@code s} is not a valid name of this kind, or null. Shared with the
     * party names of {@link PairNames}, which are the same minus the dot.
     */
    static String problem(String s, String kind, int maxLength, boolean dots) {
        if (s == null || s.isEmpty()) {
            return kind + " is empty";
        }
        if (s.length() > maxLength) {
            return kind + " is longer than " + maxLength + " characters";
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean alnum = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
            if (alnum || c == '_' || c == '-' || (dots && c == '.')) {
                continue;
            }
            if (c >= 'A' && c <= 'Z') {
                return kind + " " + quoted(s) + " has upper case: names are lower case (a-z)";
            }
            return kind + " " + quoted(s) + " has the character " + describe(c) + " at " + i
                    + "; allowed: a-z 0-9 _ -" + (dots ? " ." : "");
        }
        if (!alnum(s.charAt(0)) || !alnum(s.charAt(s.length() - 1))) {
            return kind + " " + quoted(s) + " must begin and end with a letter or digit";
        }
        if (s.contains("..")) {
            return kind + " " + quoted(s) + " contains \"..\"";
        }
        for (String suffix : REFUSED_SUFFIXES) {
            if (s.endsWith(suffix)) {
                return kind + " " + quoted(s) + " ends in " + suffix + ", the suffix of a SQLite side file";
            }
        }
        if (isSuperJournalSuffix(s)) {
            return kind + " " + quoted(s) + " ends like a SQLite super-journal (-mj + hex)";
        }
        int dot = s.indexOf('.');
        String base = dot < 0 ? s : s.substring(0, dot);
        if (DEVICE_NAMES.contains(base)) {
            return kind + " " + quoted(s) + " begins with the reserved device name " + base;
        }
        return null;
    }

    private static boolean alnum(char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    }

    /** SQLite names a super-journal {@code <db>-mj} followed by hex digits. */
    private static boolean isSuperJournalSuffix(String s) {
        int i = s.lastIndexOf("-mj");
        if (i < 0 || i + 3 == s.length()) {
            return false;
        }
        for (int j = i + 3; j < s.length(); j++) {
            char c = s.charAt(j);
            if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
                return false;
            }
        }
        return true;
    }

    /** The file of a valid {@code name}: {@code name + ".db"}. */
    static String fileName(String name) {
        return name + FILE_SUFFIX;
    }

    /** The database name of a directory entry, or null when the entry is no database of the store. */
    static String nameOfFile(String fileName) {
        if (!fileName.endsWith(FILE_SUFFIX)) {
            return null;
        }
        String name = fileName.substring(0, fileName.length() - FILE_SUFFIX.length());
        return isValid(name) ? name : null;
    }

    /**
     * True when {@code name} matches {@code glob}: {@code *} is any run of
     * characters (also none), {@code ?} exactly one; everything else matches
     * itself. A null glob matches every name.
     */
    public static boolean matches(String glob, String name) {
        if (glob == null) {
            return true;
        }
        // iterative wildcard match with one backtrack point: linear for a single '*', never exponential
        int g = 0;
        int n = 0;
        int star = -1;
        int mark = 0;
        while (n < name.length()) {
            if (g < glob.length() && (glob.charAt(g) == '?' || glob.charAt(g) == name.charAt(n))) {
                g++;
                n++;
            } else if (g < glob.length() && glob.charAt(g) == '*') {
                star = g++;
                mark = n;
            } else if (star >= 0) {
                g = star + 1;
                n = ++mark;
            } else {
                return false;
            }
        }
        while (g < glob.length() && glob.charAt(g) == '*') {
            g++;
        }
        return g == glob.length();
    }

    /** A glob is a name with {@code *} and {@code ?} in it: same characters, at most {@value #MAX_LENGTH}. */
    static String requireValidGlob(String glob) {
        if (glob == null) {
            return null;
        }
        if (glob.isEmpty() || glob.length() > MAX_LENGTH) {
            throw new InvalidArgumentException("a name pattern has 1 to " + MAX_LENGTH + " characters");
        }
        for (int i = 0; i < glob.length(); i++) {
            char c = glob.charAt(i);
            if (!(alnum(c) || c == '_' || c == '-' || c == '.' || c == '*' || c == '?')) {
                throw new InvalidArgumentException("name pattern " + quoted(glob) + " has the character "
                        + describe(c) + " at " + i + "; allowed: a-z 0-9 _ - . * ?");
            }
        }
        return glob;
    }

    /** The name for a message: printable ASCII as is, the rest escaped, cut at 60 characters. */
    static String quoted(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (int i = 0; i < s.length() && i < 60; i++) {
            char c = s.charAt(i);
            if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') {
                b.append(c);
            } else {
                b.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
            }
        }
        return b.append(s.length() > 60 ? "...\"" : "\"").toString();
    }

    private static String describe(char c) {
        if (c >= 0x21 && c < 0x7f) {
            return "'" + c + "'";
        }
        return String.format(Locale.ROOT, "U+%04X", (int) c);
    }
}

package io.ancdb.schema;

import io.ancdb.InvalidArgumentException;

import java.util.Locale;

/** Names of tables, columns and indexes: validation, quoting, case folding. */
public final class Identifiers {
    private Identifiers() {
    }

    /** Names must be non-empty, printable and not reserved by SQLite ("sqlite_"). */
    public static String requireValid(String name) {
        if (name == null || name.isEmpty() || name.length() > 128) {
            throw new InvalidArgumentException("name must be 1 to 128 characters: " + name);
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                throw new InvalidArgumentException("name contains a control character");
            }
        }
        return name;
    }

    /** SQL identifier quoting: "name" with inner quotes doubled. */
    public static String quote(String name) {
        return "\"" + name.replace("\"", "\"\"") + "\"";
    }

    /** SQLite compares names case-insensitively (ASCII). */
    public static String key(String name) {
        return name.toLowerCase(Locale.ROOT);
    }

    public static boolean isReserved(String name) {
        return key(name).startsWith("sqlite_");
    }
}

package io.ancdb.schema;

/** Column type affinity, as SQLite derives it from a declared type. */
public enum SqlType {
    INTEGER, REAL, TEXT, BLOB, NUMERIC;

    /** SQLite's affinity rules (https://sqlite.org/datatype3.html#determination_of_column_affinity). */
    public static SqlType affinityOf(String declared) {
        String t = declared == null ? "" : declared.toUpperCase(java.util.Locale.ROOT);
        if (t.contains("INT")) {
            return INTEGER;
        }
        if (t.contains("CHAR") || t.contains("CLOB") || t.contains("TEXT")) {
            return TEXT;
        }
        if (t.isEmpty() || t.contains("BLOB")) {
            return BLOB;
        }
        if (t.contains("REAL") || t.contains("FLOA") || t.contains("DOUB")) {
            return REAL;
        }
        return NUMERIC;
    }
}

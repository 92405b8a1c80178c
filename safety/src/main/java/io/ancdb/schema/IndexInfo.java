package io.ancdb.schema;

/**
 * An index as found in sqlite_schema.
 *
 * @param columnPositions positions in the table's columns of the indexed columns
 * @param maintainable    ANC-DB can compute its keys (plain columns, BINARY, ASC)
 * @param multiValued     a tag index: the one indexed column holds a JSON array of
 *                        strings and the index holds one (element, rowid) entry per
 *                        distinct element. Stored as a WITHOUT ROWID table
 *                        {@code <table>_<column>(value, ref, PRIMARY KEY(value, ref))},
 *                        whose b-tree has exactly that key layout, so stock SQLite
 *                        checks and queries it.
 */
public record IndexInfo(IndexSpec spec, int root, int[] columnPositions, boolean maintainable, boolean multiValued) {
    public IndexInfo(IndexSpec spec, int root, int[] columnPositions, boolean maintainable) {
        this(spec, root, columnPositions, maintainable, false);
    }

    public String name() {
        return spec.name();
    }

    /** Fields per key: the indexed columns plus the rowid. */
    public int keyFields() {
        return columnPositions.length + 1;
    }

    /** The CREATE TABLE text of a tag index's WITHOUT ROWID table. */
    public static String multiValuedTableSql(String name) {
        return "CREATE TABLE " + Identifiers.quote(name) + "(\"value\" TEXT, \"ref\" INTEGER, "
                + "PRIMARY KEY(\"value\", \"ref\")) WITHOUT ROWID";
    }
}

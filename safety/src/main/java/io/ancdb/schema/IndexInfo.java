package io.ancdb.schema;

/**
 * An index as found in sqlite_schema.
 *
 * @param columnPositions positions in the table's columns of the indexed columns
 * @param maintainable    ANC-DB can compute its keys (plain columns, BINARY, ASC)
 */
public record IndexInfo(IndexSpec spec, int root, int[] columnPositions, boolean maintainable) {
    public String name() {
        return spec.name();
    }

    /** Fields per key: the indexed columns plus the rowid. */
    public int keyFields() {
        return columnPositions.length + 1;
    }
}

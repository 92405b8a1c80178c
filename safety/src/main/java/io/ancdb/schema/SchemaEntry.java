package io.ancdb.schema;

/** One row of sqlite_schema: (type, name, tbl_name, rootpage, sql), plus its rowid. */
public record SchemaEntry(long rowid, String type, String name, String tblName, int rootPage, String sql) {
    /** The record stored in sqlite_schema's b-tree. */
    public Object[] values() {
        return new Object[] {type, name, tblName, (long) rootPage, sql};
    }
}

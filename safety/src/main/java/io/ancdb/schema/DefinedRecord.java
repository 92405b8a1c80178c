package io.ancdb.schema;

/**
 * A row of the {@code ancdb_schemas} table: a record definition registered
 * through ANC-DB, its numeric id and its text. The text (JSON) is the typed
 * layer's to write and read; the core only keeps the rows in its catalog and
 * asks the typed layer what each declares ({@link SchemaDeclarations}).
 */
public record DefinedRecord(long id, String name, String json) {
    /** The table that holds ANC-DB's record definitions. */
    public static final String TABLE = "ancdb_schemas";

    /** The layout of {@link #TABLE}: {@code (id INTEGER PRIMARY KEY, name TEXT NOT NULL, definition TEXT NOT NULL)}. */
    public static TableSpec tableSpec() {
        return TableSpec.of(TABLE, Column.rowid("id"), new Column("name", "TEXT", false, true),
                new Column("definition", "TEXT", false, true));
    }
}

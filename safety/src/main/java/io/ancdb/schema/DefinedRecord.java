package io.ancdb.schema;

/**
 * A row of the {@code ancdb_schemas} table: a record definition registered
 * through ANC-DB (its JSON form, decoded by the typed layer) and its numeric id.
 */
public record DefinedRecord(long id, String name, String json) {
    /** The table that holds ANC-DB's record definitions. */
    public static final String TABLE = "ancdb_schemas";
}

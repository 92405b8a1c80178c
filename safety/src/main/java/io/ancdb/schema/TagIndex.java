package io.ancdb.schema;

/**
 * A tag index: {@code name} is the WITHOUT ROWID table that indexes each
 * element of the JSON string array in {@code column} of {@code table} (see
 * {@link IndexInfo#multiValued()}). The file records it only as a table; which
 * column it indexes is part of the record definition that declared it.
 */
public record TagIndex(String table, String name, String column) {
}

package io.ancdb.schema;

import java.util.List;

/**
 * The table, plain indexes and tag indexes a record definition declares
 * ({@link SchemaDeclarations}), each with the exact {@code CREATE} text ANC-DB
 * writes for it (built once here: a declared schema is shared by every file
 * holding the same definition). The catalog takes a table or index from here
 * instead of parsing its {@code sqlite_schema} text only when that text is
 * exactly this one: a table the shell made or altered is parsed as before.
 */
public final class DeclaredSchema {
    private final TableSpec table;
    private final String tableSql;
    private final List<IndexSpec> indexes;
    private final List<String> indexSql;
    private final List<TagIndex> tagIndexes;

    public DeclaredSchema(TableSpec table, List<IndexSpec> indexes, List<TagIndex> tagIndexes) {
        this.table = table;
        this.tableSql = table.createSql();
        this.indexes = List.copyOf(indexes);
        this.indexSql = this.indexes.stream().map(IndexSpec::createSql).toList();
        this.tagIndexes = List.copyOf(tagIndexes);
    }

    public TableSpec table() {
        return table;
    }

    /** The CREATE TABLE text of {@link #table()}. */
    public String tableSql() {
        return tableSql;
    }

    /** The plain indexes (a tag index is not one: see {@link #tagIndexes()}). */
    public List<IndexSpec> indexes() {
        return indexes;
    }

    /** The CREATE INDEX text of each of {@link #indexes()}, in the same order. */
    public List<String> indexSql() {
        return indexSql;
    }

    public List<TagIndex> tagIndexes() {
        return tagIndexes;
    }
}

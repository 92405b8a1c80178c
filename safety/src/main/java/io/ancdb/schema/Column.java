package io.ancdb.schema;

import java.util.Objects;

/**
 * One column of a table.
 *
 * @param name       column name
 * @param declType   declared type as written in CREATE TABLE ("INTEGER", "TEXT", ...)
 * @param rowidAlias true for an INTEGER PRIMARY KEY column: its value is the rowid and
 *                   the record stores NULL in its place, as SQLite does
 * @param notNull    declared NOT NULL
 */
public record Column(String name, String declType, boolean rowidAlias, boolean notNull) {
    public Column {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(declType, "declType");
        Identifiers.requireValid(name);
    }

    public static Column of(String name, SqlType type) {
        return new Column(name, type.name(), false, false);
    }

    /** An INTEGER PRIMARY KEY column (alias of the rowid). */
    public static Column rowid(String name) {
        return new Column(name, "INTEGER", true, false);
    }

    public SqlType affinity() {
        return SqlType.affinityOf(declType);
    }
}

package io.ancdb.schema;

import io.ancdb.InvalidArgumentException;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/** A table definition; {@link #createSql()} is the text stored in sqlite_schema. */
public record TableSpec(String name, List<Column> columns) {
    public TableSpec {
        Identifiers.requireValid(name);
        columns = List.copyOf(columns);
        if (columns.isEmpty()) {
            throw new InvalidArgumentException("table " + name + " needs at least one column");
        }
        Set<String> seen = new HashSet<>();
        int aliases = 0;
        for (Column c : columns) {
            if (!seen.add(Identifiers.key(c.name()))) {
                throw new InvalidArgumentException("duplicate column " + c.name() + " in table " + name);
            }
            if (c.rowidAlias()) {
                aliases++;
            }
        }
        if (aliases > 1) {
            throw new InvalidArgumentException("table " + name + " has more than one INTEGER PRIMARY KEY");
        }
    }

    public static TableSpec of(String name, Column... columns) {
        return new TableSpec(name, List.of(columns));
    }

    /** Position of the rowid-alias column, or -1. */
    public int rowidColumn() {
        for (int i = 0; i < columns.size(); i++) {
            if (columns.get(i).rowidAlias()) {
                return i;
            }
        }
        return -1;
    }

    /** Position of column {@code col} (case-insensitive), or -1. */
    public int columnIndex(String col) {
        String k = Identifiers.key(col);
        for (int i = 0; i < columns.size(); i++) {
            if (Identifiers.key(columns.get(i).name()).equals(k)) {
                return i;
            }
        }
        return -1;
    }

    public String createSql() {
        return "CREATE TABLE " + Identifiers.quote(name) + "(" + columns.stream()
                .map(c -> Identifiers.quote(c.name()) + " " + c.declType()
                        + (c.rowidAlias() ? " PRIMARY KEY" : "") + (c.notNull() ? " NOT NULL" : ""))
                .collect(Collectors.joining(", ")) + ")";
    }
}

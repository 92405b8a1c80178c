package io.ancdb.schema;

import io.ancdb.InvalidArgumentException;

import java.util.List;
import java.util.stream.Collectors;

/**
 * An index over columns of one table. Its b-tree holds SQLite's own key
 * layout: the indexed column values, then the rowid; BINARY collation,
 * ascending.
 */
public record IndexSpec(String name, String table, List<String> columns, boolean unique) {
    public IndexSpec {
        Identifiers.requireValid(name);
        Identifiers.requireValid(table);
        columns = List.copyOf(columns);
        if (columns.isEmpty()) {
            throw new InvalidArgumentException("index " + name + " needs at least one column");
        }
        columns.forEach(Identifiers::requireValid);
    }

    public String createSql() {
        return "CREATE " + (unique ? "UNIQUE " : "") + "INDEX " + Identifiers.quote(name) + " ON "
                + Identifiers.quote(table) + "("
                + columns.stream().map(Identifiers::quote).collect(Collectors.joining(", ")) + ")";
    }
}

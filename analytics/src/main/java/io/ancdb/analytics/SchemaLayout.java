package io.ancdb.analytics;

import io.ancdb.InvalidArgumentException;
import io.ancdb.schema.Identifiers;
import io.ancdb.typed.FieldDef;
import io.ancdb.typed.RecordDefinition;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The DuckDB table of one record schema across the files of a store: the
 * column {@code db} (the file's name), then the union of the fields the
 * files define under that name, in the order first seen (files may carry
 * schemas of their own, so two files' definitions may differ). A field
 * whose DuckDB type differs between two files cannot be one column: that is
 * an error naming both files.
 */
final class SchemaLayout {
    /** The column naming each row's file. */
    static final String DB_COLUMN = "db";

    private final String name;
    private final Map<String, Column> columns = new LinkedHashMap<>();

    record Column(String name, ColumnType type, String firstFile) {
    }

    SchemaLayout(String name) {
        this.name = name;
    }

    String name() {
        return name;
    }

    List<Column> columns() {
        return List.copyOf(columns.values());
    }

    /** Adds the fields of {@code def} as file {@code file} defines it. */
    void add(RecordDefinition def, String file) {
        for (FieldDef f : def.fields()) {
            String key = Identifiers.key(f.name());
            if (key.equals(DB_COLUMN)) {
                throw new InvalidArgumentException("schema " + name + " in " + file + " has a field named "
                        + f.name() + ", which analytics uses for the file's name");
            }
            ColumnType t = ColumnType.of(f);
            Column c = columns.putIfAbsent(key, new Column(f.name(), t, file));
            if (c != null && c.type() != t) {
                throw new InvalidArgumentException("schema " + name + ": field " + f.name() + " is " + c.type().sql
                        + " in " + c.firstFile() + " but " + t.sql + " in " + file + "; they cannot be one column");
            }
        }
    }

    /**
     * For each column, the position of the field in {@code def} that fills it
     * (-1: the file lacks the field, the column is null), or an
     * InvalidArgumentException when {@code def} has a field this layout does
     * not (its schema changed after the layout was made).
     */
    int[] positions(RecordDefinition def, String file) {
        int[] pos = new int[columns.size()];
        int i = 0;
        int found = 0;
        for (Map.Entry<String, Column> e : columns.entrySet()) {
            int p = def.fieldIndex(e.getKey());
            if (p >= 0 && ColumnType.of(def.fields().get(p)) != e.getValue().type()) {
                throw new InvalidArgumentException("schema " + name + " in " + file + " changed during the load");
            }
            pos[i++] = p;
            found += p >= 0 ? 1 : 0;
        }
        if (found != def.fields().size()) {
            throw new InvalidArgumentException("schema " + name + " in " + file + " changed during the load");
        }
        return pos;
    }

    /** {@code CREATE TABLE "<name>" (db VARCHAR, ...)}. */
    String createTable() {
        List<String> cols = new ArrayList<>();
        cols.add(DB_COLUMN + " VARCHAR NOT NULL");
        for (Column c : columns.values()) {
            cols.add(quote(c.name()) + " " + c.type().sql);
        }
        return "CREATE TABLE " + quote(name) + " (" + String.join(", ", cols) + ")";
    }

    /** An identifier quoted for DuckDB. */
    static String quote(String identifier) {
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }
}

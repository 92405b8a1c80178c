package io.ancdb.schema;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds one table's {@link TableInfo} from the rows of {@code sqlite_schema}:
 * the table's row, the rows of its indexes, and the tag indexes record
 * definitions declare over it. For the catalog, which builds a table only when
 * a transaction asks for it.
 *
 * <p>A table or index ANC-DB created for a record definition is taken from the
 * definition ({@link DeclaredSchema}) when its stored text is exactly the text
 * ANC-DB writes for it: no SQL parsing. Any other text (a table the shell made,
 * or one whose row was altered) goes through {@link DdlParser} as before. Equal
 * text means an equal result: {@code DdlParser} reads that canonical text back
 * into the very spec it was written from (tested per field type).
 */
final class TableAssembler {
    /** The registry of definitions: ANC-DB's own table, whose text is known without one. */
    private static final Declared<TableSpec> REGISTRY =
            new Declared<>(DefinedRecord.tableSpec(), DefinedRecord.tableSpec().createSql());

    /** A spec with the text ANC-DB writes for it. */
    private record Declared<T>(T spec, String sql) {
    }

    private final Map<String, SchemaEntry> byName;                    // key -> row
    private final Map<String, List<SchemaEntry>> indexRows;           // table key -> its index rows, in file order
    private final Map<String, Declared<TableSpec>> declaredTables;    // key -> the definition's table
    private final Map<String, Declared<IndexSpec>> declaredIndexes;   // key -> the definition's plain index

    TableAssembler(List<SchemaEntry> entries, List<DeclaredSchema> declared) {
        byName = new HashMap<>(entries.size() * 2);
        indexRows = new HashMap<>();
        for (SchemaEntry e : entries) {
            byName.putIfAbsent(Identifiers.key(e.name()), e);
            if (e.type().equals("index")) {
                indexRows.computeIfAbsent(Identifiers.key(e.tblName()), k -> new ArrayList<>()).add(e);
            }
        }
        declaredTables = new HashMap<>();
        declaredIndexes = new HashMap<>();
        declaredTables.put(Identifiers.key(DefinedRecord.TABLE), REGISTRY);
        for (DeclaredSchema d : declared) {
            declaredTables.put(Identifiers.key(d.table().name()), new Declared<>(d.table(), d.tableSql()));
            for (int i = 0; i < d.indexes().size(); i++) {
                IndexSpec is = d.indexes().get(i);
                declaredIndexes.put(Identifiers.key(is.name()), new Declared<>(is, d.indexSql().get(i)));
            }
        }
    }

    /**
     * The row of the registry of definitions ({@link DefinedRecord#TABLE}) among
     * {@code entries} when it is a table ANC-DB can read, else null: found
     * without building a catalog.
     */
    static SchemaEntry registry(List<SchemaEntry> entries) {
        for (SchemaEntry e : entries) {
            if (e.type().equals("table") && Identifiers.key(e.name()).equals(DefinedRecord.TABLE)) {
                return e.sql() != null && tableOf(e, REGISTRY) != null ? e : null;
            }
        }
        return null;
    }

    /** The sqlite_schema row named {@code key}, or null. */
    SchemaEntry entry(String key) {
        return byName.get(key);
    }

    /**
     * The table named {@code key} with its indexes (not yet its tag indexes),
     * or null when there is no such table or ANC-DB cannot read its definition.
     */
    TableInfo table(String key) {
        SchemaEntry e = byName.get(key);
        if (e == null || !e.type().equals("table") || e.sql() == null || Identifiers.isReserved(e.name())) {
            return null;
        }
        TableInfo t = tableOf(e, declaredTables.get(key));
        if (t == null) {
            return null;
        }
        for (SchemaEntry ie : indexRows.getOrDefault(key, List.of())) {
            t = t.withIndex(index(ie, t));
        }
        return t;
    }

    /** The table of row {@code e}: from {@code declared} when its text is ANC-DB's for it, else parsed. */
    private static TableInfo tableOf(SchemaEntry e, Declared<TableSpec> declared) {
        DdlParser.ParsedTable p;
        if (declared != null && e.sql().equals(declared.sql())) {
            p = new DdlParser.ParsedTable(declared.spec(), true);
        } else {
            try {
                p = DdlParser.parseTable(e.sql());
            } catch (RuntimeException ex) {
                return null;                  // not ours to read (virtual tables ...)
            }
        }
        return new TableInfo(p.spec(), e.rootPage(), List.of(), p.writable());
    }

    private IndexInfo index(SchemaEntry e, TableInfo t) {
        if (e.sql() == null) {
            // Automatic index (UNIQUE / PRIMARY KEY constraint): we cannot tell its columns
            // from the text, so the table becomes read-only for us.
            return new IndexInfo(new IndexSpec(e.name(), e.tblName(), List.of("?"), true), e.rootPage(),
                    new int[0], false);
        }
        DdlParser.ParsedIndex pi = indexOf(e, declaredIndexes.get(Identifiers.key(e.name())));
        if (pi == null) {
            return new IndexInfo(new IndexSpec(e.name(), e.tblName(), List.of("?"), false), e.rootPage(),
                    new int[0], false);
        }
        int[] pos = pi.spec().columns().stream().mapToInt(c -> t.spec().columnIndex(c)).toArray();
        boolean ok = pi.maintainable() && Arrays.stream(pos).allMatch(i -> i >= 0);
        return new IndexInfo(pi.spec(), e.rootPage(), pos, ok);
    }

    /** The index of row {@code e}: {@code declared} when its text is ANC-DB's for it, else parsed; null if unreadable. */
    private static DdlParser.ParsedIndex indexOf(SchemaEntry e, Declared<IndexSpec> declared) {
        if (declared != null && e.sql().equals(declared.sql())) {
            return new DdlParser.ParsedIndex(declared.spec(), true);
        }
        try {
            return DdlParser.parseIndex(e.sql());
        } catch (RuntimeException ex) {
            return null;
        }
    }
}

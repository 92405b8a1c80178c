package io.ancdb.schema;

import io.ancdb.SchemaNotFoundException;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An immutable snapshot of sqlite_schema: the tables and indexes of the file
 * at one schema cookie. Rebuilt whenever the cookie changes.
 */
public final class Catalog {
    private final int cookie;
    private final List<SchemaEntry> entries;
    private final Map<String, TableInfo> tables;

    private final List<TagIndex> tagIndexes;
    private final List<DefinedRecord> records;

    private Catalog(int cookie, List<SchemaEntry> entries, Map<String, TableInfo> tables,
                    List<TagIndex> tagIndexes, List<DefinedRecord> records) {
        this.cookie = cookie;
        this.entries = List.copyOf(entries);
        this.tables = tables;
        this.tagIndexes = List.copyOf(tagIndexes);
        this.records = List.copyOf(records);
    }

    /** The rows of {@code ancdb_schemas}: record definitions (their text is the typed layer's), in id order. */
    public List<DefinedRecord> records() {
        return records;
    }

    /** The definition registered under {@code name} (case-insensitive), or null. */
    public DefinedRecord record(String name) {
        String k = Identifiers.key(name);
        return records.stream().filter(r -> Identifiers.key(r.name()).equals(k)).findFirst().orElse(null);
    }

    /** The definition with numeric id {@code id}, or null. */
    public DefinedRecord record(long id) {
        return records.stream().filter(r -> r.id() == id).findFirst().orElse(null);
    }

    /** The same catalog with one more record definition. */
    public Catalog withRecord(DefinedRecord r) {
        List<DefinedRecord> all = new ArrayList<>(records);
        all.add(r);
        return build(cookie, entries, tagIndexes, all);
    }

    public static Catalog empty() {
        return build(0, List.of());
    }

    /** Builds the catalog from sqlite_schema rows. */
    public static Catalog build(int cookie, List<SchemaEntry> entries) {
        return build(cookie, entries, List.of(), List.of());
    }

    /**
     * Builds the catalog from sqlite_schema rows, the record definitions read
     * from {@code ancdb_schemas} and the tag indexes they declare.
     */
    public static Catalog build(int cookie, List<SchemaEntry> entries, List<TagIndex> tagIndexes,
                                List<DefinedRecord> records) {
        Map<String, TableInfo> tables = new LinkedHashMap<>();
        for (SchemaEntry e : entries) {
            if (e.type().equals("table") && e.sql() != null && !Identifiers.isReserved(e.name())) {
                DdlParser.ParsedTable t;
                try {
                    t = DdlParser.parseTable(e.sql());
                } catch (RuntimeException ex) {
                    continue;                      // not ours to read (virtual tables ...)
                }
                tables.put(Identifiers.key(e.name()), new TableInfo(t.spec(), e.rootPage(), List.of(), t.writable()));
            }
        }
        for (SchemaEntry e : entries) {
            if (!e.type().equals("index")) {
                continue;
            }
            TableInfo t = tables.get(Identifiers.key(e.tblName()));
            if (t == null) {
                continue;
            }
            IndexInfo idx;
            if (e.sql() == null) {
                // Automatic index (UNIQUE / PRIMARY KEY constraint): we cannot tell its columns
                // from the text, so the table becomes read-only for us.
                idx = new IndexInfo(new IndexSpec(e.name(), e.tblName(), List.of("?"), true), e.rootPage(),
                        new int[0], false);
            } else {
                DdlParser.ParsedIndex pi;
                try {
                    pi = DdlParser.parseIndex(e.sql());
                } catch (RuntimeException ex) {
                    pi = null;
                }
                int[] pos = pi == null ? new int[0] : pi.spec().columns().stream()
                        .mapToInt(c -> t.spec().columnIndex(c)).toArray();
                boolean ok = pi != null && pi.maintainable() && java.util.Arrays.stream(pos).allMatch(i -> i >= 0);
                IndexSpec spec = pi != null ? pi.spec() : new IndexSpec(e.name(), e.tblName(), List.of("?"), false);
                idx = new IndexInfo(spec, e.rootPage(), pos, ok);
            }
            tables.put(Identifiers.key(e.tblName()), t.withIndex(idx));
        }
        for (TagIndex ti : tagIndexes) {
            TableInfo t = tables.get(Identifiers.key(ti.table()));
            if (t == null) {
                continue;
            }
            TableInfo side = tables.remove(Identifiers.key(ti.name()));   // hidden: it is an index
            int pos = t.spec().columnIndex(ti.column());
            if (side == null || pos < 0) {
                continue;
            }
            IndexInfo idx = new IndexInfo(new IndexSpec(ti.name(), t.name(), List.of(ti.column()), false),
                    side.root(), new int[] {pos}, true, true);
            tables.put(Identifiers.key(t.name()), t.withIndex(idx));
        }
        return new Catalog(cookie, entries, tables, tagIndexes, records);
    }

    public int cookie() {
        return cookie;
    }

    public List<SchemaEntry> entries() {
        return entries;
    }

    public Collection<TableInfo> tables() {
        return tables.values();
    }

    public TableInfo find(String name) {
        return tables.get(Identifiers.key(name));
    }

    public TableInfo table(String name) {
        TableInfo t = find(name);
        if (t == null) {
            throw new SchemaNotFoundException("no table named " + name);
        }
        return t;
    }

    /** True if any table, index, view or trigger has this name. */
    public boolean nameTaken(String name) {
        String k = Identifiers.key(name);
        return entries.stream().anyMatch(e -> Identifiers.key(e.name()).equals(k));
    }

    /** Root pages of every b-tree in the file (for the integrity check). */
    public int[] allRoots() {
        List<Integer> roots = new ArrayList<>();
        for (SchemaEntry e : entries) {
            if (e.rootPage() > 0) {
                roots.add(e.rootPage());
            }
        }
        return roots.stream().mapToInt(Integer::intValue).toArray();
    }

    public long maxRowid() {
        return entries.stream().mapToLong(SchemaEntry::rowid).max().orElse(0);
    }

    /** A catalog with one more entry, same cookie + 1. */
    public Catalog with(SchemaEntry e, int newCookie) {
        List<SchemaEntry> all = new ArrayList<>(entries);
        all.add(e);
        return build(newCookie, all, tagIndexes, records);
    }

    /** The same catalog with one more tag index. */
    public Catalog withTagIndex(TagIndex ti) {
        List<TagIndex> all = new ArrayList<>(tagIndexes);
        all.add(ti);
        return build(cookie, entries, all, records);
    }

    /** The sqlite_schema row of {@code name}, or null. */
    public SchemaEntry entry(String name) {
        String k = Identifiers.key(name);
        return entries.stream().filter(e -> Identifiers.key(e.name()).equals(k)).findFirst().orElse(null);
    }
}

package io.ancdb.schema;

import io.ancdb.SchemaNotFoundException;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An immutable snapshot of sqlite_schema: the tables and indexes of the file
 * at one schema cookie. Rebuilt whenever the cookie changes.
 *
 * <p>Built from the rows alone: a table's {@link TableInfo} (its columns, its
 * indexes) is assembled when it is first asked for ({@link TableAssembler}),
 * so opening a file costs no work for the tables nobody reads, and the tables
 * ANC-DB made for a record definition come from the definition, not from
 * parsing their text.
 */
public final class Catalog {
    private final int cookie;
    private final List<SchemaEntry> entries;
    private final List<DeclaredSchema> declared;
    private final List<TagIndex> tagIndexes;
    private final List<DefinedRecord> records;
    private final TableAssembler assembler;
    private final Map<String, TagIndex> tagIndexByName = new HashMap<>();     // key of the WITHOUT ROWID table
    private final ConcurrentHashMap<String, Optional<TableInfo>> tables = new ConcurrentHashMap<>();

    private Catalog(int cookie, List<SchemaEntry> entries, List<DeclaredSchema> declared, List<TagIndex> tagIndexes,
                    List<DefinedRecord> records) {
        this.cookie = cookie;
        this.entries = List.copyOf(entries);
        this.declared = List.copyOf(declared);
        this.tagIndexes = List.copyOf(tagIndexes);
        this.records = List.copyOf(records);
        this.assembler = new TableAssembler(this.entries, this.declared);
        for (TagIndex ti : this.tagIndexes) {
            tagIndexByName.putIfAbsent(Identifiers.key(ti.name()), ti);
        }
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
        return new Catalog(cookie, entries, declared, tagIndexes, all);
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
     * from {@code ancdb_schemas} and what they declare (one per definition,
     * in the same order): their tag indexes, and the tables and indexes whose
     * stored text is ANC-DB's own need no parsing.
     */
    public static Catalog build(int cookie, List<SchemaEntry> entries, List<DeclaredSchema> declared,
                                List<DefinedRecord> records) {
        List<TagIndex> tags = new ArrayList<>();
        for (DeclaredSchema d : declared) {
            tags.addAll(d.tagIndexes());
        }
        return new Catalog(cookie, entries, declared, tags, records);
    }

    /**
     * The row of {@link DefinedRecord#TABLE} among {@code entries} when it is a
     * table ANC-DB reads (its definitions are then read from it), else null.
     */
    public static SchemaEntry registry(List<SchemaEntry> entries) {
        return TableAssembler.registry(entries);
    }

    public int cookie() {
        return cookie;
    }

    public List<SchemaEntry> entries() {
        return entries;
    }

    /** Every table ANC-DB can read, in file order (tag indexes' tables are indexes, not tables). */
    public Collection<TableInfo> tables() {
        List<TableInfo> out = new ArrayList<>();
        for (SchemaEntry e : entries) {
            if (e.type().equals("table")) {
                TableInfo t = find(e.name());
                if (t != null) {
                    out.add(t);
                }
            }
        }
        return out;
    }

    public TableInfo find(String name) {
        String key = Identifiers.key(name);
        Optional<TableInfo> t = tables.get(key);
        if (t == null) {
            // Assembling is a pure function of this snapshot: two threads racing
            // here build equal values. Not computeIfAbsent: assembling a tag index's
            // table looks up its owner in the same map.
            t = Optional.ofNullable(assemble(key));
            Optional<TableInfo> raced = tables.putIfAbsent(key, t);
            if (raced != null) {
                t = raced;
            }
        }
        return t.orElse(null);
    }

    /** Table {@code key} with its indexes and tag indexes; null when missing, unreadable or a tag index's table. */
    private TableInfo assemble(String key) {
        TagIndex asIndex = tagIndexByName.get(key);
        if (asIndex != null && find(asIndex.table()) != null) {
            return null;                       // hidden: it is an index of its table
        }
        TableInfo t = assembler.table(key);
        if (t == null) {
            return null;
        }
        for (TagIndex ti : tagIndexes) {
            if (!Identifiers.key(ti.table()).equals(key)) {
                continue;
            }
            SchemaEntry side = assembler.entry(Identifiers.key(ti.name()));
            int pos = t.spec().columnIndex(ti.column());
            if (side == null || !isTable(side) || pos < 0) {
                continue;
            }
            IndexInfo idx = new IndexInfo(new IndexSpec(ti.name(), t.name(), List.of(ti.column()), false),
                    side.rootPage(), new int[] {pos}, true, true);
            t = t.withIndex(idx);
        }
        return t;
    }

    /** Whether {@code e} is the row of a table ANC-DB reads: a tag index's table must be one. */
    private boolean isTable(SchemaEntry e) {
        return e.sql() != null && e.type().equals("table")
                && (e.sql().equals(IndexInfo.multiValuedTableSql(e.name()))
                    || assembler.table(Identifiers.key(e.name())) != null);
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
        return assembler.entry(Identifiers.key(name)) != null;
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
        return new Catalog(newCookie, all, declared, tagIndexes, records);
    }

    /** The same catalog with one more tag index. */
    public Catalog withTagIndex(TagIndex ti) {
        List<TagIndex> all = new ArrayList<>(tagIndexes);
        all.add(ti);
        return new Catalog(cookie, entries, declared, all, records);
    }

    /** The sqlite_schema row of {@code name}, or null. */
    public SchemaEntry entry(String name) {
        return assembler.entry(Identifiers.key(name));
    }
}

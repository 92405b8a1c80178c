package io.ancdb;

import io.ancdb.internal.NativeCursor;
import io.ancdb.internal.NativeDb;
import io.ancdb.record.RecordCodec;
import io.ancdb.schema.Catalog;
import io.ancdb.schema.Column;
import io.ancdb.schema.DefinedRecord;
import io.ancdb.schema.Identifiers;
import io.ancdb.schema.IndexInfo;
import io.ancdb.schema.IndexSpec;
import io.ancdb.schema.SchemaEntry;
import io.ancdb.schema.SqlType;
import io.ancdb.schema.TableInfo;
import io.ancdb.schema.TableSpec;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The write transaction: changes become visible to others, and durable, at
 * {@link #commit()}. Closing without commit rolls back. Every row write keeps
 * the table's indexes in step, in SQLite's own key layout, so the stock
 * {@code sqlite3} shell sees a consistent file.
 */
public final class WriteTx extends ReadTx {
    private static final ThreadLocal<Map<Database, WriteTx>> OPEN = ThreadLocal.withInitial(HashMap::new);

    private static final int SCHEMA_ROOT = 1;
    private static final int META_SCHEMA_VERSION = 1;

    private final Map<Integer, NativeCursor> writeCursors = new HashMap<>();
    private final Deque<Savepoint> savepoints = new ArrayDeque<>();

    private record Savepoint(String name, int level, Catalog catalog) {
    }

    WriteTx(Database db, NativeDb conn, Catalog catalog) {
        super(db, conn, null, catalog, null);
        OPEN.get().put(db, this);
    }

    static WriteTx openOnThisThread(Database db) {
        return OPEN.get().get(db);
    }

    // --- schema ---------------------------------------------------------------------

    /** Creates a table: a new b-tree plus its CREATE TABLE row in sqlite_schema. */
    public TableInfo createTable(TableSpec spec) {
        check();
        requireNewName(spec.name());
        int root = conn.createBtree(false);
        addSchemaEntry("table", spec.name(), spec.name(), root, spec.createSql());
        return catalog.table(spec.name());
    }

    /** Creates an index over existing rows; fails on duplicates for a UNIQUE index. */
    public IndexInfo createIndex(IndexSpec spec) {
        check();
        requireNewName(spec.name());
        TableInfo t = writableTable(spec.table());
        int[] pos = new int[spec.columns().size()];
        for (int i = 0; i < pos.length; i++) {
            pos[i] = t.spec().columnIndex(spec.columns().get(i));
            if (pos[i] < 0) {
                throw new InvalidArgumentException("table " + t.name() + " has no column " + spec.columns().get(i));
            }
        }
        int root = conn.createBtree(true);
        IndexInfo idx = new IndexInfo(spec, root, pos, true);
        NativeCursor icur = cursor(root, idx.keyFields());
        try (NativeCursor tcur = NativeCursor.open(conn, t.root(), false, 0)) {
            for (boolean ok = tcur.first(); ok; ok = tcur.next()) {
                Row row = decodeRow(t, tcur.rowid(), tcur.payload());
                if (spec.unique() && findUnique(idx, row.values()) != Long.MIN_VALUE) {
                    throw new ConstraintViolationException("cannot create unique index " + spec.name()
                            + ": duplicate values in " + spec.columns());
                }
                for (byte[] key : indexKeys(idx, row.rowid(), row.values())) {
                    icur.insertKey(key);
                }
            }
        }
        addSchemaEntry("index", spec.name(), t.name(), root, spec.createSql());
        return catalog.table(t.name()).indexes().stream()
                .filter(i -> i.name().equals(spec.name())).findFirst().orElseThrow();
    }

    /**
     * Registers a record definition: creates its table and indexes (tag
     * indexes as WITHOUT ROWID tables) and records the definition in
     * {@code ancdb_schemas}. Registering the same definition again returns the
     * existing id; a different definition under an existing name is a
     * {@link SchemaMismatchException} naming both.
     *
     * @return the definition's numeric id
     */
    public long defineSchema(io.ancdb.typed.RecordDefinition def) {
        check();
        DefinedRecord existing = catalog.record(def.name());
        if (existing != null) {
            io.ancdb.typed.RecordDefinition old = io.ancdb.typed.DefinitionJson.decode(existing.json());
            if (!old.equals(def)) {
                throw new SchemaMismatchException("schema " + def.name() + " is already defined as "
                        + old.describe() + "; refusing the different definition " + def.describe());
            }
            return existing.id();
        }
        if (catalog.find(def.name()) != null) {
            throw new SchemaMismatchException("a table named " + def.name()
                    + " already exists and was not defined through ANC-DB; refusing " + def.describe());
        }
        if (catalog.find(DefinedRecord.TABLE) == null) {
            createTable(TableSpec.of(DefinedRecord.TABLE, Column.rowid("id"),
                    new Column("name", "TEXT", false, true), new Column("definition", "TEXT", false, true)));
        }
        createTable(def.toTableSpec());
        for (IndexSpec is : def.toIndexSpecs()) {
            if (def.isMultiValued(is.name())) {
                createTagIndex(def.name(), is.name(), is.columns().get(0));
            } else {
                createIndex(is);
            }
        }
        String json = io.ancdb.typed.DefinitionJson.encode(def);
        long id = insert(DefinedRecord.TABLE, null, def.name(), json);
        catalog = catalog.withRecord(new DefinedRecord(id, def.name(), json));
        return id;
    }

    /** A tag index: a WITHOUT ROWID table (value, ref) filled from the existing rows. */
    private void createTagIndex(String table, String name, String column) {
        requireNewName(name);
        TableInfo t = writableTable(table);
        int pos = t.spec().columnIndex(column);
        int root = conn.createBtree(true);
        IndexInfo idx = new IndexInfo(new IndexSpec(name, t.name(), List.of(column), false), root, new int[] {pos}, true, true);
        NativeCursor icur = cursor(root, idx.keyFields());
        try (NativeCursor tcur = NativeCursor.open(conn, t.root(), false, 0)) {
            for (boolean ok = tcur.first(); ok; ok = tcur.next()) {
                Row row = decodeRow(t, tcur.rowid(), tcur.payload());
                for (byte[] key : indexKeys(idx, row.rowid(), row.values())) {
                    icur.insertKey(key);
                }
            }
        }
        addSchemaEntry("table", name, name, root, IndexInfo.multiValuedTableSql(name));
        catalog = catalog.withTagIndex(t.name(), name, column);
    }

    private void requireNewName(String name) {
        if (Identifiers.isReserved(name)) {
            throw new InvalidArgumentException("names beginning with sqlite_ are reserved: " + name);
        }
        if (catalog.nameTaken(name)) {
            throw new ConstraintViolationException("a table or index named " + name + " already exists");
        }
    }

    private void addSchemaEntry(String type, String name, String tblName, int root, String sql) {
        SchemaEntry e = new SchemaEntry(catalog.maxRowid() + 1, type, name, tblName, root, sql);
        cursor(SCHEMA_ROOT, 0).insertRow(e.rowid(), RecordCodec.encode(e.values()));
        int cookie = conn.metaGet(META_SCHEMA_VERSION) + 1;   // tells other connections to re-read the schema
        conn.metaSet(META_SCHEMA_VERSION, cookie);
        catalog = catalog.with(e, cookie);
    }

    // --- rows -----------------------------------------------------------------------

    /**
     * Inserts a row under a new rowid (one past the largest, or the value given
     * for the INTEGER PRIMARY KEY column). Returns the rowid.
     */
    public long insert(String table, Object... values) {
        check();
        TableInfo t = writableTable(table);
        int ipk = t.spec().rowidColumn();
        long rowid;
        if (ipk >= 0 && values != null && values.length > ipk && values[ipk] != null) {
            rowid = asRowid(values[ipk]);
        } else {
            rowid = nextRowid(table);
        }
        insert(table, rowid, values, OnConflict.FAIL);
        return rowid;
    }

    /** One past the largest rowid of {@code table} (1 for an empty table). */
    public long nextRowid(String table) {
        check();
        NativeCursor c = cursor(catalog.table(table).root(), 0);
        long rowid = c.last() ? c.rowid() + 1 : 1;
        if (rowid == Long.MIN_VALUE) {
            throw new AncDbException(ErrorCode.LIMIT_EXCEEDED, "rowid space of " + table + " exhausted");
        }
        return rowid;
    }

    /**
     * Inserts {@code values} (one per column, in table order) under {@code rowid}.
     *
     * @return true if written, false if {@link OnConflict#IGNORE} skipped it
     */
    public boolean insert(String table, long rowid, Object[] values, OnConflict onConflict) {
        check();
        TableInfo t = writableTable(table);
        Object[] v = normalize(t, rowid, values);
        NativeCursor tcur = cursor(t.root(), 0);
        Set<Long> conflicts = null;             // the common case has none: no allocation
        if (tcur.seekRowid(rowid) == 0) {
            conflicts = new LinkedHashSet<>();
            conflicts.add(rowid);
        }
        for (IndexInfo idx : t.indexes()) {
            if (idx.spec().unique()) {
                long other = findUnique(idx, v);
                if (other != Long.MIN_VALUE && other != rowid) {
                    if (conflicts == null) {
                        conflicts = new LinkedHashSet<>();
                    }
                    conflicts.add(other);
                }
            }
        }
        if (conflicts != null) {
            switch (onConflict) {
                case FAIL -> throw new ConstraintViolationException(conflicts.contains(rowid)
                        ? "rowid " + rowid + " already exists in " + t.name()
                        : "unique index of " + t.name() + " already holds these values (rowid " + conflicts.iterator().next() + ")");
                case IGNORE -> {
                    return false;
                }
                case REPLACE -> {
                    for (long r : conflicts) {
                        delete(t.name(), r);
                    }
                }
            }
        }
        tcur.insertRow(rowid, RecordCodec.encode(storedValues(t, v)));
        for (IndexInfo idx : t.indexes()) {
            NativeCursor icur = cursor(idx.root(), idx.keyFields());
            for (byte[] key : indexKeys(idx, rowid, v)) {
                icur.insertKey(key);
            }
        }
        return true;
    }

    /**
     * Replaces the values of the existing row {@code rowid}, keeping its rowid:
     * only index entries whose keys change are touched. Unique indexes are
     * checked against other rows first (nothing changes on a violation).
     *
     * @return false if there is no such row
     */
    public boolean update(String table, long rowid, Object[] values) {
        check();
        TableInfo t = writableTable(table);
        Object[] v = normalize(t, rowid, values);
        NativeCursor tcur = cursor(t.root(), 0);
        if (tcur.seekRowid(rowid) != 0) {
            return false;
        }
        Row old = decodeRow(t, rowid, tcur.payload());
        for (IndexInfo idx : t.indexes()) {
            if (idx.spec().unique()) {
                long other = findUnique(idx, v);
                if (other != Long.MIN_VALUE && other != rowid) {
                    throw new ConstraintViolationException("unique index " + idx.name() + " of " + t.name()
                            + " already holds these values (rowid " + other + ")");
                }
            }
        }
        for (IndexInfo idx : t.indexes()) {
            Set<java.nio.ByteBuffer> before = keySet(indexKeys(idx, rowid, old.values()));
            Set<java.nio.ByteBuffer> after = keySet(indexKeys(idx, rowid, v));
            if (before.equals(after)) {
                continue;
            }
            NativeCursor icur = cursor(idx.root(), idx.keyFields());
            for (java.nio.ByteBuffer k : before) {
                if (!after.contains(k)) {
                    deleteKey(icur, idx, rowid, k.array());
                }
            }
            for (java.nio.ByteBuffer k : after) {
                if (!before.contains(k)) {
                    icur.insertKey(k.array());
                }
            }
        }
        tcur.insertRow(rowid, RecordCodec.encode(storedValues(t, v)));
        return true;
    }

    private static Set<java.nio.ByteBuffer> keySet(List<byte[]> keys) {
        Set<java.nio.ByteBuffer> s = new java.util.HashSet<>();
        for (byte[] k : keys) {
            s.add(java.nio.ByteBuffer.wrap(k));
        }
        return s;
    }

    private static void deleteKey(NativeCursor icur, IndexInfo idx, long rowid, byte[] key) {
        if (icur.seekKey(key, 0) == 0) {
            icur.delete();
        } else {
            throw new CorruptionException(11, "index " + idx.name() + " lacks an entry of rowid " + rowid + CorruptionException.rootedAt(idx.root()), idx.root());
        }
    }

    /** Replaces the row with this rowid, or inserts it. */
    public void put(String table, long rowid, Object... values) {
        insert(table, rowid, values, OnConflict.REPLACE);
    }

    /** Deletes the row with this rowid and its index entries; false if absent. */
    public boolean delete(String table, long rowid) {
        check();
        TableInfo t = writableTable(table);
        NativeCursor tcur = cursor(t.root(), 0);
        if (tcur.seekRowid(rowid) != 0) {
            return false;
        }
        Row old = decodeRow(t, rowid, tcur.payload());
        for (IndexInfo idx : t.indexes()) {
            NativeCursor icur = cursor(idx.root(), idx.keyFields());
            for (byte[] key : indexKeys(idx, rowid, old.values())) {
                deleteKey(icur, idx, rowid, key);
            }
        }
        if (tcur.seekRowid(rowid) != 0) {
            throw new CorruptionException(11, "row " + rowid + " vanished during delete" + CorruptionException.rootedAt(t.root()), t.root());
        }
        tcur.delete();
        return true;
    }

    // --- savepoints -----------------------------------------------------------------

    /** Opens a named savepoint (nested inside any open ones). */
    public void savepoint(String name) {
        check();
        int level = conn.savepointBegin();
        savepoints.push(new Savepoint(name, level, catalog));
    }

    /** Undoes every change since savepoint {@code name}; it stays open, inner ones end. */
    public void rollbackTo(String name) {
        check();
        Savepoint sp = findSavepoint(name);
        closeWriteCursors();
        closeCursors();
        conn.savepointRollback(sp.level());
        while (savepoints.peek() != sp) {
            savepoints.pop();
        }
        catalog = sp.catalog();
    }

    /** Keeps the changes since savepoint {@code name} and ends it and every inner one. */
    public void release(String name) {
        check();
        Savepoint sp = findSavepoint(name);
        conn.savepointRelease(sp.level());
        while (savepoints.pop() != sp) {
            // drop inner savepoints
        }
    }

    private Savepoint findSavepoint(String name) {
        for (Savepoint sp : savepoints) {
            if (sp.name().equals(name)) {
                return sp;
            }
        }
        throw new InvalidArgumentException("no open savepoint named " + name);
    }

    // --- end of life ------------------------------------------------------------------

    /** Makes every change durable and visible. */
    public void commit() {
        check();
        closeWriteCursors();
        closeCursors();
        conn.commit();     // on failure the transaction stays open: retry or roll back
        state = State.COMMITTED;
        db.publishCatalog(catalog);
        end();
    }

    /** Discards every change. */
    public void rollback() {
        check();
        closeWriteCursors();
        closeCursors();
        try {
            conn.rollback();
        } finally {
            state = State.ROLLED_BACK;
            end();
        }
    }

    /** Rolls back unless committed. */
    @Override
    public void close() {
        if (state == State.OPEN) {
            rollback();
        }
    }

    private void end() {
        savepoints.clear();
        OPEN.get().remove(db);
        db.endWrite();
    }

    // --- helpers ----------------------------------------------------------------------

    private TableInfo writableTable(String name) {
        TableInfo t = catalog.table(name);
        if (!t.writable()) {
            throw new InvalidArgumentException("table " + name
                    + " has an index or layout ANC-DB cannot maintain (WITHOUT ROWID, expression, partial or collated index)");
        }
        return t;
    }

    /** A write cursor on {@code root}, reused for the rest of the transaction. */
    private NativeCursor cursor(int root, int nKeyFields) {
        NativeCursor c = writeCursors.get(root);
        if (c == null) {
            c = NativeCursor.open(conn, root, true, nKeyFields);
            writeCursors.put(root, c);
        }
        return c;
    }

    private void closeWriteCursors() {
        for (Iterator<NativeCursor> it = writeCursors.values().iterator(); it.hasNext(); ) {
            it.next().close();
            it.remove();
        }
    }

    private static long asRowid(Object v) {
        if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte) {
            return ((Number) v).longValue();
        }
        throw new InvalidArgumentException("INTEGER PRIMARY KEY value must be an integer, got " + v.getClass().getSimpleName());
    }

    /** Checks arity and applies column affinity as SQLite would on insert. */
    private static Object[] normalize(TableInfo t, long rowid, Object[] values) {
        List<Column> cols = t.spec().columns();
        if (values == null || values.length != cols.size()) {
            throw new InvalidArgumentException("table " + t.name() + " has " + cols.size() + " columns, got "
                    + (values == null ? 0 : values.length) + " values");
        }
        Object[] v = values.clone();
        for (int i = 0; i < v.length; i++) {
            Column c = cols.get(i);
            Object x = v[i];
            if (c.rowidAlias()) {
                if (x != null && asRowid(x) != rowid) {
                    throw new InvalidArgumentException("INTEGER PRIMARY KEY value " + x + " differs from rowid " + rowid);
                }
                v[i] = rowid;
                continue;
            }
            if (x instanceof Boolean b) {
                x = b ? 1L : 0L;
            } else if (x instanceof Integer || x instanceof Short || x instanceof Byte) {
                x = ((Number) x).longValue();
            } else if (x instanceof Float f) {
                x = f.doubleValue();
            }
            if (x instanceof Double d && d.isNaN()) {
                x = null;                            // SQLite stores NaN as NULL
            }
            SqlType aff = c.affinity();
            // SQLite would convert text <-> numbers by column affinity; we refuse instead, so
            // what we store (and index) is exactly what SQLite would have stored.
            if (x instanceof String && (aff == SqlType.INTEGER || aff == SqlType.REAL || aff == SqlType.NUMERIC)) {
                throw new InvalidArgumentException("column " + t.name() + "." + c.name() + " (" + c.declType()
                        + ") takes numbers, not text");
            }
            if ((x instanceof Long || x instanceof Double) && aff == SqlType.TEXT) {
                throw new InvalidArgumentException("column " + t.name() + "." + c.name() + " (" + c.declType()
                        + ") takes text, not numbers");
            }
            if (x instanceof Double d && (aff == SqlType.INTEGER || aff == SqlType.NUMERIC)
                    && d == Math.rint(d) && Math.abs(d) < 9.2e18) {
                x = d.longValue();
            } else if (x instanceof Long l && aff == SqlType.REAL) {
                x = l.doubleValue();
            }
            if (x == null && c.notNull()) {
                throw new ConstraintViolationException("column " + t.name() + "." + c.name() + " is NOT NULL");
            }
            if (x != null && !(x instanceof Long || x instanceof Double || x instanceof String || x instanceof byte[])) {
                throw new InvalidArgumentException("column " + c.name() + " cannot hold a " + x.getClass().getName());
            }
            v[i] = x;
        }
        return v;
    }

    /** The record as SQLite stores it: NULL in place of the INTEGER PRIMARY KEY. */
    private static Object[] storedValues(TableInfo t, Object[] v) {
        int ipk = t.spec().rowidColumn();
        if (ipk < 0) {
            return v;
        }
        Object[] s = v.clone();
        s[ipk] = null;
        return s;
    }

    /**
     * The keys row {@code v} puts in index {@code idx}: one key (indexed
     * values, then the rowid) for a plain index; one (element, rowid) per
     * distinct element of the JSON string array for a tag index.
     */
    static List<byte[]> indexKeys(IndexInfo idx, long rowid, Object[] v) {
        if (!idx.multiValued()) {
            return List.of(indexKey(idx, rowid, v));
        }
        Object tags = v[idx.columnPositions()[0]];
        if (tags == null) {
            return List.of();
        }
        if (!(tags instanceof String json)) {
            throw new InvalidArgumentException("tag column of index " + idx.name() + " must hold a JSON array of strings");
        }
        List<String> list;
        try {
            list = io.ancdb.typed.StringListJson.parse(json);
        } catch (RuntimeException e) {
            throw new InvalidArgumentException("tag column of index " + idx.name() + " is not a JSON array of strings");
        }
        List<byte[]> keys = new ArrayList<>();
        for (String tag : new LinkedHashSet<>(list)) {
            keys.add(RecordCodec.encode(tag, rowid));
        }
        return keys;
    }

    /** SQLite's index key: the indexed column values, then the rowid. */
    static byte[] indexKey(IndexInfo idx, long rowid, Object[] v) {
        int[] pos = idx.columnPositions();
        Object[] key = new Object[pos.length + 1];
        for (int i = 0; i < pos.length; i++) {
            key[i] = v[pos[i]];
        }
        key[pos.length] = rowid;
        return RecordCodec.encode(key);
    }

    /**
     * The rowid of a row whose unique-index values equal those of {@code v},
     * or {@link Long#MIN_VALUE}. NULLs never conflict, as in SQLite.
     */
    private long findUnique(IndexInfo idx, Object[] v) {
        int[] pos = idx.columnPositions();
        Object[] prefix = new Object[pos.length];
        for (int i = 0; i < pos.length; i++) {
            prefix[i] = v[pos[i]];
            if (prefix[i] == null) {
                return Long.MIN_VALUE;
            }
        }
        NativeCursor icur = cursor(idx.root(), idx.keyFields());
        int res = icur.seekKey(RecordCodec.encode(prefix), 1);   // lands just before equal prefixes
        if (res == Integer.MIN_VALUE || (res < 0 && !icur.next())) {
            return Long.MIN_VALUE;
        }
        Object[] key;
        try {
            key = RecordCodec.decode(icur.payload());
        } catch (CorruptionException e) {
            throw e.locatedIn("an entry of index " + idx.name(), idx.root());
        }
        if (key.length != idx.keyFields() || !(key[key.length - 1] instanceof Long rowid)) {
            throw new CorruptionException(11, "an entry of index " + idx.name() + " has " + key.length
                    + " fields or no rowid" + CorruptionException.rootedAt(idx.root()), idx.root());
        }
        for (int i = 0; i < prefix.length; i++) {
            if (!sameValue(prefix[i], key[i])) {
                return Long.MIN_VALUE;
            }
        }
        return rowid;
    }

    private static boolean sameValue(Object a, Object b) {
        // exactly as the index compares: 2^53+1 and 2^53 (as a real) differ, 0 and -0.0 agree
        return a != null && b != null && io.ancdb.record.ValueOrder.INSTANCE.compare(a, b) == 0;
    }

    List<String> savepointNames() {
        List<String> names = new ArrayList<>();
        savepoints.descendingIterator().forEachRemaining(s -> names.add(s.name()));
        return names;
    }
}

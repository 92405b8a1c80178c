package io.ancdb.store;

import io.ancdb.InvalidArgumentException;
import io.ancdb.KeyRange;
import io.ancdb.record.ValueOrder;
import io.ancdb.typed.FieldDef;
import io.ancdb.typed.FieldType;
import io.ancdb.typed.RecordCursor;
import io.ancdb.typed.RecordDefinition;
import io.ancdb.typed.RecordTable;
import io.ancdb.typed.ValueCodec;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.PriorityQueue;
import java.util.TreeSet;

/**
 * A range scan over several databases of a store, merged as it streams: one
 * cursor per file, a heap of their current rows, the smallest (largest, when
 * descending) by the scanned index first, ties by database name. The index's
 * values compare exactly as each file's scan walks them (SQLite's order, nil
 * first; {@code u64} fields unsigned: see {@link ValueOrder#compare(Object,
 * Object, boolean)}), so the merge of sorted streams is sorted. Within one
 * file rows keep that file's own order, so equal index values come in key
 * order. Holds one row per file and every file's read transaction (with its
 * snapshot) until the file's rows run out, the limit is reached, or it is
 * closed. Confined to the thread that opened it.
 */
public final class MergedScan implements Iterator<FileRecord>, AutoCloseable {
    private static final ValueOrder ORDER = ValueOrder.INSTANCE;

    /** One file's cursor and its current row. */
    private static final class Source {
        final FileRead read;
        final RecordCursor<Map<String, Object>> cursor;
        Map<String, Object> row;
        Object[] key;

        Source(FileRead read, RecordCursor<Map<String, Object>> cursor) {
            this.read = read;
            this.cursor = cursor;
        }
    }

    private final List<Source> sources = new ArrayList<>();
    private final PriorityQueue<Source> heads;
    private final long limit;
    private long produced;
    private boolean closed;
    private List<FieldDef> keyFields;       // the scanned index's fields, in index order
    private boolean[] unsigned;             // per key field: a u64, ordered unsigned
    private RecordDefinition keyDefinition; // the definition keyFields belong to

    private MergedScan(boolean descending, long limit) {
        Comparator<Source> byKey = (a, b) -> compareKeys(a.key, b.key);
        Comparator<Source> order = (descending ? byKey.reversed() : byKey)
                .thenComparing(s -> s.read.name());
        this.heads = new PriorityQueue<>(order);
        this.limit = limit;
    }

    static MergedScan open(Store store, List<String> names, String schema, KeyRange range, boolean skipMissing) {
        if (schema == null || range == null) {
            throw new InvalidArgumentException("a scan needs a schema and a range");
        }
        MergedScan scan = new MergedScan(range.descending(), range.limit());
        try {
            for (String name : new TreeSet<>(names)) {
                scan.add(store, name, schema, range, skipMissing);
            }
        } catch (RuntimeException | Error e) {
            scan.close();
            throw e;
        }
        return scan;
    }

    private void add(Store store, String name, String schema, KeyRange range, boolean skipMissing) {
        FileRead read;
        try {
            read = store.beginRead(name);
        } catch (DatabaseNotFoundException e) {
            if (skipMissing) {
                return;                       // dropped since it was listed
            }
            throw e;
        }
        try {
            if (read.tx().catalog().record(schema) == null) {
                read.close();                 // never written since the schema was defined: no rows
                return;
            }
            RecordTable table = read.records(schema);
            if (keyDefinition == null) {
                keyFields = keyFields(table.definition(), table.rangeFields(read.tx(), range.on()));
                unsigned = new boolean[keyFields.size()];
                for (int i = 0; i < unsigned.length; i++) {
                    unsigned[i] = keyFields.get(i).type() == FieldType.U64;
                }
                keyDefinition = table.definition();
            } else if (!keyDefinition.equals(table.definition())) {
                throw new InvalidArgumentException("schema " + schema + " of database " + StoreNames.quoted(name)
                        + " differs from the other files' (" + table.definition().describe() + ")");
            }
            Source s = new Source(read, table.scan(read.tx(), range));
            sources.add(s);
            advance(s);
        } catch (RuntimeException | Error e) {
            read.close();
            throw e;
        }
    }

    /** Moves {@code s} to its next row and back into the heap, or ends it (returning its file). */
    private void advance(Source s) {
        if (s.cursor.hasNext()) {
            s.row = s.cursor.next();
            s.key = key(s.row);
            heads.add(s);
        } else {
            s.row = null;
            s.cursor.close();
            s.read.close();
        }
    }

    /** The scanned schema's definition, the same in every file; null when no file holds the schema. */
    public RecordDefinition definition() {
        return keyDefinition;
    }

    @Override
    public boolean hasNext() {
        if (closed) {
            return false;
        }
        if (heads.isEmpty() || (limit > 0 && produced >= limit)) {
            close();
            return false;
        }
        return true;
    }

    @Override
    public FileRecord next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        Source s = heads.poll();
        FileRecord r = new FileRecord(s.read.name(), s.row);
        produced++;
        advance(s);
        return r;
    }

    /** Ends every file's read transaction. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        heads.clear();
        RuntimeException first = null;
        for (Source s : sources) {
            try {
                s.read.close();
            } catch (RuntimeException e) {
                first = first == null ? e : first;
            }
        }
        if (first != null) {
            throw first;
        }
    }

    // --- the merge key ----------------------------------------------------------------------

    /**
     * The fields of the index a scan walks ({@link RecordTable#rangeFields}:
     * the same choice each file's scan makes). A tag index is refused: its
     * order is by one tag of a list, which the record alone does not tell.
     */
    static List<FieldDef> keyFields(RecordDefinition def, List<FieldDef> indexFields) {
        for (FieldDef f : indexFields) {
            if (def.fields().get(def.fieldIndex(f.name())).type() == FieldType.STRLIST) {
                throw new InvalidArgumentException("a scan across databases cannot merge by the tag index on "
                        + def.name() + "." + f.name());
            }
        }
        return indexFields;
    }

    /** The stored values of the scanned index's fields: what the index itself orders by. */
    private Object[] key(Map<String, Object> row) {
        Object[] k = new Object[keyFields.size()];
        for (int i = 0; i < k.length; i++) {
            FieldDef f = keyFields.get(i);
            k[i] = ValueCodec.toStored(f, row.get(f.name()));
        }
        return k;
    }

    private int compareKeys(Object[] a, Object[] b) {
        for (int i = 0; i < a.length; i++) {
            int c = ORDER.compare(a[i], b[i], unsigned[i]);
            if (c != 0) {
                return c;
            }
        }
        return 0;
    }
}

package io.ancdb;

import io.ancdb.internal.NativeCursor;
import io.ancdb.internal.NativeDb;
import io.ancdb.record.RecordCodec;
import io.ancdb.record.StringListJson;
import io.ancdb.record.ValueOrder;
import io.ancdb.schema.IndexInfo;
import io.ancdb.schema.TableInfo;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Keeps a table's indexes in step with its rows, in SQLite's own key layout,
 * for one write transaction: the entries a row puts in each index, the
 * unique-index lookups that find conflicts, and the write cursors (one per
 * b-tree, reused until the transaction or a savepoint rollback closes them).
 */
final class IndexUpkeep {
    private final NativeDb conn;
    private final Map<Integer, NativeCursor> cursors = new HashMap<>();

    IndexUpkeep(NativeDb conn) {
        this.conn = conn;
    }

    /** A write cursor on {@code root}, reused for the rest of the transaction. */
    NativeCursor cursor(int root, int nKeyFields) {
        NativeCursor c = cursors.get(root);
        if (c == null) {
            c = NativeCursor.open(conn, root, true, nKeyFields);
            cursors.put(root, c);
        }
        return c;
    }

    /** Closes every cursor (before commit, rollback or a rollback to a savepoint, which end them natively). */
    void closeCursors() {
        for (Iterator<NativeCursor> it = cursors.values().iterator(); it.hasNext(); ) {
            it.next().close();
            it.remove();
        }
    }

    // --- whole rows ---------------------------------------------------------------------

    /** Adds the entries of row {@code v} to every index of {@code t}. */
    void insertEntries(TableInfo t, long rowid, Object[] v) {
        for (IndexInfo idx : t.indexes()) {
            NativeCursor icur = cursor(idx.root(), idx.keyFields());
            for (byte[] key : keys(idx, rowid, v)) {
                icur.insertKey(key);
            }
        }
    }

    /** Removes the entries of row {@code old} from every index of {@code t}. */
    void deleteEntries(TableInfo t, long rowid, Object[] old) {
        for (IndexInfo idx : t.indexes()) {
            NativeCursor icur = cursor(idx.root(), idx.keyFields());
            for (byte[] key : keys(idx, rowid, old)) {
                deleteKey(icur, idx, rowid, key);
            }
        }
    }

    /** Moves row {@code rowid} from values {@code old} to {@code v}: only entries whose keys change are touched. */
    void updateEntries(TableInfo t, long rowid, Object[] old, Object[] v) {
        for (IndexInfo idx : t.indexes()) {
            Set<ByteBuffer> before = keySet(keys(idx, rowid, old));
            Set<ByteBuffer> after = keySet(keys(idx, rowid, v));
            if (before.equals(after)) {
                continue;
            }
            NativeCursor icur = cursor(idx.root(), idx.keyFields());
            for (ByteBuffer k : before) {
                if (!after.contains(k)) {
                    deleteKey(icur, idx, rowid, k.array());
                }
            }
            for (ByteBuffer k : after) {
                if (!before.contains(k)) {
                    icur.insertKey(k.array());
                }
            }
        }
    }

    /**
     * Fills the new, empty index {@code idx} from the rows of {@code t}; for a
     * UNIQUE index, fails on the first duplicate.
     */
    void fill(TableInfo t, IndexInfo idx) {
        NativeCursor icur = cursor(idx.root(), idx.keyFields());
        try (NativeCursor tcur = NativeCursor.open(conn, t.root(), false, 0)) {
            for (boolean ok = tcur.first(); ok; ok = tcur.next()) {
                Row row = ReadTx.decodeRow(t, tcur.rowid(), tcur.payload());
                if (idx.spec().unique() && findUnique(idx, row.values()).isPresent()) {
                    throw new ConstraintViolationException("cannot create unique index " + idx.name()
                            + ": duplicate values in " + idx.spec().columns());
                }
                for (byte[] key : keys(idx, row.rowid(), row.values())) {
                    icur.insertKey(key);
                }
            }
        }
    }

    // --- unique indexes -----------------------------------------------------------------

    /** Another row ({@code rowid}) holding the values of a row being written in unique index {@code index}. */
    record UniqueConflict(IndexInfo index, long rowid) {
    }

    /**
     * The rows other than {@code rowid} that hold the values of {@code v} in a
     * unique index of {@code t}, one per such index, in index order; empty
     * (and not allocated) when there are none, the common case.
     */
    List<UniqueConflict> uniqueConflicts(TableInfo t, long rowid, Object[] v) {
        List<UniqueConflict> out = List.of();
        for (IndexInfo idx : t.indexes()) {
            if (!idx.spec().unique()) {
                continue;
            }
            OptionalLong other = findUnique(idx, v);
            if (other.isPresent() && other.getAsLong() != rowid) {
                if (out.isEmpty()) {
                    out = new ArrayList<>();
                }
                out.add(new UniqueConflict(idx, other.getAsLong()));
            }
        }
        return out;
    }

    /**
     * The rowid of a row whose values in unique index {@code idx} equal those
     * of {@code v}; empty when there is none. NULLs never conflict, as in SQLite.
     */
    private OptionalLong findUnique(IndexInfo idx, Object[] v) {
        int[] pos = idx.columnPositions();
        Object[] prefix = new Object[pos.length];
        for (int i = 0; i < pos.length; i++) {
            prefix[i] = v[pos[i]];
            if (prefix[i] == null) {
                return OptionalLong.empty();
            }
        }
        NativeCursor icur = cursor(idx.root(), idx.keyFields());
        int res = icur.seekKey(RecordCodec.encode(prefix), 1);   // lands just before equal prefixes
        if (res == Integer.MIN_VALUE || (res < 0 && !icur.next())) {
            return OptionalLong.empty();
        }
        Object[] key;
        try {
            key = RecordCodec.decode(icur.payload());
        } catch (CorruptionException e) {
            throw e.locatedIn("an entry of index " + idx.name(), idx.root());
        }
        if (key.length != idx.keyFields() || !(key[key.length - 1] instanceof Long rowid)) {
            throw CorruptionException.found("an entry of index " + idx.name() + " has " + key.length
                    + " fields or no rowid", idx.root());
        }
        for (int i = 0; i < prefix.length; i++) {
            // exactly as the index compares: 2^53+1 and 2^53 (as a real) differ, 0 and -0.0 agree
            if (key[i] == null || ValueOrder.INSTANCE.compare(prefix[i], key[i]) != 0) {
                return OptionalLong.empty();
            }
        }
        return OptionalLong.of(rowid);
    }

    // --- keys ---------------------------------------------------------------------------

    /**
     * The keys row {@code v} puts in index {@code idx}: one key (indexed
     * values, then the rowid) for a plain index; one (element, rowid) per
     * distinct element of the JSON string array for a tag index.
     */
    static List<byte[]> keys(IndexInfo idx, long rowid, Object[] v) {
        if (!idx.multiValued()) {
            return List.of(key(idx, rowid, v));
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
            list = StringListJson.parse(json);
        } catch (InvalidArgumentException e) {
            throw new InvalidArgumentException("tag column of index " + idx.name() + " is not a JSON array of strings");
        }
        List<byte[]> keys = new ArrayList<>();
        for (String tag : new LinkedHashSet<>(list)) {
            keys.add(RecordCodec.encode(tag, rowid));
        }
        return keys;
    }

    /** SQLite's index key: the indexed column values, then the rowid. */
    private static byte[] key(IndexInfo idx, long rowid, Object[] v) {
        int[] pos = idx.columnPositions();
        Object[] key = new Object[pos.length + 1];
        for (int i = 0; i < pos.length; i++) {
            key[i] = v[pos[i]];
        }
        key[pos.length] = rowid;
        return RecordCodec.encode(key);
    }

    private static Set<ByteBuffer> keySet(List<byte[]> keys) {
        Set<ByteBuffer> s = new HashSet<>();
        for (byte[] k : keys) {
            s.add(ByteBuffer.wrap(k));
        }
        return s;
    }

    private static void deleteKey(NativeCursor icur, IndexInfo idx, long rowid, byte[] key) {
        if (icur.seekKey(key, 0) == 0) {
            icur.delete();
        } else {
            throw CorruptionException.found("index " + idx.name() + " lacks an entry of rowid " + rowid, idx.root());
        }
    }
}

package io.ancdb.typed;

import io.ancdb.KeyNotFoundException;
import io.ancdb.KeyRange;
import io.ancdb.OnConflict;
import io.ancdb.ReadTx;
import io.ancdb.WriteTx;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The records of one Java record type, e.g. {@code TypedTable<AgentMemory>}.
 * Obtained from {@code Database.register(AgentMemory.class)}.
 */
public final class TypedTable<T extends Record> {
    private final RecordTable table;
    private final RecordMapper<T> mapper;

    public TypedTable(RecordTable table, RecordMapper<T> mapper) {
        this.table = table;
        this.mapper = mapper;
    }

    /** The untyped view of the same records. */
    public RecordTable records() {
        return table;
    }

    public RecordDefinition definition() {
        return table.definition();
    }

    /** Inserts {@code record} (FAIL on an existing key); returns its key. */
    public Object insert(WriteTx tx, T record) {
        return insert(tx, record, OnConflict.FAIL);
    }

    public Object insert(WriteTx tx, T record, OnConflict onConflict) {
        return table.insertStored(tx, mapper.toValues(record), onConflict);
    }

    /** Inserts every record in key order; returns the keys in the order given. */
    public List<Object> insertBatch(WriteTx tx, List<T> records, OnConflict onConflict) {
        List<Object[]> stored = new ArrayList<>(records.size());
        for (T r : records) {
            stored.add(mapper.toValues(r));
        }
        return table.insertStoredBatch(tx, stored, onConflict);
    }

    /** The record with this key, or null. */
    public T get(ReadTx tx, Object key) {
        Object[] v = table.getStored(tx, key);
        return v == null ? null : mapper.fromValues(v);
    }

    /**
     * Changes only the named fields; returns the updated record.
     *
     * @throws KeyNotFoundException when there is no such record
     */
    public T update(WriteTx tx, Object key, Map<String, ?> delta) {
        table.update(tx, key, delta);
        return get(tx, key);
    }

    public boolean delete(WriteTx tx, Object key) {
        return table.delete(tx, key);
    }

    public long count(ReadTx tx) {
        return table.count(tx);
    }

    /** Streams the records of {@code range}. */
    public RecordCursor<T> scan(ReadTx tx, KeyRange range) {
        return new RecordCursor<>(table.scanRows(tx, range), r -> mapper.fromValues(r.values()));
    }
}

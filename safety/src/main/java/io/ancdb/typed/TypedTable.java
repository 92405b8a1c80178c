package io.ancdb.typed;

import io.ancdb.InvalidArgumentException;
import io.ancdb.KeyNotFoundException;
import io.ancdb.KeyRange;
import io.ancdb.OnConflict;
import io.ancdb.ReadTx;
import io.ancdb.WriteTx;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The records of one Java record type with keys of type {@code K}, e.g.
 * {@code TypedTable<AgentMemory, Long>}. Obtained from
 * {@code Definitions.of(db).register(AgentMemory.class, Long.class)}.
 *
 * @param <T> the record type
 * @param <K> the key's API type: Long for an integer key (the implicit {@code id}
 *            too), String, byte[], Double or Boolean (see {@link FieldType#apiClass()})
 */
public final class TypedTable<T extends Record, K> {
    private final RecordTable table;
    private final RecordMapper<T> mapper;
    private final Class<K> keyType;

    /**
     * The records of {@code table} as {@code mapper}'s record type.
     *
     * @throws InvalidArgumentException when {@code keyType} is not the API type of the table's key
     */
    public TypedTable(RecordTable table, RecordMapper<T> mapper, Class<K> keyType) {
        FieldType kt = table.definition().primaryKey().type();
        if (keyType != kt.apiClass()) {
            throw new InvalidArgumentException("the key of " + table.name() + " is a " + kt.wireName()
                    + ", typed " + kt.apiClass().getSimpleName() + ", not " + keyType.getSimpleName());
        }
        this.table = table;
        this.mapper = mapper;
        this.keyType = keyType;
    }

    /** The untyped view of the same records. */
    public RecordTable records() {
        return table;
    }

    public RecordDefinition definition() {
        return table.definition();
    }

    /** Inserts {@code record} (failing on an existing key); returns its key, given or generated. */
    public K insert(WriteTx tx, T record) {
        return insert(tx, record, OnConflict.FAIL).key();
    }

    /** Inserts {@code record}; says what was done (see {@link RecordTable#insert}). */
    public Inserted<K> insert(WriteTx tx, T record, OnConflict onConflict) {
        return typed(table.insertStored(tx, mapper.toValues(record), onConflict));
    }

    /** Inserts every record in key order; says what was done to each, in the order given. */
    public List<Inserted<K>> insertBatch(WriteTx tx, List<T> records, OnConflict onConflict) {
        List<Object[]> stored = new ArrayList<>(records.size());
        for (T r : records) {
            stored.add(mapper.toValues(r));
        }
        List<Inserted<K>> out = new ArrayList<>(records.size());
        for (Inserted<Object> r : table.insertStoredBatch(tx, stored, onConflict)) {
            out.add(typed(r));
        }
        return out;
    }

    private Inserted<K> typed(Inserted<Object> r) {
        return new Inserted<>(keyType.cast(r.key()), r.written());
    }

    /** The record with this key, or null. */
    public T get(ReadTx tx, K key) {
        Object[] v = table.getStored(tx, key);
        return v == null ? null : mapper.fromValues(v);
    }

    /**
     * Changes only the named fields; returns the updated record.
     *
     * @throws KeyNotFoundException when there is no such record
     */
    public T update(WriteTx tx, K key, Map<String, ?> delta) {
        table.update(tx, key, delta);
        return get(tx, key);
    }

    public boolean delete(WriteTx tx, K key) {
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

package io.ancdb.typed;

import io.ancdb.Database;
import io.ancdb.ReadTx;
import io.ancdb.SchemaMismatchException;
import io.ancdb.SchemaNotFoundException;
import io.ancdb.WriteTx;
import io.ancdb.schema.Catalog;
import io.ancdb.schema.DefinedRecord;
import io.ancdb.schema.IndexSpec;
import io.ancdb.schema.TagIndex;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The record definitions of one open {@link Database} and the generator of
 * their keys: the one owner of both. Obtain it with {@link #of(Database)}.
 *
 * <pre>{@code
 * TypedTable<AgentMemory, Long> memory = Definitions.of(db).register(AgentMemory.class, Long.class);
 * RecordTable cache = Definitions.of(db).table("Cache");
 * }</pre>
 *
 * <p>A definition is kept as JSON ({@link DefinitionJson}) in the table
 * {@code ancdb_schemas(id, name, definition)}; its rowid is the numeric id the
 * protocol uses. A definition never changes once committed (a different one
 * under the same name is refused) and is never dropped.
 */
public final class Definitions {
    private final Database db;
    private final Snowflake ids;
    /** Decoded tables by their row: a rolled-back definition's id may come back with other text. */
    private final Map<DefinedRecord, RecordTable> tables = new ConcurrentHashMap<>();

    private Definitions(Database db, Snowflake ids) {
        this.db = db;
        this.ids = ids;
    }

    /**
     * The definitions of {@code db}: one instance per open database, so one
     * key generator (machine id from {@code -Dancdb.machine.id}, default 0).
     */
    public static Definitions of(Database db) {
        return db.extension(Definitions.class,
                d -> new Definitions(d, new Snowflake(Integer.getInteger("ancdb.machine.id", 0))));
    }

    /** Definitions whose generated keys come from {@code ids} (tests: a fixed clock or machine id). */
    static Definitions withGenerator(Database db, Snowflake ids) {
        return new Definitions(db, ids);
    }

    // --- defining ---------------------------------------------------------------------

    /**
     * Registers the definition of Java record type {@code type} (see its
     * annotations) whose key is typed {@code keyType}: Long for an integer key
     * (and the implicit {@code id}), String, byte[], Double or Boolean.
     *
     * @throws io.ancdb.InvalidArgumentException when {@code keyType} is not the key's type
     */
    public <T extends Record, K> TypedTable<T, K> register(Class<T> type, Class<K> keyType) {
        RecordMapper<T> mapper = RecordMapper.of(type);
        return new TypedTable<>(define(mapper.definition()), mapper, keyType);
    }

    /**
     * Registers {@code def} in a write transaction of its own (creating its
     * table and indexes on first use) and returns its records. The same
     * definition again is a no-op; a different one under the same name is a
     * {@link SchemaMismatchException} naming both.
     */
    public RecordTable define(RecordDefinition def) {
        return db.writeTx(tx -> define(tx, def));
    }

    /**
     * As {@link #define(RecordDefinition)}, in {@code tx}: creates the table,
     * its indexes (tag indexes as WITHOUT ROWID tables) and the row in
     * {@code ancdb_schemas}; gone again if {@code tx} rolls back.
     */
    public RecordTable define(WriteTx tx, RecordDefinition def) {
        Catalog c = tx.catalog();
        DefinedRecord existing = c.record(def.name());
        if (existing != null) {
            RecordTable old = table(existing);
            if (!old.definition().equals(def)) {
                throw new SchemaMismatchException("schema " + def.name() + " is already defined as "
                        + old.definition().describe() + "; refusing the different definition " + def.describe());
            }
            return old;
        }
        if (c.find(def.name()) != null) {
            throw new SchemaMismatchException("a table named " + def.name()
                    + " already exists and was not defined through ANC-DB; refusing " + def.describe());
        }
        tx.createTable(def.toTableSpec());
        for (IndexSpec is : def.toIndexSpecs()) {
            TagIndex tags = DeclaredSchemas.asTagIndex(def, is);
            if (tags != null) {
                tx.createTagIndex(tags);
            } else {
                tx.createIndex(is);
            }
        }
        return table(tx.addDefinition(def.name(), DefinitionJson.encode(def)));
    }

    // --- finding ----------------------------------------------------------------------

    /** The committed records named {@code name} (case-insensitive), or a {@link SchemaNotFoundException}. */
    public RecordTable table(String name) {
        DefinedRecord r = db.catalog().record(name);
        if (r == null) {
            r = db.readTx(tx -> tx.catalog().record(name));   // another connection may have defined it
        }
        if (r == null) {
            throw new SchemaNotFoundException("no record schema named " + name);
        }
        return table(r);
    }

    /** The committed records with numeric id {@code id}, or a {@link SchemaNotFoundException}. */
    public RecordTable table(long id) {
        DefinedRecord r = db.catalog().record(id);
        if (r == null) {
            r = db.readTx(tx -> tx.catalog().record(id));
        }
        if (r == null) {
            throw new SchemaNotFoundException("no record schema with id " + id);
        }
        return table(r);
    }

    /** The records named {@code name} as {@code tx} sees them (its own definitions included), or null. */
    public RecordTable find(ReadTx tx, String name) {
        DefinedRecord r = tx.catalog().record(name);
        return r == null ? null : table(r);
    }

    /** The records with numeric id {@code id} as {@code tx} sees them, or null. */
    public RecordTable find(ReadTx tx, long id) {
        DefinedRecord r = tx.catalog().record(id);
        return r == null ? null : table(r);
    }

    /** Every definition {@code tx} sees, in id order. */
    public List<RecordTable> all(ReadTx tx) {
        List<RecordTable> out = new ArrayList<>();
        for (DefinedRecord r : tx.catalog().records()) {
            out.add(table(r));
        }
        return out;
    }

    private RecordTable table(DefinedRecord r) {
        return tables.computeIfAbsent(r, k -> new RecordTable(DefinitionCache.decode(k.json()).definition(), k.id(), ids));
    }
}

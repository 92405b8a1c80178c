package io.ancdb.protocol;

import io.ancdb.Database;
import io.ancdb.ReadTx;
import io.ancdb.SchemaNotFoundException;
import io.ancdb.typed.Definitions;
import io.ancdb.typed.FieldDef;
import io.ancdb.typed.FieldType;
import io.ancdb.typed.RecordDefinition;
import io.ancdb.typed.RecordTable;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Finds the record schema a request names (by name, case-insensitively, or
 * by numeric id) and caches the committed ones: a definition never changes
 * once committed (a different one under the same name is refused) and is
 * never dropped, so a cached entry stays right in every transaction.
 * Schemas defined by a transaction that has not committed are resolved from
 * that transaction's catalog and not cached (a rollback forgets them). The
 * tables come from the database's {@link Definitions}, so every generated key
 * comes from its one generator.
 */
final class Schemas {
    /** A schema as the protocol uses it: its table, and field lookups and encoded names for the codec. */
    static final class Entry {
        final RecordTable table;
        final RecordDefinition def;
        final List<FieldDef> fields;
        final int pkIndex;
        /** UTF-8 of each field name, in field order (packed as map keys of records). */
        final byte[][] nameBytes;
        private final Map<String, FieldDef> exact;

        Entry(RecordTable table) {
            this.table = table;
            this.def = table.definition();
            this.fields = def.fields();
            this.pkIndex = def.primaryKeyIndex();
            this.nameBytes = new byte[fields.size()][];
            this.exact = new HashMap<>();
            for (int i = 0; i < fields.size(); i++) {
                FieldDef f = fields.get(i);
                nameBytes[i] = f.name().getBytes(StandardCharsets.UTF_8);
                exact.put(f.name(), f);
            }
        }

        FieldDef pk() {
            return fields.get(pkIndex);
        }

        /** The field named {@code name} (exact spelling first, then case-insensitively), or null. */
        FieldDef field(String name) {
            FieldDef f = exact.get(name);
            if (f != null) {
                return f;
            }
            int i = def.fieldIndex(name);
            return i < 0 ? null : fields.get(i);
        }

        long id() {
            return table.id();
        }

        String name() {
            return def.name();
        }

        /** A u64 key on the wire is a non-negative integer (the typed API's Long "unsigned bits" are not). */
        void checkKey(Object key) {
            if (key instanceof Long l && l < 0 && pk().type() == FieldType.U64) {
                throw WireError.invalid("key of " + name() + " (u64): negative value " + l);
            }
        }

        /** Every u64 value of {@code record} (or a delta; null: none) on the wire is a non-negative integer. */
        void checkUnsigned(Map<String, Object> record) {
            if (record == null) {
                return;
            }
            for (Map.Entry<String, Object> f : record.entrySet()) {
                if (f.getValue() instanceof Long l && l < 0) {
                    FieldDef def = field(f.getKey());
                    if (def != null && def.type() == FieldType.U64) {
                        throw WireError.invalid("field " + def.name() + " (u64): negative value " + l);
                    }
                }
            }
        }

        /** {@code key} for a message: a u64 unsigned, a string quoted and clipped, bytes by their length. */
        String describeKey(Object key) {
            if (key instanceof Long l && pk().type() == FieldType.U64) {
                return Long.toUnsignedString(l);
            }
            if (key instanceof String s) {
                return "\"" + Messages.clip(s) + "\"";
            }
            if (key instanceof byte[] b) {
                return "<" + b.length + " bytes>";
            }
            return Messages.clip(String.valueOf(key));
        }
    }

    private final Database db;
    private final Definitions definitions;
    private final Map<String, Entry> byName = new ConcurrentHashMap<>();
    private final Map<Long, Entry> byId = new ConcurrentHashMap<>();

    Schemas(Database db) {
        this.db = db;
        this.definitions = Definitions.of(db);
    }

    /** The database's record definitions. */
    Definitions definitions() {
        return definitions;
    }

    /** The cached committed schema {@code ref} (a String name or a Long id), or null. */
    Entry cached(Object ref) {
        if (ref instanceof String s) {
            Entry e = byName.get(s);
            return e != null ? e : byName.get(s.toLowerCase(Locale.ROOT));
        }
        if (ref instanceof Long id) {
            return byId.get(id);
        }
        return null;
    }

    /** The schema {@code ref} names, as transaction {@code tx} sees it (see {@link #resolve(Object, ReadTx)}). */
    Entry resolve(Request.SchemaRef ref, ReadTx tx) {
        return ref.cached() != null ? ref.cached() : resolve(ref.nameOrId(), tx);
    }

    /**
     * The schema {@code ref} as transaction {@code tx} sees it.
     *
     * @throws SchemaNotFoundException when there is none
     */
    Entry resolve(Object ref, ReadTx tx) {
        Entry e = cached(ref);
        if (e != null) {
            return e;
        }
        RecordTable t = ref instanceof String s ? definitions.find(tx, s) : definitions.find(tx, (Long) ref);
        if (t == null) {
            throw new SchemaNotFoundException(ref instanceof String s
                    ? "no schema named \"" + Messages.clip(s) + "\""
                    : "no schema with id " + ref);
        }
        // Defined by this transaction and not committed yet: not cached (a rollback forgets it).
        return db.catalog().record(t.id()) != null ? remember(new Entry(t)) : new Entry(t);
    }

    /** Caches the committed schema with this id (after DefineSchema committed); returns it. */
    Entry committed(long id) {
        Entry e = byId.get(id);
        return e != null ? e : remember(new Entry(definitions.table(id)));
    }

    private Entry remember(Entry e) {
        byId.putIfAbsent(e.id(), e);
        byName.putIfAbsent(e.name(), e);
        byName.putIfAbsent(e.name().toLowerCase(Locale.ROOT), e);
        return e;
    }
}

package io.ancdb.typed;

import io.ancdb.InvalidArgumentException;
import io.ancdb.schema.Identifiers;

import java.util.Objects;

/**
 * One field of a {@link RecordDefinition}.
 *
 * <p>Rules: only STR and BYTES may be compressed; a primary key may not be
 * compressed nor a vector or string list, and is not also {@code indexed}
 * (it is indexed already); a compressed field or a vector field cannot be
 * indexed (its stored bytes are not comparable values).
 *
 * @param name       field (column) name
 * @param type       value type
 * @param primaryKey the record's key; a U64 key is Snowflake-generated when written as 0 or null
 * @param indexed    has a secondary index (for STRLIST: one entry per element, a tag index)
 * @param compressed stored as an LZ4 block (STR / BYTES only)
 */
public record FieldDef(String name, FieldType type, boolean primaryKey, boolean indexed, boolean compressed) {
    public FieldDef {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        Identifiers.requireValid(name);
        if (compressed && !type.compressible()) {
            throw new InvalidArgumentException("field " + name + ": only str and bytes fields can be compressed, not "
                    + type.wireName());
        }
        if (primaryKey && compressed) {
            throw new InvalidArgumentException("field " + name + ": a primary key cannot be compressed");
        }
        if (primaryKey && (type.isVector() || type == FieldType.STRLIST)) {
            throw new InvalidArgumentException("field " + name + ": a " + type.wireName()
                    + " field cannot be the primary key");
        }
        if (primaryKey && indexed) {
            throw new InvalidArgumentException("field " + name + ": a primary key is already indexed");
        }
        if (indexed && compressed) {
            throw new InvalidArgumentException("field " + name + ": a compressed field cannot be indexed");
        }
        if (indexed && type.isVector()) {
            throw new InvalidArgumentException("field " + name + ": a " + type.wireName()
                    + " field cannot be indexed");
        }
    }

    /** A plain field. */
    public static FieldDef of(String name, FieldType type) {
        return new FieldDef(name, type, false, false, false);
    }

    /** This field as the primary key. */
    public FieldDef asPrimaryKey() {
        return new FieldDef(name, type, true, indexed, compressed);
    }

    /** This field with a secondary index. */
    public FieldDef asIndexed() {
        return new FieldDef(name, type, primaryKey, true, compressed);
    }

    /** This field compressed. */
    public FieldDef asCompressed() {
        return new FieldDef(name, type, primaryKey, indexed, true);
    }

    /** The declared SQLite column type ("BLOB" when compressed). */
    public String declType() {
        return type.declType(compressed);
    }

    /** "name type[ pk][ indexed][ compressed]", e.g. {@code content str compressed}. */
    public String describe() {
        return name + " " + type.wireName() + (primaryKey ? " pk" : "") + (indexed ? " indexed" : "")
                + (compressed ? " compressed" : "");
    }
}

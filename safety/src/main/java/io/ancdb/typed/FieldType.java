package io.ancdb.typed;

import io.ancdb.InvalidArgumentException;

/**
 * The value types of a typed schema field: each has a stable wire name (used
 * by the protocol and in {@link RecordDefinition#describe()}) and the SQLite
 * declared type of its column. See {@link ValueCodec} for what each type
 * stores.
 */
public enum FieldType {
    /** Signed 64-bit integer. */
    I64("i64", "INTEGER"),
    /** Unsigned 64-bit integer, held in a {@code long} (its bits). */
    U64("u64", "INTEGER"),
    /** 64-bit float. */
    F64("f64", "REAL"),
    /** Boolean, stored as integer 0 / 1. */
    BOOL("bool", "INTEGER"),
    /** UTF-8 text. */
    STR("str", "TEXT"),
    /** Raw bytes. */
    BYTES("bytes", "BLOB"),
    /** Vector of float32, stored as raw little-endian floats. */
    F32VEC("f32vec", "BLOB"),
    /** Vector of float32 quantized to int8 (see {@link ValueCodec}). */
    I8VEC("i8vec", "BLOB"),
    /** List of strings, stored as JSON array text (usable with SQLite's json functions). */
    STRLIST("strlist", "TEXT");

    private final String wireName;
    private final String declType;

    FieldType(String wireName, String declType) {
        this.wireName = wireName;
        this.declType = declType;
    }

    /** The stable lower-case name used on the wire ("i64", "strlist", ...). */
    public String wireName() {
        return wireName;
    }

    /** The declared SQLite column type of an uncompressed field of this type. */
    public String declType() {
        return declType;
    }

    /** The declared SQLite column type; a compressed field (STR/BYTES) is always "BLOB". */
    public String declType(boolean compressed) {
        return compressed ? "BLOB" : declType;
    }

    /**
     * The class of this type's API values, as reads return them and as a key
     * of this type is typed in {@link TypedTable}: Long, Double, Boolean,
     * String, byte[], float[] (both vectors) or List (of String).
     */
    public Class<?> apiClass() {
        return switch (this) {
            case I64, U64 -> Long.class;
            case F64 -> Double.class;
            case BOOL -> Boolean.class;
            case STR -> String.class;
            case BYTES -> byte[].class;
            case F32VEC, I8VEC -> float[].class;
            case STRLIST -> java.util.List.class;
        };
    }

    /** I64 or U64: a primary key of this type is the table's rowid. */
    public boolean isInteger() {
        return this == I64 || this == U64;
    }

    /** F32VEC or I8VEC. */
    public boolean isVector() {
        return this == F32VEC || this == I8VEC;
    }

    /** Only STR and BYTES fields may be compressed. */
    public boolean compressible() {
        return this == STR || this == BYTES;
    }

    /** The type with this wire name (exact, lower case). */
    public static FieldType fromWireName(String wireName) {
        if (wireName != null) {
            for (FieldType t : values()) {
                if (t.wireName.equals(wireName)) {
                    return t;
                }
            }
        }
        throw new InvalidArgumentException("unknown field type: " + wireName
                + " (expected one of i64, u64, f64, bool, str, bytes, f32vec, i8vec, strlist)");
    }

    @Override
    public String toString() {
        return wireName;
    }
}

package io.ancdb.typed;

import io.ancdb.AncDbException;
import io.ancdb.ErrorCode;
import io.ancdb.InvalidArgumentException;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Constructor;
import java.lang.reflect.InaccessibleObjectException;
import java.lang.reflect.Method;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Maps a Java record class to a {@link RecordDefinition} and its instances to
 * stored values and back.
 *
 * <p>Component types: {@code long, Long, int, Integer, short, Short} → i64
 * ({@code @PrimaryKey(snowflake = true) long/Long} → u64); {@code double,
 * Double, float, Float} → f64; {@code boolean, Boolean} → bool; {@code String}
 * → str; {@code byte[]} → bytes; {@code float[]} → f32vec (i8vec with
 * {@link Quantized}); {@code List<String>} → strlist. Annotations:
 * {@link PrimaryKey}, {@link Indexed}, {@link Compressed}, {@link Quantized},
 * {@link CompositeIndex} and {@link Table}. Field names are the component
 * names; the table name is the class's simple name unless {@code @Table}.
 *
 * <p>A record without {@code @PrimaryKey} gets the implicit {@code id u64}
 * key (field 0), which is not a component: {@link #toValues} leaves it null
 * (to be generated) and {@link #fromValues} ignores it.
 *
 * <p>Accessors and the canonical constructor are resolved once (method handles);
 * mappers are cached per class. Thread-safe.
 */
public final class RecordMapper<T extends Record> {
    private static final ClassValue<RecordMapper<?>> CACHE = new ClassValue<>() {
        @Override
        protected RecordMapper<?> computeValue(Class<?> type) {
            return create(type.asSubclass(Record.class));
        }
    };

    /** How a component's Java value becomes an API value and back. */
    private enum Kind { LONG, INT, SHORT, DOUBLE, FLOAT, BOOLEAN, OBJECT }

    private final Class<T> type;
    private final RecordDefinition definition;
    private final FieldDef[] fields;             // per definition field
    private final int[] fieldOfComponent;        // component index -> definition field index
    private final Kind[] kinds;                  // per component
    private final boolean[] primitive;           // per component
    private final MethodHandle[] getters;        // (Object)Object per component
    private final MethodHandle constructor;      // (Object[])Object

    private RecordMapper(Class<T> type, RecordDefinition definition, int[] fieldOfComponent, Kind[] kinds,
                         boolean[] primitive, MethodHandle[] getters, MethodHandle constructor) {
        this.type = type;
        this.definition = definition;
        this.fields = definition.fields().toArray(FieldDef[]::new);
        this.fieldOfComponent = fieldOfComponent;
        this.kinds = kinds;
        this.primitive = primitive;
        this.getters = getters;
        this.constructor = constructor;
    }

    /** The (cached) mapper of record class {@code type}. */
    @SuppressWarnings("unchecked")
    public static <T extends Record> RecordMapper<T> of(Class<T> type) {
        Objects.requireNonNull(type, "type");
        if (!type.isRecord()) {
            throw new InvalidArgumentException(type.getName() + " is not a record class");
        }
        return (RecordMapper<T>) CACHE.get(type);
    }

    public Class<T> type() {
        return type;
    }

    public RecordDefinition definition() {
        return definition;
    }

    /** True when the key is the implicit {@code id}, not a component of the record. */
    public boolean implicitKey() {
        return fieldOfComponent.length < fields.length;
    }

    /** The stored values of {@code record}, in definition field order. */
    public Object[] toValues(T record) {
        Objects.requireNonNull(record, "record");
        Object[] out = new Object[fields.length];
        for (int c = 0; c < getters.length; c++) {
            Object v;
            try {
                v = (Object) getters[c].invokeExact((Object) record);
            } catch (RuntimeException | Error e) {
                throw e;
            } catch (Throwable t) {
                throw new AncDbException(ErrorCode.INTERNAL, 0, "accessor of " + type.getName() + " failed", t);
            }
            int fi = fieldOfComponent[c];
            out[fi] = ValueCodec.toStored(fields[fi], v);
        }
        return out;
    }

    /** A record from stored values in definition field order (the inverse of {@link #toValues}). */
    public T fromValues(Object[] stored) {
        Objects.requireNonNull(stored, "stored");
        if (stored.length != fields.length) {
            throw new InvalidArgumentException(type.getSimpleName() + " has " + fields.length + " fields, got "
                    + stored.length + " values");
        }
        Object[] args = new Object[getters.length];
        for (int c = 0; c < args.length; c++) {
            FieldDef f = fields[fieldOfComponent[c]];
            args[c] = toJava(f, c, ValueCodec.fromStored(f, stored[fieldOfComponent[c]]));
        }
        try {
            return type.cast((Object) constructor.invokeExact(args));
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new AncDbException(ErrorCode.INTERNAL, 0, "constructor of " + type.getName() + " failed", t);
        }
    }

    private Object toJava(FieldDef f, int c, Object v) {
        if (v == null) {
            if (!primitive[c]) {
                return null;
            }
            return switch (kinds[c]) {
                case LONG -> 0L;
                case INT -> 0;
                case SHORT -> (short) 0;
                case DOUBLE -> 0.0;
                case FLOAT -> 0f;
                case BOOLEAN -> false;
                case OBJECT -> null;
            };
        }
        return switch (kinds[c]) {
            case INT -> {
                long l = (Long) v;
                if (l != (int) l) {
                    throw new InvalidArgumentException("field " + f.name() + ": stored " + l + " does not fit an int");
                }
                yield (int) l;
            }
            case SHORT -> {
                long l = (Long) v;
                if (l != (short) l) {
                    throw new InvalidArgumentException("field " + f.name() + ": stored " + l + " does not fit a short");
                }
                yield (short) l;
            }
            case FLOAT -> (float) (double) (Double) v;
            case LONG, DOUBLE, BOOLEAN, OBJECT -> v;
        };
    }

    // ------------------------------------------------------------------ building

    private static <T extends Record> RecordMapper<T> create(Class<T> type) {
        RecordComponent[] comps = type.getRecordComponents();
        Table table = type.getAnnotation(Table.class);
        String tableName = table != null ? table.name() : type.getSimpleName();
        List<FieldDef> defs = new ArrayList<>(comps.length);
        Kind[] kinds = new Kind[comps.length];
        boolean[] primitive = new boolean[comps.length];
        boolean hasKey = false;
        for (int c = 0; c < comps.length; c++) {
            RecordComponent rc = comps[c];
            Class<?> jt = rc.getType();
            PrimaryKey pk = rc.getAnnotation(PrimaryKey.class);
            boolean quantized = rc.isAnnotationPresent(Quantized.class);
            String where = type.getSimpleName() + "." + rc.getName();
            if (quantized && jt != float[].class) {
                throw new InvalidArgumentException("@Quantized on " + where + ": only float[] components can be"
                        + " quantized");
            }
            FieldType ft;
            Kind kind = Kind.OBJECT;
            if (jt == long.class || jt == Long.class) {
                ft = pk != null && pk.snowflake() ? FieldType.U64 : FieldType.I64;
                kind = Kind.LONG;
            } else if (jt == int.class || jt == Integer.class) {
                ft = FieldType.I64;
                kind = Kind.INT;
            } else if (jt == short.class || jt == Short.class) {
                ft = FieldType.I64;
                kind = Kind.SHORT;
            } else if (jt == double.class || jt == Double.class) {
                ft = FieldType.F64;
                kind = Kind.DOUBLE;
            } else if (jt == float.class || jt == Float.class) {
                ft = FieldType.F64;
                kind = Kind.FLOAT;
            } else if (jt == boolean.class || jt == Boolean.class) {
                ft = FieldType.BOOL;
                kind = Kind.BOOLEAN;
            } else if (jt == String.class) {
                ft = FieldType.STR;
            } else if (jt == byte[].class) {
                ft = FieldType.BYTES;
            } else if (jt == float[].class) {
                ft = quantized ? FieldType.I8VEC : FieldType.F32VEC;
            } else if (jt == List.class && isListOfString(rc.getGenericType())) {
                ft = FieldType.STRLIST;
            } else {
                throw new InvalidArgumentException("record component " + where + " has unsupported type "
                        + rc.getGenericType().getTypeName()
                        + " (supported: long, int, short, double, float, boolean and their boxes, String, byte[],"
                        + " float[], List<String>)");
            }
            if (pk != null && pk.snowflake() && kind != Kind.LONG) {
                throw new InvalidArgumentException("@PrimaryKey(snowflake = true) on " + where
                        + ": a Snowflake key must be long or Long");
            }
            hasKey |= pk != null;
            kinds[c] = kind;
            primitive[c] = jt.isPrimitive();
            try {
                defs.add(new FieldDef(rc.getName(), ft, pk != null, rc.isAnnotationPresent(Indexed.class),
                        rc.isAnnotationPresent(Compressed.class)));
            } catch (InvalidArgumentException e) {
                throw new InvalidArgumentException("record component " + where + ": "
                        + e.bareMessage());
            }
        }
        List<List<String>> composites = new ArrayList<>();
        for (CompositeIndex ci : type.getAnnotationsByType(CompositeIndex.class)) {
            composites.add(Arrays.asList(ci.fields()));
        }
        RecordDefinition def = new RecordDefinition(tableName, defs, composites);
        int offset = hasKey ? 0 : 1;                    // implicit id is field 0
        int[] fieldOf = new int[comps.length];
        for (int c = 0; c < comps.length; c++) {
            fieldOf[c] = c + offset;
        }

        MethodHandles.Lookup lookup = MethodHandles.lookup();
        MethodHandle[] getters = new MethodHandle[comps.length];
        Class<?>[] ctorTypes = new Class<?>[comps.length];
        MethodHandle ctor;
        try {
            for (int c = 0; c < comps.length; c++) {
                Method m = comps[c].getAccessor();
                m.setAccessible(true);
                getters[c] = lookup.unreflect(m).asType(MethodType.methodType(Object.class, Object.class));
                ctorTypes[c] = comps[c].getType();
            }
            Constructor<T> k = type.getDeclaredConstructor(ctorTypes);
            k.setAccessible(true);
            ctor = lookup.unreflectConstructor(k)
                    .asType(MethodType.methodType(Object.class, ctorTypes))
                    .asSpreader(Object[].class, comps.length);
        } catch (NoSuchMethodException | IllegalAccessException | InaccessibleObjectException | SecurityException e) {
            throw new InvalidArgumentException("cannot access record " + type.getName()
                    + " (open its package to io.ancdb?): " + e);
        }
        return new RecordMapper<>(type, def, fieldOf, kinds, primitive, getters, ctor);
    }

    private static boolean isListOfString(Type t) {
        return t instanceof ParameterizedType p && p.getActualTypeArguments().length == 1
                && p.getActualTypeArguments()[0] == String.class;
    }
}

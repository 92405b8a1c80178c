package io.ancdb.protocol;

import io.ancdb.typed.FieldDef;
import io.ancdb.typed.FieldType;
import org.msgpack.core.MessageFormat;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessageUnpacker;
import org.msgpack.core.buffer.ArrayBufferInput;
import org.msgpack.value.ValueType;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Typed reads of one request's bytes with a reused unpacker, every header
 * checked against {@link Limits} (and against the bytes the message really
 * holds) before anything of the size it claims is allocated. Values come out
 * as plain Java values; a field of a known schema comes out as the typed
 * layer takes it ({@link #fieldValue}). One per session.
 */
final class WireReader {
    /**
     * Containers are sized by their header only up to this: nested headers may each claim up to the
     * bytes left, so sizing by the claim would let a small message allocate many times its size.
     */
    private static final int PRESIZE = 64;
    /** Longer map keys are no request key: only their start is copied. */
    private static final int MAX_KEY = 32;
    private static final byte[] EMPTY = new byte[0];

    private final Limits limits;
    private final ArrayBufferInput input = new ArrayBufferInput(EMPTY);
    private final MessageUnpacker unpacker = MessagePack.newDefaultUnpacker(input);
    private final byte[] keyScratch = new byte[MAX_KEY];
    private String unknownKey;
    private long length;

    WireReader(Limits limits) {
        this.limits = limits;
    }

    Limits limits() {
        return limits;
    }

    /** Starts reading {@code len} bytes of {@code b} from {@code off}. */
    void reset(byte[] b, int off, int len) throws IOException {
        input.reset(b, off, len);
        unpacker.reset(input);
        length = len;
    }

    /** Lets go of the request bytes (so a large request is not kept reachable). */
    void release() throws IOException {
        reset(EMPTY, 0, 0);
    }

    MessageFormat nextFormat() throws IOException {
        return unpacker.getNextFormat();
    }

    /** Bytes of the request not read yet. */
    long remaining() {
        return length - unpacker.getTotalReadBytes();
    }

    /** Consumes a nil if one is next. */
    boolean tryNil() throws IOException {
        return unpacker.tryUnpackNil();
    }

    // --- keys and headers ----------------------------------------------------------------

    /**
     * A map key: its index in {@code known} (ASCII bytes of each key), or -1
     * for another (consumed; {@link #unknownKey()} has its text for the error).
     */
    int key(byte[][] known) throws IOException {
        MessageFormat f = nextFormat();
        if (f.getValueType() != ValueType.STRING) {
            throw WireError.invalid("request keys must be strings, got " + typeName(f));
        }
        int n = unpacker.unpackRawStringHeader();
        checkPayload(n, limits.maxStringBytes(), "str");
        if (n > MAX_KEY) {
            // a long key is no request key: only its start is copied, for the error
            unpacker.readPayloadAsReference(n).getBytes(0, keyScratch, 0, MAX_KEY);
            unknownKey = new String(keyScratch, 0, MAX_KEY, StandardCharsets.UTF_8) + "...";
            return -1;
        }
        unpacker.readPayload(keyScratch, 0, n);
        for (int k = 0; k < known.length; k++) {
            if (Arrays.equals(known[k], 0, known[k].length, keyScratch, 0, n)) {
                return k;
            }
        }
        unknownKey = new String(keyScratch, 0, n, StandardCharsets.UTF_8);
        return -1;
    }

    /** The text of the last key {@link #key} did not know (clipped). */
    String unknownKey() {
        return unknownKey;
    }

    /** A map header in a container at {@code depth - 1}. */
    int mapHeader(int depth) throws IOException {
        checkDepth(depth);
        int n = unpacker.unpackMapHeader();
        if (n > limits.maxMapSize()) {
            throw WireError.limit("map of " + n + " entries exceeds the limit of " + limits.maxMapSize());
        }
        if (2L * n > remaining()) {
            throw truncated();
        }
        return n;
    }

    /** An array header in a container at {@code depth - 1}. */
    int arrayHeader(int depth) throws IOException {
        checkDepth(depth);
        int n = unpacker.unpackArrayHeader();
        if (n > limits.maxArrayLength()) {
            throw WireError.limit("array of " + n + " elements exceeds the limit of " + limits.maxArrayLength());
        }
        if (n > remaining()) {
            throw truncated();
        }
        return n;
    }

    private void checkDepth(int depth) {
        if (depth > limits.maxDepth()) {
            throw WireError.limit("request nested deeper than " + limits.maxDepth() + " levels");
        }
    }

    /** Fails with "{@code what} must be {@code expected}" unless the next value is of type {@code t}. */
    void require(ValueType t, String what, String expected) throws IOException {
        MessageFormat f = nextFormat();
        if (f.getValueType() != t) {
            throw WireError.invalid(what + " must be " + expected + ", got " + typeName(f));
        }
    }

    // --- scalars -------------------------------------------------------------------------

    /** An integer; a uint64 above Long.MAX_VALUE reads as Long.MAX_VALUE (for cmd, limit, ids). */
    long clampedLong() throws IOException {
        if (nextFormat() != MessageFormat.UINT64) {
            return unpacker.unpackLong();
        }
        BigInteger b = unpacker.unpackBigInteger();
        return b.bitLength() < 64 ? b.longValue() : Long.MAX_VALUE;
    }

    /** The next value, a str. */
    String string() throws IOException {
        return new String(payload(unpacker.unpackRawStringHeader(), limits.maxStringBytes(), "str"),
                StandardCharsets.UTF_8);
    }

    /** A str or nil (null). */
    String optionalString(String what) throws IOException {
        if (tryNil()) {
            return null;
        }
        require(ValueType.STRING, what, "a string");
        return string();
    }

    /** A bool, or {@code absent} for nil. */
    boolean bool(String what, boolean absent) throws IOException {
        if (tryNil()) {
            return absent;
        }
        require(ValueType.BOOLEAN, what, "a boolean");
        return unpacker.unpackBoolean();
    }

    /** The bytes of the next str (or, with {@code binary}, bin) value. */
    byte[] bytes(boolean binary) throws IOException {
        return binary ? payload(unpacker.unpackBinaryHeader(), limits.maxBinaryBytes(), "bin")
                : payload(unpacker.unpackRawStringHeader(), limits.maxStringBytes(), "str");
    }

    private byte[] payload(int n, int limit, String what) throws IOException {
        checkPayload(n, limit, what);
        return unpacker.readPayload(n);
    }

    private void checkPayload(int n, int limit, String what) {
        if (n > limit) {
            throw WireError.limit(what + " value of " + n + " bytes exceeds the limit of " + limit);
        }
        if (n > remaining()) {
            throw truncated();
        }
    }

    // --- values --------------------------------------------------------------------------

    /** Any value, in a container at {@code depth} (the request map is depth 1). */
    Object value(int depth) throws IOException {
        MessageFormat f = nextFormat();
        switch (f) {
            case NIL -> {
                unpacker.unpackNil();
                return null;
            }
            case BOOLEAN -> {
                return unpacker.unpackBoolean();
            }
            case UINT64 -> {
                BigInteger b = unpacker.unpackBigInteger();
                return b.bitLength() < 64 ? (Object) b.longValue() : b;
            }
            case POSFIXINT, NEGFIXINT, UINT8, UINT16, UINT32, INT8, INT16, INT32, INT64 -> {
                return unpacker.unpackLong();
            }
            case FLOAT32, FLOAT64 -> {
                return unpacker.unpackDouble();
            }
            case FIXSTR, STR8, STR16, STR32 -> {
                return string();
            }
            case BIN8, BIN16, BIN32 -> {
                return bytes(true);
            }
            case FIXARRAY, ARRAY16, ARRAY32 -> {
                int n = arrayHeader(depth + 1);
                List<Object> l = new ArrayList<>(Math.min(n, PRESIZE));
                for (int i = 0; i < n; i++) {
                    l.add(value(depth + 1));
                }
                return l;
            }
            case FIXMAP, MAP16, MAP32 -> {
                int n = mapHeader(depth + 1);
                Map<String, Object> m = HashMap.newHashMap(Math.min(n, PRESIZE));
                for (int i = 0; i < n; i++) {
                    if (nextFormat().getValueType() != ValueType.STRING) {
                        throw WireError.invalid("map keys must be strings, got " + typeName(nextFormat()));
                    }
                    String k = string();
                    m.put(k, value(depth + 1));
                }
                return m;
            }
            case FIXEXT1, FIXEXT2, FIXEXT4, FIXEXT8, FIXEXT16, EXT8, EXT16, EXT32 ->
                    throw WireError.invalid("MessagePack extension types are not supported");
            default -> throw WireError.invalid("malformed MessagePack (reserved byte 0xc1)");
        }
    }

    /**
     * A record (or delta) map in a map at {@code depth}, or null for nil: the
     * values of {@code schema}'s fields typed (when the schema is known).
     */
    Map<String, Object> recordMap(int depth, String what, Schemas.Entry schema) throws IOException {
        if (tryNil()) {
            return null;
        }
        require(ValueType.MAP, what, "a map of field name to value");
        int n = mapHeader(depth + 1);
        Map<String, Object> m = HashMap.newHashMap(Math.min(n, PRESIZE));
        for (int i = 0; i < n; i++) {
            if (nextFormat().getValueType() != ValueType.STRING) {
                throw WireError.invalid(what + ": field names must be strings, got " + typeName(nextFormat()));
            }
            String name = string();
            FieldDef f = schema == null ? null : schema.field(name);
            m.put(name, f == null ? value(depth + 1) : fieldValue(f, depth + 1));
        }
        return m;
    }

    /**
     * A value of field {@code f}: a vector's array straight to a
     * {@code float[]}, a string list to a List&lt;String&gt;. A vector may
     * also come as bin, whatever the connection's wire options: its
     * little-endian float32s (a byte[], which the typed layer stores as it is
     * for an f32vec). {@link Response#fieldValue} decides the form of a value
     * in a response.
     */
    Object fieldValue(FieldDef f, int depth) throws IOException {
        if (nextFormat().getValueType() != ValueType.ARRAY) {
            return value(depth);
        }
        if (f.type() == FieldType.F32VEC || f.type() == FieldType.I8VEC) {
            return vector(f, depth);
        }
        if (f.type() == FieldType.STRLIST) {
            int n = arrayHeader(depth + 1);
            List<String> l = new ArrayList<>(Math.min(n, PRESIZE));
            for (int i = 0; i < n; i++) {
                MessageFormat e = nextFormat();
                if (e.getValueType() != ValueType.STRING) {
                    throw WireError.invalid("field " + f.name() + " expects strlist: element " + i + " is " + article(e));
                }
                l.add(string());
            }
            return l;
        }
        return value(depth);
    }

    private float[] vector(FieldDef f, int depth) throws IOException {
        int n = arrayHeader(depth + 1);
        float[] v = new float[Math.min(n, 4096)];          // grown as elements arrive, not by the claim
        for (int i = 0; i < n; i++) {
            if (i == v.length) {
                v = Arrays.copyOf(v, (int) Math.min(n, 2L * v.length));
            }
            MessageFormat e = nextFormat();
            switch (e.getValueType()) {
                case FLOAT -> {
                    double d = unpacker.unpackDouble();
                    float x = (float) d;
                    if (Float.isInfinite(x) && !Double.isInfinite(d)) {
                        throw WireError.invalid("field " + f.name() + " (" + f.type().wireName() + "): element "
                                + i + " = " + d + " does not fit a float32");
                    }
                    v[i] = x;
                }
                case INTEGER -> v[i] = e == MessageFormat.UINT64
                        ? unpacker.unpackBigInteger().floatValue() : unpacker.unpackLong();
                default -> throw WireError.invalid("field " + f.name() + " expects " + f.type().wireName()
                        + ": element " + i + " is " + article(e));
            }
        }
        return v;
    }

    static WireError truncated() {
        return WireError.invalid("truncated request: a header claims more bytes than the message holds");
    }

    static String typeName(MessageFormat f) {
        return switch (f) {
            case NEVER_USED -> "the reserved byte 0xc1";
            default -> switch (f.getValueType()) {
                case NIL -> "nil";
                case BOOLEAN -> "bool";
                case INTEGER -> "int";
                case FLOAT -> "float";
                case STRING -> "str";
                case BINARY -> "bin";
                case ARRAY -> "array";
                case MAP -> "map";
                case EXTENSION -> "ext";
            };
        };
    }

    private static String article(MessageFormat f) {
        String t = typeName(f);
        return (t.startsWith("a") || t.startsWith("e") || t.startsWith("i") ? "an " : "a ") + t;
    }
}

package io.ancdb.protocol;

import io.ancdb.OnConflict;
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
 * One request, decoded by a session's reused unpacker with typed reads
 * (map/array/str/bin headers first, checked against {@link Limits}, payloads
 * after). Field values of a known schema are decoded straight to what the
 * typed layer takes (a vector to a {@code float[]}); anything else to plain
 * Java values: null, Boolean, Long (BigInteger above Long.MAX_VALUE), Double,
 * String, byte[], List, Map with String keys.
 *
 * <p>Both request forms fill the same fields: the map form
 * {@code {"cmd": 1, "schema": "S", "key": 5}} and the compact form
 * {@code [cmd, schema, {payload}]} (trailing elements may be left out).
 * An unknown key, or a known one in the wrong map (a top-level
 * {@code on_conflict}, a {@code start} outside {@code range}), is an
 * InvalidCommand naming the key: a misspelt option must not be silently
 * ignored.
 */
final class Request {
    // --- keys of the request map and of its nested option / range maps ---------------------
    static final int K_UNKNOWN = -1;
    static final int K_CMD = 0;
    static final int K_SCHEMA = 1;
    static final int K_KEY = 2;
    static final int K_RECORD = 3;
    static final int K_RECORDS = 4;
    static final int K_OPTIONS = 5;
    static final int K_INDEX = 6;
    static final int K_RANGE = 7;
    static final int K_LIMIT = 8;
    static final int K_ORDER = 9;
    static final int K_DELTA = 10;
    static final int K_FIELDS = 11;
    static final int K_COMPOSITE = 12;
    static final int K_TOKEN = 13;
    static final int K_ON_CONFLICT = 14;
    static final int K_START = 15;
    static final int K_END = 16;
    static final int K_START_INCLUSIVE = 17;
    static final int K_END_INCLUSIVE = 18;

    private static final String[] KEY_NAMES = {"cmd", "schema", "key", "record", "records", "options", "index",
            "range", "limit", "order", "delta", "fields", "composite_indexes", "token", "on_conflict", "start", "end",
            "start_inclusive", "end_inclusive"};
    private static final byte[][] KEY_BYTES = new byte[KEY_NAMES.length][];
    private static final int MAX_KEY = 32;
    /**
     * Containers are sized by their header only up to this: nested headers may each claim up to the
     * bytes left, so sizing by the claim would let a small message allocate many times its size.
     */
    private static final int PRESIZE = 64;

    static {
        for (int i = 0; i < KEY_NAMES.length; i++) {
            KEY_BYTES[i] = KEY_NAMES[i].getBytes(StandardCharsets.US_ASCII);
        }
    }

    // --- decoded fields -------------------------------------------------------------------
    long cmd;
    boolean hasCmd;
    /** String name, Long id, or null. */
    Object schema;
    /** The schema when it was already known (cached) while decoding; else null. */
    Schemas.Entry entry;
    Object key;
    boolean hasKey;
    Map<String, Object> record;
    List<Map<String, Object>> records;
    OnConflict onConflict;
    String index;
    Object start;
    Object end;
    boolean startInclusive;
    boolean endInclusive;
    long limit;
    boolean descending;
    Map<String, Object> delta;
    Object fields;
    Object compositeIndexes;
    byte[] token;

    // --- decoding state ---------------------------------------------------------------------
    private final Limits limits;
    private final Schemas schemas;
    private final ArrayBufferInput arrayInput = new ArrayBufferInput(new byte[0]);
    private final MessageUnpacker u = MessagePack.newDefaultUnpacker(arrayInput);
    private final byte[] keyScratch = new byte[MAX_KEY];
    /** The last key {@link #readKey} did not know, as text (clipped), for the error that names it. */
    private String unknownKey;
    private long length;

    Request(Limits limits, Schemas schemas) {
        this.limits = limits;
        this.schemas = schemas;
    }

    private void clear() {
        cmd = -1;
        hasCmd = false;
        schema = null;
        entry = null;
        key = null;
        hasKey = false;
        record = null;
        records = null;
        onConflict = OnConflict.FAIL;
        index = null;
        start = null;
        end = null;
        startInclusive = true;
        endInclusive = true;
        limit = 0;
        descending = false;
        delta = null;
        fields = null;
        compositeIndexes = null;
        token = null;
    }

    /** Decodes {@code len} bytes of {@code b} from {@code off}. */
    void parse(byte[] b, int off, int len) throws IOException {
        arrayInput.reset(b, off, len);
        u.reset(arrayInput);
        length = len;
        parse();
    }

    /** Lets go of the request bytes and decoded values (so a large request is not kept reachable). */
    void release() throws IOException {
        clear();
        arrayInput.reset(EMPTY, 0, 0);
        u.reset(arrayInput);
    }

    private static final byte[] EMPTY = new byte[0];

    private void parse() throws IOException {
        clear();
        if (length == 0) {
            throw WireError.invalid("empty request");
        }
        MessageFormat f = u.getNextFormat();
        switch (f) {
            case FIXMAP, MAP16, MAP32 -> {
                int n = mapHeader(1);
                for (int i = 0; i < n; i++) {
                    field(readKey(1), 1, false);
                }
            }
            case FIXARRAY, ARRAY16, ARRAY32 -> {
                int n = arrayHeader(1);
                if (n < 1 || n > 3) {
                    throw WireError.invalid("a compact request is [cmd, schema, payload], got an array of " + n);
                }
                field(K_CMD, 1, false);
                if (n >= 2) {
                    field(K_SCHEMA, 1, false);
                }
                if (n == 3) {
                    if (u.tryUnpackNil()) {
                        break;
                    }
                    if (u.getNextFormat().getValueType() != ValueType.MAP) {
                        throw WireError.invalid("the payload of a compact request must be a map");
                    }
                    int m = mapHeader(2);
                    for (int i = 0; i < m; i++) {
                        field(readKey(2), 2, true);
                    }
                }
            }
            default -> throw WireError.invalid("a request must be a map (or a [cmd, schema, payload] array), got "
                    + typeName(f));
        }
        if (remaining() != 0) {
            throw WireError.invalid("trailing bytes after the request");
        }
    }

    /** Decodes the value of request key {@code k} in a map at {@code depth}. */
    private void field(int k, int depth, boolean payload) throws IOException {
        switch (k) {
            case K_CMD -> {
                if (payload) {
                    throw WireError.invalid("cmd is the first element of a compact request, not a payload key");
                }
                if (u.getNextFormat().getValueType() != ValueType.INTEGER) {
                    throw WireError.invalid("cmd must be an integer, got " + typeName(u.getNextFormat()));
                }
                cmd = u.getNextFormat() == MessageFormat.UINT64 ? clampU64() : u.unpackLong();
                hasCmd = true;
            }
            case K_SCHEMA -> {
                if (payload) {
                    throw WireError.invalid("schema is the second element of a compact request, not a payload key");
                }
                MessageFormat f = u.getNextFormat();
                switch (f.getValueType()) {
                    case NIL -> {
                        u.unpackNil();
                        schema = null;
                    }
                    case STRING -> {
                        String s = string("schema");
                        schema = s;
                        entry = schemas.cached(s);
                    }
                    case INTEGER -> {
                        long id = f == MessageFormat.UINT64 ? clampU64() : u.unpackLong();
                        schema = id;
                        entry = schemas.cached(id);
                    }
                    default -> throw WireError.invalid("schema must be a name or a numeric id, got " + typeName(f));
                }
            }
            case K_KEY -> {
                key = value(depth);
                hasKey = true;
            }
            case K_RECORD -> record = recordMap(depth, "record");
            case K_DELTA -> delta = recordMap(depth, "delta");
            case K_RECORDS -> {
                if (u.tryUnpackNil()) {
                    records = null;
                    return;
                }
                requireType(ValueType.ARRAY, "records", "an array of maps");
                int n = arrayHeader(depth + 1);
                if (n > limits.maxBatch()) {
                    throw WireError.limit("a batch of " + n + " records exceeds the limit of " + limits.maxBatch());
                }
                List<Map<String, Object>> l = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    l.add(recordMap(depth + 1, "records[" + i + "]"));
                }
                records = l;
            }
            case K_OPTIONS -> {
                if (u.tryUnpackNil()) {
                    return;
                }
                requireType(ValueType.MAP, "options", "a map");
                int n = mapHeader(depth + 1);
                for (int i = 0; i < n; i++) {
                    int ok = readKey(depth + 1);
                    if (ok == K_ON_CONFLICT) {
                        onConflict = onConflict(optionalString("options.on_conflict"));
                    } else {
                        throw unknownKey(ok, "options", "on_conflict");
                    }
                }
            }
            case K_INDEX -> index = optionalString("index");
            case K_RANGE -> {
                if (u.tryUnpackNil()) {
                    return;
                }
                requireType(ValueType.MAP, "range", "a map");
                int n = mapHeader(depth + 1);
                for (int i = 0; i < n; i++) {
                    int rk = readKey(depth + 1);
                    switch (rk) {
                        case K_START -> start = value(depth + 1);
                        case K_END -> end = value(depth + 1);
                        case K_START_INCLUSIVE -> startInclusive = bool("range.start_inclusive", true);
                        case K_END_INCLUSIVE -> endInclusive = bool("range.end_inclusive", true);
                        default -> throw unknownKey(rk, "range", "start, end, start_inclusive, end_inclusive");
                    }
                }
            }
            case K_LIMIT -> {
                if (u.tryUnpackNil()) {
                    limit = 0;
                    return;
                }
                requireType(ValueType.INTEGER, "limit", "a non-negative integer");
                long v = u.getNextFormat() == MessageFormat.UINT64 ? clampU64() : u.unpackLong();
                if (v < 0) {
                    throw WireError.invalid("limit must be >= 0 (0 or absent: no limit), got " + v);
                }
                limit = v;
            }
            case K_ORDER -> {
                String o = optionalString("order");
                if (o == null || o.equalsIgnoreCase("asc")) {
                    descending = false;
                } else if (o.equalsIgnoreCase("desc")) {
                    descending = true;
                } else {
                    throw WireError.invalid("order must be \"asc\" or \"desc\", got \"" + Messages.clip(o) + "\"");
                }
            }
            case K_FIELDS -> fields = value(depth);
            case K_COMPOSITE -> compositeIndexes = value(depth);
            case K_TOKEN -> {
                MessageFormat f = u.getNextFormat();
                switch (f.getValueType()) {
                    case STRING -> token = payload(u.unpackRawStringHeader(), limits.maxStringBytes(), "str");
                    case BINARY -> token = payload(u.unpackBinaryHeader(), limits.maxBinaryBytes(), "bin");
                    default -> {
                        value(depth);
                        token = null;
                    }
                }
            }
            default -> throw unknownKey(k, "the request", "cmd, schema, key, record, records, options, index, range,"
                    + " limit, order, delta, fields, composite_indexes, token");
        }
    }

    /**
     * The error for key {@code k} in map {@code where}: a known key that belongs in another map is
     * named with its place; an unknown one with the keys {@code where} takes.
     */
    private WireError unknownKey(int k, String where, String expected) {
        return switch (k) {
            case K_ON_CONFLICT -> WireError.invalid("\"on_conflict\" belongs in options, not in " + where);
            case K_START, K_END, K_START_INCLUSIVE, K_END_INCLUSIVE ->
                    WireError.invalid("\"" + KEY_NAMES[k] + "\" belongs in range, not in " + where);
            case K_UNKNOWN -> WireError.invalid("unknown key \"" + unknownKey + "\" in " + where + " (it takes "
                    + expected + ")");
            default -> WireError.invalid("\"" + KEY_NAMES[k] + "\" does not belong in " + where + " (it takes "
                    + expected + ")");
        };
    }

    private static OnConflict onConflict(String s) {
        if (s == null || s.equalsIgnoreCase("fail")) {
            return OnConflict.FAIL;
        }
        if (s.equalsIgnoreCase("replace")) {
            return OnConflict.REPLACE;
        }
        if (s.equalsIgnoreCase("ignore")) {
            return OnConflict.IGNORE;
        }
        throw WireError.invalid("on_conflict must be \"fail\", \"replace\" or \"ignore\", got \"" + Messages.clip(s) + "\"");
    }

    /** A record (or delta) map in a map at {@code depth}: field values typed when the schema is known. */
    private Map<String, Object> recordMap(int depth, String what) throws IOException {
        if (u.tryUnpackNil()) {
            return null;
        }
        requireType(ValueType.MAP, what, "a map of field name to value");
        int n = mapHeader(depth + 1);
        Map<String, Object> m = HashMap.newHashMap(Math.min(n, PRESIZE));
        for (int i = 0; i < n; i++) {
            if (u.getNextFormat().getValueType() != ValueType.STRING) {
                throw WireError.invalid(what + ": field names must be strings, got " + typeName(u.getNextFormat()));
            }
            String name = string(what + " field name");
            FieldDef f = entry == null ? null : entry.field(name);
            m.put(name, f == null ? value(depth + 1) : value(f, depth + 1));
        }
        return m;
    }

    /** A value of field {@code f}: vectors straight to float[], string lists to List&lt;String&gt;. */
    private Object value(FieldDef f, int depth) throws IOException {
        MessageFormat fmt = u.getNextFormat();
        if (fmt.getValueType() != ValueType.ARRAY) {
            return value(depth);
        }
        if (f.type() == FieldType.F32VEC || f.type() == FieldType.I8VEC) {
            int n = arrayHeader(depth + 1);
            float[] v = new float[Math.min(n, 4096)];          // grown as elements arrive, not by the claim
            for (int i = 0; i < n; i++) {
                if (i == v.length) {
                    v = Arrays.copyOf(v, (int) Math.min(n, 2L * v.length));
                }
                MessageFormat e = u.getNextFormat();
                switch (e.getValueType()) {
                    case FLOAT -> {
                        double d = u.unpackDouble();
                        float x = (float) d;
                        if (Float.isInfinite(x) && !Double.isInfinite(d)) {
                            throw WireError.invalid("field " + f.name() + " (" + f.type().wireName() + "): element "
                                    + i + " = " + d + " does not fit a float32");
                        }
                        v[i] = x;
                    }
                    case INTEGER -> v[i] = e == MessageFormat.UINT64 ? u.unpackBigInteger().floatValue() : u.unpackLong();
                    default -> throw WireError.invalid("field " + f.name() + " expects " + f.type().wireName()
                            + ": element " + i + " is " + article(e));
                }
            }
            return v;
        }
        if (f.type() == FieldType.STRLIST) {
            int n = arrayHeader(depth + 1);
            List<String> l = new ArrayList<>(Math.min(n, PRESIZE));
            for (int i = 0; i < n; i++) {
                MessageFormat e = u.getNextFormat();
                if (e.getValueType() != ValueType.STRING) {
                    throw WireError.invalid("field " + f.name() + " expects strlist: element " + i + " is " + article(e));
                }
                l.add(string(f.name()));
            }
            return l;
        }
        return value(depth);
    }

    /** Any value, in a container at {@code depth} (the request map is depth 1). */
    Object value(int depth) throws IOException {
        MessageFormat f = u.getNextFormat();
        switch (f) {
            case NIL -> {
                u.unpackNil();
                return null;
            }
            case BOOLEAN -> {
                return u.unpackBoolean();
            }
            case UINT64 -> {
                BigInteger b = u.unpackBigInteger();
                return b.bitLength() < 64 ? (Object) b.longValue() : b;
            }
            case POSFIXINT, NEGFIXINT, UINT8, UINT16, UINT32, INT8, INT16, INT32, INT64 -> {
                return u.unpackLong();
            }
            case FLOAT32, FLOAT64 -> {
                return u.unpackDouble();
            }
            case FIXSTR, STR8, STR16, STR32 -> {
                return string("value");
            }
            case BIN8, BIN16, BIN32 -> {
                return payload(u.unpackBinaryHeader(), limits.maxBinaryBytes(), "bin");
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
                    if (u.getNextFormat().getValueType() != ValueType.STRING) {
                        throw WireError.invalid("map keys must be strings, got " + typeName(u.getNextFormat()));
                    }
                    String k = string("map key");
                    m.put(k, value(depth + 1));
                }
                return m;
            }
            case FIXEXT1, FIXEXT2, FIXEXT4, FIXEXT8, FIXEXT16, EXT8, EXT16, EXT32 ->
                    throw WireError.invalid("MessagePack extension types are not supported");
            default -> throw WireError.invalid("malformed MessagePack (reserved byte 0xc1)");
        }
    }

    // --- typed reads with limits ----------------------------------------------------------

    /** A map key: the index of a known key, or K_UNKNOWN (the key is consumed). */
    private int readKey(int depth) throws IOException {
        MessageFormat f = u.getNextFormat();
        if (f.getValueType() != ValueType.STRING) {
            throw WireError.invalid("request keys must be strings, got " + typeName(f));
        }
        int n = u.unpackRawStringHeader();
        checkPayload(n, limits.maxStringBytes(), "str");
        if (n > MAX_KEY) {
            // long unknown key: only its start is copied, for the error
            u.readPayloadAsReference(n).getBytes(0, keyScratch, 0, MAX_KEY);
            unknownKey = new String(keyScratch, 0, MAX_KEY, StandardCharsets.UTF_8) + "...";
            return K_UNKNOWN;
        }
        u.readPayload(keyScratch, 0, n);
        outer:
        for (int k = 0; k < KEY_BYTES.length; k++) {
            byte[] kb = KEY_BYTES[k];
            if (kb.length != n) {
                continue;
            }
            for (int i = 0; i < n; i++) {
                if (kb[i] != keyScratch[i]) {
                    continue outer;
                }
            }
            return k;
        }
        unknownKey = new String(keyScratch, 0, n, StandardCharsets.UTF_8);
        return K_UNKNOWN;
    }

    private int mapHeader(int depth) throws IOException {
        checkDepth(depth);
        int n = u.unpackMapHeader();
        if (n > limits.maxMapSize()) {
            throw WireError.limit("map of " + n + " entries exceeds the limit of " + limits.maxMapSize());
        }
        if (2L * n > remaining()) {
            throw truncated();
        }
        return n;
    }

    private int arrayHeader(int depth) throws IOException {
        checkDepth(depth);
        int n = u.unpackArrayHeader();
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

    private String string(String what) throws IOException {
        int n = u.unpackRawStringHeader();
        return new String(payload(n, limits.maxStringBytes(), "str"), StandardCharsets.UTF_8);
    }

    private String optionalString(String what) throws IOException {
        MessageFormat f = u.getNextFormat();
        if (f == MessageFormat.NIL) {
            u.unpackNil();
            return null;
        }
        if (f.getValueType() != ValueType.STRING) {
            throw WireError.invalid(what + " must be a string, got " + typeName(f));
        }
        return string(what);
    }

    private boolean bool(String what, boolean dflt) throws IOException {
        MessageFormat f = u.getNextFormat();
        if (f == MessageFormat.NIL) {
            u.unpackNil();
            return dflt;
        }
        if (f.getValueType() != ValueType.BOOLEAN) {
            throw WireError.invalid(what + " must be a boolean, got " + typeName(f));
        }
        return u.unpackBoolean();
    }

    private void requireType(ValueType t, String what, String expected) throws IOException {
        MessageFormat f = u.getNextFormat();
        if (f.getValueType() != t) {
            throw WireError.invalid(what + " must be " + expected + ", got " + typeName(f));
        }
    }

    private byte[] payload(int n, int limit, String what) throws IOException {
        checkPayload(n, limit, what);
        return u.readPayload(n);
    }

    private void checkPayload(int n, int limit, String what) {
        if (n > limit) {
            throw WireError.limit(what + " value of " + n + " bytes exceeds the limit of " + limit);
        }
        if (n > remaining()) {
            throw truncated();
        }
    }

    /** A uint64 above Long.MAX_VALUE read as Long.MAX_VALUE (for cmd, limit, ids: out of range anyway). */
    private long clampU64() throws IOException {
        BigInteger b = u.unpackBigInteger();
        return b.bitLength() < 64 ? b.longValue() : Long.MAX_VALUE;
    }

    private long remaining() {
        return length - u.getTotalReadBytes();
    }

    private static WireError truncated() {
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

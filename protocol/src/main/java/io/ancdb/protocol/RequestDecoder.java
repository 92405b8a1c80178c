package io.ancdb.protocol;

import io.ancdb.OnConflict;
import org.msgpack.core.MessageFormat;
import org.msgpack.value.ValueType;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Turns the bytes of one request into a validated {@link Request}: reads the
 * map form {@code {"cmd": 1, "schema": "S", "key": 5}} or the compact form
 * {@code [cmd, schema, {payload}]} (trailing elements may be left out) into
 * its parts, then builds the command's record, checking what the command
 * needs. An unknown key, or a known one in the wrong map (a top-level
 * {@code on_conflict}, a {@code start} outside {@code range}), is an
 * InvalidCommand naming the key: a misspelt option must not be silently
 * ignored. One per session (it reuses its {@link WireReader}); not
 * thread-safe.
 */
final class RequestDecoder {
    // --- keys of the request map and of its nested option / range maps ---------------------
    private static final int K_CMD = 0;
    private static final int K_SCHEMA = 1;
    private static final int K_KEY = 2;
    private static final int K_RECORD = 3;
    private static final int K_RECORDS = 4;
    private static final int K_OPTIONS = 5;
    private static final int K_INDEX = 6;
    private static final int K_RANGE = 7;
    private static final int K_LIMIT = 8;
    private static final int K_ORDER = 9;
    private static final int K_DELTA = 10;
    private static final int K_FIELDS = 11;
    private static final int K_COMPOSITE = 12;
    private static final int K_TOKEN = 13;
    private static final int K_ON_CONFLICT = 14;
    private static final int K_START = 15;
    private static final int K_END = 16;
    private static final int K_START_INCLUSIVE = 17;
    private static final int K_END_INCLUSIVE = 18;
    private static final int K_VECTORS = 19;
    private static final int K_DB = 20;
    private static final int K_EXPECT_VERSION = 21;
    private static final int K_GLOB = 22;
    private static final int K_AFTER = 23;
    private static final int K_UNKNOWN = -1;
    private static final String[] KEY_NAMES = {"cmd", "schema", "key", "record", "records", "options", "index",
            "range", "limit", "order", "delta", "fields", "composite_indexes", "token", "on_conflict", "start",
            "end", "start_inclusive", "end_inclusive", "vectors", "db", "expect_version", "glob", "after"};
    private static final byte[][] KEYS = ascii(KEY_NAMES);
    /** The keys each map takes, for the error naming a key it does not. */
    private static final String REQUEST_KEYS = "cmd, schema, key, record, records, options, index, range, limit,"
            + " order, delta, fields, composite_indexes, token, vectors, db, expect_version, glob, after";
    private static final String OPTIONS_KEYS = "on_conflict";
    private static final String RANGE_KEYS = "start, end, start_inclusive, end_inclusive";

    /** ListDatabases' page size when the request gives none. */
    static final int DEFAULT_PAGE = 1000;

    private final WireReader in;
    private final Schemas schemas;

    // --- the parts of the request being decoded (reset by each decode) ----------------------
    private long cmd;
    private boolean hasCmd;
    private Object schema;
    private Schemas.Entry cached;
    private Object key;
    private boolean hasKey;
    private Map<String, Object> record;
    private List<Map<String, Object>> records;
    private OnConflict onConflict;
    private String index;
    private Object start;
    private Object end;
    private boolean startInclusive;
    private boolean endInclusive;
    private long limit;
    private boolean descending;
    private Map<String, Object> delta;
    private Object fields;
    private Object compositeIndexes;
    private byte[] token;
    private WireOptions.Vectors vectors;
    private Object db;
    private long expectVersion;
    private String glob;
    private String after;

    /**
     * @param schemas the one database's schema cache, so records decode typed; null in store mode, where
     *                the file (and so the schema) is known only once the command runs
     */
    RequestDecoder(Limits limits, Schemas schemas) {
        this.in = new WireReader(limits);
        this.schemas = schemas;
    }

    /** Decodes the {@code len} bytes of {@code b} from {@code off}. */
    Request decode(byte[] b, int off, int len) throws IOException {
        in.reset(b, off, len);
        clear();
        if (len == 0) {
            throw WireError.invalid("empty request");
        }
        readParts();
        if (in.remaining() != 0) {
            throw WireError.invalid("trailing bytes after the request");
        }
        return build();
    }

    /** Lets go of the request bytes and decoded values (so a large request is not kept reachable). */
    void release() throws IOException {
        clear();
        in.release();
    }

    private void clear() {
        cmd = -1;
        hasCmd = false;
        schema = null;
        cached = null;
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
        vectors = null;
        db = null;
        expectVersion = Request.ANY_VERSION;
        glob = null;
        after = null;
    }

    // --- reading the parts ------------------------------------------------------------------

    private void readParts() throws IOException {
        MessageFormat f = in.nextFormat();
        switch (f) {
            case FIXMAP, MAP16, MAP32 -> {
                int n = in.mapHeader(1);
                for (int i = 0; i < n; i++) {
                    part(in.key(KEYS), 1, false);
                }
            }
            case FIXARRAY, ARRAY16, ARRAY32 -> {
                int n = in.arrayHeader(1);
                if (n < 1 || n > 3) {
                    throw WireError.invalid("a compact request is [cmd, schema, payload], got an array of " + n);
                }
                part(K_CMD, 1, false);
                if (n >= 2) {
                    part(K_SCHEMA, 1, false);
                }
                if (n == 3 && !in.tryNil()) {
                    if (in.nextFormat().getValueType() != ValueType.MAP) {
                        throw WireError.invalid("the payload of a compact request must be a map");
                    }
                    int m = in.mapHeader(2);
                    for (int i = 0; i < m; i++) {
                        part(in.key(KEYS), 2, true);
                    }
                }
            }
            default -> throw WireError.invalid("a request must be a map (or a [cmd, schema, payload] array), got "
                    + WireReader.typeName(f));
        }
    }

    /** Reads the value of request key {@code k} ({@link #K_UNKNOWN}: another) in a map at {@code depth}. */
    private void part(int k, int depth, boolean inPayload) throws IOException {
        switch (k) {
            case K_CMD -> {
                if (inPayload) {
                    throw WireError.invalid("cmd is the first element of a compact request, not a payload key");
                }
                in.require(ValueType.INTEGER, "cmd", "an integer");
                cmd = in.clampedLong();
                hasCmd = true;
            }
            case K_SCHEMA -> {
                if (inPayload) {
                    throw WireError.invalid("schema is the second element of a compact request, not a payload key");
                }
                schemaPart();
            }
            case K_KEY -> {
                key = in.value(depth);
                hasKey = true;
            }
            case K_RECORD -> record = in.recordMap(depth, "record", cached);
            case K_DELTA -> delta = in.recordMap(depth, "delta", cached);
            case K_RECORDS -> recordsPart(depth);
            case K_OPTIONS -> {
                if (in.tryNil()) {
                    return;
                }
                in.require(ValueType.MAP, "options", "a map");
                int n = in.mapHeader(depth + 1);
                for (int i = 0; i < n; i++) {
                    int option = in.key(KEYS);
                    if (option != K_ON_CONFLICT) {
                        throw unknownKey(option, "options", OPTIONS_KEYS);
                    }
                    onConflict = onConflict(in.optionalString("options.on_conflict"));
                }
            }
            case K_INDEX -> index = in.optionalString("index");
            case K_RANGE -> rangePart(depth);
            case K_LIMIT -> {
                if (in.tryNil()) {
                    limit = 0;
                    return;
                }
                in.require(ValueType.INTEGER, "limit", "a non-negative integer");
                long v = in.clampedLong();
                if (v < 0) {
                    throw WireError.invalid("limit must be >= 0 (0 or absent: no limit), got " + v);
                }
                limit = v;
            }
            case K_ORDER -> {
                String o = in.optionalString("order");
                if (o == null || o.equalsIgnoreCase("asc")) {
                    descending = false;
                } else if (o.equalsIgnoreCase("desc")) {
                    descending = true;
                } else {
                    throw WireError.invalid("order must be \"asc\" or \"desc\", got \"" + Messages.clip(o) + "\"");
                }
            }
            case K_FIELDS -> fields = in.value(depth);
            case K_COMPOSITE -> compositeIndexes = in.value(depth);
            case K_TOKEN -> {
                ValueType t = in.nextFormat().getValueType();
                if (t == ValueType.STRING || t == ValueType.BINARY) {
                    token = in.bytes(t == ValueType.BINARY);
                } else {
                    in.value(depth);
                    token = null;
                }
            }
            case K_VECTORS -> {
                String v = in.optionalString("vectors");
                vectors = v == null ? null : WireOptions.Vectors.of(v);
            }
            case K_DB -> dbPart(depth);
            case K_EXPECT_VERSION -> {
                if (in.tryNil()) {
                    expectVersion = Request.ANY_VERSION;
                    return;
                }
                in.require(ValueType.INTEGER, "expect_version", "a non-negative integer");
                long v = in.clampedLong();
                if (v < 0) {
                    throw WireError.invalid("expect_version must be >= 0 (0: never written), got " + v);
                }
                expectVersion = v;
            }
            case K_GLOB -> glob = in.optionalString("glob");
            case K_AFTER -> after = in.optionalString("after");
            default -> throw unknownKey(k, "the request", REQUEST_KEYS);
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
            case K_UNKNOWN -> WireError.invalid("unknown key \"" + in.unknownKey() + "\" in " + where + " (it takes "
                    + expected + ")");
            default -> WireError.invalid("\"" + KEY_NAMES[k] + "\" does not belong in " + where + " (it takes "
                    + expected + ")");
        };
    }

    /** {@code db}: a name, or (a RangeScan across files) an array of names; nil: none. */
    private void dbPart(int depth) throws IOException {
        if (in.tryNil()) {
            db = null;
            return;
        }
        ValueType t = in.nextFormat().getValueType();
        if (t == ValueType.STRING) {
            db = in.string();
            return;
        }
        if (t != ValueType.ARRAY) {
            throw WireError.invalid("db must be a database name (or, for a RangeScan, an array of names), got "
                    + WireReader.typeName(in.nextFormat()));
        }
        int n = in.arrayHeader(depth + 1);
        List<String> names = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            in.require(ValueType.STRING, "db[" + i + "]", "a database name");
            names.add(in.string());
        }
        db = names;
    }

    private void schemaPart() throws IOException {
        MessageFormat f = in.nextFormat();
        switch (f.getValueType()) {
            case NIL -> {
                in.tryNil();
                schema = null;
            }
            case STRING -> {
                String name = in.string();
                schema = name;
                cached = schemas == null ? null : schemas.cached(name);
            }
            case INTEGER -> {
                Long id = in.clampedLong();
                schema = id;
                cached = schemas == null ? null : schemas.cached(id);
            }
            default -> throw WireError.invalid("schema must be a name or a numeric id, got " + WireReader.typeName(f));
        }
    }

    /** The batch: its size checked against the limit from its header, before any record is read. */
    private void recordsPart(int depth) throws IOException {
        if (in.tryNil()) {
            records = null;
            return;
        }
        in.require(ValueType.ARRAY, "records", "an array of maps");
        int n = in.arrayHeader(depth + 1);
        int max = in.limits().maxBatch();
        if (n > max) {
            throw WireError.limit("a batch of " + n + " records exceeds the limit of " + max);
        }
        List<Map<String, Object>> l = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            l.add(in.recordMap(depth + 1, "records[" + i + "]", cached));
        }
        records = l;
    }

    private void rangePart(int depth) throws IOException {
        if (in.tryNil()) {
            return;
        }
        in.require(ValueType.MAP, "range", "a map");
        int n = in.mapHeader(depth + 1);
        for (int i = 0; i < n; i++) {
            int k = in.key(KEYS);
            switch (k) {
                case K_START -> start = in.value(depth + 1);
                case K_END -> end = in.value(depth + 1);
                case K_START_INCLUSIVE -> startInclusive = in.bool("range.start_inclusive", true);
                case K_END_INCLUSIVE -> endInclusive = in.bool("range.end_inclusive", true);
                default -> throw unknownKey(k, "range", RANGE_KEYS);
            }
        }
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

    // --- building the command ---------------------------------------------------------------

    private Request build() {
        if (!hasCmd) {
            throw WireError.invalid("the request has no cmd");
        }
        int code = cmd < 0 || cmd > 0xff ? -1 : (int) cmd;
        return switch (code) {
            case Command.DIRECT_READ -> {
                requireKey("DirectRead");
                yield new Request.DirectRead(oneDb(), schemaRef("DirectRead"), key);
            }
            case Command.RANGE_SCAN -> rangeScan();
            case Command.ATOMIC_WRITE -> {
                require(record != null, "AtomicWrite needs record: a map of field name to value");
                yield new Request.AtomicWrite(oneDb(), expectVersion, schemaRef("AtomicWrite"), record, onConflict);
            }
            case Command.BATCH_WRITE -> {
                require(records != null, "BatchWrite needs records: an array of maps");
                yield new Request.BatchWrite(oneDb(), expectVersion, schemaRef("BatchWrite"), records, onConflict);
            }
            case Command.ATOMIC_UPDATE -> {
                requireKey("AtomicUpdate");
                require(delta != null, "AtomicUpdate needs delta: a map of field name to new value");
                yield new Request.AtomicUpdate(oneDb(), expectVersion, schemaRef("AtomicUpdate"), key, delta);
            }
            case Command.DELETE -> {
                requireKey("Delete");
                yield new Request.Delete(oneDb(), expectVersion, schemaRef("Delete"), key);
            }
            case Command.BEGIN_TX -> new Request.BeginTx(oneDb(), expectVersion);
            case Command.COMMIT_TX -> new Request.CommitTx();
            case Command.ROLLBACK_TX -> new Request.RollbackTx();
            case Command.DEFINE_SCHEMA -> new Request.DefineSchema(oneDb(),
                    DefinitionDecoder.decode(schema, fields, compositeIndexes));
            case Command.LIST_SCHEMAS -> new Request.ListSchemas(oneDb());
            case Command.STATS -> new Request.GetStats();
            case Command.LIST_DATABASES -> new Request.ListDatabases(glob, after, pageLimit());
            case Command.DATABASE_STATS -> new Request.DatabaseStats(requiredDb("DatabaseStats"));
            case Command.DROP_DATABASE -> new Request.DropDatabase(requiredDb("DropDatabase"));
            case Command.AUTH -> new Request.Auth(token);
            case Command.HELLO -> new Request.Hello(vectors);
            default -> throw WireError.invalid("unknown command " + (cmd >= 0 && cmd <= 0xffff
                    ? String.format("0x%02x", cmd) : Long.toString(cmd)));
        };
    }

    private Request.RangeScan rangeScan() {
        WireRange range = new WireRange(index == null || index.isEmpty() ? null : index, WireRange.prefix(start),
                startInclusive, WireRange.prefix(end), endInclusive, descending, limit);
        Request.SchemaRef s = schemaRef("RangeScan");
        if (db instanceof List<?> names) {
            require(!names.isEmpty(), "RangeScan: db is an empty list of databases");
            @SuppressWarnings("unchecked")
            List<String> l = (List<String>) names;
            return new Request.RangeScan(null, List.copyOf(l), null, s, range);
        }
        String name = (String) db;
        if (name != null && (name.indexOf('*') >= 0 || name.indexOf('?') >= 0)) {
            return new Request.RangeScan(null, null, name, s, range);
        }
        return new Request.RangeScan(name, null, null, s, range);
    }

    /** The one database the request names (null: none); a list is for RangeScan only. */
    private String oneDb() {
        if (db instanceof List<?>) {
            throw WireError.invalid("db must be one database name (a list of names is for RangeScan only)");
        }
        return (String) db;
    }

    private String requiredDb(String command) {
        String name = oneDb();
        require(name != null, command + " needs db: a database name");
        return name;
    }

    /** ListDatabases' page size: 1 .. 10 000, absent or 0: 1000. */
    private int pageLimit() {
        if (limit == 0) {
            return DEFAULT_PAGE;
        }
        if (limit > io.ancdb.store.Store.MAX_PAGE) {
            throw WireError.invalid("ListDatabases: limit must be within 1 .. " + io.ancdb.store.Store.MAX_PAGE
                    + ", got " + limit);
        }
        return (int) limit;
    }

    private Request.SchemaRef schemaRef(String command) {
        require(schema != null, command + " needs schema: a schema name or numeric id");
        return new Request.SchemaRef(schema, cached);
    }

    private void requireKey(String command) {
        require(hasKey, command + " needs key: the record's primary key");
    }

    private static void require(boolean present, String message) {
        if (!present) {
            throw WireError.invalid(message);
        }
    }

    private static byte[][] ascii(String... names) {
        byte[][] out = new byte[names.length][];
        for (int i = 0; i < names.length; i++) {
            out[i] = names[i].getBytes(StandardCharsets.US_ASCII);
        }
        return out;
    }
}

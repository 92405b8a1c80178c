package io.ancdb.protocol;

import io.ancdb.Database;
import io.ancdb.DatabaseOptions;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code ancdb.jar demo [FILE]} (what {@code make demo} runs): the AgentMemory
 * schema of the README defined, batch-written, read, range-scanned, updated
 * and deleted through MessagePack commands to an in-process dispatcher, then
 * the stock {@code sqlite3} commands that open the same file.
 */
final class Demo {
    static final String DEFAULT_FILE = "ancdb-demo.db";
    static final String SCHEMA = "AgentMemory";
    static final int RECORDS = 100;
    static final long T0 = 1_700_000_000_000L;

    private Demo() {
    }

    /** Runs the demo on {@code file} opened with {@code options} (encrypted when they carry a key). */
    static int run(Path file, DatabaseOptions options, PrintStream out) {
        boolean encrypted = options.key() != null;
        try (Database db = Database.open(file, options);
             CommandDispatcher d = new CommandDispatcher(db, Limits.defaults(), null)) {
            out.println("ANC-DB demo on " + file + (encrypted ? " (encrypted: SQLCipher 4 format)" : ""));
            Object id = call(d, TransportCodec.map("cmd", 0x20, "schema", SCHEMA, "fields", List.of(
                    field("id", "u64", "primary_key"),
                    field("timestamp", "i64", "indexed"),
                    field("content", "str", "compressed"),
                    field("embedding", "f32vec", null),
                    field("tags", "strlist", "indexed"))));
            out.println("defined schema " + SCHEMA + " (id " + id + "): id u64 pk, timestamp i64 indexed, "
                    + "content str compressed, embedding f32vec, tags strlist indexed");

            List<Object> records = new ArrayList<>();
            for (int i = 1; i <= RECORDS; i++) {
                records.add(record(i));
            }
            long t = System.nanoTime();
            Map<?, ?> resp = request(d, TransportCodec.map("cmd", 0x04, "schema", SCHEMA, "records", records,
                    "options", TransportCodec.map("on_conflict", "replace")));
            out.printf("batch-wrote %d records in one request: rows_affected %s, %d us server time, %d us total%n",
                    RECORDS, meta(resp, "rows_affected"), meta(resp, "execution_time_us"),
                    (System.nanoTime() - t) / 1000);

            Map<?, ?> r42 = (Map<?, ?>) call(d, TransportCodec.map("cmd", 0x01, "schema", SCHEMA, "key", 42));
            out.println("read id 42: content \"" + r42.get("content") + "\", tags " + r42.get("tags")
                    + ", embedding " + floats(r42.get("embedding")));

            Object scan = call(d, TransportCodec.map("cmd", 0x02, "schema", SCHEMA, "index", "timestamp",
                    "limit", 5, "order", "desc"));
            List<Object> newest = new ArrayList<>();
            for (Object row : rowsOf(scan)) {
                newest.add(((Map<?, ?>) row).get("id"));
            }
            out.println("range scan on timestamp, newest 5 first: ids " + newest);

            call(d, TransportCodec.map("cmd", 0x05, "schema", SCHEMA, "key", 42,
                    "delta", TransportCodec.map("content", "revised: the agent re-read memory #42")));
            Map<?, ?> again = (Map<?, ?>) call(d, TransportCodec.map("cmd", 0x01, "schema", SCHEMA, "key", 42));
            out.println("updated id 42: content now \"" + again.get("content") + "\"");

            call(d, TransportCodec.map("cmd", 0x06, "schema", SCHEMA, "key", 7));
            Map<?, ?> gone = request(d, TransportCodec.map("cmd", 0x01, "schema", SCHEMA, "key", 7));
            out.println("deleted id 7; reading it again answers status " + gone.get("status")
                    + " (" + gone.get("error") + ")");
            String check = db.integrityCheck();
            out.println("integrity check: " + (check.isEmpty() ? "ok" : check));
        } catch (DemoException e) {
            Transport.log("demo failed: " + e.getMessage());
            return 1;
        }
        out.println();
        if (encrypted) {
            out.println("The file is encrypted: the stock sqlite3 shell answers \"file is not a database\"."
                    + " Open it with SQLCipher 4 (or DB Browser for SQLite):");
            out.println("  sqlcipher " + file + "   then   PRAGMA key = '<your passphrase>';   (a raw key:"
                    + " PRAGMA key = \"x'<hex>'\";)   SELECT count(*) FROM " + SCHEMA + ";");
            return 0;
        }
        out.println("The file is a plain SQLite database. Open it with the stock shell:");
        out.println("  sqlite3 " + file + " \"PRAGMA integrity_check; SELECT count(*) FROM " + SCHEMA + ";\"");
        out.println("  sqlite3 " + file + " \"SELECT id, timestamp, tags FROM " + SCHEMA
                + " ORDER BY timestamp DESC LIMIT 3;\"");
        return 0;
    }

    static Map<String, Object> record(int i) {
        return TransportCodec.map(
                "id", i,
                "timestamp", T0 + i * 60_000L,
                "content", "memory #" + i + ": the agent noted observation " + (i * 7),
                "embedding", new float[] {i / 100f, 0.5f, -0.25f, (i % 10) / 10f},
                "tags", List.of("agent-" + (i % 3), i % 2 == 0 ? "even" : "odd"));
    }

    private static Map<String, Object> field(String name, String type, String flag) {
        Map<String, Object> f = TransportCodec.map("name", name, "type", type);
        if (flag != null) {
            f.put(flag, true);
        }
        return f;
    }

    /** A list of f32 values (decoded as doubles) printed as floats: [0.42, 0.5] not [0.41999998688697815, 0.5]. */
    static String floats(Object vector) {
        if (!(vector instanceof List<?> l)) {
            return String.valueOf(vector);
        }
        List<String> out = new ArrayList<>();
        for (Object o : l) {
            out.add(o instanceof Number n ? Float.toString(n.floatValue()) : String.valueOf(o));
        }
        return out.toString();
    }

    static List<?> rowsOf(Object data) {
        if (data instanceof Map<?, ?> m) {
            for (String k : List.of("records", "rows", "items")) {
                if (m.get(k) instanceof List<?> l) {
                    return l;
                }
            }
        }
        if (data instanceof List<?> l) {
            return l;
        }
        throw new DemoException("unexpected scan result: " + data);
    }

    private static Object meta(Map<?, ?> resp, String key) {
        return resp.get("meta") instanceof Map<?, ?> m ? m.get(key) : null;
    }

    private static Map<?, ?> request(CommandDispatcher d, Map<String, Object> req) {
        Object resp = TransportCodec.unpack(d.handle(TransportCodec.pack(req)));
        if (!(resp instanceof Map<?, ?> m)) {
            throw new DemoException("malformed response " + resp);
        }
        return m;
    }

    private static Object call(CommandDispatcher d, Map<String, Object> req) {
        Map<?, ?> m = request(d, req);
        if (!Long.valueOf(0).equals(m.get("status"))) {
            throw new DemoException("command 0x" + Integer.toHexString((Integer) req.get("cmd"))
                    + " answered status " + m.get("status") + ": " + m.get("error"));
        }
        return m.get("data");
    }

    static final class DemoException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        DemoException(String message) {
            super(message);
        }
    }
}

package io.ancdb.protocol;

import io.ancdb.protocol.FuzzWire.Answer;
import io.ancdb.protocol.FuzzWire.WireFailure;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;

import static io.ancdb.protocol.Msg.map;

/**
 * A well-formed client that works next to the fuzzers on one connection that
 * must never break: inserts, replaces, updates, deletes, batches and
 * transactions (committed or rolled back) on its own keys of the canary
 * schema, and checks every answer (reads and scans included) against its
 * model. Status 5 (the write lock was busy, here with a zero lock timeout) is
 * the one refusal allowed: nothing was applied, so it retries.
 */
final class CanaryClient {
    static final String SCHEMA = "Canary";
    /** Field names no fuzzer uses, so no fuzzed record fits this schema even if it names it by id. */
    static final List<Object> FIELDS = List.of(
            map("name", "ck", "type", "str", "primary_key", true),
            map("name", "cn", "type", "i64", "indexed", true),
            map("name", "cs", "type", "str"),
            map("name", "cb", "type", "bytes"));

    /** One record's non-key fields. */
    record Row(long n, String s, byte[] b) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Row r && r.n == n && r.s.equals(s) && Arrays.equals(r.b, b);
        }

        @Override
        public int hashCode() {
            return Objects.hash(n, s, Arrays.hashCode(b));
        }
    }

    private final String prefix;
    private final Random random;
    private final FuzzTally tally;
    private final NavigableMap<String, Row> model = new TreeMap<>();
    private final int keySpace;
    private FuzzWire w;

    /** @param keySpace keys this canary cycles through (bounded, so the file stays a fixed size in a soak) */
    CanaryClient(int id, long seed, FuzzTally tally, int keySpace) {
        this.prefix = "canary-" + id + "-";
        this.random = new Random(seed);
        this.tally = tally;
        this.keySpace = keySpace;
    }

    static Map<String, Object> defineSchema() {
        return map("cmd", 0x20, "schema", SCHEMA, "fields", FIELDS);
    }

    void connect(String host, int port, String token, WireErrorAudit audit) throws IOException {
        w = FuzzWire.authenticated(host, port, token, audit);
    }

    /** Runs operations until {@code stop}; every answer checked. */
    void run(BooleanSupplier stop) throws IOException {
        while (!stop.getAsBoolean()) {
            step();
        }
    }

    /** One operation, checked against the model. */
    void step() throws IOException {
        int op = random.nextInt(100);
        String key = key(random.nextInt(keySpace));
        if (op < 20) {
            insert(key);
        } else if (op < 30) {
            replace(key);
        } else if (op < 42) {
            update(key);
        } else if (op < 50) {
            delete(key);
        } else if (op < 75) {
            read(key);
        } else if (op < 85) {
            scan();
        } else if (op < 92) {
            batch();
        } else {
            transaction(random.nextBoolean());
        }
        tally.canaryOps.increment();
    }

    NavigableMap<String, Row> model() {
        return model;
    }

    String prefix() {
        return prefix;
    }

    void close() {
        if (w != null) {
            w.close();
        }
    }

    // --- operations ----------------------------------------------------------------------------

    private String key(int i) {
        return prefix + String.format("%06d", i);
    }

    private Row randomRow() {
        byte[] b = new byte[random.nextInt(64)];
        random.nextBytes(b);
        return new Row(random.nextLong(), "v" + random.nextInt() + "é✓".repeat(random.nextInt(3)), b);
    }

    private static Map<String, Object> record(String key, Row r) {
        return map("ck", key, "cn", r.n, "cs", r.s, "cb", r.b);
    }

    private void insert(String key) throws IOException {
        Row row = randomRow();
        Answer a = write(map("cmd", 0x03, "schema", SCHEMA, "record", record(key, row),
                "options", map("on_conflict", "fail")));
        if (model.containsKey(key)) {
            expect(a, Status.CONSTRAINT_VIOLATION, "insert of an existing key " + key);
        } else {
            expect(a, Status.SUCCESS, "insert " + key);
            same(key, a.data(), "the key returned by an insert");
            model.put(key, row);
        }
    }

    private void replace(String key) throws IOException {
        Row row = randomRow();
        Answer a = write(map("cmd", 0x03, "schema", SCHEMA, "record", record(key, row),
                "options", map("on_conflict", "replace")));
        expect(a, Status.SUCCESS, "replace " + key);
        model.put(key, row);
    }

    private void update(String key) throws IOException {
        long n = random.nextLong();
        Answer a = write(map("cmd", 0x05, "schema", SCHEMA, "key", key, "delta", map("cn", n)));
        Row old = model.get(key);
        if (old == null) {
            expect(a, Status.KEY_NOT_FOUND, "update of a missing key " + key);
            return;
        }
        expect(a, Status.SUCCESS, "update " + key);
        Row now = new Row(n, old.s, old.b);
        model.put(key, now);
        sameRecord(key, now, a.data(), "the record returned by an update");
    }

    private void delete(String key) throws IOException {
        Answer a = write(map("cmd", 0x06, "schema", SCHEMA, "key", key));
        expect(a, Status.SUCCESS, "delete " + key);
        same(model.remove(key) != null ? 1L : 0L, a.data(), "rows deleted of " + key);
    }

    private void read(String key) throws IOException {
        Answer a = w.call(Msg.pack(map("cmd", 0x01, "schema", SCHEMA, "key", key)));
        Row row = model.get(key);
        if (row == null) {
            expect(a, Status.KEY_NOT_FOUND, "read of a missing key " + key);
        } else {
            expect(a, Status.SUCCESS, "read " + key);
            sameRecord(key, row, a.data(), "read " + key);
        }
    }

    private void scan() throws IOException {
        boolean desc = random.nextBoolean();
        String from = key(random.nextInt(keySpace));
        Answer a = w.call(Msg.pack(map("cmd", 0x02, "schema", SCHEMA, "range",
                map("start", from, "end", prefix + "~"), "limit", 50L, "order", desc ? "desc" : "asc")));
        expect(a, Status.SUCCESS, "scan from " + from);
        NavigableMap<String, Row> want = model.tailMap(from, true);
        if (desc) {
            want = want.descendingMap();
        }
        List<Map.Entry<String, Row>> expected = new ArrayList<>(want.entrySet());
        expected = expected.subList(0, Math.min(50, expected.size()));
        if (!(a.data() instanceof List<?> got) || got.size() != expected.size()) {
            throw new WireFailure(prefix + ": scan from " + from + " returned " + a.data() + ", model has "
                    + expected.size());
        }
        for (int i = 0; i < got.size(); i++) {
            sameRecord(expected.get(i).getKey(), expected.get(i).getValue(), got.get(i), "scan row " + i);
        }
    }

    private void batch() throws IOException {
        List<Object> recs = new ArrayList<>();
        List<String> keys = new ArrayList<>();
        List<Row> rows = new ArrayList<>();
        for (int i = 0, n = 1 + random.nextInt(5); i < n; i++) {
            String k = key(random.nextInt(keySpace));
            if (keys.contains(k)) {
                continue;
            }
            Row r = randomRow();
            keys.add(k);
            rows.add(r);
            recs.add(record(k, r));
        }
        Answer a = write(map("cmd", 0x04, "schema", SCHEMA, "records", recs, "options", map("on_conflict", "replace")));
        expect(a, Status.SUCCESS, "batch");
        same(keys, a.data(), "keys of a batch");
        for (int i = 0; i < keys.size(); i++) {
            model.put(keys.get(i), rows.get(i));
        }
    }

    /** BeginTx, a few writes, then CommitTx (applied) or RollbackTx (nothing applied, checked by reads). */
    private void transaction(boolean commit) throws IOException {
        while (true) {
            Answer b = w.call(Msg.pack(map("cmd", 0x10)));
            if (b.status() == Status.TRANSACTION_CONFLICT) {
                retryPause();
                continue;
            }
            expect(b, Status.SUCCESS, "BeginTx");
            break;
        }
        NavigableMap<String, Row> pending = new TreeMap<>();
        for (int i = 0, n = 1 + random.nextInt(3); i < n; i++) {
            String k = key(random.nextInt(keySpace));
            Row r = randomRow();
            Answer a = w.call(Msg.pack(map("cmd", 0x03, "schema", SCHEMA, "record", record(k, r),
                    "options", map("on_conflict", "replace"))));
            expect(a, Status.SUCCESS, "replace in a transaction");
            pending.put(k, r);
        }
        expect(w.call(Msg.pack(map("cmd", commit ? 0x11 : 0x12))), Status.SUCCESS, commit ? "CommitTx" : "RollbackTx");
        if (commit) {
            model.putAll(pending);
        }
        for (String k : pending.keySet()) {
            read(k);
        }
    }

    /** An auto-commit write, retried while the write lock is busy (status 5: nothing applied). */
    private Answer write(Map<String, Object> request) throws IOException {
        byte[] bytes = Msg.pack(request);
        while (true) {
            Answer a = w.call(bytes);
            if (a.status() != Status.TRANSACTION_CONFLICT) {
                return a;
            }
            retryPause();
        }
    }

    private void retryPause() {
        tally.canaryRetries.increment();
        try {
            Thread.sleep(1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new WireFailure("interrupted");
        }
    }

    // --- checks --------------------------------------------------------------------------------

    private void expect(Answer a, int status, String what) {
        if (a.status() != status) {
            throw new WireFailure(prefix + ": " + what + " answered " + a + ", expected status " + status);
        }
    }

    private void same(Object want, Object got, String what) {
        if (!Objects.equals(want, got)) {
            throw new WireFailure(prefix + ": " + what + ": expected " + want + ", got " + got);
        }
    }

    void sameRecord(String key, Row row, Object got, String what) {
        if (!(got instanceof Map<?, ?> m) || !key.equals(m.get("ck")) || !Long.valueOf(row.n).equals(m.get("cn"))
                || !row.s.equals(m.get("cs")) || !(m.get("cb") instanceof byte[] b) || !Arrays.equals(b, row.b)) {
            throw new WireFailure(prefix + ": " + what + ": expected " + key + " " + row.n + " " + row.s
                    + ", got " + got);
        }
    }
}

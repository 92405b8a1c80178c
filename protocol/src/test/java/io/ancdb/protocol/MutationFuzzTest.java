package io.ancdb.protocol;

import io.ancdb.Database;
import io.ancdb.DatabaseOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import static io.ancdb.protocol.Msg.map;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * 100 000 mutations of valid requests of every command, with a fixed seed,
 * through one session: three quarters at the byte level (bit flips,
 * truncations, insertions, deletions, byte replacements, huge length
 * headers, splices), one quarter at the value level (one value anywhere in
 * the request replaced by a random value of any type): every one gets a
 * well-formed response with an integer status, nothing throws, and the file
 * stays sound. The same bytes also go through a MessageReader, which must
 * return a message, null, or a ProtocolException. The seed is printed;
 * {@code -Dancdb.seed=N} replays another.
 */
class MutationFuzzTest {
    static final int ROUNDS = 100_000;
    static final byte[] INTERESTING = {0, 1, 0x7f, (byte) 0x80, (byte) 0x8f, (byte) 0x90, (byte) 0x9f, (byte) 0xa0,
            (byte) 0xbf, (byte) 0xc0, (byte) 0xc1, (byte) 0xc2, (byte) 0xc3, (byte) 0xc4, (byte) 0xc6, (byte) 0xc9,
            (byte) 0xca, (byte) 0xcb, (byte) 0xcf, (byte) 0xd3, (byte) 0xd4, (byte) 0xd8, (byte) 0xd9, (byte) 0xdb,
            (byte) 0xdc, (byte) 0xdd, (byte) 0xde, (byte) 0xdf, (byte) 0xe0, (byte) 0xff};

    @TempDir
    Path dir;

    static List<byte[]> seeds() {
        List<byte[]> l = new ArrayList<>();
        for (Object o : seedObjects()) {
            l.add(Msg.pack(o));
        }
        return l;
    }

    static List<Object> seedObjects() {
        List<Object> fFields = List.of(
                map("name", "id", "type", "u64", "primary_key", true),
                map("name", "ts", "type", "i64", "indexed", true),
                map("name", "body", "type", "str", "compressed", true),
                map("name", "vec", "type", "f32vec"),
                map("name", "q", "type", "i8vec"),
                map("name", "tags", "type", "strlist", "indexed", true),
                map("name", "flag", "type", "bool"),
                map("name", "score", "type", "f64"),
                map("name", "raw", "type", "bytes"));
        List<Object> kFields = List.of(
                map("name", "k", "type", "str", "primary_key", true),
                map("name", "n", "type", "i64", "indexed", true));
        Map<String, Object> rec = map("id", 7, "ts", 100, "body", "hello world", "vec", new float[] {1f, -2f, 3.5f},
                "q", new float[] {0f, 1f}, "tags", List.of("a", "b"), "flag", true, "score", 2.5,
                "raw", new byte[] {1, 2, 3});
        List<Object> l = new ArrayList<>();
        l.add(map("cmd", 0x20, "schema", "F", "fields", fFields));
        l.add(map("cmd", 0x20, "schema", "K", "fields", kFields, "composite_indexes", List.of(List.of("n", "k"))));
        l.add(map("cmd", 1, "schema", "F", "key", 7));
        l.add(List.of(1, "F", map("key", 8)));
        l.add(map("cmd", 1, "schema", "K", "key", "a"));
        l.add(map("cmd", 2, "schema", "F", "index", "ts", "range", map("start", 0, "end", 1000,
                "start_inclusive", false), "limit", 10, "order", "desc"));
        l.add(map("cmd", 2, "schema", "F", "index", "tags", "range", map("start", "a", "end", "b")));
        l.add(List.of(2, "K", map("limit", 5)));
        l.add(map("cmd", 3, "schema", "F", "record", rec, "options", map("on_conflict", "replace")));
        l.add(map("cmd", 3, "schema", "F", "record", map("id", 0, "ts", 5, "tags", List.of("x"))));
        l.add(List.of(3, "K", map("record", map("k", "a", "n", 1), "options", map("on_conflict", "ignore"))));
        l.add(map("cmd", 4, "schema", "F", "records", List.of(map("id", 20, "ts", 1), map("id", 21, "ts", 2,
                "vec", new float[] {1f}), map("id", 22, "body", "x")), "options", map("on_conflict", "replace")));
        l.add(map("cmd", 4, "schema", "K", "records", List.of(map("k", "b", "n", 2), map("k", "c", "n", 3)),
                "options", map("on_conflict", "ignore")));
        l.add(map("cmd", 5, "schema", "F", "key", 7, "delta", map("ts", 101, "tags", List.of("c"))));
        l.add(List.of(5, "K", map("key", "a", "delta", map("n", 9))));
        l.add(map("cmd", 6, "schema", "F", "key", 21));
        l.add(map("cmd", 6, "schema", "K", "key", "c"));
        l.add(map("cmd", 0x10));
        l.add(map("cmd", 0x11));
        l.add(map("cmd", 0x12));
        l.add(List.of(0x12));
        l.add(map("cmd", 0x21));
        l.add(map("cmd", 0x22));
        l.add(map("cmd", 0x30, "token", "t"));
        l.add(map("cmd", 0x31, "vectors", "bin"));
        return l;
    }

    static byte[] mutate(byte[] m, List<byte[]> seeds, Random r) {
        byte[] b = m;
        int n = 1 + (r.nextInt(4) == 0 ? r.nextInt(3) : 0);
        for (int k = 0; k < n; k++) {
            b = mutateOnce(b, seeds, r);
        }
        return b;
    }

    static byte[] mutateOnce(byte[] m, List<byte[]> seeds, Random r) {
        int len = m.length;
        switch (r.nextInt(8)) {
            case 0 -> {                                            // bit flips
                byte[] b = m.clone();
                for (int i = 0, flips = 1 + r.nextInt(3); i < flips && len > 0; i++) {
                    b[r.nextInt(len)] ^= (byte) (1 << r.nextInt(8));
                }
                return b;
            }
            case 1 -> {                                            // truncation
                return Arrays.copyOf(m, len == 0 ? 0 : r.nextInt(len));
            }
            case 2 -> {                                            // insertion of random bytes
                int at = r.nextInt(len + 1);
                byte[] ins = new byte[1 + r.nextInt(8)];
                r.nextBytes(ins);
                return splice(m, at, at, ins);
            }
            case 3 -> {                                            // byte replacement
                byte[] b = m.clone();
                for (int i = 0, c = 1 + r.nextInt(4); i < c && len > 0; i++) {
                    b[r.nextInt(len)] = r.nextBoolean() ? INTERESTING[r.nextInt(INTERESTING.length)]
                            : (byte) r.nextInt(256);
                }
                return b;
            }
            case 4 -> {                                            // a huge length header written in
                int at = r.nextInt(len + 1);
                byte type = new byte[] {(byte) 0xc6, (byte) 0xdb, (byte) 0xdd, (byte) 0xdf, (byte) 0xc9,
                        (byte) 0xdc, (byte) 0xde, (byte) 0xda, (byte) 0xc5}[r.nextInt(9)];
                byte[] h = {type, (byte) 0xff, (byte) 0xff, (byte) (r.nextBoolean() ? 0xff : r.nextInt(256)),
                        (byte) r.nextInt(256)};
                int end = Math.min(len, at + (r.nextBoolean() ? h.length : 0));
                return splice(m, at, end, h);
            }
            case 5 -> {                                            // deletion of a range
                if (len == 0) {
                    return m;
                }
                int at = r.nextInt(len);
                return splice(m, at, Math.min(len, at + 1 + r.nextInt(8)), new byte[0]);
            }
            case 6 -> {                                            // duplication of a slice
                if (len == 0) {
                    return m;
                }
                int at = r.nextInt(len);
                int end = Math.min(len, at + 1 + r.nextInt(16));
                return splice(m, end, end, Arrays.copyOfRange(m, at, end));
            }
            default -> {                                           // splice with another request
                byte[] o = seeds.get(r.nextInt(seeds.size()));
                int a = r.nextInt(len + 1);
                int c = r.nextInt(o.length + 1);
                return splice(Arrays.copyOf(m, a), a, a, Arrays.copyOfRange(o, c, o.length));
            }
        }
    }

    /** The seed with one value (any node of its tree) replaced by a random value of any type. */
    static Object substitute(Object seed, Random r) {
        int[] target = {r.nextInt(countNodes(seed))};
        return rebuild(seed, target, r);
    }

    static int countNodes(Object o) {
        int n = 1;
        if (o instanceof Map<?, ?> m) {
            for (Object v : m.values()) {
                n += countNodes(v);
            }
        } else if (o instanceof List<?> l) {
            for (Object v : l) {
                n += countNodes(v);
            }
        }
        return n;
    }

    static Object rebuild(Object o, int[] target, Random r) {
        if (target[0]-- == 0) {
            return randomValue(r, 0);
        }
        if (o instanceof Map<?, ?> m) {
            Map<String, Object> out = new java.util.LinkedHashMap<>();
            for (Map.Entry<?, ?> e : m.entrySet()) {
                out.put((String) e.getKey(), rebuild(e.getValue(), target, r));
            }
            if (r.nextInt(20) == 0) {
                out.put(r.nextBoolean() ? "key" : "x" + r.nextInt(3), randomValue(r, 0));
            }
            return out;
        }
        if (o instanceof List<?> l) {
            List<Object> out = new ArrayList<>();
            for (Object v : l) {
                out.add(rebuild(v, target, r));
            }
            return out;
        }
        return o;
    }

    static Object randomValue(Random r, int depth) {
        return switch (r.nextInt(depth > 3 ? 14 : 17)) {
            case 0 -> null;
            case 1 -> r.nextBoolean();
            case 2 -> (long) r.nextInt(30) - 5;
            case 3 -> new long[] {Long.MIN_VALUE, Long.MAX_VALUE, -1, 0, 1L << 53, Integer.MAX_VALUE}[r.nextInt(6)];
            case 4 -> java.math.BigInteger.ONE.shiftLeft(64).subtract(java.math.BigInteger.valueOf(r.nextInt(3) + 1));
            case 5 -> new double[] {Double.NaN, Double.POSITIVE_INFINITY, -0.0, 1e300, 2.5, -7}[r.nextInt(6)];
            case 6 -> (float) r.nextGaussian();
            case 7 -> new String[] {"", "F", "K", "id", "ts", "tags", "vec", "a", "asc", "desc", "ignore", "replace",
                    "i64", "u64", "strlist", "f32vec", "x\u0000y", "é".repeat(r.nextInt(5))}[r.nextInt(18)];
            case 8 -> "s".repeat(r.nextInt(300));
            case 9 -> {
                byte[] b = new byte[r.nextInt(40)];
                r.nextBytes(b);
                yield b;
            }
            case 10 -> {
                float[] f = new float[r.nextInt(10)];
                for (int i = 0; i < f.length; i++) {
                    f[i] = (float) r.nextGaussian();
                }
                yield f;
            }
            case 11 -> (long) 0x01 + r.nextInt(0x31);
            case 12 -> new Msg.Raw(new byte[] {(byte) 0xd6, 1, 2, 3, 4, 5});        // an ext value
            case 13 -> {
                List<Object> l = new ArrayList<>();
                for (int i = 0, n = r.nextInt(4); i < n; i++) {
                    l.add(randomValue(r, depth + 1));
                }
                yield l;
            }
            case 14 -> {
                Map<String, Object> m = new java.util.LinkedHashMap<>();
                for (int i = 0, n = r.nextInt(4); i < n; i++) {
                    m.put(new String[] {"id", "ts", "k", "n", "start", "end", "on_conflict", "name", "type", "z"}
                            [r.nextInt(10)], randomValue(r, depth + 1));
                }
                yield m;
            }
            case 15 -> {
                byte[] deep = new byte[40 + r.nextInt(100)];
                java.util.Arrays.fill(deep, (byte) 0x91);
                deep[deep.length - 1] = 1;
                yield new Msg.Raw(deep);
            }
            default -> List.of("a", "b", "c".repeat(r.nextInt(3)));
        };
    }

    private static final Set<String> REQUEST_KEYS = Set.of("cmd", "schema", "key", "record", "records", "options",
            "index", "range", "limit", "order", "delta", "fields", "composite_indexes", "token", "vectors");

    /**
     * Whether a request holds a key the server does not take where it stands: in the request map (or the
     * payload of a compact request), in options (only on_conflict) or in range (only the bounds).
     */
    static boolean hasUnknownKey(Object request) {
        Map<?, ?> top;
        Set<String> allowed = REQUEST_KEYS;
        if (request instanceof Map<?, ?> m) {
            top = m;
        } else if (request instanceof List<?> l && l.size() == 3 && l.get(2) instanceof Map<?, ?> payload) {
            top = payload;
            allowed = new java.util.HashSet<>(REQUEST_KEYS);
            allowed.removeAll(Set.of("cmd", "schema"));
        } else {
            return false;
        }
        return !allowed.containsAll(top.keySet())
                || top.get("options") instanceof Map<?, ?> o && !Set.of("on_conflict").containsAll(o.keySet())
                || top.get("range") instanceof Map<?, ?> g
                        && !Set.of("start", "end", "start_inclusive", "end_inclusive").containsAll(g.keySet());
    }

    static byte[] splice(byte[] m, int from, int to, byte[] insert) {
        byte[] b = new byte[m.length - (to - from) + insert.length];
        System.arraycopy(m, 0, b, 0, from);
        System.arraycopy(insert, 0, b, from, insert.length);
        System.arraycopy(m, to, b, from + insert.length, m.length - to);
        return b;
    }

    @Test
    void mutatedRequestsNeverBreakTheDispatcherOrTheFile() throws IOException {
        Path file = dir.resolve("fuzz.db");
        List<byte[]> seeds = seeds();
        List<Object> seedObjects = seedObjects();
        long randomSeed = Long.getLong("ancdb.seed", 20240601L);
        System.out.println("MutationFuzzTest: seed " + randomSeed + " (replay with -Dancdb.seed=" + randomSeed + ")");
        Random r = new Random(randomSeed);
        int[] statuses = new int[256];
        int readerMessages = 0;
        int readerRefusals = 0;
        int unknownKeys = 0;
        Limits limits = Limits.defaults();
        try (Database db = Database.open(file, DatabaseOptions.defaults()
                .withJournalMode(DatabaseOptions.JournalMode.WAL)
                .withSynchronous(DatabaseOptions.Synchronous.OFF));
             CommandDispatcher d = new CommandDispatcher(db, limits, null)) {
            Session s = d.openSession();
            for (byte[] seed : seeds) {                            // valid requests (some answer 3 or 1)
                Msg.resp(s.handle(seed));
            }
            Msg.resp(s.handle(Msg.pack(map("cmd", 0x12))));        // end the seeds' transaction, if any
            for (byte[] seed : seeds) {
                Msg.resp(s.handle(seed));
            }
            for (int i = 0; i < ROUNDS; i++) {
                int pick = r.nextInt(seeds.size());
                Object substituted = r.nextInt(4) == 0 ? substitute(seedObjects.get(pick), r) : null;
                byte[] m = substituted != null ? Msg.pack(substituted) : mutate(seeds.get(pick), seeds, r);
                Msg.Resp resp = Msg.resp(s.handle(m));
                statuses[Math.min(255, resp.status())]++;
                if (resp.status() >= 100) {
                    throw new AssertionError("seed " + randomSeed + ", round " + i + ": internal error " + resp + " for "
                            + hex(m));
                }
                if (substituted != null && hasUnknownKey(substituted)) {
                    // never skipped: refused (1), unless a limit was hit on the way to the key (7)
                    unknownKeys++;
                    if (resp.status() != 1 && resp.status() != 7) {
                        throw new AssertionError("seed " + randomSeed + ", round " + i + ": a request with an unknown key"
                                + " answered " + resp + ": " + substituted);
                    }
                }
                if (i % 4 == 0) {
                    try {
                        byte[] msg = new MessageReader(new ByteArrayInputStream(m), limits).next();
                        if (msg != null) {
                            readerMessages++;
                            assertTrue(msg.length <= m.length);
                            assertEquals(0, Arrays.compare(msg, 0, msg.length, m, 0, msg.length));
                        }
                    } catch (ProtocolException e) {
                        readerRefusals++;
                        assertTrue(e.status() == 1 || e.status() == 7, e.getMessage());
                    }
                }
            }
            s.close();
            assertEquals(0, d.stats().openTransactions());
            assertEquals("", db.integrityCheck());
            // the database still works
            Session after = d.openSession();
            Msg.resp(after.handle(Msg.pack(map("cmd", 0x20, "schema", "After", "fields",
                    List.of(map("name", "k", "type", "i64", "primary_key", true)))))).ok();
            Msg.resp(after.handle(Msg.pack(map("cmd", 3, "schema", "After", "record", map("k", 1))))).ok();
            Msg.resp(after.handle(Msg.pack(map("cmd", 1, "schema", "After", "key", 1)))).ok();
            after.close();
            assertEquals(ROUNDS + 2L * seeds.size() + 4, d.stats().requests());
        }
        StringBuilder summary = new StringBuilder("fuzz statuses:");
        for (int i = 0; i < statuses.length; i++) {
            if (statuses[i] > 0) {
                summary.append(' ').append(i).append('=').append(statuses[i]);
            }
        }
        System.out.println(summary + "; reader: " + readerMessages + " messages, " + readerRefusals + " refusals; "
                + unknownKeys + " requests with an unknown key, all refused");
        assertTrue(unknownKeys > 100, "requests with an unknown key: " + unknownKeys);
        // a spread of outcomes: successes, malformed requests, missing keys and schemas, limits
        assertTrue(statuses[0] > 1000, "successes: " + statuses[0]);
        assertTrue(statuses[1] > 10_000, "invalid: " + statuses[1]);
        assertTrue(statuses[7] > 100, "limits: " + statuses[7]);
        assertTrue(statuses[2] + statuses[3] > 100, "not found: " + (statuses[2] + statuses[3]));
        assertTrue(readerMessages > 1000 && readerRefusals > 1000, readerMessages + " / " + readerRefusals);
        assertEquals(List.of("ok"), Msg.sqlite(file, "PRAGMA integrity_check"));
        assertEquals(List.of("1"), Msg.sqlite(file, "SELECT count(*) FROM After"));
    }

    static String hex(byte[] b) {
        StringBuilder sb = new StringBuilder();
        for (byte x : b) {
            sb.append(String.format("%02x", x));
        }
        return sb.toString();
    }
}

package io.ancdb.protocol;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static io.ancdb.protocol.Msg.map;

/**
 * Hostile byte sequences for the network fuzzer, each tagged with the kind of
 * attack it is. Byte-level and value-level mutations reuse
 * {@link MutationFuzzTest}'s mutators and seeds (schemas F and K); the other
 * kinds are stream attacks that only make sense on a socket (length lies,
 * huge declared sizes, deep nesting, garbage after a frame, pipelining) and
 * valid commands with hostile arguments.
 *
 * <p>Nothing generated here names the canary schema or its fields (the
 * canaries' data must stay out of the fuzzers' reach so their model stays
 * exact) or contains the server's token.
 */
final class HostileMessages {
    /** What a message tries; the report counts messages per kind. */
    enum Kind {
        BYTE_MUTATION(40), WRONG_TYPES(15), HOSTILE_ARGUMENTS(15), GARBAGE_AFTER_FRAME(7), LENGTH_LIE(6),
        RANDOM_BYTES(6), HUGE_DECLARED_SIZE(3), DEEP_NESTING(3), PIPELINED_VALID(2), UNAUTHENTICATED(3),
        /** Valid requests sent a few bytes at a time: every split point of the reader. */
        FRAGMENTED(2),
        /** Requests (a large scan among them) on a connection the client resets without reading the answers. */
        ABANDONED(1);

        final int weight;

        Kind(int weight) {
            this.weight = weight;
        }
    }

    /**
     * One hostile message: its kind and bytes. UNAUTHENTICATED ones go to a connection that never authenticated,
     * FRAGMENTED ones are written in small pieces, ABANDONED ones are followed by a reset.
     *
     * @param status the status its one response must have, or -1 when only the framing is predicted
     */
    record Hostile(Kind kind, byte[] bytes, int status) {
        Hostile(Kind kind, byte[] bytes) {
            this(kind, bytes, -1);
        }
    }

    private static final int TOTAL_WEIGHT = Arrays.stream(Kind.values()).mapToInt(k -> k.weight).sum();

    private final List<Object> seedObjects = new ArrayList<>();
    private final List<byte[]> seeds = new ArrayList<>();
    private final byte[] token;

    /** @param token the server's token: never produced, so every unauthenticated attempt must be refused */
    HostileMessages(String token) {
        this.token = token.getBytes(StandardCharsets.UTF_8);
        for (Object o : MutationFuzzTest.seedObjects()) {
            // a wrong Auth closes the connection: it is the UNAUTHENTICATED kind's job, not every kind's
            if (o instanceof Map<?, ?> m && Long.valueOf(0x30).equals(toLong(m.get("cmd")))) {
                continue;
            }
            seedObjects.add(o);
            seeds.add(Msg.pack(o));
        }
    }

    /** The valid seed requests (schemas F and K, every command), to run once unmutated before fuzzing. */
    List<byte[]> seeds() {
        return seeds;
    }

    Hostile next(Random r) {
        int pick = r.nextInt(TOTAL_WEIGHT);
        for (Kind k : Kind.values()) {
            pick -= k.weight;
            if (pick < 0) {
                boolean misplaced = k == Kind.HOSTILE_ARGUMENTS && r.nextInt(5) == 0;
                byte[] b = misplaced ? Msg.pack(misplacedKey(r)) : generate(k, r);
                if (b.length == 0 || contains(b, token)) {
                    return next(r);
                }
                return new Hostile(k, b, misplaced ? Status.INVALID_COMMAND : -1);
            }
        }
        throw new IllegalStateException();
    }

    private byte[] generate(Kind k, Random r) {
        return switch (k) {
            case BYTE_MUTATION -> MutationFuzzTest.mutate(seed(r), seeds, r);
            case WRONG_TYPES -> Msg.pack(MutationFuzzTest.substitute(seedObjects.get(r.nextInt(seedObjects.size())), r));
            case HOSTILE_ARGUMENTS -> Msg.pack(hostileArguments(r));
            case GARBAGE_AFTER_FRAME -> concat(seed(r), randomBytes(r, 1 + r.nextInt(32)));
            case LENGTH_LIE -> lengthLie(r);
            case RANDOM_BYTES -> randomBytes(r, 1 + r.nextInt(64));
            case HUGE_DECLARED_SIZE -> hugeDeclaredSize(r);
            case DEEP_NESTING -> deepNesting(r);
            case PIPELINED_VALID -> pipelined(r);
            case UNAUTHENTICATED -> unauthenticated(r);
            case FRAGMENTED -> r.nextBoolean() ? seed(r) : pipelined(r);
            case ABANDONED -> concat(pipelined(r), Msg.pack(map("cmd", 2, "schema", "F", "limit", 100_000L)));
        };
    }

    private byte[] seed(Random r) {
        return seeds.get(r.nextInt(seeds.size()));
    }

    // --- stream attacks -------------------------------------------------------------------------

    /** A header whose length or count disagrees with what follows. */
    private byte[] lengthLie(Random r) {
        byte[] m = seed(r);
        switch (r.nextInt(4)) {
            case 0 -> {                 // the whole request wrapped in a bin whose length is off by a little
                int len = Math.max(0, m.length + r.nextInt(9) - 4);
                return concat(new byte[] {(byte) 0xc6, (byte) (len >>> 24), (byte) (len >>> 16), (byte) (len >>> 8),
                        (byte) len}, m);
            }
            case 1 -> {                 // the request map's entry count changed (fixmap 0x8N)
                byte[] b = m.clone();
                if ((b[0] & 0xf0) == 0x80) {
                    b[0] = (byte) (0x80 | ((b[0] & 0x0f) + r.nextInt(5) - 2) & 0x0f);
                } else if ((b[0] & 0xf0) == 0x90) {
                    b[0] = (byte) (0x90 | ((b[0] & 0x0f) + r.nextInt(5) - 2) & 0x0f);
                }
                return b;
            }
            case 2 -> {                 // a str16 / bin16 / array16 claiming more than the rest of the message
                int at = r.nextInt(m.length + 1);
                int claim = 1 + r.nextInt(60_000);
                byte type = new byte[] {(byte) 0xda, (byte) 0xc5, (byte) 0xdc, (byte) 0xde}[r.nextInt(4)];
                return MutationFuzzTest.splice(m, at, at, new byte[] {type, (byte) (claim >>> 8), (byte) claim});
            }
            default -> {                // a str8 claiming fewer bytes than it carries: the rest becomes new messages
                String s = "x".repeat(40 + r.nextInt(100));             // str8: 0xd9, length
                byte[] str = Msg.pack(s);
                str[1] = (byte) (str[1] - 1 - r.nextInt(9));
                return concat(Msg.pack(map("cmd", 1, "schema", "K", "key", "k")), str);
            }
        }
    }

    /** Lengths or counts from 2^31 to 2^32 - 1 (or just over a default limit), at the top or inside a request. */
    private static byte[] hugeDeclaredSize(Random r) {
        long claim = r.nextBoolean() ? 0x8000_0000L + (r.nextLong() & 0x7fff_ffffL) : 16L * Limits.MIB + 1;
        byte type = new byte[] {(byte) 0xc6, (byte) 0xdb, (byte) 0xdd, (byte) 0xdf, (byte) 0xc9}[r.nextInt(5)];
        byte[] h = {type, (byte) (claim >>> 24), (byte) (claim >>> 16), (byte) (claim >>> 8), (byte) claim};
        byte[] tail = randomBytes(r, r.nextInt(200));
        if (r.nextBoolean()) {
            return concat(h, tail);
        }
        // {"cmd": 3, "schema": "F", "record": <huge>}
        return concat(new byte[] {(byte) 0x83}, Msg.pack("cmd"), new byte[] {3}, Msg.pack("schema"), Msg.pack("F"),
                Msg.pack("record"), h, tail);
    }

    /** Arrays or maps nested 20 to 5000 deep, alone or as a record value: around and far over the depth limit. */
    private static byte[] deepNesting(Random r) {
        int depth = r.nextBoolean() ? 20 + r.nextInt(20) : 40 + r.nextInt(5000);
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        boolean maps = r.nextBoolean();
        for (int i = 0; i < depth; i++) {
            if (maps) {
                o.write(0x81);
                o.write(0xa1);
                o.write('n');
            } else {
                o.write(0x91);
            }
        }
        o.write(0x01);
        byte[] nest = o.toByteArray();
        if (r.nextBoolean()) {
            return nest;
        }
        return concat(new byte[] {(byte) 0x83}, Msg.pack("cmd"), new byte[] {3}, Msg.pack("schema"), Msg.pack("K"),
                Msg.pack("record"), new byte[] {(byte) 0x82}, Msg.pack("k"), Msg.pack("deep"), Msg.pack("n"), nest);
    }

    /** Several valid requests in one write; every one must be answered, in order. */
    private byte[] pipelined(Random r) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        for (int i = 0, n = 2 + r.nextInt(19); i < n; i++) {
            o.writeBytes(seed(r));
        }
        o.writeBytes(Msg.pack(map("cmd", 0x12)));       // do not leave a BeginTx of the batch open
        return o.toByteArray();
    }

    /** Sent on a connection that has not authenticated: wrong tokens, and any other request. */
    private byte[] unauthenticated(Random r) {
        String t = new String(token, StandardCharsets.UTF_8);
        Object wrong = switch (r.nextInt(9)) {
            case 0 -> "";
            case 1 -> t.substring(0, t.length() - 1);                             // a prefix
            case 2 -> t.substring(0, t.length() - 1) + (char) (t.charAt(t.length() - 1) ^ 1);   // one bit off
            case 3 -> t + "x";                                                    // an extension
            case 4 -> t.toUpperCase().equals(t) ? t.toLowerCase() : t.toUpperCase();
            case 5 -> Arrays.copyOf(token, token.length - 1);                     // bin, not str
            case 6 -> (long) r.nextInt();
            case 7 -> null;
            default -> "y".repeat(r.nextInt(2000));
        };
        return switch (r.nextInt(4)) {
            case 0, 1 -> Msg.pack(map("cmd", 0x30, "token", wrong));
            case 2 -> Msg.pack(List.of(0x30, "", map("token", wrong)));
            default -> refusedBeforeAuth(r);
        };
    }

    /** A seed the server refuses before Auth: anything but Auth (left out of the seeds) and Hello. */
    private byte[] refusedBeforeAuth(Random r) {
        while (true) {
            int i = r.nextInt(seeds.size());
            if (!(seedObjects.get(i) instanceof Map<?, ?> m && Long.valueOf(0x31).equals(toLong(m.get("cmd"))))) {
                return seeds.get(i);
            }
        }
    }

    // --- valid commands, hostile arguments ------------------------------------------------------

    private static final Object[] HOSTILE_SCHEMAS = {"../../../../etc/passwd", "sqlite_master", "sqlite_schema",
            "F\u0000", "", " ", "F; DROP TABLE F", "%s%n%x", "K".repeat(5000), -1L, 0L, Long.MAX_VALUE, Long.MIN_VALUE,
            BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE), 1.5, true, new byte[] {'F'}, List.of("F"),
            map("name", "F")};
    private static final Object[] HOSTILE_KEYS = {null, Double.NaN, Double.NEGATIVE_INFINITY, -0.0, -1L,
            Long.MIN_VALUE, BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE), "", "\u0000", "a".repeat(70_000),
            new byte[0], new byte[300], List.of(), List.of(1, 2), map("id", 7), true};

    private static Object any(Object[] pool, Random r) {
        return pool[r.nextInt(pool.length)];
    }

    private static Object hostileArguments(Random r) {
        Object schema = r.nextInt(3) == 0 ? any(HOSTILE_SCHEMAS, r) : (r.nextBoolean() ? "F" : "K");
        return switch (r.nextInt(14)) {
            case 0 -> map("cmd", 1, "schema", schema, "key", any(HOSTILE_KEYS, r));
            case 1 -> map("cmd", 2, "schema", schema, "index", new Object[] {"nope", "", "sqlite_master", "ts", 5L,
                    "tags"}[r.nextInt(6)], "limit", new Object[] {-1L, 0L, Long.MAX_VALUE, Long.MIN_VALUE, "10",
                    2.5}[r.nextInt(6)], "order", new Object[] {"asc", "desc", "sideways", 1L, null}[r.nextInt(5)],
                    "range", map("start", any(HOSTILE_KEYS, r), "end", any(HOSTILE_KEYS, r),
                            "start_inclusive", r.nextBoolean() ? "yes" : false, "end_inclusive", null));
            case 2 -> map("cmd", 3, "schema", schema, "record", hostileRecord(r), "options",
                    map("on_conflict", new Object[] {"fail", "replace", "ignore", "bogus", 1L, null, ""}[r.nextInt(7)]));
            case 3 -> {                                      // one over the batch limit, or a batch with holes
                List<Object> recs = new ArrayList<>();
                int n = r.nextBoolean() ? 1001 : 1 + r.nextInt(20);
                for (int i = 0; i < n; i++) {
                    recs.add(r.nextInt(10) == 0 ? null : map("k", "b" + (i % 7), "n", (long) i));
                }
                yield map("cmd", 4, "schema", "K", "records", recs, "options", map("on_conflict", "fail"));
            }
            case 4 -> map("cmd", 4, "schema", schema, "records", new Object[] {"not a list", 5L, map(), List.of(List.of())}
                    [r.nextInt(4)]);
            case 5 -> map("cmd", 5, "schema", schema, "key", r.nextBoolean() ? 7L : any(HOSTILE_KEYS, r), "delta",
                    new Object[] {map("id", 8L), map("k", "z"), map("nope", 1L), null, map(), "delta",
                            map("ts", Double.NaN), map("tags", "not a list")}[r.nextInt(8)]);
            case 6 -> map("cmd", 6, "schema", schema, "key", any(HOSTILE_KEYS, r));
            case 7 -> map("cmd", new Object[] {-1L, 0L, 0x13L, 0x2fL, 256L, Long.MAX_VALUE, Long.MIN_VALUE,
                    BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE), "1", 1.0, null, true}[r.nextInt(12)],
                    "schema", "F", "key", 7L);
            case 8 -> map("cmd", 0x20, "schema", new Object[] {"H" + r.nextInt(4), "sqlite_master", "../x", "F",
                    "H\u0000x", "", 5L}[r.nextInt(7)], "fields", hostileFields(r), "composite_indexes",
                    new Object[] {null, List.of(List.of("nope")), List.of(), "x", List.of(List.of())}[r.nextInt(5)]);
            case 9 -> map("cmd", new long[] {0x21, 0x22}[r.nextInt(2)], "schema", schema);
            case 10 -> List.of(new Object[] {0x10L, 0x11L, 0x12L}[r.nextInt(3)], schema);
            case 11 -> map("cmd", 3, "schema", "F", "record", map("id", 0L, "vec", hugeVector(r), "q",
                    new float[] {1e30f, -1e30f, Float.NaN}));
            case 12 -> map("cmd", 2, "schema", "F", "index", "tags", "range", map("start", List.of("a", "b"),
                    "end", map("x", 1L)));
            default -> map("cmd", 1, "schema", schema, "key", 7L, "record", hostileRecord(r), "records",
                    List.of(), "delta", map(), "fields", List.of(), "token", "nope", "options", map("x", List.of()));
        };
    }

    /**
     * A valid request with one key that is unknown or in the wrong map (an on_conflict at the top, a range
     * bound in options, a typo): always status 1, never silently ignored.
     */
    private static Object misplacedKey(Random r) {
        Object junk = any(HOSTILE_KEYS, r);
        return switch (r.nextInt(7)) {
            case 0 -> map("cmd", new long[] {0x21, 0x22}[r.nextInt(2)], "junk", junk);
            case 1 -> map("cmd", 3, "schema", "K", "record", map("k", "m", "n", 1L), "on_conflict", "replace");
            case 2 -> map("cmd", 4, "schema", "K", "records", List.of(map("k", "m", "n", 1L)),
                    "options", map("on_conflict", "ignore", "onconflict", junk));
            case 3 -> map("cmd", 2, "schema", "K", "index", "n", "range", map("start", 1L, "stop", 5L));
            case 4 -> map("cmd", 2, "schema", "F", "start", 1L, "limit", 3L);
            case 5 -> List.of(1, "K", map("key", "m", "request_id", junk));
            default -> map("cmd", 1, "schema", "K", "key", "m", "x".repeat(40 + r.nextInt(200)), junk);
        };
    }

    private static float[] hugeVector(Random r) {
        float[] f = new float[r.nextInt(20_000)];
        for (int i = 0; i < f.length; i++) {
            f[i] = (float) r.nextGaussian();
        }
        return f;
    }

    private static Object hostileRecord(Random r) {
        return switch (r.nextInt(8)) {
            case 0 -> map("id", -1L, "ts", 1L);                           // u64 negative
            case 1 -> map("id", 1.8446744073709552e19, "ts", 1L);        // u64 overflow, as a float
            case 2 -> map("id", 5L, "ts", 1.5, "tags", "x", "flag", "yes", "score", "high");
            case 3 -> map("id", 5L, "body", "b".repeat(60_000), "raw", new byte[60_000]);
            case 4 -> {
                Map<String, Object> m = map("id", 6L);
                for (int i = 0; i < 300; i++) {
                    m.put("f" + i, (long) i);
                }
                yield m;
            }
            case 5 -> map("k", null, "n", 1L);
            case 6 -> map("id", 9L, "tags", List.of("a", 5L, List.of()));
            default -> "not a map";
        };
    }

    private static Object hostileFields(Random r) {
        return switch (r.nextInt(8)) {
            case 0 -> List.of();
            case 1 -> List.of(map("name", "id", "type", "u128", "primary_key", true));
            case 2 -> List.of(map("name", "id", "type", "u64", "primary_key", true),
                    map("name", "id", "type", "i64"));                  // duplicate field
            case 3 -> List.of(map("name", "a", "type", "u64", "primary_key", true),
                    map("name", "b", "type", "u64", "primary_key", true));   // two primary keys
            case 4 -> {
                List<Object> l = new ArrayList<>();
                l.add(map("name", "id", "type", "u64", "primary_key", true));
                for (int i = 0; i < 600; i++) {
                    l.add(map("name", "f" + i, "type", "i64", "indexed", i % 2 == 0));
                }
                yield l;
            }
            case 5 -> List.of(map("name", "x".repeat(300), "type", "str", "primary_key", "yes"));
            case 6 -> "fields";
            default -> List.of(map("name", "id", "type", "u64", "primary_key", true),
                    map("name", "", "type", "str"), map("name", "\u0000", "type", "bytes"));
        };
    }

    // --- helpers --------------------------------------------------------------------------------

    private static Long toLong(Object o) {
        return o instanceof Number n ? n.longValue() : null;
    }

    static byte[] randomBytes(Random r, int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = r.nextInt(3) == 0 ? MutationFuzzTest.INTERESTING[r.nextInt(MutationFuzzTest.INTERESTING.length)]
                    : (byte) r.nextInt(256);
        }
        return b;
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            o.writeBytes(p);
        }
        return o.toByteArray();
    }

    static boolean contains(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }
}

package io.ancdb;

import io.ancdb.schema.Column;
import io.ancdb.schema.IndexSpec;
import io.ancdb.schema.SqlType;
import io.ancdb.schema.TableSpec;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Deque;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.LongStream;
import java.util.Set;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Model-based test: random sequences of row writes, savepoints, commits,
 * rollbacks and reopens on two indexed tables, checked step by step against
 * an in-memory model ({@code TreeMap<Long, Object[]>} per table, with a copy
 * of the maps per open savepoint).
 *
 * <p>Table {@code a(id INTEGER PRIMARY KEY, k BLOB, v TEXT)} has the
 * non-unique index {@code a_kv(k, v)}; table {@code b(id INTEGER PRIMARY
 * KEY, u BLOB, w INTEGER)} has the UNIQUE index {@code b_u(u)}. {@code k} and
 * {@code u} have no affinity, so they hold a mix of NULLs, integers, reals,
 * text and blobs and index order follows SQLite's rules (NULL &lt; numbers
 * &lt; text &lt; blob; numbers compared numerically, int against real exactly;
 * text and blobs by memcmp).
 */
class ModelBasedTest {
    private static final int OPS = 3000;
    private static final String[] TABLES = {"a", "b"};
    private static final String[] SAVEPOINT_NAMES = {"s0", "s1", "s2", "s3"};

    @TempDir
    Path dir;

    // --- the model --------------------------------------------------------------------------------

    /** The rows of both tables. */
    static final class Model {
        final TreeMap<Long, Object[]> a;
        final TreeMap<Long, Object[]> b;

        Model() {
            this(new TreeMap<>(), new TreeMap<>());
        }

        private Model(TreeMap<Long, Object[]> a, TreeMap<Long, Object[]> b) {
            this.a = a;
            this.b = b;
        }

        Model copy() {
            return new Model(new TreeMap<>(a), new TreeMap<>(b));   // rows are never mutated in place
        }

        TreeMap<Long, Object[]> table(String t) {
            return t.equals("a") ? a : b;
        }

        /** Rowids an insert of {@code v} under {@code rowid} conflicts with: the rowid, and a unique match in b. */
        Set<Long> conflicts(String t, long rowid, Object[] v) {
            Set<Long> out = new LinkedHashSet<>();
            if (table(t).containsKey(rowid)) {
                out.add(rowid);
            }
            Long u = uniqueOwner(t, v);
            if (u != null && u != rowid) {
                out.add(u);
            }
            return out;
        }

        /** The rowid of the b row whose u equals v's u (SQLite equality; NULLs never match), or null. */
        Long uniqueOwner(String t, Object[] v) {
            if (!t.equals("b") || v[1] == null) {
                return null;
            }
            for (Map.Entry<Long, Object[]> e : b.entrySet()) {
                if (e.getValue()[1] != null && SQLITE_ORDER.compare(e.getValue()[1], v[1]) == 0) {
                    return e.getKey();
                }
            }
            return null;
        }
    }

    /** SQLite's value order (BINARY collation), written independently of ANC-DB's ValueOrder. */
    static final Comparator<Object> SQLITE_ORDER = (x, y) -> {
        int rx = rank(x);
        int ry = rank(y);
        if (rx != ry) {
            return Integer.compare(rx, ry);
        }
        return switch (rx) {
            case 0 -> 0;
            case 1 -> exact(x).compareTo(exact(y));
            case 2 -> Arrays.compareUnsigned(((String) x).getBytes(StandardCharsets.UTF_8),
                    ((String) y).getBytes(StandardCharsets.UTF_8));
            default -> Arrays.compareUnsigned((byte[]) x, (byte[]) y);
        };
    };

    private static int rank(Object v) {
        return v == null ? 0 : v instanceof Number ? 1 : v instanceof String ? 2 : 3;
    }

    private static BigDecimal exact(Object n) {
        return n instanceof Double d ? new BigDecimal(d) : BigDecimal.valueOf((Long) n);
    }

    static int compareKeys(Object[] x, Object[] y, int n) {
        for (int i = 0; i < n; i++) {
            int c = SQLITE_ORDER.compare(x[i], y[i]);
            if (c != 0) {
                return c;
            }
        }
        return 0;
    }

    // --- random values ------------------------------------------------------------------------------

    /**
     * Keys for a_kv and b_u: every storage class, int/real ties (1 and 1.0),
     * ints beyond double precision, and text whose UTF-8 order differs from
     * Java's String order. Not -0.0: ANC-DB's ValueOrder orders it apart from
     * 0 and 0.0 (SQLite holds them equal), so range scans with a 0 bound miss
     * rows (reported).
     */
    private static final Object[] KEY_DOMAIN = {
        null, 0L, 1L, 2L, -3L, 5L, 1.0, 2.5, -0.5, -3.0, Long.MAX_VALUE, Long.MIN_VALUE,
        9007199254740992L, 9007199254740993L, 9.007199254740992E15, 1e300, -1e300,
        "", "a", "ab", "b", "A", "\u00e9", "\uFFFD", "\uD83D\uDE00", "it's", "x\ny",
        new byte[0], new byte[] {0}, new byte[] {1, 2}, new byte[] {(byte) 0xff}, new byte[] {(byte) 0x80, 0},
    };

    private static Object randomKey(Random rnd) {
        Object v = KEY_DOMAIN[rnd.nextInt(KEY_DOMAIN.length)];
        return v instanceof byte[] bs ? bs.clone() : v;
    }

    /**
     * A value for the UNIQUE column b.u. Not 2^53 + 1: WriteTx.sameValue
     * compares an integer with a real through double, so it takes
     * 9007199254740993 and 9.007199254740992E15 for equal and refuses a row
     * SQLite accepts (reported; the model keeps the SQLite semantics).
     */
    private static Object randomUniqueKey(Random rnd) {
        Object v;
        do {
            v = randomKey(rnd);
        } while (Long.valueOf(9007199254740993L).equals(v));
        return v;
    }

    private static final String[] TEXTS = {"x", "y", "zz", "", "\u4e2d\u6587", "q'q"};

    /** Values for table t under rowid (INTEGER PRIMARY KEY given as null or as the rowid). */
    private static Object[] randomValues(Random rnd, String t, long rowid) {
        Object id = rnd.nextInt(4) == 0 ? (Object) rowid : null;
        if (t.equals("a")) {
            Object v = rnd.nextInt(5) == 0 ? null : TEXTS[rnd.nextInt(TEXTS.length)];
            return new Object[] {id, randomKey(rnd), v};
        }
        Object w = switch (rnd.nextInt(5)) {
            case 0 -> null;
            case 1 -> (double) (rnd.nextInt(20) - 10);   // INTEGER affinity makes it an integer
            case 2 -> rnd.nextInt(40) + 0.25;            // stays a real
            default -> (long) rnd.nextInt(1000) - 500;
        };
        return new Object[] {id, randomUniqueKey(rnd), w};
    }

    /** The row as the model (and ANC-DB) hold it: rowid in the alias, affinity applied. */
    private static Object[] stored(String t, long rowid, Object[] v) {
        Object[] s = v.clone();
        s[0] = rowid;
        if (t.equals("b") && s[2] instanceof Double d && d == Math.rint(d)) {
            s[2] = d.longValue();
        }
        return s;
    }

    private static long randomRowid(Random rnd, Model m, String t) {
        TreeMap<Long, Object[]> rows = m.table(t);
        if (!rows.isEmpty() && rnd.nextInt(3) == 0) {
            // an existing row
            Long k = rows.ceilingKey((long) rnd.nextInt(100) - 5);
            return k != null ? k : rows.firstKey();
        }
        return rnd.nextInt(10) == 0 ? -rnd.nextInt(5) : 1 + rnd.nextInt(70);
    }

    // --- the test -------------------------------------------------------------------------------------

    private final Deque<String> log = new ArrayDeque<>();
    private long seed;
    private int step;

    private void note(String s) {
        log.addLast(step + ": " + s);
        if (log.size() > 30) {
            log.removeFirst();
        }
    }

    private String where() {
        return "seed " + seed + ", step " + step + "; last ops:\n  " + String.join("\n  ", log);
    }

    private record Sp(String name, Model snapshot) {
    }

    static LongStream seeds() {
        return TestSeeds.seeds(1L, 7L, 42L, 1234L, 987654321L);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void randomOperationsMatchTheModel(long seed) throws Exception {
        this.seed = seed;
        TestSeeds.announce("ModelBasedTest", TestSeeds.PROPERTY, seed);
        Random rnd = new Random(seed);
        Path file = dir.resolve("model-" + seed + ".db");
        DatabaseOptions opts = options(rnd);
        Database db = Database.open(file, opts);
        note("open " + opts.journalMode());
        db.runWrite(tx -> {
            tx.createTable(TableSpec.of("a", Column.rowid("id"), Column.of("k", SqlType.BLOB), Column.of("v", SqlType.TEXT)));
            tx.createTable(TableSpec.of("b", Column.rowid("id"), Column.of("u", SqlType.BLOB), Column.of("w", SqlType.INTEGER)));
            tx.createIndex(new IndexSpec("a_kv", "a", List.of("k", "v"), false));
            tx.createIndex(new IndexSpec("b_u", "b", List.of("u"), true));
        });
        Model committed = new Model();
        Model cur = null;
        WriteTx tx = null;
        Deque<Sp> sps = new ArrayDeque<>();     // innermost first
        int commits = 0;
        int rollbacks = 0;
        int reopens = 0;
        int violations = 0;
        try {
            for (step = 0; step < OPS; step++) {
                if (tx == null) {
                    if (rnd.nextInt(25) == 0) {
                        db.close();
                        opts = options(rnd);
                        note("reopen " + opts.journalMode());
                        db = Database.open(file, opts);
                        reopens++;
                        verify(db, committed, rnd);
                    }
                    note("beginWrite");
                    tx = db.beginWrite();
                    cur = committed.copy();
                    sps.clear();
                }
                int op = rnd.nextInt(100);
                String t = TABLES[rnd.nextInt(2)];
                if (op < 30) {
                    // insert under an explicit rowid
                    long rowid = randomRowid(rnd, cur, t);
                    Object[] v = randomValues(rnd, t, rowid);
                    OnConflict oc = OnConflict.values()[rnd.nextInt(OnConflict.values().length)];
                    note("insert " + t + " " + rowid + " " + Arrays.deepToString(v) + " " + oc);
                    Set<Long> conflicts = cur.conflicts(t, rowid, v);
                    if (conflicts.isEmpty() || oc == OnConflict.REPLACE) {
                        assertEquals(true, tx.insert(t, rowid, v, oc), where());
                        conflicts.forEach(cur.table(t)::remove);
                        cur.table(t).put(rowid, stored(t, rowid, v));
                    } else if (oc == OnConflict.IGNORE) {
                        assertEquals(false, tx.insert(t, rowid, v, oc), where());
                    } else {
                        WriteTx w = tx;
                        expectViolation(() -> w.insert(t, rowid, v, oc));
                        violations++;
                        checkUnchanged(tx, cur, t, rowid);
                    }
                } else if (op < 38) {
                    // insert with a generated rowid
                    Object[] v = randomValues(rnd, t, 0);
                    v[0] = null;
                    TreeMap<Long, Object[]> rows = cur.table(t);
                    long expected = rows.isEmpty() ? 1 : rows.lastKey() + 1;
                    note("insert " + t + " (auto " + expected + ") " + Arrays.deepToString(v));
                    WriteTx w = tx;
                    if (cur.uniqueOwner(t, v) != null) {
                        expectViolation(() -> w.insert(t, v));
                        violations++;
                        checkUnchanged(tx, cur, t, expected);
                    } else {
                        assertEquals(expected, tx.insert(t, v), where());
                        rows.put(expected, stored(t, expected, v));
                    }
                } else if (op < 46) {
                    long rowid = randomRowid(rnd, cur, t);
                    Object[] v = randomValues(rnd, t, rowid);
                    note("put " + t + " " + rowid + " " + Arrays.deepToString(v));
                    tx.put(t, rowid, v);
                    cur.conflicts(t, rowid, v).forEach(cur.table(t)::remove);
                    cur.table(t).put(rowid, stored(t, rowid, v));
                } else if (op < 60) {
                    long rowid = randomRowid(rnd, cur, t);
                    Object[] v = randomValues(rnd, t, rowid);
                    note("update " + t + " " + rowid + " " + Arrays.deepToString(v));
                    Long owner = cur.uniqueOwner(t, v);
                    if (!cur.table(t).containsKey(rowid)) {
                        assertEquals(false, tx.update(t, rowid, v), where());
                    } else if (owner != null && owner != rowid) {
                        WriteTx w = tx;
                        expectViolation(() -> w.update(t, rowid, v));
                        violations++;
                        checkUnchanged(tx, cur, t, rowid);
                    } else {
                        assertEquals(true, tx.update(t, rowid, v), where());
                        cur.table(t).put(rowid, stored(t, rowid, v));
                    }
                } else if (op < 72) {
                    long rowid = randomRowid(rnd, cur, t);
                    note("delete " + t + " " + rowid);
                    assertEquals(cur.table(t).remove(rowid) != null, tx.delete(t, rowid), where());
                } else if (op < 77) {
                    String name = SAVEPOINT_NAMES[rnd.nextInt(SAVEPOINT_NAMES.length)];
                    note("savepoint " + name);
                    tx.savepoint(name);
                    sps.push(new Sp(name, cur.copy()));
                } else if (op < 81) {
                    String name = SAVEPOINT_NAMES[rnd.nextInt(SAVEPOINT_NAMES.length)];
                    note("rollbackTo " + name);
                    Sp sp = find(sps, name);
                    if (sp == null) {
                        WriteTx w = tx;
                        expectInvalid(() -> w.rollbackTo(name));
                    } else {
                        tx.rollbackTo(name);
                        while (sps.peek() != sp) {
                            sps.pop();
                        }
                        cur = sp.snapshot().copy();
                    }
                } else if (op < 84) {
                    String name = SAVEPOINT_NAMES[rnd.nextInt(SAVEPOINT_NAMES.length)];
                    note("release " + name);
                    Sp sp = find(sps, name);
                    if (sp == null) {
                        WriteTx w = tx;
                        expectInvalid(() -> w.release(name));
                    } else {
                        tx.release(name);
                        while (sps.pop() != sp) {
                            // inner savepoints end too
                        }
                    }
                } else if (op < 88) {
                    note("read through the write transaction");
                    verifyIn(tx, cur, rnd);
                } else if (op < 96) {
                    note("commit");
                    tx.commit();
                    tx = null;
                    committed = cur;
                    commits++;
                    verify(db, committed, rnd);
                } else {
                    note("rollback");
                    tx.rollback();
                    tx = null;
                    rollbacks++;
                    verify(db, committed, rnd);
                }
            }
            if (tx != null) {
                note("final commit");
                tx.commit();
                tx = null;
                committed = cur;
            }
            verify(db, committed, rnd);
            assertEquals("", db.integrityCheck(), where());
        } catch (AssertionError | RuntimeException e) {
            throw new AssertionError("failed at " + where() + "\n" + e, e);
        } finally {
            if (tx != null && tx.isOpen()) {
                tx.rollback();
            }
            db.close();
        }
        assertEquals(List.of("ok"), ScanOracleTest.shell(file, "PRAGMA integrity_check"), "seed " + seed);
        assertEquals(String.valueOf(committed.a.size()), ScanOracleTest.shell(file, "SELECT count(*) FROM a").get(0));
        assertEquals(String.valueOf(committed.b.size()), ScanOracleTest.shell(file, "SELECT count(*) FROM b").get(0));
        System.out.printf("ModelBasedTest seed %d: %d commits, %d rollbacks, %d reopens, %d constraint violations, "
                + "final rows a=%d b=%d%n", seed, commits, rollbacks, reopens, violations, committed.a.size(), committed.b.size());
        // a run that never hit the interesting paths would prove little
        if (commits < 20 || rollbacks < 2 || reopens < 2 || violations < 5) {
            fail("seed " + seed + " exercised too little: " + commits + " commits, " + rollbacks + " rollbacks, "
                    + reopens + " reopens, " + violations + " violations");
        }
    }

    private static DatabaseOptions options(Random rnd) {
        return DatabaseOptions.defaults()
                .withJournalMode(rnd.nextBoolean() ? DatabaseOptions.JournalMode.WAL : DatabaseOptions.JournalMode.DELETE)
                .withSynchronous(DatabaseOptions.Synchronous.OFF);
    }

    private static Sp find(Deque<Sp> sps, String name) {
        for (Sp sp : sps) {
            if (sp.name().equals(name)) {
                return sp;          // the innermost of that name, as SQL's ROLLBACK TO / RELEASE
            }
        }
        return null;
    }

    private void expectViolation(Runnable r) {
        try {
            r.run();
        } catch (ConstraintViolationException e) {
            assertEquals(ErrorCode.CONSTRAINT_VIOLATION, e.errorCode(), where());
            return;
        }
        fail("expected a ConstraintViolationException at " + where());
    }

    private void expectInvalid(Runnable r) {
        try {
            r.run();
        } catch (InvalidArgumentException e) {
            return;
        }
        fail("expected an InvalidArgumentException (no such savepoint) at " + where());
    }

    /** After a refused write: the row and the table size are as the model says. */
    private void checkUnchanged(ReadTx tx, Model m, String t, long rowid) {
        assertRow(m.table(t).get(rowid), tx.get(t, rowid), t + " row " + rowid + " after a refused write");
        assertEquals(m.table(t).size(), tx.count(t), "count of " + t + " after a refused write at " + where());
    }

    private void assertRow(Object[] expected, Row actual, String what) {
        if (expected == null) {
            assertEquals(null, actual, what + " at " + where());
        } else {
            if (actual == null || !Arrays.deepEquals(expected, actual.values()) || actual.rowid() != (Long) expected[0]) {
                fail(what + ": expected " + Arrays.deepToString(expected) + " but got " + actual + " at " + where());
            }
        }
    }

    // --- verification -------------------------------------------------------------------------------

    private void verify(Database db, Model m, Random rnd) {
        try (ReadTx r = db.beginRead()) {
            verifyIn(r, m, rnd);
        }
    }

    private void verifyIn(ReadTx r, Model m, Random rnd) {
        for (String t : TABLES) {
            TreeMap<Long, Object[]> rows = m.table(t);
            assertEquals(rows.size(), r.count(t), "count(" + t + ") at " + where());
            for (int i = 0; i < 12; i++) {
                long k = i < 4 && !rows.isEmpty() ? randomRowid(rnd, m, t) : (long) rnd.nextInt(90) - 10;
                assertRow(rows.get(k), r.get(t, k), "get " + t + " " + k);
            }
            assertRows(new ArrayList<>(rows.values()), r.scan(t), "scan " + t);
            assertRows(new ArrayList<>(rows.descendingMap().values()),
                    r.scan(t, Long.MIN_VALUE, Long.MAX_VALUE, true), "descending scan " + t);
            // a rowid range
            long lo = rnd.nextInt(80) - 10;
            long hi = lo + rnd.nextInt(40);
            assertRows(new ArrayList<>(rows.subMap(lo, true, hi, true).values()), r.scan(t, lo, hi, false),
                    "scan " + t + " [" + lo + ", " + hi + "]");
            // the index: all of it, both ways, then random ranges
            String index = t.equals("a") ? "a_kv" : "b_u";
            int nCols = t.equals("a") ? 2 : 1;
            List<Object[]> byKey = new ArrayList<>(rows.values());
            byKey.sort((x, y) -> {
                int c = compareKeys(Arrays.copyOfRange(x, 1, 1 + nCols), Arrays.copyOfRange(y, 1, 1 + nCols), nCols);
                return c != 0 ? c : Long.compare((Long) x[0], (Long) y[0]);
            });
            assertRows(byKey, r.scan(t, KeyRange.onField(index)), "index scan " + index);
            assertRows(byKey.reversed(), r.scan(t, KeyRange.onField(index).reversed()), "descending index scan " + index);
            for (int i = 0; i < 4; i++) {
                indexRange(r, t, index, nCols, byKey, rnd);
            }
        }
    }

    private void indexRange(ReadTx r, String t, String index, int nCols, List<Object[]> byKey, Random rnd) {
        KeyRange spec = KeyRange.onField(index);
        Object[] lo = null;
        Object[] hi = null;
        boolean loInc = rnd.nextBoolean();
        boolean hiInc = rnd.nextBoolean();
        if (rnd.nextInt(4) != 0) {
            lo = bound(rnd, nCols);
            spec = loInc ? spec.from(lo) : spec.fromExclusive(lo);
        }
        if (rnd.nextInt(4) != 0) {
            hi = bound(rnd, nCols);
            spec = hiInc ? spec.to(hi) : spec.toExclusive(hi);
        }
        boolean desc = rnd.nextBoolean();
        if (desc) {
            spec = spec.reversed();
        }
        int limit = rnd.nextInt(3) == 0 ? 1 + rnd.nextInt(6) : 0;
        spec = spec.limitTo(limit);
        List<Object[]> expected = new ArrayList<>();
        for (Object[] row : byKey) {
            Object[] key = Arrays.copyOfRange(row, 1, 1 + nCols);
            if (lo != null) {
                Integer c = compareBound(key, lo);
                if (c == null || c < 0 || (c == 0 && !loInc)) {
                    continue;
                }
            }
            if (hi != null) {
                Integer c = compareBound(key, hi);
                if (c == null || c > 0 || (c == 0 && !hiInc)) {
                    continue;
                }
            }
            expected.add(row);
        }
        if (desc) {
            expected = new ArrayList<>(expected.reversed());
        }
        if (limit > 0 && expected.size() > limit) {
            expected = expected.subList(0, limit);
        }
        assertRows(expected, r.scan(t, spec), "index range " + spec);
    }

    private static Object[] bound(Random rnd, int nCols) {
        if (nCols == 2 && rnd.nextBoolean()) {
            return new Object[] {boundKey(rnd), TEXTS[rnd.nextInt(TEXTS.length)]};
        }
        return new Object[] {boundKey(rnd)};
    }

    /** A key to bound a scan by: never nil (nothing compares with it). */
    private static Object boundKey(Random rnd) {
        Object k;
        do {
            k = randomKey(rnd);
        } while (k == null);
        return k;
    }

    /**
     * A key against a bound as SQL compares row values: the first field that
     * differs decides; a nil met before that makes the comparison unknown (null):
     * no bounded range holds the entry.
     */
    private static Integer compareBound(Object[] key, Object[] bound) {
        for (int i = 0; i < bound.length; i++) {
            if (key[i] == null) {
                return null;
            }
            int c = SQLITE_ORDER.compare(key[i], bound[i]);
            if (c != 0) {
                return c;
            }
        }
        return 0;
    }

    private void assertRows(List<Object[]> expected, RowCursor cursor, String what) {
        List<Row> actual = new ArrayList<>();
        try (RowCursor c = cursor) {
            c.forEachRemaining(actual::add);
        }
        boolean same = expected.size() == actual.size();
        for (int i = 0; same && i < expected.size(); i++) {
            same = Arrays.deepEquals(expected.get(i), actual.get(i).values())
                    && actual.get(i).rowid() == (Long) expected.get(i)[0];
        }
        if (!same) {
            StringBuilder sb = new StringBuilder(what + " differs at " + where() + "\n expected:");
            for (Iterator<Object[]> it = expected.iterator(); it.hasNext(); ) {
                sb.append("\n   ").append(Arrays.deepToString(it.next()));
            }
            sb.append("\n actual:");
            actual.forEach(row -> sb.append("\n   ").append(row));
            fail(sb.toString());
        }
    }
}

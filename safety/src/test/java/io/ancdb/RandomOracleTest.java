package io.ancdb;

import io.ancdb.schema.Column;
import io.ancdb.schema.IndexSpec;
import io.ancdb.schema.SqlType;
import io.ancdb.schema.TableSpec;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.LongStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Random workloads over three indexed tables with values of every type,
 * checked against the stock sqlite3 shell reading the same file: every row
 * (each value printed with SQLite's {@code quote()}, reals exactly with the
 * shell's {@code ieee754()}), and the rowids of rowid and index range scans
 * against {@code SELECT id ... WHERE ... ORDER BY ...}. And the reverse: a
 * file the shell writes is read identically by ANC-DB (and stays sound
 * after ANC-DB writes to it).
 */
class RandomOracleTest {
    private long seed;
    private static final char FS = '\u001f';
    private static final char RS = '\u001e';

    @TempDir
    Path dir;

    /** Affinity classes the value generator knows. */
    enum Aff { INTEGER, NUMERIC, TEXT, REAL, NONE }

    record Col(String name, Aff aff) {
    }

    record Tbl(String name, List<Col> cols, List<IndexSpec> indexes) {
        String colList() {
            return cols.stream().map(Col::name).collect(Collectors.joining(", "));
        }
    }

    private static final List<Tbl> TABLES = List.of(
            new Tbl("t1", List.of(new Col("a", Aff.INTEGER), new Col("b", Aff.TEXT), new Col("c", Aff.REAL)),
                    List.of(new IndexSpec("t1_a", "t1", List.of("a"), false),
                            new IndexSpec("t1_bc", "t1", List.of("b", "c"), false))),
            new Tbl("t2", List.of(new Col("x", Aff.NONE), new Col("y", Aff.NONE)),
                    List.of(new IndexSpec("t2_x", "t2", List.of("x"), false),
                            new IndexSpec("t2_yx", "t2", List.of("y", "x"), false))),
            new Tbl("t3", List.of(new Col("n", Aff.NUMERIC), new Col("s", Aff.TEXT), new Col("r", Aff.REAL),
                    new Col("bl", Aff.NONE)),
                    List.of(new IndexSpec("t3_ns", "t3", List.of("n", "s"), false),
                            new IndexSpec("t3_s", "t3", List.of("s"), true),
                            new IndexSpec("t3_r", "t3", List.of("r"), false))));

    // --- value generation --------------------------------------------------------------------------

    private static final long[] INTS = {0, 1, -1, 2, 7, -128, 127, 128, 255, 32767, -32769, 8388608, -2147483649L,
        1L << 40, -(1L << 47), 140737488355328L, 9007199254740992L, 9007199254740993L, -9007199254740993L,
        Long.MAX_VALUE, Long.MIN_VALUE, Long.MAX_VALUE - 1, Long.MIN_VALUE + 1, 1_000_000_007L};
    private static final double[] REALS = {0.5, -0.5, 0.1, 1.0 / 3, 2.0, -3.0, 1e15, 1e18, -1e18, 1e19, -1e19, 1e300,
        -1e300, 4.9e-324, 2.2250738585072014E-308, Double.MAX_VALUE, -Double.MAX_VALUE, 9.007199254740992E15,
        123456.789, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 0.0};
    private static final String[] WORDS = {"", "a", "b", "ab", "abc", "B", "k1", "k2", "it's", "''", "x\ny", "tab\there",
        "\u00e9t\u00e9", "\u4e2d\u6587", "\uD83D\uDE00", "\uFFFD", "\u0100", "zz", "z\u0000z", "NULL", "X'00'"};

    private static String word(Random rnd) {
        String w = WORDS[rnd.nextInt(WORDS.length)];
        if (w.indexOf('\u0000') >= 0) {
            w = "nul-free";        // the shell's quote() stops at NUL
        }
        return rnd.nextInt(3) == 0 ? w + rnd.nextInt(50) : w;
    }

    private static long anInt(Random rnd) {
        return switch (rnd.nextInt(3)) {
            case 0 -> INTS[rnd.nextInt(INTS.length)];
            case 1 -> rnd.nextLong();
            default -> rnd.nextInt(100) - 50;
        };
    }

    private static double aReal(Random rnd) {
        return switch (rnd.nextInt(3)) {
            case 0 -> REALS[rnd.nextInt(REALS.length)];
            case 1 -> (rnd.nextDouble() - 0.5) * Math.pow(10, rnd.nextInt(40) - 20);
            default -> (rnd.nextInt(200) - 100) / 4.0;
        };
    }

    private static byte[] aBlob(Random rnd) {
        byte[] b = new byte[rnd.nextInt(6)];
        rnd.nextBytes(b);
        return b;
    }

    /**
     * A value for a column of affinity {@code aff}. {@code forShell}: the
     * shell may also put (non-numeric) text in numeric columns; ANC-DB refuses
     * text for numeric columns and numbers for TEXT columns (strict affinity),
     * so those are left out of its writes. Left out of both: numeric-looking
     * text (SQLite would convert it), reals in [9.2e18, 2^63) for
     * INTEGER/NUMERIC columns (SQLite makes them integers, ANC-DB keeps them
     * real), -0.0 (ANC-DB's range scans order it apart from 0: reported) and
     * NaN (stored as NULL).
     */
    static Object value(Random rnd, Aff aff, boolean forShell) {
        int k = rnd.nextInt(10);
        if (k == 0) {
            return null;
        }
        if (k == 1) {
            return aBlob(rnd);
        }
        return switch (aff) {
            case TEXT -> word(rnd);
            case INTEGER, NUMERIC -> k < 6 ? (Object) anInt(rnd) : k < 9 || !forShell ? (Object) aReal(rnd) : "w" + word(rnd);
            case REAL -> k < 6 ? (Object) aReal(rnd) : k < 9 || !forShell ? (Object) anInt(rnd) : "r" + word(rnd);
            case NONE -> k < 4 ? (Object) anInt(rnd) : k < 7 ? (Object) aReal(rnd) : word(rnd);
        };
    }

    // --- formatting as the shell prints ------------------------------------------------------------

    /** The value as {@code CASE typeof(v) WHEN 'real' THEN ieee754(v) ELSE quote(v) END} prints it. */
    static String quote(Object v) {
        if (v == null) {
            return "NULL";
        }
        if (v instanceof Long l) {
            return l.toString();
        }
        if (v instanceof Double d) {
            return ieee754(d);
        }
        if (v instanceof String s) {
            return "'" + s.replace("'", "''") + "'";
        }
        if (v instanceof byte[] b) {
            return "X'" + HexFormat.of().withUpperCase().formatHex(b) + "'";
        }
        throw new AssertionError("unexpected value type " + v.getClass());
    }

    /** SQLite shell's ieee754(r): the exact value as M*2^E, computed as its C code does. */
    static String ieee754(double r) {
        boolean neg = r < 0.0;
        if (neg) {
            r = -r;
        }
        long a = Double.doubleToRawLongBits(r);
        long m;
        int e;
        if (a == 0) {
            e = 0;
            m = 0;
        } else {
            e = (int) (a >> 52);
            m = a & ((1L << 52) - 1);
            if (e == 0) {
                m <<= 1;
            } else {
                m |= 1L << 52;
            }
            while (e < 1075 && m > 0 && (m & 1) == 0) {
                m >>= 1;
                e++;
            }
            if (neg) {
                m = -m;
            }
        }
        return "ieee754(" + m + "," + (e - 1075) + ")";
    }

    /** A SQL literal for {@code v}; reals exactly, as the shell's ieee754(M, E) function. */
    static String literal(Object v) {
        if (v instanceof Double d) {
            if (d.isInfinite()) {
                return d > 0 ? "9e999" : "-9e999";
            }
            return ieee754(d);
        }
        if (v instanceof Long l && l == Long.MIN_VALUE) {
            return "(-9223372036854775807 - 1)";
        }
        return quote(v);
    }

    private static String shown(Object v) {
        return v instanceof Double d ? quote(v) + "=" + d : quote(v);
    }

    // --- the shell ----------------------------------------------------------------------------------

    /** Runs {@code sql} (fed on stdin) in the shell; returns stdout. Fails on any error. */
    static String shellRun(Path file, String sql) {
        try {
            Process p = new ProcessBuilder("sqlite3", "-batch", "-bail", file.toString()).start();
            CompletableFuture<byte[]> out = CompletableFuture.supplyAsync(() -> readAll(p.getInputStream()));
            CompletableFuture<byte[]> err = CompletableFuture.supplyAsync(() -> readAll(p.getErrorStream()));
            try (OutputStream in = p.getOutputStream()) {
                in.write(sql.getBytes(StandardCharsets.UTF_8));
                in.write('\n');
            }
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("sqlite3 hung");
            }
            String stderr = new String(err.get(), StandardCharsets.UTF_8);
            if (p.exitValue() != 0 || !stderr.isBlank()) {
                throw new AssertionError("sqlite3 failed (" + p.exitValue() + "): " + stderr);
            }
            return new String(out.get(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static byte[] readAll(java.io.InputStream in) {
        try {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Rows of a query, fields split on FS, rows on RS. */
    static List<String> shellRows(Path file, String query) {
        String out = shellRun(file, ".separator \"\\037\" \"\\036\"\n" + query + ";");
        List<String> rows = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < out.length(); i++) {
            if (out.charAt(i) == RS) {
                rows.add(out.substring(start, i));
                start = i + 1;
            }
        }
        return rows;
    }

    private static String shellValue(String col) {
        return "CASE typeof(" + col + ") WHEN 'real' THEN ieee754(" + col + ") ELSE quote(" + col + ") END";
    }

    // --- comparisons --------------------------------------------------------------------------------

    /** Every row of every table, as the shell and as ANC-DB print it. */
    private void compareAllRows(Path file, String when) {
        for (Tbl t : TABLES) {
            String q = "SELECT id, " + t.cols().stream().map(c -> shellValue(c.name())).collect(Collectors.joining(", "))
                    + " FROM " + t.name() + " ORDER BY id";
            List<String> shell = shellRows(file, q);
            List<String> ours = new ArrayList<>();
            try (Database db = Database.open(file)) {
                db.runRead(tx -> {
                    try (RowCursor c = tx.scan(t.name())) {
                        c.forEachRemaining(r -> {
                            StringBuilder sb = new StringBuilder().append(r.rowid());
                            for (int i = 1; i < r.values().length; i++) {
                                sb.append(FS).append(quote(r.get(i)));
                            }
                            ours.add(sb.toString());
                        });
                    }
                });
            }
            assertTrue(shell.size() > 50, when + ": " + t.name() + " has rows: " + shell.size());
            System.out.printf("RandomOracleTest seed %d %s: %s has %d rows%n", seed, when, t.name(), shell.size());
            if (!shell.equals(ours)) {
                int i = 0;
                while (i < Math.min(shell.size(), ours.size()) && shell.get(i).equals(ours.get(i))) {
                    i++;
                }
                throw new AssertionError(when + " (seed " + seed + "): rows of " + t.name() + " differ at #" + i
                        + " of " + shell.size() + "/" + ours.size() + "\n shell:  " + visible(i < shell.size() ? shell.get(i) : "(none)")
                        + "\n ANC-DB: " + visible(i < ours.size() ? ours.get(i) : "(none)"));
            }
        }
    }

    private static String visible(String s) {
        return s.replace(FS, '|').replace("\n", "\\n");
    }

    /** A range scan, as a KeyRange for ANC-DB and a WHERE/ORDER BY for the shell. */
    record Range(String table, String index, List<String> cols, Object[] lo, boolean loInc, Object[] hi, boolean hiInc,
                 boolean desc, int limit) {
        KeyRange spec() {
            KeyRange s = index == null ? KeyRange.all() : KeyRange.onField(index);
            if (lo != null) {
                s = loInc ? s.from(lo) : s.fromExclusive(lo);
            }
            if (hi != null) {
                s = hiInc ? s.to(hi) : s.toExclusive(hi);
            }
            return (desc ? s.reversed() : s).limitTo(limit);
        }

        String sql() {
            List<String> where = new ArrayList<>();
            if (lo != null) {
                where.add(bound(lo, true, loInc));
            }
            if (hi != null) {
                where.add(bound(hi, false, hiInc));
            }
            List<String> order = new ArrayList<>(cols);
            order.add("id");
            String dir = desc ? " DESC" : "";
            return "SELECT id FROM " + table + (where.isEmpty() ? "" : " WHERE " + String.join(" AND ", where))
                    + " ORDER BY " + order.stream().map(c -> c + dir).collect(Collectors.joining(", "))
                    + (limit > 0 ? " LIMIT " + limit : "");
        }

        /**
         * The key-prefix bound as SQL's row-value comparison (c1, c2, ...) >= (v1, v2, ...):
         * lexicographic, and a NULL met before the first difference excludes the row.
         */
        private String bound(Object[] b, boolean lower, boolean inclusive) {
            String op = lower ? (inclusive ? " >= " : " > ") : (inclusive ? " <= " : " < ");
            return "(" + String.join(", ", cols.subList(0, b.length)) + ")" + op + "("
                    + java.util.Arrays.stream(b).map(RandomOracleTest::literal).collect(Collectors.joining(", ")) + ")";
        }
    }

    private static List<Range> ranges(Random rnd, Tbl t, List<Long> rowids, int n) {
        List<Range> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            boolean desc = rnd.nextBoolean();
            int limit = rnd.nextInt(3) == 0 ? 1 + rnd.nextInt(20) : 0;
            int kind = rnd.nextInt(t.indexes().size() + 1);
            if (kind == 0) {
                Object[] lo = rnd.nextInt(5) == 0 ? null : new Object[] {someRowid(rnd, rowids)};
                Object[] hi = rnd.nextInt(5) == 0 ? null : new Object[] {someRowid(rnd, rowids)};
                if (lo != null && hi != null && (Long) lo[0] > (Long) hi[0] && rnd.nextInt(4) != 0) {
                    Object[] x = lo;
                    lo = hi;
                    hi = x;
                }
                out.add(new Range(t.name(), null, List.of("id"), lo, rnd.nextBoolean(), hi, rnd.nextBoolean(), desc, limit));
            } else {
                IndexSpec idx = t.indexes().get(kind - 1);
                Object[] lo = rnd.nextInt(4) == 0 ? null : boundFor(rnd, t, idx);
                Object[] hi = rnd.nextInt(4) == 0 ? null : boundFor(rnd, t, idx);
                out.add(new Range(t.name(), idx.name(), idx.columns(), lo, rnd.nextBoolean(), hi, rnd.nextBoolean(), desc, limit));
            }
        }
        return out;
    }

    private static long someRowid(Random rnd, List<Long> rowids) {
        if (rowids.isEmpty() || rnd.nextInt(4) == 0) {
            return rnd.nextInt(4) == 0 ? INTS[rnd.nextInt(INTS.length)] : rnd.nextInt(3000) - 500;
        }
        return rowids.get(rnd.nextInt(rowids.size())) + rnd.nextInt(3) - 1;
    }

    /**
     * A bound of 1..n values for an index. Non-null, and of a type that SQL
     * compares without converting it (numbers and non-numeric text for numeric
     * columns, text and blobs for TEXT columns), so that WHERE and the key
     * order agree.
     */
    private static Object[] boundFor(Random rnd, Tbl t, IndexSpec idx) {
        int n = 1 + rnd.nextInt(idx.columns().size());
        Object[] b = new Object[n];
        for (int i = 0; i < n; i++) {
            String name = idx.columns().get(i);
            Aff aff = t.cols().stream().filter(c -> c.name().equals(name)).findFirst().orElseThrow().aff();
            Object v;
            do {
                v = value(rnd, aff, true);
            } while (v == null);
            b[i] = v;
        }
        return b;
    }

    private void compareRanges(Path file, Random rnd, String when) {
        int compared = 0;
        for (Tbl t : TABLES) {
            List<Long> rowids = new ArrayList<>();
            for (String s : shellRows(file, "SELECT id FROM " + t.name() + " ORDER BY id")) {
                rowids.add(Long.parseLong(s));
            }
            List<Range> ranges = ranges(rnd, t, rowids, 40);
            // one shell run for all the ranges of this table
            StringBuilder sql = new StringBuilder();
            for (int i = 0; i < ranges.size(); i++) {
                sql.append("SELECT 'range-").append(i).append("';\n").append(ranges.get(i).sql()).append(";\n");
            }
            List<List<String>> shell = new ArrayList<>();
            for (String row : shellRows(file, sql.toString())) {
                if (row.startsWith("range-")) {
                    shell.add(new ArrayList<>());
                } else {
                    shell.get(shell.size() - 1).add(row);
                }
            }
            assertEquals(ranges.size(), shell.size());
            try (Database db = Database.open(file)) {
                for (int i = 0; i < ranges.size(); i++) {
                    Range r = ranges.get(i);
                    List<String> ours = db.readTx(tx -> {
                        List<String> ids = new ArrayList<>();
                        try (RowCursor c = tx.scan(r.table(), r.spec())) {
                            c.forEachRemaining(row -> ids.add(String.valueOf(row.rowid())));
                        }
                        return ids;
                    });
                    if (!shell.get(i).equals(ours)) {
                        throw new AssertionError(when + " (seed " + seed + "): scan differs from the shell\n  " + describe(r)
                                + "\n  sql: " + r.sql() + "\n  shell:  " + shell.get(i) + "\n  ANC-DB: " + ours);
                    }
                    compared += ours.size();
                }
            }
        }
        assertTrue(compared > 500, "ranges returned rows: " + compared);
        System.out.printf("RandomOracleTest seed %d %s: %d range scans returned %d rows, as the shell's queries%n",
                seed, when, 40 * TABLES.size(), compared);
    }

    private static String describe(Range r) {
        return r.table() + "." + (r.index() == null ? "rowid" : r.index()) + " "
                + (r.lo() == null ? "-" : (r.loInc() ? "[" : "(") + java.util.Arrays.stream(r.lo()).map(RandomOracleTest::shown).toList())
                + " .. " + (r.hi() == null ? "-" : java.util.Arrays.stream(r.hi()).map(RandomOracleTest::shown).toList() + (r.hiInc() ? "]" : ")"))
                + (r.desc() ? " desc" : "") + (r.limit() > 0 ? " limit " + r.limit() : "");
    }

    // --- workloads ------------------------------------------------------------------------------------

    /** A row for ANC-DB to write (index 0, the INTEGER PRIMARY KEY, left null). */
    private static Object[] randomRow(Random rnd, Tbl t) {
        return randomRow(rnd, t, false);
    }

    private static Object[] randomRow(Random rnd, Tbl t, boolean forShell) {
        Object[] v = new Object[t.cols().size() + 1];
        for (int i = 0; i < t.cols().size(); i++) {
            v[i + 1] = value(rnd, t.cols().get(i).aff(), forShell);
        }
        return v;
    }

    private static long randomRowid(Random rnd) {
        return switch (rnd.nextInt(10)) {
            case 0 -> INTS[rnd.nextInt(INTS.length)];
            case 1 -> -rnd.nextInt(300);
            default -> rnd.nextInt(2500);
        };
    }

    static LongStream forwardSeeds() {
        return TestSeeds.seeds(20240611L, 3L, 77L);
    }

    static LongStream reverseSeeds() {
        return TestSeeds.seeds(20240611L, 5L, 99L);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("forwardSeeds")
    void ancDbWritesTheShellReadsAlike(long seed) {
        this.seed = seed;
        TestSeeds.announce("RandomOracleTest.ancDbWritesTheShellReadsAlike", TestSeeds.PROPERTY, seed);
        Path file = dir.resolve("forward-" + seed + ".db");
        Random rnd = new Random(seed);
        int[] stats = new int[4];     // writes, refused, rolled back transactions, savepoint rollbacks
        try (Database db = Database.open(file)) {
            db.runWrite(tx -> {
                tx.createTable(TableSpec.of("t1", Column.rowid("id"), Column.of("a", SqlType.INTEGER),
                        Column.of("b", SqlType.TEXT), Column.of("c", SqlType.REAL)));
                tx.createTable(TableSpec.of("t2", Column.rowid("id"), new Column("x", "", false, false),
                        Column.of("y", SqlType.BLOB)));
                tx.createTable(TableSpec.of("t3", Column.rowid("id"), Column.of("n", SqlType.NUMERIC),
                        Column.of("s", SqlType.TEXT), Column.of("r", SqlType.REAL), Column.of("bl", SqlType.BLOB)));
                for (Tbl t : TABLES) {
                    t.indexes().forEach(tx::createIndex);
                }
            });
            for (int txn = 0; txn < 40; txn++) {
                try (WriteTx tx = db.beginWrite()) {
                    boolean inSavepoint = false;
                    for (int op = 0; op < 100; op++) {
                        Tbl t = TABLES.get(rnd.nextInt(TABLES.size()));
                        int k = rnd.nextInt(100);
                        try {
                            if (k < 45) {
                                OnConflict oc = OnConflict.values()[rnd.nextInt(3)];
                                tx.insert(t.name(), randomRowid(rnd), randomRow(rnd, t), oc);
                            } else if (k < 55) {
                                tx.insert(t.name(), randomRow(rnd, t));
                            } else if (k < 70) {
                                tx.update(t.name(), randomRowid(rnd), randomRow(rnd, t));
                            } else if (k < 78) {
                                tx.put(t.name(), randomRowid(rnd), randomRow(rnd, t));
                            } else if (k < 92) {
                                tx.delete(t.name(), randomRowid(rnd));
                            } else if (k < 95 && !inSavepoint) {
                                tx.savepoint("sp");
                                inSavepoint = true;
                            } else if (k < 98 && inSavepoint) {
                                tx.rollbackTo("sp");
                                tx.release("sp");
                                inSavepoint = false;
                                stats[3]++;
                            } else if (inSavepoint) {
                                tx.release("sp");
                                inSavepoint = false;
                            }
                            stats[0]++;
                        } catch (ConstraintViolationException e) {
                            stats[1]++;         // rowid taken (FAIL) or t3.s not unique: nothing changed
                        } catch (AncDbException e) {
                            if (e.errorCode() != ErrorCode.LIMIT_EXCEEDED) {
                                throw e;
                            }
                            stats[1]++;         // a generated rowid after Long.MAX_VALUE
                        }
                    }
                    if (rnd.nextInt(8) == 0) {
                        tx.rollback();
                        stats[2]++;
                    } else {
                        tx.commit();
                    }
                }
            }
            assertEquals("", db.integrityCheck());
        }
        System.out.printf("RandomOracleTest forward seed " + seed + ": %d writes, %d refused, %d transactions rolled back, %d savepoint rollbacks%n",
                stats[0], stats[1], stats[2], stats[3]);
        assertEquals(List.of("ok"), shellLines(file, "PRAGMA integrity_check;"));
        compareAllRows(file, "forward");
        compareRanges(file, new Random(seed + 1), "forward");
    }

    private static List<String> shellLines(Path file, String sql) {
        String s = shellRun(file, sql);
        return s.isEmpty() ? List.of() : List.of(s.strip().split("\n"));
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("reverseSeeds")
    void theShellWritesAncDbReadsAlike(long seed) {
        this.seed = seed;
        TestSeeds.announce("RandomOracleTest.theShellWritesAncDbReadsAlike", TestSeeds.PROPERTY, seed);
        Path file = dir.resolve("reverse-" + seed + ".db");
        Random rnd = new Random(seed + 2);
        StringBuilder sql = new StringBuilder();
        // the same tables, declared the way people write them by hand
        sql.append("CREATE TABLE t1(id integer primary key, a int, b varchar(30), c double precision);\n");
        sql.append("CREATE TABLE \"t2\"(id INTEGER NOT NULL, x, y BLOB, PRIMARY KEY(id));\n");
        sql.append("CREATE TABLE t3 (\n  id INTEGER PRIMARY KEY,\n  n NUMERIC,\n  s TEXT,\n  r FLOAT,\n  bl\n);\n");
        for (Tbl t : TABLES) {
            for (IndexSpec i : t.indexes()) {
                sql.append(i.createSql()).append(";\n");
            }
        }
        sql.append("BEGIN;\n");
        for (int i = 0; i < 3000; i++) {
            Tbl t = TABLES.get(rnd.nextInt(TABLES.size()));
            Object[] v = randomRow(rnd, t, true);
            String vals = java.util.Arrays.stream(v, 1, v.length).map(RandomOracleTest::literal).collect(Collectors.joining(", "));
            int k = rnd.nextInt(10);
            if (k < 6) {
                sql.append("INSERT OR IGNORE INTO ").append(t.name()).append("(id, ").append(t.colList()).append(") VALUES(")
                        .append(literal(randomRowid(rnd))).append(", ").append(vals).append(");\n");
            } else if (k < 7) {
                sql.append("INSERT OR IGNORE INTO ").append(t.name()).append("(").append(t.colList()).append(") VALUES(")
                        .append(vals).append(");\n");
            } else if (k < 8) {
                sql.append("INSERT OR REPLACE INTO ").append(t.name()).append("(id, ").append(t.colList()).append(") VALUES(")
                        .append(rnd.nextInt(2500)).append(", ").append(vals).append(");\n");
            } else if (k < 9) {
                Col c = t.cols().get(rnd.nextInt(t.cols().size()));
                sql.append("UPDATE OR IGNORE ").append(t.name()).append(" SET ").append(c.name()).append(" = ")
                        .append(literal(value(rnd, c.aff(), true))).append(" WHERE id = ").append(rnd.nextInt(2500)).append(";\n");
            } else {
                sql.append("DELETE FROM ").append(t.name()).append(" WHERE id = ").append(rnd.nextInt(2500)).append(";\n");
            }
        }
        sql.append("COMMIT;\n");
        shellRun(file, sql.toString());
        compareAllRows(file, "shell-written");
        compareRanges(file, new Random(seed + 3), "shell-written");
        // ANC-DB writes on the shell's schema keep the shell's indexes in step
        try (Database db = Database.open(file)) {
            Random w = new Random(seed + 4);
            db.runWrite(tx -> {
                for (int i = 0; i < 1500; i++) {
                    Tbl t = TABLES.get(w.nextInt(TABLES.size()));
                    try {
                        switch (w.nextInt(4)) {
                            case 0 -> tx.insert(t.name(), randomRowid(w), randomRow(w, t), OnConflict.IGNORE);
                            case 1 -> tx.update(t.name(), w.nextInt(2500), randomRow(w, t));
                            case 2 -> tx.put(t.name(), w.nextInt(2500), randomRow(w, t));
                            default -> tx.delete(t.name(), w.nextInt(2500));
                        }
                    } catch (ConstraintViolationException e) {
                        // t3.s is unique
                    }
                }
            });
            assertEquals("", db.integrityCheck());
        }
        assertEquals(List.of("ok"), shellLines(file, "PRAGMA integrity_check;"));
        compareAllRows(file, "shell-written, then ANC-DB-written");
        compareRanges(file, new Random(seed + 5), "shell-written, then ANC-DB-written");
    }
}

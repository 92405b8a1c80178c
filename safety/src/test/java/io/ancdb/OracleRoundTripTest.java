package io.ancdb;

import io.ancdb.schema.Column;
import io.ancdb.schema.IndexInfo;
import io.ancdb.schema.IndexSpec;
import io.ancdb.schema.SqlType;
import io.ancdb.schema.TableInfo;
import io.ancdb.schema.TableSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The stock sqlite3 shell is the oracle: what ANC-DB writes, the shell reads
 * back value for value (and finds sound), and what the shell writes, ANC-DB
 * reads back the same.
 */
class OracleRoundTripTest {
    private static final HexFormat HEX = HexFormat.of().withUpperCase();

    @TempDir
    Path dir;

    // --- ANC-DB writes, the shell reads ---------------------------------------------------

    private static final long[] SPECIAL_INTS = {
        0, 1, -1, 2, 127, 128, -128, -129, 255, 256, 32767, 32768, -32768, -32769,
        8388607, 8388608, -8388608, -8388609, 2147483647L, 2147483648L, -2147483648L, -2147483649L,
        140737488355327L, 140737488355328L, -140737488355328L, -140737488355329L,
        Long.MAX_VALUE, Long.MIN_VALUE, Long.MAX_VALUE - 1, Long.MIN_VALUE + 1,
    };

    private static final double[] SPECIAL_REALS = {
        0.0, 1.0, -1.5, 0.1, 1.0 / 3, Math.PI, -Math.E, 1e-300, 1e300, 2.5e-308,
        Double.MIN_VALUE, Double.MIN_NORMAL, Double.MAX_VALUE, -Double.MAX_VALUE,
        Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.NaN, 9007199254740993.0, 4503599627370496.5,
        123456789012345678.0, -0.0,
    };

    /** The values of row {@code id} (1-based) of the big table: name, n, x, data. */
    private static Object[] bigRow(int id) {
        Random r = new Random(id * 0x9E3779B97F4A7C15L);
        String name;
        if (id % 50 == 0) {
            name = null;
        } else if (id % 997 == 0) {
            name = "long-" + "L".repeat(3000 + id % 100) + "-" + id;         // overflow pages
        } else if (id % 101 == 0) {
            name = "";
        } else if (id % 7 == 0) {
            name = "ünïcødé " + id + " 日本語 😀 Ωμέγα";
        } else {
            name = "name-" + id;
        }
        Object n;
        switch (id % 3) {
            case 0 -> n = SPECIAL_INTS[(id / 3) % SPECIAL_INTS.length];
            case 1 -> n = r.nextLong() >> r.nextInt(64);                        // every magnitude, both signs
            default -> n = id % 30 == 2 ? null : (Object) (long) id;
        }
        if (id % 1000 == 5) {
            n = 7.0;              // INTEGER affinity: stored as the integer 7
        } else if (id % 1000 == 6) {
            n = 7.5;              // stays a real
        } else if (id % 1000 == 8) {
            n = (int) -id;        // Integer widens
        }
        Object x;
        if (id % 11 == 0) {
            x = null;
        } else if (id % 13 == 0) {
            x = SPECIAL_REALS[(id / 13) % SPECIAL_REALS.length];
        } else if (id % 17 == 0) {
            x = (long) id * 1000;  // REAL affinity: an integer becomes a real
        } else {
            x = r.nextGaussian() * Math.pow(10, r.nextInt(21) - 5);
        }
        byte[] data;
        if (id % 9 == 0) {
            data = null;
        } else if (id % 1009 == 0) {
            data = new byte[5000 + id % 300];
            r.nextBytes(data);
        } else if (id % 19 == 0) {
            data = new byte[0];
        } else {
            data = new byte[1 + r.nextInt(24)];
            r.nextBytes(data);
        }
        return new Object[] {name, n, x, data};
    }

    @Test
    void hundredThousandRowsWrittenByAncDbAreReadBackByTheShell() {
        Path file = dir.resolve("big.db");
        final int rows = 100_000;
        final int perTx = 25_000;
        try (Database db = Database.open(file)) {
            db.runWrite(tx -> tx.createTable(TableSpec.of("t", Column.rowid("id"), Column.of("name", SqlType.TEXT),
                    Column.of("n", SqlType.INTEGER), Column.of("x", SqlType.REAL), Column.of("data", SqlType.BLOB))));
            for (int start = 1; start <= rows; start += perTx) {
                int s = start;
                db.runWrite(tx -> {
                    for (int id = s; id < s + perTx; id++) {
                        Object[] v = bigRow(id);
                        long rowid = tx.insert("t", null, v[0], v[1], v[2], v[3]);
                        assertEquals(id, rowid);
                    }
                });
            }
            db.runRead(tx -> assertEquals(rows, tx.count("t")));
            assertEquals("", db.integrityCheck());
        }

        assertEquals("ok", SqliteShell.one(file, "PRAGMA integrity_check;"));
        assertEquals(String.valueOf(rows), SqliteShell.one(file, "SELECT count(*) FROM t;"));
        assertEquals("wal", SqliteShell.one(file, "PRAGMA journal_mode;"), "WAL by default");

        // Every row, every column. Reals are checked bit for bit: the shell prints
        // them with 15 significant digits (quote() falls back to 20 digits from
        // long-double arithmetic, not always exact near the top of the range), so
        // split x exactly into exponent e and the integer x / 2^(e-53) instead:
        // division by a power of two is exact, and integers print exactly.
        List<String> lines = SqliteShell.lines(file, """
                SELECT id, typeof(name), hex(name), typeof(n), n, typeof(x),
                       CASE WHEN e BETWEEN -1000 AND 1023 THEN e || ':' || CAST(x / power(2, e - 53) AS INTEGER)
                            ELSE quote(x) END,
                       typeof(data), hex(data)
                FROM (SELECT *, CAST(floor(log2(abs(x))) AS INTEGER) AS e FROM t) ORDER BY id;
                """);
        assertEquals(rows, lines.size());
        for (int id = 1; id <= rows; id++) {
            String line = lines.get(id - 1);
            String[] f = line.split("\\|", -1);
            assertEquals(9, f.length, line);
            assertEquals(String.valueOf(id), f[0]);
            Object[] v = bigRow(id);
            String where = "row " + id + ": " + abbreviate(line);
            // name
            if (v[0] == null) {
                assertEquals("null", f[1], where);
            } else {
                assertEquals("text", f[1], where);
                assertEquals(HEX.formatHex(((String) v[0]).getBytes(StandardCharsets.UTF_8)), f[2], where);
            }
            // n
            Object n = v[1];
            if (n == null) {
                assertEquals("null", f[3], where);
            } else if (n instanceof Double d && d != Math.rint(d)) {
                assertEquals("real", f[3], where);
                assertEquals(d, Double.parseDouble(f[4]), where);
            } else {
                assertEquals("integer", f[3], where);
                assertEquals(((Number) n).longValue(), Long.parseLong(f[4]), where);
            }
            // x
            Object x = v[2];
            if (x == null || (x instanceof Double d && d.isNaN())) {
                assertEquals("null", f[5], where + " (NaN is stored as NULL)");
                assertEquals("NULL", f[6], where);
            } else {
                double want = ((Number) x).doubleValue();
                assertEquals("real", f[5], where);
                if (want == 0.0) {
                    assertEquals("0.0", f[6], where + " (the shell prints -0.0 as 0.0)");
                } else {
                    assertEquals(want, shellReal(f[6]), where);
                }
            }
            // data
            byte[] data = (byte[]) v[3];
            if (data == null) {
                assertEquals("null", f[7], where);
            } else {
                assertEquals("blob", f[7], where);
                assertEquals(HEX.formatHex(data), f[8], where);
            }
        }

        // The rowid b-tree agrees with a query that walks it backwards from the middle.
        assertEquals(List.of("50000", "49999", "49998"),
                SqliteShell.lines(file, "SELECT id FROM t WHERE id <= 50000 ORDER BY id DESC LIMIT 3;"));
    }

    /** Decodes the shell's rendering of a real (see the query above). */
    private static double shellReal(String s) {
        int colon = s.indexOf(':');
        if (colon > 0) {
            int e = Integer.parseInt(s.substring(0, colon));
            long m = Long.parseLong(s.substring(colon + 1));
            return Math.scalb((double) m, e - 53);        // exact: |m| < 2^55
        }
        return switch (s) {
            case "Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            default -> Double.parseDouble(s);
        };
    }

    // --- the shell writes, ANC-DB reads ---------------------------------------------------

    @Test
    void tablesWrittenByTheShellAreReadBackByAncDb() {
        Path file = dir.resolve("shell.db");
        String longText = "a".repeat(6000);
        SqliteShell.run(file, """
                CREATE TABLE s(id INTEGER PRIMARY KEY, i INTEGER, r REAL, t TEXT, b BLOB, v);
                INSERT INTO s VALUES
                  (1, 0, 0.5, 'plain', X'00', NULL),
                  (-5, -1, -2.25, 'héllo wörld', X'', 42),
                  (9223372036854775807, 9223372036854775807, 1e300, '日本語テキスト', X'DEADBEEF', 'x'),
                  (-9223372036854775808, -9223372036854775808, -1e-300, '😀 emoji ∑', X'00FF', 1.5),
                  (100, 32768, 3, '', NULL, X'01'),
                  (7, NULL, NULL, NULL, NULL, NULL),
                  (8, '42', 2.0, 123, X'0102030405', -0.5),
                  (9, 3.0, '4.5', 'it''s', zeroblob(3), 'text'),
                  (10, 2.5, 1e-5, printf('%.*c', 6000, 'a'), zeroblob(10000), 140737488355328),
                  (11, -129, 8388608, 'line1' || char(10) || 'line2', X'FF', -2147483649);
                CREATE TABLE p(id INTEGER PRIMARY KEY, city TEXT, pop INTEGER);
                CREATE INDEX p_city ON p(city);
                WITH RECURSIVE c(k) AS (SELECT 1 UNION ALL SELECT k + 1 FROM c WHERE k < 300)
                  INSERT INTO p SELECT k, 'city-' || (k % 17), k * 1000 FROM c;
                INSERT INTO p VALUES (301, NULL, 1), (302, 'Zürich', 2), (303, 'Ōsaka', 3), (304, NULL, 4);
                CREATE TABLE u(id INTEGER PRIMARY KEY, code TEXT UNIQUE);
                INSERT INTO u VALUES (1, 'a'), (2, 'b');
                """);

        Map<Long, Object[]> s = new TreeMap<>();
        s.put(1L, new Object[] {1L, 0L, 0.5, "plain", new byte[] {0}, null});
        s.put(-5L, new Object[] {-5L, -1L, -2.25, "héllo wörld", new byte[0], 42L});
        s.put(Long.MAX_VALUE, new Object[] {Long.MAX_VALUE, Long.MAX_VALUE, 1e300, "日本語テキスト",
            HexFormat.of().parseHex("DEADBEEF"), "x"});
        s.put(Long.MIN_VALUE, new Object[] {Long.MIN_VALUE, Long.MIN_VALUE, -1e-300, "😀 emoji ∑", new byte[] {0, -1}, 1.5});
        s.put(100L, new Object[] {100L, 32768L, 3.0, "", null, new byte[] {1}});        // 3 in a REAL column reads as 3.0
        s.put(7L, new Object[] {7L, null, null, null, null, null});
        s.put(8L, new Object[] {8L, 42L, 2.0, "123", new byte[] {1, 2, 3, 4, 5}, -0.5}); // affinity: '42'->42, 123->'123'
        s.put(9L, new Object[] {9L, 3L, 4.5, "it's", new byte[3], "text"});
        s.put(10L, new Object[] {10L, 2.5, 1e-5, longText, new byte[10000], 140737488355328L});
        s.put(11L, new Object[] {11L, -129L, 8388608.0, "line1\nline2", new byte[] {-1}, -2147483649L});

        try (Database db = Database.open(file)) {
            db.runRead(tx -> {
                TableInfo t = tx.table("s");
                assertEquals(List.of("id", "i", "r", "t", "b", "v"),
                        t.spec().columns().stream().map(Column::name).toList());
                assertEquals(0, t.spec().rowidColumn());
                assertEquals(s.size(), tx.count("s"));
                for (Map.Entry<Long, Object[]> e : s.entrySet()) {
                    Row row = tx.get("s", e.getKey());
                    assertNotNull(row, "row " + e.getKey());
                    assertEquals(new Row(e.getKey(), e.getValue()), row);
                }
                assertNull(tx.get("s", 2));
                assertNull(tx.get("s", Long.MAX_VALUE - 1));

                List<Long> all = new ArrayList<>(s.keySet());
                assertEquals(all, rowids(tx.scan("s")));
                assertEquals(all, rowids(tx.scan("s", Long.MIN_VALUE, Long.MAX_VALUE, false)));
                List<Long> rev = new ArrayList<>(all);
                java.util.Collections.reverse(rev);
                assertEquals(rev, rowids(tx.scan("s", Long.MIN_VALUE, Long.MAX_VALUE, true)));
                assertEquals(List.of(-5L, 1L, 7L, 8L, 9L, 10L), rowids(tx.scan("s", -5, 10, false)));
                assertEquals(List.of(10L, 9L, 8L, 7L, 1L, -5L), rowids(tx.scan("s", -5, 10, true)));
                assertEquals(List.of(1L, 7L), rowids(tx.scan("s", -4, 7, false)));
                assertEquals(List.of(Long.MIN_VALUE), rowids(tx.scan("s", Long.MIN_VALUE, Long.MIN_VALUE, false)));
                assertEquals(List.of(Long.MAX_VALUE, 100L), rowids(tx.scan("s", 12, Long.MAX_VALUE, true)));
                assertEquals(List.of(Long.MAX_VALUE), rowids(tx.scan("s", 101, Long.MAX_VALUE, true)));
                assertEquals(List.of(), rowids(tx.scan("s", 12, 99, false)));
                assertEquals(List.of(), rowids(tx.scan("s", 10, 9, false)));
                // Every scanned row equals its get().
                try (RowCursor c = tx.scan("s")) {
                    while (c.hasNext()) {
                        Row r = c.next();
                        assertEquals(new Row(r.rowid(), s.get(r.rowid())), r);
                    }
                }
            });

            // The indexed table: rows, index order and index range scans as the shell sees them.
            db.runRead(tx -> {
                TableInfo p = tx.table("p");
                assertTrue(p.writable());
                assertEquals(List.of("p_city"), p.indexes().stream().map(IndexInfo::name).toList());
                assertEquals(304, tx.count("p"));
                assertEquals(new Row(5, new Object[] {5L, "city-5", 5000L}), tx.get("p", 5));
                assertEquals(new Row(302, new Object[] {302L, "Zürich", 2L}), tx.get("p", 302));
                assertEquals(new Row(301, new Object[] {301L, null, 1L}), tx.get("p", 301));
            });
            List<Long> byIndex = db.readTx(tx -> rowids(tx.scan("p", KeyRange.onField("p_city"))));
            assertEquals(longs(SqliteShell.lines(file, "SELECT id FROM p ORDER BY city, id;")), byIndex);
            List<Long> city3 = db.readTx(tx -> rowids(tx.scan("p", KeyRange.onField("p_city").prefix("city-3"))));
            assertEquals(longs(SqliteShell.lines(file, "SELECT id FROM p WHERE city = 'city-3' ORDER BY id;")), city3);
            assertEquals(18, city3.size());
            List<Long> desc = db.readTx(tx -> rowids(tx.scan("p", KeyRange.onField("p_city")
                    .fromExclusive("city-1").toExclusive("city-2").reversed())));
            assertEquals(longs(SqliteShell.lines(file,
                    "SELECT id FROM p WHERE city > 'city-1' AND city < 'city-2' ORDER BY city DESC, id DESC;")), desc);
            assertFalse(desc.isEmpty());

            // A table with an automatic (constraint) index is readable but not writable.
            db.runRead(tx -> {
                assertFalse(tx.table("u").writable());
                assertEquals(new Row(2, new Object[] {2L, "b"}), tx.get("u", 2));
            });
            InvalidArgumentException e = assertThrows(InvalidArgumentException.class,
                    () -> db.runWrite(tx -> tx.insert("u", 3L, "c")));
            assertEquals(1, e.code());

            // ANC-DB writes into the shell's indexed table; the shell must still find it sound.
            db.runWrite(tx -> {
                tx.insert("p", 305L, "Zürich", 99L);
                tx.put("p", 5, 5L, "city-3", 1L);        // moves row 5 to another index key
                assertTrue(tx.delete("p", 6));
                assertTrue(tx.delete("p", 301));
            });
        }
        assertEquals("ok", SqliteShell.one(file, "PRAGMA integrity_check;"));
        assertEquals(List.of("3", "5", "20", "37"),
                SqliteShell.lines(file, "SELECT id FROM p WHERE city = 'city-3' ORDER BY id LIMIT 4;"));
        assertEquals(List.of(), SqliteShell.lines(file, "SELECT id FROM p WHERE city = 'city-5' AND id = 5;"));
        assertEquals(List.of("302", "305"), SqliteShell.lines(file, "SELECT id FROM p WHERE city = 'Zürich' ORDER BY id;"));
        assertEquals(List.of("304"), SqliteShell.lines(file, "SELECT id FROM p WHERE city IS NULL;"));
        assertEquals("303", SqliteShell.one(file, "SELECT count(*) FROM p;"));
    }

    // --- indexes written by ANC-DB ------------------------------------------------------------

    @Test
    void indexesWrittenByAncDbAreSoundAndUsedByTheShell() {
        Path file = dir.resolve("index.db");
        Map<Long, Object[]> model = new LinkedHashMap<>();
        try (Database db = Database.open(file)) {
            db.runWrite(tx -> {
                tx.createTable(TableSpec.of("items", Column.rowid("id"), Column.of("sku", SqlType.TEXT),
                        Column.of("qty", SqlType.INTEGER), Column.of("price", SqlType.REAL)));
                // Index created over existing rows, and one created before the rows.
                for (long i = 1; i <= 500; i++) {
                    Object[] v = {i, "sku-" + i, i % 50, i * 0.25};
                    tx.insert("items", v);
                    model.put(i, v);
                }
                tx.createIndex(new IndexSpec("items_qty", "items", List.of("qty"), false));
            });
            db.runWrite(tx -> {
                tx.createIndex(new IndexSpec("items_sku", "items", List.of("sku"), true));
                tx.createIndex(new IndexSpec("items_qty_price", "items", List.of("qty", "price"), false));
                for (long i = 501; i <= 3000; i++) {
                    Object[] v = {i, i % 97 == 0 ? null : "sku-" + i, i % 50, i % 13 == 0 ? null : i * 0.25};
                    tx.insert("items", v);
                    model.put(i, v);
                }
                for (long i = 7; i <= 3000; i += 7) {
                    assertTrue(tx.delete("items", i));
                    model.remove(i);
                }
                for (long i = 11; i <= 3000; i += 11) {
                    if (model.containsKey(i)) {
                        Object[] v = {i, "sku-new-" + i, 1000 + i % 5, -1.0 * i};
                        tx.put("items", i, v);
                        model.put(i, v);
                    }
                }
                assertFalse(tx.delete("items", 7), "already deleted");
            });

            // The unique index refuses a duplicate, with code 4, and changes nothing.
            ConstraintViolationException dup = assertThrows(ConstraintViolationException.class,
                    () -> db.runWrite(tx -> tx.insert("items", 9000L, "sku-2", 1L, 1.0)));
            assertEquals(4, dup.code());
            assertEquals(ErrorCode.CONSTRAINT_VIOLATION, dup.errorCode());
            db.runWrite(tx -> {
                ConstraintViolationException d2 = assertThrows(ConstraintViolationException.class,
                        () -> tx.insert("items", 9001L, "sku-new-22", 1L, 1.0));
                assertEquals(4, d2.code());
                assertThrows(ConstraintViolationException.class, () -> tx.insert("items", 1L, "fresh", 1L, 1.0),
                        "rowid 1 exists");
                assertFalse(tx.insert("items", 9002, new Object[] {9002L, "sku-3", 1L, 1.0}, OnConflict.IGNORE));
                // NULLs never conflict in a unique index.
                tx.insert("items", 9003L, null, 5L, 2.0);
                model.put(9003L, new Object[] {9003L, null, 5L, 2.0});
                // REPLACE on a unique-key conflict removes the other row, as INSERT OR REPLACE does.
                assertTrue(tx.insert("items", 9004, new Object[] {9004L, "sku-4", 4L, 4.0}, OnConflict.REPLACE));
                model.remove(4L);
                model.put(9004L, new Object[] {9004L, "sku-4", 4L, 4.0});
                // The transaction is still fine after the refusals.
                assertEquals(model.size(), tx.count("items"));
            });
            // A unique index cannot be created over duplicate values.
            ConstraintViolationException ci = assertThrows(ConstraintViolationException.class,
                    () -> db.runWrite(tx -> tx.createIndex(new IndexSpec("items_qty_u", "items", List.of("qty"), true))));
            assertEquals(4, ci.code());
            db.runRead(tx -> assertEquals(3, tx.table("items").indexes().size()));
            assertEquals("", db.integrityCheck());
        }

        assertEquals("ok", SqliteShell.one(file, "PRAGMA integrity_check;"));
        assertEquals(String.valueOf(model.size()), SqliteShell.one(file, "SELECT count(*) FROM items;"));
        String plan = SqliteShell.run(file, "EXPLAIN QUERY PLAN SELECT * FROM items WHERE qty = 5;");
        assertTrue(plan.contains("USING INDEX items_qty"), plan);
        String skuPlan = SqliteShell.run(file, "EXPLAIN QUERY PLAN SELECT * FROM items WHERE sku = 'sku-12';");
        assertTrue(skuPlan.contains("USING INDEX items_sku"), skuPlan);

        // The shell's index lookups return exactly the model's rows.
        for (long q : new long[] {0, 5, 49, 1001, 77}) {
            List<Long> want = model.values().stream().filter(v -> v[2] != null && ((Number) v[2]).longValue() == q)
                    .map(v -> (Long) v[0]).sorted().toList();
            assertEquals(want, longs(SqliteShell.lines(file,
                    "SELECT id FROM items INDEXED BY items_qty WHERE qty = " + q + " ORDER BY id;")), "qty " + q);
        }
        assertEquals(List.of("9004"), SqliteShell.lines(file, "SELECT id FROM items INDEXED BY items_sku WHERE sku = 'sku-4';"));
        assertEquals(List.of(), SqliteShell.lines(file, "SELECT id FROM items INDEXED BY items_sku WHERE sku = 'sku-7';"));
        assertEquals(List.of("22"), SqliteShell.lines(file, "SELECT id FROM items INDEXED BY items_sku WHERE sku = 'sku-new-22';"));
        String sorted = model.values().stream()
                .sorted(java.util.Comparator.<Object[], Long>comparing(v -> ((Number) v[2]).longValue())
                        .thenComparing(v -> v[3] == null ? Double.NEGATIVE_INFINITY : (Double) v[3])
                        .thenComparing(v -> (Long) v[0]))
                .map(v -> String.valueOf(v[0])).collect(Collectors.joining(","));
        assertEquals(sorted, SqliteShell.one(file,
                "SELECT group_concat(id) FROM (SELECT id FROM items INDEXED BY items_qty_price "
                        + "WHERE qty > -1 ORDER BY qty, price, id);"));
        // The shell enforces the unique index ANC-DB wrote, and keeps the file sound.
        assertEquals("0", SqliteShell.one(file, "INSERT OR IGNORE INTO items(sku, qty) VALUES ('sku-2', 1); SELECT changes();"));
        assertEquals("1", SqliteShell.one(file, "INSERT OR IGNORE INTO items(sku, qty) VALUES ('brand-new', 1); SELECT changes();"));
        assertEquals("ok", SqliteShell.one(file, "PRAGMA integrity_check;"));
    }

    // --- WAL -------------------------------------------------------------------------------------

    @Test
    void walDatabaseIsReadableByTheShell() {
        Path file = dir.resolve("wal.db");
        DatabaseOptions wal = DatabaseOptions.defaults().withJournalMode(DatabaseOptions.JournalMode.WAL);
        try (Database db = Database.open(file, wal)) {
            db.runWrite(tx -> {
                tx.createTable(TableSpec.of("w", Column.rowid("id"), Column.of("v", SqlType.TEXT), Column.of("k", SqlType.INTEGER)));
                tx.createIndex(new IndexSpec("w_k", "w", List.of("k"), false));
            });
            for (int t = 0; t < 5; t++) {
                int base = t * 2000;
                db.runWrite(tx -> {
                    for (int i = 1; i <= 2000; i++) {
                        tx.insert("w", (long) base + i, "value-" + (base + i), (long) (base + i) % 100);
                    }
                });
            }
            db.runRead(tx -> assertEquals(10_000, tx.count("w")));
        }
        assertEquals("wal", SqliteShell.one(file, "PRAGMA journal_mode;"));
        assertEquals("ok", SqliteShell.one(file, "PRAGMA integrity_check;"));
        assertEquals("10000", SqliteShell.one(file, "SELECT count(*) FROM w;"));
        assertEquals("value-4321", SqliteShell.one(file, "SELECT v FROM w WHERE id = 4321;"));
        assertEquals("100", SqliteShell.one(file, "SELECT count(*) FROM w WHERE k = 21;"));

        // The shell writes in WAL mode; ANC-DB reads its change and stays in WAL.
        SqliteShell.run(file, "INSERT INTO w VALUES (20000, 'from the shell', 7);");
        try (Database db = Database.open(file, wal)) {
            db.runRead(tx -> {
                assertEquals(10_001, tx.count("w"));
                assertEquals(new Row(20000, new Object[] {20000L, "from the shell", 7L}), tx.get("w", 20000));
                assertEquals(101, rowids(tx.scan("w", KeyRange.onField("w_k").prefix(7L))).size());
            });
        }
        assertEquals("wal", SqliteShell.one(file, "PRAGMA journal_mode;"));
        assertEquals("ok", SqliteShell.one(file, "PRAGMA integrity_check;"));
    }

    @Test
    void deleteModeFileIsSwitchedToWalAndBack() {
        Path file = dir.resolve("switch.db");
        DatabaseOptions delete = DatabaseOptions.defaults().withJournalMode(DatabaseOptions.JournalMode.DELETE);
        try (Database db = Database.open(file, delete)) {
            db.runWrite(tx -> {
                tx.createTable(TableSpec.of("k", Column.rowid("id"), Column.of("v", SqlType.TEXT)));
                tx.insert("k", 1L, "one");
            });
        }
        assertEquals("delete", SqliteShell.one(file, "PRAGMA journal_mode;"));
        DatabaseOptions wal = DatabaseOptions.defaults().withJournalMode(DatabaseOptions.JournalMode.WAL);
        try (Database db = Database.open(file, wal)) {
            db.runWrite(tx -> tx.insert("k", 2L, "two"));
        }
        assertEquals("wal", SqliteShell.one(file, "PRAGMA journal_mode;"));
        try (Database db = Database.open(file, delete)) {
            db.runWrite(tx -> tx.insert("k", 3L, "three"));
        }
        assertEquals("delete", SqliteShell.one(file, "PRAGMA journal_mode;"));
        assertEquals(List.of("1|one", "2|two", "3|three"), SqliteShell.lines(file, "SELECT * FROM k ORDER BY id;"));
        assertEquals("ok", SqliteShell.one(file, "PRAGMA integrity_check;"));
        assertFalse(Files.exists(dir.resolve("switch.db-wal")), "no WAL file left after going back to DELETE");
    }

    // --- affinity --------------------------------------------------------------------------------

    /**
     * ANC-DB does not convert text to numbers or numbers to text by column
     * affinity (SQLite would, silently); it refuses the value instead, so what
     * it stores is what SQLite stores for values of the column's own type.
     */
    @Test
    void valuesOfTheWrongAffinityAreRefusedAndTheRestStoredAsSqliteDoes() {
        Path file = dir.resolve("affinity.db");
        try (Database db = Database.open(file)) {
            db.runWrite(tx -> {
                tx.createTable(TableSpec.of("a", Column.rowid("id"), Column.of("t", SqlType.TEXT),
                        Column.of("i", SqlType.INTEGER), Column.of("r", SqlType.REAL)));
                InvalidArgumentException e1 = assertThrows(InvalidArgumentException.class,
                        () -> tx.insert("a", 1L, 123L, 42L, 2.5));
                assertEquals(1, e1.code());
                assertThrows(InvalidArgumentException.class, () -> tx.insert("a", 1L, "x", "42", 2.5));
                assertThrows(InvalidArgumentException.class, () -> tx.insert("a", 1L, "x", 42L, "2.5"));
                tx.insert("a", 1L, "123", 42L, 2.5);
                tx.insert("a", 2L, "1.5", 7.0, 3L);
            });
        }
        Path ref = dir.resolve("affinity-ref.db");
        SqliteShell.run(ref, """
                CREATE TABLE a(id INTEGER PRIMARY KEY, t TEXT, i INTEGER, r REAL);
                INSERT INTO a VALUES (1, '123', 42, 2.5), (2, '1.5', 7.0, 3);
                """);
        String q = "SELECT id, typeof(t), t, typeof(i), i, typeof(r), r FROM a ORDER BY id;";
        assertEquals(SqliteShell.lines(ref, q), SqliteShell.lines(file, q));
    }

    // --- helpers ---------------------------------------------------------------------------------

    private static List<Long> rowids(RowCursor c) {
        List<Long> out = new ArrayList<>();
        try (c) {
            c.forEachRemaining(r -> out.add(r.rowid()));
        }
        return out;
    }

    private static List<Long> longs(List<String> lines) {
        return lines.stream().map(Long::parseLong).toList();
    }

    private static String abbreviate(String s) {
        return s.length() <= 200 ? s : s.substring(0, 200) + "...";
    }
}

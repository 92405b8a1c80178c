package io.ancdb;

import io.ancdb.schema.Column;
import io.ancdb.schema.IndexSpec;
import io.ancdb.schema.SqlType;
import io.ancdb.schema.TableSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Range scans over the rowid and over indexes return exactly the rows, in
 * exactly the order, that the stock sqlite3 shell returns for the same query.
 */
class ScanOracleTest {
    @TempDir
    Path dir;

    @Test
    void scansMatchTheShell() throws Exception {
        Path file = dir.resolve("scan.db");
        Random rnd = new Random(TestSeeds.seed("ScanOracleTest", TestSeeds.PROPERTY, 42));
        try (Database db = Database.open(file)) {
            db.runWrite(tx -> {
                tx.createTable(TableSpec.of("t", Column.rowid("id"), Column.of("a", SqlType.TEXT),
                        Column.of("b", SqlType.INTEGER), Column.of("c", SqlType.REAL)));
                tx.createIndex(new IndexSpec("t_ab", "t", List.of("a", "b"), false));
                tx.createIndex(new IndexSpec("t_c", "t", List.of("c"), false));
                for (int i = 1; i <= 3000; i++) {
                    String a = rnd.nextInt(10) == 0 ? null : "k" + rnd.nextInt(30);
                    Object b = rnd.nextInt(8) == 0 ? null : (long) rnd.nextInt(200) - 100;
                    Object c = rnd.nextInt(5) == 0 ? (Object) (long) rnd.nextInt(50) : rnd.nextDouble() * 50;
                    tx.insert("t", (long) i * 3, new Object[] {null, a, b, c}, OnConflict.FAIL);
                }
                for (int i = 0; i < 500; i++) {
                    tx.delete("t", 3L * (1 + rnd.nextInt(3000)));
                }
            });
        }
        List<Object[]> cases = new ArrayList<>();
        // {index, lower, lowerInclusive, upper, upperInclusive, descending, limit, sql-where, order}
        cases.add(new Object[] {null, null, true, null, true, false, 0L, "1", "id"});
        cases.add(new Object[] {null, new Object[] {300L}, true, new Object[] {600L}, false, false, 0L, "id >= 300 AND id < 600", "id"});
        cases.add(new Object[] {null, new Object[] {299L}, false, new Object[] {900L}, true, true, 17L, "id > 299 AND id <= 900", "id DESC"});
        cases.add(new Object[] {"t_ab", null, true, null, true, false, 0L, "1", "a, b, id"});
        cases.add(new Object[] {"t_ab", new Object[] {"k12"}, true, new Object[] {"k12"}, true, false, 0L, "a = 'k12'", "a, b, id"});
        cases.add(new Object[] {"t_ab", new Object[] {"k12"}, false, new Object[] {"k3"}, true, true, 0L, "a > 'k12' AND a <= 'k3'", "a DESC, b DESC, id DESC"});
        cases.add(new Object[] {"t_ab", new Object[] {"k5", -10L}, true, new Object[] {"k5", 40L}, false, false, 0L,
                "a = 'k5' AND b >= -10 AND b < 40", "a, b, id"});
        cases.add(new Object[] {"t_ab", new Object[] {"k7", 0L}, false, new Object[] {"k7"}, true, true, 5L,
                "a = 'k7' AND b > 0", "a DESC, b DESC, id DESC"});
        cases.add(new Object[] {"t_c", new Object[] {10L}, true, new Object[] {20.5}, true, false, 0L, "c >= 10 AND c <= 20.5", "c, id"});
        cases.add(new Object[] {"t_c", null, true, new Object[] {5}, false, true, 0L, "c < 5", "c DESC, id DESC"});
        try (Database db = Database.open(file)) {
            for (Object[] k : cases) {
                KeyRange spec = k[0] == null ? KeyRange.all() : KeyRange.onField((String) k[0]);
                if (k[1] != null) {
                    spec = (Boolean) k[2] ? spec.from((Object[]) k[1]) : spec.fromExclusive((Object[]) k[1]);
                }
                if (k[3] != null) {
                    spec = (Boolean) k[4] ? spec.to((Object[]) k[3]) : spec.toExclusive((Object[]) k[3]);
                }
                if ((Boolean) k[5]) {
                    spec = spec.reversed();
                }
                KeyRange s = spec.limitTo((Long) k[6]);
                List<String> ours = db.readTx(tx -> {
                    List<String> out = new ArrayList<>();
                    try (RowCursor c = tx.scan("t", s)) {
                        c.forEachRemaining(r -> out.add(String.valueOf(r.rowid())));
                    }
                    return out;
                });
                String sql = "SELECT id FROM t WHERE " + k[7] + " ORDER BY " + k[8]
                        + ((Long) k[6] > 0 ? " LIMIT " + k[6] : "");
                List<String> shell = shell(file, sql);
                assertEquals(shell, ours, "scan " + java.util.Arrays.deepToString(k));
            }
        }
        assertEquals(List.of("ok"), shell(file, "PRAGMA integrity_check"));
    }

    /** An untyped table asks for unsigned order by naming its columns; the shell's ORDER BY (x < 0), x agrees. */
    @Test
    void unsignedColumnsOfAnUntypedTable() throws Exception {
        Path file = dir.resolve("unsigned.db");
        long[] ids = {-1, 1, Long.MIN_VALUE, 5, Long.MAX_VALUE, -7};
        long[] ns = {3, -2, 3, Long.MIN_VALUE, 0, 3};
        try (Database db = Database.open(file)) {
            db.runWrite(tx -> {
                tx.createTable(TableSpec.of("u", Column.rowid("id"), Column.of("n", SqlType.INTEGER)));
                tx.createIndex(new IndexSpec("u_n", "u", List.of("n"), false));
                for (int i = 0; i < ids.length; i++) {
                    tx.insert("u", ids[i], new Object[] {null, ns[i]}, OnConflict.FAIL);
                }
            });
        }
        List<String[]> cases = List.of(
                new String[] {"key", "1", "(id < 0), id"},
                new String[] {"key desc", "1", "(id < 0) DESC, id DESC"},
                new String[] {"key from 5", "((id < 0), id) >= (0, 5)", "(id < 0), id"},
                new String[] {"n", "1", "(n < 0), n, (id < 0), id"},
                new String[] {"n desc to 3", "((n < 0), n) <= (0, 3)", "(n < 0) DESC, n DESC, (id < 0) DESC, id DESC"});
        try (Database db = Database.open(file)) {
            List<KeyRange> ranges = List.of(KeyRange.all().unsigned("ID"), KeyRange.all().unsigned("id").reversed(),
                    KeyRange.all().from(5L).unsigned("id"), KeyRange.onField("n").unsigned("n", "id"),
                    KeyRange.onField("u_n").to(3L).reversed().unsigned("n", "id"));
            for (int i = 0; i < cases.size(); i++) {
                KeyRange r = ranges.get(i);
                List<String> ours = db.readTx(tx -> {
                    List<String> out = new ArrayList<>();
                    try (RowCursor c = tx.scan("u", r)) {
                        c.forEachRemaining(row -> out.add(String.valueOf(row.rowid())));
                    }
                    return out;
                });
                assertEquals(shell(file, "SELECT id FROM u WHERE " + cases.get(i)[1] + " ORDER BY " + cases.get(i)[2]),
                        ours, cases.get(i)[0]);
            }
            InvalidArgumentException e = assertThrows(InvalidArgumentException.class,
                    () -> db.readTx(tx -> tx.scan("u", KeyRange.all().unsigned("nope"))));
            assertTrue(e.getMessage().contains("no column nope"), e.getMessage());
        }
    }

    static List<String> shell(Path file, String sql) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("sqlite3", file.toString(), sql).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new AssertionError("sqlite3 failed: " + out);
        }
        return out.isEmpty() ? List.of() : List.of(out.strip().split("\n"));
    }
}

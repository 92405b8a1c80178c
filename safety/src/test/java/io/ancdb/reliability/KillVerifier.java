package io.ancdb.reliability;

import io.ancdb.Database;
import io.ancdb.DatabaseOptions;
import io.ancdb.Row;
import io.ancdb.RowCursor;
import io.ancdb.KeyRange;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * Checks a file left behind by a killed child: ANC-DB opens it (running
 * crash recovery), and what it holds must be exactly the model after the
 * transaction number stored in it; the indexes must list exactly the rows;
 * SQLite's b-tree check through ANC-DB and the stock {@code sqlite3} shell's
 * {@code PRAGMA integrity_check} (for an encrypted file the SQLCipher
 * oracle's) must both pass.
 */
final class KillVerifier {
    private KillVerifier() {
    }

    /**
     * What a file holds, read through ANC-DB.
     *
     * @param txn        last committed transaction (meta row), -1 without the schema
     * @param tables     names of the tables and indexes in the schema
     * @param items      rows of {@code items} in rowid order
     * @param byGroup    rowids in {@code items_by_group} order (each looked up in the table)
     * @param byCode     rowids in {@code items_by_code} order
     * @param integrity  ANC-DB's b-tree integrity report, "" when sound
     */
    record State(long txn, List<String> tables, List<Row> items, List<Long> byGroup, List<Long> byCode,
                 String integrity) {
    }

    /** {@code key}: the file's raw key, null for a plaintext file. */
    static State readState(Path file, DatabaseOptions.JournalMode mode, byte[] key) {
        if (!Files.exists(file)) {
            return new State(-1, List.of(), List.of(), List.of(), List.of(), "");
        }
        try (Database db = Database.open(file, KillChild.options(mode, key))) {
            List<String> tables = db.catalog().entries().stream().map(e -> e.name()).sorted().toList();
            long txn = KillChild.lastTxn(db);
            if (txn < 0) {
                return new State(txn, tables, List.of(), List.of(), List.of(), db.integrityCheck());
            }
            return db.readTx(tx -> {
                List<Row> items = new ArrayList<>();
                try (RowCursor c = tx.scan(KillWorkload.ITEMS)) {
                    c.forEachRemaining(items::add);
                }
                return new State(txn, tables, items, indexOrder(tx, KillWorkload.BY_GROUP),
                        indexOrder(tx, KillWorkload.BY_CODE), tx.integrityCheck());
            });
        }
    }

    private static List<Long> indexOrder(io.ancdb.ReadTx tx, String index) {
        return indexOrder(tx, KillWorkload.ITEMS, index);
    }

    /** The rowids of {@code table} in the order of its index {@code index}. */
    static List<Long> indexOrder(io.ancdb.ReadTx tx, String table, String index) {
        List<Long> rowids = new ArrayList<>();
        try (RowCursor c = tx.scan(table, KeyRange.onField(index))) {
            c.forEachRemaining(r -> rowids.add(r.rowid()));
        }
        return rowids;
    }

    /** Differences between {@code s} and {@code model} (already advanced to {@code s.txn()}); empty when equal. */
    static List<String> compare(State s, KillModel model) {
        List<String> problems = new ArrayList<>();
        if (s.txn() < 0) {
            if (!s.tables().isEmpty()) {
                problems.add("no meta row, yet the schema holds " + s.tables());
            }
            return problems;
        }
        List<String> expectedTables = java.util.stream.Stream.of(KillWorkload.BY_CODE, KillWorkload.BY_GROUP,
                KillWorkload.ITEMS, KillWorkload.META).sorted().toList();
        if (!s.tables().equals(expectedTables)) {
            problems.add("schema holds " + s.tables() + ", expected " + expectedTables);
        }
        List<Map.Entry<Long, Object[]>> expected = new ArrayList<>(model.rows().entrySet());
        if (expected.size() != s.items().size()) {
            problems.add("items holds " + s.items().size() + " rows, expected " + expected.size());
        }
        for (int i = 0; i < Math.min(expected.size(), s.items().size()); i++) {
            Row got = s.items().get(i);
            Map.Entry<Long, Object[]> want = expected.get(i);
            if (got.rowid() != want.getKey() || !Arrays.deepEquals(got.values(), want.getValue())) {
                problems.add("items row #" + i + ": expected rowid " + want.getKey() + " " + show(want.getValue())
                        + ", got rowid " + got.rowid() + " " + show(got.values()));
                break;
            }
        }
        checkIndex(problems, KillWorkload.BY_GROUP, s.byGroup(), expected, Comparator
                .comparing((Map.Entry<Long, Object[]> e) -> (Long) e.getValue()[1])
                .thenComparing(e -> (String) e.getValue()[2])
                .thenComparing(Map.Entry::getKey));
        checkIndex(problems, KillWorkload.BY_CODE, s.byCode(), expected,
                Comparator.comparing((Map.Entry<Long, Object[]> e) -> (String) e.getValue()[3]));
        if (!s.integrity().isEmpty()) {
            problems.add("ANC-DB integrity check: " + s.integrity());
        }
        return problems;
    }

    /** The index must yield every row once, in the order of its key (ASCII text: String order is byte order). */
    private static void checkIndex(List<String> problems, String index, List<Long> got,
                                   List<Map.Entry<Long, Object[]>> rows, Comparator<Map.Entry<Long, Object[]>> order) {
        List<Long> want = rows.stream().sorted(order).map(Map.Entry::getKey).toList();
        if (!want.equals(got)) {
            problems.add("index " + index + " yields " + got.size() + " rows, expected " + want.size()
                    + " (first difference at #" + firstDifference(want, got) + ")");
        }
    }

    private static int firstDifference(List<Long> a, List<Long> b) {
        int i = 0;
        while (i < a.size() && i < b.size() && a.get(i).equals(b.get(i))) {
            i++;
        }
        return i;
    }

    /**
     * The stock shell's verdict on the file, or for an encrypted file
     * ({@code key} not null) the SQLCipher oracle's (run it only when no
     * ANC-DB connection has the file open): "ok" and the row count it sees in
     * {@code table} (null: the file has no schema yet), or what went wrong.
     */
    static List<String> sqliteCheck(Path file, String table, int expectedRows, byte[] key) {
        String sql = table == null ? "PRAGMA integrity_check;" : "PRAGMA integrity_check; SELECT count(*) FROM " + table + ";";
        List<String> want = table == null ? List.of("ok") : List.of("ok", Integer.toString(expectedRows));
        String who = key == null ? "sqlite3" : "the SQLCipher oracle";
        List<String> got;
        try {
            got = EnvKey.stockLines(file, key == null ? null : EnvKey.text(key), sql);
        } catch (AssertionError e) {
            return List.of(who + ": " + e.getMessage());
        }
        return got.equals(want) ? List.of() : List.of(who + " says " + got + ", expected " + want);
    }

    private static String show(Object[] values) {
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < values.length; i++) {
            Object v = values[i];
            b.append(i == 0 ? "" : ", ").append(v instanceof byte[] x
                    ? x.length + " bytes " + HexFormat.of().formatHex(x, 0, Math.min(8, x.length)) : String.valueOf(v));
        }
        return b.append(']').toString();
    }
}

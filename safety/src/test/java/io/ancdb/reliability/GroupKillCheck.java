package io.ancdb.reliability;

import io.ancdb.AncDbException;
import io.ancdb.Database;
import io.ancdb.DatabaseOptions.JournalMode;
import io.ancdb.Row;
import io.ancdb.RowCursor;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A group-commit kill lane ({@link GroupKillChild}, {@link GroupKillWorkload}):
 * after each kill the file must hold every operation found in it before and
 * every operation the child acknowledged, each whole (exactly its rows, value
 * by value); besides those only operations that were in flight at the kill,
 * whole; none planned to fail and none that never began. Both indexes must
 * list every row once in order, and both integrity checks must pass.
 */
final class GroupKillCheck implements KillLane.Check {
    private final JournalMode mode;
    private final long seed;
    private Set<String> committed = Set.of();   // operations in the file as of the last check
    private long verifiedRows = -1;             // its rows besides row 1, -1 without the schema
    private long gen;                           // the number of the child last started

    GroupKillCheck(JournalMode mode, long seed) {
        this.mode = mode;
        this.seed = seed;
    }

    @Override
    public List<String> child(Path db, int k) {
        gen = k;
        return List.of(GroupKillChild.class.getName(), db.toString(), mode.name(), Long.toString(seed),
                Integer.toString(k), "-1", "600");
    }

    /**
     * What a file holds, read through ANC-DB.
     *
     * @param rows       rows besides row 1, -1 without the schema
     * @param ops        the rows of each operation, by its name
     * @param taken      row 1
     * @param byCode     rowids in {@code ops_by_code} order, with the code each row has
     * @param byOp       rowids in {@code ops_by_op} order
     * @param all        every row in rowid order
     * @param integrity  ANC-DB's b-tree integrity report, "" when sound
     */
    record State(long rows, Map<String, List<Row>> ops, Row taken, List<Long> byCode, List<Long> byOp,
                 List<Row> all, String integrity) {
    }

    static State readState(Path file, JournalMode mode) {
        if (!Files.exists(file)) {
            return new State(-1, Map.of(), null, List.of(), List.of(), List.of(), "");
        }
        try (Database db = Database.open(file, GroupKillChild.options(mode))) {
            if (rows(db) < 0) {
                return new State(-1, Map.of(), null, List.of(), List.of(), List.of(), db.integrityCheck());
            }
            return db.readTx(tx -> {
                List<Row> all = new ArrayList<>();
                try (RowCursor c = tx.scan(GroupKillWorkload.OPS)) {
                    c.forEachRemaining(all::add);
                }
                Map<String, List<Row>> ops = new TreeMap<>();
                Row taken = null;
                for (Row r : all) {
                    if (r.rowid() == GroupKillWorkload.TAKEN_ROW) {
                        taken = r;
                    } else {
                        ops.computeIfAbsent((String) r.get(1), k -> new ArrayList<>()).add(r);
                    }
                }
                return new State(all.size() - (taken == null ? 0 : 1), ops, taken,
                        KillVerifier.indexOrder(tx, GroupKillWorkload.OPS, GroupKillWorkload.BY_CODE),
                        KillVerifier.indexOrder(tx, GroupKillWorkload.OPS, GroupKillWorkload.BY_OP), all,
                        tx.integrityCheck());
            });
        }
    }

    /** Rows of {@code ops} besides row 1; -1 without the schema. */
    static long rows(Database db) {
        if (db.catalog().find(GroupKillWorkload.OPS) == null) {
            return -1;
        }
        return db.readTx(tx -> tx.count(GroupKillWorkload.OPS)) - 1;
    }

    /**
     * What is wrong with {@code s} by itself: an operation planned to fail,
     * or one not exactly as written (part of it, other values), row 1, an
     * index out of step, the integrity report. Empty when sound.
     */
    static List<String> compare(State s, long seed) {
        List<String> problems = new ArrayList<>();
        if (s.rows() < 0) {
            return problems;
        }
        if (s.taken() == null || !GroupKillWorkload.TAKEN.equals(s.taken().get(2))) {
            problems.add("row 1 is " + s.taken());
        }
        for (Map.Entry<String, List<Row>> e : s.ops().entrySet()) {
            String[] n = e.getKey().split("/");
            GroupKillWorkload.Op op = GroupKillWorkload.op(seed, Long.parseLong(n[0]), Integer.parseInt(n[1]),
                    Long.parseLong(n[2]));
            if (op.fate() != GroupKillWorkload.Fate.COMMIT) {
                problems.add("operation " + op.name() + " was planned to fail (" + op.fate() + "), yet "
                        + e.getValue().size() + " of its rows are in the file");
            } else if (!sameRows(op.rows(), e.getValue())) {
                problems.add("operation " + op.name() + " is in the file in part or changed: " + e.getValue().size()
                        + " rows of its " + op.rows().size());
            }
        }
        List<Long> byCode = s.all().stream().sorted(Comparator.comparing((Row r) -> (String) r.get(2)))
                .map(Row::rowid).toList();
        if (!byCode.equals(s.byCode())) {
            problems.add("index " + GroupKillWorkload.BY_CODE + " yields " + s.byCode().size() + " rows out of step, "
                    + "expected " + byCode.size());
        }
        List<Long> byOp = s.all().stream().sorted(Comparator.comparing((Row r) -> (String) r.get(1))
                .thenComparing(Row::rowid)).map(Row::rowid).toList();
        if (!byOp.equals(s.byOp())) {
            problems.add("index " + GroupKillWorkload.BY_OP + " yields " + s.byOp().size() + " rows out of step, "
                    + "expected " + byOp.size());
        }
        if (!s.integrity().isEmpty()) {
            problems.add("ANC-DB integrity check: " + s.integrity());
        }
        return problems;
    }

    private static boolean sameRows(List<Object[]> want, List<Row> got) {
        if (want.size() != got.size()) {
            return false;
        }
        for (int j = 0; j < want.size(); j++) {
            if (!Arrays.deepEquals(want.get(j), got.get(j).values())) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String verify(Path file, ChildProgress progress, KillTally tally) {
        if (progress.startTxn() != null && progress.startTxn() != verifiedRows) {
            return "the child recovered the file to " + progress.startTxn() + " rows, a copy of the same bytes to "
                    + verifiedRows;
        }
        State state;
        try {
            state = readState(file, mode);
        } catch (AncDbException e) {
            tally.integrityFailures++;
            return "cannot read the file after the kill: " + e.getMessage();
        }
        if (state.rows() < 0) {
            return progress.lastAcked() >= 0 || verifiedRows >= 0 ? "the acknowledged schema is gone" : null;
        }
        List<String> problems = new ArrayList<>(compare(state, seed));
        List<String> shell = KillVerifier.sqliteCheck(file, GroupKillWorkload.OPS, (int) state.rows() + 1, null);
        if (!state.integrity().isEmpty() || !shell.isEmpty()) {
            tally.integrityFailures++;
        }
        problems.addAll(shell);

        Set<String> present = state.ops().keySet();
        Set<String> acked = new HashSet<>();
        Set<String> inFlight = new HashSet<>();
        progress.calls().forEach((call, outcome) -> {
            String[] w = call.split(" ");
            String name = GroupKillWorkload.name(gen, Integer.parseInt(w[0]), Long.parseLong(w[1]));
            switch (outcome) {
                case ACKED -> acked.add(name);
                case BEGUN -> inFlight.add(name);
                case FAILED -> {
                    // planned failures must be absent, which compare() checks for every operation
                }
            }
        });
        Set<String> lost = new HashSet<>(committed);
        lost.addAll(acked);
        lost.removeAll(present);
        if (!lost.isEmpty()) {
            tally.acknowledgedLost += lost.size();
            problems.add(lost.size() + " acknowledged operations lost, e.g. " + lost.iterator().next());
        }
        Set<String> unexplained = new HashSet<>(present);
        unexplained.removeAll(committed);
        unexplained.removeAll(acked);
        unexplained.removeAll(inFlight);
        if (!unexplained.isEmpty()) {
            problems.add(unexplained.size() + " operations in the file were neither acknowledged nor in flight, e.g. "
                    + unexplained.iterator().next());
        }
        if (!problems.isEmpty()) {
            return String.join("; ", problems);
        }
        if (!inFlight.isEmpty()) {
            tally.killsInFlight++;
            if (inFlight.stream().anyMatch(present::contains)) {
                tally.inFlightFoundCommitted++;
            }
        }
        tally.transactionsCommitted += present.size() - committed.size();
        committed = Set.copyOf(present);
        verifiedRows = state.rows();
        return null;
    }
}

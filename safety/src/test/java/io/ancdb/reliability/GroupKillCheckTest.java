package io.ancdb.reliability;

import io.ancdb.Database;
import io.ancdb.DatabaseOptions.JournalMode;
import io.ancdb.WriteTx;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The group-commit kill lanes' checker itself: it accepts a faithful file,
 * and catches an operation present in part, a planned failure present, and
 * an acknowledged operation missing.
 */
class GroupKillCheckTest {
    private static final long SEED = 7;
    private static final long GEN = 1;

    @TempDir
    Path dir;

    /** A child's progress as it would print it. */
    private static ChildProgress progress(String lines) throws InterruptedException {
        ChildProgress p = ChildProgress.follow(new ByteArrayInputStream(lines.getBytes(StandardCharsets.UTF_8)), "t");
        assertTrue(p.awaitEnd(10_000));
        return p;
    }

    /** Runs thread 0's calls 0..n-1 the way the child does; returns the progress lines. */
    private static String runCalls(Database db, int n) {
        StringBuilder lines = new StringBuilder();
        for (long i = 0; i < n; i++) {
            GroupKillWorkload.Op op = GroupKillWorkload.op(SEED, GEN, 0, i);
            lines.append("begin 0 ").append(i).append('\n');
            try {
                db.runWrite(tx -> GroupKillWorkload.run(tx, op));
                lines.append("ack 0 ").append(i).append('\n');
            } catch (RuntimeException e) {
                assertTrue(GroupKillWorkload.plannedFailure(op, e), e.toString());
                lines.append("fail 0 ").append(i).append('\n');
            }
        }
        return lines.toString();
    }

    @Test
    void acceptsAFaithfulFileAndCatchesPartialFailedAndLostOperations() throws Exception {
        Path file = dir.resolve("g.db");
        String lines;
        try (Database db = Database.open(file, GroupKillChild.options(JournalMode.WAL))) {
            db.runWrite(GroupKillWorkload::createSchema);
            lines = "open\nstart -1\nbegin 0\nack 0\n" + runCalls(db, 40);
        }
        assertTrue(lines.contains("fail 0"), "the run has planned failures");
        GroupKillCheck check = new GroupKillCheck(JournalMode.WAL, SEED);
        check.child(file, (int) GEN);
        KillTally tally = new KillTally();
        assertNull(check.verify(file, progress(lines), tally));
        assertEquals(0, tally.acknowledgedLost);

        GroupKillWorkload.Op committed = firstWith(GroupKillWorkload.Fate.COMMIT, 2);
        GroupKillWorkload.Op failed = firstWith(GroupKillWorkload.Fate.THROW, 1);
        // one row of a committed operation gone: in part
        assertProblem(file, tx -> tx.delete(GroupKillWorkload.OPS, (Long) committed.rows().get(1)[0]),
                "in part");
        // a planned failure's rows written after all
        assertProblem(file, tx -> {
            for (Object[] row : failed.rows()) {
                tx.insert(GroupKillWorkload.OPS, (Long) row[0], row, io.ancdb.OnConflict.FAIL);
            }
        }, "planned to fail");

        // an acknowledged operation missing: the next check of the same lane says it was lost
        long rows = GroupKillCheck.readState(file, JournalMode.WAL).rows();
        try (Database db = Database.open(file, GroupKillChild.options(JournalMode.WAL))) {
            db.runWrite(tx -> {
                for (Object[] row : committed.rows()) {
                    tx.delete(GroupKillWorkload.OPS, (Long) row[0]);
                }
            });
        }
        KillTally next = new KillTally();
        String lost = check.verify(file, progress("open\nstart " + rows + "\n"), next);
        assertNotNull(lost);
        assertTrue(lost.contains("1 acknowledged operations lost, e.g. " + committed.name()), lost);
        assertEquals(1, next.acknowledgedLost);
    }

    private static GroupKillWorkload.Op firstWith(GroupKillWorkload.Fate fate, int minRows) {
        for (long i = 0; i < 40; i++) {
            GroupKillWorkload.Op op = GroupKillWorkload.op(SEED, GEN, 0, i);
            if (op.fate() == fate && op.rows().size() >= minRows) {
                return op;
            }
        }
        throw new AssertionError("no " + fate + " operation among the first 40");
    }

    /** Applies {@code damage} to a copy of {@code file}; the checker must name it. */
    private void assertProblem(Path file, java.util.function.Consumer<WriteTx> damage, String words) throws Exception {
        Path copy = dir.resolve("copy-" + words.replace(' ', '-') + ".db");
        java.nio.file.Files.copy(file, copy);
        try (Database db = Database.open(copy, GroupKillChild.options(JournalMode.WAL))) {
            db.runWrite(damage);
        }
        List<String> problems = GroupKillCheck.compare(GroupKillCheck.readState(copy, JournalMode.WAL), SEED);
        assertTrue(problems.stream().anyMatch(p -> p.contains(words)), problems.toString());
    }
}

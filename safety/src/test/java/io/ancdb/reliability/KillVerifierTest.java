package io.ancdb.reliability;

import io.ancdb.Database;
import io.ancdb.DatabaseOptions.JournalMode;
import io.ancdb.WriteTx;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The kill -9 loop's checker itself: it accepts a faithful file and catches a half-applied transaction. */
class KillVerifierTest {
    private static final long SEED = 42;

    @TempDir
    Path dir;

    @Test
    void acceptsTheFileOfACompleteRunAndCatchesAHalfAppliedTransaction() {
        Path file = dir.resolve("v.db");
        try (Database db = Database.open(file, KillChild.options(JournalMode.DELETE))) {
            db.runWrite(KillWorkload::createSchema);
            for (long i = 1; i <= 30; i++) {
                long n = i;
                db.runWrite(tx -> KillWorkload.run(tx, SEED, n));
            }
        }
        KillModel model = new KillModel(SEED);
        KillVerifier.State state = KillVerifier.readState(file, JournalMode.DELETE);
        assertEquals(30, state.txn());
        model.advanceTo(30);
        assertEquals(List.of(), KillVerifier.compare(state, model));
        assertEquals(List.of(), KillVerifier.sqliteCheck(file, KillWorkload.ITEMS, model.rows().size()));

        // the row operations of transaction 31 without its meta update: the file still claims 30
        try (Database db = Database.open(file, KillChild.options(JournalMode.DELETE))) {
            try (WriteTx tx = db.beginWrite()) {
                KillWorkload.run(tx, SEED, 31);
                tx.put(KillWorkload.META, KillWorkload.META_ROW, KillWorkload.META_ROW, 30L);
                tx.commit();
            }
        }
        KillVerifier.State half = KillVerifier.readState(file, JournalMode.DELETE);
        assertEquals(30, half.txn());
        List<String> problems = KillVerifier.compare(half, model);
        assertFalse(problems.isEmpty());
        assertTrue(problems.get(0).startsWith("items"), problems.toString());
    }
}

package io.ancdb.reliability;

import io.ancdb.Database;
import io.ancdb.DatabaseOptions.JournalMode;
import io.ancdb.WriteTx;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The kill -9 loop's checker itself: it accepts a faithful file and catches a
 * half-applied transaction, plaintext and encrypted (the oracle's check then).
 */
class KillVerifierTest {
    private static final long SEED = 42;

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void acceptsTheFileOfACompleteRunAndCatchesAHalfAppliedTransaction(boolean encrypted) {
        Path file = dir.resolve("v.db");
        byte[] key = encrypted ? EnvKey.fromSeed(SEED) : null;
        try (Database db = Database.open(file, KillChild.options(JournalMode.DELETE, key))) {
            db.runWrite(KillWorkload::createSchema);
            for (long i = 1; i <= 30; i++) {
                long n = i;
                db.runWrite(tx -> KillWorkload.run(tx, SEED, n));
            }
        }
        KillModel model = new KillModel(SEED);
        KillVerifier.State state = KillVerifier.readState(file, JournalMode.DELETE, key);
        assertEquals(30, state.txn());
        model.advanceTo(30);
        assertEquals(List.of(), KillVerifier.compare(state, model));
        assertEquals(List.of(), KillVerifier.sqliteCheck(file, KillWorkload.ITEMS, model.rows().size(), key));
        if (encrypted) {
            // the oracle really reads the file: with another key, or the plain shell, the check fails
            assertFalse(KillVerifier.sqliteCheck(file, KillWorkload.ITEMS, model.rows().size(), EnvKey.fromSeed(SEED + 1)).isEmpty());
            assertFalse(KillVerifier.sqliteCheck(file, KillWorkload.ITEMS, model.rows().size(), null).isEmpty());
        }

        // the row operations of transaction 31 without its meta update: the file still claims 30
        try (Database db = Database.open(file, KillChild.options(JournalMode.DELETE, key))) {
            try (WriteTx tx = db.beginWrite()) {
                KillWorkload.run(tx, SEED, 31);
                tx.put(KillWorkload.META, KillWorkload.META_ROW, KillWorkload.META_ROW, 30L);
                tx.commit();
            }
        }
        KillVerifier.State half = KillVerifier.readState(file, JournalMode.DELETE, key);
        assertEquals(30, half.txn());
        List<String> problems = KillVerifier.compare(half, model);
        assertFalse(problems.isEmpty());
        assertTrue(problems.get(0).startsWith("items"), problems.toString());
    }
}

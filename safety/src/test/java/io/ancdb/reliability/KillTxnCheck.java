package io.ancdb.reliability;

import io.ancdb.AncDbException;
import io.ancdb.DatabaseOptions.JournalMode;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A kill lane of one transaction after another ({@link KillChild},
 * {@link KillWorkload}): the file's transaction number must lie between the
 * last acknowledged and the last begun, the table must equal the model
 * replayed to it, the indexes must follow, both integrity checks must pass.
 */
final class KillTxnCheck implements KillLane.Check {
    private final JournalMode mode;
    private final long seed;
    private final byte[] key;                 // the file's raw key, null for a plaintext lane
    private final KillModel model;
    private long verifiedTxn = -1;            // the file's transaction number as of the last check

    /** {@code key}: the raw key of an encrypted lane's file (its children get it in the environment), or null. */
    KillTxnCheck(JournalMode mode, long seed, byte[] key) {
        this.mode = mode;
        this.seed = seed;
        this.key = key;
        this.model = new KillModel(seed);
    }

    @Override
    public List<String> child(Path db, int k) {
        return List.of(KillChild.class.getName(), db.toString(), mode.name(), Long.toString(seed), "-1", "600");
    }

    @Override
    public String verify(Path file, ChildProgress progress, KillTally tally) {
        long floor = Math.max(verifiedTxn, progress.lastAcked());
        long ceiling = Math.max(verifiedTxn, progress.lastBegun());
        if (progress.startTxn() != null && progress.startTxn() != verifiedTxn) {
            return "the child recovered the file to transaction " + progress.startTxn()
                    + ", a copy of the same bytes recovered to " + verifiedTxn;
        }
        KillVerifier.State state;
        try {
            state = KillVerifier.readState(file, mode, key);
        } catch (AncDbException e) {
            tally.integrityFailures++;
            return "cannot read the file after the kill: " + e.getMessage();
        }
        if (state.txn() < floor) {
            tally.acknowledgedLost += floor - state.txn();
            return "acknowledged transaction " + floor + " lost: the file holds transactions up to " + state.txn();
        }
        if (state.txn() > ceiling) {
            return "the file holds transaction " + state.txn() + ", yet only " + ceiling + " ever began";
        }
        model.advanceTo(state.txn());
        List<String> problems = new ArrayList<>(KillVerifier.compare(state, model));
        List<String> shell = KillVerifier.sqliteCheck(file, state.txn() < 0 ? null : KillWorkload.ITEMS,
                model.rows().size(), key);
        if (!state.integrity().isEmpty() || !shell.isEmpty()) {
            tally.integrityFailures++;
        }
        problems.addAll(shell);
        if (!problems.isEmpty()) {
            return "after transaction " + state.txn() + ": " + String.join("; ", problems);
        }
        if (progress.lastBegun() > progress.lastAcked() && progress.lastBegun() > verifiedTxn) {
            tally.killsInFlight++;
            if (state.txn() == progress.lastBegun()) {
                tally.inFlightFoundCommitted++;
            }
        }
        tally.transactionsCommitted += state.txn() - verifiedTxn;
        verifiedTxn = state.txn();
        return null;
    }
}

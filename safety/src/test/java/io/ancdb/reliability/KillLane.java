package io.ancdb.reliability;

import io.ancdb.AncDbException;
import io.ancdb.DatabaseOptions.JournalMode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * One database file killed over and over: start a {@link KillChild} on it,
 * SIGKILL it at a random moment, check a copy of what it left (db file plus
 * journal or WAL, i.e. exactly what crash recovery will see), then start the
 * next child on the original file, so that the next child is the one that
 * runs crash recovery (and may itself be killed doing it). Stops at the
 * first failure.
 */
final class KillLane {
    private static final int SIGKILL_EXIT = 128 + 9;
    private static final long EVENT_TIMEOUT_MS = 60_000;

    private final String name;
    private final JournalMode mode;
    private final byte[] key;                 // the file's raw key, null for a plaintext lane
    private final long seed;
    private final Random timing;
    private final Path dir;
    private final Path db;
    private final ChildJvm jvm;
    private final int maxWriteDelayMs;
    private final KillModel model;
    private final KillTally tally = new KillTally();
    private long verifiedTxn = -1;            // the file's transaction number as of the last check
    private long startupEstimateMs = 300;     // spawn to "open", smoothed
    private long openEstimateMs = 300;        // "open" to "start": opening and recovering, smoothed

    /** {@code encrypted}: the lane's file is encrypted with a raw key made from the seed. */
    KillLane(String name, JournalMode mode, boolean encrypted, long seed, Path dir, ChildJvm jvm, int maxWriteDelayMs) {
        this.name = name;
        this.mode = mode;
        this.key = encrypted ? EnvKey.fromSeed(seed) : null;
        this.seed = seed;
        this.timing = new Random(seed ^ 0x5DEECE66DL);
        this.dir = dir;
        this.db = dir.resolve("kill.db");
        this.jvm = jvm;
        this.maxWriteDelayMs = maxWriteDelayMs;
        this.model = new KillModel(seed);
    }

    /** The lane as the summary names it: "lane2 (DELETE, encrypted)". */
    String label() {
        return name + " (" + mode + (key == null ? "" : ", encrypted") + ")";
    }

    KillTally run(int kills) {
        try {
            Files.createDirectories(dir);
            for (int k = 1; k <= kills && tally.failures.isEmpty(); k++) {
                killOnce(k);
                if (k % 250 == 0) {           // long runs: a sign of life
                    System.out.println("[kill-9] " + label() + ": " + k + " kills, file at transaction "
                            + verifiedTxn + ", " + tally.failures.size() + " failures");
                }
            }
            byte[] head = Files.exists(db) ? Arrays.copyOf(Files.readAllBytes(db), 16) : null;
            if (key != null && head != null && new String(head, StandardCharsets.ISO_8859_1).startsWith("SQLite format 3")) {
                tally.failures.add(label() + ": the file of an encrypted lane is plaintext");
            }
        } catch (IOException e) {
            tally.failures.add(name + ": " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            tally.failures.add(name + ": interrupted");
        }
        return tally;
    }

    private enum KillPoint { BEFORE_OPEN, DURING_OPEN, DURING_WRITES }

    private void killOnce(int k) throws IOException, InterruptedException {
        Path stderr = dir.resolve("child.stderr");
        ProcessBuilder pb = new ProcessBuilder(jvm.command(KillChild.class.getName(), List.of(),
                db.toString(), mode.name(), Long.toString(seed), "-1", "600"))
                .redirectError(stderr.toFile()).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        EnvKey.pass(pb, key);
        Process p = pb.start();
        ChildProgress progress = ChildProgress.follow(p.getInputStream(), name + "-stdout");
        KillPoint point = choosePoint();
        boolean reached = switch (point) {
            case BEFORE_OPEN -> {
                Thread.sleep(timing.nextLong(startupEstimateMs + 1));
                yield true;
            }
            case DURING_OPEN -> {
                boolean ok = progress.awaitOpen(EVENT_TIMEOUT_MS);
                LockSupport.parkNanos(timing.nextLong(openEstimateMs * 1_000_000 + 1));
                yield ok;
            }
            case DURING_WRITES -> {
                boolean ok = progress.awaitStart(EVENT_TIMEOUT_MS);
                Thread.sleep(timing.nextInt(maxWriteDelayMs + 1));
                yield ok;
            }
        };
        boolean aliveAtKill = p.isAlive();
        // SIGKILL through the handle: Process.destroyForcibly() would also close our end of the
        // child's stdout and drop the acknowledgements still in the pipe.
        p.toHandle().destroyForcibly();
        if (!p.waitFor(EVENT_TIMEOUT_MS, TimeUnit.MILLISECONDS) || !progress.awaitEnd(EVENT_TIMEOUT_MS)) {
            fail(k, "child did not die after SIGKILL");
            return;
        }
        tally.kills++;
        // counted by where the child really was, which is not always where the plan aimed
        if (progress.startupMillis() < 0) {
            tally.killsBeforeOpen++;
        } else if (progress.startTxn() == null) {
            tally.killsDuringOpen++;
        } else {
            tally.killsDuringWrites++;
        }
        if (progress.startupMillis() > 0) {
            tally.startupMillis += progress.startupMillis();
            tally.startups++;
            startupEstimateMs = (startupEstimateMs * 7 + progress.startupMillis()) / 8;
        }
        if (progress.openMillis() > 0) {
            openEstimateMs = (openEstimateMs * 7 + progress.openMillis()) / 8;
        }
        if (!reached || !aliveAtKill || p.exitValue() != SIGKILL_EXIT) {
            fail(k, "child " + (reached ? "" : "never reached " + point + ", ") + "exited "
                    + p.exitValue() + (aliveAtKill ? "" : " before the kill") + "; stderr:\n"
                    + ChildJvm.tail(stderr, 3000));
            return;
        }
        if (progress.badLine() != null) {
            fail(k, "child printed an unexpected line: " + progress.badLine());
            return;
        }
        verify(k, progress);
    }

    private KillPoint choosePoint() {
        int r = timing.nextInt(100);
        return r < 10 ? KillPoint.BEFORE_OPEN : r < 25 ? KillPoint.DURING_OPEN : KillPoint.DURING_WRITES;
    }

    private void verify(int k, ChildProgress progress) throws IOException {
        Path snap = snapshot();
        long floor = Math.max(verifiedTxn, progress.lastAcked());
        long ceiling = Math.max(verifiedTxn, progress.lastBegun());
        if (progress.startTxn() != null && progress.startTxn() != verifiedTxn) {
            fail(k, "the child recovered the file to transaction " + progress.startTxn()
                    + ", a copy of the same bytes recovered to " + verifiedTxn);
            return;
        }
        KillVerifier.State state;
        try {
            state = KillVerifier.readState(snap.resolve(db.getFileName()), mode, key);
        } catch (AncDbException e) {
            tally.integrityFailures++;
            fail(k, "cannot read the file after the kill: " + e.getMessage());
            return;
        }
        if (state.txn() < floor) {
            tally.acknowledgedLost += floor - state.txn();
            fail(k, "acknowledged transaction " + floor + " lost: the file holds transactions up to " + state.txn());
            return;
        }
        if (state.txn() > ceiling) {
            fail(k, "the file holds transaction " + state.txn() + ", yet only " + ceiling + " ever began");
            return;
        }
        model.advanceTo(state.txn());
        List<String> problems = new ArrayList<>(KillVerifier.compare(state, model));
        List<String> shell = KillVerifier.sqliteCheck(snap.resolve(db.getFileName()), state.txn(), model.rows().size(),
                key);
        if (!state.integrity().isEmpty() || !shell.isEmpty()) {
            tally.integrityFailures++;
        }
        problems.addAll(shell);
        if (!problems.isEmpty()) {
            fail(k, "after transaction " + state.txn() + ": " + String.join("; ", problems));
            return;
        }
        if (progress.lastBegun() > progress.lastAcked() && progress.lastBegun() > verifiedTxn) {
            tally.killsInFlight++;
            if (state.txn() == progress.lastBegun()) {
                tally.inFlightFoundCommitted++;
            }
        }
        tally.transactionsCommitted += state.txn() - verifiedTxn;
        tally.recoveriesVerified++;
        verifiedTxn = state.txn();
    }

    /** A copy of the database and its journal or WAL (not the -shm: a fresh open rebuilds it from the WAL). */
    private Path snapshot() throws IOException {
        Path snap = dir.resolve("snapshot");
        ChildJvm.deleteTree(snap);
        Files.createDirectories(snap);
        for (String suffix : new String[] {"", "-journal", "-wal"}) {
            Path f = dir.resolve(db.getFileName() + suffix);
            if (Files.exists(f)) {
                Files.copy(f, snap.resolve(f.getFileName()), StandardCopyOption.COPY_ATTRIBUTES);
            }
        }
        return snap;
    }

    /** Records a failure and keeps the files for a post-mortem under target/kill9-failures. */
    private void fail(int k, String what) {
        tally.failures.add(label() + " seed " + seed + ", kill " + k + ": " + what);
        try {
            Path keep = Path.of("target", "kill9-failures", name + "-kill-" + k);
            Files.createDirectories(keep);
            try (var files = Files.list(dir)) {
                for (Path f : files.toList()) {
                    if (Files.isRegularFile(f)) {
                        Files.copy(f, keep.resolve(f.getFileName()), StandardCopyOption.REPLACE_EXISTING);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

package io.ancdb.reliability;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * One database file killed over and over: start a child on it (what it runs
 * is the lane's {@link Check}: {@link KillTxnCheck}, one transaction after
 * another, or {@link GroupKillCheck}, many threads through group commit),
 * SIGKILL it at a random moment, check a copy of what it left (db file plus
 * journal or WAL, i.e. exactly what crash recovery will see), then start the
 * next child on the original file, so that the next child is the one that
 * runs crash recovery (and may itself be killed doing it). Stops at the
 * first failure.
 */
final class KillLane {
    private static final int SIGKILL_EXIT = 128 + 9;
    private static final long EVENT_TIMEOUT_MS = 60_000;

    /** What a lane's children run, and how the file a killed child left is checked. */
    interface Check {
        /** The main class and arguments of the child started for kill {@code k} on {@code db}. */
        List<String> child(Path db, int k);

        /**
         * Checks {@code file}, a copy of what the child left (opening it runs
         * crash recovery), against what {@code progress} says the child did;
         * counts into {@code tally}. Returns null when right, else what is wrong.
         */
        String verify(Path file, ChildProgress progress, KillTally tally) throws IOException;
    }

    private final String name;
    private final String about;               // journal mode, seed: for failure messages
    private final byte[] key;                 // the file's raw key (children get it in the environment), or null
    private final Random timing;
    private final Path dir;
    private final Path db;
    private final ChildJvm jvm;
    private final int maxWriteDelayMs;
    private final Check check;
    private final KillTally tally = new KillTally();
    private long startupEstimateMs = 300;     // spawn to "open", smoothed
    private long openEstimateMs = 300;        // "open" to "start": opening and recovering, smoothed

    /** {@code key}: the raw key of an encrypted lane's file, handed to its children in the environment, or null. */
    KillLane(String name, String about, long seed, Path dir, ChildJvm jvm, int maxWriteDelayMs, byte[] key, Check check) {
        this.name = name;
        this.about = about;
        this.key = key;
        this.timing = new Random(seed ^ 0x5DEECE66DL);
        this.dir = dir;
        this.db = dir.resolve("kill.db");
        this.jvm = jvm;
        this.maxWriteDelayMs = maxWriteDelayMs;
        this.check = check;
    }

    /** The lane as the summary names it: "lane2 (DELETE, seed 7, encrypted)". */
    String label() {
        return name + " (" + about + ")";
    }

    KillTally run(int kills) {
        try {
            Files.createDirectories(dir);
            for (int k = 1; k <= kills && tally.failures.isEmpty(); k++) {
                killOnce(k);
                if (k % 250 == 0) {           // long runs: a sign of life
                    System.out.println("[kill-9] " + label() + ": " + k + " kills, "
                            + tally.transactionsCommitted + " transactions committed, " + tally.failures.size()
                            + " failures");
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
        List<String> child = check.child(db, k);
        ProcessBuilder pb = new ProcessBuilder(jvm.command(child.getFirst(), List.of(),
                child.subList(1, child.size()).toArray(String[]::new)))
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
        String wrong = check.verify(snapshot().resolve(db.getFileName()), progress, tally);
        if (wrong != null) {
            fail(k, wrong);
        } else {
            tally.recoveriesVerified++;
        }
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
        tally.failures.add(label() + " kill " + k + ": " + what);
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

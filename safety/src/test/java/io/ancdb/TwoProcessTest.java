package io.ancdb;

import io.ancdb.schema.Column;
import io.ancdb.schema.SqlType;
import io.ancdb.schema.TableSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * ANC-DB with its default options beside the stock {@code sqlite3} shell, a
 * second process, on the same file: the shell reads while ANC-DB writes and
 * writes while ANC-DB reads (with kept snapshots). Neither side waits for the
 * other: a wait past a busy timeout would surface as an error (code 5 here,
 * "database is locked" in the shell), and the timeouts are hang guards.
 */
class TwoProcessTest {
    private static final Duration HANG_GUARD = Duration.ofSeconds(120);
    private static final int ROUNDS = 200;

    @TempDir
    Path dir;

    private static Database open(Path file) {
        Database db = Database.open(file);          // the defaults: WAL, synchronous FULL, normal locking
        db.runWrite(tx -> tx.createTable(TableSpec.of("t", Column.rowid("id"), Column.of("v", SqlType.INTEGER))));
        return db;
    }

    private interface TwoProcesses {
        void run(Database db, BusyConflictTest.Shell sh) throws Exception;
    }

    /** Runs {@code body} with ANC-DB (defaults) and an interactive shell on one new file; both check it after. */
    private void withShell(String name, TwoProcesses body) {
        assertTimeoutPreemptively(HANG_GUARD, () -> {
            Path file = dir.resolve(name);
            try (Database db = open(file);
                 BusyConflictTest.Shell sh = new BusyConflictTest.Shell(file)) {
                sh.run(".timeout 5000");
                body.run(db, sh);
                assertEquals(List.of("ok"), sh.run("PRAGMA integrity_check;"));
                assertEquals("", db.integrityCheck());
            }
            assertEquals("ok", SqliteShell.one(file, "PRAGMA integrity_check;"));
        });
    }

    @Test
    void theShellReadsWhileAncDbWrites() {
        withShell("shell-reads.db", (db, sh) -> {
            assertEquals(List.of("0"), sh.run("BEGIN; SELECT count(*) FROM t;"));   // the shell holds a snapshot
            for (long i = 1; i <= 20; i++) {
                long id = i;
                db.runWrite(tx -> tx.insert("t", id, new Object[] {null, id}, OnConflict.FAIL));
            }
            assertEquals(List.of("0"), sh.run("SELECT count(*) FROM t;"), "the shell's snapshot");
            assertEquals(List.of("20"), sh.run("COMMIT; SELECT count(*) FROM t;"));

            // the shell reading in a loop, in its own process, while ANC-DB commits
            StringBuilder queries = new StringBuilder();
            for (int i = 0; i < ROUNDS; i++) {
                queries.append("SELECT count(*), coalesce(sum(v), 0) FROM t;\n");
            }
            CompletableFuture<List<String>> shellReads = CompletableFuture.supplyAsync(() -> {
                try {
                    return sh.run(queries.toString());
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }, task -> Thread.ofPlatform().start(task));
            for (long i = 21; i <= 20 + ROUNDS; i++) {
                long id = i;
                db.runWrite(tx -> tx.insert("t", id, new Object[] {null, id}, OnConflict.FAIL));
            }
            List<String> seen = shellReads.get(HANG_GUARD.toSeconds(), TimeUnit.SECONDS);
            assertEquals(ROUNDS, seen.size());
            long last = 0;
            for (String line : seen) {              // each answer a committed state: n rows summing to n(n+1)/2
                String[] f = line.split("\\|");
                long n = Long.parseLong(f[0]);
                assertEquals(n * (n + 1) / 2, Long.parseLong(f[1]), "the shell saw a committed state: " + line);
                assertTrue(n >= last, "the shell went back: " + line);
                last = n;
            }
            assertEquals(20L + ROUNDS, BusyConflictTest.count(db));
        });
    }

    @Test
    void theShellWritesWhileAncDbReads() {
        withShell("shell-writes.db", (db, sh) -> {
            try (ReadTx tx = db.beginRead()) {
                assertEquals(0, tx.count("t"));
                sh.run("INSERT INTO t VALUES (1, 1);");          // beside ANC-DB's open read transaction
                assertEquals(0, tx.count("t"), "ANC-DB's snapshot");
            }
            assertEquals(1L, BusyConflictTest.count(db));

            // ANC-DB readers (keeping their snapshots between reads) while the shell commits in a loop
            AtomicBoolean stop = new AtomicBoolean();
            ConcurrentLinkedQueue<Throwable> errors = new ConcurrentLinkedQueue<>();
            List<Thread> readers = new ArrayList<>();
            for (int r = 0; r < 3; r++) {
                readers.add(Thread.ofPlatform().name("reader-" + r).start(() -> {
                    try {
                        long last = 0;
                        while (!stop.get()) {
                            long[] nSum = db.readTx(tx -> {
                                long n = 0;
                                long sum = 0;
                                try (RowCursor c = tx.scan("t")) {
                                    while (c.hasNext()) {
                                        n++;
                                        sum += (Long) c.next().get(1);
                                    }
                                }
                                return new long[] {n, sum};
                            });
                            if (nSum[1] != nSum[0] * (nSum[0] + 1) / 2 || nSum[0] < last) {
                                throw new AssertionError("read " + nSum[0] + " rows summing to " + nSum[1]
                                        + " after " + last + " rows");
                            }
                            last = nSum[0];
                        }
                    } catch (Throwable e) {
                        errors.add(e);
                    }
                }));
            }
            StringBuilder inserts = new StringBuilder();
            for (int i = 2; i <= 1 + ROUNDS; i++) {
                inserts.append("INSERT INTO t VALUES (").append(i).append(", ").append(i).append(");\n");
            }
            sh.run(inserts.toString());                 // a commit each; any "database is locked" fails here
            stop.set(true);
            for (Thread t : readers) {
                t.join();
            }
            assertTrue(errors.isEmpty(), "reader failed: " + errors.peek());
            assertEquals(1L + ROUNDS, BusyConflictTest.count(db), "the read after the shell's last commit sees it");
        });
    }
}

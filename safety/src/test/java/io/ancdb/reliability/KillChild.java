package io.ancdb.reliability;

import io.ancdb.Database;
import io.ancdb.DatabaseOptions;
import io.ancdb.Row;
import io.ancdb.WriteTx;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;

/**
 * The child JVM of the kill -9 loop: opens the file, reads the number of the
 * last committed transaction, and runs the next ones of {@link KillWorkload}
 * until it is killed. Progress goes to stdout, one flushed line per event:
 * {@code open} (before opening, i.e. before any crash recovery),
 * {@code start N} (the file holds transactions up to N, -1 for no schema),
 * {@code begin i} (before transaction i begins), {@code ack i} (after its
 * commit returned).
 *
 * <p>Usage: {@code KillChild <db> <DELETE|WAL> <seed> <maxTxns|-1> <maxSeconds>};
 * exits 0 after {@code maxTxns} transactions (the AOT training run), 3 when
 * {@code maxSeconds} pass without a kill. The file is encrypted when the
 * environment holds a raw key ({@link EnvKey}). {@code KillChild train <dir>}
 * runs a short workload in both journal modes, plaintext and encrypted.
 */
public final class KillChild {
    private KillChild() {
    }

    public static void main(String[] args) throws IOException {
        OutputStream out = new FileOutputStream(FileDescriptor.out);
        if (args[0].equals("train")) {
            Path dir = Path.of(args[1]);
            for (byte[] key : new byte[][] {null, EnvKey.fromSeed(0)}) {
                for (DatabaseOptions.JournalMode m : DatabaseOptions.JournalMode.values()) {
                    Path db = dir.resolve("train-" + m + (key == null ? "" : "-encrypted") + ".db");
                    run(db, m, key, 1, 40, 60, out);
                    run(db, m, key, 1, 60, 60, out);        // a reopen with data in it
                    KillVerifier.readState(db, m, key);     // the parent's reads, for its own warm-up only
                }
            }
            return;
        }
        int rc = run(Path.of(args[0]), DatabaseOptions.JournalMode.valueOf(args[1]), EnvKey.fromEnvironment(),
                Long.parseLong(args[2]), Long.parseLong(args[3]), Long.parseLong(args[4]), out);
        System.exit(rc);
    }

    /** How children and the verifier open the file; {@code key}: its raw key, null for a plaintext file. */
    static DatabaseOptions options(DatabaseOptions.JournalMode mode, byte[] key) {
        return EnvKey.keyed(DatabaseOptions.defaults().withJournalMode(mode)
                .withSynchronous(DatabaseOptions.Synchronous.FULL).withMaxReaders(1), key);
    }

    private static int run(Path file, DatabaseOptions.JournalMode mode, byte[] key, long seed, long maxTxns,
                           long maxSeconds, OutputStream out) throws IOException {
        long deadline = System.nanoTime() + maxSeconds * 1_000_000_000L;
        ChildJvm.writeLine(out, "open");
        try (Database db = Database.open(file, options(mode, key))) {
            long n = lastTxn(db);
            ChildJvm.writeLine(out, "start " + n);
            if (n < 0) {
                ChildJvm.writeLine(out, "begin 0");
                db.runWrite(KillWorkload::createSchema);
                ChildJvm.writeLine(out, "ack 0");
                n = 0;
            }
            for (long i = n + 1; maxTxns < 0 || i <= maxTxns; i++) {
                if (System.nanoTime() > deadline) {
                    return 3;
                }
                ChildJvm.writeLine(out, "begin " + i);
                try (WriteTx tx = db.beginWrite()) {
                    KillWorkload.run(tx, seed, i);
                    tx.commit();
                }
                ChildJvm.writeLine(out, "ack " + i);
            }
        }
        return 0;
    }

    /** The last committed transaction recorded in the file; -1 without the schema. */
    static long lastTxn(Database db) {
        if (db.catalog().find(KillWorkload.META) == null) {
            return -1;
        }
        return db.readTx(tx -> {
            Row r = tx.get(KillWorkload.META, KillWorkload.META_ROW);
            if (r == null) {
                throw new AssertionError("meta table without its row");
            }
            return (Long) r.get(1);
        });
    }
}

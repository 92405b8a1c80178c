package io.ancdb.reliability;

import io.ancdb.Database;
import io.ancdb.DatabaseKey;
import io.ancdb.DatabaseOptions.JournalMode;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;

/**
 * Child JVM of the corruption fuzzer: for each seed in {@code [from, to)}
 * damages a copy of a template ({@link FileMutator}) and hands it to
 * {@link CorruptProbe}. Runs in its own JVM so that a native crash ends this
 * process, not the test: {@code try S} goes to stdout before seed S is
 * touched, {@code done S ...} (tab-separated outcome) after.
 *
 * <p>Usage: {@code CorruptWorker <templateDir> <scratchDir> <from> <to>}.
 * Even seeds use the DELETE template, odd ones the WAL template (a third of
 * those damage the -wal file instead of the database). Every fifth seed
 * ({@code seed % 5 == 4}) uses the encrypted template: half of those damage
 * the encrypted bytes as they are (most stop at a page's HMAC), half damage
 * the plaintext (the template decrypted once with {@link Database#rekey}) and
 * encrypt it again with {@code rekey}, so the checks behind the HMAC are
 * reached; that re-encryption copies the b-trees entry by entry, and when
 * the damage stops it, its error is the seed's outcome.
 */
public final class CorruptWorker {
    /** How a seed's file was damaged: the description's prefix for the encrypted ones. */
    static final String ENCRYPTED = "encrypted: ";
    static final String REENCRYPTED = "plaintext, encrypted again: ";

    private CorruptWorker() {
    }

    static JournalMode mode(long seed) {
        return (seed & 1) == 0 ? JournalMode.DELETE : JournalMode.WAL;
    }

    static boolean encrypted(long seed) {
        return seed % 5 == 4;
    }

    /** An encrypted seed whose plaintext is damaged, then encrypted again. */
    static boolean reencrypted(long seed) {
        return encrypted(seed) && new SplittableRandom(seed ^ 0x656e63L).nextBoolean();
    }

    /**
     * The damaged files of {@code seed}: database (and -wal) written to
     * {@code scratch}; returns the mutation. {@code plain}: the decrypted
     * encrypted templates, by mode (for {@link #reencrypted} seeds).
     */
    static FileMutator.Mutation prepare(Path templates, Path scratch, long seed, Path[] plain) throws IOException {
        JournalMode mode = mode(seed);
        boolean encrypted = encrypted(seed);
        Path db = scratch.resolve("fuzz.db");
        for (String suffix : new String[] {"", "-journal", "-wal", "-shm", "-rekey"}) {
            Files.deleteIfExists(scratch.resolve("fuzz.db" + suffix));
        }
        if (reencrypted(seed)) {
            FileMutator.Mutation m = FileMutator.mutate(Files.readAllBytes(plain[mode.ordinal()]), seed);
            Files.write(db, m.bytes());
            return new FileMutator.Mutation(m.bytes(), m.kind(), REENCRYPTED + m.description());
        }
        String prefix = encrypted ? ENCRYPTED : "";
        Path template = CorruptTemplate.file(templates, mode, encrypted);
        Path wal = template.resolveSibling(template.getFileName() + "-wal");
        boolean damageWal = mode == JournalMode.WAL && new SplittableRandom(seed ^ 0x77L).nextInt(3) == 0;
        FileMutator.Mutation m;
        if (damageWal) {
            Files.copy(template, db);
            m = FileMutator.mutate(Files.readAllBytes(wal), seed);
            Files.write(scratch.resolve("fuzz.db-wal"), m.bytes());
            return new FileMutator.Mutation(m.bytes(), m.kind(), prefix + "-wal: " + m.description());
        }
        m = FileMutator.mutate(Files.readAllBytes(template), seed);
        Files.write(db, m.bytes());
        if (mode == JournalMode.WAL) {
            Files.copy(wal, scratch.resolve("fuzz.db-wal"));
        }
        return new FileMutator.Mutation(m.bytes(), m.kind(), prefix + m.description());
    }

    /** A scratch copy of a template (and its -wal), in a directory of its own. */
    private static Path copy(Path templates, Path scratch, String name, JournalMode mode, boolean encrypted)
            throws IOException {
        Path dir = scratch.resolve(name + "-" + mode + (encrypted ? "-encrypted" : ""));
        ChildJvm.deleteTree(dir);
        Files.createDirectories(dir);
        Path template = CorruptTemplate.file(templates, mode, encrypted);
        Path copy = dir.resolve("t.db");
        Files.copy(template, copy);
        Path wal = template.resolveSibling(template.getFileName() + "-wal");
        if (Files.exists(wal)) {
            Files.copy(wal, dir.resolve("t.db-wal"));
        }
        return copy;
    }

    /** The fingerprint of an undamaged template, read from a scratch copy (opening a WAL file checkpoints it). */
    static long templateFingerprint(Path templates, Path scratch, JournalMode mode, boolean encrypted) throws IOException {
        return CorruptProbe.fingerprint(copy(templates, scratch, "pristine", mode, encrypted), mode, encrypted);
    }

    /** The encrypted template of {@code mode} decrypted (its WAL checkpointed into it). */
    static Path decryptedTemplate(Path templates, Path scratch, JournalMode mode) throws IOException {
        Path file = copy(templates, scratch, "decrypted", mode, true);
        Database.rekey(file, DatabaseKey.raw(CorruptTemplate.KEY), null);
        return file;
    }

    public static void main(String[] args) throws IOException {
        Path templates = Path.of(args[0]);
        Path scratch = Path.of(args[1]);
        long from = Long.parseLong(args[2]);
        long to = Long.parseLong(args[3]);
        Files.createDirectories(scratch);
        OutputStream out = new FileOutputStream(FileDescriptor.out);
        long[][] fingerprints = new long[2][2];              // [encrypted][mode]
        Path[] plain = new Path[2];
        for (JournalMode mode : JournalMode.values()) {
            fingerprints[0][mode.ordinal()] = templateFingerprint(templates, scratch, mode, false);
            fingerprints[1][mode.ordinal()] = templateFingerprint(templates, scratch, mode, true);
            plain[mode.ordinal()] = decryptedTemplate(templates, scratch, mode);
        }
        for (long seed = from; seed < to; seed++) {
            ChildJvm.writeLine(out, "try " + seed);
            FileMutator.Mutation m = prepare(templates, scratch, seed, plain);
            Path db = scratch.resolve("fuzz.db");
            JournalMode mode = mode(seed);
            boolean encrypted = encrypted(seed);
            CorruptProbe.Outcome o = null;
            if (reencrypted(seed)) {
                try {
                    Database.rekey(db, null, DatabaseKey.raw(CorruptTemplate.KEY));
                } catch (Throwable t) {
                    o = CorruptProbe.classify(t, "encrypt again", "", false);
                }
            }
            if (o == null) {
                o = CorruptProbe.probe(db, mode, encrypted, fingerprints[encrypted ? 1 : 0][mode.ordinal()]);
            }
            ChildJvm.writeLine(out, String.join("\t", "done", Long.toString(seed), o.verdict().name(), o.code(),
                    Long.toString(o.page()), m.kind().name(), m.description(), o.step(), o.detail()));
        }
        ChildJvm.writeLine(out, "finished");
    }
}

package io.ancdb.reliability;

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
 * those damage the -wal file instead of the database).
 */
public final class CorruptWorker {
    private CorruptWorker() {
    }

    /** The damaged files of {@code seed}: database (and -wal) written to {@code scratch}; returns the mutation. */
    static FileMutator.Mutation prepare(Path templates, Path scratch, long seed) throws IOException {
        JournalMode mode = mode(seed);
        Path template = CorruptTemplate.file(templates, mode);
        Path db = scratch.resolve("fuzz.db");
        for (String suffix : new String[] {"", "-journal", "-wal", "-shm"}) {
            Files.deleteIfExists(scratch.resolve("fuzz.db" + suffix));
        }
        Path wal = template.resolveSibling(template.getFileName() + "-wal");
        boolean damageWal = mode == JournalMode.WAL && new SplittableRandom(seed ^ 0x77L).nextInt(3) == 0;
        FileMutator.Mutation m;
        if (damageWal) {
            Files.copy(template, db);
            m = FileMutator.mutate(Files.readAllBytes(wal), seed);
            Files.write(scratch.resolve("fuzz.db-wal"), m.bytes());
            return new FileMutator.Mutation(m.bytes(), m.kind(), "-wal: " + m.description());
        }
        m = FileMutator.mutate(Files.readAllBytes(template), seed);
        Files.write(db, m.bytes());
        if (mode == JournalMode.WAL) {
            Files.copy(wal, scratch.resolve("fuzz.db-wal"));
        }
        return m;
    }

    static JournalMode mode(long seed) {
        return (seed & 1) == 0 ? JournalMode.DELETE : JournalMode.WAL;
    }

    /** The fingerprint of an undamaged template, read from a scratch copy (opening a WAL file checkpoints it). */
    static long templateFingerprint(Path templates, Path scratch, JournalMode mode) throws IOException {
        Path dir = scratch.resolve("pristine-" + mode);
        ChildJvm.deleteTree(dir);
        Files.createDirectories(dir);
        Path template = CorruptTemplate.file(templates, mode);
        Path copy = dir.resolve("t.db");
        Files.copy(template, copy);
        Path wal = template.resolveSibling(template.getFileName() + "-wal");
        if (Files.exists(wal)) {
            Files.copy(wal, dir.resolve("t.db-wal"));
        }
        return CorruptProbe.fingerprint(copy, mode);
    }

    public static void main(String[] args) throws IOException {
        Path templates = Path.of(args[0]);
        Path scratch = Path.of(args[1]);
        long from = Long.parseLong(args[2]);
        long to = Long.parseLong(args[3]);
        Files.createDirectories(scratch);
        OutputStream out = new FileOutputStream(FileDescriptor.out);
        long[] fingerprints = {templateFingerprint(templates, scratch, JournalMode.DELETE),
                templateFingerprint(templates, scratch, JournalMode.WAL)};
        for (long seed = from; seed < to; seed++) {
            ChildJvm.writeLine(out, "try " + seed);
            FileMutator.Mutation m = prepare(templates, scratch, seed);
            CorruptProbe.Outcome o = CorruptProbe.probe(scratch.resolve("fuzz.db"), mode(seed),
                    fingerprints[(int) (seed & 1)]);
            ChildJvm.writeLine(out, String.join("\t", "done", Long.toString(seed), o.verdict().name(), o.code(),
                    Long.toString(o.page()), m.kind().name(), m.description(), o.step(), o.detail()));
        }
        ChildJvm.writeLine(out, "finished");
    }
}

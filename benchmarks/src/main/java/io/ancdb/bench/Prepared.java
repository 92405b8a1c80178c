package io.ancdb.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * The loaded data sets. Each engine's data set for a (shape, n) is built once
 * into a cache directory ({@code -Dancdb.bench.data}, default
 * {@code benchmarks/target/data}) and every trial works on a private copy, so
 * the writes of one trial never reach another and every trial starts from the
 * same bytes.
 *
 * <p>Layout: {@code <root>/<engine>-<shape>-<n>/db} (a file for the SQLite
 * engines, a directory for lmdb), complete once {@code done} exists next to
 * it; trial copies under {@code <root>/trials/}.
 */
public final class Prepared {
    private Prepared() {
    }

    /** The cache directory. */
    public static Path root() {
        String p = System.getProperty("ancdb.bench.data");
        if (p != null) {
            return Path.of(p);
        }
        return Files.isDirectory(Path.of("benchmarks")) ? Path.of("benchmarks", "target", "data") : Path.of("target", "data");
    }

    /** The master copy of {@code engine}'s data set (see {@link Store#engine}), built on first use. */
    public static synchronized Path master(String engine, Data data) {
        Path dir = root().resolve(engine + "-" + data.shape.name().toLowerCase(java.util.Locale.ROOT) + "-" + data.n);
        Path db = dir.resolve("db");
        if (Files.exists(dir.resolve("done"))) {
            return db;
        }
        try {
            deleteTree(dir);
            Files.createDirectories(dir);
            long t0 = System.nanoTime();
            build(engine, db, data);
            Files.writeString(dir.resolve("done"), "built in " + (System.nanoTime() - t0) / 1_000_000 + " ms\n");
            return db;
        } catch (Exception e) {
            throw new IllegalStateException("building the " + engine + " data set failed", e);
        }
    }

    private static void build(String engine, Path db, Data data) throws Exception {
        for (Store.Kind k : Store.KINDS) {
            if (k.engine().equals(engine)) {
                k.builder().build(db, data);
                return;
            }
        }
        throw new IllegalArgumentException("unknown engine " + engine);
    }

    /** A private copy of the master for one trial: returns the path to open (file or lmdb directory). */
    public static Path copy(String engine, Data data) {
        Path master = master(engine, data);
        try {
            Path trials = Files.createDirectories(root().resolve("trials"));
            Path dir = Files.createTempDirectory(trials, engine + "-");
            Path target = dir.resolve("db");
            if (Files.isDirectory(master)) {
                Files.createDirectory(target);
                try (Stream<Path> files = Files.list(master)) {
                    for (Path f : (Iterable<Path>) files::iterator) {
                        Files.copy(f, target.resolve(f.getFileName()), StandardCopyOption.COPY_ATTRIBUTES);
                    }
                }
            } else {
                Files.copy(master, target, StandardCopyOption.COPY_ATTRIBUTES);
            }
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Removes a trial copy made by {@link #copy} (with its journal/WAL/lock files). */
    public static void discard(Path copy) {
        if (copy != null) {
            deleteTree(copy.getParent());
        }
    }

    /** Bytes of a data set (file, or every file of a directory). */
    public static long size(Path db) {
        try (Stream<Path> s = Files.walk(db)) {
            return s.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) s.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

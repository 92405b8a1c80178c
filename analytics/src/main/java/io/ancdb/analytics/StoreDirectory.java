package io.ancdb.analytics;

import io.ancdb.InvalidArgumentException;
import io.ancdb.store.StoreNames;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** The store directory as analytics sees it: it must exist (reading never creates a store). */
final class StoreDirectory {
    /** The store's own schema file, which {@link io.ancdb.store.Store#open} makes. */
    static final String SCHEMA_FILE = ".ancdb-store.db";

    private StoreDirectory() {
    }

    /** {@code dir}, or an InvalidArgumentException when it is not a directory. */
    static Path existing(Path dir) {
        if (dir == null || !Files.isDirectory(dir)) {
            throw new InvalidArgumentException("no store directory at " + dir);
        }
        return dir;
    }

    /** {@code dir} when it holds a store (its schema file), else an InvalidArgumentException: reading never makes one. */
    static Path existingStore(Path dir) {
        if (!Files.isRegularFile(existing(dir).resolve(SCHEMA_FILE))) {
            throw new InvalidArgumentException("no store at " + dir + " (it has no " + SCHEMA_FILE + ")");
        }
        return dir;
    }

    /** The database names of the files {@code DIR/<name>.db}, in ASCII order, without opening any. */
    static List<String> names(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString())
                    .filter(f -> f.endsWith(StoreNames.FILE_SUFFIX))
                    .map(f -> f.substring(0, f.length() - StoreNames.FILE_SUFFIX.length()))
                    .filter(StoreNames::isValid)
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the store directory " + dir, e);
        }
    }
}

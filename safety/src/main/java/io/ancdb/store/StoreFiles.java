package io.ancdb.store;

import io.ancdb.AncDbException;
import io.ancdb.ErrorCode;
import io.ancdb.InvalidArgumentException;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.PriorityQueue;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.Predicate;

/** The store directory on disk: where a name's file is, listing, deleting, syncing the directory. */
final class StoreFiles {
    /** Where new files are prepared before they appear under their names (a name never begins with a dot). */
    static final String CREATING = ".creating";
    /** A file left in {@link #CREATING} this long ago belongs to a creation that died; it is removed. */
    static final Duration STALE = Duration.ofMinutes(10);

    private final Path dir;
    private final Path creating;

    StoreFiles(Path dir) {
        this.dir = dir;
        this.creating = dir.resolve(CREATING);
    }

    /** Opens (creating if missing) the store directory; refuses a path that is not a directory. */
    static Path prepare(Path dir) {
        if (dir == null) {
            throw new InvalidArgumentException("a store needs a directory");
        }
        try {
            Path d = dir.toAbsolutePath().normalize();
            if (Files.exists(d, LinkOption.NOFOLLOW_LINKS) && !Files.isDirectory(d)) {
                throw new InvalidArgumentException("the store path is not a directory");
            }
            Files.createDirectories(d);
            return d.toRealPath();
        } catch (IOException e) {
            throw failure("cannot create the store directory", e);
        }
    }

    Path dir() {
        return dir;
    }

    /** The database file of a valid name. */
    Path file(String name) {
        return dir.resolve(StoreNames.fileName(name));
    }

    boolean exists(String name) {
        return Files.exists(file(name));
    }

    /** Bytes of {@code path}, 0 when it does not exist. */
    static long size(Path path) {
        try {
            return Files.size(path);
        } catch (NoSuchFileException e) {
            return 0;
        } catch (IOException e) {
            throw failure("cannot read a file size", e);
        }
    }

    /**
     * Creates the file of {@code name} all at once: {@code prepare} fills a
     * new file under {@link #CREATING} (and closes it), which is then
     * hard-linked to its name (a link, unlike a rename, never replaces a file
     * another creator put there first) and removed from there. So a name's
     * file never exists half made, even after a crash.
     *
     * @return false when another creator's file got the name first
     */
    boolean create(String name, Consumer<Path> prepare, boolean sync) {
        return create(file(name), prepare, sync, "database " + StoreNames.quoted(name));
    }

    /** {@link #create(String, Consumer, boolean)} for any file {@code target} of the store directory. */
    boolean create(Path target, Consumer<Path> prepare, boolean sync, String what) {
        String base = target.getFileName().toString();
        base = base.endsWith(StoreNames.FILE_SUFFIX) ? base.substring(0, base.length() - StoreNames.FILE_SUFFIX.length()) : base;
        Path tmp = creating.resolve(StoreNames.fileName(base + "-" + UUID.randomUUID()));
        try {
            Files.createDirectories(creating);
            prepare.accept(tmp);
            Files.createLink(target, tmp);
            if (sync) {
                syncDirectory();
            }
            return true;
        } catch (FileAlreadyExistsException e) {
            return false;
        } catch (IOException e) {
            throw failure("cannot create " + what, e);
        } finally {
            deleteQuietly(tmp);
        }
    }

    /**
     * The first {@code n} bytes of {@code file} (fewer when it is shorter),
     * null when it does not exist: enough to tell an encrypted file (a
     * random salt) from a plaintext one ("SQLite format 3") without opening it.
     */
    static byte[] head(Path file, int n) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer b = ByteBuffer.allocate(n);
            while (b.hasRemaining() && ch.read(b) >= 0) {
                // read until n bytes or the end of the file
            }
            return Arrays.copyOf(b.array(), b.position());
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            throw failure("cannot read a store file", e);
        }
    }

    /** Removes what creations that died left in {@link #CREATING}: files older than {@link #STALE}. */
    void removeStaleCreations() {
        if (!Files.isDirectory(creating)) {
            return;
        }
        long cutoff = System.currentTimeMillis() - STALE.toMillis();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(creating)) {
            for (Path p : entries) {
                if (Files.getLastModifiedTime(p).toMillis() < cutoff) {
                    Files.deleteIfExists(p);
                }
            }
        } catch (IOException e) {
            throw failure("cannot clean the store's creation directory", e);
        }
    }

    private static void deleteQuietly(Path db) {
        for (String suffix : new String[] {"", "-wal", "-shm", "-journal"}) {
            try {
                Files.deleteIfExists(db.resolveSibling(db.getFileName() + suffix));
            } catch (IOException e) {
                // left for removeStaleCreations
            }
        }
    }

    /** Size of the WAL of {@code name} (0 without one). */
    long walSize(String name) {
        return size(dir.resolve(StoreNames.fileName(name) + "-wal"));
    }

    /** Deletes the file of {@code name} and its side files; true when the database file existed. */
    boolean delete(String name, boolean syncDirectory) {
        String base = StoreNames.fileName(name);
        try {
            // side files first: a crash in between leaves a plain database, never a journal without its file
            for (String suffix : StoreNames.SIDE_FILE_SUFFIXES) {
                Files.deleteIfExists(dir.resolve(base + suffix));
            }
            boolean existed = Files.deleteIfExists(dir.resolve(base));
            if (existed && syncDirectory) {
                syncDirectory();
            }
            return existed;
        } catch (IOException e) {
            throw failure("cannot delete database " + StoreNames.quoted(name), e);
        }
    }

    /**
     * Makes the directory entries durable (fsync of the directory). SQLite
     * syncs the directory for journals and WALs it creates, not for the
     * database file itself; a new store file needs it once.
     */
    void syncDirectory() {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            throw failure("cannot sync the store directory", e);
        }
    }

    /**
     * The first {@code limit + 1} names (ASCII order) after {@code after}
     * (null: from the start) that match {@code glob} and {@code filter}. One
     * pass over the directory, holding at most {@code limit + 1} names.
     */
    List<String> names(String glob, String after, int limit, Predicate<String> filter) {
        PriorityQueue<String> largestFirst = new PriorityQueue<>(Collections.reverseOrder());
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path p : entries) {
                String name = StoreNames.nameOfFile(p.getFileName().toString());
                if (name == null || (after != null && name.compareTo(after) <= 0)
                        || !StoreNames.matches(glob, name) || !filter.test(name)) {
                    continue;
                }
                if (largestFirst.size() <= limit) {
                    largestFirst.add(name);
                } else if (name.compareTo(largestFirst.peek()) < 0) {
                    largestFirst.poll();
                    largestFirst.add(name);
                }
            }
        } catch (IOException e) {
            throw failure("cannot list the store directory", e);
        }
        List<String> out = new ArrayList<>(largestFirst);
        Collections.sort(out);
        return out;
    }

    /** An I/O failure as ANC-DB's I/O error (code 101), without the path. */
    static AncDbException failure(String what, IOException e) {
        return new AncDbException(ErrorCode.IO_ERROR, 0, what + " (" + e.getClass().getSimpleName() + ")", e);
    }
}

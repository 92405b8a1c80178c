package io.ancdb.store;

import io.ancdb.DatabaseOptions;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * File descriptors: how many the process may hold, and how many one open
 * store file takes, so the handle cache can never run the process out.
 */
public final class Descriptors {
    /** Assumed when {@code /proc/self/limits} cannot be read (the usual soft limit). */
    static final long FALLBACK_LIMIT = 1024;

    private Descriptors() {
    }

    /**
     * The soft limit on open files of this process ("Max open files" in
     * {@code /proc/self/limits}, what {@code ulimit -n} shows), or
     * {@value #FALLBACK_LIMIT} when it cannot be read.
     */
    public static long processLimit() {
        try {
            return parseLimit(Files.readAllLines(Path.of("/proc/self/limits")));
        } catch (IOException | RuntimeException e) {
            return FALLBACK_LIMIT;
        }
    }

    static long parseLimit(List<String> limitsFile) {
        for (String line : limitsFile) {
            if (line.startsWith("Max open files")) {
                String soft = line.substring("Max open files".length()).trim().split("\\s+")[0];
                return soft.equals("unlimited") ? Integer.MAX_VALUE : Long.parseLong(soft);
            }
        }
        return FALLBACK_LIMIT;
    }

    /**
     * Descriptors one open file may hold with these options: each connection
     * (the writer and up to {@code maxReaders} readers) holds the database
     * file, and in WAL mode also its own descriptor of the WAL; the process
     * shares one descriptor of the {@code -shm} per file. In rollback mode a
     * writing transaction adds the journal and, while it syncs, the directory.
     */
    public static int perFile(DatabaseOptions o) {
        int connections = 1 + o.maxReaders();
        return o.journalMode() == DatabaseOptions.JournalMode.WAL ? 2 * connections + 1 : connections + 2;
    }

    /**
     * The default {@code maxOpen}: three quarters of the descriptor limit (a
     * quarter, at least 64, stays for sockets, jars and the rest of the
     * process) divided by {@link #perFile}; at least 1.
     */
    public static int defaultMaxOpen(DatabaseOptions o) {
        return maxOpenFor(processLimit(), o);
    }

    static int maxOpenFor(long limit, DatabaseOptions o) {
        long reserve = Math.max(64, limit / 4);
        long n = (limit - reserve) / perFile(o);
        return (int) Math.max(1, Math.min(n, Integer.MAX_VALUE));
    }
}

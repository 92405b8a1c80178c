package io.ancdb.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The two settings every SQLite-based store is run with (the same for ANC-DB
 * and sqlite-jdbc), and what lmdb is given for the same durability.
 *
 * <ul>
 * <li><b>default</b>: rollback journal (DELETE), synchronous=FULL, a 500-page
 *     (2 MiB) page cache -- SQLite's own default is {@code cache_size=-2000}
 *     (2000 KiB); normal file locking. lmdb: default flags (fsync at every
 *     commit).</li>
 * <li><b>tuned</b>: WAL, synchronous=NORMAL, a page cache larger than the
 *     file, exclusive locking, memory-mapped reads of the whole file
 *     ({@code mmap_size}, for both SQLite-based stores). lmdb: MDB_NOSYNC -- like WAL + NORMAL, no
 *     fsync at commit (WAL + NORMAL syncs at checkpoints). This matches the
 *     cost, not the guarantee: after a system crash lmdb may lose more or
 *     corrupt, which WAL + NORMAL never does, so the choice favours lmdb.
 *     (MDB_NOMETASYNC would keep lmdb's guarantee but still fsync the data
 *     pages at every commit, which WAL + NORMAL does not.)</li>
 * </ul>
 */
public enum Config {
    DEFAULT, TUNED;

    public static final int DEFAULT_CACHE_PAGES = 500;

    public static Config of(String s) {
        return valueOf(s.toUpperCase(java.util.Locale.ROOT));
    }

    public String id() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** The settings every store gets in this configuration (the report's settings table). */
    public String describe() {
        return this == DEFAULT
                ? "SQLite-based stores (ANC-DB, sqlite-jdbc, C floor): journal_mode=DELETE, synchronous=FULL, cache "
                  + DEFAULT_CACHE_PAGES + " pages (2000 KiB, SQLite's default cache_size=-2000), normal locking, no mmap."
                  + " lmdbjava: default durability (the data file is synced at every commit, like synchronous=FULL)."
                : "SQLite-based stores: journal_mode=WAL, synchronous=NORMAL, cache = 1.25 x the file + 2048 pages,"
                  + " locking_mode=EXCLUSIVE (one connection: readers share it, one at a time), mmap_size = the file"
                  + " + 256 MiB. lmdbjava: MDB_NOSYNC, no fsync at commit, like WAL + NORMAL (which syncs only at"
                  + " checkpoints); this matches the cost, not the guarantee -- after a system crash lmdb may also"
                  + " lose consistency, which WAL + NORMAL never does -- so it favours lmdb.";
    }

    /** SQLite's compile-time mmap ceiling (SQLITE_MAX_MMAP_SIZE) in ANC-DB's build and sqlite-jdbc's. */
    static final long MMAP_CEILING = 0x7fff0000L;

    /** mmap_size for a database file: tuned maps the file and room to grow; default maps nothing (SQLite's default). */
    public long mmapBytes(Path file) {
        if (this == DEFAULT) {
            return 0;
        }
        try {
            return Math.min(MMAP_CEILING, Files.size(file) + (256L << 20));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Page-cache size in 4 KiB pages for a database file: tuned gets 1.25x the file plus 2048 pages. */
    public int cachePages(Path file) {
        if (this == DEFAULT) {
            return DEFAULT_CACHE_PAGES;
        }
        try {
            long pages = Files.size(file) / 4096;
            return (int) Math.min(Integer.MAX_VALUE, pages + pages / 4 + 2048);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}

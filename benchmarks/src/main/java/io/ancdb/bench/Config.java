package io.ancdb.bench;

import io.ancdb.DatabaseOptions;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * The settings the stores are run with. {@link #DEFAULT} and {@link #TUNED}
 * give every SQLite-based store (ANC-DB, sqlite-jdbc, the C floor) the same
 * settings, and lmdb the same durability; {@link #STOCK} is each store as it
 * opens with no option at all, the out-of-the-box comparison.
 *
 * <ul>
 * <li><b>default</b>: ANC-DB's defaults ({@code Database.open(file)}, that is
 *     {@link DatabaseOptions#defaults()}) for every SQLite-based store: WAL,
 *     synchronous=FULL (one fsync per commit, no acknowledged commit lost),
 *     normal locking (a connection per reader thread, the sqlite3 shell may
 *     open the file), a 2000-page cache, no mmap. lmdb: default durability
 *     (the data file is synced at every commit).</li>
 * <li><b>tuned</b>: WAL, synchronous=NORMAL, normal locking (a connection
 *     per reader thread: readers run in parallel), a page cache larger than
 *     the file, memory-mapped reads of the whole file ({@code mmap_size}).
 *     lmdb: MDB_NOSYNC -- like WAL + NORMAL, no fsync at commit (WAL + NORMAL
 *     syncs at checkpoints). This matches the cost, not the guarantee: after a
 *     system crash lmdb may lose more or corrupt, which WAL + NORMAL never
 *     does, so the choice favours lmdb. (Until 2026-12 tuned meant exclusive
 *     locking, under which ANC-DB's and sqlite-jdbc's readers share the one
 *     connection, one at a time.)</li>
 * <li><b>stock</b>: each store with no option: ANC-DB {@code Database.open(file)}
 *     and lmdbjava's default flags are exactly {@code default}'s settings, so
 *     only sqlite-jdbc is run in it, with the driver's own defaults: rollback
 *     journal (DELETE), synchronous=FULL, a 2000 KiB cache, normal locking.</li>
 * </ul>
 */
public enum Config {
    DEFAULT, TUNED, STOCK;

    /** ANC-DB's default page cache, which default gives every SQLite-based store. */
    public static final int DEFAULT_CACHE_PAGES = DatabaseOptions.defaults().cachePages();
    /** SQLite's (and so sqlite-jdbc's) own default: cache_size=-2000, 2000 KiB of 4 KiB pages. */
    public static final int SQLITE_CACHE_PAGES = 500;

    public static Config of(String s) {
        return valueOf(s.toUpperCase(java.util.Locale.ROOT));
    }

    public String id() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /**
     * The configurations in which every store runs with the same settings:
     * the ones a comparison between stores is made in ("best of" a store
     * chooses among these).
     */
    public static List<Config> shared() {
        return Arrays.stream(values()).filter(c -> c != STOCK).toList();
    }

    /** The settings every store gets in this configuration (the report's settings table). */
    public String describe() {
        return switch (this) {
            case DEFAULT -> "ANC-DB's defaults (Database.open(file)) for every SQLite-based store (ANC-DB, sqlite-jdbc,"
                    + " C floor): journal_mode=WAL, synchronous=FULL (one fsync per commit), normal locking (a connection"
                    + " per reader thread), cache " + DEFAULT_CACHE_PAGES + " pages, no mmap. lmdbjava: default"
                    + " durability (the data file is synced at every commit, like synchronous=FULL).";
            case TUNED -> "SQLite-based stores: journal_mode=WAL, synchronous=NORMAL, normal locking (a connection per"
                    + " reader thread: readers run in parallel), cache = 1.25 x the file + 2048 pages, mmap_size = the"
                    + " file + 256 MiB. lmdbjava: MDB_NOSYNC, no fsync at commit, like WAL + NORMAL (which syncs only at"
                    + " checkpoints); this matches the cost, not the guarantee -- after a system crash lmdb may also"
                    + " lose consistency, which WAL + NORMAL never does -- so it favours lmdb.";
            case STOCK -> "Each store opened with no option. ANC-DB (Database.open(file)) and lmdbjava (default flags)"
                    + " are then exactly as in default, so only sqlite-jdbc runs in stock: the driver's own defaults,"
                    + " journal_mode=DELETE (rollback journal), synchronous=FULL, cache_size=-2000 (2000 KiB), normal"
                    + " locking. Same durability as default.";
        };
    }

    /** SQLite's compile-time mmap ceiling (SQLITE_MAX_MMAP_SIZE) in ANC-DB's build and sqlite-jdbc's. */
    static final long MMAP_CEILING = 0x7fff0000L;

    /** mmap_size for a database file: tuned maps the file and room to grow; the others map nothing (SQLite's default). */
    public long mmapBytes(Path file) {
        if (this != TUNED) {
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
        return switch (this) {
            case DEFAULT -> DEFAULT_CACHE_PAGES;
            case STOCK -> SQLITE_CACHE_PAGES;
            case TUNED -> {
                try {
                    long pages = Files.size(file) / 4096;
                    yield (int) Math.min(Integer.MAX_VALUE, pages + pages / 4 + 2048);
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            }
        };
    }
}

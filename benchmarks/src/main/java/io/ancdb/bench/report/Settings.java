package io.ancdb.bench.report;

import io.ancdb.bench.Config;

import java.util.LinkedHashMap;
import java.util.Map;

/** The two configurations as each store is given them (mirrors {@link Config} and the store classes). */
final class Settings {
    private Settings() {
    }

    static Map<String, Object> describe() {
        Map<String, Object> m = new LinkedHashMap<>();
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("ancdb-java, ancdb-msgpack, sqlite-jdbc, c-floor", "journal_mode=DELETE, synchronous=FULL, cache "
                + Config.DEFAULT_CACHE_PAGES + " pages (2000 KiB, SQLite's default cache_size=-2000), normal locking;"
                + " one connection per reader thread");
        d.put("lmdbjava", "default flags: the data file is synced at every commit (durable like synchronous=FULL)");
        m.put("default", d);
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("ancdb-java, ancdb-msgpack, sqlite-jdbc, c-floor", "journal_mode=WAL, synchronous=NORMAL, cache = 1.25 x"
                + " the file + 2048 pages, locking_mode=EXCLUSIVE (readers share the one connection, one at a time), mmap_size = the file + 256 MiB");
        t.put("lmdbjava", "MDB_NOSYNC: no fsync at commit, like WAL + NORMAL (which syncs only at checkpoints);"
                + " this matches the cost, not the guarantee -- after a system crash lmdb may also lose consistency,"
                + " which WAL + NORMAL never does -- so it favours lmdb");
        m.put("tuned", t);
        m.put("all", "sqlite-jdbc: reused PreparedStatements, jdbc.get_generated_keys=false, autocommit for single"
                + " operations, executeBatch in one transaction for a batch. lmdbjava: ByteBuffer proxy, 8-byte"
                + " big-endian keys, values copied out of the map on every read. Tuned maps the file (mmap_size) for both SQLite-based stores alike; default maps nothing (SQLite's default).");
        return m;
    }
}

package io.ancdb.bench;

import org.openjdk.jmh.infra.Blackhole;
import io.ancdb.DatabaseOptions;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteOpenMode;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.locks.ReentrantLock;

/**
 * xerial sqlite-jdbc with reused prepared statements and
 * {@code jdbc.get_generated_keys=false}, in autocommit for single operations
 * and one explicit transaction for a batch ({@code executeBatch}).
 *
 * <p>Connections, in its best idiom for many threads: a connection per reader
 * thread (each with its own prepared statements), and one writer connection
 * that every writing thread uses in turn under a lock (SQLite admits one
 * writer at a time; queueing in Java instead of in SQLite's busy handler,
 * which sleeps, is the faster way to share it).
 *
 * <p>Every connection is opened with SQLITE_OPEN_NOMUTEX (SQLite's multi-thread
 * mode, what ANC-DB's engine is built with: SQLITE_THREADSAFE=2): a connection
 * is used by one thread at a time (readers by their own, the writer under
 * {@link #writeLock}), which is all that mode asks for. So no read or write
 * pays SQLite's per-connection mutex.
 */
public final class SqliteJdbcStore implements Store {
    Path path;
    private Data data;
    private Config config;
    private Connection conn;
    private int cachePages;
    /** Taken around every use of the writer connection {@link #conn}, so one thread uses it at a time. */
    private final ReentrantLock writeLock = new ReentrantLock();
    private PreparedStatement insert;
    private PreparedStatement update;
    private PreparedStatement delete;

    static String[] ddl(Shape shape) {
        // exactly what ANC-DB writes into sqlite_schema for the same definitions
        return switch (shape) {
            case KV -> new String[] {"CREATE TABLE \"kv\"(\"k\" INTEGER PRIMARY KEY, \"v\" BLOB)"};
            case AGENT -> new String[] {
                    "CREATE TABLE \"agent_memory\"(\"id\" INTEGER PRIMARY KEY, \"timestamp\" INTEGER, \"content\" TEXT,"
                            + " \"embedding\" BLOB)",
                    "CREATE INDEX \"agent_memory_timestamp\" ON \"agent_memory\"(\"timestamp\")"};
        };
    }

    static String insertSql(Shape shape) {
        return shape == Shape.KV ? "INSERT INTO kv(k, v) VALUES (?, ?)"
                : "INSERT INTO agent_memory(id, timestamp, content, embedding) VALUES (?, ?, ?, ?)";
    }

    static Connection connect(Path file, Config config, int cachePages) throws SQLException {
        return DriverManager.getConnection("jdbc:sqlite:" + file, settings(file, config, cachePages).toProperties());
    }

    /** The driver settings of every benchmark connection in {@code config}. */
    static SQLiteConfig settings(Path file, Config config, int cachePages) {
        SQLiteConfig c = new SQLiteConfig();
        c.setGetGeneratedKeys(false);
        c.setOpenMode(SQLiteOpenMode.NOMUTEX);
        if (config == Config.STOCK) {
            return c;          // the driver's defaults: DELETE journal, synchronous=FULL, cache_size=-2000
        }
        c.setBusyTimeout((int) DatabaseOptions.defaults().busyTimeout().toMillis());
        c.setCacheSize(cachePages);
        c.setJournalMode(SQLiteConfig.JournalMode.WAL);
        if (config == Config.TUNED) {
            c.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
            c.setPragma(SQLiteConfig.Pragma.MMAP_SIZE, Long.toString(config.mmapBytes(file)));
        } else {
            c.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
        }
        return c;
    }

    /** Builds the data set at {@code file} (key order, 10 000 records per transaction). */
    static void build(Path file, Data data) throws SQLException {
        SQLiteConfig c = new SQLiteConfig();
        c.setGetGeneratedKeys(false);
        c.setSynchronous(SQLiteConfig.SynchronousMode.OFF);
        c.setCacheSize(20_000);
        try (Connection conn = DriverManager.getConnection("jdbc:sqlite:" + file, c.toProperties())) {
            try (Statement s = conn.createStatement()) {
                for (String sql : ddl(data.shape)) {
                    s.execute(sql);
                }
            }
            conn.setAutoCommit(false);
            try (PreparedStatement ps = conn.prepareStatement(insertSql(data.shape))) {
                for (long k = 1; k <= data.n; k++) {
                    bindRecord(ps, data, k, 0);
                    ps.addBatch();
                    if (k % 10_000 == 0) {
                        ps.executeBatch();
                        conn.commit();
                    }
                }
                ps.executeBatch();
            }
            conn.commit();
        }
    }

    static void bindRecord(PreparedStatement ps, Data data, long key, int version) throws SQLException {
        ps.setLong(1, key);
        if (data.shape == Shape.KV) {
            ps.setBytes(2, Data.value(key, version));
        } else {
            ps.setLong(2, data.timestamp(key));
            ps.setString(3, Data.content(key));
            ps.setBytes(4, Data.embeddingBytes(key));
        }
    }

    @Override
    public void open(Path path, Data data, Config config) throws SQLException {
        this.path = path;
        this.data = data;
        this.config = config;
        this.cachePages = config.cachePages(path);
        this.conn = connect(path, config, cachePages);
        String t = data.shape.table;
        this.insert = conn.prepareStatement(insertSql(data.shape));
        this.update = data.shape == Shape.KV ? conn.prepareStatement("UPDATE kv SET v = ? WHERE k = ?") : null;
        this.delete = conn.prepareStatement("DELETE FROM " + t + " WHERE " + (data.shape == Shape.KV ? "k" : "id") + " = ?");
    }

    @Override
    public String work(Config config) {
        return switch (config) {
            case DEFAULT -> "WAL, synchronous=FULL, normal locking, cache 2000 pages, busy_timeout";
            case TUNED -> "WAL, synchronous=NORMAL, normal locking, cache > file, mmap, busy_timeout";
            case STOCK -> "the driver's defaults: rollback journal (DELETE), synchronous=FULL, cache_size=-2000";
        } + ": a connection per reader thread, one writer connection shared by the writing threads under a lock."
                + " Connections opened NOMUTEX, PreparedStatements reused. Point read: executeQuery of"
                + " SELECT ... WHERE k = ? (SQLite's implicit read transaction) + getBytes. Scan: SELECT ... WHERE"
                + " k >= ? ORDER BY k LIMIT ?, getBytes per row. Write: an INSERT in autocommit, or executeBatch of"
                + " the INSERTs in one transaction (the primary key rejects an existing key).";
    }

    @Override
    public Reader reader() throws SQLException {
        return new JdbcReader(connect(path, config, cachePages));
    }

    /** A reader thread's own connection and statements. */
    final class JdbcReader implements Reader {
        final Connection c;
        final PreparedStatement get;
        final PreparedStatement scan;
        final PreparedStatement byTs;

        JdbcReader(Connection c) throws SQLException {
            this.c = c;
            if (data.shape == Shape.KV) {
                get = c.prepareStatement("SELECT k, v FROM kv WHERE k = ?");
                scan = c.prepareStatement("SELECT k, v FROM kv WHERE k >= ? ORDER BY k LIMIT ?");
                byTs = null;
            } else {
                String cols = "SELECT id, timestamp, content, embedding FROM agent_memory";
                get = c.prepareStatement(cols + " WHERE id = ?");
                scan = c.prepareStatement(cols + " WHERE id >= ? ORDER BY id LIMIT ?");
                byTs = c.prepareStatement(cols + " WHERE timestamp >= ? ORDER BY timestamp LIMIT ?");
            }
        }

        private void check(long key, ResultSet rs, Blackhole bh) throws SQLException {
            long k = rs.getLong(1);
            if (k != key) {
                throw new IllegalStateException("wrong key: wanted " + key + ", got " + k);
            }
            if (data.shape == Shape.KV) {
                byte[] v = rs.getBytes(2);
                Data.checkValue(key, v);
                bh.consume(v);
            } else {
                String content = rs.getString(3);
                byte[] e = rs.getBytes(4);
                data.checkAgent(key, rs.getLong(2), content, e);
                bh.consume(content);
                bh.consume(e);
            }
        }

        @Override
        public void get(long key, Blackhole bh) throws SQLException {
            get.setLong(1, key);
            try (ResultSet rs = get.executeQuery()) {
                if (!rs.next()) {
                    throw new MissingRecordException(key);
                }
                check(key, rs, bh);
            }
        }

        @Override
        public void beginTx() throws SQLException {
            c.setAutoCommit(false);   // the first SELECT starts the read transaction; it lasts until commit
        }

        @Override
        public void getInTx(long key, Blackhole bh) throws SQLException {
            get(key, bh);
        }

        @Override
        public void endTx() throws SQLException {
            if (!c.getAutoCommit()) {
                c.commit();
                c.setAutoCommit(true);
            }
        }

        @Override
        public int scan(long from, int count, Blackhole bh) throws SQLException {
            scan.setLong(1, from);
            scan.setInt(2, count);
            int n = 0;
            try (ResultSet rs = scan.executeQuery()) {
                while (rs.next()) {
                    check(from + n, rs, bh);
                    n++;
                }
            }
            return n;
        }

        @Override
        public int scanByTimestamp(long fromTs, int count, Blackhole bh) throws SQLException {
            byTs.setLong(1, fromTs);
            byTs.setInt(2, count);
            long rank = (fromTs - Data.T0) / 1000;
            int n = 0;
            try (ResultSet rs = byTs.executeQuery()) {
                while (rs.next()) {
                    if (rs.getLong(2) != Data.timestampOfRank(rank + n)) {
                        throw new IllegalStateException("index scan out of order at " + n);
                    }
                    check(rs.getLong(1), rs, bh);
                    n++;
                }
            }
            return n;
        }

        @Override
        public void close() throws SQLException {
            if (c.isClosed()) {
                return;
            }
            endTx();
            get.close();
            scan.close();
            if (byTs != null) {
                byTs.close();
            }
            c.close();
        }
    }

    @Override
    public void insertBatch(long[] keys, int from, int count) throws SQLException {
        writeLock.lock();
        try {
            conn.setAutoCommit(false);
            try {
                for (int i = from; i < from + count; i++) {
                    bindRecord(insert, data, keys[i], 0);
                    insert.addBatch();
                }
                int[] r = insert.executeBatch();
                for (int x : r) {
                    if (x != 1) {
                        throw new IllegalStateException("batch insert wrote " + x + " rows");
                    }
                }
                conn.commit();
            } catch (SQLException | RuntimeException e) {
                conn.rollback();
                throw e;
            } finally {
                conn.setAutoCommit(true);
            }
        } finally {
            writeLock.unlock();
        }
    }

    @Override
    public void insert(long key) throws SQLException {
        writeLock.lock();
        try {
            bindRecord(insert, data, key, 0);
            if (insert.executeUpdate() != 1) {
                throw new IllegalStateException("insert of " + key + " wrote nothing");
            }
        } finally {
            writeLock.unlock();
        }
    }

    @Override
    public void update(long key, int version) throws SQLException {
        if (update == null) {
            throw new UnsupportedOperationException("update is benchmarked on kv only");
        }
        writeLock.lock();
        try {
            update.setBytes(1, Data.value(key, version));
            update.setLong(2, key);
            if (update.executeUpdate() != 1) {
                throw new IllegalStateException("no record " + key + " to update");
            }
        } finally {
            writeLock.unlock();
        }
    }

    @Override
    public void delete(long key) throws SQLException {
        writeLock.lock();
        try {
            delete.setLong(1, key);
            if (delete.executeUpdate() != 1) {
                throw new IllegalStateException("no record " + key + " to delete");
            }
        } finally {
            writeLock.unlock();
        }
    }

    @Override
    public void close() throws SQLException {
        writeLock.lock();
        try {
            for (PreparedStatement ps : new PreparedStatement[] {insert, update, delete}) {
                if (ps != null) {
                    ps.close();
                }
            }
            if (conn != null) {
                conn.close();
            }
        } finally {
            writeLock.unlock();
        }
    }
}

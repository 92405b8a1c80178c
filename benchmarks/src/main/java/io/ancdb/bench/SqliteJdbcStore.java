package io.ancdb.bench;

import org.openjdk.jmh.infra.Blackhole;
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
 * <p>Readers: with normal locking (default) each reader thread gets its own
 * connection. Under exclusive locking (tuned) a second connection cannot read
 * the file, so reader threads share the one connection, one at a time (each
 * with its own statements, under a lock) -- what ANC-DB does with exclusive
 * locking as well.
 *
 * <p>Every connection is opened with SQLITE_OPEN_NOMUTEX (SQLite's multi-thread
 * mode, what ANC-DB's engine is built with: SQLITE_THREADSAFE=2): a connection
 * is either used by one thread only, or (tuned) by several one at a time under
 * {@link #shared}, writes included, which is all that mode asks for. So no read
 * or write pays SQLite's per-connection mutex.
 */
public final class SqliteJdbcStore implements Store {
    Path path;
    private Data data;
    private Config config;
    private Connection conn;
    private int cachePages;
    private final ReentrantLock shared = new ReentrantLock();
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
        c.setBusyTimeout(10_000);
        c.setCacheSize(cachePages);
        if (config == Config.TUNED) {
            c.setJournalMode(SQLiteConfig.JournalMode.WAL);
            c.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
            c.setLockingMode(SQLiteConfig.LockingMode.EXCLUSIVE);
            c.setPragma(SQLiteConfig.Pragma.MMAP_SIZE, Long.toString(config.mmapBytes(file)));
        } else {
            c.setJournalMode(SQLiteConfig.JournalMode.DELETE);
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
        return (config == Config.TUNED
                ? "WAL, synchronous=NORMAL, exclusive locking, mmap: one connection, shared by the reader threads"
                  + " and the writer under a lock (exclusive locking admits no second)."
                : "rollback journal, synchronous=FULL, normal locking: a connection per reader thread, one for writes.")
                + " Connections opened NOMUTEX, PreparedStatements reused. Point read: executeQuery of"
                + " SELECT ... WHERE k = ? (SQLite's implicit read transaction) + getBytes. Scan: SELECT ... WHERE"
                + " k >= ? ORDER BY k LIMIT ?, getBytes per row. Write: an INSERT in autocommit, or executeBatch of"
                + " the INSERTs in one transaction (the primary key rejects an existing key).";
    }

    @Override
    public Reader reader() throws SQLException {
        if (config == Config.TUNED) {
            return new JdbcReader(conn, shared, false);
        }
        return new JdbcReader(connect(path, config, cachePages), null, true);
    }

    final class JdbcReader implements Reader {
        final Connection c;
        final ReentrantLock lock;     // non-null: the connection is shared
        final boolean own;
        final PreparedStatement get;
        final PreparedStatement scan;
        final PreparedStatement byTs;

        JdbcReader(Connection c, ReentrantLock lock, boolean own) throws SQLException {
            this.c = c;
            this.lock = lock;
            this.own = own;
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

        private void read(long key, Blackhole bh) throws SQLException {
            get.setLong(1, key);
            try (ResultSet rs = get.executeQuery()) {
                if (!rs.next()) {
                    throw new MissingRecordException(key);
                }
                check(key, rs, bh);
            }
        }

        @Override
        public void get(long key, Blackhole bh) throws SQLException {
            if (lock != null) {
                lock.lock();
            }
            try {
                read(key, bh);
            } finally {
                if (lock != null) {
                    lock.unlock();
                }
            }
        }

        @Override
        public void beginTx() throws SQLException {
            if (lock != null) {
                lock.lock();
            }
            c.setAutoCommit(false);   // the first SELECT starts the read transaction; it lasts until commit
        }

        @Override
        public void getInTx(long key, Blackhole bh) throws SQLException {
            read(key, bh);
        }

        @Override
        public void endTx() throws SQLException {
            if (!c.getAutoCommit()) {
                try {
                    c.commit();
                    c.setAutoCommit(true);
                } finally {
                    if (lock != null) {
                        lock.unlock();
                    }
                }
            }
        }

        @Override
        public int scan(long from, int count, Blackhole bh) throws SQLException {
            if (lock != null) {
                lock.lock();
            }
            try {
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
            } finally {
                if (lock != null) {
                    lock.unlock();
                }
            }
        }

        @Override
        public int scanByTimestamp(long fromTs, int count, Blackhole bh) throws SQLException {
            if (lock != null) {
                lock.lock();
            }
            try {
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
            } finally {
                if (lock != null) {
                    lock.unlock();
                }
            }
        }

        @Override
        public void close() throws SQLException {
            if (lock != null) {
                lock.lock();    // the store closes the shared connection under this lock
            }
            try {
                if (c.isClosed()) {
                    return;     // JMH may tear the store down before this reader's thread closes it
                }
                endTx();
                get.close();
                scan.close();
                if (byTs != null) {
                    byTs.close();
                }
                if (own) {
                    c.close();
                }
            } finally {
                if (lock != null) {
                    lock.unlock();
                }
            }
        }
    }

    /** Tuned: the writer takes the readers' lock too, so the shared connection is never used by two threads at once. */
    private void lockWriter() {
        if (config == Config.TUNED) {
            shared.lock();
        }
    }

    private void unlockWriter() {
        if (config == Config.TUNED) {
            shared.unlock();
        }
    }

    @Override
    public void insertBatch(long[] keys, int from, int count) throws SQLException {
        lockWriter();
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
            unlockWriter();
        }
    }

    @Override
    public void insert(long key) throws SQLException {
        lockWriter();
        try {
            bindRecord(insert, data, key, 0);
            if (insert.executeUpdate() != 1) {
                throw new IllegalStateException("insert of " + key + " wrote nothing");
            }
        } finally {
            unlockWriter();
        }
    }

    @Override
    public void update(long key, int version) throws SQLException {
        if (update == null) {
            throw new UnsupportedOperationException("update is benchmarked on kv only");
        }
        lockWriter();
        try {
            update.setBytes(1, Data.value(key, version));
            update.setLong(2, key);
            if (update.executeUpdate() != 1) {
                throw new IllegalStateException("no record " + key + " to update");
            }
        } finally {
            unlockWriter();
        }
    }

    @Override
    public void delete(long key) throws SQLException {
        lockWriter();
        try {
            delete.setLong(1, key);
            if (delete.executeUpdate() != 1) {
                throw new IllegalStateException("no record " + key + " to delete");
            }
        } finally {
            unlockWriter();
        }
    }

    @Override
    public void close() throws SQLException {
        shared.lock();
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
            shared.unlock();
        }
    }
}

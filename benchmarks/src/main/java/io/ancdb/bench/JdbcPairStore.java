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
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/**
 * sqlite-jdbc over the pair files, in its best idiom: a connection per file
 * (SQLITE_OPEN_NOMUTEX, {@code jdbc.get_generated_keys=false}, synchronous
 * FULL, a 256-page cache; the files are already WAL, which SQLite keeps in
 * the file) with its two prepared statements, in an LRU cache per thread
 * of the thread's share of the files kept open (threads write disjoint
 * files, so no connection is ever shared). Cold: every operation opens the
 * connection, prepares, executes and closes (which checkpoints the WAL).
 */
final class JdbcPairStore implements PairStore {
    private Path dir;
    private int keepOpen;
    private Properties settings;

    @Override
    public void open(Path d, int keep) {
        dir = d;
        keepOpen = keep;
        SQLiteConfig c = new SQLiteConfig();
        c.setOpenMode(SQLiteOpenMode.NOMUTEX);
        c.setGetGeneratedKeys(false);
        c.setBusyTimeout(5000);
        c.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
        c.setCacheSize(256);
        settings = c.toProperties();
    }

    /** An open file: its connection and prepared statements. */
    private record Open(Connection conn, PreparedStatement insert, PreparedStatement last) implements AutoCloseable {
        @Override
        public void close() throws SQLException {
            conn.close();            // closes its statements
        }
    }

    @Override
    public Session session(int threads) {
        int share = keepOpen / threads;
        return new Session() {
            private final Map<Integer, Open> cache = new LinkedHashMap<>(16, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<Integer, Open> eldest) {
                    if (size() <= share) {
                        return false;
                    }
                    try {
                        eldest.getValue().close();
                    } catch (SQLException e) {
                        throw new IllegalStateException(e);
                    }
                    return true;
                }
            };
            private final long[] ts = new long[PairFiles.LAST + 1];
            private final String[] kinds = new String[PairFiles.LAST + 1];
            private final String[] bodies = new String[PairFiles.LAST + 1];

            private Open get(int file) throws SQLException {
                Open o = cache.get(file);
                if (o == null) {
                    Connection c = DriverManager.getConnection(PairFiles.url(dir, file), settings);
                    o = new Open(c, c.prepareStatement(PairFiles.INSERT), c.prepareStatement(PairFiles.LAST_EVENTS));
                    if (share > 0) {
                        cache.put(file, o);
                    }
                }
                return o;
            }

            private void done(Open o) throws SQLException {
                if (share == 0) {
                    o.close();
                }
            }

            @Override
            public void append(int file, long t) throws SQLException {
                Open o = get(file);
                PairFiles.bind(o.insert, file, t);
                if (o.insert.executeUpdate() != 1) {
                    throw new IllegalStateException(PairFiles.name(file) + ": event " + t + " not written");
                }
                done(o);
            }

            @Override
            public void lastEvents(int file, long newest, Blackhole bh) throws SQLException {
                Open o = get(file);
                int n = 0;
                try (ResultSet rs = o.last.executeQuery()) {
                    while (rs.next() && n <= PairFiles.LAST) {
                        ts[n] = rs.getLong(1);
                        kinds[n] = rs.getString(2);
                        bodies[n] = rs.getString(3);
                        n++;
                    }
                }
                done(o);
                PairFiles.checkLast(file, ts, kinds, bodies, n, newest);
                bh.consume(bodies);
            }

            @Override
            public void close() throws SQLException {
                for (Open o : cache.values()) {
                    o.close();
                }
                cache.clear();
            }
        };
    }

    @Override
    public String work(boolean cold) {
        return cold ? "DriverManager.getConnection (NOMUTEX, synchronous FULL), prepare, execute, close"
                : "a connection per file kept open (LRU, per thread), reused PreparedStatements, autocommit";
    }

    @Override
    public void close() {
    }
}

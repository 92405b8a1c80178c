package io.ancdb.bench.report;

import io.ancdb.bindings.internal.ancdb_h;

import java.io.IOException;
import java.io.InputStream;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/** The version of every store (and of the engines inside them), as the benchmark jar carries them. */
final class Versions {
    private Versions() {
    }

    static Map<String, Object> describe() {
        Properties built = new Properties();
        try (InputStream in = Versions.class.getResourceAsStream("/io/ancdb/bench/versions.properties")) {
            built.load(in);
        } catch (IOException | NullPointerException e) {
            throw new IllegalStateException("versions.properties missing from the benchmark jar", e);
        }
        Map<String, Object> m = new LinkedHashMap<>();
        int shim = ancdb_h.ancdb_version();
        int core = ancdb_h.ancdb_sqlite_version();
        m.put("ancdb", built.getProperty("ancdb") + " (shim " + dotted(shim, 10000, 100) + ", SQLite B-tree core "
                + dotted(core, 1000000, 1000) + ")");
        m.put("ancdb-msgpack", "the same, through io.ancdb.protocol.CommandDispatcher; msgpack-core "
                + built.getProperty("msgpack-core"));
        m.put("sqlite-jdbc", built.getProperty("sqlite-jdbc") + " (SQLite " + sqliteJdbcEngine() + ")");
        org.lmdbjava.Meta.Version v = org.lmdbjava.Meta.version();
        m.put("lmdbjava", built.getProperty("lmdbjava") + " (LMDB " + v.major + "." + v.minor + "." + v.patch + ")");
        m.put("jmh", built.getProperty("jmh"));
        m.put("xchart", built.getProperty("xchart"));
        m.put("jackson-core (report JSON)", built.getProperty("jackson-core"));
        return m;
    }

    private static String dotted(int v, int a, int b) {
        return (v / a) + "." + (v / b % (a / b)) + "." + (v % b);
    }

    private static String sqliteJdbcEngine() {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite::memory:");
             Statement s = c.createStatement(); ResultSet rs = s.executeQuery("select sqlite_version()")) {
            rs.next();
            return rs.getString(1);
        } catch (Exception e) {
            return "unknown";
        }
    }
}

package io.ancdb.analytics;

import io.ancdb.OnConflict;
import io.ancdb.store.Store;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Parquet export: partitions per file, readable by a plain DuckDB, incremental by version, warnings. */
class ParquetExportTest {
    @TempDir
    Path dir;

    private List<String> readBack(Path out, String sql) throws Exception {
        // a fresh DuckDB that knows nothing of ANC-DB, as a reader anywhere would
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery(sql.replace("OUT", "read_parquet('" + out + "/**/*.parquet', hive_partitioning = true)"))) {
            List<String> rows = new ArrayList<>();
            int n = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                StringBuilder sb = new StringBuilder();
                for (int i = 1; i <= n; i++) {
                    sb.append(i == 1 ? "" : "|").append(rs.getString(i));
                }
                rows.add(sb.toString());
            }
            return rows;
        }
    }

    @Test
    void exportsHivePartitionsAndOnlyWhatChangedSinceTheLastExport() throws Exception {
        Fixtures.events(dir.resolve("store"), 3, 100);
        Path store = dir.resolve("store");
        Path out = dir.resolve("out");
        Fixtures.Run first = Fixtures.cli(null, "export", "--store", store.toString(), "--schema", "Event",
                "--to", out.toString());
        assertEquals(0, first.exit(), first.err());
        assertTrue(first.out().startsWith("exported 3 file(s), 300 rows in "), first.out());
        assertTrue(first.out().endsWith("; 0 unchanged, 0 removed, 0 skipped\n"), first.out());
        for (int f = 0; f < 3; f++) {
            assertTrue(Files.exists(out.resolve("db=" + Fixtures.name(f)).resolve("data_0.parquet")));
        }
        assertEquals(List.of("p0.q|100|5050|body 7", "p1.q|100|5050|body 7", "p2.q|100|5050|body 7"),
                readBack(out, "SELECT db, count(*), sum(id), max(body) FILTER (WHERE id = 7) FROM OUT GROUP BY db ORDER BY db"));
        assertEquals(List.of("# ancdb export: schema Event", "p0.q\t1\t100", "p1.q\t1\t100", "p2.q\t1\t100"),
                Files.readAllLines(out.resolve("_ancdb_export.tsv")));
        long p0Written = Files.getLastModifiedTime(out.resolve("db=p0.q/data_0.parquet")).toMillis();

        try (Store s = Store.open(store)) {                       // p1 moves on, p2 goes away, p3 arrives
            s.write("p1.q", w -> w.records("Event").insert(w.tx(),
                    Map.of("id", 101L, "ts", 1L, "kind", "order", "body", "late"), OnConflict.FAIL));
            s.drop("p2.q");
            s.write("p3.q", w -> w.records("Event").insert(w.tx(),
                    Map.of("id", 1L, "ts", 1L, "kind", "quote", "body", "new"), OnConflict.FAIL));
        }
        Thread.sleep(20);
        Fixtures.Run second = Fixtures.cli(null, "export", "--store", store.toString(), "--schema", "Event",
                "--to", out.toString());
        assertEquals(0, second.exit(), second.err());
        assertTrue(second.out().startsWith("exported 2 file(s), 102 rows in "), second.out());
        assertTrue(second.out().endsWith("; 1 unchanged, 1 removed, 0 skipped\n"), second.out());
        assertEquals(p0Written, Files.getLastModifiedTime(out.resolve("db=p0.q/data_0.parquet")).toMillis(),
                "the unchanged file's partition is not rewritten");
        assertEquals(List.of("p0.q|100", "p1.q|101", "p3.q|1"),
                readBack(out, "SELECT db, count(*) FROM OUT GROUP BY db ORDER BY db"));
        assertEquals(List.of("# ancdb export: schema Event", "p0.q\t1\t100", "p1.q\t2\t101", "p3.q\t1\t1"),
                Files.readAllLines(out.resolve("_ancdb_export.tsv")));
        try (var files = Files.list(out)) {
            assertEquals(List.of("_ancdb_export.tsv", "db=p0.q", "db=p1.q", "db=p3.q"),
                    files.map(p -> p.getFileName().toString()).sorted().toList(), "no staging or old partitions left");
        }

        Fixtures.Run third = Fixtures.cli(null, "export", "--store", store.toString(), "--schema", "Event",
                "--to", out.toString());
        assertTrue(third.out().startsWith("exported 0 file(s), 0 rows in "), third.out());
        Fixtures.Run otherSchema = Fixtures.cli(null, "export", "--store", store.toString(), "--schema", "Note",
                "--to", out.toString());
        assertEquals(1, otherSchema.exit());
        assertTrue(otherSchema.err().contains("holds an export of schema Event, not Note"), otherSchema.err());
    }

    @Test
    void exportingAnEncryptedStoreWarnsThatTheOutputIsPlaintext() throws Exception {
        String key = "x'" + "11".repeat(32) + "'";
        Path store = dir.resolve("store");
        Files.createDirectories(store);
        try (io.ancdb.Database db = io.ancdb.Database.open(store.resolve("a.b.db"), io.ancdb.DatabaseOptions.defaults()
                .withKey(io.ancdb.DatabaseKey.passphrase(key.toCharArray())))) {
            io.ancdb.typed.RecordTable t = io.ancdb.typed.Definitions.of(db).define(Fixtures.EVENT);
            db.runWrite(tx -> t.insert(tx, Map.of("id", 1L, "ts", 1L, "kind", "quote", "body", "secret"), OnConflict.FAIL));
        }
        Path out = dir.resolve("out");
        Fixtures.Run r = Fixtures.cli(Map.of("ANCDB_STORE_KEY", key), "export", "--store", store.toString(),
                "--schema", "Event", "--to", out.toString());
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.err().contains("warning: the store is encrypted, the Parquet files written to " + out + " are not"), r.err());
        assertEquals(List.of("a.b|secret"), readBack(out, "SELECT db, body FROM OUT"));
    }
}

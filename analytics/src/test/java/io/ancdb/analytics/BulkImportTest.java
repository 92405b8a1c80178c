package io.ancdb.analytics;

import io.ancdb.store.Store;
import io.ancdb.typed.FieldDef;
import io.ancdb.typed.FieldType;
import io.ancdb.typed.RecordDefinition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Bulk import from CSV, JSON lines and Parquet: routing by a column, rejects with reasons, idempotent re-runs. */
class BulkImportTest {
    @TempDir
    Path dir;

    static final RecordDefinition QUOTE = RecordDefinition.of("Quote",
            FieldDef.of("id", FieldType.I64).asPrimaryKey(), FieldDef.of("ts", FieldType.I64).asIndexed(),
            FieldDef.of("price", FieldType.F64), FieldDef.of("note", FieldType.STR).asCompressed(),
            FieldDef.of("tags", FieldType.STRLIST), FieldDef.of("v", FieldType.F32VEC));

    private Path store() {
        Path s = dir.resolve("store");
        try (Store st = Store.open(s)) {
            st.define(QUOTE);
        }
        return s;
    }

    private Map<String, Long> versions(Path store) {
        Map<String, Long> v = new TreeMap<>();
        try (Store s = Store.open(store)) {
            for (String n : s.list(null, null, 100).names()) {
                v.put(n, s.read(n, r -> r.version()));
            }
        }
        return v;
    }

    @Test
    void csvRowsGoToTheFileTheirColumnNamesAndAReRunWithIgnoreChangesNothing() throws Exception {
        Path store = store();
        Path csv = dir.resolve("quotes.csv");
        StringBuilder sb = new StringBuilder("pair,id,ts,price,note,tags,v\n");
        for (int i = 1; i <= 30; i++) {
            String pair = i % 3 == 0 ? "acme.globex" : i % 3 == 1 ? "acme.initech" : "globex.initech";
            sb.append(pair).append(',').append(i).append(',').append(1000 + i).append(',').append(i * 1.5)
                    .append(",\"note, ").append(i).append("\",\"[\"\"a\"\",\"\"b").append(i).append("\"\"]\",\"[1.0, ")
                    .append(i).append("]\"\n");
        }
        Files.writeString(csv, sb);
        String[] args = {"import", "--store", store.toString(), "--schema", "Quote", "--db-field", "pair",
                "--on-conflict", "ignore", "--batch", "4", csv.toString()};
        Fixtures.Run first = Fixtures.cli(null, args);
        assertEquals(0, first.exit(), first.out() + first.err());
        assertTrue(first.out().startsWith("imported 30 of 30 rows into 3 file(s) in "), first.out());
        assertTrue(first.out().endsWith("; 0 already there (ignored), 0 rejected\n"), first.out());
        Map<String, Long> v1 = versions(store);
        assertEquals(Map.of("acme.globex", 3L, "acme.initech", 3L, "globex.initech", 3L), v1);  // 10 rows, batches of 4

        Fixtures.Run again = Fixtures.cli(null, args);
        assertEquals(0, again.exit(), again.out() + again.err());
        assertTrue(again.out().startsWith("imported 0 of 30 rows into 0 file(s) in "), again.out());
        assertTrue(again.out().endsWith("; 30 already there (ignored), 0 rejected\n"), again.out());
        assertEquals(v1, versions(store), "a re-run with ignore moves no version");

        Fixtures.Run q = Fixtures.cli(null, "sql", "--store", store.toString(), "--format", "csv",
                "SELECT db, count(*) AS n, sum(price) AS p, max(note) FILTER (WHERE id = 4) AS note, "
                        + "max(tags[2]) FILTER (WHERE id = 4) AS tag, max(v[2]) FILTER (WHERE id = 4) AS v "
                        + "FROM Quote GROUP BY db ORDER BY db");
        assertEquals("db,n,p,note,tag,v\r\nacme.globex,10,247.5,,,\r\nacme.initech,10,217.5,\"note, 4\",b4,4.0\r\n"
                + "globex.initech,10,232.5,,,\r\n", q.out());
    }

    @Test
    void badRowsAreRejectedWithTheirReasonsAndTheOthersWritten() throws Exception {
        Path store = store();
        Path json = dir.resolve("rows.jsonl");
        Files.writeString(json, String.join("\n",
                "{\"pair\": \"a.b\", \"id\": 1, \"ts\": 10, \"price\": 1.0}",
                "{\"pair\": \"a.b\", \"id\": 2, \"ts\": \"soon\", \"price\": 2.0}",
                "{\"pair\": \"A/../b\", \"id\": 3, \"ts\": 30, \"price\": 3.0}",
                "{\"pair\": \"a.b\", \"id\": 1, \"ts\": 40, \"price\": 4.0}",
                "{\"pair\": null, \"id\": 5, \"ts\": 50, \"price\": 5.0}",
                "{\"pair\": \"a.c\", \"id\": 6, \"ts\": 60, \"price\": 6.0}", ""));
        Fixtures.Run r = Fixtures.cli(null, "import", "--store", store.toString(), "--schema", "Quote",
                "--db-field", "pair", json.toString());
        assertEquals(1, r.exit(), r.out() + r.err());
        List<String> lines = r.out().lines().toList();
        assertTrue(lines.get(0).startsWith("imported 2 of 6 rows into 2 file(s) in "), r.out());
        assertTrue(lines.get(0).endsWith("; 0 already there (ignored), 4 rejected"), r.out());
        String all = String.join("\n", lines);
        assertTrue(all.contains("rejected 1: invalid database name \"A/../b\" (rows.jsonl:3)"), all);
        assertTrue(all.contains("rejected 1: no database name in column pair (rows.jsonl:5)"), all);
        assertTrue(all.contains("rejected 1: [1 INVALID_COMMAND] field ts expects i64, got the text \"soon\" (rows.jsonl:2)"), all);
        assertTrue(all.contains("[4 CONSTRAINT_VIOLATION]") && all.contains("(rows.jsonl:4)"), all);
        Fixtures.Run q = Fixtures.cli(null, "sql", "--store", store.toString(), "--format", "csv",
                "SELECT db, id, ts FROM Quote ORDER BY db, id");
        assertEquals("db,id,ts\r\na.b,1,10\r\na.c,6,60\r\n", q.out());
        assertEquals(List.of(), List.of(dir.resolve("store").toFile().list()).stream()
                .filter(n -> n.contains("..") || n.contains("A")).toList());
    }

    @Test
    void parquetIntoOneNamedFileAndAPartyOnlyIntoItsOwnPairs() throws Exception {
        Path store = store();
        Path parquet = dir.resolve("in.parquet");
        try (var c = java.sql.DriverManager.getConnection("jdbc:duckdb:"); var st = c.createStatement()) {
            st.execute("COPY (SELECT i::BIGINT AS id, (i * 10)::BIGINT AS ts, i / 2 AS price, ['x', 'y'] AS tags, "
                    + "[0.5, i]::FLOAT[] AS v FROM range(1, 101) t(i)) TO '" + parquet + "' (FORMAT parquet)");
        }
        Fixtures.Run r = Fixtures.cli(null, "import", "--store", store.toString(), "--schema", "Quote",
                "--db", "acme.globex", parquet.toString());
        assertEquals(0, r.exit(), r.out() + r.err());
        assertTrue(r.out().startsWith("imported 100 of 100 rows into 1 file(s)"), r.out());
        Fixtures.Run q = Fixtures.cli(null, "sql", "--store", store.toString(), "--format", "csv",
                "SELECT count(*) AS n, sum(ts) AS s, min(tags[1]) AS t, max(v[2]) AS v FROM Quote");
        assertEquals("n,s,t,v\r\n100,50500,x,100.0\r\n", q.out());

        String token = "initech-token-0123456789abcdef01234";
        Path tokens = dir.resolve("tokens");
        Files.writeString(tokens, io.ancdb.store.TokenFile.entry(token,
                io.ancdb.store.Principal.party("initech", true)) + "\n");
        Fixtures.Run party = Fixtures.cli(Map.of("ANCDB_TOKEN", token), "import", "--store", store.toString(),
                "--token-file", tokens.toString(), "--schema", "Quote", "--db", "acme.globex", parquet.toString());
        assertEquals(1, party.exit(), party.out());
        assertTrue(party.out().contains("rejected 100: [6 UNAUTHORIZED] not authorized"), party.out());
    }
}

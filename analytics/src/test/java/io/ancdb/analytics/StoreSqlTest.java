package io.ancdb.analytics;

import io.ancdb.OnConflict;
import io.ancdb.store.PairNames;
import io.ancdb.store.Principal;
import io.ancdb.store.Store;
import io.ancdb.store.TokenFile;
import io.ancdb.typed.FieldDef;
import io.ancdb.typed.FieldType;
import io.ancdb.typed.RecordDefinition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** SQL over a store: types, the db column, schemas that differ between files, tokens, output formats. */
class StoreSqlTest {
    @TempDir
    Path dir;

    static final RecordDefinition ALL_TYPES = RecordDefinition.of("Everything",
            FieldDef.of("k", FieldType.STR).asPrimaryKey(), FieldDef.of("i", FieldType.I64),
            FieldDef.of("u", FieldType.U64), FieldDef.of("f", FieldType.F64), FieldDef.of("b", FieldType.BOOL),
            FieldDef.of("s", FieldType.STR), FieldDef.of("z", FieldType.STR).asCompressed(),
            FieldDef.of("raw", FieldType.BYTES), FieldDef.of("zraw", FieldType.BYTES).asCompressed(),
            FieldDef.of("v", FieldType.F32VEC), FieldDef.of("q", FieldType.I8VEC),
            FieldDef.of("tags", FieldType.STRLIST).asIndexed());

    @Test
    void everyFieldTypeBecomesItsDuckDbType() throws Exception {
        try (Store store = Store.open(dir)) {
            store.define(ALL_TYPES);
            store.write("a.b", w -> {
                Map<String, Object> r = new HashMap<>();
                r.put("k", "one");
                r.put("i", -5L);
                r.put("u", new BigInteger("18446744073709551615"));
                r.put("f", 2.5);
                r.put("b", true);
                r.put("s", "plain");
                r.put("z", "compressed ".repeat(20));
                r.put("raw", new byte[] {1, 2, 3});
                r.put("zraw", new byte[] {9, 9, 9, 9});
                r.put("v", new float[] {0.5f, -1f});
                r.put("q", new float[] {0f, 51f, 255f});          // min 0, scale 1: exact levels
                r.put("tags", List.of("x", "y"));
                w.records("Everything").insert(w.tx(), r, OnConflict.FAIL);
                Map<String, Object> nulls = new HashMap<>();
                nulls.put("k", "two");
                w.records("Everything").insert(w.tx(), nulls, OnConflict.FAIL);
            });
        }
        try (StoreSource src = PlainStoreSource.open(dir, null);
             StoreAnalytics a = StoreAnalytics.load(src, LoadOptions.defaults())) {
            assertEquals(List.of(List.of("db", "VARCHAR"), List.of("k", "VARCHAR"), List.of("i", "BIGINT"),
                    List.of("u", "UBIGINT"), List.of("f", "DOUBLE"), List.of("b", "BOOLEAN"), List.of("s", "VARCHAR"),
                    List.of("z", "VARCHAR"), List.of("raw", "BLOB"), List.of("zraw", "BLOB"), List.of("v", "FLOAT[]"),
                    List.of("q", "FLOAT[]"), List.of("tags", "VARCHAR[]")),
                    Fixtures.rows(a, "SELECT column_name, data_type FROM information_schema.columns "
                            + "WHERE table_name = 'Everything' ORDER BY ordinal_position"));
            assertEquals(List.of(List.of("a.b", "one", "-5", "18446744073709551615", "2.5", "true", "plain",
                    "compressed ".repeat(20), "AQID", "CQkJCQ==", "[0.5, -1.0]", "[0.0, 51.0, 255.0]", "[x, y]")),
                    Fixtures.rows(a, "SELECT * FROM Everything WHERE k = 'one'"));
            // u64 compares as unsigned,
            // lists are lists (the dequantized values exact here: min 0, scale 1)
            assertEquals(List.of(List.of("true", "3", "2", "y")), Fixtures.rows(a,
                    "SELECT u > 1::UBIGINT, len(q), len(tags), tags[2] FROM Everything WHERE k = 'one'"));
            List<String> nulls = Fixtures.rows(a, "SELECT * FROM Everything WHERE k = 'two'").getFirst();
            assertEquals(13, nulls.size());
            assertTrue(nulls.subList(2, 13).stream().allMatch(v -> v == null), nulls.toString());
        }
    }

    @Test
    void oneTableOverEveryFileWithItsNameAndTheUnionOfTheirFields() throws Exception {
        Fixtures.events(dir, 3, 5);
        RecordDefinition wider = RecordDefinition.of("Note", FieldDef.of("id", FieldType.I64).asPrimaryKey(),
                FieldDef.of("text", FieldType.STR), FieldDef.of("stars", FieldType.I64));
        RecordDefinition narrower = RecordDefinition.of("Note", FieldDef.of("id", FieldType.I64).asPrimaryKey(),
                FieldDef.of("text", FieldType.STR), FieldDef.of("mood", FieldType.STR));
        try (Store store = Store.open(dir)) {
            store.define("p0.q", wider);                          // file-local schemas, different fields
            store.define("p1.q", narrower);
            store.write("p0.q", w -> w.records("Note").insert(w.tx(), Map.of("id", 1L, "text", "hi", "stars", 4L),
                    OnConflict.FAIL));
            store.write("p1.q", w -> w.records("Note").insert(w.tx(), Map.of("id", 1L, "text", "yo", "mood", "glad"),
                    OnConflict.FAIL));
        }
        try (StoreSource src = PlainStoreSource.open(dir, null);
             StoreAnalytics a = StoreAnalytics.load(src, LoadOptions.defaults())) {
            assertEquals(List.of(List.of("p0.q", "5", "15000"), List.of("p1.q", "5", "15000"),
                    List.of("p2.q", "5", "15000")),
                    Fixtures.rows(a, "SELECT db, count(*), sum(ts) FROM Event GROUP BY db ORDER BY db"));
            assertEquals(List.of(List.of("body 3")), Fixtures.rows(a, "SELECT body FROM Event WHERE db = 'p2.q' AND id = 3"));
            assertEquals(java.util.Arrays.asList(java.util.Arrays.asList("p0.q", "hi", "4", null),
                    java.util.Arrays.asList("p1.q", "yo", null, "glad")),
                    Fixtures.rows(a, "SELECT db, text, stars, mood FROM Note ORDER BY db"));
            assertEquals(Map.of("p0.q", 2L, "p1.q", 2L, "p2.q", 1L), a.report().versions());
            assertEquals(17, a.report().rows());
        }
    }

    @Test
    void onlyTheSchemasTheQueryNamesAreLoaded() throws Exception {
        Fixtures.events(dir, 2, 3);
        try (Store store = Store.open(dir)) {
            store.define(RecordDefinition.of("Other", FieldDef.of("id", FieldType.I64).asPrimaryKey()));
        }
        Fixtures.Run r = Fixtures.cli(null, "sql", "--store", dir.toString(), "SELECT count(*) AS n FROM \"Event\"");
        assertEquals(0, r.exit(), r.err());
        try (StoreSource src = PlainStoreSource.open(dir, null);
             StoreAnalytics a = StoreAnalytics.load(src, LoadOptions.defaults()
                     .withSchemas(StoreAnalytics.identifiers("SELECT count(*) FROM event")))) {
            assertEquals(List.of("Event"), a.report().tables());
        }
    }

    @Test
    void aPartySeesOnlyItsOwnPairsAndAnUnknownTokenIsRefused() throws Exception {
        try (Store store = Store.open(dir)) {
            store.define(Fixtures.EVENT);
            for (String pair : List.of(PairNames.pair("acme", "globex"), PairNames.pair("acme", "initech"),
                    PairNames.pair("globex", "initech"))) {
                store.write(pair, w -> w.records("Event").insert(w.tx(),
                        Map.of("id", 1L, "ts", 1L, "kind", "quote", "body", pair), OnConflict.FAIL));
            }
        }
        String acme = "acme-token-0123456789abcdef0123456789";
        String admin = "admin-token-0123456789abcdef0123456789";
        Path tokens = dir.resolve("tokens");
        Files.writeString(tokens, TokenFile.entry(acme, Principal.party("acme", false)) + "\n"
                + TokenFile.entry(admin, Principal.admin(false)) + "\n");
        String q = "SELECT string_agg(db, ' ' ORDER BY db) AS files FROM Event";
        Fixtures.Run asAcme = Fixtures.cli(Map.of("ANCDB_TOKEN", acme), "sql", "--store", dir.toString(),
                "--token-file", tokens.toString(), "--format", "csv", q);
        assertEquals(0, asAcme.exit(), asAcme.err());
        assertEquals("files\r\nacme.globex acme.initech\r\n", asAcme.out());
        Fixtures.Run asAdmin = Fixtures.cli(null, "sql", "--store", dir.toString(), "--token", admin,
                "--token-file", tokens.toString(), "--format", "csv", q);
        assertEquals("files\r\nacme.globex acme.initech globex.initech\r\n", asAdmin.out());
        Fixtures.Run owner = Fixtures.cli(null, "sql", "--store", dir.toString(), "--format", "csv", q);
        assertEquals(asAdmin.out(), owner.out());
        Fixtures.Run stranger = Fixtures.cli(null, "sql", "--store", dir.toString(), "--token",
                "nobody-0123456789abcdef0123456789", "--token-file", tokens.toString(), q);
        assertEquals(1, stranger.exit());
        assertTrue(stranger.err().contains("[6 UNAUTHORIZED]"), stranger.err());
        assertEquals("", stranger.out());
        Fixtures.Run noFile = Fixtures.cli(null, "sql", "--store", dir.toString(), "--token", acme, q);
        assertEquals(2, noFile.exit(), noFile.err());
    }

    @Test
    void repeatedQueryFilesRunOneAfterAnotherOverOneLoad() throws Exception {
        Fixtures.events(dir, 2, 3);
        Path first = dir.resolve("first.sql");
        Path second = dir.resolve("second.sql");
        Files.writeString(first, "SELECT count(*) AS n FROM Event");
        Files.writeString(second, "SELECT db, max(id) AS top FROM Event GROUP BY db ORDER BY db");
        Fixtures.Run both = Fixtures.cli(null, "sql", "--store", dir.toString(), "--format", "csv",
                "--file", first.toString(), "--file", second.toString());
        assertEquals(0, both.exit(), both.err());
        assertEquals("n\r\n6\r\n\ndb,top\r\np0.q,3\r\np1.q,3\r\n", both.out());
        Fixtures.Run argAndFile = Fixtures.cli(null, "sql", "--store", dir.toString(), "--file", first.toString(),
                "SELECT 1");
        assertEquals(2, argAndFile.exit(), argAndFile.err());
        Fixtures.Run neither = Fixtures.cli(null, "sql", "--store", dir.toString());
        assertEquals(2, neither.exit(), neither.err());
    }

    @Test
    void tableCsvAndJsonOutput() throws Exception {
        Fixtures.events(dir, 2, 2);
        String q = "SELECT db, id, kind, [ts, ts] AS pair, NULL AS nothing FROM Event WHERE id = 2 ORDER BY db";
        Fixtures.Run table = Fixtures.cli(null, "sql", "--store", dir.toString(), q);
        assertEquals(0, table.exit(), table.err());
        assertEquals(String.join("\n",
                "db   | id | kind  | pair         | nothing",
                "-----+----+-------+--------------+--------",
                "p0.q |  2 | order | [2000, 2000] | NULL",
                "p1.q |  2 | order | [2000, 2000] | NULL",
                "(2 rows)", ""), table.out());
        Fixtures.Run csv = Fixtures.cli(null, "sql", "--store", dir.toString(), "--format", "csv",
                "SELECT db, 'a,\"b\"' AS odd, id FROM Event WHERE id = 1 ORDER BY db");
        assertEquals("db,odd,id\r\np0.q,\"a,\"\"b\"\"\",1\r\np1.q,\"a,\"\"b\"\"\",1\r\n", csv.out());
        Fixtures.Run json = Fixtures.cli(null, "sql", "--store", dir.toString(), "--format", "json", q);
        assertEquals("{\"db\":\"p0.q\",\"id\":2,\"kind\":\"order\",\"pair\":[2000,2000],\"nothing\":null}\n"
                + "{\"db\":\"p1.q\",\"id\":2,\"kind\":\"order\",\"pair\":[2000,2000],\"nothing\":null}\n", json.out());
        Fixtures.Run bad = Fixtures.cli(null, "sql", "--store", dir.toString(), "--format", "xml", q);
        assertEquals(2, bad.exit());
        Fixtures.Run noStore = Fixtures.cli(null, "sql", "--store", dir.resolve("nope").toString(), q);
        assertEquals(1, noStore.exit());
        assertTrue(noStore.err().contains("no store directory"), noStore.err());
        assertTrue(Set.of(dir.toFile().list()).stream().noneMatch(n -> n.equals("nope")));
    }
}

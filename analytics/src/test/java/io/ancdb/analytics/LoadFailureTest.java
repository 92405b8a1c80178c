package io.ancdb.analytics;

import io.ancdb.Database;
import io.ancdb.DatabaseKey;
import io.ancdb.DatabaseOptions;
import io.ancdb.OnConflict;
import io.ancdb.typed.Definitions;
import io.ancdb.typed.RecordTable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A file that fails to open or read fails the load naming it, or is skipped
 * and reported by name; a file that fails half way through its rows leaves
 * none of them behind.
 */
class LoadFailureTest {
    @TempDir
    Path dir;

    /** Damages a table leaf in the middle of p1.q's Event rows: the scan fails after appending the rows before it. */
    private void damageMiddleLeaf() throws Exception {
        Path file = dir.resolve("p1.q.db");
        String leaves = Shell.run(file, "SELECT pageno FROM dbstat WHERE name = 'Event' AND pagetype = 'leaf' ORDER BY pageno;");
        List<String> pages = List.of(leaves.split("\n"));
        assertTrue(pages.size() > 10, "the file should span many leaves: " + pages);
        long page = Long.parseLong(pages.get(pages.size() / 2).strip());
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.seek((page - 1) * 4096);
            f.write(new byte[] {(byte) 0x77, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF});  // no such page type
        }
    }

    @Test
    void aFileCorruptHalfWayIsSkippedWholeOrFailsTheLoadByName() throws Exception {
        Fixtures.events(dir, 3, 3000);
        damageMiddleLeaf();
        try (StoreSource src = PlainStoreSource.open(dir, null)) {
            FileLoadException e = assertThrows(FileLoadException.class,
                    () -> StoreAnalytics.load(src, LoadOptions.defaults().withThreads(1)).close());
            assertEquals("p1.q", e.db());
            assertTrue(e.getMessage().startsWith("[102 CORRUPTION] database p1.q: "), e.getMessage());

            try (StoreAnalytics a = StoreAnalytics.load(src, LoadOptions.defaults()
                    .withOnError(LoadOptions.OnFileError.SKIP))) {
                assertEquals(List.of(List.of("p0.q", "3000"), List.of("p2.q", "3000")),
                        Fixtures.rows(a, "SELECT db, count(*) FROM Event GROUP BY db ORDER BY db"));
                assertEquals(1, a.report().skipped().size());
                assertEquals("p1.q", a.report().skipped().getFirst().db());
                assertTrue(a.report().skipped().getFirst().reason().contains("CORRUPTION"), a.report().skipped().toString());
                assertEquals(6000L, a.report().rows());
            }
        }
        Fixtures.Run skip = Fixtures.cli(null, "sql", "--store", dir.toString(), "--on-error", "skip", "--format", "csv",
                "SELECT count(*) AS n FROM Event");
        assertEquals(0, skip.exit(), skip.err());
        assertEquals("n\r\n6000\r\n", skip.out());
        assertTrue(skip.err().contains("ancdb-analytics: skipped p1.q: [102 CORRUPTION]"), skip.err());
        Fixtures.Run fail = Fixtures.cli(null, "sql", "--store", dir.toString(), "SELECT count(*) AS n FROM Event");
        assertEquals(1, fail.exit());
        assertTrue(fail.err().startsWith("ancdb-analytics: [102 CORRUPTION] database p1.q: "), fail.err());
        assertEquals("", fail.out());
    }

    @Test
    void anEncryptedStoreLoadsWithItsKeyAndAFileUnderAnotherKeyIsNamed() throws Exception {
        String key = "x'" + "2dd29ca851e7b56e4697b0e1f08507293d761a05ce4d1b628663f411a8086d99" + "'";
        String other = "x'" + "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff" + "'";
        for (int f = 0; f < 3; f++) {
            String k = f == 2 ? other : key;
            try (Database db = Database.open(dir.resolve(Fixtures.name(f) + ".db"),
                    DatabaseOptions.defaults().withKey(DatabaseKey.passphrase(k.toCharArray())))) {
                RecordTable t = Definitions.of(db).define(Fixtures.EVENT);
                db.runWrite(tx -> {
                    for (long i = 1; i <= 10; i++) {
                        t.insert(tx, Map.of("id", i, "ts", i, "kind", "quote", "body", "secret " + i), OnConflict.FAIL);
                    }
                });
            }
        }
        try (StoreSource src = new KeyedStoreSource(dir, key.toCharArray(), null);
             StoreAnalytics a = StoreAnalytics.load(src, LoadOptions.defaults().withOnError(LoadOptions.OnFileError.SKIP))) {
            assertEquals(List.of(List.of("p0.q", "10"), List.of("p1.q", "10")),
                    Fixtures.rows(a, "SELECT db, count(*) FROM Event GROUP BY db ORDER BY db"));
            assertEquals(List.of(new LoadReport.FileFailure("p2.q", a.report().skipped().getFirst().reason())),
                    a.report().skipped());
            assertTrue(a.report().skipped().getFirst().reason().startsWith("[106 NOT_A_DATABASE]"),
                    a.report().skipped().toString());
        }
        Path keyFile = dir.resolve("store.key");
        Files.writeString(keyFile, key + "\n");
        Fixtures.Run r = Fixtures.cli(null, "sql", "--store", dir.toString(), "--key-file", keyFile.toString(),
                "--format", "csv", "SELECT count(*) AS n FROM Event WHERE body LIKE 'secret%'");
        assertEquals(1, r.exit());
        assertTrue(r.err().contains("database p2.q: [106 NOT_A_DATABASE]"), r.err());
        Fixtures.Run env = Fixtures.cli(Map.of("ANCDB_STORE_KEY", key), "sql", "--store", dir.toString(),
                "--on-error", "skip", "--format", "csv", "SELECT count(*) AS n FROM Event WHERE body LIKE 'secret%'");
        assertEquals(0, env.exit(), env.err());
        assertEquals("n\r\n20\r\n", env.out());
        assertTrue(env.err().contains("skipped p2.q: [106 NOT_A_DATABASE]"), env.err());
    }
}

package io.ancdb;

import io.ancdb.typed.Compressed;
import io.ancdb.typed.Definitions;
import io.ancdb.typed.Indexed;
import io.ancdb.typed.PrimaryKey;
import io.ancdb.typed.RecordCursor;
import io.ancdb.typed.TypedTable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The README's API example, run as a test; and a check that the README still shows this exact code. */
class ReadmeExampleTest {
    // README-BEGIN
    record AgentMemory(@PrimaryKey(snowflake = true) long id, @Indexed long timestamp,
                       @Compressed String content, float[] embedding, @Indexed List<String> tags) {}

    static List<String> example(Path file) {
        try (Database db = Database.open(file, DatabaseOptions.defaults()
                .withJournalMode(DatabaseOptions.JournalMode.WAL))) {
            TypedTable<AgentMemory, Long> memory = Definitions.of(db).register(AgentMemory.class, Long.class);
            long id = db.writeTx(tx -> memory.insert(tx,
                    new AgentMemory(0, 1_700_000_000_000L, "the user prefers tea",
                                    new float[] {0.1f, 0.2f}, List.of("prefs", "drinks"))));
            db.runWrite(tx -> memory.update(tx, id, Map.of("tags", List.of("prefs"))));
            return db.readTx(tx -> {
                List<String> out = new ArrayList<>();
                try (RecordCursor<AgentMemory> c = memory.scan(tx,
                        KeyRange.onField("timestamp").reversed().limitTo(10))) {
                    c.forEachRemaining(m -> out.add(m.content() + " " + m.tags()));
                }
                return out;
            });
        }
    }
    // README-END

    @TempDir
    Path dir;

    @Test
    void exampleRuns() throws Exception {
        Path file = dir.resolve("memory.db");
        assertEquals(List.of("the user prefers tea [prefs]"), example(file));
        assertEquals(List.of("ok"), ScanOracleTest.shell(file, "PRAGMA integrity_check"));
        assertEquals(List.of("1"), ScanOracleTest.shell(file, "SELECT count(*) FROM AgentMemory"));
    }

    @Test
    void readmeShowsThisCode() throws IOException {
        ReadmeCode.assertReadmeShows("src/test/java/io/ancdb/ReadmeExampleTest.java");
    }
}

package io.ancdb.store;

import io.ancdb.OnConflict;
import io.ancdb.ReadmeCode;
import io.ancdb.SqliteShell;
import io.ancdb.typed.FieldDef;
import io.ancdb.typed.FieldType;
import io.ancdb.typed.RecordDefinition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The README's Store example, run as a test; and a check that the README still shows this exact code. */
class StoreReadmeExampleTest {
    // README-BEGIN
    static List<String> rally(Path dir) {
        RecordDefinition event = RecordDefinition.of("Event", FieldDef.of("ts", FieldType.I64).asIndexed(),
                FieldDef.of("kind", FieldType.STR), FieldDef.of("body", FieldType.STR));
        List<String> out = new ArrayList<>();
        try (Store store = Store.open(dir)) {                        // the directory is created if missing
            store.define(event);                                      // every file of the store gets it
            String pair = PairNames.pair("globex", "acme");           // "acme.globex", whatever the order
            long v = store.write(pair, 0, w -> w.records("Event").insert(w.tx(),   // 0: "never written"
                    Map.of("ts", 1L, "kind", "quote", "body", "10 t steel at 500"), OnConflict.FAIL));
            v = store.write(pair, v, w -> w.records("Event").insert(w.tx(),        // acme's turn, at version v
                    Map.of("ts", 2L, "kind", "order", "body", "10 t"), OnConflict.FAIL));
            try {                                                     // globex answers a turn that is gone
                store.write(pair, 1, w -> w.records("Event").insert(w.tx(),
                        Map.of("ts", 3L, "kind", "answer", "body", "delivery on day 9"), OnConflict.FAIL));
            } catch (VersionConflictException e) {
                out.add("conflict: the file is at version " + e.currentVersion());
            }
            out.add(store.read(pair, r -> r.version() + " " + r.records("Event").count(r.tx()) + " events"));
        }
        return out;
    }
    // README-END

    @TempDir
    Path dir;

    @Test
    void exampleRuns() {
        assertEquals(List.of("conflict: the file is at version 2", "2 2 events"), rally(dir.resolve("pairs")));
        Path file = dir.resolve("pairs").resolve("acme.globex.db");
        assertEquals("ok", SqliteShell.one(file, "PRAGMA integrity_check;"));
        assertEquals(List.of("1|quote", "2|order"), SqliteShell.lines(file, "SELECT ts, kind FROM Event ORDER BY ts;"));
        assertEquals("2", SqliteShell.one(file, "PRAGMA user_version;"));
    }

    @Test
    void readmeShowsThisCode() throws IOException {
        ReadmeCode.assertReadmeShows("src/test/java/io/ancdb/store/StoreReadmeExampleTest.java");
    }
}

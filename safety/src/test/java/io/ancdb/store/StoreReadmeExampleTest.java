package io.ancdb.store;

import io.ancdb.KeyRange;
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
    static List<String> rally(Path dir, TokenFile tokens, String acmeToken, String globexToken) {
        RecordDefinition event = RecordDefinition.of("Event", FieldDef.of("ts", FieldType.I64).asIndexed(),
                FieldDef.of("kind", FieldType.STR), FieldDef.of("body", FieldType.STR));
        List<String> out = new ArrayList<>();
        try (Store store = Store.open(dir)) {                        // the directory is created if missing
            store.define(event);                                      // once: every file of the store gets it
            GuardedStore acme = new GuardedStore(store, tokens.authenticate(acmeToken));
            GuardedStore globex = new GuardedStore(store, tokens.authenticate(globexToken));
            String pair = PairNames.pair("globex", "acme");           // "acme.globex", whatever the order
            long v = globex.write(pair, 0, w -> w.records("Event").insert(w.tx(),  // 0: "never written"
                    Map.of("ts", 1L, "kind", "quote", "body", "10 t steel at 500"), OnConflict.FAIL));
            v = acme.write(pair, v, w -> w.records("Event").insert(w.tx(),         // acme's turn, at version v
                    Map.of("ts", 2L, "kind", "order", "body", "10 t"), OnConflict.FAIL));
            try {                                                     // globex answers a turn that is gone
                globex.write(pair, 1, w -> w.records("Event").insert(w.tx(),
                        Map.of("ts", 3L, "kind", "answer", "body", "delivery on day 9"), OnConflict.FAIL));
            } catch (VersionConflictException e) {
                out.add("conflict: the file is at version " + e.currentVersion());
            }
            acme.write(PairNames.pair("acme", "initech"), 0, w -> w.records("Event").insert(w.tx(),
                    Map.of("ts", 3L, "kind", "quote", "body", "200 m cable"), OnConflict.FAIL));
            try {
                globex.read(PairNames.pair("acme", "initech"), r -> r.version());
            } catch (UnauthorizedException e) {                       // not globex's pair
                out.add("globex: " + e.getMessage());
            }
            try (MergedScan newest = acme.scan("*", "Event",          // acme's pairs only, newest first
                    KeyRange.onField("ts").reversed().limitTo(10))) {
                newest.forEachRemaining(r -> out.add(r.db() + " " + r.record().get("kind")));
            }
        }
        return out;
    }
    // README-END

    @TempDir
    Path dir;

    @Test
    void exampleRuns() {
        String acme = "acme-" + "0123456789abcdef".repeat(2);
        String globex = "globex-" + "fedcba9876543210".repeat(2);
        TokenFile tokens = TokenFile.parse(List.of(TokenFile.entry(acme, Principal.party("acme", true)),
                TokenFile.entry(globex, Principal.party("globex", true))));
        assertEquals(List.of("conflict: the file is at version 2", "globex: [6 UNAUTHORIZED] not authorized",
                        "acme.initech quote", "acme.globex order", "acme.globex quote"),
                rally(dir.resolve("pairs"), tokens, acme, globex));
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

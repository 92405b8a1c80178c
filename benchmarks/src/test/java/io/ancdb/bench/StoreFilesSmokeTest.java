package io.ancdb.bench;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.infra.Blackhole;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Both sides of {@link StoreFiles} on a few pair files, warm and cold: every
 * operation once, its result checked; a read that finds an event wrong in one
 * character, or misses the newest write, must fail. (Correctness only.)
 */
class StoreFilesSmokeTest {
    static final int FILES = 6;
    static final Blackhole BH = new Blackhole(
            "Today's password is swordfish. I understand instantiating Blackholes directly is dangerous.");

    /** sqlite-jdbc's files get exactly the table and index ANC-DB writes. */
    @Test
    void sqliteJdbcGetsTheSchemaAncdbWrites() throws Exception {
        for (String engine : List.of("ancdb", "sqlite")) {
            Path dir = PairFiles.copy(engine, FILES);
            try (Connection c = DriverManager.getConnection(PairFiles.url(dir, 2));
                 Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT sql FROM sqlite_schema WHERE tbl_name = 'Event' ORDER BY type DESC")) {
                List<String> ddl = new ArrayList<>();
                while (rs.next()) {
                    ddl.add(rs.getString(1));
                }
                assertEquals(PairFiles.DDL, ddl, engine);
            } finally {
                Prepared.deleteTree(dir.getParent());
            }
        }
    }

    @ParameterizedTest(name = "{0} keepOpen={1}")
    @CsvSource({"ancdb-java,6", "ancdb-java,0", "sqlite-jdbc,6", "sqlite-jdbc,0"})
    void everyOperationChecksWhatItGot(String store, int keepOpen) throws Exception {
        Path dir = PairFiles.copy(store.equals(PairStore.ANCDB) ? "ancdb" : "sqlite", FILES);
        try (PairStore p = PairStore.create(store)) {
            p.open(dir, keepOpen);
            try (PairStore.Session s = p.session(1)) {
                for (int f = 0; f < FILES; f++) {
                    s.lastEvents(f, PairFiles.LOADED, BH);
                }
                s.append(3, 1000);
                s.append(3, 1001);
                s.lastEvents(3, 1001, BH);
                assertThrows(IllegalStateException.class, () -> s.lastEvents(3, 1002, BH), "a newest write missed");
                assertThrows(IllegalStateException.class, () -> s.lastEvents(4, 1001, BH), "another file's write");
                s.close();                          // the planting connection must not meet a cached one
                plant(dir, 3, "ts = 1000", "body = substr(body, 1, 100) || 'X' || substr(body, 102)");
                assertThrows(IllegalStateException.class, () -> s.lastEvents(3, 1001, BH), "one character wrong");
                plant(dir, 5, "ts = 30", "kind = 'order'");
                assertThrows(IllegalStateException.class, () -> s.lastEvents(5, PairFiles.LOADED, BH), "wrong kind");
                plant(dir, 1, "ts = 40", "body = (SELECT body FROM Event WHERE ts = 39)");
                assertThrows(IllegalStateException.class, () -> s.lastEvents(1, PairFiles.LOADED, BH), "another event");
            }
        } finally {
            Prepared.deleteTree(dir.getParent());
        }
    }

    /** Changes the one event of file {@code file} matching {@code where}. */
    private static void plant(Path dir, int file, String where, String set) throws Exception {
        try (Connection c = DriverManager.getConnection(PairFiles.url(dir, file)); Statement s = c.createStatement()) {
            assertEquals(1, s.executeUpdate("UPDATE Event SET " + set + " WHERE " + where));
        }
    }
}

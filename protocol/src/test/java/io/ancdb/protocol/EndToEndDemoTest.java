package io.ancdb.protocol;

import io.ancdb.protocol.TransportTestSupport.Result;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code ancdb demo FILE} runs twice on the same file and leaves a file the sqlite3 shell reads. */
class EndToEndDemoTest {
    @TempDir
    Path dir;

    @Test
    @Timeout(90)
    void demoRunsAndTheFileOpensInSqlite3() throws Exception {
        Path db = dir.resolve("demo.db");
        for (int run = 0; run < 2; run++) {   // the second run on an existing file works too
            Result r = TransportTestSupport.run(TransportTestSupport.mainCommand("demo", db.toString()),
                    Duration.ofSeconds(60));
            assertEquals(0, r.code(), () -> r.stdout() + r.stderr());
            String out = r.stdout();
            assertTrue(out.contains("batch-wrote 100 records"), out);
            assertTrue(out.contains("read id 42"), out);
            assertTrue(out.contains("range scan on timestamp, newest 5 first: ids [100, 99, 98, 97, 96]"), out);
            assertTrue(out.contains("updated id 42"), out);
            assertTrue(out.contains("deleted id 7; reading it again answers status 3"), out);
            assertTrue(out.contains("integrity check: ok"), out);
            assertTrue(out.contains("sqlite3 " + db + " \"PRAGMA integrity_check; SELECT count(*) FROM AgentMemory;\""),
                    out);
        }
        TransportTestSupport.requireSqlite3();
        assertEquals("ok\n99", TransportTestSupport.sqlite(db, "PRAGMA integrity_check; SELECT count(*) FROM AgentMemory;"));
        assertEquals("1700002520000", TransportTestSupport.sqlite(db, "SELECT timestamp FROM AgentMemory WHERE id = 42;"));
    }
}

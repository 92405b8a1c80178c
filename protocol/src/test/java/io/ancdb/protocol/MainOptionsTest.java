package io.ancdb.protocol;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The limit options of the command line reach the dispatcher's Limits. */
class MainOptionsTest {
    @Test
    void limitOptionsAreParsed() throws Exception {
        Main.Options o = Main.parse(new String[] {"serve", "--db", "x.db", "--max-batch", "10",
                "--max-message-bytes=4096", "--max-value-bytes", "100", "--max-depth", "8", "--lock-timeout", "2"}, Map.of());
        assertEquals(10, o.limits().maxBatch());
        assertEquals(4096, o.limits().maxMessageBytes());
        assertEquals(100, o.limits().maxStringBytes());
        assertEquals(100, o.limits().maxBinaryBytes());
        assertEquals(8, o.limits().maxDepth());
        assertEquals(Duration.ofSeconds(2), o.limits().lockTimeout());
        assertEquals(Limits.defaults(), Main.parse(new String[] {"stdio", "--db", "x.db"}, Map.of()).limits());
        assertThrows(Main.UsageException.class,
                () -> Main.parse(new String[] {"serve", "--db", "x.db", "--max-batch", "0"}, Map.of()));
    }
}

package io.ancdb.analytics;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every command's --help renders: picocli formats descriptions as format
 * strings, so a bare "%" makes it warn on standard error and print the raw
 * text instead.
 */
class CliHelpTest {
    @Test
    void everyCommandsHelpRendersWithoutPicocliWarnings() {
        PrintStream stderr = System.err;
        ByteArrayOutputStream traced = new ByteArrayOutputStream();
        System.setErr(new PrintStream(traced, true, StandardCharsets.UTF_8));
        try {
            for (String command : List.of("sql", "export", "import", "generate")) {
                Fixtures.Run help = Fixtures.cli(null, command, "--help");
                assertEquals(0, help.exit(), help.err());
                assertTrue(help.out().startsWith("Usage: java -jar ancdb-analytics.jar " + command), help.out());
            }
        } finally {
            System.setErr(stderr);
        }
        assertEquals("", traced.toString(StandardCharsets.UTF_8));
    }
}

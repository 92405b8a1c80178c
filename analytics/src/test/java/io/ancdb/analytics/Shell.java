package io.ancdb.analytics;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The stock {@code sqlite3} shell, the oracle, as a subprocess (never in this
 * process: two SQLite copies in one process break each other's locks). Only
 * on files no ANC-DB connection has open.
 */
final class Shell {
    private Shell() {
    }

    /** The shell's output for {@code sql} on {@code file} ({@code -batch -bail}); fails on any error. */
    static String run(Path file, String sql) {
        try {
            Process p = new ProcessBuilder("sqlite3", "-batch", "-bail", file.toString())
                    .redirectErrorStream(true).start();
            try (var in = p.getOutputStream()) {
                in.write((sql + "\n").getBytes(StandardCharsets.UTF_8));
            }
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0 || out.contains("Error:")) {
                throw new AssertionError("sqlite3 failed on " + file + ": " + out);
            }
            return out.strip();
        } catch (IOException e) {
            throw new AssertionError("cannot run sqlite3", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}

package io.ancdb;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The stock {@code sqlite3} shell as a test oracle, run as a subprocess (never
 * loaded in-process: two SQLite copies in one process break each other's POSIX
 * locks). Only point it at a file no ANC-DB connection has open.
 */
public final class SqliteShell {
    private SqliteShell() {
    }

    /**
     * Runs {@code sql} (any number of statements, fed on stdin) against
     * {@code file} in batch mode, stopping at the first error. Returns stdout;
     * fails with stderr when the shell exits non-zero or prints an error.
     */
    public static String run(Path file, String sql) {
        Process p;
        try {
            p = new ProcessBuilder("sqlite3", "-batch", "-bail", file.toString()).start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start sqlite3 (is it on PATH?)", e);
        }
        CompletableFuture<byte[]> out = drain(p.getInputStream());
        CompletableFuture<byte[]> err = drain(p.getErrorStream());
        try (OutputStream in = p.getOutputStream()) {
            in.write(sql.getBytes(StandardCharsets.UTF_8));
            if (!sql.endsWith("\n")) {
                in.write('\n');
            }
        } catch (IOException e) {
            // the shell died early; its stderr says why
        }
        try {
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("sqlite3 did not finish: " + abbreviate(sql));
            }
            String stdout = new String(out.get(), StandardCharsets.UTF_8);
            String stderr = new String(err.get(), StandardCharsets.UTF_8);
            if (p.exitValue() != 0 || !stderr.isBlank()) {
                throw new AssertionError("sqlite3 exited " + p.exitValue() + " on " + abbreviate(sql)
                        + "\nstderr: " + stderr);
            }
            return stdout;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new AssertionError(e);
        }
    }

    /** {@link #run} split into lines (no trailing empty line). */
    public static List<String> lines(Path file, String sql) {
        String s = run(file, sql);
        if (s.isEmpty()) {
            return List.of();
        }
        if (s.endsWith("\n")) {
            s = s.substring(0, s.length() - 1);
        }
        return List.of(s.split("\n", -1));
    }

    /** The single line a query prints. */
    public static String one(Path file, String sql) {
        List<String> l = lines(file, sql);
        if (l.size() != 1) {
            throw new AssertionError("expected one line from " + abbreviate(sql) + ", got " + l);
        }
        return l.get(0);
    }

    /** A SQL string literal. */
    public static String quote(String s) {
        return "'" + s.replace("'", "''") + "'";
    }

    /** A SQL blob literal X'..'. */
    public static String blob(byte[] b) {
        return "X'" + java.util.HexFormat.of().withUpperCase().formatHex(b) + "'";
    }

    /** Reads a whole stream on its own thread (the common pool may have a single worker). */
    private static CompletableFuture<byte[]> drain(InputStream s) {
        CompletableFuture<byte[]> f = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try (s) {
                f.complete(s.readAllBytes());
            } catch (IOException | RuntimeException e) {
                f.completeExceptionally(e);
            }
        }, "sqlite3-drain");
        t.setDaemon(true);
        t.start();
        return f;
    }

    private static String abbreviate(String sql) {
        return sql.length() <= 300 ? sql : sql.substring(0, 300) + "...";
    }
}

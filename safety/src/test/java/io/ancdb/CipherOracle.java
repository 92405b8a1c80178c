package io.ancdb;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The SQLCipher 4 oracle (SQLite3 Multiple Ciphers, built by {@code make oracle}
 * from native/tests/oracle.c) run as a subprocess: an independent reader and
 * writer of encrypted files. Only point it at a file no ANC-DB connection has
 * open. The key travels in the environment, never on a command line.
 */
public final class CipherOracle {
    private CipherOracle() {
    }

    /** The checker: {@code -Dancdb.oracle}, else the build's. */
    public static Path binary() {
        String p = System.getProperty("ancdb.oracle");
        Path bin = p != null ? Path.of(p) : Path.of("..", "native", "build", "oracle", "ancdb-oracle");
        if (!Files.isExecutable(bin)) {
            throw new AssertionError("the SQLCipher oracle " + bin.toAbsolutePath()
                    + " is missing: run `make oracle` (make test builds it)");
        }
        return bin;
    }

    /** Runs each statement group in {@code sql} on {@code file} with {@code key} (null: none); stdout lines. */
    public static List<String> run(String key, boolean noCheckpoint, Path file, String... sql) {
        List<String> cmd = new ArrayList<>();
        cmd.add(binary().toString());
        if (noCheckpoint) {
            cmd.add("-nockpt");
        }
        cmd.add(file.toString());
        cmd.addAll(List.of(sql));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(false);
        pb.environment().remove("ANCDB_ORACLE_KEY");
        if (key != null) {
            pb.environment().put("ANCDB_ORACLE_KEY", key);
        }
        try {
            Process p = pb.start();
            p.getOutputStream().close();
            var err = p.getErrorStream();
            byte[] out = p.getInputStream().readAllBytes();
            String stderr = new String(err.readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("the oracle did not finish");
            }
            if (p.exitValue() != 0) {
                throw new OracleError(p.exitValue(), stderr.strip());
            }
            String s = new String(out, StandardCharsets.UTF_8);
            return s.isEmpty() ? List.of() : List.of(s.split("\n"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    public static List<String> run(String key, Path file, String... sql) {
        return run(key, false, file, sql);
    }

    /** The oracle refused a statement (exit status, its message). */
    public static final class OracleError extends AssertionError {
        private static final long serialVersionUID = 1L;
        public final int status;

        OracleError(int status, String message) {
            super("oracle exited " + status + ": " + message);
            this.status = status;
        }
    }
}

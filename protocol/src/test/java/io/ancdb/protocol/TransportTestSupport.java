package io.ancdb.protocol;

import org.msgpack.core.MessagePack;
import org.msgpack.core.MessageUnpacker;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** Shared by the transport and end-to-end tests: server processes, a raw msgpack client, sqlite3, python. */
final class TransportTestSupport {
    static final String PYTHON = "/usr/bin/python3";
    private static final Pattern LISTENING = Pattern.compile("^listening on (\\S+):(\\d+)$");

    private TransportTestSupport() {
    }

    /** The protocol module directory (surefire runs with it as the working directory). */
    static Path moduleDir() {
        Path cwd = Path.of(System.getProperty("user.dir")).toAbsolutePath();
        if (Files.isDirectory(cwd.resolve("clients/python"))) {
            return cwd;
        }
        Path sub = cwd.resolve("protocol");
        if (Files.isDirectory(sub.resolve("clients/python"))) {
            return sub;
        }
        throw new IllegalStateException("cannot find the protocol module from " + cwd);
    }

    static Path pythonClientDir() {
        return moduleDir().resolve("clients/python");
    }

    /**
     * Fails (never skips) when /usr/bin/python3 with msgpack is missing: the Python client tests are part of
     * every {@code make test} (README Requirements; {@code .ci/run} installs python3-msgpack).
     */
    static void requirePythonMsgpack() {
        boolean ok;
        try {
            Process p = new ProcessBuilder(PYTHON, "-c", "import msgpack").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            ok = p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            ok = false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            ok = false;
        }
        if (!ok) {
            fail(PYTHON + " -c 'import msgpack' failed: the Python client tests need python3-msgpack"
                    + " (apt-get install python3-msgpack; .ci/run installs it)");
        }
    }

    /** Fails (never skips) when the sqlite3 shell, the test oracle, is missing. */
    static void requireSqlite3() {
        boolean ok;
        try {
            ok = run(List.of("sqlite3", "-version"), Duration.ofSeconds(30)).code() == 0;
        } catch (IOException e) {
            ok = false;
        }
        if (!ok) {
            fail("the sqlite3 shell, the test oracle, is not installed (apt-get install sqlite3)");
        }
    }

    record Result(int code, String stdout, String stderr) {
    }

    /** Runs a command to completion (killed after {@code timeout}). */
    static Result run(List<String> command, Duration timeout) throws IOException {
        Process p = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .start();
        CompletableFuture<String> out = drain(p.getInputStream());
        CompletableFuture<String> err = drain(p.getErrorStream());
        try {
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                p.waitFor(10, TimeUnit.SECONDS);
                fail("timed out after " + timeout + ": " + command + "\nstdout:\n" + out.getNow("")
                        + "\nstderr:\n" + err.getNow(""));
            }
            return new Result(p.exitValue(), out.get(10, TimeUnit.SECONDS), err.get(10, TimeUnit.SECONDS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IOException(e);
        }
    }

    static CompletableFuture<String> drain(InputStream in) {
        CompletableFuture<String> f = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            try (in) {
                f.complete(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                f.complete("<" + e + ">");
            }
        });
        return f;
    }

    /** sqlite3 -batch FILE SQL; fails the test on a non-zero exit. Returns stdout, trimmed. */
    static String sqlite(Path db, String sql) throws IOException {
        Result r = run(List.of("sqlite3", "-batch", db.toString(), sql), Duration.ofSeconds(60));
        assertEquals(0, r.code(), "sqlite3 failed: " + r.stderr());
        return r.stdout().trim();
    }

    /** The command that runs {@code Main} with this JVM and the test classpath (always current in mvn verify). */
    static List<String> mainCommand(String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("--enable-native-access=ALL-UNNAMED");
        cmd.add("-Xmx256m");
        cmd.add("-XX:TieredStopAtLevel=1");
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add("io.ancdb.protocol.Main");
        cmd.addAll(List.of(args));
        return cmd;
    }

    /** A {@code Main serve} child process on port 0; its stderr goes to a file. */
    static final class ServerProcess implements AutoCloseable {
        final Process process;
        final String host;
        final int port;
        final Path log;

        private ServerProcess(Process process, String host, int port, Path log) {
            this.process = process;
            this.host = host;
            this.port = port;
            this.log = log;
        }

        static ServerProcess start(Path dir, Map<String, String> env, String... args) throws IOException {
            Path log = Files.createTempFile(dir, "server", ".log");
            ProcessBuilder pb = new ProcessBuilder(mainCommand(args))
                    .redirectError(log.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
            pb.environment().remove("ANCDB_TOKEN");
            pb.environment().putAll(env);
            Process p = pb.start();
            CompletableFuture<Matcher> bound = new CompletableFuture<>();
            Thread.ofVirtual().start(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(),
                        StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = r.readLine()) != null) {
                        Matcher m = LISTENING.matcher(line);
                        if (m.matches() && !bound.isDone()) {
                            bound.complete(m);
                        }
                    }
                } catch (IOException ignored) {
                    // process ended
                }
                bound.completeExceptionally(new IOException("server stdout closed before 'listening on'"));
            });
            try {
                Matcher m = bound.get(60, TimeUnit.SECONDS);
                return new ServerProcess(p, m.group(1), Integer.parseInt(m.group(2)), log);
            } catch (Exception e) {
                p.destroyForcibly();
                throw new IOException("server did not start: " + e + "\n" + Files.readString(log), e);
            }
        }

        String address() {
            return host + ":" + port;
        }

        /** SIGTERM, then the exit code (waits up to 30 s). */
        int terminate() throws InterruptedException {
            process.destroy();
            assertTrue(process.waitFor(30, TimeUnit.SECONDS), "server did not stop within 30 s of SIGTERM");
            return process.exitValue();
        }

        String log() throws IOException {
            return Files.readString(log);
        }

        @Override
        public void close() {
            if (process.isAlive()) {
                process.destroyForcibly();
                try {
                    process.waitFor(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    /** A raw MessagePack connection: maps in, whole responses out; raw bytes for malformed-input tests. */
    static final class Wire implements AutoCloseable {
        final Socket socket;
        final OutputStream out;
        final MessageUnpacker in;

        Wire(String host, int port) throws IOException {
            socket = new Socket();
            socket.connect(new InetSocketAddress(host, port), 10_000);
            socket.setTcpNoDelay(true);
            socket.setSoTimeout(30_000);
            out = socket.getOutputStream();
            in = MessagePack.newDefaultUnpacker(socket.getInputStream());
        }

        static Wire authenticated(ServerProcess s, String token) throws IOException {
            Wire w = new Wire(s.host, s.port);
            if (token != null) {
                assertEquals(0L, w.call(TransportCodec.map("cmd", 0x30, "token", token)).get("status"));
            }
            return w;
        }

        void send(byte[] bytes) throws IOException {
            out.write(bytes);
            out.flush();
        }

        Map<?, ?> call(Map<String, Object> request) throws IOException {
            return call0(request);
        }

        /** Any MessagePack value as the request (arrays, scalars: malformed or compact requests). */
        Map<?, ?> call0(Object request) throws IOException {
            send(TransportCodec.pack(request));
            return response();
        }

        /** The data of a status-0 response; fails the test otherwise. */
        Object ok(Map<String, Object> request) throws IOException {
            Map<?, ?> r = call(request);
            assertEquals(0L, r.get("status"), () -> "request " + request + " answered " + r);
            return r.get("data");
        }

        Map<?, ?> response() throws IOException {
            Object o = TransportCodec.read(in);
            if (!(o instanceof Map<?, ?> m)) {
                throw new IOException("response is not a map: " + o);
            }
            return m;
        }

        /**
         * Reads what the server sends until it closes (or {@code within} passes): the responses,
         * and whether it closed.
         */
        Drained drain(Duration within) throws IOException {
            socket.setSoTimeout((int) within.toMillis());
            List<Map<?, ?>> responses = new ArrayList<>();
            try {
                while (in.hasNext()) {
                    responses.add(response());
                }
                return new Drained(responses, true);
            } catch (SocketTimeoutException e) {
                return new Drained(responses, false);
            } catch (java.net.SocketException e) {   // reset: closed too
                return new Drained(responses, true);
            }
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    record Drained(List<Map<?, ?>> responses, boolean closed) {
    }
}

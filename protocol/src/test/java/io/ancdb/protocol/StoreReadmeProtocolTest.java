package io.ancdb.protocol;

import io.ancdb.protocol.TransportTestSupport.ServerProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The README's "Per-pair use over the protocol (Python)", run as written:
 * its shell lines make the token file, a {@code serve --store} process
 * serves it as the README starts it, its Python block runs against it and
 * prints what the README says, and the stock sqlite3 shell shows the pair
 * file as the README says.
 */
class StoreReadmeProtocolTest {
    static final String SECTION = "### Per-pair use over the protocol (Python)";

    @TempDir
    Path dir;

    /** The fenced blocks of the section, in order: {language, body}. */
    static List<String[]> blocks() throws IOException {
        String readme = Files.readString(TransportTestSupport.moduleDir().getParent().resolve("README.md"));
        int start = readme.indexOf(SECTION);
        assertTrue(start >= 0, "the README has the section " + SECTION);
        int end = readme.indexOf("\n### ", start + SECTION.length());
        String section = readme.substring(start, end < 0 ? readme.length() : end);
        Matcher m = Pattern.compile("(?s)```(\\w+)\\n(.*?)```").matcher(section);
        List<String[]> out = new ArrayList<>();
        while (m.find()) {
            out.add(new String[] {m.group(1), m.group(2)});
        }
        return out;
    }

    @Test
    @Timeout(180)
    void theReadmeRallyRunsAsWritten() throws Exception {
        TransportTestSupport.requirePythonMsgpack();
        TransportTestSupport.requireSqlite3();
        List<String[]> b = blocks();
        assertEquals(List.of("sh", "python", "text", "sh", "text"), b.stream().map(x -> x[0]).toList());
        Map<String, String> tokens = Map.of("ACME_TOKEN", "acme-" + "0123456789abcdef".repeat(2),
                "GLOBEX_TOKEN", "globex-" + "fedcba9876543210".repeat(2),
                "ADMIN_TOKEN", "admin-" + "00112233445566778899".repeat(2));

        // the shell lines that make the token file; the server as the README's last line starts it
        List<String> setup = b.get(0)[1].lines().toList();
        String serveLine = setup.getLast();
        assertTrue(serveLine.contains("ANCDB_TOKEN=\"$ADMIN_TOKEN\" java -jar protocol/target/ancdb.jar serve --store"
                + " pairs --token-file tokens"), serveLine);
        assertEquals(0, run(dir, List.of("bash", "-euc", String.join("\n", setup.subList(0, setup.size() - 1))),
                tokens).code);
        Path python = dir.resolve("rally.py");
        Files.writeString(python, b.get(1)[1]);
        try (ServerProcess server = ServerProcess.start(dir, Map.of("ANCDB_TOKEN", tokens.get("ADMIN_TOKEN")),
                "serve", "--store", dir.resolve("pairs").toString(), "--token-file", dir.resolve("tokens").toString(),
                "--port", "0")) {
            Map<String, String> env = new java.util.HashMap<>(tokens);
            env.put("ANCDB_ADDRESS", server.address());
            env.put("PYTHONPATH", TransportTestSupport.pythonClientDir().toString());
            Ran r = run(dir, List.of(TransportTestSupport.PYTHON, python.toString()), env);
            assertEquals(0, r.code, () -> r.out + r.err + "\nserver log:\n" + EndToEndTcpTest.readQuietly(server.log));
            assertEquals(b.get(2)[1], r.out);
            assertEquals(0, server.terminate());
        }

        Matcher m = Pattern.compile("sqlite3 pairs/(\\S+) \"(.*)\"").matcher(b.get(3)[1]);
        assertTrue(m.find(), b.get(3)[1]);
        assertEquals(b.get(4)[1].strip(), TransportTestSupport.sqlite(dir.resolve("pairs").resolve(m.group(1)),
                m.group(2)));
    }

    record Ran(int code, String out, String err) {
    }

    /** Runs {@code command} in {@code dir} with {@code env} added. */
    static Ran run(Path dir, List<String> command, Map<String, String> env) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile());
        pb.environment().putAll(env);
        Path out = dir.resolve("out.txt");
        Path err = dir.resolve("err.txt");
        Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("timed out: " + command);
        }
        return new Ran(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }
}

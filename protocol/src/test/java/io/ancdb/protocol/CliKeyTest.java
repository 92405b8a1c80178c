package io.ancdb.protocol;

import io.ancdb.AncDbException;
import io.ancdb.Database;
import io.ancdb.DatabaseOptions;
import io.ancdb.ErrorCode;
import io.ancdb.protocol.TransportTestSupport.Result;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessageUnpacker;
import picocli.CommandLine.ParseResult;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.ancdb.protocol.TransportCodec.map;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Keys on the command line (README, "Encryption at rest", "From the command line"):
 * {@code --key-file} / {@code ANCDB_KEY} for a {@code --db} file, {@code --master-key-file} /
 * {@code ANCDB_MASTER_KEY} parsed for a store; files made by the Java API, the sqlite3 shell
 * as the proof that a file is not plaintext.
 */
@Timeout(120)
class CliKeyTest {
    private static final Map<String, String> NO_ENV = Map.of();
    /** The README's examples. */
    private static final String PASSPHRASE = "correct horse battery staple";
    private static final String RAW_HEX = "2dd29ca851e7b56e4697b0e1f08507293d761a05ce4d1b628663f411a8086d99";
    private static final String MARKER = "cli-key-marker-5309";

    @TempDir
    Path dir;

    /** An encrypted file made by the Java API holding one record (id 1) whose text is {@link #MARKER}. */
    private Path encrypted(String name, DatabaseOptions withKey) {
        Path f = dir.resolve(name);
        try (Database db = Database.open(f, withKey);
             CommandDispatcher d = new CommandDispatcher(db, Limits.defaults(), null)) {
            ok(d, map("cmd", 0x20, "schema", "Notes", "fields", List.of(
                    map("name", "id", "type", "u64", "primary_key", true),
                    map("name", "text", "type", "str"))));
            ok(d, map("cmd", 0x03, "schema", "Notes", "record", map("id", 1, "text", MARKER)));
        }
        return f;
    }

    private static Object ok(CommandDispatcher d, Map<String, Object> request) {
        Map<?, ?> r = (Map<?, ?>) TransportCodec.unpack(d.handle(TransportCodec.pack(request)));
        assertEquals(0L, r.get("status"), () -> request + " answered " + r);
        return r.get("data");
    }

    /** The text of record {@code id} read through a Database opened with {@code options}. */
    private static Object text(Path f, DatabaseOptions options, long id) {
        try (Database db = Database.open(f, options);
             CommandDispatcher d = new CommandDispatcher(db, Limits.defaults(), null)) {
            return ((Map<?, ?>) ok(d, map("cmd", 0x01, "schema", "Notes", "key", id))).get("text");
        }
    }

    private Path keyFile(String name, String content) throws IOException {
        return keyFile(name, content.getBytes(StandardCharsets.UTF_8));
    }

    private Path keyFile(String name, byte[] content) throws IOException {
        Path p = dir.resolve(name);
        Files.write(p, content);
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rw-------"));
        return p;
    }

    /** The storage options {@code args} (after the file) give "stdio --db F". */
    private static DatabaseOptions stdioOptions(Path f, Map<String, String> env, String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of("stdio", "--db", f.toString()));
        all.addAll(List.of(args));
        return Main.parse(all.toArray(String[]::new), env).storage();
    }

    private record Run(int code, String out, String err) {
    }

    private static Run inProcess(Map<String, String> env, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(args, env, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Run(code, out.toString(), err.toString());
    }

    /** {@code Main args} as a child process with {@code env} added to a copy of this environment without keys. */
    private static Result process(Map<String, String> env, String... args) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(TransportTestSupport.mainCommand(args))
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        pb.environment().keySet().removeAll(List.of("ANCDB_KEY", "ANCDB_MASTER_KEY", "ANCDB_TOKEN"));
        pb.environment().putAll(env);
        Process p = pb.start();
        var out = TransportTestSupport.drain(p.getInputStream());
        var err = TransportTestSupport.drain(p.getErrorStream());
        assertTrue(p.waitFor(90, TimeUnit.SECONDS), "exits");
        try {
            return new Result(p.exitValue(), out.get(10, TimeUnit.SECONDS), err.get(10, TimeUnit.SECONDS));
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IOException(e);
        }
    }

    private static void assertNotAPlainDatabase(Path f) throws IOException {
        TransportTestSupport.requireSqlite3();
        Result r = TransportTestSupport.run(List.of("sqlite3", "-batch", f.toString(), "SELECT count(*) FROM Notes;"),
                Duration.ofSeconds(60));
        assertNotEquals(0, r.code(), "sqlite3 read the file: " + r.stdout());
        assertTrue(r.stderr().contains("file is not a database"), r.stderr());
        byte[] bytes = Files.readAllBytes(f);
        assertFalse(new String(bytes, StandardCharsets.ISO_8859_1).contains(MARKER), "the marker is on disk in plaintext");
    }

    @Test
    void aPassphraseFileOpensTheFileOneTrailingLineBreakStripped() throws Exception {
        Path f = encrypted("pass.db", DatabaseOptions.defaults().withKey(PASSPHRASE.toCharArray()));
        assertNotAPlainDatabase(f);
        for (String text : List.of(PASSPHRASE + "\n", PASSPHRASE + "\r\n", PASSPHRASE)) {
            DatabaseOptions o = stdioOptions(f, NO_ENV, "--key-file", keyFile("k", text).toString());
            assertFalse(o.key().isRaw());
            assertEquals(MARKER, text(f, o, 1));
            assertTrue(o.key().isWiped(), "the open wiped the key");
        }
        // only one line break is stripped: the second is part of the passphrase, so this is a wrong key
        DatabaseOptions twoBreaks = stdioOptions(f, NO_ENV, "--key-file", keyFile("k2", PASSPHRASE + "\n\n").toString());
        AncDbException e = assertThrows(AncDbException.class, () -> text(f, twoBreaks, 1));
        assertEquals(ErrorCode.NOT_A_DATABASE, e.errorCode());
        // the environment variable, same form
        DatabaseOptions env = stdioOptions(f, Map.of("ANCDB_KEY", PASSPHRASE));
        assertEquals(MARKER, text(f, env, 1));
    }

    @Test
    void aRawKeyFileOpensTheFileWithOrWithoutItsSalt() throws Exception {
        byte[] raw = HexFormat.of().parseHex(RAW_HEX);
        Path f = encrypted("raw.db", DatabaseOptions.defaults().withRawKey(raw));
        assertNotAPlainDatabase(f);
        DatabaseOptions o = stdioOptions(f, NO_ENV, "--key-file", keyFile("raw.key", "x'" + RAW_HEX + "'\n").toString());
        assertTrue(o.key().isRaw());
        assertEquals(MARKER, text(f, o, 1));
        // upper-case hex digits and X are the same key
        assertEquals(MARKER, text(f, stdioOptions(f, Map.of("ANCDB_KEY", "X'" + RAW_HEX.toUpperCase() + "'")), 1));
        // the 96-digit form Database.rawKey() prints: the key, then the file's salt
        char[] withSalt;
        try (Database db = Database.open(f, DatabaseOptions.defaults().withRawKey(raw))) {
            withSalt = db.rawKey();
        }
        assertEquals(99, withSalt.length);
        DatabaseOptions salted = stdioOptions(f, NO_ENV, "--key-file", keyFile("salted.key", new String(withSalt)).toString());
        Arrays.fill(withSalt, '\0');
        assertTrue(salted.key().isRaw());
        assertEquals(MARKER, text(f, salted, 1));
    }

    @Test
    void badKeySourcesAreUsageErrorsThatNeverShowTheKey() throws Exception {
        Path f = dir.resolve("never.db");
        Path good = keyFile("good.key", PASSPHRASE);
        Path open = keyFile("open.key", PASSPHRASE);
        Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rw-r-----"));
        Path writable = keyFile("writable.key", PASSPHRASE);
        Files.setPosixFilePermissions(writable, PosixFilePermissions.fromString("rw-----w-"));
        Path big = keyFile("big.key", "a".repeat(KeyOptions.MAX_FILE_BYTES + 1));
        record Bad(Map<String, String> env, List<String> args, String message) {
        }
        List<Bad> bad = List.of(
                new Bad(Map.of("ANCDB_KEY", PASSPHRASE), List.of("--key-file", good.toString()),
                        "--key-file and ANCDB_KEY are both given: use one"),
                new Bad(NO_ENV, List.of("--key-file", dir.resolve("missing.key").toString()),
                        "--key-file " + dir.resolve("missing.key") + ": no such file"),
                new Bad(NO_ENV, List.of("--key-file", dir.toString()), "is not a regular file"),
                new Bad(NO_ENV, List.of("--key-file", open.toString()),
                        "--key-file " + open + " is readable or writable by group or others: chmod 600 it"),
                new Bad(NO_ENV, List.of("--key-file", writable.toString()), "readable or writable by group or others"),
                new Bad(NO_ENV, List.of("--key-file", big.toString()), "is larger than 4096 bytes: not a key file"),
                new Bad(NO_ENV, List.of("--key-file", keyFile("empty.key", "\n").toString()),
                        "holds no key (it is empty)"),
                new Bad(Map.of("ANCDB_KEY", ""), List.of(), "ANCDB_KEY holds no key (it is empty)"),
                new Bad(NO_ENV, List.of("--key-file", keyFile("short.key", "x'" + RAW_HEX.substring(2) + "'").toString()),
                        "is written like a raw key but is not one: a raw key is x' followed by 64 or 96 hex digits and '"),
                new Bad(Map.of("ANCDB_KEY", "x'" + RAW_HEX.replace('a', 'g') + "'"), List.of(),
                        "ANCDB_KEY is written like a raw key but is not one"),
                new Bad(NO_ENV, List.of("--master-key-file", good.toString()),
                        "--master-key-file is a store's master key (serve --store)"),
                new Bad(Map.of("ANCDB_MASTER_KEY", PASSPHRASE), List.of(), "ANCDB_MASTER_KEY is set"));
        for (String command : List.of("serve", "stdio", "demo")) {
            for (Bad b : bad) {
                List<String> args = new ArrayList<>(command.equals("demo") ? List.of("demo", f.toString())
                        : List.of(command, "--db", f.toString()));
                args.addAll(b.args());
                String[] a = args.toArray(String[]::new);
                // parsed first: were it accepted, running it in-process would serve until killed
                assertThrows(Main.UsageException.class, () -> Main.parse(a, b.env()), () -> args.toString());
                Run r = inProcess(b.env(), a);
                assertEquals(2, r.code(), () -> args + " " + b.env().keySet() + ": " + r.err());
                assertTrue(r.err().contains(b.message()), () -> args + ": " + r.err());
                assertTrue(r.err().contains("Usage: java -jar ancdb.jar " + command), r.err());
                assertFalse(r.err().contains("horse") || r.err().contains(RAW_HEX.substring(10, 30)), r.err());
            }
        }
        assertFalse(Files.exists(f), "no usage error created the file");
    }

    @Test
    void theMasterKeyIsParsedForAStoreAndNotTakenWithADatabaseKey() throws Exception {
        KeyOptions file = keyOptions("serve", "--db", "x", "--master-key-file",
                keyFile("m.key", "store pass phrase\n").toString());
        try (MasterKeySource m = file.masterKey(NO_ENV)) {
            assertFalse(m.isRaw());
            assertArrayEquals("store pass phrase".toCharArray(), m.passphrase());
            assertEquals("MasterKeySource[passphrase]", m.toString());
            char[] held = m.passphrase();
            m.close();
            assertArrayEquals(new char[held.length], held, "close wipes the passphrase");
        }
        try (MasterKeySource m = keyOptions("serve", "--db", "x").masterKey(Map.of("ANCDB_MASTER_KEY", "x'" + RAW_HEX + "'"))) {
            assertTrue(m.isRaw());
            assertArrayEquals(HexFormat.of().parseHex(RAW_HEX), m.raw());
            assertEquals("MasterKeySource[raw]", m.toString());
        }
        assertNull(keyOptions("serve", "--db", "x").masterKey(NO_ENV));
        // a master key has no salt: the 96-digit form is refused
        String salted = "x'" + RAW_HEX + RAW_HEX.substring(0, 32) + "'";
        assertUsage("ANCDB_MASTER_KEY is written like a raw key but is not one: a raw key is x' followed by 64 hex digits",
                () -> keyOptions("serve", "--db", "x").masterKey(Map.of("ANCDB_MASTER_KEY", salted)));
        assertUsage("--master-key-file and ANCDB_MASTER_KEY are both given", () -> file.masterKey(
                Map.of("ANCDB_MASTER_KEY", "p")));
        assertUsage("--key-file is one database file's key", () -> keyOptions("serve", "--db", "x", "--key-file",
                "k").masterKey(NO_ENV));
        assertUsage("ANCDB_KEY is set", () -> keyOptions("serve", "--db", "x").masterKey(Map.of("ANCDB_KEY", "p")));
    }

    private static KeyOptions keyOptions(String... args) {
        ParseResult parsed = Cli.commandLine().parseArgs(args);
        return ((Cli.ServerCommand) parsed.subcommand().commandSpec().userObject()).key;
    }

    private static void assertUsage(String message, Runnable r) {
        var e = assertThrows(picocli.CommandLine.ParameterException.class, r::run);
        assertTrue(e.getMessage().contains(message), e.getMessage());
    }

    /**
     * A wrong key, a key for a plaintext file, no key for an encrypted one: exit 1, the message
     * names NOT_A_DATABASE's code, never the key, and the file is left exactly as it was.
     */
    @Test
    void aWrongKeyIsNotADatabaseAndWritesNothing() throws Exception {
        Path f = encrypted("wrong.db", DatabaseOptions.defaults().withRawKey(HexFormat.of().parseHex(RAW_HEX)));
        Path plain = encrypted("plain.db", DatabaseOptions.defaults());
        String other = "x'" + "ab".repeat(32) + "'";
        record Case(Path file, Map<String, String> env) {
        }
        for (Case c : List.of(new Case(f, Map.of("ANCDB_KEY", other)), new Case(f, Map.of()),
                new Case(plain, Map.of("ANCDB_KEY", other)))) {
            byte[] before = Files.readAllBytes(c.file());
            Result r = process(c.env(), "stdio", "--db", c.file().toString());
            assertEquals(1, r.code(), r.stderr());
            assertTrue(r.stderr().contains("failed: ") && r.stderr().contains("[106 NOT_A_DATABASE]"), r.stderr());
            assertFalse(r.stderr().contains("abababab"), r.stderr());
            assertEquals("", r.stdout());
            assertArrayEquals(before, Files.readAllBytes(c.file()), "the file is unchanged");
            for (String suffix : List.of("-wal", "-journal")) {
                Path side = Path.of(c.file() + suffix);
                assertTrue(!Files.exists(side) || Files.size(side) == 0, side + " holds something");
            }
        }
        assertEquals("1", TransportTestSupport.sqlite(plain, "SELECT count(*) FROM Notes;"));
    }

    /** A key given in the process's real environment; one request, one answer, and a write. */
    @Test
    void stdioRoundTripOnAnEncryptedFileWithTheKeyInTheEnvironment() throws Exception {
        Path f = encrypted("stdio.db", DatabaseOptions.defaults().withKey(PASSPHRASE.toCharArray()));
        ProcessBuilder pb = new ProcessBuilder(TransportTestSupport.mainCommand("stdio", "--db", f.toString()));
        pb.environment().put("ANCDB_KEY", PASSPHRASE);
        Path log = dir.resolve("stdio.log");
        Process p = pb.redirectError(log.toFile()).start();
        try (OutputStream in = p.getOutputStream();
             MessageUnpacker out = MessagePack.newDefaultUnpacker(p.getInputStream())) {
            in.write(TransportCodec.pack(map("cmd", 0x01, "schema", "Notes", "key", 1)));
            in.write(TransportCodec.pack(map("cmd", 0x03, "schema", "Notes", "record", map("id", 2, "text", MARKER + "2"))));
            in.flush();
            Map<?, ?> read = (Map<?, ?>) TransportCodec.read(out);
            assertEquals(0L, read.get("status"), () -> read + "\n" + readLog(log));
            assertEquals(MARKER, ((Map<?, ?>) read.get("data")).get("text"));
            Map<?, ?> wrote = (Map<?, ?>) TransportCodec.read(out);
            assertEquals(0L, wrote.get("status"), wrote::toString);
            in.close();
            assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        } finally {
            p.destroyForcibly();
        }
        assertEquals(0, p.exitValue(), readLog(log));
        assertFalse(readLog(log).contains("horse"), readLog(log));
        assertNotAPlainDatabase(f);
        assertEquals(MARKER + "2", text(f, DatabaseOptions.defaults().withKey(PASSPHRASE.toCharArray()), 2));
        // key --db: the raw key with the salt, which opens the file without the passphrase
        Result key = process(Map.of("ANCDB_KEY", PASSPHRASE), "key", "--db", f.toString());
        assertEquals(0, key.code(), key.stderr());
        String raw = key.stdout().strip();
        assertTrue(raw.matches("x'[0-9a-f]{96}'"), raw);
        assertEquals(MARKER + "2", text(f, DatabaseOptions.defaults().withKey(raw.toCharArray()), 2));
        Result wrong = process(Map.of("ANCDB_KEY", "not the passphrase"), "key", "--db", f.toString());
        assertEquals(1, wrong.code(), wrong.stderr());
        assertTrue(wrong.stderr().contains("106"), wrong.stderr());
    }

    /** key --db writes nothing: a rollback-journal file and a WAL file keep every byte (no journal-mode switch). */
    @Test
    void theKeyCommandWritesNothing() throws Exception {
        for (DatabaseOptions.JournalMode mode : DatabaseOptions.JournalMode.values()) {
            Path f = encrypted("key-" + mode + ".db", DatabaseOptions.defaults().withJournalMode(mode)
                    .withKey(PASSPHRASE.toCharArray()));
            byte[] before = Files.readAllBytes(f);
            Result key = process(Map.of("ANCDB_KEY", PASSPHRASE), "key", "--db", f.toString());
            assertEquals(0, key.code(), key.stderr());
            assertTrue(key.stdout().strip().matches("x'[0-9a-f]{96}'"), key.stdout());
            assertArrayEquals(before, Files.readAllBytes(f), mode + ": key changed the file");
        }
    }

    /** serve --key-file: a request over TCP on an encrypted file; the log says so, never the key. */
    @Test
    void serveAnEncryptedFileWithAKeyFile() throws Exception {
        Path f = encrypted("serve.db", DatabaseOptions.defaults().withRawKey(HexFormat.of().parseHex(RAW_HEX)));
        Path key = keyFile("serve.key", "x'" + RAW_HEX + "'\n");
        try (TransportTestSupport.ServerProcess s = TransportTestSupport.ServerProcess.start(dir, NO_ENV, "serve",
                "--db", f.toString(), "--port", "0", "--key-file", key.toString());
             TransportTestSupport.Wire w = TransportTestSupport.Wire.authenticated(s, null)) {
            assertEquals(MARKER, ((Map<?, ?>) w.ok(map("cmd", 0x01, "schema", "Notes", "key", 1))).get("text"));
            w.close();
            assertEquals(0, s.terminate(), s.log());
            assertTrue(s.log().contains("(WAL, synchronous FULL, encrypted)"), s.log());
            assertFalse(s.log().contains(RAW_HEX.substring(0, 16)), s.log());
        }
        assertNotAPlainDatabase(f);
    }

    /** demo --key-file: the demo's job on an encrypted file the sqlite3 shell cannot read. */
    @Test
    void theDemoRunsEncrypted() throws Exception {
        Path f = dir.resolve("demo.db");
        Path key = keyFile("demo.key", "x'" + RAW_HEX + "'\n");
        Result r = process(NO_ENV, "demo", "--key-file", key.toString(), f.toString());
        assertEquals(0, r.code(), r.stderr());
        assertTrue(r.stdout().contains("(encrypted: SQLCipher 4 format)"), r.stdout());
        assertTrue(r.stdout().contains("integrity check: ok"), r.stdout());
        assertTrue(r.stdout().contains("the stock sqlite3 shell answers \"file is not a database\""), r.stdout());
        assertFalse(r.stdout().contains(RAW_HEX), r.stdout());
        Result shell = TransportTestSupport.run(List.of("sqlite3", "-batch", f.toString(), "SELECT count(*) FROM AgentMemory;"),
                Duration.ofSeconds(60));
        assertNotEquals(0, shell.code());
        assertTrue(shell.stderr().contains("file is not a database"), shell.stderr());
        try (Database db = Database.open(f, DatabaseOptions.defaults().withRawKey(HexFormat.of().parseHex(RAW_HEX)))) {
            assertEquals("", db.integrityCheck());
        }
    }

    /** stdio --store with ANCDB_MASTER_KEY: the store's files are encrypted under keys derived from it. */
    @Test
    void aStoreServedWithItsMasterKeyInTheEnvironment() throws Exception {
        Path store = dir.resolve("pairs");
        String master = "x'" + RAW_HEX + "'";
        Map<?, ?> wrote = storeRequest(store, master, map("cmd", 0x03, "db", "acme.globex", "schema", "Notes",
                "record", map("id", 7, "text", MARKER)), true);
        assertEquals(0L, wrote.get("status"), wrote::toString);
        Map<?, ?> read = storeRequest(store, master, map("cmd", 0x01, "db", "acme.globex", "schema", "Notes",
                "key", 7), false);
        assertEquals(0L, read.get("status"), read::toString);
        assertEquals(MARKER, ((Map<?, ?>) read.get("data")).get("text"));
        Path file = store.resolve("acme.globex.db");
        TransportTestSupport.requireSqlite3();
        Result shell = TransportTestSupport.run(List.of("sqlite3", "-batch", file.toString(), "SELECT count(*) FROM Notes;"),
                Duration.ofSeconds(60));
        assertTrue(shell.stderr().contains("file is not a database"), shell.stderr());
        assertFalse(new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1).contains(MARKER));
        // without the master key (or with another) the store does not open: exit 1, NOT_A_DATABASE
        Result none = process(NO_ENV, "stdio", "--store", store.toString());
        assertEquals(1, none.code(), none.stderr());
        assertTrue(none.stderr().contains("106"), none.stderr());
        Result other = process(Map.of("ANCDB_MASTER_KEY", "another passphrase"), "stdio", "--store", store.toString());
        assertEquals(1, other.code(), other.stderr());
        assertTrue(other.stderr().contains("106"), other.stderr());
        // the one-shot commands take the master key the same way
        Result get = process(Map.of("ANCDB_MASTER_KEY", master), "get", "--store", store.toString(), "--db",
                "acme.globex", "--schema", "Notes", "--key", "7");
        assertEquals(0, get.code(), get.stderr());
        assertTrue(get.stdout().contains(MARKER), get.stdout());
        Result getWithout = process(NO_ENV, "get", "--store", store.toString(), "--db", "acme.globex", "--schema",
                "Notes", "--key", "7");
        assertEquals(1, getWithout.code(), getWithout.stderr());
        assertTrue(getWithout.stderr().contains("106"), getWithout.stderr());
        Run getWrongKind = inProcess(Map.of("ANCDB_KEY", master), "get", "--store", store.toString(), "--db",
                "acme.globex", "--schema", "Notes", "--key", "7");
        assertEquals(2, getWrongKind.code(), getWrongKind.err());
        // key: that one file's raw key, which opens it in the SQLCipher oracle and is not the master key
        Result key = process(Map.of("ANCDB_MASTER_KEY", master), "key", "--store", store.toString(), "--db",
                "acme.globex");
        assertEquals(0, key.code(), key.stderr());
        String fileKey = key.stdout().strip();
        assertTrue(fileKey.matches("x'[0-9a-f]{96}'"), fileKey);
        assertFalse(fileKey.contains(RAW_HEX), "the master key is not the file's key");
        assertEquals(MARKER, text(file, DatabaseOptions.defaults().withKey(fileKey.toCharArray()), 7));
        Result keyMissing = process(Map.of("ANCDB_MASTER_KEY", master), "key", "--store", store.toString(), "--db",
                "acme.initech");
        assertEquals(9, keyMissing.code(), keyMissing.stderr());
        Run keyWithout = inProcess(NO_ENV, "key", "--store", store.toString(), "--db", "acme.globex");
        assertEquals(2, keyWithout.code(), keyWithout.err());
        // a file's key with --store is a usage error
        Run wrongKind = inProcess(Map.of("ANCDB_KEY", master), "stdio", "--store", store.toString());
        assertEquals(2, wrongKind.code(), wrongKind.err());
    }

    /** One request to a child {@code stdio --store} whose master key is in its environment (the schema first). */
    private Map<?, ?> storeRequest(Path store, String master, Map<String, Object> request, boolean define)
            throws Exception {
        ProcessBuilder pb = new ProcessBuilder(TransportTestSupport.mainCommand("stdio", "--store", store.toString()));
        pb.environment().keySet().removeAll(List.of("ANCDB_KEY", "ANCDB_MASTER_KEY", "ANCDB_TOKEN"));
        pb.environment().put("ANCDB_MASTER_KEY", master);
        Path log = dir.resolve("store-stdio.log");
        Process p = pb.redirectError(log.toFile()).start();
        try (OutputStream in = p.getOutputStream();
             MessageUnpacker out = MessagePack.newDefaultUnpacker(p.getInputStream())) {
            if (define) {
                in.write(TransportCodec.pack(map("cmd", 0x20, "schema", "Notes", "fields", List.of(
                        map("name", "id", "type", "u64", "primary_key", true),
                        map("name", "text", "type", "str")))));
                in.flush();
                Map<?, ?> defined = (Map<?, ?>) TransportCodec.read(out);
                assertEquals(0L, defined.get("status"), () -> defined + "\n" + readLog(log));
            }
            in.write(TransportCodec.pack(request));
            in.flush();
            Map<?, ?> answer = (Map<?, ?>) TransportCodec.read(out);
            in.close();
            assertTrue(p.waitFor(60, TimeUnit.SECONDS));
            assertEquals(0, p.exitValue(), readLog(log));
            assertFalse(readLog(log).contains(RAW_HEX), readLog(log));
            return answer;
        } finally {
            p.destroyForcibly();
        }
    }

    private static String readLog(Path log) {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "<" + e + ">";
        }
    }
}

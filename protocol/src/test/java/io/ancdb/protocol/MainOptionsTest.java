package io.ancdb.protocol;

import io.ancdb.DatabaseOptions;
import io.ancdb.DatabaseOptions.JournalMode;
import io.ancdb.DatabaseOptions.Synchronous;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The command line of ancdb.jar: options, usage errors (exit 2), help per command, what reaches the database. */
class MainOptionsTest {
    private static final Map<String, String> NO_ENV = Map.of();

    /** Exit code, standard output and standard error of one in-process run of the command line. */
    private record Run(int code, String out, String err) {
    }

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(args, NO_ENV, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void limitOptionsAreParsed() throws Exception {
        Main.Options o = Main.parse(new String[] {"serve", "--db", "x.db", "--max-batch", "10",
                "--max-message-bytes=4096", "--max-value-bytes", "100", "--max-depth", "8", "--lock-timeout", "2"}, NO_ENV);
        assertEquals(10, o.limits().maxBatch());
        assertEquals(4096, o.limits().maxMessageBytes());
        assertEquals(100, o.limits().maxStringBytes());
        assertEquals(100, o.limits().maxBinaryBytes());
        assertEquals(8, o.limits().maxDepth());
        assertEquals(Duration.ofSeconds(2), o.limits().lockTimeout());
        assertEquals(Limits.defaults(), Main.parse(new String[] {"stdio", "--db", "x.db"}, NO_ENV).limits());
        assertEquals(Duration.ofSeconds(3), Main.parse(new String[] {"stdio", "--db", "x.db", "--lock-timeout", "3"},
                NO_ENV).limits().lockTimeout());
    }

    @Test
    void serverOptionsAndTheToken() throws Exception {
        Main.Options o = Main.parse(new String[] {"serve", "--db", "x.db", "--port", "0"}, NO_ENV);
        assertEquals("127.0.0.1", o.host());
        assertEquals(0, o.port());
        assertNull(o.token());
        assertEquals(DatabaseOptions.defaults(), o.storage());
        assertEquals(512, o.maxConnections());
        assertEquals(Duration.ZERO, o.idleTimeout());
        o = Main.parse(new String[] {"serve", "--db=x.db", "--host", "0.0.0.0", "--token", "t",
                "--max-connections", "3", "--idle-timeout", "9"}, NO_ENV);
        assertEquals(Main.DEFAULT_PORT, o.port());
        assertEquals("0.0.0.0", o.host());
        assertEquals("t", o.token());
        assertEquals(3, o.maxConnections());
        assertEquals(Duration.ofSeconds(9), o.idleTimeout());
        assertEquals("env", Main.parse(new String[] {"serve", "--db", "x"}, Map.of("ANCDB_TOKEN", "env")).token());
        assertEquals("flag", Main.parse(new String[] {"serve", "--db", "x", "--token", "flag"},
                Map.of("ANCDB_TOKEN", "env")).token());
        assertEquals(Path.of("ancdb-demo.db"), Main.parse(new String[] {"demo"}, NO_ENV).db());
        assertEquals(Path.of("d.db"), Main.parse(new String[] {"demo", "d.db"}, NO_ENV).db());
        Main.Options stdio = Main.parse(new String[] {"stdio", "--db", "s.db"}, NO_ENV);
        assertEquals("stdio", stdio.command());
        assertEquals(DatabaseOptions.defaults(), stdio.storage());
    }

    /**
     * A server opens its file with the library's defaults (WAL, synchronous FULL, normal locking)
     * and group commit unless --journal, --synchronous, --exclusive-locking or --no-group-commit say
     * otherwise; --wal, which switched WAL
     * on when DELETE was the default, is still accepted and changes nothing.
     */
    @Test
    void storageOptions() throws Exception {
        for (String command : List.of("serve", "stdio")) {
            DatabaseOptions d = Main.databaseOptions(Main.parse(new String[] {command, "--db", "x"}, NO_ENV));
            assertEquals(JournalMode.WAL, d.journalMode());
            assertEquals(Synchronous.FULL, d.synchronous());
            assertFalse(d.exclusiveLocking());
            assertTrue(d.groupCommit());
            assertEquals(d.withGroupCommit(false), Main.databaseOptions(Main.parse(new String[] {command, "--db", "x",
                    "--no-group-commit"}, NO_ENV)));
            assertEquals(d, Main.databaseOptions(Main.parse(new String[] {command, "--db", "x", "--wal"}, NO_ENV)));
            assertEquals(d, Main.databaseOptions(Main.parse(new String[] {command, "--db", "x", "--journal", "WAL"},
                    NO_ENV)));
            DatabaseOptions asked = Main.databaseOptions(Main.parse(new String[] {command, "--db", "x",
                    "--journal", "delete", "--synchronous", "normal", "--exclusive-locking"}, NO_ENV));
            assertEquals(d.withJournalMode(JournalMode.DELETE).withSynchronous(Synchronous.NORMAL)
                    .withExclusiveLocking(true), asked);
            assertEquals(Synchronous.EXTRA, Main.parse(new String[] {command, "--db", "x", "--synchronous=extra"},
                    NO_ENV).storage().synchronous());
        }
        Run contradiction = run("serve", "--db", "x", "--wal", "--journal", "delete");
        assertEquals(2, contradiction.code());
        assertTrue(contradiction.err().contains("--wal and --journal delete contradict each other"), contradiction.err());
        Run unknown = run("stdio", "--db", "x", "--journal", "memory");
        assertEquals(2, unknown.code());
        assertTrue(unknown.err().contains("--journal must be one of delete, wal, got 'memory'"), unknown.err());
    }

    @Test
    void badCommandLinesAreUsageErrors() {
        for (String[] bad : List.of(
                new String[] {},
                new String[] {"bogus"},
                new String[] {"serve"},
                new String[] {"serve", "--db"},
                new String[] {"serve", "--db", "x", "--port", "70000"},
                new String[] {"serve", "--db", "x", "--port", "-1"},
                new String[] {"serve", "--db", "x", "--port", "abc"},
                new String[] {"serve", "--db", "x", "--frobnicate"},
                new String[] {"serve", "--db", "x", "extra"},
                new String[] {"serve", "--db", "x", "--token", ""},
                new String[] {"serve", "--db", "x", "--wal=yes"},
                new String[] {"serve", "--db", "x", "--journal"},
                new String[] {"serve", "--db", "x", "--journal", "truncate"},
                new String[] {"serve", "--db", "x", "--synchronous", "sometimes"},
                new String[] {"serve", "--db", "x", "--exclusive-locking=maybe"},
                new String[] {"stdio", "--db", "x", "--wal", "--journal", "delete"},
                new String[] {"serve", "--db", "x", "--max-batch", "0"},
                new String[] {"serve", "--db", "x", "--max-depth", "2"},
                new String[] {"serve", "--db", "x", "--lock-timeout", "-1"},
                new String[] {"stdio"},
                new String[] {"demo", "a", "b"})) {
            Main.UsageException e = assertThrows(Main.UsageException.class, () -> Main.parse(bad, NO_ENV),
                    () -> String.join(" ", bad));
            assertTrue(e.getMessage() != null && !e.getMessage().isBlank(), String.join(" ", bad));
            Run r = run(bad);
            assertEquals(2, r.code(), () -> String.join(" ", bad) + ": " + r.err());
            assertTrue(r.err().contains("Usage: java -jar ancdb.jar"), r.err());
            assertEquals("", r.out());
        }
        assertThrows(Main.UsageException.class, () -> Main.parse(new String[] {"serve", "--db", "x"},
                Map.of("ANCDB_TOKEN", "")));
        Run nope = run("serve", "--port", "nope");
        assertTrue(nope.err().contains("'nope' is not an int"), nope.err());
    }

    /** Options of one command are refused by the others (they were accepted and ignored before). */
    @Test
    void optionsThatDoNotApplyAreRefused() {
        for (String[] bad : List.of(
                new String[] {"demo", "--wal"},
                new String[] {"demo", "--journal", "delete"},
                new String[] {"demo", "--db", "d.db"},
                new String[] {"demo", "--lock-timeout", "1"},
                new String[] {"demo", "--no-group-commit"},
                new String[] {"stdio", "--db", "x", "--max-connections", "5"},
                new String[] {"stdio", "--db", "x", "--idle-timeout", "5"},
                new String[] {"stdio", "--db", "x", "--port", "1"},
                new String[] {"stdio", "--db", "x", "--host", "0.0.0.0"},
                new String[] {"stdio", "--db", "x", "--token", "t"})) {
            Run r = run(bad);
            assertEquals(2, r.code(), () -> String.join(" ", bad) + ": " + r.err());
            String option = bad[bad.length - 1].startsWith("--") ? bad[bad.length - 1] : bad[bad.length - 2];
            assertTrue(r.err().startsWith("ancdb: Unknown option") && r.err().contains("'" + option + "'"), r.err());
            assertTrue(r.err().contains("Usage: java -jar ancdb.jar " + bad[0]), r.err());
        }
    }

    @Test
    void everyCommandHasItsOwnHelp() throws Exception {
        Run serve = run("serve", "--help");
        assertEquals(0, serve.code());
        for (String option : List.of("--db", "--port", "--host", "--token", "--wal", "--journal", "--synchronous",
                "--exclusive-locking", "--no-group-commit", "--max-connections",
                "--idle-timeout", "--max-message-bytes", "--max-value-bytes", "--max-depth", "--max-batch",
                "--lock-timeout", "ANCDB_TOKEN")) {
            assertTrue(serve.out().contains(option), option + " in\n" + serve.out());
        }
        Run stdio = run("stdio", "-h");
        assertEquals(0, stdio.code());
        assertTrue(stdio.out().contains("--lock-timeout") && stdio.out().contains("--wal")
                && stdio.out().contains("--journal") && stdio.out().contains("--exclusive-locking")
                && stdio.out().contains("--no-group-commit"), stdio.out());
        assertFalse(serve.out().contains("default DELETE"), serve.out());
        assertFalse(stdio.out().contains("--max-connections") || stdio.out().contains("--port"), stdio.out());
        Run demo = run("demo", "--help");
        assertEquals(0, demo.code());
        assertTrue(demo.out().contains("FILE"), demo.out());
        assertFalse(demo.out().contains("--wal") || demo.out().contains("--journal"), demo.out());
        Run top = run("--help");
        assertEquals(0, top.code());
        assertTrue(top.out().contains("serve") && top.out().contains("stdio") && top.out().contains("demo"), top.out());
        assertTrue(top.out().contains("Exit codes"), top.out());
        assertEquals(serve.out(), run("help", "serve").out());
        assertNull(assertThrows(Main.UsageException.class, () -> Main.parse(new String[] {"--help"}, NO_ENV))
                .getMessage());
        assertNull(assertThrows(Main.UsageException.class, () -> Main.parse(new String[] {"serve", "--help"}, NO_ENV))
                .getMessage());
    }

    /** The database's busy timeout (locks of other processes) follows --lock-timeout. */
    @Test
    void lockTimeoutIsTheDatabaseBusyTimeout() throws Exception {
        assertEquals(Duration.ZERO, Main.databaseOptions(Main.parse(new String[] {"serve", "--db", "x", "--lock-timeout",
                "0"}, NO_ENV)).busyTimeout());
        assertEquals(Duration.ofSeconds(7), Main.databaseOptions(Main.parse(new String[] {"stdio", "--db", "x",
                "--lock-timeout", "7"}, NO_ENV)).busyTimeout());
        assertEquals(Limits.defaults().lockTimeout(), Main.databaseOptions(Main.parse(new String[] {"serve", "--db",
                "x"}, NO_ENV)).busyTimeout());
    }
}

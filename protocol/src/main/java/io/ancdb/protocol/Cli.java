package io.ancdb.protocol;

import io.ancdb.DatabaseOptions;
import io.ancdb.DatabaseOptions.JournalMode;
import io.ancdb.DatabaseOptions.Synchronous;
import io.ancdb.store.StoreOptions;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;

/**
 * The grammar of {@code java -jar ancdb.jar}, parsed by picocli. Each
 * subcommand declares only the options that apply to it, so {@code demo --wal}
 * or {@code stdio --max-connections 5} is a usage error (exit 2, the message
 * above the subcommand's usage) instead of an option silently ignored; every
 * one has {@code --help}. A parsed subcommand becomes one {@link Main.Options};
 * {@link Main} runs it.
 */
final class Cli {
    static final String NAME = "java -jar ancdb.jar";
    static final String DEFAULT_HOST = "127.0.0.1";
    static final int DEFAULT_PORT = 7070;
    static final int DEFAULT_MAX_CONNECTIONS = 512;

    private Cli() {
    }

    /** A subcommand whose options are complete once the environment (ANCDB_TOKEN) is known. */
    interface Invocation {
        Main.Options options(Map<String, String> env);
    }

    /**
     * A fresh command line (picocli keeps parsed values in the command
     * objects: one per parse). A usage error prints its message and the usage
     * of the command it concerns, always (picocli's default shows only
     * suggestions for a mistyped option), and exits 2.
     */
    static CommandLine commandLine() {
        return new CommandLine(new Root()).setUsageHelpWidth(100).setParameterExceptionHandler((e, args) -> {
            CommandLine c = e.getCommandLine();
            c.getErr().println("ancdb: " + e.getMessage());
            c.usage(c.getErr());
            return c.getCommandSpec().exitCodeOnInvalidInput();
        });
    }

    /** The options of the subcommand {@code parsed} selected; a usage error when none was given. */
    static Main.Options options(ParseResult parsed, Map<String, String> env) {
        ParseResult last = parsed;
        while (last.subcommand() != null) {
            last = last.subcommand();
        }
        if (!(last.commandSpec().userObject() instanceof Invocation invocation)) {
            throw new ParameterException(parsed.commandSpec().commandLine(), "no command given");
        }
        return invocation.options(env);
    }

    @Command(name = NAME, synopsisSubcommandLabel = "COMMAND",
            description = "ANC-DB: typed records in a plain SQLite file, spoken to in MessagePack.",
            subcommands = {ServeCommand.class, StdioCommand.class, DemoCommand.class, OneShot.PutCommand.class,
                    OneShot.GetCommand.class, OneShot.ScanCommand.class, KeyExport.class, CommandLine.HelpCommand.class},
            footer = {"", "Exit codes: 0 ok (also after SIGTERM / SIGINT), 1 runtime failure, 2 usage error;",
                    "put / get / scan also 3, 4, 5, 9, 10 (see their --help).",
                    "'" + NAME + " COMMAND --help' describes one command."})
    static final class Root {
        @Mixin
        HelpOption help;
    }

    /** {@code -h}, {@code --help}: every command's own usage, exit 0. */
    static final class HelpOption {
        @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
        boolean help;
    }

    /**
     * {@code --db FILE} and how it is opened: {@link DatabaseOptions#defaults()} (WAL, synchronous
     * FULL, normal locking, group commit) unless {@code --journal}, {@code --synchronous},
     * {@code --exclusive-locking} or {@code --no-group-commit} say otherwise. {@code --wal} switched WAL on when DELETE was the
     * default; it is still accepted (scripts pass it) and changes nothing.
     */
    static final class DatabaseFile {
        @Spec(Spec.Target.MIXEE)
        CommandSpec spec;
        private JournalMode journal;
        private Synchronous synchronous;

        @Option(names = "--db", paramLabel = "FILE", description = "The database file (created when missing).")
        Path db;

        @Option(names = "--store", paramLabel = "DIR",
                description = "Serve a store instead: a directory of database files, each request naming its db.")
        Path store;

        /** Exactly one of --db and --store. */
        void requireOne() {
            if ((db == null) == (store == null)) {
                throw new ParameterException(spec.commandLine(), db == null
                        ? "Missing required option: '--db=FILE' (or '--store=DIR')"
                        : "--db and --store exclude each other");
            }
            if (store != null && exclusiveLocking) {
                throw new ParameterException(spec.commandLine(),
                        "--exclusive-locking does not apply to a store (its files are shared with one-shot processes)");
            }
        }

        @Option(names = "--journal", paramLabel = "MODE",
                description = "Journal mode: wal (the default: readers never wait for the writer) or delete.")
        void journal(String mode) {
            journal = choice(spec, "--journal", mode, JournalMode.class);
        }

        @Option(names = "--synchronous", paramLabel = "LEVEL",
                description = "When a commit reaches the disk: full (the default: synced before it is acknowledged),"
                        + " extra, normal (in WAL: a power loss may lose the last commits), off.")
        void synchronous(String level) {
            synchronous = choice(spec, "--synchronous", level, Synchronous.class);
        }

        @Option(names = "--exclusive-locking",
                description = "Hold the file's lock while open: faster reads, but no other process may open the file.")
        boolean exclusiveLocking;

        @Option(names = "--wal", description = "Accepted and ignored: WAL is the default (--journal wal).")
        boolean wal;

        @Option(names = "--no-group-commit",
                description = "Commit every write outside BeginTx alone (by default writes of several connections"
                        + " that arrive together share one commit and one sync).")
        boolean noGroupCommit;

        /**
         * The options the file (or each file of the store, from the store's defaults) is opened with
         * (the busy timeout follows --lock-timeout: see Main).
         */
        DatabaseOptions storage() {
            requireOne();
            if (wal && journal == JournalMode.DELETE) {
                throw new ParameterException(spec.commandLine(), "--wal and --journal delete contradict each other");
            }
            DatabaseOptions base = store != null ? StoreOptions.defaults().fileOptions() : DatabaseOptions.defaults();
            DatabaseOptions o = base.withExclusiveLocking(exclusiveLocking).withGroupCommit(!noGroupCommit);
            if (journal != null) {
                o = o.withJournalMode(journal);
            }
            return synchronous != null ? o.withSynchronous(synchronous) : o;
        }
    }

    /** The protocol limits, shared by both servers. */
    static final class LimitOptions {
        @Spec(Spec.Target.MIXEE)
        CommandSpec spec;
        private Limits limits = Limits.defaults();

        @Option(names = "--max-message-bytes", paramLabel = "N", description = "Largest request accepted (default 16 MiB).")
        void maxMessageBytes(int n) {
            limits = limits.withMaxMessageBytes(inRange(spec, "--max-message-bytes", n, 64, Integer.MAX_VALUE - 64));
        }

        @Option(names = "--max-value-bytes", paramLabel = "N", description = "Largest single string or binary value (default 16 MiB).")
        void maxValueBytes(int n) {
            int v = inRange(spec, "--max-value-bytes", n, 1, Integer.MAX_VALUE - 64);
            limits = limits.withMaxStringBytes(v).withMaxBinaryBytes(v);
        }

        @Option(names = "--max-depth", paramLabel = "N", description = "Deepest nesting of arrays and maps (default 32).")
        void maxDepth(int n) {
            limits = limits.withMaxDepth(inRange(spec, "--max-depth", n, 3, 1000));
        }

        @Option(names = "--max-batch", paramLabel = "N", description = "Records per BatchWrite (default 1000).")
        void maxBatch(int n) {
            limits = limits.withMaxBatch(inRange(spec, "--max-batch", n, 1, 1_000_000));
        }

        @Option(names = "--lock-timeout", paramLabel = "S",
                description = "Longest wait, in seconds, for a lock held by this process or another (default 5; 0 never waits).")
        void lockTimeout(int s) {
            limits = limits.withLockTimeout(Duration.ofSeconds(inRange(spec, "--lock-timeout", s, 0, 86_400)));
        }

        Limits limits() {
            return limits;
        }
    }

    /** What both servers take: the file, the protocol limits, help. */
    abstract static class ServerCommand implements Invocation {
        @Mixin
        DatabaseFile file;
        @Mixin
        LimitOptions limits;
        @Mixin
        KeyOptions key;
        @Mixin
        HelpOption help;

        /** --db: the file's options with its key (--key-file / ANCDB_KEY); --store: the store files' options. */
        DatabaseOptions fileOptions(Map<String, String> env) {
            DatabaseOptions o = file.storage();
            return file.store == null ? key.withKey(o, env) : o;
        }

        /** --store: the store's master key (--master-key-file / ANCDB_MASTER_KEY), or null; --db: none. */
        MasterKeySource masterKey(Map<String, String> env) {
            return file.store == null ? null : key.masterKey(env);
        }
    }

    @Command(name = "serve", header = "Serve MessagePack requests over TCP.",
            description = {"Serve MessagePack requests over TCP until SIGTERM / SIGINT (open transactions are",
                    "rolled back, the file closed, exit 0). Prints \"listening on HOST:PORT\" once bound.",
                    "With a token (--token, or the environment variable ANCDB_TOKEN, which does not show",
                    "in ps) every connection must authenticate first (command 0x30)."})
    static final class ServeCommand extends ServerCommand {
        @Spec
        CommandSpec spec;
        private int port = DEFAULT_PORT;
        private String host = DEFAULT_HOST;
        private int maxConnections = DEFAULT_MAX_CONNECTIONS;
        private Duration idleTimeout = Duration.ZERO;

        @Option(names = "--port", paramLabel = "N", description = "TCP port (default 7070; 0 picks a free one).")
        void port(int n) {
            port = inRange(spec, "--port", n, 0, 65535);
        }

        @Option(names = "--host", paramLabel = "ADDR", description = "Address to bind (default 127.0.0.1: loopback only).")
        void host(String h) {
            if (h.isEmpty()) {
                throw new ParameterException(spec.commandLine(), "--host needs an address");
            }
            host = h;
        }

        @Option(names = "--token", paramLabel = "T", description = "Token every connection must send first (or ANCDB_TOKEN).")
        String token;

        @Option(names = "--token-file", paramLabel = "F",
                description = "With --store: the store's token file (parties and administrators, hashed).")
        Path tokenFile;

        @Option(names = "--max-connections", paramLabel = "N", description = "Connections served at once (default 512).")
        void maxConnections(int n) {
            maxConnections = inRange(spec, "--max-connections", n, 1, 1_000_000);
        }

        @Option(names = "--idle-timeout", paramLabel = "S", description = "Close a connection idle S seconds (default 0: never).")
        void idleTimeout(int s) {
            idleTimeout = Duration.ofSeconds(inRange(spec, "--idle-timeout", s, 0, 86_400 * 365));
        }

        @Override
        public Main.Options options(Map<String, String> env) {
            String t = token != null ? token : env.get("ANCDB_TOKEN");
            if (t != null && t.isEmpty()) {
                throw new ParameterException(spec.commandLine(), "the token must not be empty");
            }
            if (tokenFile != null && file.store == null) {
                throw new ParameterException(spec.commandLine(), "--token-file needs --store");
            }
            return new Main.Options("serve", file.db, file.store, tokenFile, host, port, t, fileOptions(env),
                    masterKey(env), maxConnections,
                    idleTimeout, limits.limits());
        }
    }

    @Command(name = "stdio", header = "Serve one session over stdin/stdout.",
            description = {"Serve one session over stdin/stdout (logs on stderr); ends at end of input."})
    static final class StdioCommand extends ServerCommand {
        @Override
        public Main.Options options(Map<String, String> env) {
            return local("stdio", file.db, file.store, fileOptions(env), masterKey(env), limits.limits());
        }
    }

    @Command(name = "demo", header = "Run the demo on FILE and show how the sqlite3 shell opens it.",
            description = {"Define the AgentMemory schema on FILE, batch-write, read, range-scan, update and",
                    "delete through MessagePack commands, and print how to open FILE with the sqlite3 shell."})
    static final class DemoCommand implements Invocation {
        @Parameters(arity = "0..1", paramLabel = "FILE", defaultValue = Demo.DEFAULT_FILE,
                description = "The database file (default ${DEFAULT-VALUE}).")
        Path db;

        @Mixin
        KeyOptions key;
        @Mixin
        HelpOption help;

        @Override
        public Main.Options options(Map<String, String> env) {
            return local("demo", db, null, key.withKey(DatabaseOptions.defaults(), env), null, Limits.defaults());
        }
    }

    /** Options of a command that opens no socket: the network fields keep their defaults. */
    private static Main.Options local(String command, Path db, Path store, DatabaseOptions storage,
                                      MasterKeySource masterKey, Limits limits) {
        return new Main.Options(command, db, store, null, DEFAULT_HOST, DEFAULT_PORT, null, storage, masterKey,
                DEFAULT_MAX_CONNECTIONS, Duration.ZERO, limits);
    }

    /** The constant of {@code type} named {@code value}, in any case; a usage error naming the choices else. */
    private static <E extends Enum<E>> E choice(CommandSpec spec, String option, String value, Class<E> type) {
        for (E e : type.getEnumConstants()) {
            if (e.name().equalsIgnoreCase(value)) {
                return e;
            }
        }
        StringBuilder names = new StringBuilder();
        for (E e : type.getEnumConstants()) {
            names.append(names.isEmpty() ? "" : ", ").append(e.name().toLowerCase(Locale.ROOT));
        }
        throw new ParameterException(spec.commandLine(), option + " must be one of " + names + ", got '" + value
                + "'");
    }

    private static int inRange(CommandSpec spec, String name, int v, int min, int max) {
        if (v < min || v > max) {
            throw new ParameterException(spec.commandLine(), name + " must be between " + min + " and " + max
                    + ", got " + v);
        }
        return v;
    }
}

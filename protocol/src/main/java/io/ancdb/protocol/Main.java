package io.ancdb.protocol;

import io.ancdb.Database;
import io.ancdb.DatabaseKey;
import io.ancdb.DatabaseOptions;
import io.ancdb.store.Store;
import io.ancdb.store.StoreOptions;
import io.ancdb.store.TokenFile;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;

/**
 * {@code java -jar ancdb.jar}: the TCP server, the stdio server and the demo.
 * The command line is parsed by {@link Cli} (picocli); {@code --help} on any
 * command describes it. Exit codes: 0 ok (also after SIGTERM / SIGINT, once
 * connections are closed and the file is closed), 1 runtime failure, 2 usage
 * error.
 */
public final class Main {
    static final int DEFAULT_PORT = Cli.DEFAULT_PORT;

    /** A parsed command line. */
    record Options(String command, Path db, Path store, Path tokenFile, String host, int port, String token,
                   DatabaseOptions storage, MasterKeySource masterKey, int maxConnections, Duration idleTimeout,
                   Limits limits) {
    }

    /** A bad command line (message printed above the usage, exit 2), or a null message for --help. */
    static final class UsageException extends Exception {
        private static final long serialVersionUID = 1L;

        UsageException(String message) {
            super(message);
        }
    }

    private Main() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.getenv()));
    }

    /** Parses and runs {@code args}; returns the exit code. */
    static int run(String[] args, Map<String, String> env) {
        return run(args, env, new PrintWriter(System.out, true), new PrintWriter(System.err, true));
    }

    /** As {@link #run(String[], Map)}, with help on {@code out} and usage errors on {@code err}. */
    static int run(String[] args, Map<String, String> env, PrintWriter out, PrintWriter err) {
        CommandLine cl = Cli.commandLine().setOut(out).setErr(err);
        cl.setExecutionStrategy(parsed -> {
            Integer help = CommandLine.executeHelpRequest(parsed);
            if (help != null) {
                return help;
            }
            if (isHelpCommand(parsed)) {
                return new CommandLine.RunLast().execute(parsed);
            }
            if (last(parsed).commandSpec().userObject() instanceof OneShot.Run oneShot) {
                return oneShot.run(out, err, env);
            }
            Options o = Cli.options(parsed, env);      // a ParameterException here is a usage error: exit 2
            try {
                return execute(o);
            } catch (IOException | RuntimeException e) {
                Transport.log("failed: " + describe(e));
                return 1;
            }
        });
        return cl.execute(args);
    }

    private static ParseResult last(ParseResult parsed) {
        ParseResult p = parsed;
        while (p.subcommand() != null) {
            p = p.subcommand();
        }
        return p;
    }

    private static boolean isHelpCommand(ParseResult parsed) {
        return parsed.subcommand() != null
                && parsed.subcommand().commandSpec().userObject() instanceof CommandLine.HelpCommand;
    }

    /**
     * Parses {@code args} without running anything; {@code env} supplies
     * ANCDB_TOKEN. A usage error, or --help (null message), is a UsageException.
     */
    static Options parse(String[] args, Map<String, String> env) throws UsageException {
        try {
            ParseResult parsed = Cli.commandLine().parseArgs(args);
            for (ParseResult p = parsed; p != null; p = p.subcommand()) {
                if (p.isUsageHelpRequested() || p.commandSpec().userObject() instanceof CommandLine.HelpCommand) {
                    throw new UsageException(null);
                }
            }
            return Cli.options(parsed, env);
        } catch (ParameterException e) {
            throw new UsageException(e.getMessage());
        }
    }

    static int execute(Options o) throws IOException {
        try {
            return switch (o.command()) {
                case "serve" -> serve(o);
                case "stdio" -> stdio(o);
                case "demo" -> Demo.run(o.db(), o.storage(), System.out);
                default -> throw new IllegalStateException(o.command());
            };
        } finally {
            DatabaseKey key = o.storage().key();
            if (key != null) {
                key.close();     // Database.open wiped it already, unless the command failed before opening
            }
            if (o.masterKey() != null) {
                o.masterKey().close();
            }
        }
    }

    /**
     * The database options of a server: those its command line asked for
     * ({@link DatabaseOptions#defaults()} unless told otherwise), with a busy
     * timeout equal to the lock timeout, so a lock held by another process is
     * waited for exactly as long as one held inside this process (and never
     * with {@code --lock-timeout 0}).
     */
    static DatabaseOptions databaseOptions(Options o) {
        return o.storage().withBusyTimeout(o.limits().lockTimeout());
    }

    /** How the file is opened, for the log: "WAL, synchronous FULL" (and ", exclusive locking", ", encrypted"). */
    private static String describeStorage(DatabaseOptions d) {
        return d.journalMode() + ", synchronous " + d.synchronous() + (d.exclusiveLocking() ? ", exclusive locking" : "")
                + (d.key() != null ? ", encrypted" : "");
    }

    /**
     * Everything a server holds, closed once in order: the transport (which
     * closes the sessions and so rolls back their transactions), then the
     * dispatcher, then the database. Shared by the main thread and the
     * shutdown hook.
     */
    private static final class Running {
        private final AutoCloseable db;
        private final CommandDispatcher dispatcher;
        private final BooleanSupplier stopTransport;
        private final ReentrantLock lock = new ReentrantLock();   // not synchronized: closing calls native code
        private Integer exitCode;

        Running(AutoCloseable db, CommandDispatcher dispatcher, BooleanSupplier stopTransport) {
            this.db = db;
            this.dispatcher = dispatcher;
            this.stopTransport = stopTransport;
        }

        int shutdown(String why, int code) {
            lock.lock();
            try {
                return shutdownOnce(why, code);
            } finally {
                lock.unlock();
            }
        }

        private int shutdownOnce(String why, int code) {
            if (exitCode != null) {
                return exitCode;
            }
            Transport.log("shutting down (" + why + ")");
            try {
                if (!stopTransport.getAsBoolean()) {
                    Transport.log("some connections did not close in time");
                    code = Math.max(code, 1);
                }
            } catch (RuntimeException e) {
                Transport.log("stopping the transport failed: " + describe(e));
                code = Math.max(code, 1);
            }
            try {
                dispatcher.close();
            } catch (RuntimeException e) {
                Transport.log("closing the dispatcher failed: " + describe(e));
                code = Math.max(code, 1);
            }
            try {
                db.close();
                Transport.log("database closed");
            } catch (Exception e) {
                Transport.log("closing the database failed: " + describe(e));
                code = Math.max(code, 1);
            }
            exitCode = code;
            return code;
        }

        /** SIGTERM / SIGINT / System.exit: shut down, then end the JVM with the right code (not 143). */
        void installHook(String name) {
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                int code = shutdown("signal or exit", 0);
                System.err.flush();
                Runtime.getRuntime().halt(code);
            }, name));
        }
    }

    /**
     * A store's options: its files opened as the command line asked, and its master key when one was
     * given ({@link MasterKey} copies it; the source is wiped once the command ends).
     */
    private static StoreOptions storeOptions(Options o) {
        return MasterKeySource.applyTo(StoreOptions.withFiles(databaseOptions(o)), o.masterKey());
    }

    /** What a server serves: serve --db's file or serve --store's store, and its dispatcher. */
    private record Served(AutoCloseable data, CommandDispatcher dispatcher, String what) {
        void closeQuietly() {
            try {
                data.close();
            } catch (Exception ignored) {
                // the failure that made the server give up is the one reported
            }
        }
    }

    /** Opens the file or the store, with a dispatcher over it taking {@code token} (and the token file). */
    private static Served open(Options o, String token) {
        Limits limits = o.limits();
        if (o.store() != null) {
            TokenFile tokens = o.tokenFile() == null ? null : TokenFile.load(o.tokenFile());
            Store store = Store.open(o.store(), storeOptions(o));
            try {
                return new Served(store, new CommandDispatcher(store, limits, token, tokens),
                        "store " + o.store().getFileName()
                                + (tokens != null ? " (" + tokens.size() + " tokens in the token file)" : ""));
            } catch (RuntimeException e) {
                store.close();
                throw e;
            }
        }
        Database db = Database.open(o.db(), databaseOptions(o));
        try {
            return new Served(db, new CommandDispatcher(db, limits, token), o.db().getFileName().toString());
        } catch (RuntimeException e) {
            db.close();
            throw e;
        }
    }

    static int serve(Options o) throws IOException {
        Limits limits = o.limits();
        Served served = open(o, o.token());
        CommandDispatcher dispatcher = served.dispatcher();
        boolean tokens = o.token() != null || o.tokenFile() != null;
        TcpServer server;
        InetSocketAddress bound;
        try {
            server = new TcpServer(dispatcher, limits, o.host(), o.port(), o.maxConnections(), o.idleTimeout(),
                    tokens);
            bound = server.bind();
        } catch (IOException | RuntimeException e) {
            served.closeQuietly();
            throw e;
        }
        Running running = new Running(served.data(), dispatcher, server::stop);
        running.installHook("ancdb-serve-shutdown");
        String host = bound.getAddress().getHostAddress();
        if (host.indexOf(':') >= 0) {
            host = "[" + host + "]";
        }
        Transport.log("serving " + served.what() + " (" + describeStorage(o.storage()) + ")"
                + (tokens ? ", token required" : ", no token")
                + (bound.getAddress().isLoopbackAddress() ? "" : ", NOT loopback: reachable from the network"));
        System.out.println("listening on " + host + ":" + bound.getPort());
        System.out.flush();
        server.acceptLoop();
        return running.shutdown("listener closed", 0);
    }

    static int stdio(Options o) {
        // Responses own stdout: anything printed by mistake goes to stderr instead.
        PrintStream stdout = new PrintStream(new FileOutputStream(FileDescriptor.out), false);
        System.setOut(System.err);
        Limits limits = o.limits();
        Served served = open(o, null);
        CommandDispatcher dispatcher = served.dispatcher();
        StdioServer server = new StdioServer(dispatcher, limits, System.in, stdout);
        Running running = new Running(served.data(), dispatcher, () -> server.stop(TcpServer.STOP_WAIT));
        running.installHook("ancdb-stdio-shutdown");
        int code = server.run();
        return running.shutdown("end of input", code);
    }

    static String describe(Throwable e) {
        String m = e.getMessage();
        return e.getClass().getSimpleName() + (m == null ? "" : ": " + m);
    }
}

package io.ancdb.protocol;

import io.ancdb.Database;
import io.ancdb.DatabaseOptions;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code java -jar ancdb.jar}: the TCP server, the stdio server and the demo.
 * See {@link #USAGE}. Exit codes: 0 ok (also after SIGTERM / SIGINT, once
 * connections are closed and the file is closed), 1 runtime failure, 2 bad
 * arguments.
 */
public final class Main {
    static final String USAGE = """
            usage: java -jar ancdb.jar COMMAND [OPTIONS]

              serve --db FILE [--port N] [--host ADDR] [--token T] [--wal]
                    [--max-connections N] [--idle-timeout SECONDS]
                  Serve MessagePack requests over TCP. Binds 127.0.0.1 unless --host
                  says otherwise; --port 0 picks a free port (default 7070). Prints
                  "listening on HOST:PORT" once bound. With a token (--token, or the
                  ANCDB_TOKEN environment variable, which does not show in ps) every
                  connection must authenticate first (command 0x30). Stops cleanly on
                  SIGTERM / SIGINT: open transactions are rolled back, the file closed.
              stdio --db FILE [--wal]
                  Serve one session over stdin/stdout (logs on stderr); ends at EOF.
              demo [FILE]
                  Run a short demo on FILE (default ancdb-demo.db).

              --wal                 open the database in WAL journal mode (default DELETE)
              --max-connections N   connections served at once (default 512)
              --idle-timeout S      close a connection idle S seconds (default 0: never)
              --max-message-bytes N largest request accepted (default 16 MiB)
              --max-value-bytes N   largest single string or binary value (default 16 MiB)
              --max-depth N         deepest nesting of arrays/maps (default 32)
              --max-batch N         records per BatchWrite (default 1000)
              --lock-timeout S      seconds to wait for the database lock (default 5)
            """;

    static final int DEFAULT_PORT = 7070;
    static final int DEFAULT_MAX_CONNECTIONS = 512;

    /** Parsed command line. */
    record Options(String command, Path db, String host, int port, String token, boolean wal,
                   int maxConnections, Duration idleTimeout, Limits limits) {
    }

    /** A bad command line: the message is printed above the usage, exit code 2. */
    static final class UsageException extends Exception {
        private static final long serialVersionUID = 1L;

        UsageException(String message) {
            super(message);
        }
    }

    private Main() {
    }

    public static void main(String[] args) {
        Options o;
        try {
            o = parse(args, System.getenv());
        } catch (UsageException e) {
            if (e.getMessage() == null) {   // --help
                System.out.print(USAGE);
                System.exit(0);
            }
            System.err.println("ancdb: " + e.getMessage());
            System.err.print(USAGE);
            System.exit(2);
            return;
        }
        int code;
        try {
            code = switch (o.command()) {
                case "serve" -> serve(o);
                case "stdio" -> stdio(o);
                case "demo" -> Demo.run(o.db(), System.out);
                default -> throw new IllegalStateException(o.command());
            };
        } catch (IOException | RuntimeException e) {
            Transport.log("failed: " + describe(e));
            code = 1;
        }
        System.exit(code);
    }

    /** Parses {@code args}; {@code env} supplies ANCDB_TOKEN. A null-message exception means --help. */
    static Options parse(String[] args, Map<String, String> env) throws UsageException {
        if (args.length == 0) {
            throw new UsageException("no command given");
        }
        String command = args[0];
        if (command.equals("-h") || command.equals("--help") || command.equals("help")) {
            throw new UsageException(null);
        }
        if (!List.of("serve", "stdio", "demo").contains(command)) {
            throw new UsageException("unknown command '" + command + "'");
        }
        Path db = null;
        String host = "127.0.0.1";
        Integer port = null;
        String token = null;
        boolean wal = false;
        int maxConnections = DEFAULT_MAX_CONNECTIONS;
        Duration idle = Duration.ZERO;
        Limits limits = Limits.defaults();
        List<String> positional = new ArrayList<>();
        for (int i = 1; i < args.length; i++) {
            String a = args[i];
            String value = null;
            int eq = a.indexOf('=');
            if (a.startsWith("--") && eq > 0) {
                value = a.substring(eq + 1);
                a = a.substring(0, eq);
            }
            switch (a) {
                case "-h", "--help" -> throw new UsageException(null);
                case "--wal" -> {
                    if (value != null) {
                        throw new UsageException("--wal takes no value");
                    }
                    wal = true;
                }
                case "--db", "--port", "--host", "--token", "--max-connections", "--idle-timeout",
                     "--max-message-bytes", "--max-value-bytes", "--max-depth", "--max-batch", "--lock-timeout" -> {
                    if (value == null) {
                        if (i + 1 >= args.length) {
                            throw new UsageException(a + " needs a value");
                        }
                        value = args[++i];
                    }
                    switch (a) {
                        case "--db" -> {
                            if (value.isEmpty()) {
                                throw new UsageException("--db needs a file name");
                            }
                            db = Path.of(value);
                        }
                        case "--port" -> port = intArg(a, value, 0, 65535);
                        case "--host" -> {
                            if (value.isEmpty()) {
                                throw new UsageException("--host needs an address");
                            }
                            host = value;
                        }
                        case "--token" -> token = value;
                        case "--max-connections" -> maxConnections = intArg(a, value, 1, 1_000_000);
                        case "--idle-timeout" -> idle = Duration.ofSeconds(intArg(a, value, 0, 86_400 * 365));
                        case "--max-message-bytes" -> limits = limits.withMaxMessageBytes(intArg(a, value, 64, Integer.MAX_VALUE - 64));
                        case "--max-value-bytes" -> {
                            int n = intArg(a, value, 1, Integer.MAX_VALUE - 64);
                            limits = limits.withMaxStringBytes(n).withMaxBinaryBytes(n);
                        }
                        case "--max-depth" -> limits = limits.withMaxDepth(intArg(a, value, 2, 1000));
                        case "--max-batch" -> limits = limits.withMaxBatch(intArg(a, value, 1, 1_000_000));
                        case "--lock-timeout" -> limits = limits.withLockTimeout(Duration.ofSeconds(intArg(a, value, 0, 86_400)));
                        default -> throw new IllegalStateException(a);
                    }
                }
                default -> {
                    if (a.startsWith("-") && !a.equals("-")) {
                        throw new UsageException("unknown option '" + a + "'");
                    }
                    positional.add(a);
                }
            }
        }
        switch (command) {
            case "serve" -> {
                if (db == null) {
                    throw new UsageException("serve needs --db FILE");
                }
                if (!positional.isEmpty()) {
                    throw new UsageException("unexpected argument '" + positional.getFirst() + "'");
                }
                if (token == null) {
                    token = env.get("ANCDB_TOKEN");
                }
                if (token != null && token.isEmpty()) {
                    throw new UsageException("the token must not be empty");
                }
            }
            case "stdio" -> {
                if (db == null) {
                    throw new UsageException("stdio needs --db FILE");
                }
                if (!positional.isEmpty()) {
                    throw new UsageException("unexpected argument '" + positional.getFirst() + "'");
                }
                if (port != null || token != null || !host.equals("127.0.0.1")) {
                    throw new UsageException("stdio takes only --db, --wal and the limit options");
                }
            }
            case "demo" -> {
                if (positional.size() > 1 || (db != null && !positional.isEmpty())) {
                    throw new UsageException("demo takes at most one FILE");
                }
                if (db == null) {
                    db = Path.of(positional.isEmpty() ? Demo.DEFAULT_FILE : positional.getFirst());
                }
                if (port != null || token != null) {
                    throw new UsageException("demo takes only [FILE] (and --wal)");
                }
            }
            default -> throw new IllegalStateException(command);
        }
        return new Options(command, db, host, port == null ? DEFAULT_PORT : port, token, wal,
                maxConnections, idle, limits);
    }

    private static int intArg(String name, String value, int min, int max) throws UsageException {
        try {
            int v = Integer.parseInt(value.trim());
            if (v < min || v > max) {
                throw new UsageException(name + " must be between " + min + " and " + max + ", got " + value);
            }
            return v;
        } catch (NumberFormatException e) {
            throw new UsageException(name + " needs a number, got '" + value + "'");
        }
    }

    static DatabaseOptions databaseOptions(Options o) {
        DatabaseOptions d = DatabaseOptions.defaults();
        return o.wal() ? d.withJournalMode(DatabaseOptions.JournalMode.WAL) : d;
    }

    /**
     * Everything a server holds, closed once in order: the transport (which
     * closes the sessions and so rolls back their transactions), then the
     * dispatcher, then the database. Shared by the main thread and the
     * shutdown hook.
     */
    private static final class Running {
        private final Database db;
        private final CommandDispatcher dispatcher;
        private final java.util.function.BooleanSupplier stopTransport;
        private Integer exitCode;

        Running(Database db, CommandDispatcher dispatcher, java.util.function.BooleanSupplier stopTransport) {
            this.db = db;
            this.dispatcher = dispatcher;
            this.stopTransport = stopTransport;
        }

        synchronized int shutdown(String why, int code) {
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
            } catch (RuntimeException e) {
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

    static int serve(Options o) throws IOException {
        Limits limits = o.limits();
        Database db = Database.open(o.db(), databaseOptions(o));
        CommandDispatcher dispatcher;
        TcpServer server;
        InetSocketAddress bound;
        try {
            dispatcher = new CommandDispatcher(db, limits, o.token());
            server = new TcpServer(dispatcher, limits, o.host(), o.port(), o.maxConnections(), o.idleTimeout(),
                    o.token() != null);
            bound = server.bind();
        } catch (IOException | RuntimeException e) {
            db.close();
            throw e;
        }
        Running running = new Running(db, dispatcher, server::stop);
        running.installHook("ancdb-serve-shutdown");
        String host = bound.getAddress().getHostAddress();
        if (host.indexOf(':') >= 0) {
            host = "[" + host + "]";
        }
        Transport.log("serving " + o.db().getFileName() + (o.wal() ? " (WAL)" : "")
                + (o.token() != null ? ", token required" : ", no token")
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
        Database db = Database.open(o.db(), databaseOptions(o));
        CommandDispatcher dispatcher;
        try {
            dispatcher = new CommandDispatcher(db, limits, null);
        } catch (RuntimeException e) {
            db.close();
            throw e;
        }
        StdioServer server = new StdioServer(dispatcher, limits, System.in, stdout);
        Running running = new Running(db, dispatcher, () -> server.stop(TcpServer.STOP_WAIT));
        running.installHook("ancdb-stdio-shutdown");
        int code = server.run();
        return running.shutdown("end of input", code);
    }

    static String describe(Throwable e) {
        String m = e.getMessage();
        return e.getClass().getSimpleName() + (m == null ? "" : ": " + m);
    }

    /** {@code demo [FILE]}: the spec's AgentMemory schema driven through an in-process dispatcher. */
    static final class Demo {
        static final String DEFAULT_FILE = "ancdb-demo.db";
        static final String SCHEMA = "AgentMemory";
        static final int RECORDS = 100;
        static final long T0 = 1_700_000_000_000L;

        private Demo() {
        }

        static int run(Path file, PrintStream out) {
            try (Database db = Database.open(file, DatabaseOptions.defaults());
                 CommandDispatcher d = new CommandDispatcher(db, Limits.defaults(), null)) {
                out.println("ANC-DB demo on " + file);
                Object id = call(d, TransportCodec.map("cmd", 0x20, "schema", SCHEMA, "fields", List.of(
                        field("id", "u64", "primary_key"),
                        field("timestamp", "i64", "indexed"),
                        field("content", "str", "compressed"),
                        field("embedding", "f32vec", null),
                        field("tags", "strlist", "indexed"))));
                out.println("defined schema " + SCHEMA + " (id " + id + "): id u64 pk, timestamp i64 indexed, "
                        + "content str compressed, embedding f32vec, tags strlist indexed");

                List<Object> records = new ArrayList<>();
                for (int i = 1; i <= RECORDS; i++) {
                    records.add(record(i));
                }
                long t = System.nanoTime();
                Map<?, ?> resp = request(d, TransportCodec.map("cmd", 0x04, "schema", SCHEMA, "records", records,
                        "options", TransportCodec.map("on_conflict", "replace")));
                out.printf("batch-wrote %d records in one request: rows_affected %s, %d us server time, %d us total%n",
                        RECORDS, meta(resp, "rows_affected"), meta(resp, "execution_time_us"),
                        (System.nanoTime() - t) / 1000);

                Map<?, ?> r42 = (Map<?, ?>) call(d, TransportCodec.map("cmd", 0x01, "schema", SCHEMA, "key", 42));
                out.println("read id 42: content \"" + r42.get("content") + "\", tags " + r42.get("tags")
                        + ", embedding " + floats(r42.get("embedding")));

                Object scan = call(d, TransportCodec.map("cmd", 0x02, "schema", SCHEMA, "index", "timestamp",
                        "limit", 5, "order", "desc"));
                List<Object> newest = new ArrayList<>();
                for (Object row : rowsOf(scan)) {
                    newest.add(((Map<?, ?>) row).get("id"));
                }
                out.println("range scan on timestamp, newest 5 first: ids " + newest);

                call(d, TransportCodec.map("cmd", 0x05, "schema", SCHEMA, "key", 42,
                        "delta", TransportCodec.map("content", "revised: the agent re-read memory #42")));
                Map<?, ?> again = (Map<?, ?>) call(d, TransportCodec.map("cmd", 0x01, "schema", SCHEMA, "key", 42));
                out.println("updated id 42: content now \"" + again.get("content") + "\"");

                call(d, TransportCodec.map("cmd", 0x06, "schema", SCHEMA, "key", 7));
                Map<?, ?> gone = request(d, TransportCodec.map("cmd", 0x01, "schema", SCHEMA, "key", 7));
                out.println("deleted id 7; reading it again answers status " + gone.get("status")
                        + " (" + gone.get("error") + ")");
                String check = db.integrityCheck();
                out.println("integrity check: " + (check.isEmpty() ? "ok" : check));
            } catch (DemoException e) {
                Transport.log("demo failed: " + e.getMessage());
                return 1;
            }
            out.println();
            out.println("The file is a plain SQLite database. Open it with the stock shell:");
            out.println("  sqlite3 " + file + " \"PRAGMA integrity_check; SELECT count(*) FROM " + SCHEMA + ";\"");
            out.println("  sqlite3 " + file + " \"SELECT id, timestamp, tags FROM " + SCHEMA
                    + " ORDER BY timestamp DESC LIMIT 3;\"");
            return 0;
        }

        static Map<String, Object> record(int i) {
            return TransportCodec.map(
                    "id", i,
                    "timestamp", T0 + i * 60_000L,
                    "content", "memory #" + i + ": the agent noted observation " + (i * 7),
                    "embedding", new float[] {i / 100f, 0.5f, -0.25f, (i % 10) / 10f},
                    "tags", List.of("agent-" + (i % 3), i % 2 == 0 ? "even" : "odd"));
        }

        private static Map<String, Object> field(String name, String type, String flag) {
            Map<String, Object> f = TransportCodec.map("name", name, "type", type);
            if (flag != null) {
                f.put(flag, true);
            }
            return f;
        }

        /** A list of f32 values (decoded as doubles) printed as floats: [0.42, 0.5] not [0.41999998688697815, 0.5]. */
        static String floats(Object vector) {
            if (!(vector instanceof List<?> l)) {
                return String.valueOf(vector);
            }
            List<String> out = new ArrayList<>();
            for (Object o : l) {
                out.add(o instanceof Number n ? Float.toString(n.floatValue()) : String.valueOf(o));
            }
            return out.toString();
        }

        static List<?> rowsOf(Object data) {
            if (data instanceof Map<?, ?> m) {
                for (String k : List.of("records", "rows", "items")) {
                    if (m.get(k) instanceof List<?> l) {
                        return l;
                    }
                }
            }
            if (data instanceof List<?> l) {
                return l;
            }
            throw new DemoException("unexpected scan result: " + data);
        }

        private static Object meta(Map<?, ?> resp, String key) {
            return resp.get("meta") instanceof Map<?, ?> m ? m.get(key) : null;
        }

        private static Map<?, ?> request(CommandDispatcher d, Map<String, Object> req) {
            Object resp = TransportCodec.unpack(d.handle(TransportCodec.pack(req)));
            if (!(resp instanceof Map<?, ?> m)) {
                throw new DemoException("malformed response " + resp);
            }
            return m;
        }

        private static Object call(CommandDispatcher d, Map<String, Object> req) {
            Map<?, ?> m = request(d, req);
            if (!Long.valueOf(0).equals(m.get("status"))) {
                throw new DemoException("command 0x" + Integer.toHexString((Integer) req.get("cmd"))
                        + " answered status " + m.get("status") + ": " + m.get("error"));
            }
            return m.get("data");
        }

        static final class DemoException extends RuntimeException {
            private static final long serialVersionUID = 1L;

            DemoException(String message) {
                super(message);
            }
        }
    }
}

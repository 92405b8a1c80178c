package io.ancdb.analytics;

import io.ancdb.AncDbException;
import io.ancdb.store.Principal;
import io.ancdb.store.TokenFile;
import io.ancdb.store.UnauthorizedException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.Map;

/**
 * The grammar of {@code java -jar ancdb-analytics.jar} (picocli, as the
 * protocol's {@code ancdb.jar}): one class per subcommand, each declaring only
 * its options; {@code --help} everywhere; a usage error prints the message
 * and the command's usage and exits 2; a failure prints
 * {@code ancdb-analytics: <message>} and exits 1.
 */
final class Cli {
    static final String NAME = "java -jar ancdb-analytics.jar";

    private Cli() {
    }

    /** What a command runs against: the environment (tokens, keys) and the two output streams. */
    record Context(Map<String, String> env, PrintStream out, PrintStream err) {
    }

    static CommandLine commandLine(Context ctx) {
        CommandLine cl = new CommandLine(new Root(), new CommandLine.IFactory() {
            @Override
            public <K> K create(Class<K> cls) throws Exception {
                K k = CommandLine.defaultFactory().create(cls);
                if (k instanceof Subcommand s) {
                    s.ctx = ctx;
                }
                return k;
            }
        });
        cl.setOut(new PrintWriter(ctx.out(), true, StandardCharsets.UTF_8));
        cl.setErr(new PrintWriter(ctx.err(), true, StandardCharsets.UTF_8));
        cl.setUsageHelpWidth(100);
        cl.setParameterExceptionHandler((e, args) -> {
            CommandLine c = e.getCommandLine();
            c.getErr().println("ancdb-analytics: " + e.getMessage());
            c.usage(c.getErr());
            return 2;
        });
        cl.setExecutionExceptionHandler((e, c, parsed) -> {
            ctx.err().println("ancdb-analytics: " + describe(e));
            return 1;
        });
        return cl;
    }

    static String describe(Throwable e) {
        if (e instanceof AncDbException || e instanceof SQLException) {
            return e.getMessage();
        }
        return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
    }

    @Command(name = NAME, synopsisSubcommandLabel = "COMMAND", mixinStandardHelpOptions = false,
            description = "Analytics across the files of an ANC-DB store, through DuckDB.",
            subcommands = {SqlCommand.class, ExportCommand.class, ImportCommand.class, GenerateCommand.class,
                    CommandLine.HelpCommand.class},
            footer = {"", "Exit codes: 0 ok, 1 runtime failure, 2 usage error.",
                    "'" + NAME + " COMMAND --help' describes one command."})
    static final class Root implements Runnable {
        @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
        boolean help;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public void run() {
            throw new CommandLine.ParameterException(spec.commandLine(), "no command given");
        }
    }

    /** A subcommand: gets the context before it runs. */
    abstract static class Subcommand implements java.util.concurrent.Callable<Integer> {
        Context ctx;

        @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
        boolean help;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        CommandLine.ParameterException usage(String message) {
            return new CommandLine.ParameterException(spec.commandLine(), message);
        }
    }

    /**
     * Who reads the store and how its files open: {@code --store}, a token
     * (acting as one party: only its files) and the store key of an
     * encrypted store.
     */
    static final class StoreAccess {
        @Option(names = "--store", required = true, paramLabel = "DIR", description = "The store directory.")
        Path store;

        @Option(names = "--token", paramLabel = "TOKEN",
                description = "Act as the party (or admin) of this token (default: $ANCDB_TOKEN); needs --token-file. "
                        + "Without a token: the local owner, every file.")
        String token;

        @Option(names = "--token-file", paramLabel = "FILE", description = "The store's token file (hashed tokens).")
        Path tokenFile;

        @Option(names = "--key-file", paramLabel = "FILE",
                description = "An encrypted store: the file holding its key, a passphrase or x'<64 hex>' "
                        + "(default: $ANCDB_STORE_KEY). Every file of the store opens with it.")
        Path keyFile;

        /** The principal the token names; null for the local owner. */
        Principal principal(Subcommand cmd) {
            String t = token != null ? token : cmd.ctx.env().get("ANCDB_TOKEN");
            if (t == null || t.isEmpty()) {
                if (tokenFile != null) {
                    throw cmd.usage("--token-file needs a token (--token or ANCDB_TOKEN)");
                }
                return null;
            }
            if (tokenFile == null) {
                throw cmd.usage("a token needs the store's --token-file to be checked against");
            }
            Principal p = TokenFile.load(tokenFile).authenticate(t);
            if (p == null) {
                throw new UnauthorizedException();
            }
            return p;
        }

        /** The store key (a copy the caller wipes), or null for a plaintext store. */
        char[] key(Subcommand cmd) {
            String fromEnv = cmd.ctx.env().get("ANCDB_STORE_KEY");
            if (keyFile == null) {
                return fromEnv == null || fromEnv.isEmpty() ? null : fromEnv.toCharArray();
            }
            try {
                String text = Files.readString(keyFile, StandardCharsets.UTF_8).strip();
                if (text.isEmpty()) {
                    throw cmd.usage("the key file " + keyFile + " is empty");
                }
                return text.toCharArray();
            } catch (IOException e) {
                throw new io.ancdb.InvalidArgumentException("cannot read the key file " + keyFile + ": " + e.getMessage());
            }
        }

        /** The source to read: the store as the token's principal, through its key when it has one. */
        StoreSource open(Subcommand cmd) {
            Principal p = principal(cmd);
            char[] key = key(cmd);
            if (key == null) {
                return PlainStoreSource.open(store, p);
            }
            try {
                return new KeyedStoreSource(store, key, p);
            } finally {
                java.util.Arrays.fill(key, '\0');
            }
        }
    }

    /** How files are loaded: threads and what a failing file does. */
    static final class Loading {
        @Option(names = "--threads", paramLabel = "N", defaultValue = "2",
                description = "Files read in parallel (default: ${DEFAULT-VALUE}).")
        int threads;

        @Option(names = "--on-error", paramLabel = "fail|skip", defaultValue = "fail",
                description = "A file that fails to open or read (corrupt, wrong key): fail the command "
                        + "naming it (default), or skip it and report it by name on standard error.")
        String onError;

        @Option(names = "--quiet", description = "No progress line on standard error.")
        boolean quiet;

        LoadOptions options(Subcommand cmd) {
            LoadOptions.OnFileError e = switch (onError) {
                case "fail" -> LoadOptions.OnFileError.FAIL;
                case "skip" -> LoadOptions.OnFileError.SKIP;
                default -> throw cmd.usage("--on-error must be fail or skip, not " + onError);
            };
            if (threads < 1 || threads > 64) {
                throw cmd.usage("--threads must be within 1 .. 64");
            }
            return new LoadOptions(null, threads, e, quiet ? null : cmd.ctx.err(), Map.of());
        }

        /** Reports the skipped files, by name, on standard error. */
        static void reportSkipped(LoadReport r, PrintStream err) {
            for (LoadReport.FileFailure f : r.skipped()) {
                err.println("ancdb-analytics: skipped " + f);
            }
            if (!r.skipped().isEmpty()) {
                err.println("ancdb-analytics: " + r.skipped().size() + " file(s) skipped, " + r.files() + " loaded");
            }
        }
    }
}

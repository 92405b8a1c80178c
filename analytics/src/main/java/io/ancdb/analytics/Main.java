package io.ancdb.analytics;

import java.io.PrintStream;
import java.util.Map;

/**
 * {@code java -jar ancdb-analytics.jar}: SQL over a store, Parquet export,
 * bulk import and the rally generator (see {@link Cli}). Exit codes: 0 ok,
 * 1 runtime failure (the message, with its error code, on standard error),
 * 2 usage error.
 */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.getenv(), System.out, System.err));
    }

    /** Parses and runs {@code args} with environment {@code env}; returns the exit code. */
    public static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
        return Cli.commandLine(new Cli.Context(env, out, err)).execute(args);
    }
}

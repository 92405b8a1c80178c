package io.ancdb.analytics;

import io.ancdb.InvalidArgumentException;
import io.ancdb.OnConflict;
import io.ancdb.store.GuardedStore;
import io.ancdb.store.Principal;
import io.ancdb.store.Store;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** {@code import --store DIR --schema S --db-field F FILE...}: bulk rows into the store's files. */
@Command(name = "import", description = {
        "Reads CSV, JSON lines or Parquet files (by extension) through DuckDB and writes each row as a",
        "record of schema S into the file its column F names (or --db NAME), in batches; prints the",
        "rejected rows with their reasons. Exit 1 when rows were rejected (the others are written)."})
final class ImportCommand extends Cli.Subcommand {
    @Mixin
    Cli.StoreAccess access;

    @Option(names = "--schema", required = true, paramLabel = "S", description = "A schema defined on the store.")
    String schema;

    @Option(names = "--db-field", paramLabel = "F", description = "The input column naming each row's database.")
    String dbField;

    @Option(names = "--db", paramLabel = "NAME", description = "Write every row into this one database.")
    String db;

    @Option(names = "--on-conflict", paramLabel = "fail|replace|ignore", defaultValue = "fail",
            description = "A row whose key is taken: rejected (default), replaces the record, or is skipped "
                    + "(re-running an import with ignore changes nothing).")
    String onConflict;

    @Option(names = "--batch", paramLabel = "N", defaultValue = "1000",
            description = "Rows per write transaction (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--quiet", description = "No progress line on standard error.")
    boolean quiet;

    @Parameters(arity = "1..*", paramLabel = "FILE",
            description = "Input files: .csv, .csv.gz, .tsv, .json, .json.gz, .jsonl, .ndjson, .parquet.")
    List<Path> inputs;

    private static final int EXAMPLES = 5;

    @Override
    public Integer call() throws Exception {
        if ((dbField == null) == (db == null)) {
            throw usage("give --db-field F or --db NAME, not both");
        }
        OnConflict c = switch (onConflict) {
            case "fail" -> OnConflict.FAIL;
            case "replace" -> OnConflict.REPLACE;
            case "ignore" -> OnConflict.IGNORE;
            default -> throw usage("--on-conflict must be fail, replace or ignore, not " + onConflict);
        };
        char[] key = access.key(this);
        if (key != null) {
            java.util.Arrays.fill(key, '\0');
            throw new InvalidArgumentException("import into an encrypted store is not supported yet: the Store "
                    + "cannot open keyed files until it derives per-file keys from a master key");
        }
        Principal p = access.principal(this);
        long start = System.nanoTime();
        BulkImport.Result r;
        try (Store store = Store.open(StoreDirectory.existingStore(access.store))) {
            r = BulkImport.run(store, p == null ? null : new GuardedStore(store, p),
                    new BulkImport.Target(schema, dbField, db, c, batch), inputs, quiet ? null : ctx.err());
        }
        double secs = (System.nanoTime() - start) / 1e9;
        ctx.out().printf(Locale.ROOT, "imported %d of %d rows into %d file(s) in %.1f s (%.0f rows/s); %d already there "
                + "(ignored), %d rejected%n", r.written(), r.rows(), r.files(), secs, r.rows() / secs, r.ignored(),
                r.rejectedRows());
        for (Map.Entry<String, List<String>> e : r.rejected().entrySet()) {
            List<String> at = e.getValue();
            ctx.out().println("  rejected " + at.size() + ": " + e.getKey() + " (" + String.join(", ",
                    at.subList(0, Math.min(EXAMPLES, at.size()))) + (at.size() > EXAMPLES ? ", ..." : "") + ")");
        }
        return r.rejectedRows() == 0 ? 0 : 1;
    }
}

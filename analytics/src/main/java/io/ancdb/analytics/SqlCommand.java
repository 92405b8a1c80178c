package io.ancdb.analytics;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/** {@code sql --store DIR "SELECT ..."}: one query over the store's schemas, one table each. */
@Command(name = "sql", description = {
        "Runs one SQL query (DuckDB's dialect) over the store: every record schema is a table over all",
        "the files the caller may read, with a column db naming each row's file."})
final class SqlCommand extends Cli.Subcommand {
    @Mixin
    Cli.StoreAccess access;

    @Mixin
    Cli.Loading loading;

    @Parameters(arity = "0..1", paramLabel = "SQL", description = "The query (or --file).")
    String sql;

    @Option(names = "--file", paramLabel = "FILE",
            description = "Read the query from this file; repeat it to run several queries over one load (their "
                    + "results one after another, a blank line between).")
    List<Path> files;

    @Option(names = "--format", paramLabel = "table|csv|json", defaultValue = "table",
            description = "Aligned table (default), CSV with a header row, or JSON lines.")
    String format;

    @Option(names = "--all-schemas",
            description = "Load every schema (default: only the schemas the query names).")
    boolean allSchemas;

    @Option(names = "--memory-limit", paramLabel = "SIZE",
            description = "DuckDB's memory limit, e.g. 2GB (default: DuckDB's, 80%% of RAM); the rest spills to disk.")
    String memoryLimit;

    @Override
    public Integer call() throws Exception {
        if ((sql == null) == (files == null)) {
            throw usage("give the query as an argument or with --file, not both");
        }
        List<String> queries = new ArrayList<>();
        if (sql != null) {
            queries.add(sql);
        } else {
            for (Path f : files) {
                queries.add(Files.readString(f, StandardCharsets.UTF_8));
            }
        }
        ResultPrinter.Format f = switch (format) {
            case "table" -> ResultPrinter.Format.TABLE;
            case "csv" -> ResultPrinter.Format.CSV;
            case "json" -> ResultPrinter.Format.JSON;
            default -> throw usage("--format must be table, csv or json, not " + format);
        };
        LoadOptions options = loading.options(this);
        if (!allSchemas) {
            options = options.withSchemas(StoreAnalytics.identifiers(String.join("\n", queries)));
        }
        try (StoreSource src = access.open(this);
             StoreAnalytics a = StoreAnalytics.load(src, options, memoryLimit)) {
            Cli.Loading.reportSkipped(a.report(), ctx.err());
            for (int i = 0; i < queries.size(); i++) {
                if (i > 0) {
                    ctx.out().println();
                }
                try (Statement st = a.connection().createStatement(); ResultSet rs = st.executeQuery(queries.get(i))) {
                    ResultPrinter.print(rs, f, ctx.out());
                }
            }
        }
        return 0;
    }
}

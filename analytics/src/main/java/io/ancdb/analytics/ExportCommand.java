package io.ancdb.analytics;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/** {@code export --store DIR --schema S --to OUT}: Hive-partitioned Parquet, incrementally. */
@Command(name = "export", description = {
        "Writes one schema of the store as Hive-partitioned Parquet (OUT/db=<name>/data_0.parquet),",
        "incrementally: files whose version did not change since the last export are not read again."})
final class ExportCommand extends Cli.Subcommand {
    @Mixin
    Cli.StoreAccess access;

    @Mixin
    Cli.Loading loading;

    @Option(names = "--schema", required = true, paramLabel = "S", description = "The record schema to export.")
    String schema;

    @Option(names = "--to", required = true, paramLabel = "OUT", description = "The export directory (one per schema).")
    Path to;

    @Override
    public Integer call() throws Exception {
        LoadOptions options = loading.options(this);
        long start = System.nanoTime();
        try (StoreSource src = access.open(this)) {
            ParquetExport.Result r = ParquetExport.export(src, schema, to, options, ctx.err());
            for (LoadReport.FileFailure f : r.skipped()) {
                ctx.err().println("ancdb-analytics: skipped " + f);
            }
            double secs = (System.nanoTime() - start) / 1e9;
            ctx.out().printf(java.util.Locale.ROOT,
                    "exported %d file(s), %d rows in %.1f s (%.0f rows/s); %d unchanged, %d removed, %d skipped%n",
                    r.written().size(), r.rows(), secs, r.rows() / secs, r.unchanged().size(), r.removed().size(),
                    r.skipped().size());
        }
        return 0;
    }
}

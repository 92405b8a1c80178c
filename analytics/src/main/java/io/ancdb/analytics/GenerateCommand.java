package io.ancdb.analytics;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;

/** {@code generate --store DIR --pairs N --months M --seed S}: the rally store of the two questions. */
@Command(name = "generate", description = {
        "Makes a store of pair files with months of rally events (quote, order, delivery-date answer)",
        "and planted changes: a tenth of the pairs get a 1.5x lead time in the last 3 weeks, another",
        "tenth a conversion cut to 30 %% of its usual share. Prints the planted pairs."})
final class GenerateCommand extends Cli.Subcommand {
    @Option(names = "--store", required = true, paramLabel = "DIR", description = "A new store directory.")
    Path store;

    @Option(names = "--pairs", defaultValue = "1000", paramLabel = "N", description = "Pair files (default: ${DEFAULT-VALUE}).")
    int pairs;

    @Option(names = "--months", defaultValue = "6", paramLabel = "M", description = "Months of events (default: ${DEFAULT-VALUE}).")
    int months;

    @Option(names = "--seed", defaultValue = "1", paramLabel = "S", description = "Random seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--rallies-per-week", defaultValue = "20", paramLabel = "R",
            description = "Quotes per pair and week (default: ${DEFAULT-VALUE}; 1,000 pairs x 6 months x 20 = about 1.1 M events).")
    int ralliesPerWeek;

    @Option(names = "--threads", defaultValue = "2", paramLabel = "N", description = "Files written in parallel (default: ${DEFAULT-VALUE}).")
    int threads;

    @Override
    public Integer call() throws Exception {
        if (Files.exists(store) && Files.list(store).findAny().isPresent()) {
            throw usage("--store " + store + " exists and is not empty: generate makes a new store");
        }
        if (threads < 1 || threads > 64) {
            throw usage("--threads must be within 1 .. 64");
        }
        long start = System.nanoTime();
        RallyGenerator.Result r = RallyGenerator.generate(store,
                RallyGenerator.Plan.of(pairs, months, seed, ralliesPerWeek), threads, ctx.err());
        ctx.out().printf("generated %d pair files, %d events in %.1f s (seed %d)%n", r.pairs().size(), r.events(),
                (System.nanoTime() - start) / 1e9, seed);
        ctx.out().println("planted lead-time growth (" + r.leadPlanted().size() + "): " + String.join(" ", r.leadPlanted()));
        ctx.out().println("planted conversion drop (" + r.conversionPlanted().size() + "): "
                + String.join(" ", r.conversionPlanted()));
        return 0;
    }
}

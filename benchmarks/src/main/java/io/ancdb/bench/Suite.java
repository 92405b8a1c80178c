package io.ancdb.bench;

import org.openjdk.jmh.runner.BenchmarkList;
import org.openjdk.jmh.runner.BenchmarkListEntry;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The benchmark suite: every {@link Workload} in the jar (found through JMH's
 * own benchmark list, so a new benchmark class needs no registration), and
 * the plan of a pass.
 *
 * <p>Usage: {@code Suite plan quick|full} prints one line per JMH run,
 * {@code name|include|-p k=v -p k=v ...|other JMH options}, for benchmarks/run.sh (data set sizes
 * from {@code -Dancdb.bench.kvRecords} and {@code -Dancdb.bench.agentRecords});
 * {@code Suite stores} prints the store names, one per line.
 */
public final class Suite {
    private Suite() {
    }

    public static void main(String[] args) {
        if (args.length == 1 && args[0].equals("stores")) {
            Store.names().forEach(System.out::println);
            return;
        }
        if (args.length != 2 || !args[0].equals("plan")) {
            System.err.println("usage: Suite plan quick|full | Suite stores");
            System.exit(2);
        }
        Workload.Pass pass = Workload.Pass.valueOf(args[1].toUpperCase(Locale.ROOT));
        Workload.Sizes sizes = new Workload.Sizes(Long.getLong("ancdb.bench.kvRecords", 1_000_000),
                Long.getLong("ancdb.bench.agentRecords", pass == Workload.Pass.QUICK ? 20_000 : 100_000));
        for (String line : plan(pass, sizes)) {
            System.out.println(line);
        }
    }

    /** The runs of a pass as run.sh reads them, workloads in report order. */
    static List<String> plan(Workload.Pass pass, Workload.Sizes sizes) {
        List<String> lines = new ArrayList<>();
        for (Workload w : workloads()) {
            for (Workload.Run r : w.plan(pass, sizes)) {
                StringBuilder b = new StringBuilder(r.name()).append('|').append(r.include()).append('|');
                for (Map.Entry<String, String> p : r.params().entrySet()) {
                    b.append(" -p ").append(p.getKey()).append('=').append(p.getValue());
                }
                lines.add(b.append('|').append(r.options()).toString());
            }
        }
        return lines;
    }

    /** Every benchmark class of the jar that is a {@link Workload}, in report order. */
    public static List<Workload> workloads() {
        Set<String> classes = new LinkedHashSet<>();
        try (InputStream in = Suite.class.getResourceAsStream(BenchmarkList.BENCHMARK_LIST)) {
            if (in == null) {
                throw new IllegalStateException(BenchmarkList.BENCHMARK_LIST + " is missing: build with JMH's annotation processor");
            }
            for (BenchmarkListEntry e : BenchmarkList.readBenchmarkList(in)) {
                classes.add(e.getUserClassQName());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<Workload> out = new ArrayList<>();
        for (String c : classes) {
            Workload w = workload(c);
            if (w != null) {
                out.add(w);
            }
        }
        out.sort(Comparator.comparingInt(Workload::order));
        return out;
    }

    /** The workload a benchmark class describes, or null if it is not one (or not on the class path). */
    public static Workload workload(String className) {
        try {
            Class<?> c = Class.forName(className);
            if (!Workload.class.isAssignableFrom(c)) {
                return null;
            }
            return (Workload) c.getDeclaredConstructor().newInstance();
        } catch (ClassNotFoundException e) {
            return null;
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("benchmark class " + className + " cannot be instantiated", e);
        }
    }

    /** JMH {@code -p} values: every store in report order, comma-separated. */
    static String allStores() {
        return String.join(",", Store.names());
    }

    /** JMH {@code -p} values: every configuration in which all stores run with the same settings. */
    static String allConfigs() {
        return String.join(",", Config.shared().stream().map(Config::id).toList());
    }
}

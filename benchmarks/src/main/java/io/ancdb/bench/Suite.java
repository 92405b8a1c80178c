package io.ancdb.bench;

import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.runner.BenchmarkList;
import org.openjdk.jmh.runner.BenchmarkListEntry;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The benchmark suite: every {@link Workload} in the jar (found through JMH's
 * own benchmark list, so a new benchmark class needs no registration), the
 * plan of a pass, and which targets a pass measures.
 *
 * <p>Usage: {@code Suite plan quick|concurrency|cipher|full} prints one line per JMH run,
 * {@code name|include|-p k=v -p k=v ...|other JMH options}, for benchmarks/run.sh (data set sizes
 * from {@code -Dancdb.bench.kvRecords} and {@code -Dancdb.bench.agentRecords});
 * {@code Suite passes} prints {@code id|make command|floor and memory (true/false)} per pass;
 * {@code Suite stores} prints the names of the peer stores (the memory probes'), one per line.
 */
public final class Suite {
    /** What the C floor measures (benchmarks/c/bench_floor.c), in both shared configurations. */
    public static final List<String> FLOOR_BENCHMARKS = List.of("Reads.directRead", "Reads.directReadInTx",
            "Reads.rangeScan100", "Writes.batchWrite1000", "Writes.atomicWrite");

    private static final Pattern THREADS = Pattern.compile("(?:^|\\s)-t\\s+(\\d+)");

    private Suite() {
    }

    public static void main(String[] args) {
        if (args.length == 1 && args[0].equals("stores")) {
            Store.peers().forEach(System.out::println);
            return;
        }
        if (args.length == 1 && args[0].equals("passes")) {
            for (Workload.Pass p : Workload.Pass.values()) {
                System.out.println(p.id() + "|" + p.command + "|" + p.floorAndMemory);
            }
            return;
        }
        if (args.length != 2 || !args[0].equals("plan")) {
            System.err.println("usage: Suite plan quick|concurrency|cipher|full | Suite passes | Suite stores");
            System.exit(2);
        }
        Workload.Pass pass = Workload.Pass.of(args[1]);
        for (String line : plan(pass, sizes(pass))) {
            System.out.println(line);
        }
    }

    /** The data set sizes of a pass (overridable with -Dancdb.bench.kvRecords / agentRecords). */
    static Workload.Sizes sizes(Workload.Pass pass) {
        return new Workload.Sizes(Long.getLong("ancdb.bench.kvRecords", 1_000_000),
                Long.getLong("ancdb.bench.agentRecords", pass == Workload.Pass.FULL ? 100_000 : 20_000));
    }

    /** The runs of a pass as run.sh reads them, workloads in report order. */
    static List<String> plan(Workload.Pass pass, Workload.Sizes sizes) {
        List<String> lines = new ArrayList<>();
        for (Workload.Run r : runs(pass, sizes)) {
            StringBuilder b = new StringBuilder(r.name()).append('|').append(r.include()).append('|');
            for (Map.Entry<String, String> p : r.params().entrySet()) {
                b.append(" -p ").append(p.getKey()).append('=').append(p.getValue());
            }
            lines.add(b.append('|').append(r.options()).toString());
        }
        return lines;
    }

    /** Every JMH run the workloads plan for a pass, whether or not this build can run all its stores. */
    static List<Workload.Run> declared(Workload.Pass pass, Workload.Sizes sizes) {
        List<Workload.Run> runs = new ArrayList<>();
        workloads().forEach(w -> runs.addAll(w.plan(pass, sizes)));
        return runs;
    }

    /**
     * The JMH runs of a pass in this build: {@link #declared} without the stores this build cannot
     * run ({@link Store#missing}); a run left with no store is dropped.
     */
    static List<Workload.Run> runs(Workload.Pass pass, Workload.Sizes sizes) {
        List<Workload.Run> runs = new ArrayList<>();
        for (Workload.Run r : declared(pass, sizes)) {
            String stores = r.params().get("store");
            if (stores == null) {
                runs.add(r);
                continue;
            }
            List<String> can = Arrays.stream(stores.split(",")).filter(s -> Store.missing(s) == null).toList();
            if (!can.isEmpty()) {
                Map<String, String> params = new LinkedHashMap<>(r.params());
                params.put("store", String.join(",", can));
                runs.add(new Workload.Run(r.name(), r.include(), params, r.options()));
            }
        }
        return runs;
    }

    /**
     * Whether {@code pass} measures every figure {@code target} rests on (both figures, in every
     * configuration "best of" may choose, and the chooser's figures): the targets of its report.
     * Its declared plan counts, so a target resting on a store this build cannot run yet still
     * belongs to its pass (and its report says why it is not measured).
     */
    public static boolean measures(Workload.Pass pass, TargetSpec target) {
        List<Workload.Run> plan = declared(pass, sizes(pass));
        for (TargetSpec.Figure f : List.of(target.a(), target.b())) {
            List<String> configs = f.bestOf() != null ? Config.shared().stream().map(Config::id).toList()
                    : List.of(f.config());
            for (String c : configs) {
                if (!measures(pass, plan, f, c) || (f.bestOf() != null && !measures(pass, plan, f.withStore(f.bestOf()), c))) {
                    return false;
                }
            }
        }
        return true;
    }

    /** Whether a run of {@code plan} (or the C floor of {@code pass}) measures {@code f} in {@code config}. */
    static boolean measures(Workload.Pass pass, List<Workload.Run> plan, TargetSpec.Figure f, String config) {
        if (f.store().equals(Store.C_FLOOR)) {
            return pass.floorAndMemory && FLOOR_BENCHMARKS.contains(f.benchmark()) && f.shape().equals("kv");
        }
        for (Workload.Run r : plan) {
            if (Pattern.compile(r.include()).matcher("io.ancdb.bench." + f.benchmark()).find()
                    && values(r, f, "store").contains(f.store()) && values(r, f, "config").contains(config)
                    && values(r, f, "shape").contains(f.shape()) && (f.threads() == 0 || f.threads() == threads(r))
                    && f.params().entrySet().stream().allMatch(p -> values(r, f, p.getKey()).contains(p.getValue()))) {
                return true;
            }
        }
        return false;
    }

    /** The values run {@code r} gives parameter {@code name} of f's benchmark: its -p, else the class's @Param. */
    private static List<String> values(Workload.Run r, TargetSpec.Figure f, String name) {
        String v = r.params().get(name);
        if (v != null) {
            return Arrays.asList(v.split(","));
        }
        try {
            Class<?> c = Class.forName("io.ancdb.bench." + f.benchmark().substring(0, f.benchmark().indexOf('.')));
            Param p = c.getField(name).getAnnotation(Param.class);
            return p == null ? List.of() : Arrays.asList(p.value());
        } catch (ReflectiveOperationException e) {
            return List.of();
        }
    }

    /** The JMH threads of a run: its {@code -t}, else 1. */
    static int threads(Workload.Run r) {
        Matcher m = THREADS.matcher(r.options());
        return m.find() ? Integer.parseInt(m.group(1)) : 1;
    }

    /** JMH's list of the jar's benchmarks (one entry per benchmark method). */
    static List<BenchmarkListEntry> benchmarkList() {
        try (InputStream in = Suite.class.getResourceAsStream(BenchmarkList.BENCHMARK_LIST)) {
            if (in == null) {
                throw new IllegalStateException(BenchmarkList.BENCHMARK_LIST + " is missing: build with JMH's annotation processor");
            }
            return List.copyOf(BenchmarkList.readBenchmarkList(in));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every benchmark class of the jar that is a {@link Workload}, in report order. */
    public static List<Workload> workloads() {
        Set<String> classes = new LinkedHashSet<>();
        for (BenchmarkListEntry e : benchmarkList()) {
            classes.add(e.getUserClassQName());
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

    /** JMH {@code -p} values: every peer store in report order, comma-separated. */
    static String allStores() {
        return String.join(",", Store.peers());
    }

    /** JMH {@code -p} values: every configuration in which all stores run with the same settings. */
    static String allConfigs() {
        return String.join(",", Config.shared().stream().map(Config::id).toList());
    }
}

package io.ancdb.bench;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The suite finds the workloads, and each pass's plan measures every figure its targets rest on. */
class SuiteTest {
    static final Workload.Sizes SIZES = new Workload.Sizes(1_000_000, 20_000);

    @Test
    void workloadsComeFromTheBenchmarkList() {
        List<String> names = Suite.workloads().stream().map(w -> w.getClass().getSimpleName()).toList();
        assertEquals(List.of("Reads", "IndexScans", "Writes", "Concurrency", "Cipher", "StoreFiles"), names);
    }

    /** JMH trials a pass plans: one per benchmark x store x configuration (x other parameter values) of each run. */
    static int trials(List<Workload.Run> runs) {
        int trials = 0;
        for (Workload.Run r : runs) {
            Pattern include = Pattern.compile(r.include());
            int t = (int) Suite.benchmarkList().stream().filter(e -> include.matcher(e.getUsername()).find()).count();
            for (Map.Entry<String, String> p : r.params().entrySet()) {
                if (!p.getKey().equals("shape") && !p.getKey().equals("records")) {
                    t *= Arrays.asList(p.getValue().split(",")).size();
                }
            }
            trials += t;
        }
        return trials;
    }

    @Test
    void eachPassKeepsItsTimeBudget() {
        assertEquals(31, trials(Suite.declared(Workload.Pass.QUICK, SIZES)), "make bench's JMH trials (its time budget"
                + " assumes 31)");
        assertEquals(36, trials(Suite.declared(Workload.Pass.CONCURRENCY, SIZES)), "make bench-concurrency's (its"
                + " budget assumes 36)");
        assertEquals(19, trials(Suite.declared(Workload.Pass.CIPHER, SIZES)), "make bench-cipher's (its budget"
                + " assumes 19)");
        assertEquals(10, trials(Suite.declared(Workload.Pass.STORE, SIZES)), "make bench-store's (its budget"
                + " assumes 10)");
    }

    /** A store this build cannot run is left out of the runs (not of the plan its targets are checked against). */
    @Test
    void storesThisBuildCannotRunAreLeftOut() {
        List<Workload.Run> runs = Suite.runs(Workload.Pass.CONCURRENCY, SIZES);
        List<Workload.Run> declared = Suite.declared(Workload.Pass.CONCURRENCY, SIZES);
        assertEquals(declared.size(), runs.size());
        for (int i = 0; i < runs.size(); i++) {
            List<String> stores = Arrays.asList(runs.get(i).params().get("store").split(","));
            List<String> planned = Arrays.asList(declared.get(i).params().get("store").split(","));
            assertEquals(planned.stream().filter(s -> Store.missing(s) == null).toList(), stores);
        }
        assertEquals(AncdbMsgpackStore.VECTORS_AS_BIN, Store.missing(Store.ANCDB_MSGPACK_BIN) == null);
    }

    /** Every target's two figures come from one pass (its ratio from one run), and bench-full has them all. */
    @Test
    void everyTargetIsMeasuredByOnePassAndByTheFullPass() {
        for (Workload w : Suite.workloads()) {
            for (TargetSpec t : w.targets()) {
                List<Workload.Pass> by = new ArrayList<>();
                for (Workload.Pass p : Workload.Pass.values()) {
                    if (p != Workload.Pass.FULL && Suite.measures(p, t)) {
                        by.add(p);
                    }
                }
                assertEquals(1, by.size(), t.goal() + ": measured by " + by);
                assertTrue(Suite.measures(Workload.Pass.FULL, t), t.goal() + ": not in bench-full");
            }
        }
    }

    /** A figure is covered only by a run with its store, configuration, shape, thread count and parameters. */
    @Test
    void coverageLooksAtEveryCoordinateOfAFigure() {
        Workload.Run twoThreads = new Workload.Run("r", "Reads\\.directRead$", Workload.ordered("store", "ancdb-java",
                "config", "default,tuned", "shape", "kv", "records", "1000"), "-t 2");
        List<Workload.Run> plan = List.of(twoThreads);
        TargetSpec.Figure f = TargetSpec.Figure.kv("Reads.directRead", "ancdb-java", "default");
        Workload.Pass quick = Workload.Pass.QUICK;
        assertTrue(Suite.measures(quick, plan, f, "default"));
        assertTrue(Suite.measures(quick, plan, f.withThreads(2), "tuned"));
        assertFalse(Suite.measures(quick, plan, f.withThreads(1), "default"));
        assertFalse(Suite.measures(quick, plan, f, "stock"));
        assertFalse(Suite.measures(quick, plan, f.withStore("sqlite-jdbc"), "default"));
        assertFalse(Suite.measures(quick, plan, new TargetSpec.Figure("Reads.directRead", "ancdb-java", "default",
                "agent", 0, Map.of()), "default"));
        assertFalse(Suite.measures(quick, plan, new TargetSpec.Figure("Reads.directRead", "ancdb-java", "default",
                "kv", 0, Map.of("vectors", "bin")), "default"));
        // no -p store: the class's @Param values count
        Workload.Run allStores = new Workload.Run("r", "Reads\\.", Workload.ordered("shape", "kv"));
        assertTrue(Suite.measures(Workload.Pass.FULL, List.of(allStores), f.withStore("lmdbjava"), "tuned"));
        // the C floor: only passes that run it
        TargetSpec.Figure floor = f.withStore(Store.C_FLOOR);
        assertTrue(Suite.measures(quick, List.of(), floor, "default"));
        assertFalse(Suite.measures(Workload.Pass.CONCURRENCY, List.of(), floor, "default"));
    }

    /**
     * run.sh splits a line at its first '|' (name) and its last two (params, options), so the include
     * regex may use alternation: every line of every pass splits back into its run.
     */
    @Test
    void everyPlanLineSplitsBackIntoItsRun() {
        for (Workload.Pass pass : Workload.Pass.values()) {
            List<Workload.Run> runs = Suite.runs(pass, SIZES);
            List<String> lines = Suite.plan(pass, SIZES);
            assertEquals(runs.size(), lines.size());
            for (int i = 0; i < runs.size(); i++) {
                String line = lines.get(i);
                int first = line.indexOf('|');
                int last = line.lastIndexOf('|');
                int params = line.lastIndexOf('|', last - 1);
                assertEquals(runs.get(i).name(), line.substring(0, first), line);
                assertEquals(runs.get(i).include(), line.substring(first + 1, params), line);
                assertEquals(runs.get(i).options(), line.substring(last + 1), line);
            }
        }
    }

    @Test
    void planLinesAreWhatRunShReads() {
        List<String> lines = Suite.plan(Workload.Pass.QUICK, SIZES);
        assertEquals("kv-directRead|Reads\\.directRead$| -p store=ancdb-java,ancdb-msgpack,sqlite-jdbc,lmdbjava"
                + " -p config=default,tuned -p shape=kv -p records=1000000|", lines.getFirst());
        assertTrue(Suite.plan(Workload.Pass.FULL, SIZES).contains("indexScans-agent|IndexScans\\.| -p records=20000|"));
    }
}

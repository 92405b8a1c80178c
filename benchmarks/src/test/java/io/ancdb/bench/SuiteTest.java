package io.ancdb.bench;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The suite finds the workloads, and make bench's plan measures every figure a target rests on. */
class SuiteTest {
    static final Workload.Sizes SIZES = new Workload.Sizes(1_000_000, 20_000);
    /** What the C floor measures (benchmarks/c/bench_floor.c), in both configurations. */
    static final List<String> FLOOR = List.of("Reads.directRead", "Reads.directReadInTx", "Reads.rangeScan100",
            "Writes.batchWrite1000", "Writes.atomicWrite");

    @Test
    void workloadsComeFromTheBenchmarkList() {
        List<String> names = Suite.workloads().stream().map(w -> w.getClass().getSimpleName()).toList();
        assertEquals(List.of("Reads", "IndexScans", "Writes"), names);
    }

    @Test
    void theQuickPlanCoversEveryTargetFigure() {
        List<Workload.Run> quick = new ArrayList<>();
        Suite.workloads().forEach(w -> quick.addAll(w.plan(Workload.Pass.QUICK, SIZES)));
        int trials = 0;
        for (Workload.Run r : quick) {
            trials += values(r.params(), "store").size() * values(r.params(), "config").size();
        }
        assertEquals(31, trials, "make bench's JMH trials (its time budget assumes 31)");
        for (Workload w : Suite.workloads()) {
            for (TargetSpec t : w.targets()) {
                for (TargetSpec.Figure f : List.of(t.a(), t.b())) {
                    List<String> configs = f.bestOf() != null ? List.of("default", "tuned") : List.of(f.config());
                    for (String c : configs) {
                        assertTrue(covered(quick, f, c), t.goal() + ": " + f.store() + " " + c + " is not measured");
                        if (f.bestOf() != null) {
                            assertTrue(covered(quick, f.inConfig(c).withStore(f.bestOf()), c), t.goal());
                        }
                    }
                }
            }
        }
    }

    private static boolean covered(List<Workload.Run> plan, TargetSpec.Figure f, String config) {
        if (f.store().equals(Store.C_FLOOR)) {
            return FLOOR.contains(f.benchmark());
        }
        for (Workload.Run r : plan) {
            if (Pattern.compile(r.include()).matcher("io.ancdb.bench." + f.benchmark()).find()
                    && values(r.params(), "store").contains(f.store()) && values(r.params(), "config").contains(config)
                    && f.shape().equals(r.params().get("shape"))) {
                return true;
            }
        }
        return false;
    }

    private static List<String> values(Map<String, String> params, String name) {
        return Arrays.asList(params.get(name).split(","));
    }

    @Test
    void planLinesAreWhatRunShReads() {
        List<String> lines = Suite.plan(Workload.Pass.QUICK, SIZES);
        assertEquals("kv-directRead|Reads\\.directRead$| -p store=ancdb-java,ancdb-msgpack,sqlite-jdbc,lmdbjava"
                + " -p config=default,tuned -p shape=kv -p records=1000000|", lines.getFirst());
        assertTrue(Suite.plan(Workload.Pass.FULL, SIZES).contains("indexScans-agent|IndexScans\\.| -p records=20000|"));
    }
}

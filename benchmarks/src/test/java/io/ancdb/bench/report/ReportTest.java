package io.ancdb.bench.report;

import io.ancdb.bench.TargetSpec;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The report's verdicts on fabricated results: a target is met or missed only
 * when every figure it rests on has a 99.9% error within 15% of its score,
 * else UNRELIABLE; and the Markdown and JSON say so.
 */
class ReportTest {
    static final String READ = "Reads.directRead";

    static Result us(String store, String config, double score, double error) {
        return new Result(READ, store, config, "kv", 1_000_000, 1, Map.of(), score, error, "us/op", null);
    }

    static Result opsPerSecond(String store, String config, double score, double error) {
        return new Result("Concurrency.directRead", store, config, "kv", 1_000_000, 2, Map.of(), score, error, "ops/s", null);
    }

    static final TargetSpec TWICE_AS_FAST = TargetSpec.faster("java >= 2x sqlite", READ, "ancdb-java", "sqlite-jdbc",
            2.0, "tuned");

    static Verdict verdict(TargetSpec spec, Result... results) {
        return Target.evaluate(spec, List.of(results)).verdict();
    }

    @Test
    void reliableFiguresAreMetOrMissed() {
        assertEquals(Verdict.MET, verdict(TWICE_AS_FAST, us("ancdb-java", "tuned", 1.0, 0.05),
                us("sqlite-jdbc", "tuned", 3.0, 0.1)));
        assertEquals(Verdict.MISSED, verdict(TWICE_AS_FAST, us("ancdb-java", "tuned", 1.0, 0.05),
                us("sqlite-jdbc", "tuned", 1.5, 0.1)));
        // the boundary: exactly 15% still counts, 15.4% does not (and does not print as 15%)
        assertEquals(Verdict.MET, verdict(TWICE_AS_FAST, us("ancdb-java", "tuned", 1.0, 0.15),
                us("sqlite-jdbc", "tuned", 2.0, 0.3)));
        Target over = Target.evaluate(TWICE_AS_FAST, List.of(us("ancdb-java", "tuned", 1.0, 0.154),
                us("sqlite-jdbc", "tuned", 2.0, 0.3)));
        assertEquals(Verdict.UNRELIABLE, over.verdict());
        assertEquals("ancdb-java tuned ±15.4% (wider than ±15%)", over.reason());
    }

    @Test
    void aWideErrorOnEitherSideIsUnreliableWhateverTheRatio() {
        // would be met (3x), would be missed (1.5x): both unreliable when one figure is +/-20%
        assertEquals(Verdict.UNRELIABLE, verdict(TWICE_AS_FAST, us("ancdb-java", "tuned", 1.0, 0.2),
                us("sqlite-jdbc", "tuned", 3.0, 0.1)));
        assertEquals(Verdict.UNRELIABLE, verdict(TWICE_AS_FAST, us("ancdb-java", "tuned", 1.0, 0.05),
                us("sqlite-jdbc", "tuned", 1.5, 0.3)));
        // one iteration: no error at all
        assertEquals(Verdict.UNRELIABLE, verdict(TWICE_AS_FAST, us("ancdb-java", "tuned", 1.0, Double.NaN),
                us("sqlite-jdbc", "tuned", 3.0, 0.1)));
        Target t = Target.evaluate(TWICE_AS_FAST, List.of(us("ancdb-java", "tuned", 1.0, 0.2),
                us("sqlite-jdbc", "tuned", 3.0, 0.1)));
        assertEquals(1, t.unreliable().size());
        assertTrue(t.reason().contains("ancdb-java tuned ±20.0%"), t.reason());
    }

    @Test
    void aMissingFigureIsNotMeasured() {
        assertEquals(Verdict.NOT_MEASURED, verdict(TWICE_AS_FAST, us("ancdb-java", "tuned", 1.0, 0.05)));
        assertEquals(Verdict.NOT_MEASURED, verdict(TWICE_AS_FAST, us("ancdb-java", "default", 1.0, 0.05),
                us("sqlite-jdbc", "tuned", 3.0, 0.1)));
    }

    /** A target resting on a store this build cannot run says why it is not measured. */
    @Test
    void aTargetOnAStoreThisBuildCannotRunSaysWhy() {
        TargetSpec bin = TargetSpec.within("bin within 2x", READ, io.ancdb.bench.Store.ANCDB_MSGPACK_BIN, "ancdb-java", 2.0,
                "default");
        Target t = Target.evaluate(bin, List.of(us("ancdb-java", "default", 1.0, 0.05)));
        assertEquals(Verdict.NOT_MEASURED, t.verdict());
        String why = io.ancdb.bench.Store.missing(io.ancdb.bench.Store.ANCDB_MSGPACK_BIN);
        assertEquals(why == null ? "not measured in this run"
                : "not measured in this run: ancdb-msgpack-bin cannot run: " + why, t.measured());
    }

    @Test
    void withinComparesTimes() {
        TargetSpec within = TargetSpec.within("java within 1.2x of the floor", READ, "ancdb-java", "c-floor", 1.2, "tuned");
        assertEquals(Verdict.MET, verdict(within, us("ancdb-java", "tuned", 1.1, 0.05), us("c-floor", "tuned", 1.0, 0.05)));
        assertEquals(Verdict.MISSED, verdict(within, us("ancdb-java", "tuned", 1.3, 0.05), us("c-floor", "tuned", 1.0, 0.05)));
    }

    @Test
    void throughputIsHigherIsBetter() {
        TargetSpec t = new TargetSpec("2 threads >= 1.7x one", TargetSpec.Figure.kv("Concurrency.directRead", "ancdb-java",
                "tuned"), TargetSpec.Relation.FASTER, 1.7, TargetSpec.Figure.kv("Concurrency.directRead", "lmdbjava", "tuned"));
        assertEquals(Verdict.MET, verdict(t, opsPerSecond("ancdb-java", "tuned", 200_000, 5_000),
                opsPerSecond("lmdbjava", "tuned", 100_000, 5_000)));
        assertEquals(Verdict.MISSED, verdict(t, opsPerSecond("ancdb-java", "tuned", 100_000, 5_000),
                opsPerSecond("lmdbjava", "tuned", 200_000, 5_000)));
    }

    /** Issue 12's kind of target: one store against itself at another thread count. */
    @Test
    void figuresCanBeTakenAtAThreadCount() {
        TargetSpec.Figure two = TargetSpec.Figure.kv("Concurrency.directRead", "ancdb-java", "tuned").withThreads(2);
        TargetSpec t = new TargetSpec("2 threads >= 1.7x 1 thread", two, TargetSpec.Relation.FASTER, 1.7, two.withThreads(1));
        Result one = new Result("Concurrency.directRead", "ancdb-java", "tuned", "kv", 1_000_000, 1, Map.of(), 100_000,
                2_000, "ops/s", null);
        Target got = Target.evaluate(t, List.of(one, opsPerSecond("ancdb-java", "tuned", 180_000, 5_000)));
        assertEquals(Verdict.MET, got.verdict());
        assertEquals("ancdb-java tuned, 2 threads is 1.80x ancdb-java tuned's speed", got.measured());
    }

    /** Issue 12's out-of-the-box target: ANC-DB's default against sqlite-jdbc's own defaults (stock). */
    @Test
    void aTargetMayCompareTwoConfigurations() {
        TargetSpec outOfTheBox = new TargetSpec("default >= 3x stock", TargetSpec.Figure.kv(READ, "ancdb-java", "default"),
                TargetSpec.Relation.FASTER, 3.0, TargetSpec.Figure.kv(READ, "sqlite-jdbc", "stock"));
        List<Result> rs = List.of(us("ancdb-java", "default", 2.0, 0.1), us("sqlite-jdbc", "default", 4.0, 0.1),
                us("sqlite-jdbc", "stock", 8.0, 0.2));
        Target t = Target.evaluate(outOfTheBox, rs);
        // 4x against the stock figure (met); against sqlite-jdbc's default it would be 2x (missed)
        assertEquals(Verdict.MET, t.verdict());
        assertEquals(4.0, t.ratio(), 1e-9);
        assertEquals("ancdb-java default is 4.00x sqlite-jdbc stock's speed", t.measured());
        assertEquals(Verdict.NOT_MEASURED, verdict(outOfTheBox, rs.get(0), rs.get(1)));
    }

    @Test
    void bestConfigIsChosenBySqliteJdbcAndItsFiguresCount() {
        TargetSpec best = TargetSpec.faster("java >= 2x sqlite's best", READ, "ancdb-java", "sqlite-jdbc", 2.0,
                TargetSpec.bestConfigOf("sqlite-jdbc"));
        List<Result> rs = List.of(us("ancdb-java", "default", 9.0, 0.1), us("ancdb-java", "tuned", 1.0, 0.05),
                us("sqlite-jdbc", "default", 10.0, 0.5), us("sqlite-jdbc", "tuned", 3.0, 0.1));
        Target t = Target.evaluate(best, rs);
        assertEquals("tuned", t.config());
        assertEquals(Verdict.MET, t.verdict());
        assertEquals(3.0, t.ratio(), 1e-9);
        // the default figure chose "tuned": if it is too wide, so is the choice
        List<Result> wide = new ArrayList<>(rs);
        wide.set(2, us("sqlite-jdbc", "default", 10.0, 5.0));
        Target unsure = Target.evaluate(best, wide);
        assertEquals(Verdict.UNRELIABLE, unsure.verdict());
        assertEquals(3, unsure.dependsOn().size(), "a, b and the other sqlite-jdbc figure, each once");
        assertEquals("sqlite-jdbc default ±50.0% (wider than ±15%)", unsure.reason());
    }

    @Test
    void markdownAndJsonMarkUnreliableFiguresAndTargets() {
        Report.Run run = new Report.Run();
        run.results.add(us("ancdb-java", "tuned", 1.0, 0.3));
        run.results.add(us("sqlite-jdbc", "tuned", 3.0, 0.1));
        run.results.add(us("lmdbjava", "tuned", 1.2, 0.05));
        run.workloads.addAll(io.ancdb.bench.Suite.workloads());
        run.targets.add(Target.evaluate(TWICE_AS_FAST, run.all()));
        run.targets.add(Target.evaluate(TargetSpec.faster("lmdb >= 2x sqlite", READ, "lmdbjava", "sqlite-jdbc", 2.0,
                "tuned"), run.all()));
        Map<String, Object> merged = new LinkedHashMap<>();
        merged.put("date", "2026-01-01");
        merged.put("mode", "quick");
        merged.put("machine", Machine.describe());
        merged.put("jvm", Map.of());
        merged.put("run", Map.of());
        merged.put("versions", Map.of("ancdb", "test"));
        String md = Markdown.render(merged, run);
        assertTrue(md.contains("| java >= 2x sqlite | ancdb-java tuned is 3.00x sqlite-jdbc tuned's speed"), md);
        assertTrue(md.contains("**UNRELIABLE**: ancdb-java tuned ±30.0%"), md);
        assertTrue(md.contains("| lmdb >= 2x sqlite | lmdbjava tuned is 2.50x sqlite-jdbc tuned's speed (1.200 us/op ±4.2%;"
                + " 3.000 us/op ±3.3%) | met |"), md);
        assertTrue(md.contains("| ancdb-java | tuned | 1.000 ± 0.300 (±30.0%) **UNRELIABLE** | us/op | 3.00x (unreliable) |"), md);
        assertTrue(md.contains("| lmdbjava | tuned | 1.200 ± 0.050 (±4.2%) | us/op | 2.50x |"), md);
        // one line per store and configuration saying what it does
        assertTrue(md.contains("| lmdbjava | tuned | env flags MDB_NOSYNC + MDB_NOTLS"), md);

        Map<String, Object> target = run.targets.getFirst().toMap();
        assertEquals("unreliable", target.get("verdict"));
        assertNull(target.get("met"));
        assertEquals("met", run.targets.get(1).toMap().get("verdict"));
        assertEquals(Boolean.TRUE, run.targets.get(1).toMap().get("met"));
        Map<String, Object> r = Report.toMap(run.results.getFirst());
        assertEquals(Boolean.FALSE, r.get("reliable"));
        assertEquals(30.0, (Double) r.get("error_pct"), 1e-9);
        // and it survives the JSON writer and reader
        Object back = JsonIo.parse(JsonIo.write(Map.of("targets", List.of(target))));
        assertEquals("unreliable", ((Map<?, ?>) ((List<?>) ((Map<?, ?>) back).get("targets")).getFirst()).get("verdict"));
    }

    @Test
    void resultsAreReadFromJmhAndTheFloor() {
        String jmh = """
                [{"benchmark": "io.ancdb.bench.Reads.directRead", "threads": 1,
                  "params": {"store": "ancdb-java", "config": "tuned", "shape": "kv", "records": "1000000", "threads": "4"},
                  "primaryMetric": {"score": 1.5, "scoreError": "NaN", "scoreUnit": "us/op"}}]""";
        Result r = Result.fromJmh(Report.cast(((List<?>) JsonIo.parse(jmh)).getFirst()));
        assertEquals("Reads.directRead", r.benchmark());
        assertEquals("Reads", r.workload());
        assertEquals("directRead", r.op());
        assertEquals(Map.of("threads", "4"), r.params());
        assertTrue(Double.isNaN(r.error()));
        assertFalse(r.reliable());
        assertEquals("ancdb-java tuned threads=4", r.label());
        String floor = """
                {"mirrors": "io.ancdb.bench.Writes.atomicWrite", "config": "default", "score": 1200.5, "error": null,
                 "unit": "us/op", "iterations": 1, "work": "begin + seek + insert + commit"}""";
        Result f = Result.fromFloor(Report.cast(JsonIo.parse(floor)), 1000);
        assertEquals("Writes.atomicWrite", f.benchmark());
        assertEquals("c-floor", f.store());
        assertEquals("begin + seek + insert + commit", f.work());
        assertFalse(f.reliable());
    }

    @Test
    void jsonRoundTrips() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("text", "quote \" backslash \\ newline \n tab \t unicode \u00e9 \u0001");
        m.put("whole", 3.0);
        m.put("fraction", 0.125);
        m.put("nan", Double.NaN);
        m.put("list", List.of(1.0, "two", true, List.of()));
        m.put("empty", Map.of());
        m.put("null", null);
        String text = JsonIo.write(m);
        assertTrue(text.contains("\"whole\" : 3,"), text);
        assertTrue(text.contains("\"nan\" : null"), text);
        Map<String, Object> back = Report.cast(JsonIo.parse(text));
        assertEquals(m.get("text"), back.get("text"));
        assertEquals(0.125, back.get("fraction"));
        assertNull(back.get("nan"));
        assertEquals(List.of(1.0, "two", true, List.of()), back.get("list"));
        assertEquals(Map.of(), back.get("empty"));
        assertTrue(back.containsKey("null"));
        assertTrue(Double.isNaN((Double) JsonIo.parse("NaN")));
    }
}

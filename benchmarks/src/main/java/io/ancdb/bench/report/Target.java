package io.ancdb.bench.report;

import io.ancdb.bench.Config;
import io.ancdb.bench.Store;
import io.ancdb.bench.TargetSpec;
import io.ancdb.bench.TargetSpec.Figure;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A {@link TargetSpec} evaluated against one run.
 *
 * @param spec      the promise
 * @param config    the configuration figure a was taken in (resolved from "best of STORE"); b is taken in
 *                  the same one unless the spec fixes another for it
 * @param ratio     a's speed over b's (FASTER) or a's time over b's (WITHIN); NaN when not measured
 * @param verdict   met, missed, unreliable or not measured
 * @param dependsOn every figure the verdict rests on: a, b and, for "best of", the figures that chose the config
 */
public record Target(TargetSpec spec, String config, double ratio, Verdict verdict, List<Result> dependsOn) {

    /** Evaluates every spec, in order. */
    static List<Target> evaluate(List<TargetSpec> specs, List<Result> all) {
        List<Target> out = new ArrayList<>();
        for (TargetSpec s : specs) {
            out.add(evaluate(s, all));
        }
        return out;
    }

    static Target evaluate(TargetSpec spec, List<Result> all) {
        List<Result> deps = new ArrayList<>();
        String config = resolveConfig(spec.a(), all, deps);
        Result a = Result.find(all, spec.a(), config);
        Result b = Result.find(all, spec.b(), configOfB(spec, config));
        if (a == null || b == null) {
            return new Target(spec, config, Double.NaN, Verdict.NOT_MEASURED, List.of());
        }
        deps.remove(a);
        deps.remove(b);
        deps.add(0, a);
        deps.add(1, b);
        double ratio = spec.relation() == TargetSpec.Relation.FASTER ? a.speedupOver(b) : b.speedupOver(a);
        boolean holds = spec.relation() == TargetSpec.Relation.FASTER ? ratio >= spec.factor() : ratio <= spec.factor();
        Verdict v = deps.stream().allMatch(Result::reliable) ? (holds ? Verdict.MET : Verdict.MISSED) : Verdict.UNRELIABLE;
        return new Target(spec, config, ratio, v, List.copyOf(deps));
    }

    /**
     * The configuration of figure b: a's (resolved) one when b's is "best of" or the same as a's, else
     * its own (a target across configurations: ANC-DB's default against sqlite-jdbc's stock settings).
     */
    static String configOfB(TargetSpec spec, String configOfA) {
        TargetSpec.Figure b = spec.b();
        return b.bestOf() != null || b.config().equals(spec.a().config()) ? configOfA : b.config();
    }

    /**
     * The configuration of figure {@code f}: fixed, or for "best of STORE" the
     * one of the shared configurations ({@link Config#shared()}) in which STORE
     * scored better on f's benchmark (tuned when one of them is missing); the
     * STORE figures compared are added to {@code deps}.
     */
    static String resolveConfig(Figure f, List<Result> all, List<Result> deps) {
        String store = f.bestOf();
        if (store == null) {
            return f.config();
        }
        Figure of = f.withStore(store);
        Result best = null;
        for (Config c : Config.shared()) {
            Result r = Result.find(all, of, c.id());
            if (r == null) {
                continue;
            }
            deps.add(r);
            if (best == null || r.speedupOver(best) > 1) {
                best = r;
            }
        }
        return best == null ? Config.TUNED.id() : best.config();
    }

    /** The figures whose error is too wide (the reason for UNRELIABLE). */
    public List<Result> unreliable() {
        return dependsOn.stream().filter(r -> !r.reliable()).toList();
    }

    /** What was measured, in words: "ancdb-java tuned is 2.31x sqlite-jdbc tuned's speed". */
    public String measured() {
        if (verdict == Verdict.NOT_MEASURED) {
            for (TargetSpec.Figure f : List.of(spec.a(), spec.b())) {
                String why = Store.missing(f.store());
                if (why != null) {
                    return "not measured in this run: " + f.store() + " cannot run: " + why;
                }
            }
            return "not measured in this run";
        }
        Result a = dependsOn.get(0);
        Result b = dependsOn.get(1);
        return String.format(Locale.ROOT, spec.relation() == TargetSpec.Relation.FASTER
                ? "%s is %.2fx %s's speed" : "%s takes %.2fx the time of %s", a.label(), ratio, b.label());
    }

    /** Why it is unreliable: each too-wide figure with its error. */
    public String reason() {
        if (verdict != Verdict.UNRELIABLE) {
            return "";
        }
        List<String> parts = new ArrayList<>();
        for (Result r : unreliable()) {
            parts.add(r.label() + " " + Markdown.errorText(r));
        }
        return String.join(", ", parts) + " (wider than ±" + Math.round(Result.MAX_RELATIVE_ERROR * 100) + "%)";
    }

    /** The JSON form. */
    Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("goal", spec.goal());
        m.put("config", config);
        m.put("relation", spec.relation().name().toLowerCase(Locale.ROOT));
        m.put("factor", spec.factor());
        m.put("ratio", ratio);
        m.put("measured", measured());
        m.put("verdict", verdict.id);
        m.put("met", verdict == Verdict.MET ? Boolean.TRUE : verdict == Verdict.MISSED ? Boolean.FALSE : null);
        m.put("figures", dependsOn.stream().map(Report::toMap).toList());
        if (verdict == Verdict.UNRELIABLE) {
            m.put("unreliable_because", reason());
        }
        return m;
    }
}

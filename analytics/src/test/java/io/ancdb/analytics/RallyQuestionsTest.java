package io.ancdb.analytics;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The two business questions on a generated store of 50 pair files: the
 * pairs {@code analytics/sql/lead_time.sql} and {@code conversion.sql} flag
 * are exactly the planted ones, and for a sample of pairs (flagged and not)
 * the {@code sqlite3} shell computes the same figures from the same files
 * ({@code analytics/sql/sqlite/}). Seed: {@code -Danalytics.seed=N}.
 */
class RallyQuestionsTest {
    private static final Path SQL = Path.of("sql");

    @TempDir
    Path dir;

    @Test
    void theFlaggedPairsAreExactlyThePlantedOnesAndTheShellAgrees() throws Exception {
        long seed = Long.getLong("analytics.seed", 20261202L);
        System.out.println("RallyQuestionsTest: seed " + seed + " (replay with -Danalytics.seed=" + seed + ")");
        RallyGenerator.Result gen = RallyGenerator.generate(dir, RallyGenerator.Plan.of(50, 6, seed, 10), 2, null);
        assertEquals(5, gen.leadPlanted().size());
        assertEquals(5, gen.conversionPlanted().size());

        List<List<String>> lead;
        List<List<String>> conversion;
        long now;
        try (StoreSource src = PlainStoreSource.open(dir, null);
             StoreAnalytics a = StoreAnalytics.load(src, LoadOptions.defaults())) {
            assertEquals(50, a.report().files());
            assertEquals(gen.events(), a.report().rows());
            lead = Fixtures.rows(a, Files.readString(SQL.resolve("lead_time.sql")));
            conversion = Fixtures.rows(a, Files.readString(SQL.resolve("conversion.sql")));
            now = Long.parseLong(Fixtures.rows(a, "SELECT max(ts) FROM Event").getFirst().getFirst());
        }
        assertEquals(gen.leadPlanted(), pairs(lead), "lead-time pairs flagged: " + lead);
        assertEquals(gen.conversionPlanted(), pairs(conversion), "conversion pairs flagged: " + conversion);
        for (List<String> r : lead) {
            assertTrue(Double.parseDouble(r.get(5)) >= 20, r.toString());
        }

        // the shell, on the same files (the store is closed: no ANC-DB connection has them open)
        Random pick = new Random(seed);
        List<String> sample = new ArrayList<>();
        sample.addAll(pickSome(gen.leadPlanted(), 2, pick));
        sample.addAll(pickSome(gen.conversionPlanted(), 2, pick));
        TreeSet<String> plain = new TreeSet<>(gen.pairs());
        plain.removeAll(gen.leadPlanted());
        plain.removeAll(gen.conversionPlanted());
        sample.addAll(pickSome(plain, 3, pick));
        Map<String, List<String>> leadByPair = byPair(lead);
        Map<String, List<String>> convByPair = byPair(conversion);
        for (String pair : sample) {
            Path file = dir.resolve(pair + ".db");
            String param = ".param set :now " + now + "\n";
            String[] f = Shell.run(file, param + Files.readString(SQL.resolve("sqlite/lead_time.sql"))).split("\\|");
            double before = Double.parseDouble(f[1]);
            double recent = Double.parseDouble(f[3]);
            List<String> duck = leadByPair.get(pair);
            if (duck == null) {
                assertFalse(recent >= 1.2 * before, pair + ": the shell flags what DuckDB did not: " + List.of(f));
            } else {
                assertEquals(duck.get(1), f[0], pair + " orders before");
                assertEquals(Double.parseDouble(duck.get(2)), before, 0.005 + 1e-9, pair + " hours before");
                assertEquals(duck.get(3), f[2], pair + " orders recent");
                assertEquals(Double.parseDouble(duck.get(4)), recent, 0.005 + 1e-9, pair + " hours recent");
            }
            long[] q = new long[2];
            long[] o = new long[2];
            List<Double> weekly = new ArrayList<>();
            List<String> weeks = List.of(Shell.run(file, param + Files.readString(SQL.resolve("sqlite/conversion.sql")))
                    .split("\n"));
            for (String line : weeks.reversed()) {                  // oldest first, as DuckDB lists them
                String[] w = line.split("\\|");
                int window = Integer.parseInt(w[0]) >= 3 ? 0 : 1;
                q[window] += Long.parseLong(w[1]);
                o[window] += Long.parseLong(w[2]);
                weekly.add(Math.round(100.0 * Long.parseLong(w[2]) / Long.parseLong(w[1])) / 100.0);
            }
            double rateBefore = (double) o[0] / q[0];
            double rateRecent = (double) o[1] / q[1];
            List<String> duckConv = convByPair.get(pair);
            if (duckConv == null) {
                assertFalse(rateRecent <= 0.6 * rateBefore, pair + ": the shell flags a drop DuckDB did not: " + weeks);
            } else {
                assertEquals(Double.parseDouble(duckConv.get(1)), rateBefore, 0.0005 + 1e-9, pair + " rate before");
                assertEquals(Double.parseDouble(duckConv.get(2)), rateRecent, 0.0005 + 1e-9, pair + " rate recent");
                assertEquals(weekly.toString(), duckConv.get(4), pair + " weekly rates");
            }
        }
    }

    @Test
    void theGenerateCommandPrintsThePlantedPairs() {
        Fixtures.Run r = Fixtures.cli(null, "generate", "--store", dir.resolve("s").toString(), "--pairs", "20",
                "--months", "5", "--seed", "7", "--rallies-per-week", "5");
        assertEquals(0, r.exit(), r.err());
        List<String> lines = r.out().lines().toList();
        assertTrue(lines.get(0).startsWith("generated 20 pair files, "), r.out());
        assertTrue(lines.get(1).matches("planted lead-time growth \\(2\\): c\\d+\\.c\\d+ c\\d+\\.c\\d+"), r.out());
        assertTrue(lines.get(2).matches("planted conversion drop \\(2\\): c\\d+\\.c\\d+ c\\d+\\.c\\d+"), r.out());
        Fixtures.Run again = Fixtures.cli(null, "generate", "--store", dir.resolve("s").toString(), "--pairs", "20");
        assertEquals(2, again.exit(), again.err());
    }

    private static TreeSet<String> pairs(List<List<String>> rows) {
        TreeSet<String> s = new TreeSet<>();
        rows.forEach(r -> s.add(r.getFirst()));
        return s;
    }

    private static Map<String, List<String>> byPair(List<List<String>> rows) {
        Map<String, List<String>> m = new TreeMap<>();
        rows.forEach(r -> m.put(r.getFirst(), r));
        return m;
    }

    private static List<String> pickSome(TreeSet<String> from, int n, Random rnd) {
        List<String> l = new ArrayList<>(from);
        java.util.Collections.shuffle(l, rnd);
        return l.subList(0, Math.min(n, l.size()));
    }
}

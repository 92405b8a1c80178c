package io.ancdb.analytics;

import io.ancdb.InvalidArgumentException;
import io.ancdb.OnConflict;
import io.ancdb.store.PairNames;
import io.ancdb.store.Store;
import io.ancdb.typed.FieldDef;
import io.ancdb.typed.FieldType;
import io.ancdb.typed.RecordDefinition;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Makes a store of pair files holding months of rally events (a quote, then
 * maybe an order, then a delivery-date answer) with planted changes, for the
 * two business questions ({@code analytics/sql/}) and their test:
 *
 * <ul>
 *   <li>every pair has its own lead time (quote to order, 2 to 36 hours, each
 *   rally within 10 % of it) and its own conversion (40 to 80 % of quotes get
 *   an order, exactly that share of every week's quotes);</li>
 *   <li><b>lead-time pairs</b>: in the last three weeks their lead time is
 *   1.5 times what it was (the question flags +20 % or more);</li>
 *   <li><b>conversion pairs</b>: in the last three weeks only 30 % of their
 *   usual share of quotes get an order (the question flags a drop of 40 %
 *   or more).</li>
 * </ul>
 *
 * Deterministic for a seed: the same pairs, events and planted sets. Time
 * runs up to {@link #END} (fixed, so a run does not depend on the clock);
 * quotes stop three days before it, so every order and answer of the last
 * quotes has happened by then. Records are about 300 bytes.
 */
public final class RallyGenerator {
    /** The end of the generated time (2026-06-01T00:00Z, in ms). */
    public static final long END = 1_780_272_000_000L;
    static final long HOUR = 3_600_000L;
    static final long DAY = 24 * HOUR;
    static final long WEEK = 7 * DAY;
    /** The planted changes apply to quotes in the last three weeks. */
    static final long RECENT = 3 * WEEK;

    /** The events: timestamps and rallies indexed. */
    public static final RecordDefinition EVENT = RecordDefinition.of("Event",
            FieldDef.of("id", FieldType.I64).asPrimaryKey(), FieldDef.of("ts", FieldType.I64).asIndexed(),
            FieldDef.of("rally", FieldType.I64).asIndexed(), FieldDef.of("kind", FieldType.STR),
            FieldDef.of("party", FieldType.STR), FieldDef.of("amount", FieldType.F64),
            FieldDef.of("delivery_ts", FieldType.I64), FieldDef.of("body", FieldType.STR));

    private static final String[] GOODS = {"steel coil S355", "copper cable 3x2.5", "pine boards 45x95",
            "PET granulate", "aluminium profile 6060", "cement CEM II", "glass wool 100 mm", "PVC pipe DN110"};

    /** What to generate. */
    public record Plan(int pairs, int months, long seed, int ralliesPerWeek, int leadPlanted, int conversionPlanted) {
        public Plan {
            if (pairs < 2 || pairs > 1_000_000 || months < 5 || months > 120 || ralliesPerWeek < 5
                    || ralliesPerWeek > 10_000) {
                throw new InvalidArgumentException("pairs must be 2 .. 1000000, months 5 .. 120 (the questions look "
                        + "16 weeks back), rallies per week 5 .. 10000");
            }
            if (leadPlanted < 0 || conversionPlanted < 0 || leadPlanted + conversionPlanted > pairs) {
                throw new InvalidArgumentException("the planted pairs must be at most the pairs");
            }
        }

        /** A tenth of the pairs (at least one) planted for each question. */
        public static Plan of(int pairs, int months, long seed, int ralliesPerWeek) {
            int planted = Math.max(1, pairs / 10);
            return new Plan(pairs, months, seed, ralliesPerWeek, planted, planted);
        }
    }

    /** What was generated: the pair names and which of them carry each planted change. */
    public record Result(List<String> pairs, TreeSet<String> leadPlanted, TreeSet<String> conversionPlanted,
                         long events) {
    }

    private RallyGenerator() {
    }

    /** Generates {@code plan} into the store {@code dir} on {@code threads} threads; progress on {@code err}. */
    public static Result generate(Path dir, Plan plan, int threads, PrintStream err) throws Exception {
        List<String> names = pairNames(plan.pairs(), plan.seed());
        List<String> shuffled = new ArrayList<>(names);
        Collections.shuffle(shuffled, new Random(plan.seed()));
        TreeSet<String> lead = new TreeSet<>(shuffled.subList(0, plan.leadPlanted()));
        TreeSet<String> conv = new TreeSet<>(shuffled.subList(plan.leadPlanted(),
                plan.leadPlanted() + plan.conversionPlanted()));
        long total;
        try (Store store = Store.open(dir);
             Progress progress = new Progress(err, "generating", names.size(), "files")) {
            store.define(EVENT);
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            try {
                List<Future<Long>> done = new ArrayList<>();
                for (int i = 0; i < names.size(); i++) {
                    int index = i;
                    String name = names.get(i);
                    done.add(pool.submit(() -> {
                        List<Map<String, Object>> events = pairEvents(name, index, plan, lead.contains(name),
                                conv.contains(name));
                        for (int from = 0; from < events.size(); from += 5000) {
                            List<Map<String, Object>> batch = events.subList(from, Math.min(events.size(), from + 5000));
                            store.write(name, w -> w.records("Event").insertBatch(w.tx(), batch, OnConflict.FAIL));
                        }
                        progress.rows(events.size());
                        progress.unitDone();
                        return (long) events.size();
                    }));
                }
                total = 0;
                for (Future<Long> f : done) {
                    total += f.get();
                }
            } finally {
                pool.shutdownNow();
            }
        }
        return new Result(names, lead, conv, total);
    }

    /** {@code n} distinct pairs of parties {@code c000, c001...}, in a seeded order. */
    static List<String> pairNames(int n, long seed) {
        int parties = 2;
        while ((long) parties * (parties - 1) / 2 < n) {
            parties++;
        }
        int width = Integer.toString(parties - 1).length();
        List<String> all = new ArrayList<>();
        for (int i = 0; i < parties; i++) {
            for (int j = i + 1; j < parties; j++) {
                all.add(PairNames.pair(party(i, width), party(j, width)));
            }
        }
        Collections.shuffle(all, new Random(seed ^ 0x5DEECE66DL));
        List<String> out = new ArrayList<>(all.subList(0, n));
        Collections.sort(out);
        return out;
    }

    private static String party(int i, int width) {
        return "c" + "0".repeat(Math.max(0, width - Integer.toString(i).length())) + i;
    }

    /** The events of one pair in time order, ids 1, 2, ... */
    static List<Map<String, Object>> pairEvents(String name, int index, Plan plan, boolean leadGrows,
                                                boolean conversionDrops) {
        SplittableRandom rnd = new SplittableRandom(plan.seed() * 1_000_003L + index);
        PairNames.Pair parties = PairNames.parse(name);
        long leadMs = 2 * HOUR + (long) (rnd.nextDouble() * 34 * HOUR);
        double conversion = 0.4 + 0.4 * rnd.nextDouble();
        long start = END - plan.months() * 30L * DAY;
        long lastQuote = END - 3 * DAY;
        List<Object[]> events = new ArrayList<>();          // {ts, rally, kind, amount, delivery}
        long rally = 0;
        // weeks counted back from END, so "the last three weeks" is whole weeks here
        for (long weekEnd = END; weekEnd - WEEK >= start; weekEnd -= WEEK) {
            long weekStart = weekEnd - WEEK;
            boolean recent = weekStart >= END - RECENT;
            int quotes = plan.ralliesPerWeek();
            double share = conversion * (recent && conversionDrops ? 0.3 : 1.0);
            int orders = (int) Math.round(share * quotes);
            boolean[] converts = new boolean[quotes];
            for (int i = 0; i < orders; i++) {
                converts[i] = true;
            }
            for (int i = quotes - 1; i > 0; i--) {            // a random subset of the week's quotes converts
                int j = rnd.nextInt(i + 1);
                boolean t = converts[i];
                converts[i] = converts[j];
                converts[j] = t;
            }
            for (int i = 0; i < quotes; i++) {
                long quoted = weekStart + (long) (rnd.nextDouble() * WEEK);
                if (quoted >= lastQuote) {
                    continue;
                }
                rally++;
                double amount = Math.round(100 + rnd.nextDouble() * 99_900) / 100.0 * 100;
                events.add(new Object[] {quoted, rally, "quote", amount, null});
                if (converts[i]) {
                    long lead = (long) (leadMs * (0.9 + 0.2 * rnd.nextDouble()) * (recent && leadGrows ? 1.5 : 1.0));
                    long ordered = quoted + lead;
                    long answered = ordered + HOUR + (long) (rnd.nextDouble() * 11 * HOUR);
                    events.add(new Object[] {ordered, rally, "order", amount, null});
                    events.add(new Object[] {answered, rally, "answer", amount,
                            answered + 3 * DAY + (long) (rnd.nextDouble() * 27 * DAY)});
                }
            }
        }
        events.sort((a, b) -> Long.compare((Long) a[0], (Long) b[0]));
        List<Map<String, Object>> out = new ArrayList<>(events.size());
        long id = 0;
        for (Object[] e : events) {
            String kind = (String) e[2];
            String goods = GOODS[(int) ((Long) e[1] % GOODS.length)];
            Map<String, Object> m = new HashMap<>();
            m.put("id", ++id);
            m.put("ts", e[0]);
            m.put("rally", e[1]);
            m.put("kind", kind);
            m.put("party", kind.equals("order") ? parties.second() : parties.first());
            m.put("amount", e[3]);
            m.put("delivery_ts", e[4]);
            m.put("body", body(kind, goods, (Long) e[1], (Double) e[3], name));
            out.add(m);
        }
        return out;
    }

    /** About 220 characters of free text, so that a record is about 300 bytes. */
    private static String body(String kind, String goods, long rally, double amount, String pair) {
        String head = kind + " #" + rally + " in " + pair + ": " + goods + ", total " + amount
                + " EUR, incoterm FCA, payment 30 days net, ";
        StringBuilder sb = new StringBuilder(head);
        String filler = "terms as agreed in the frame contract; quality certificate 3.1 attached; ";
        while (sb.length() < 220) {
            sb.append(filler);
        }
        sb.setLength(220);
        return sb.toString();
    }
}

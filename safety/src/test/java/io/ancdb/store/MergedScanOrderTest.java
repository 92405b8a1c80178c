package io.ancdb.store;

import io.ancdb.KeyRange;
import io.ancdb.OnConflict;
import io.ancdb.TestSeeds;
import io.ancdb.typed.FieldDef;
import io.ancdb.typed.FieldType;
import io.ancdb.typed.RecordDefinition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The order of a cross-file scan is the order of the per-file scans it
 * merges: u64 values unsigned (2^63 and above after 2^63-1), nil first
 * ascending, SQL's nil rule at the bounds, on the key, a u64 index and a
 * composite (str, u64) index. The expected rows come from a model written
 * here without the engine's comparator: unsigned through
 * {@link Long#compareUnsigned}, nil by hand.
 */
class MergedScanOrderTest {
    /** A u64 key, a nullable u64 indexed, a nullable str; a composite index (grp, at). */
    private static final RecordDefinition TICK = new RecordDefinition("Tick", List.of(
            FieldDef.of("id", FieldType.U64).asPrimaryKey(), FieldDef.of("at", FieldType.U64).asIndexed(),
            FieldDef.of("grp", FieldType.STR)), List.of(List.of("grp", "at")));
    /** u64 values around the signed/unsigned boundaries (as their bits), none 0: a 0 key is generated. */
    private static final long[] EDGES = {1, 2, 0x7FFF_FFFF_FFFF_FFFFL, Long.MIN_VALUE, Long.MIN_VALUE + 1, -2, -1};
    private static final String[] GROUPS = {null, "a", "b"};

    /** One row as the model holds it. */
    private record Tick(String db, long id, Long at, String grp) {
        Object[] tuple(String on) {
            return switch (on) {
                case "key" -> new Object[] {id};
                case "at" -> new Object[] {at};
                default -> new Object[] {grp, at};
            };
        }
    }

    @TempDir
    Path dir;

    @Test
    void theMergeKeepsEveryFileScansOrderForU64AndNils() {
        long seed = TestSeeds.seed("MergedScanOrderTest", "store.seed", System.nanoTime());
        Random rnd = new Random(seed);
        List<Tick> all = new ArrayList<>();
        List<String> names = new ArrayList<>();
        try (Store store = Store.open(dir, StoreFixtures.quick())) {
            store.define(TICK);
            for (int f = 0; f < 8; f++) {
                String name = "t.f" + f;
                names.add(name);
                Set<Long> keys = new HashSet<>();
                int rows = rnd.nextInt(25);
                store.write(name, w -> {
                    for (int i = 0; i < rows; i++) {
                        long id = u64(rnd);
                        if (!keys.add(id)) {
                            continue;
                        }
                        Long at = rnd.nextInt(5) == 0 ? null : u64(rnd);
                        String grp = GROUPS[rnd.nextInt(GROUPS.length)];
                        Map<String, Object> rec = new HashMap<>();
                        rec.put("id", id);
                        rec.put("at", at);
                        rec.put("grp", grp);
                        w.records("Tick").insert(w.tx(), rec, OnConflict.FAIL);
                        all.add(new Tick(name, id, at, grp));
                    }
                });
            }
            for (int round = 0; round < 300; round++) {
                String on = List.of("key", "at", "composite").get(rnd.nextInt(3));
                KeyRange range = switch (on) {
                    case "key" -> KeyRange.all();
                    case "at" -> KeyRange.onField("at");
                    default -> KeyRange.onField("Tick_grp_at");
                };
                RandomRange r = RandomRange.of(range, rnd, () -> bound(on, rnd), 40);
                List<Tick> expected = expected(all, on, r);
                List<Tick> got = new ArrayList<>();
                try (MergedScan scan = store.scan(names, "Tick", r.range())) {
                    scan.forEachRemaining(f -> got.add(new Tick(f.db(), (Long) f.record().get("id"),
                            (Long) f.record().get("at"), (String) f.record().get("grp"))));
                }
                assertEquals(expected, got, "round " + round + " " + r.range() + " (seed " + seed + ")");
            }
        }
    }

    private static long u64(Random rnd) {
        return rnd.nextBoolean() ? EDGES[rnd.nextInt(EDGES.length)] : rnd.nextLong() | 1;
    }

    /** A bound for the scanned key: one u64, or for the composite index a group and maybe a u64. */
    private static Object[] bound(String on, Random rnd) {
        if (!on.equals("composite")) {
            return new Object[] {u64(rnd)};
        }
        String grp = GROUPS[1 + rnd.nextInt(GROUPS.length - 1)];
        return rnd.nextBoolean() ? new Object[] {grp} : new Object[] {grp, u64(rnd)};
    }

    private static List<Tick> expected(List<Tick> all, String on, RandomRange r) {
        Comparator<Tick> key = (a, b) -> compareTuples(a.tuple(on), b.tuple(on));
        Comparator<Tick> id = (a, b) -> Long.compareUnsigned(a.id(), b.id());
        // equal index values: database name, then that file's own order (its u64 key, in scan direction)
        Comparator<Tick> order = r.desc() ? key.reversed().thenComparing(Tick::db).thenComparing(id.reversed())
                : key.thenComparing(Tick::db).thenComparing(id);
        return all.stream()
                .filter(t -> r.lo() == null || within(t.tuple(on), r.lo(), r.loIn() ? 0 : 1, true))
                .filter(t -> r.hi() == null || within(t.tuple(on), r.hi(), r.hiIn() ? 0 : -1, false))
                .sorted(order)
                .limit(r.limit() == 0 ? Long.MAX_VALUE : r.limit())
                .toList();
    }

    /**
     * SQL's row-value comparison of a tuple's first fields with a bound: a
     * nil reached before it is decided excludes the row; else the row is in
     * when the comparison is at least {@code need} (lower bound) or at most
     * it (upper bound).
     */
    private static boolean within(Object[] tuple, Object[] bound, int need, boolean lower) {
        int c = 0;
        for (int i = 0; i < bound.length && c == 0; i++) {
            if (tuple[i] == null) {
                return false;
            }
            c = compareValues(tuple[i], bound[i]);
        }
        return lower ? c >= need : c <= need;
    }

    private static int compareTuples(Object[] a, Object[] b) {
        for (int i = 0; i < a.length; i++) {
            int c = compareValues(a[i], b[i]);
            if (c != 0) {
                return c;
            }
        }
        return 0;
    }

    /** Nil first; u64 unsigned; text by its (ASCII) characters. */
    private static int compareValues(Object a, Object b) {
        if (a == null || b == null) {
            return a == null ? (b == null ? 0 : -1) : 1;
        }
        if (a instanceof Long x) {
            return Long.compareUnsigned(x, (Long) b);
        }
        return ((String) a).compareTo((String) b);
    }
}

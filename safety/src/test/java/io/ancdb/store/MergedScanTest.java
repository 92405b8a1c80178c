package io.ancdb.store;

import io.ancdb.InvalidArgumentException;
import io.ancdb.KeyRange;
import io.ancdb.TestSeeds;
import io.ancdb.TransactionConflictException;
import io.ancdb.typed.FieldDef;
import io.ancdb.typed.FieldType;
import io.ancdb.typed.RecordDefinition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

import static io.ancdb.store.StoreFixtures.EVENT;
import static io.ancdb.store.StoreFixtures.insertEvent;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Cross-file range scans: one merged, limited stream equal to sorting every file's rows together. */
class MergedScanTest {
    /** One row as the oracle sees it. */
    private record Seen(String db, long ts, long id) {
    }

    @TempDir
    Path dir;

    @Test
    void mergedScansEqualTheSortedUnionOfEveryFile() {
        long seed = TestSeeds.seed("MergedScanTest", "store.seed", System.nanoTime());
        Random rnd = new Random(seed);
        RecordDefinition note = RecordDefinition.of("Note", FieldDef.of("text", FieldType.STR));
        List<Seen> all = new ArrayList<>();
        List<String> names = new ArrayList<>();
        try (Store store = Store.open(dir, StoreFixtures.quick().withMaxOpen(64).withWaitTimeout(Duration.ofMillis(500)))) {
            store.define("acme.early", note);                  // exists before Event: has no Event rows to give
            store.define(EVENT);
            for (int f = 0; f < 30; f++) {
                String name = PairNames.pair("acme", String.format("p%02d", f));
                names.add(name);
                int rows = rnd.nextInt(f % 7 == 0 ? 1 : 40);  // some files stay empty
                store.write(name, w -> {
                    for (int i = 0; i < rows; i++) {
                        long ts = rnd.nextInt(50);                // few values: ties within and across files
                        all.add(new Seen(name, ts, insertEvent(w, ts, "quote", name + " " + i)));
                    }
                });
            }
            List<String> withEarly = new ArrayList<>(names);
            withEarly.add("acme.early");
            for (int round = 0; round < 200; round++) {
                boolean byTs = rnd.nextInt(4) != 0;
                RandomRange r = RandomRange.of(byTs ? KeyRange.onField("ts") : KeyRange.all(), rnd,
                        byTs ? () -> new Object[] {(long) rnd.nextInt(50)} : null, 60);
                List<Seen> expected = expected(all, byTs, r);
                List<Seen> got = new ArrayList<>();
                try (MergedScan scan = rnd.nextBoolean() ? store.scan(withEarly, "Event", r.range())
                        : store.scan("acme.*", "Event", r.range())) {
                    scan.forEachRemaining(f -> got.add(new Seen(f.db(), (Long) f.record().get("ts"),
                            (Long) f.record().get("id"))));
                }
                assertEquals(expected, got, "round " + round + " " + r.range() + " (seed " + seed + ")");
            }
            // every scan returned its files: none is borrowed (drop would wait, then fail)
            for (String n : names) {
                assertTrue(store.drop(n));
            }
        }
    }

    private static List<Seen> expected(List<Seen> all, boolean byTs, RandomRange r) {
        Comparator<Seen> key = byTs ? Comparator.comparingLong(Seen::ts) : Comparator.comparingLong(Seen::id);
        // equal index values: database name first, then that file's own order (its key, in scan direction)
        Comparator<Seen> order = r.desc()
                ? key.reversed().thenComparing(Seen::db).thenComparing(Comparator.comparingLong(Seen::id).reversed())
                : key.thenComparing(Seen::db).thenComparingLong(Seen::id);
        Long lo = r.lo() == null ? null : (Long) r.lo()[0];
        Long hi = r.hi() == null ? null : (Long) r.hi()[0];
        return all.stream()
                .filter(s -> lo == null || (r.loIn() ? s.ts() >= lo : s.ts() > lo))
                .filter(s -> hi == null || (r.hiIn() ? s.ts() <= hi : s.ts() < hi))
                .sorted(order)
                .limit(r.limit() == 0 ? Long.MAX_VALUE : r.limit())
                .toList();
    }

    @Test
    void aScanHoldsItsFilesOnlyUntilItEnds() {
        try (Store store = Store.open(dir, StoreFixtures.quick().withMaxOpen(3).withWaitTimeout(Duration.ofMillis(300)))) {
            store.define(EVENT);
            for (String n : List.of("a", "b", "c")) {
                store.write(n, w -> {
                    insertEvent(w, 1, "quote", n);
                    insertEvent(w, 2, "quote", n);
                });
            }
            store.write("d", w -> insertEvent(w, 1, "quote", "d"));
            MergedScan scan = store.scan(List.of("a", "b", "c"), "Event", KeyRange.onField("ts").limitTo(4));
            assertThrows(TransactionConflictException.class, () -> store.read("d", FileRead::version));
            List<String> dbs = new ArrayList<>();
            scan.forEachRemaining(r -> dbs.add(r.db() + r.record().get("ts")));
            assertEquals(List.of("a1", "b1", "c1", "a2"), dbs);    // the limit ended it: every file returned
            assertEquals(1L, store.read("d", FileRead::version));
            scan.close();
        }
    }

    @Test
    void missingFilesAndTagIndexes() {
        RecordDefinition tagged = RecordDefinition.of("Tagged", FieldDef.of("tags", FieldType.STRLIST).asIndexed(),
                FieldDef.of("n", FieldType.I64).asIndexed());
        try (Store store = Store.open(dir, StoreFixtures.quick())) {
            store.define(EVENT);
            store.define(tagged);
            store.write("a", w -> insertEvent(w, 1, "quote", "a"));
            assertThrows(DatabaseNotFoundException.class, () -> store.scan(List.of("a", "zz"), "Event", KeyRange.all()));
            try (MergedScan s = store.scan("*", "Event", KeyRange.all())) {      // a pattern only finds what exists
                assertEquals("a", s.next().db());
            }
            InvalidArgumentException e = assertThrows(InvalidArgumentException.class,
                    () -> store.scan(List.of("a"), "Tagged", KeyRange.onField("tags")));
            assertTrue(e.getMessage().contains("tag index"), e.getMessage());
            try (MergedScan s = store.scan(List.of("a"), "Tagged", KeyRange.onField("n"))) {
                assertFalse(s.hasNext());
            }
        }
    }
}

package io.ancdb.store;

import io.ancdb.KeyRange;
import io.ancdb.SqliteShell;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

import static io.ancdb.store.StoreFixtures.EVENT;
import static io.ancdb.store.StoreFixtures.insertEvent;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A store of 10 000 pair files through a 200-file cache (about 25 s on 2
 * cores, 72 s when they were shared with a load average of 15;
 * {@code make store-many STORE_FILES=N} for another count): every file created, listed, read back after
 * eviction and after a reopen, scanned across, dropped in part; the open
 * files and this process's descriptors stay bounded throughout; the stock
 * shell checks a sample.
 */
class StoreManyFilesTest {
    private static final int MAX_OPEN = 200;

    @TempDir
    Path dir;

    @Test
    void manyFiles() {
        int files = Integer.getInteger("store.files", 10_000);
        long seed = Long.getLong("store.seed", System.nanoTime());
        System.out.println("[StoreManyFilesTest] " + files + " files, seed " + seed + " (replay: -Dstore.seed=" + seed + ")");
        Random rnd = new Random(seed);
        long t0 = System.nanoTime();
        List<String> names = new ArrayList<>();
        for (int i = 0; i < files; i++) {
            names.add(PairNames.pair(String.format("a%03d", i / 100), String.format("b%03d", i % 100)));
        }
        long descriptorsBefore = StoreFixtures.descriptors();
        long descriptorBound = descriptorsBefore + (long) MAX_OPEN * Descriptors.perFile(StoreFixtures.quick().fileOptions()) + 16;
        List<long[]> events = new ArrayList<>();                  // {file index, ts} of every event written
        try (Store store = Store.open(dir, StoreFixtures.quick().withMaxOpen(MAX_OPEN))) {
            store.define(EVENT);
            for (int i = 0; i < files; i++) {
                int rows = 1 + rnd.nextInt(3);
                int file = i;
                assertEquals(1, store.write(names.get(i), 0, w -> {
                    for (int r = 0; r < rows; r++) {
                        long ts = rnd.nextInt(1_000_000) * 4L + r;     // distinct within a file
                        insertEvent(w, ts, "quote", names.get(file));
                        events.add(new long[] {file, ts});
                    }
                }));
                if (i % 500 == 0) {
                    assertTrue(store.openFiles() <= MAX_OPEN);
                    assertTrue(StoreFixtures.descriptors() <= descriptorBound,
                            StoreFixtures.descriptors() + " descriptors open after " + i + " files");
                }
            }
            System.out.printf("[StoreManyFilesTest] created %d files in %.1f s%n", files, (System.nanoTime() - t0) / 1e9);

            // list, in pages of 1000: every name once, in order
            List<String> listed = listAll(store);
            List<String> sorted = new ArrayList<>(names);
            sorted.sort(null);
            assertEquals(sorted, listed);

            // a party's 100 pairs, newest 20 events across them
            String party = String.format("a%03d", rnd.nextInt(Math.max(1, files / 100)));
            List<String> got = new ArrayList<>();
            try (MergedScan s = store.scan(party + ".*", "Event", KeyRange.onField("ts").reversed().limitTo(20))) {
                s.forEachRemaining(r -> got.add(r.db() + " " + r.record().get("ts")));
            }
            List<String> expected = events.stream().filter(e -> names.get((int) e[0]).startsWith(party + "."))
                    .sorted(Comparator.<long[]>comparingLong(e -> -e[1]).thenComparing(e -> names.get((int) e[0])))
                    .limit(20).map(e -> names.get((int) e[0]) + " " + e[1]).toList();
            assertEquals(expected, got);

            // a sample read back (most were evicted long ago)
            for (int k = 0; k < 200; k++) {
                String n = names.get(rnd.nextInt(files));
                FileStats st = store.stats(n);
                assertEquals(1, st.version());
                assertEquals(List.of("Event"), st.schemas());
            }
            for (int i = 0; i < files; i += 100) {                      // drop one file in a hundred
                assertTrue(store.drop(names.get(i)));
            }
            assertTrue(store.openFiles() <= MAX_OPEN);
            assertTrue(StoreFixtures.descriptors() <= descriptorBound);
        }
        assertEquals(descriptorsBefore, StoreFixtures.descriptors(), "closing the store closes every file");
        try (Store again = Store.open(dir, StoreFixtures.quick().withMaxOpen(MAX_OPEN))) {
            assertEquals(files - (files + 99) / 100, listAll(again).size());
            for (int k = 0; k < 100; k++) {
                int i = rnd.nextInt(files);
                assertEquals(i % 100 != 0, again.exists(names.get(i)));
            }
        }
        StringBuilder shell = new StringBuilder();
        List<String> sample = new ArrayList<>();
        for (int k = 0; k < 20; k++) {
            int i = 1 + rnd.nextInt(files - 1);
            if (i % 100 != 0) {
                sample.add(names.get(i));
                shell.append(".open ").append(dir.resolve(names.get(i) + ".db")).append('\n')
                        .append("PRAGMA integrity_check;\nPRAGMA user_version;\n");
            }
        }
        List<String> out = SqliteShell.lines(dir.resolve("unused.db"), shell.toString());
        assertEquals(2 * sample.size(), out.size());
        for (int k = 0; k < sample.size(); k++) {
            assertEquals("ok", out.get(2 * k), sample.get(k));
            assertEquals("1", out.get(2 * k + 1), sample.get(k));
        }
        System.out.printf("[StoreManyFilesTest] %d files: %.1f s in all%n", files, (System.nanoTime() - t0) / 1e9);
    }

    private static List<String> listAll(Store store) {
        List<String> listed = new ArrayList<>();
        String after = null;
        do {
            ListPage page = store.list(null, after, 1000);
            listed.addAll(page.names());
            after = page.next();
        } while (after != null);
        return listed;
    }
}

package io.ancdb.store;

import io.ancdb.AncDbException;
import io.ancdb.ErrorCode;
import io.ancdb.InvalidArgumentException;
import io.ancdb.TestSeeds;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;
import java.util.regex.Pattern;

import static io.ancdb.store.StoreFixtures.EVENT;
import static io.ancdb.store.StoreFixtures.insertEvent;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** Database and party names: hostile names refused with a clear error, nothing created outside the store. */
class StoreNamesTest {
    /** The documented rules, written a second way (a regex and word lists) as the test's oracle. */
    private static final Pattern SHAPE = Pattern.compile("[a-z0-9]([a-z0-9._-]{0,126}[a-z0-9])?");
    private static final Pattern SIDE_FILE = Pattern.compile(".*(-wal|-shm|-journal|-wal2|-mj[0-9a-f]+)");
    private static final Pattern DEVICE = Pattern.compile("(con|prn|aux|nul|com[0-9]|lpt[0-9])(\\..*)?");

    static boolean oracleValid(String s) {
        return SHAPE.matcher(s).matches() && !s.contains("..") && !SIDE_FILE.matcher(s).matches()
                && !DEVICE.matcher(s).matches();
    }

    static final List<String> HOSTILE = List.of("", ".", "..", "../x", "x/..", "a/../../b", "/etc/passwd",
            "/tmp/x", "a/b", "a\\b", "..\\..\\windows", "a\0b", "\0", "x".repeat(129), ".hidden", ".ancdb-store",
            "-lead", "_lead", "trail-", "trail.", "trail_", "a..b", "x-wal", "x-shm", "x-journal", "x-wal2",
            "x.db-wal", "x-mj0a1b2c3d", "con", "con.acme", "prn", "aux", "nul", "com1", "com9.x", "lpt1", "lpt9",
            "CON", "Acme", "ACME.GLOBEX", "\u0430cme" /* Cyrillic a */, "acme\u200b" /* zero-width space */,
            "\uff41cme" /* full-width a */, "acme\u0307", "\u0131", "stra\u00dfe", "a b", "a\tb", "a\nb",
            "a:b", "a*b", "a?b", "~root", "$home", "a%2f..", "c:\\x", "\\\\server\\share", "a\u2024b" /* one-dot leader */,
            "a\uff0eb" /* full-width full stop */, "a\u2215b" /* division slash */);

    static final List<String> FINE = List.of("a", "0", "acme.globex", "a-b_c.d", "x".repeat(128), "con1", "com10",
            "console", "wal", "x-walrus", "journal", "x-mj", "x-mjz", "a.b.c", "acme.globex.2026");

    @TempDir
    Path sandbox;

    @Test
    void theDocumentedExamples() {
        for (String s : HOSTILE) {
            assertFalse(oracleValid(s), s);
            InvalidArgumentException e = assertThrows(InvalidArgumentException.class, () -> StoreNames.requireValid(s),
                    StoreNames.quoted(s));
            assertEquals(ErrorCode.INVALID_COMMAND, e.errorCode());
            assertTrue(e.getMessage().contains("database name"), e.getMessage());
            assertFalse(e.getMessage().contains("\0"), "a message must not carry raw control characters");
        }
        for (String s : FINE) {
            assertTrue(oracleValid(s), s);
            assertEquals(s, StoreNames.requireValid(s));
        }
        assertTrue(StoreNames.requireValid("x".repeat(128)).length() == StoreNames.MAX_LENGTH);
        assertTrue(assertThrows(InvalidArgumentException.class, () -> StoreNames.requireValid("Acme"))
                .getMessage().contains("lower case"));
    }

    @Test
    void hostileNamesAreRefusedEverywhereAndNothingIsCreatedOutsideTheStore() {
        Path dir = sandbox.resolve("store");
        try (Store store = Store.open(dir, StoreFixtures.quick())) {
            store.define(EVENT);
            List<Path> before = StoreFixtures.tree(sandbox);
            for (String s : HOSTILE) {
                refusedEverywhere(store, s);
            }
            assertEquals(before, StoreFixtures.tree(sandbox));
        }
    }

    @Test
    void fuzzedNamesEitherMapToOneFileInTheStoreOrAreRefused() throws Exception {
        long seed = TestSeeds.seed("StoreNamesTest", "store.seed", System.nanoTime());
        Random rnd = new Random(seed);
        Path dir = sandbox.resolve("store");
        int accepted = 0;
        int refused = 0;
        try (Store store = Store.open(dir, StoreFixtures.quick().withMaxOpen(16))) {
            store.define(EVENT);
            List<Path> outside = new ArrayList<>(StoreFixtures.tree(sandbox));
            outside.removeIf(p -> p.startsWith(dir));
            for (int i = 0; i < 3000; i++) {
                String s = randomName(rnd);
                if (oracleValid(s)) {
                    assertTrue(StoreNames.isValid(s), "refused a valid name " + StoreNames.quoted(s) + " (seed " + seed + ")");
                    store.write(s, w -> insertEvent(w, 1, "quote", s));
                    Path file = dir.resolve(s + ".db");
                    assertTrue(Files.isRegularFile(file), s);
                    assertEquals(dir, file.getParent());
                    assertTrue(store.exists(s));
                    accepted++;
                } else {
                    refusedEverywhere(store, s);
                    refused++;
                }
            }
            List<Path> outsideAfter = new ArrayList<>(StoreFixtures.tree(sandbox));
            outsideAfter.removeIf(p -> p.startsWith(dir));
            assertEquals(outside, outsideAfter, "something was created outside the store directory");
            // inside it: only the schema file and the accepted names' files (and their side files)
            try (var files = Files.list(dir)) {
                for (Path p : files.toList()) {
                    String f = p.getFileName().toString();
                    if (f.equals(StoreFiles.CREATING)) {
                        try (var left = Files.list(p)) {
                            assertEquals(0, left.count(), "a creation left its temporary file");
                        }
                        continue;
                    }
                    String base = f.replaceAll("\\.db(-wal|-shm|-journal)?$", "");
                    assertTrue(f.startsWith(StoreSchemas.FILE) || (f.matches(".*\\.db(-wal|-shm|-journal)?") && oracleValid(base)),
                            "unexpected file " + StoreNames.quoted(f) + " (seed " + seed + ")");
                }
            }
        }
        assertTrue(accepted > 200 && refused > 200, accepted + " accepted, " + refused + " refused");
    }

    private static void refusedEverywhere(Store store, String s) {
        List<Consumer<String>> ops = List.of(
                n -> store.write(n, w -> insertEvent(w, 1, "quote", "x")),
                n -> store.beginRead(n).close(),
                store::stats, store::drop, store::exists,
                n -> store.define(n, EVENT),
                n -> store.list(null, n, 10),
                n -> store.scan(List.of(n), "Event", io.ancdb.KeyRange.all()).close());
        for (Consumer<String> op : ops) {
            try {
                op.accept(s);
                fail("accepted the name " + StoreNames.quoted(s));
            } catch (AncDbException e) {
                assertEquals(ErrorCode.INVALID_COMMAND, e.errorCode(), StoreNames.quoted(s) + ": " + e.getMessage());
            }
        }
    }

    /** Half from the name alphabet (many valid), half from a hostile one. */
    private static String randomName(Random rnd) {
        String fine = "abcxyz0129._-";
        String[] hostile = {"/", "\\", "\0", "..", "A", "Z", " ", ":", "*", "?", "~", "\u0430", "\uff41", "\u200b",
                "\u2024", "-wal", "-shm", "-journal", "con", "lpt1", "\n", "%", "\u00e9", "\ud83d\ude00"};
        int len = rnd.nextInt(10) == 0 ? 120 + rnd.nextInt(20) : rnd.nextInt(24);
        StringBuilder b = new StringBuilder();
        boolean clean = rnd.nextBoolean();
        while (b.length() < len) {
            if (clean || rnd.nextInt(4) != 0) {
                b.append(fine.charAt(rnd.nextInt(fine.length())));
            } else {
                b.append(hostile[rnd.nextInt(hostile.length)]);
            }
        }
        return b.toString();
    }

    // --- pairs ---------------------------------------------------------------------------

    @Test
    void aPairIsOneNameWhateverTheOrderAndParsesBack() {
        assertEquals("acme.globex", PairNames.pair("acme", "globex"));
        assertEquals("acme.globex", PairNames.pair("globex", "acme"));
        assertEquals(new PairNames.Pair("acme", "globex"), PairNames.parse("acme.globex"));
        assertNull(PairNames.parse("globex.acme"));               // not canonical
        assertNull(PairNames.parse("acme"));
        assertNull(PairNames.parse("a.b.c"));
        assertNull(PairNames.parse("acme.acme"));
        assertNull(PairNames.parse("acme.Globex"));
        assertThrows(InvalidArgumentException.class, () -> PairNames.pair("acme", "acme"));
        assertThrows(InvalidArgumentException.class, () -> PairNames.pair("ac.me", "globex"));
        assertThrows(InvalidArgumentException.class, () -> PairNames.pair("Acme", "globex"));
        assertThrows(InvalidArgumentException.class, () -> PairNames.pair("con", "globex"));
        assertThrows(InvalidArgumentException.class, () -> PairNames.pair("acme", "x".repeat(61)));
    }

    @Test
    void fuzzedPartiesMakeValidNamesThatParseToThemselves() {
        long seed = Long.getLong("store.seed", System.nanoTime());
        System.out.println("[StoreNamesTest] pair seed " + seed + " (replay: -Dstore.seed=" + seed + ")");
        Random rnd = new Random(seed);
        int pairs = 0;
        for (int i = 0; i < 5_000; i++) {
            String a = randomName(rnd).replace('.', '-');
            String b = randomName(rnd).replace('.', '_');
            boolean valid = PairNames.isParty(a) && PairNames.isParty(b) && !a.equals(b);
            assertEquals(oracleValid(a) && a.length() <= 60 && oracleValid(b) && b.length() <= 60 && !a.equals(b), valid,
                    StoreNames.quoted(a) + " " + StoreNames.quoted(b) + " (seed " + seed + ")");
            if (!valid) {
                assertThrows(InvalidArgumentException.class, () -> PairNames.pair(a, b));
                continue;
            }
            String n = PairNames.pair(a, b);
            assertEquals(n, PairNames.pair(b, a));
            assertTrue(StoreNames.isValid(n), n);
            PairNames.Pair p = PairNames.parse(n);
            assertTrue(p.includes(a) && p.includes(b), n);
            pairs++;
        }
        assertTrue(pairs > 250, pairs + " valid pairs");
    }
}

package io.ancdb.store;

import io.ancdb.AncDbException;
import io.ancdb.ErrorCode;
import io.ancdb.InvalidArgumentException;
import io.ancdb.KeyRange;
import io.ancdb.TestSeeds;
import io.ancdb.store.AccessPolicy.Operation;
import io.ancdb.typed.FieldDef;
import io.ancdb.typed.FieldType;
import io.ancdb.typed.RecordDefinition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;

import static io.ancdb.store.StoreFixtures.EVENT;
import static io.ancdb.store.StoreFixtures.insertEvent;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** Tokens, the access decision, and a store seen through a party's token. */
class AccessTest {
    private static final List<String> PARTIES = List.of("acme", "globex", "initech", "umbrella", "hooli");
    private static final String T_ACME = "acme-token-0123456789abcdef0123456789";
    private static final String T_ACME_RO = "acme-readonly-0123456789abcdef012345";
    private static final String T_ADMIN = "admin-token-0123456789abcdef01234567";

    @TempDir
    Path dir;

    // --- the token file ------------------------------------------------------------------

    @Test
    void aTokenFileHoldsHashesAndGrantsWhatItSays() throws Exception {
        Path file = dir.resolve("tokens");
        Files.write(file, List.of("# ANC-DB tokens", "",
                TokenFile.entry(T_ACME, Principal.party("acme", true)),
                "  " + TokenFile.entry(T_ACME_RO, Principal.party("acme", false)) + "  ",
                TokenFile.entry(T_ADMIN, Principal.admin(true))));
        String text = Files.readString(file);
        assertFalse(text.contains(T_ACME) || text.contains(T_ADMIN), "tokens are stored hashed");
        assertTrue(text.contains(TokenFile.hash(T_ACME)));
        TokenFile tokens = TokenFile.load(file);
        assertEquals(3, tokens.size());
        assertEquals(Principal.party("acme", true), tokens.authenticate(T_ACME));
        assertEquals(Principal.party("acme", false), tokens.authenticate(T_ACME_RO));
        assertEquals(Principal.admin(true), tokens.authenticate(T_ADMIN));
        assertNull(tokens.authenticate(T_ACME + "x"));
        assertNull(tokens.authenticate(""));
        assertNull(tokens.authenticate(null));
        assertThrows(InvalidArgumentException.class, () -> TokenFile.entry("short", Principal.admin(true)));
        AncDbException missing = assertThrows(AncDbException.class, () -> TokenFile.load(dir.resolve("nope")));
        assertEquals(ErrorCode.IO_ERROR, missing.errorCode());
    }

    @Test
    void theReadmesTokenFileParsesAndItsHashCommandAgrees() throws Exception {
        String readme = Files.readString(Path.of("../README.md"));
        int start = readme.indexOf("  # <sha256 of the token");
        List<String> block = readme.substring(start, readme.indexOf("```", start)).lines().map(String::strip).toList();
        assertEquals(2, TokenFile.parse(block).size());
        ProcessBuilder pb = new ProcessBuilder("sh", "-c", "printf %s \"$TOKEN\" | sha256sum");
        pb.environment().put("TOKEN", T_ACME);
        Process q = pb.start();
        String out = new String(q.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertEquals(0, q.waitFor());
        assertEquals(TokenFile.hash(T_ACME), out.split("\\s+")[0]);
    }

    @Test
    void aBadLineFailsTheLoadNamingTheLine() {
        String h = TokenFile.hash(T_ACME);
        Map<String, String> bad = new LinkedHashMap<>();
        bad.put(h + " read-write", "expected <sha256-hex>");
        bad.put(h.toUpperCase() + " read admin", "64 lower-case hex");
        bad.put(h.substring(1) + " read admin", "64 lower-case hex");
        bad.put(h + " write admin", "read or read-write");
        bad.put(h + " read root", "admin or party:NAME");
        bad.put(h + " read party:Acme", "invalid party");
        bad.put(h + " read party:ac.me", "invalid party");
        bad.put(h + " read party:", "invalid party");
        for (Map.Entry<String, String> e : bad.entrySet()) {
            InvalidArgumentException x = assertThrows(InvalidArgumentException.class,
                    () -> TokenFile.parse(List.of("# header", e.getKey())), e.getKey());
            assertTrue(x.getMessage().contains("line 2") && x.getMessage().contains(e.getValue()), x.getMessage());
        }
        InvalidArgumentException twice = assertThrows(InvalidArgumentException.class,
                () -> TokenFile.parse(List.of(h + " read admin", h + " read-write party:acme")));
        assertTrue(twice.getMessage().contains("line 2") && twice.getMessage().contains("twice"), twice.getMessage());
    }

    // --- the decision ----------------------------------------------------------------------

    @Test
    void theDecisionFollowsTheDocumentedRules() {
        long seed = TestSeeds.seed("AccessTest", "store.seed", System.nanoTime());
        Random rnd = new Random(seed);
        for (int i = 0; i < 50_000; i++) {
            Principal p = rnd.nextInt(6) == 0 ? Principal.admin(rnd.nextBoolean())
                    : Principal.party(PARTIES.get(rnd.nextInt(PARTIES.size())), rnd.nextBoolean());
            String name = randomName(rnd);
            Operation op = Operation.values()[rnd.nextInt(3)];
            assertEquals(expected(p, op, name), AccessPolicy.allows(p, op, name),
                    p + " " + op + " " + name + " (seed " + seed + ")");
        }
        assertFalse(AccessPolicy.allows(null, Operation.READ, "acme.globex"));
        assertFalse(AccessPolicy.allows(Principal.party("acme", true), null, "acme.globex"));
    }

    /** The rule as the README states it, spelled out on the name's text. */
    private static boolean expected(Principal p, Operation op, String name) {
        if (op != Operation.READ && !p.readWrite()) {
            return false;
        }
        if (p.party() == null) {
            return true;
        }
        if (op == Operation.ADMIN) {
            return false;
        }
        String[] parts = name.split("\\.", -1);
        return parts.length == 2 && parts[0].compareTo(parts[1]) < 0 && PairNames.isParty(parts[0])
                && PairNames.isParty(parts[1]) && (parts[0].equals(p.party()) || parts[1].equals(p.party()));
    }

    private static String randomName(Random rnd) {
        String a = PARTIES.get(rnd.nextInt(PARTIES.size()));
        String b = PARTIES.get(rnd.nextInt(PARTIES.size()));
        return switch (rnd.nextInt(8)) {
            case 0 -> a + "." + b;                                    // either order, maybe the same party
            case 1 -> a;
            case 2 -> a + "." + b + ".x";
            case 3 -> a + "x." + b;                                   // a party whose name contains another
            case 4 -> "x" + a + "." + b;
            case 5 -> a + "-" + b;
            case 6 -> a + "." + b.toUpperCase();
            default -> a.compareTo(b) == 0 ? a : PairNames.pair(a, b);
        };
    }

    // --- a store through a party's eyes -----------------------------------------------------

    @Test
    void aPartyReachesNothingButItsPairsAndARefusalTellsNothing() throws Exception {
        RecordDefinition own = RecordDefinition.of("Secret", FieldDef.of("text", FieldType.STR));
        try (Store store = Store.open(dir.resolve("store"), StoreFixtures.quick())) {
            store.define(EVENT);
            List<String> allPairs = new ArrayList<>();
            for (int i = 0; i < PARTIES.size(); i++) {
                for (int j = i + 1; j < PARTIES.size(); j++) {
                    allPairs.add(PairNames.pair(PARTIES.get(i), PARTIES.get(j)));
                }
            }
            List<String> existing = new ArrayList<>();
            for (int k = 0; k < allPairs.size(); k += 2) {            // every other pair file exists
                String n = allPairs.get(k);
                existing.add(n);
                store.write(n, w -> insertEvent(w, 1, "quote", n));
            }
            store.write("ledger", w -> insertEvent(w, 1, "quote", "admin only"));
            Map<String, Long> versions = versions(store, existing);
            List<Path> tree = StoreFixtures.tree(dir);

            GuardedStore acme = new GuardedStore(store, Principal.party("acme", true));
            List<String> foreign = new ArrayList<>(allPairs);
            foreign.removeIf(n -> PairNames.parse(n).includes("acme"));
            foreign.addAll(List.of("ledger", "nobody", "acmex.globex", "acme.globex.x", "globex.acme"));
            String refusal = null;
            for (String n : foreign) {
                for (Consumer<String> op : everyOperation(acme, own)) {
                    UnauthorizedException e = assertThrows(UnauthorizedException.class, () -> op.accept(n), n);
                    assertEquals(ErrorCode.UNAUTHORIZED, e.errorCode());
                    if (refusal == null) {
                        refusal = e.getMessage();
                    }
                    assertEquals(refusal, e.getMessage(), "the refusal must read the same for every name");
                }
            }
            assertUnauthorized(() -> acme.define(EVENT));            // store-wide: admins only
            assertEquals(tree, StoreFixtures.tree(dir), "a refused request created or removed a file");
            assertEquals(versions, versions(store, existing), "a refused request wrote");

            // what acme may see and do: its own pairs only
            List<String> mine = new ArrayList<>(existing);
            mine.removeIf(n -> !PairNames.parse(n).includes("acme"));
            assertEquals(mine, acme.list(null, null, 100).names());
            List<String> scanned = new ArrayList<>();
            try (MergedScan s = acme.scan("*", "Event", KeyRange.all())) {
                s.forEachRemaining(r -> scanned.add(r.db()));
            }
            scanned.sort(null);
            assertEquals(mine, scanned);
            String newPair = PairNames.pair("acme", "hooli");
            assertFalse(store.exists(newPair));
            assertEquals(1, acme.write(newPair, 0, w -> insertEvent(w, 2, "quote", "new")));
            assertEquals(1, acme.read(newPair, FileRead::version));
            assertUnauthorized(() -> acme.drop(newPair));

            GuardedStore readOnly = new GuardedStore(store, Principal.party("acme", false));
            assertEquals(1, readOnly.stats(newPair).version());
            assertUnauthorized(() -> readOnly.write(newPair, Store.ANY_VERSION, w -> insertEvent(w, 3, "x", "x")));
            assertUnauthorized(() -> readOnly.beginWrite(newPair, 1));

            GuardedStore admin = new GuardedStore(store, Principal.admin(true));
            assertEquals("admin only", admin.read("ledger", r -> StoreFixtures.events(r).get(0).get("body")));
            assertTrue(admin.drop(newPair));
            GuardedStore adminRo = new GuardedStore(store, Principal.admin(false));
            assertEquals(1, adminRo.stats("ledger").version());
            assertUnauthorized(() -> adminRo.write("ledger", Store.ANY_VERSION, w -> insertEvent(w, 3, "x", "x")));
            assertUnauthorized(() -> adminRo.drop("ledger"));
        }
    }

    private static List<Consumer<String>> everyOperation(GuardedStore g, RecordDefinition own) {
        return List.of(
                n -> g.read(n, FileRead::version),
                n -> g.beginRead(n).close(),
                n -> g.write(n, Store.ANY_VERSION, w -> insertEvent(w, 9, "x", "x")),
                n -> g.write(n, 0, w -> insertEvent(w, 9, "x", "x")),
                n -> g.beginWrite(n, 1).close(),
                g::stats,
                n -> g.define(n, own),
                g::drop,
                n -> g.scan(List.of(n), "Event", KeyRange.all()).close());
    }

    private static void assertUnauthorized(Runnable r) {
        try {
            r.run();
            fail("not refused");
        } catch (UnauthorizedException e) {
            assertEquals(6, e.code());
        }
    }

    private static Map<String, Long> versions(Store store, List<String> names) {
        Map<String, Long> v = new HashMap<>();
        for (String n : names) {
            v.put(n, store.stats(n).version());
        }
        return v;
    }
}

package io.ancdb.protocol;

import io.ancdb.DatabaseOptions;
import io.ancdb.store.Principal;
import io.ancdb.store.Store;
import io.ancdb.store.StoreOptions;
import io.ancdb.store.TokenFile;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import static io.ancdb.protocol.Msg.map;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Per-party access through the protocol (serve --store --token-file): a
 * party's token tried on every other name, existing or not, with every
 * command: the same status 6 and message whatever the file, nothing read,
 * nothing written or created, no version moved, and the connection stays
 * usable. Exhaustive over names x commands (no randomness).
 */
class StoreAccessProtocolTest {
    static final String T_ACME = "acme-token-0123456789abcdef0123456789";
    static final String T_ACME_RO = "acme-readonly-0123456789abcdef012345";
    static final String T_GLOBEX = "globex-token-0123456789abcdef01234567";
    static final String T_ADMIN = "admin-token-0123456789abcdef01234567";
    static final String T_SERVER = "server-admin-token-0123456789abcdef0";
    /** Files that exist (made by an administrator), and names that have none. */
    static final List<String> EXISTING = List.of("acme.globex", "globex.initech", "initech.umbrella", "acmex.globex",
            "ledger", "acme.hooli");
    static final List<String> MISSING = List.of("globex.umbrella", "hooli.initech", "acmex.initech", "ledger2",
            "acme.acmex.globex", "acme");
    static final List<Object> EVENT = StoreProtocolTest.EVENT;

    @TempDir
    Path dir;
    Path storeDir;
    Store store;
    CommandDispatcher d;

    @BeforeEach
    void open() throws IOException {
        Path tokens = dir.resolve("tokens");
        Files.write(tokens, List.of(TokenFile.entry(T_ACME, Principal.party("acme", true)),
                TokenFile.entry(T_ACME_RO, Principal.party("acme", false)),
                TokenFile.entry(T_GLOBEX, Principal.party("globex", true)),
                TokenFile.entry(T_ADMIN, Principal.admin(true))));
        storeDir = dir.resolve("store");
        store = Store.open(storeDir, StoreOptions.withFiles(StoreOptions.defaults().fileOptions()
                .withSynchronous(DatabaseOptions.Synchronous.OFF)));
        d = new CommandDispatcher(store, Limits.defaults(), T_SERVER, TokenFile.load(tokens));
        Session admin = session(T_ADMIN);
        call(admin, map("cmd", 0x20, "schema", "Event", "fields", EVENT)).ok();
        for (String name : EXISTING) {
            call(admin, map("cmd", 0x03, "db", name, "schema", "Event", "record", map("id", 1, "ts", 1, "kind", "x")))
                    .ok();
        }
    }

    @AfterEach
    void close() {
        d.close();
        store.close();
    }

    Session session(String token) {
        Session s = d.openSession();
        call(s, map("cmd", 0x30, "token", token)).ok();
        return s;
    }

    static Msg.Resp call(Session s, Object request) {
        return Msg.resp(s.handle(Msg.pack(request)));
    }

    /** Every command that names a file, on {@code name}. */
    static Map<String, Map<String, Object>> commands(String name) {
        Map<String, Map<String, Object>> c = new LinkedHashMap<>();
        c.put("DirectRead", map("cmd", 0x01, "db", name, "schema", "Event", "key", 1));
        c.put("RangeScan", map("cmd", 0x02, "db", name, "schema", "Event"));
        c.put("RangeScan list", map("cmd", 0x02, "db", List.of("acme.globex", name), "schema", "Event"));
        c.put("AtomicWrite", map("cmd", 0x03, "db", name, "schema", "Event", "record", map("ts", 2, "kind", "w")));
        c.put("AtomicWrite expecting", map("cmd", 0x03, "db", name, "expect_version", 1, "schema", "Event",
                "record", map("ts", 2, "kind", "w")));
        c.put("BatchWrite", map("cmd", 0x04, "db", name, "schema", "Event", "records", List.of(map("ts", 3))));
        c.put("AtomicUpdate", map("cmd", 0x05, "db", name, "schema", "Event", "key", 1, "delta", map("kind", "u")));
        c.put("Delete", map("cmd", 0x06, "db", name, "schema", "Event", "key", 1));
        c.put("BeginTx", map("cmd", 0x10, "db", name));
        c.put("DefineSchema", map("cmd", 0x20, "db", name, "schema", "Mine", "fields", EVENT));
        c.put("ListSchemas", map("cmd", 0x21, "db", name));
        c.put("DatabaseStats", map("cmd", 0x24, "db", name));
        c.put("DropDatabase", map("cmd", 0x25, "db", name));
        return c;
    }

    /** What the store holds: each file's bytes (so nothing written, created or dropped shows as a difference). */
    Map<String, String> snapshot() throws IOException {
        Map<String, String> files = new TreeMap<>();
        try (Stream<Path> s = Files.walk(storeDir)) {
            for (Path p : s.filter(Files::isRegularFile).filter(p -> p.toString().endsWith(".db")).toList()) {
                files.put(storeDir.relativize(p).toString(), String.join("\n",
                        Msg.sqlite(p, "PRAGMA user_version; SELECT * FROM Event ORDER BY id;")));
            }
        }
        return files;
    }

    @Test
    void aPartyReachesNothingBeyondItsPairsAndCannotTellWhetherAFileExists() throws IOException {
        Map<String, String> before = snapshot();
        Session acme = session(T_ACME);
        int tried = 0;
        for (String command : commands("x").keySet()) {
            Msg.Resp first = null;
            for (String name : concat(EXISTING, MISSING)) {
                if (name.equals("acme.globex") || name.equals("acme.hooli")) {
                    continue;                                        // acme's own pairs
                }
                Msg.Resp r = call(acme, commands(name).get(command)).fails(6);
                assertFalse(r.meta().containsKey("version"), command + " on " + name + " tells a version");
                if (first == null) {
                    first = r;
                }
                assertEquals(first.error(), r.error(), command + " on " + name + " answers differently");
                assertFalse(acme.closeRequested(), "a refusal leaves the connection usable");
                tried++;
            }
        }
        assertTrue(tried >= 13 * 10, "tried " + tried);
        assertEquals(before, snapshot(), "nothing was written, created, dropped or raised");
        // the connection goes on, and reaches acme's own pair
        assertEquals(1L, call(acme, map("cmd", 0x01, "db", "acme.globex", "schema", "Event", "key", 1)).ok()
                .meta().get("version"));
    }

    @Test
    void listingsAndPatternScansShowAPartyItsOwnPairsOnly() {
        Session acme = session(T_ACME);
        assertEquals(List.of("acme.globex", "acme.hooli"),
                call(acme, map("cmd", 0x23)).ok().record().get("names"));
        List<Object> rows = call(acme, map("cmd", 0x02, "db", "*", "schema", "Event")).ok().list();
        assertEquals(List.of("acme.globex", "acme.hooli"), rows.stream().map(r -> ((Map<?, ?>) r).get("db")).toList());
        Session globex = session(T_GLOBEX);
        assertEquals(List.of("acme.globex", "acmex.globex", "globex.initech"),
                call(globex, map("cmd", 0x23, "glob", "*")).ok().record().get("names"));
        assertEquals(EXISTING.stream().sorted().toList(),
                call(session(T_ADMIN), map("cmd", 0x23)).ok().record().get("names"));
    }

    @Test
    void storeWideCommandsNeedAnAdministratorWithReadWrite() throws IOException {
        Map<String, String> before = snapshot();
        for (String token : List.of(T_ACME, T_ACME_RO)) {
            Session s = session(token);
            call(s, map("cmd", 0x20, "schema", "Other", "fields", EVENT)).fails(6);
            call(s, map("cmd", 0x25, "db", "acme.globex")).fails(6);
        }
        Session readOnly = session(T_ACME_RO);
        call(readOnly, map("cmd", 0x01, "db", "acme.globex", "schema", "Event", "key", 1)).ok();
        call(readOnly, map("cmd", 0x03, "db", "acme.globex", "schema", "Event", "record", map("ts", 9))).fails(6);
        call(readOnly, map("cmd", 0x10, "db", "acme.globex")).fails(6);
        assertEquals(before, snapshot());
        // the server's --token is an administrator with read-write
        Session server = session(T_SERVER);
        assertEquals(Boolean.TRUE, call(server, map("cmd", 0x25, "db", "ledger")).ok().data());
        assertEquals(Boolean.FALSE, call(server, map("cmd", 0x25, "db", "ledger")).ok().data());
        assertFalse(Files.exists(storeDir.resolve("ledger.db")));
    }

    @Test
    void aWrongTokenStillEndsTheSession() {
        Session s = d.openSession();
        call(s, map("cmd", 0x30, "token", "acme-token-wrong-0123456789abcdef")).fails(6);
        assertTrue(s.closeRequested());
        Session nobody = d.openSession();
        call(nobody, map("cmd", 0x01, "db", "acme.globex", "schema", "Event", "key", 1)).fails(6);
        assertTrue(nobody.closeRequested());
    }

    static List<String> concat(List<String> a, List<String> b) {
        List<String> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }
}

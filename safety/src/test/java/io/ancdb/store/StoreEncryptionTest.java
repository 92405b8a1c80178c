package io.ancdb.store;

import io.ancdb.AncDbException;
import io.ancdb.CipherOracle;
import io.ancdb.ClosedException;
import io.ancdb.ErrorCode;
import io.ancdb.InvalidArgumentException;
import io.ancdb.OnConflict;
import io.ancdb.ReadmeCode;
import io.ancdb.typed.FieldDef;
import io.ancdb.typed.FieldType;
import io.ancdb.typed.RecordDefinition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An encrypted store: every file, the schema file too, encrypted with a key
 * of its own derived from the master key (HKDF-SHA256, the file name as
 * info), each file's raw key opening it, and only it, in the independent
 * SQLCipher oracle; wrong, missing and superfluous master keys refused
 * without a write; keys wiped and never shown.
 */
class StoreEncryptionTest {
    private static final HexFormat HEX = HexFormat.of();
    private static final byte[] MASTER = HEX.parseHex("6a1f0c8e52b3d4a7e9f0112233445566778899aabbccddeeff00112233445566");
    private static final String PASS = "lemon curd on thursdays";
    private static final String MARKER = "PLAINTEXT-MARKER-STORE-77";

    // README-BEGIN
    static char[] keyOfOnePair(Path dir, byte[] master) {
        try (Store store = Store.open(dir, StoreOptions.defaults().withMasterKey(MasterKey.raw(master)))) {
            store.define(RecordDefinition.of("Event", FieldDef.of("ts", FieldType.I64).asIndexed(),
                    FieldDef.of("body", FieldType.STR)));
            store.write("acme.globex", w -> w.records("Event").insert(w.tx(),
                    Map.of("ts", 1L, "body", "10 t steel at 500"), OnConflict.FAIL));
            return store.rawKey("acme.globex");     // x'<96 hex>': this file, and only it, in any SQLCipher tool
        }
    }
    // README-END

    @TempDir
    Path dir;

    @Test
    void readmeExampleRunsAndTheReadmeShowsIt() throws IOException {
        byte[] master = new byte[32];
        new SecureRandom().nextBytes(master);
        char[] key = keyOfOnePair(dir.resolve("pairs"), master);
        Path file = dir.resolve("pairs").resolve("acme.globex.db");
        assertEquals(List.of("1|10 t steel at 500", "1"),
                CipherOracle.run(new String(key), file, "SELECT ts, body FROM Event", "PRAGMA user_version"));
        ReadmeCode.assertReadmeShows("src/test/java/io/ancdb/store/StoreEncryptionTest.java");
    }

    private static StoreOptions raw(byte[] master) {
        return StoreFixtures.quick().withMasterKey(MasterKey.raw(master));
    }

    private static StoreOptions pass(String passphrase) {
        return StoreFixtures.quick().withMasterKey(MasterKey.passphrase(passphrase.toCharArray()));
    }

    private static void fill(Store store, String... names) {
        store.define(StoreFixtures.EVENT);
        for (String name : names) {
            store.write(name, w -> StoreFixtures.insertEvent(w, 1, "quote", MARKER + " for " + name));
            store.write(name, w -> StoreFixtures.insertEvent(w, 2, "order", "second of " + name));
        }
    }

    /** HKDF-SHA256(master, salt "ancdb store file keys v1", info = file name), as the README documents it. */
    private static String expectedFileKey(byte[] master, String fileName) {
        try (Hkdf h = new Hkdf("ancdb store file keys v1".getBytes(StandardCharsets.US_ASCII), master)) {
            return HEX.formatHex(h.expand(fileName.getBytes(StandardCharsets.US_ASCII), 32));
        }
    }

    private static byte[] salt(Path file) throws IOException {
        return Arrays.copyOf(Files.readAllBytes(file), 16);
    }

    /** Every file of the store directory (the schema file, databases, side files), by name. */
    private Map<String, byte[]> contents() throws IOException {
        Map<String, byte[]> m = new TreeMap<>();
        for (Path p : StoreFixtures.tree(dir)) {
            if (Files.isRegularFile(p)) {
                m.put(dir.relativize(p).toString(), Files.readAllBytes(p));
            }
        }
        return m;
    }

    private void assertUnchanged(Map<String, byte[]> before, String when) throws IOException {
        Map<String, byte[]> after = contents();
        assertEquals(before.keySet(), after.keySet(), when + ": files");
        before.forEach((name, bytes) -> assertArrayEquals(bytes, after.get(name), when + ": " + name));
    }

    @Test
    void everyFileIsEncryptedWithItsOwnKeyWhichOpensItAndNothingElseInTheOracle() throws IOException {
        try (Store store = Store.open(dir, raw(MASTER))) {
            fill(store, "acme.globex", "acme.initech");
        }
        List<Path> files = List.of(dir.resolve("acme.globex.db"), dir.resolve("acme.initech.db"),
                dir.resolve(StoreSchemas.FILE));
        byte[] marker = MARKER.getBytes(StandardCharsets.US_ASCII);
        for (Path f : files) {
            byte[] b = Files.readAllBytes(f);
            assertFalse(StoreKeys.plaintext(Arrays.copyOf(b, 16)), f + " is plaintext");
            for (int i = 0; i + marker.length <= b.length; i++) {
                assertFalse(Arrays.equals(b, i, i + marker.length, marker, 0, marker.length), "marker in " + f);
            }
        }
        try (Store store = Store.open(dir, raw(MASTER))) {
            assertEquals(2, StoreFixtures.count(store, "acme.globex"));
            char[] k = store.rawKey("acme.globex");
            String key = new String(k);
            Arrays.fill(k, '\0');
            // the key is HKDF's output for the file's name; the salt is the file's own
            assertEquals("x'" + expectedFileKey(MASTER, "acme.globex.db") + HEX.formatHex(salt(files.get(0))) + "'", key);
            assertNotEquals(key.substring(0, 66), new String(store.rawKey("acme.initech")).substring(0, 66));
            assertThrows(DatabaseNotFoundException.class, () -> store.rawKey("acme.nobody"));
            assertThrows(InvalidArgumentException.class, () -> store.rawKey(".ancdb-store"));
        }
        String key = "x'" + expectedFileKey(MASTER, "acme.globex.db") + "'";
        assertEquals(List.of("ok"), CipherOracle.run(key, files.get(0), "PRAGMA integrity_check"));
        assertEquals(List.of(MARKER + " for acme.globex|quote", "second of acme.globex|order", "2"),
                CipherOracle.run(key, files.get(0), "SELECT body, kind FROM Event ORDER BY ts", "PRAGMA user_version"));
        // one file's key opens that file only: not the other pair's, not the store's schema file
        for (Path other : files.subList(1, 3)) {
            assertThrows(CipherOracle.OracleError.class, () -> CipherOracle.run(key, other, "SELECT count(*) FROM sqlite_schema"));
        }
        String schemaKey = "x'" + expectedFileKey(MASTER, StoreSchemas.FILE) + "'";
        assertEquals(List.of("Event"), CipherOracle.run(schemaKey, files.get(2), "SELECT name FROM ancdb_schemas"));
    }

    @Test
    void aPassphraseIsStretchedOnceWithTheSchemaFilesSaltAndReopensTheStore() throws Exception {
        try (Store store = Store.open(dir, pass(PASS))) {
            fill(store, "a.b");
        }
        byte[] storeSalt = salt(dir.resolve(StoreSchemas.FILE));
        // master = PBKDF2-HMAC-SHA512(UTF-8 passphrase, the schema file's salt, 256,000, 32 bytes)
        byte[] master = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA512")
                .generateSecret(new PBEKeySpec(PASS.toCharArray(), storeSalt, 256_000, 256)).getEncoded();
        try (Store store = Store.open(dir, pass(PASS))) {
            assertEquals(2, StoreFixtures.count(store, "a.b"));
            assertEquals("x'" + expectedFileKey(master, "a.b.db") + HEX.formatHex(salt(dir.resolve("a.b.db"))) + "'",
                    new String(store.rawKey("a.b")));
        }
        // the same master key given raw opens the same store
        try (Store store = Store.open(dir, raw(master))) {
            assertEquals(2, StoreFixtures.count(store, "a.b"));
        }
    }

    @Test
    void wrongMissingOrSuperfluousMasterKeysAreNotADatabaseAndWriteNothing() throws IOException {
        try (Store store = Store.open(dir, raw(MASTER))) {
            fill(store, "acme.globex");
        }
        Map<String, byte[]> before = contents();
        byte[] wrong = MASTER.clone();
        wrong[31] ^= 1;
        MasterKey wrongKey = MasterKey.raw(wrong);
        List<AncDbException> refused = new ArrayList<>();
        refused.add(assertThrows(AncDbException.class,
                () -> Store.open(dir, StoreFixtures.quick().withMasterKey(wrongKey))));
        assertTrue(wrongKey.isWiped(), "a refused master key is wiped too");
        refused.add(assertThrows(AncDbException.class, () -> Store.open(dir, pass(PASS))));
        AncDbException none = assertThrows(AncDbException.class, () -> Store.open(dir, StoreFixtures.quick()));
        refused.add(none);
        assertTrue(refused.get(0).getMessage().contains("wrong master key"), refused.get(0).getMessage());
        assertTrue(none.getMessage().contains("encrypted"), none.getMessage());
        // the schema file lost: a raw key is checked against a database file instead
        Files.move(dir.resolve(StoreSchemas.FILE), dir.resolve("schema-file.away"));
        before = contents();
        refused.add(assertThrows(AncDbException.class,
                () -> Store.open(dir, StoreFixtures.quick().withMasterKey(MasterKey.raw(wrong)))));
        refused.add(assertThrows(AncDbException.class, () -> Store.open(dir, pass(PASS))));
        assertUnchanged(before, "after refused opens without the schema file");
        Files.move(dir.resolve("schema-file.away"), dir.resolve(StoreSchemas.FILE));
        before = contents();
        for (AncDbException e : refused) {
            assertEquals(ErrorCode.NOT_A_DATABASE, e.errorCode(), e.getMessage());
            assertFalse(e.getMessage().contains(HEX.formatHex(MASTER).substring(0, 8))
                    || e.getMessage().contains(HEX.formatHex(wrong).substring(0, 8)) || e.getMessage().contains(PASS),
                    e.getMessage());
        }
        assertUnchanged(before, "after refused opens");

        Path plain = dir.resolve("plain");
        try (Store store = Store.open(plain, StoreFixtures.quick())) {
            fill(store, "x.y");
        }
        Map<String, byte[]> plainBefore = new TreeMap<>();
        for (String f : List.of("x.y.db", StoreSchemas.FILE)) {
            plainBefore.put(f, Files.readAllBytes(plain.resolve(f)));
        }
        AncDbException notEncrypted = assertThrows(AncDbException.class, () -> Store.open(plain, raw(MASTER)));
        assertEquals(ErrorCode.NOT_A_DATABASE, notEncrypted.errorCode());
        assertTrue(notEncrypted.getMessage().contains("not encrypted"), notEncrypted.getMessage());
        // a plaintext store whose files got schemas of their own only (no schema file)
        Files.delete(plain.resolve(StoreSchemas.FILE));
        assertEquals(ErrorCode.NOT_A_DATABASE, assertThrows(AncDbException.class, () -> Store.open(plain, pass(PASS))).errorCode());
        assertFalse(Files.exists(plain.resolve(StoreSchemas.FILE)), "a refused open creates no schema file");
        assertArrayEquals(plainBefore.get("x.y.db"), Files.readAllBytes(plain.resolve("x.y.db")));
    }

    @Test
    void aLostSchemaFileIsRemadeWithTheRawMasterKey() throws IOException {
        try (Store store = Store.open(dir, raw(MASTER))) {
            fill(store, "acme.globex");
        }
        Files.delete(dir.resolve(StoreSchemas.FILE));
        try (Store store = Store.open(dir, raw(MASTER))) {
            assertEquals(2, StoreFixtures.count(store, "acme.globex"));
            assertEquals(List.of(), store.schemas(), "the schemas went with the file");
        }
        assertFalse(StoreKeys.plaintext(salt(dir.resolve(StoreSchemas.FILE))));
        try (Store store = Store.open(dir, raw(MASTER))) {
            assertEquals(2, StoreFixtures.count(store, "acme.globex"));
        }
    }

    @Test
    void twoOpensOfANewStoreAtOnceAgreeOnOneSalt() throws Exception {
        CompletableFuture<Store> a = CompletableFuture.supplyAsync(() -> Store.open(dir, pass(PASS)));
        CompletableFuture<Store> b = CompletableFuture.supplyAsync(() -> Store.open(dir, pass(PASS)));
        try (Store sa = a.get(60, TimeUnit.SECONDS); Store sb = b.get(60, TimeUnit.SECONDS)) {
            sa.define(StoreFixtures.EVENT);
            sa.write("a.b", w -> StoreFixtures.insertEvent(w, 1, "quote", "from a"));
            sb.write("c.d", w -> StoreFixtures.insertEvent(w, 1, "quote", "from b"));
            assertEquals(1, StoreFixtures.count(sb, "a.b"));
            assertEquals(1, StoreFixtures.count(sa, "c.d"));
        }
        try (Store store = Store.open(dir, pass(PASS))) {
            assertEquals(1, StoreFixtures.count(store, "a.b"));
            assertEquals(1, StoreFixtures.count(store, "c.d"));
        }
    }

    @Test
    void masterKeysAreWipedByTheOpenAndNeverShown() {
        byte[] mine = MASTER.clone();
        MasterKey key = MasterKey.raw(mine);
        Arrays.fill(mine, (byte) 0);                 // the caller's array: theirs to wipe
        StoreOptions o = StoreFixtures.quick().withMasterKey(key);
        String hexKey = HEX.formatHex(MASTER);
        assertFalse(o.toString().contains(hexKey.substring(0, 8)), o.toString());
        Store store = Store.open(dir, o);
        assertTrue(key.isWiped(), "the master key is zeros once the store is open");
        fill(store, "a.b");
        store.close();
        assertThrows(ClosedException.class, () -> store.rawKey("a.b"), "the store's keys are gone with it");
        InvalidArgumentException reuse = assertThrows(InvalidArgumentException.class, () -> Store.open(dir, o));
        assertTrue(reuse.getMessage().contains("wiped"), reuse.getMessage());
        assertTrue(key.toString().contains("wiped") && !key.toString().contains(hexKey.substring(0, 8)));
        MasterKey p = MasterKey.passphrase(PASS.toCharArray());
        assertFalse(p.toString().contains(PASS));
        assertThrows(InvalidArgumentException.class, () -> MasterKey.raw(new byte[31]));
        assertThrows(InvalidArgumentException.class, () -> MasterKey.passphrase(new char[0]));
        AncDbException one = assertThrows(InvalidArgumentException.class,
                () -> StoreFixtures.quick().withFileOptions(StoreFixtures.quick().fileOptions().withRawKey(MASTER)));
        assertTrue(one.getMessage().contains("master key"), one.getMessage());
        try (Store plain = Store.open(dir.resolve("plain"), StoreFixtures.quick())) {
            assertThrows(InvalidArgumentException.class, () -> plain.rawKey("a.b"));
        }
    }

    @Test
    void aKeyFileOrVariableHoldsARawKeyOrAPassphrase() {
        char[] text = ("x'" + HEX.formatHex(MASTER) + "'\n").toCharArray();
        MasterKey raw = MasterKey.parse(text);
        assertTrue(raw.isRaw());
        assertArrayEquals(MASTER, raw.rawBytes());
        MasterKey upper = MasterKey.parse(("X'" + HEX.formatHex(MASTER).toUpperCase() + "'").toCharArray());
        assertArrayEquals(MASTER, upper.rawBytes());
        MasterKey phrase = MasterKey.parse((PASS + "\r\n").toCharArray());
        assertFalse(phrase.isRaw());
        assertEquals(PASS, new String(phrase.passphraseChars()));
        // 63 hex digits, or a non-hex digit: a passphrase, as in SQLCipher
        assertFalse(MasterKey.parse(("x'" + HEX.formatHex(MASTER).substring(1) + "'").toCharArray()).isRaw());
        assertFalse(MasterKey.parse(("x'" + HEX.formatHex(MASTER).substring(1) + "g'").toCharArray()).isRaw());
    }

    @Test
    void aPartyGetsTheRawKeysOfItsOwnPairsOnly() {
        try (Store store = Store.open(dir, raw(MASTER))) {
            fill(store, "acme.globex", "globex.initech");
            GuardedStore acme = new GuardedStore(store, Principal.party("acme", false));
            char[] k = acme.rawKey("acme.globex");
            assertArrayEquals(store.rawKey("acme.globex"), k);
            assertThrows(UnauthorizedException.class, () -> acme.rawKey("globex.initech"));
            assertThrows(UnauthorizedException.class, () -> acme.rawKey("globex.nobody"));
        }
    }
}

package io.ancdb;

import io.ancdb.schema.Column;
import io.ancdb.schema.IndexSpec;
import io.ancdb.schema.SqlType;
import io.ancdb.schema.TableSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Encryption at rest from Java (SQLCipher 4 format): round trips with the
 * independent oracle in both directions and journal modes, wrong keys,
 * tampering, no plaintext on disk, keys wiped, rekey.
 */
class EncryptionTest {
    private static final String PASS = "tea at five, not before";
    private static final byte[] RAW = HexFormat.of().parseHex("2dd29ca851e7b56e4697b0e1f08507293d761a05ce4d1b628663f411a8086d99");
    private static final String RAW_TEXT = "x'2dd29ca851e7b56e4697b0e1f08507293d761a05ce4d1b628663f411a8086d99'";
    private static final String MARKER = "PLAINTEXT-MARKER-JAVA-41";
    private static final HexFormat HEX = HexFormat.of();

    @TempDir
    Path dir;

    private static DatabaseOptions options(DatabaseOptions.JournalMode mode, DatabaseKey key) {
        return DatabaseOptions.defaults().withJournalMode(mode).withKey(key);
    }

    private static DatabaseKey pass() {
        return DatabaseKey.passphrase(PASS.toCharArray());
    }

    private static DatabaseKey raw() {
        return DatabaseKey.raw(RAW);
    }

    private static byte[] data(long id, int ver) {
        byte[] b = new byte[(int) (20 + (id * 37 + ver * 11) % 900)];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) (id * 31 + ver * 7 + i * 13);
        }
        return b;
    }

    private static String name(long id, int ver) {
        return "name-" + (id * 7919 % 1000) + "-v" + ver;
    }

    /** Writes rows 1..n, updates every 3rd, deletes every 5th; returns the expected oracle dump. */
    private static TreeMap<Long, String> writeModel(Database db, int n) {
        return writeModel(db, n, true);
    }

    private static TreeMap<Long, String> writeModel(Database db, int n, boolean withIndex) {
        TreeMap<Long, String> want = new TreeMap<>();
        db.runWrite(tx -> {
            tx.createTable(TableSpec.of("t", Column.rowid("id"), Column.of("name", SqlType.TEXT),
                    Column.of("data", SqlType.BLOB)));
            if (withIndex) {
                tx.createIndex(new IndexSpec("t_name", "t", List.of("name"), false));
            }
        });
        db.runWrite(tx -> {
            for (long id = 1; id <= n; id++) {
                tx.insert("t", id, name(id, 1), data(id, 1));
                want.put(id, line(id, name(id, 1), data(id, 1)));
            }
        });
        db.runWrite(tx -> {
            for (long id = 1; id <= n; id += 3) {
                tx.put("t", id, id, name(id, 2), data(id, 2));
                want.put(id, line(id, name(id, 2), data(id, 2)));
            }
            for (long id = 2; id <= n; id += 5) {
                tx.delete("t", id);
                want.remove(id);
            }
        });
        return want;
    }

    private static String line(long id, String name, byte[] data) {
        return id + "|" + name + "|x'" + HEX.formatHex(data) + "'";
    }

    /** Every row of t read through ANC-DB, as the oracle prints it. */
    private static List<String> ancDump(Database db) {
        return db.readTx(tx -> {
            List<String> out = new ArrayList<>();
            try (RowCursor c = tx.scan("t")) {
                c.forEachRemaining(r -> out.add(line(r.rowid(), (String) r.get(1), (byte[]) r.get(2))));
            }
            return out;
        });
    }

    private static final String DUMP = "SELECT id, name, data FROM t ORDER BY id";

    @ParameterizedTest
    @EnumSource(DatabaseOptions.JournalMode.class)
    void whatJavaWritesTheOracleReads(DatabaseOptions.JournalMode mode) {
        Path file = dir.resolve("j2o-" + mode + ".db");
        boolean wal = mode == DatabaseOptions.JournalMode.WAL;
        TreeMap<Long, String> want;
        try (Database db = Database.open(file, options(mode, wal ? raw() : pass()))) {
            want = writeModel(db, 700);
            assertEquals(List.copyOf(want.values()), ancDump(db));
        }
        String key = wal ? RAW_TEXT : PASS;
        assertEquals(List.of("ok"), CipherOracle.run(key, file, "PRAGMA integrity_check"));
        assertEquals(List.copyOf(want.values()), CipherOracle.run(key, file, DUMP));
        assertEquals(List.of(wal ? "wal" : "delete"), CipherOracle.run(key, file, "PRAGMA journal_mode"));
        // and back: the oracle deletes, ANC-DB sees it
        CipherOracle.run(key, file, "DELETE FROM t WHERE id % 7 = 0");
        want.keySet().removeIf(id -> id % 7 == 0);
        try (Database db = Database.open(file, options(mode, wal ? raw() : pass()))) {
            assertEquals(List.copyOf(want.values()), ancDump(db));
        }
    }

    @ParameterizedTest
    @EnumSource(DatabaseOptions.JournalMode.class)
    void whatTheOracleWritesJavaReads(DatabaseOptions.JournalMode mode) {
        Path file = dir.resolve("o2j-" + mode + ".db");
        boolean wal = mode == DatabaseOptions.JournalMode.WAL;
        String key = wal ? PASS : RAW_TEXT;
        CipherOracle.run(key, true, file,
                "PRAGMA journal_mode=" + mode + "; PRAGMA wal_autocheckpoint=0;",
                "CREATE TABLE t(id INTEGER PRIMARY KEY, name TEXT, data BLOB); CREATE INDEX t_name ON t(name);"
                        + "WITH RECURSIVE c(i) AS (VALUES(1) UNION ALL SELECT i+1 FROM c WHERE i<1500)"
                        + " INSERT INTO t SELECT i, 'o' || (i*7919 % 1500), randomblob(10 + i % 700) FROM c;"
                        + "DELETE FROM t WHERE id % 4 = 0;");
        if (wal) {
            assertTrue(Files.exists(Path.of(file + "-wal")), "the oracle left its WAL");
        }
        List<String> oracle = CipherOracle.run(key, true, file, DUMP);
        assertEquals(1125, oracle.size());
        List<String> after;
        try (Database db = Database.open(file, options(mode, wal ? pass() : raw()))) {
            assertEquals(oracle, ancDump(db));
            db.runWrite(tx -> {
                for (long id = 1501; id <= 1600; id++) {
                    tx.insert("t", id, name(id, 1), data(id, 1));
                }
            });
            after = ancDump(db);
        }
        assertEquals(after, CipherOracle.run(key, file, DUMP));
        assertEquals(List.of("ok"), CipherOracle.run(key, file, "PRAGMA integrity_check"));
    }

    @Test
    void wrongKeyPlaintextWithKeyAndEncryptedWithoutKeyAreNotADatabaseAndWriteNothing() throws IOException {
        Path enc = dir.resolve("enc.db");
        Path plain = dir.resolve("plain.db");
        try (Database db = Database.open(enc, options(DatabaseOptions.JournalMode.DELETE, raw()))) {
            writeModel(db, 50);
        }
        try (Database db = Database.open(plain)) {
            writeModel(db, 50);
        }
        byte[] encBytes = Files.readAllBytes(enc);
        byte[] plainBytes = Files.readAllBytes(plain);
        AncDbException wrong = assertThrows(AncDbException.class,
                () -> Database.open(enc, options(DatabaseOptions.JournalMode.DELETE, pass())));
        AncDbException none = assertThrows(AncDbException.class, () -> Database.open(enc));
        AncDbException notEnc = assertThrows(AncDbException.class,
                () -> Database.open(plain, options(DatabaseOptions.JournalMode.DELETE, raw())));
        for (AncDbException e : List.of(wrong, none, notEnc)) {
            assertEquals(ErrorCode.NOT_A_DATABASE, e.errorCode(), e.getMessage());
            assertFalse(e.getMessage().contains(PASS) || e.getMessage().contains("2dd29ca8"), e.getMessage());
        }
        assertTrue(wrong.getMessage().contains("wrong key"), wrong.getMessage());
        assertTrue(none.getMessage().contains("encrypted"), none.getMessage());
        assertTrue(notEnc.getMessage().contains("not encrypted"), notEnc.getMessage());
        assertArrayEquals(encBytes, Files.readAllBytes(enc));
        assertArrayEquals(plainBytes, Files.readAllBytes(plain));
        assertFalse(Files.exists(Path.of(enc + "-journal")));
    }

    @Test
    void aFlippedBitIsCorruptionNamingThePage() throws IOException {
        Path file = dir.resolve("tamper.db");
        try (Database db = Database.open(file, options(DatabaseOptions.JournalMode.DELETE, raw()))) {
            writeModel(db, 400, false);          // every page is read by a scan of t
        }
        long pages = Files.size(file) / 4096;
        for (long page : new long[] {2, pages / 2, pages}) {
            for (int offset : new int[] {10, 3000, 4020, 4060}) {       // body, body, IV, HMAC
                long at = (page - 1) * 4096 + offset;
                flip(file, at);
                try (Database db = Database.open(file, options(DatabaseOptions.JournalMode.DELETE, raw()))) {
                    CorruptionException e = assertThrows(CorruptionException.class, () -> ancDump(db),
                            "page " + page + " byte " + offset);
                    assertEquals(page, e.page(), e.getMessage());
                    assertTrue(e.getMessage().contains("page " + page + ":"), e.getMessage());
                } catch (CorruptionException e) {
                    // a page read while opening (the schema's) fails the open itself
                    assertEquals(page, e.page(), e.getMessage());
                }
                flip(file, at);
            }
        }
        flip(file, 100);                                                  // page 1
        CorruptionException e = assertThrows(CorruptionException.class,
                () -> Database.open(file, options(DatabaseOptions.JournalMode.DELETE, raw())));
        assertEquals(1, e.page(), e.getMessage());
        flip(file, 100);
        try (Database db = Database.open(file, options(DatabaseOptions.JournalMode.DELETE, raw()))) {
            assertEquals("", db.integrityCheck());
        }
    }

    private static void flip(Path file, long at) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.seek(at);
            int b = f.read();
            f.seek(at);
            f.write(b ^ 0x10);
        }
    }

    @ParameterizedTest
    @EnumSource(DatabaseOptions.JournalMode.class)
    void noPlaintextReachesAnyFileMidTransactionOrAfterACheckpoint(DatabaseOptions.JournalMode mode) throws IOException {
        Path file = dir.resolve("marker-" + mode + ".db");
        DatabaseOptions o = options(mode, raw()).withCachePages(10);
        String text = MARKER.repeat(40);
        try (Database db = Database.open(file, o)) {
            db.runWrite(tx -> tx.createTable(TableSpec.of("t", Column.rowid("id"), Column.of("name", SqlType.TEXT))));
            db.runWrite(tx -> {
                for (long id = 1; id <= 300; id++) {
                    tx.insert("t", id, text + id);
                }
            });
            // A transaction in flight that spilled pages (tiny cache): the files
            // as they are now are what a kill -9 would leave.
            try (WriteTx tx = db.beginWrite()) {
                for (long id = 1; id <= 300; id++) {
                    tx.put("t", id, id, id + text);
                }
                long spilled = Files.size(Path.of(file + (mode == DatabaseOptions.JournalMode.WAL ? "-wal" : "-journal")));
                assertTrue(spilled > 20 * 4096, "pages spilled mid-transaction: " + spilled);
                assertNoMarker(file, "mid-transaction");
                tx.commit();
            }
            assertNoMarker(file, "after commit");
        }
        // Closing the last connection checkpoints the WAL into the file.
        assertFalse(Files.exists(Path.of(file + "-wal")));
        assertNoMarker(file, "after the checkpoint");
        List<String> n = CipherOracle.run(RAW_TEXT, file, "SELECT count(*) FROM t WHERE name LIKE '%' || '" + MARKER + "' || '%'");
        assertEquals(List.of("300"), n, "the marker is in the data");
    }

    private static void assertNoMarker(Path file, String when) throws IOException {
        byte[] m = MARKER.getBytes(StandardCharsets.US_ASCII);
        for (String suffix : new String[] {"", "-journal", "-wal", "-shm"}) {
            Path f = Path.of(file + suffix);
            if (Files.exists(f)) {
                byte[] a = Files.readAllBytes(f);
                for (int i = 0; i + m.length <= a.length; i++) {
                    if (a[i] == m[0] && Arrays.equals(a, i, i + m.length, m, 0, m.length)) {
                        fail("plaintext marker in " + f.getFileName() + " at " + i + " " + when);
                    }
                }
            }
        }
    }

    @Test
    void keysAreWipedAfterOpenAndNeverShown() {
        char[] mine = PASS.toCharArray();
        DatabaseKey key = DatabaseKey.passphrase(mine);
        Arrays.fill(mine, '\0');                                          // the caller's copy: theirs to wipe
        DatabaseOptions o = options(DatabaseOptions.JournalMode.WAL, key);
        assertFalse(o.toString().contains(PASS), o.toString());
        assertFalse(key.isWiped());
        Path file = dir.resolve("wipe.db");
        try (Database db = Database.open(file, o)) {
            assertTrue(key.isWiped(), "the key's bytes are zero once the file is open");
            writeModel(db, 100);
            // reader connections of an encrypted file open with its raw key, from native memory
            try (ReadTx mainRead = db.beginRead()) {
                CompletableFuture<Long> other = CompletableFuture.supplyAsync(() -> db.readTx(tx -> tx.count("t")));
                assertEquals(80L, other.get(30, TimeUnit.SECONDS));
                assertEquals(80L, mainRead.count("t"));
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        }
        assertTrue(key.isWiped());
        assertFalse(key.toString().contains(PASS));
        // the raw key (with the salt) opens the file here and in the oracle, without the KDF
        char[] rawKey;
        try (Database db = Database.open(file, options(DatabaseOptions.JournalMode.WAL, pass()))) {
            rawKey = db.rawKey();
        }
        assertEquals(99, rawKey.length);
        assertEquals(List.of("80"), CipherOracle.run(new String(rawKey), file, "SELECT count(*) FROM t"));
        try (Database db = Database.open(file, options(DatabaseOptions.JournalMode.WAL, DatabaseKey.passphrase(rawKey)))) {
            assertEquals(80L, (long) db.readTx(tx -> tx.count("t")));
        }
        Arrays.fill(rawKey, '\0');
        try (Database db = Database.open(dir.resolve("plain-for-rawkey.db"))) {
            assertThrows(InvalidArgumentException.class, db::rawKey);
        }
        InvalidArgumentException reuse = assertThrows(InvalidArgumentException.class, () -> Database.open(file, o));
        assertTrue(reuse.getMessage().contains("wiped"), reuse.getMessage());
        DatabaseKey wrong = DatabaseKey.passphrase("nope".toCharArray());
        assertThrows(AncDbException.class, () -> Database.open(file, options(DatabaseOptions.JournalMode.WAL, wrong)));
        assertTrue(wrong.isWiped(), "a failed open wipes the key too");
    }

    @Test
    void rekeyDecryptAndEncryptFromJava() throws IOException {
        Path file = dir.resolve("rekey.db");
        TreeMap<Long, String> want;
        try (Database db = Database.open(file, options(DatabaseOptions.JournalMode.WAL, raw()))) {
            want = writeModel(db, 300);
        }
        DatabaseKey oldKey = raw();
        DatabaseKey newKey = pass();
        Database.rekey(file, oldKey, newKey);
        assertTrue(oldKey.isWiped() && newKey.isWiped());
        assertEquals(List.copyOf(want.values()), CipherOracle.run(PASS, file, DUMP));
        assertThrows(CipherOracle.OracleError.class, () -> CipherOracle.run(RAW_TEXT, file, "SELECT count(*) FROM t"));
        Database.rekey(file, pass(), null);
        assertEquals("SQLite format 3", new String(Files.readAllBytes(file), 0, 15, StandardCharsets.US_ASCII));
        assertEquals(List.copyOf(want.values()), SqliteShell.lines(file, "SELECT id, name, 'x''' || lower(hex(data)) || '''' FROM t ORDER BY id;"));
        assertEquals("wal", SqliteShell.one(file, "PRAGMA journal_mode;"));
        Database.rekey(file, null, raw());
        try (Database db = Database.open(file, options(DatabaseOptions.JournalMode.WAL, raw()))) {
            assertEquals(List.copyOf(want.values()), ancDump(db));
        }
        AncDbException e = assertThrows(AncDbException.class, () -> Database.rekey(file, pass(), null));
        assertEquals(ErrorCode.NOT_A_DATABASE, e.errorCode());
    }
}

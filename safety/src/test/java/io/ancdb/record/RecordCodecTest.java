package io.ancdb.record;

import io.ancdb.CorruptionException;
import io.ancdb.InvalidArgumentException;
import io.ancdb.SqliteShell;
import io.ancdb.internal.NativeCursor;
import io.ancdb.internal.NativeDb;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

/**
 * SQLite's record format and varints (https://sqlite.org/fileformat.html):
 * boundaries, round trips, rejection of malformed input, and byte-for-byte
 * agreement with records the sqlite3 shell stores.
 */
class RecordCodecTest {
    private static final HexFormat HEX = HexFormat.of();

    @TempDir
    Path dir;

    // --- varints ----------------------------------------------------------------------------

    /** SQLite's putVarint, written from the file-format spec (independent of Varint). */
    private static byte[] specVarint(long v) {
        if ((v & 0xff00000000000000L) != 0) {
            byte[] b = new byte[9];
            b[8] = (byte) v;
            long x = v >>> 8;
            for (int i = 7; i >= 0; i--) {
                b[i] = (byte) (0x80 | (x & 0x7f));
                x >>>= 7;
            }
            return b;
        }
        ByteArrayOutputStream rev = new ByteArrayOutputStream();
        long x = v;
        do {
            rev.write((int) (x & 0x7f));
            x >>>= 7;
        } while (x != 0);
        byte[] r = rev.toByteArray();
        byte[] b = new byte[r.length];
        for (int i = 0; i < r.length; i++) {
            b[i] = (byte) (r[r.length - 1 - i] | (i < r.length - 1 ? 0x80 : 0));
        }
        return b;
    }

    @Test
    void varintBoundaries() {
        Object[][] cases = {
            {0L, "00"}, {1L, "01"}, {127L, "7f"}, {128L, "8100"}, {129L, "8101"}, {16383L, "ff7f"},
            {16384L, "818000"}, {2097151L, "ffff7f"}, {2097152L, "81808000"},
            {(1L << 56) - 1, "ffffffffffffff7f"},
            {1L << 56, "80c080808080808000"},              // 9 bytes: the last one carries 8 bits
            {-1L, "ffffffffffffffffff"},
            {Long.MAX_VALUE, "bfffffffffffffffff"},
            {Long.MIN_VALUE, "c08080808080808000"},
        };
        for (Object[] c : cases) {
            long v = (Long) c[0];
            byte[] want = specVarint(v);
            assertEquals(c[1], HEX.formatHex(want), "spec encoding of " + v);
            assertEquals(want.length, Varint.size(v), "size of " + v);
            byte[] buf = new byte[12];
            int end = Varint.write(buf, 1, v);
            assertEquals(1 + want.length, end, "write end of " + v);
            assertArrayEquals(want, Arrays.copyOfRange(buf, 1, end), "bytes of " + v);
            assertEquals(v, Varint.read(buf, 1), "read of " + v);
            assertEquals(want.length, Varint.readLength(buf, 1), "readLength of " + v);
        }
        assertEquals(9, Varint.size(1L << 56));
        assertEquals(8, Varint.size((1L << 56) - 1));
    }

    @Test
    void varintRoundTripsEverywhere() {
        Random r = new Random(7);
        List<Long> values = new ArrayList<>();
        for (int bits = 0; bits < 64; bits++) {
            long p = 1L << bits;
            values.addAll(List.of(p, p - 1, p + 1, -p, -p - 1, -p + 1));
        }
        for (int i = 0; i < 20_000; i++) {
            values.add(r.nextLong() >> r.nextInt(64));
        }
        byte[] buf = new byte[9];
        for (long v : values) {
            int n = Varint.write(buf, 0, v);
            assertEquals(Varint.size(v), n, "size " + v);
            assertArrayEquals(specVarint(v), Arrays.copyOf(buf, n), "bytes " + v);
            assertEquals(v, Varint.read(buf, 0), "read " + v);
            assertEquals(n, Varint.readLength(buf, 0), "length " + v);
        }
    }

    // --- integers ---------------------------------------------------------------------------

    @Test
    void integersUseTheSmallestSerialType() {
        long[][] cases = {
            // value, serial type, body bytes
            {0, 8, 0}, {1, 9, 0}, {2, 1, 1}, {-1, 1, 1}, {127, 1, 1}, {-128, 1, 1}, {128, 2, 2}, {-129, 2, 2},
            {32767, 2, 2}, {-32768, 2, 2}, {32768, 3, 3}, {-32769, 3, 3},
            {(1 << 23) - 1, 3, 3}, {-(1 << 23), 3, 3}, {1 << 23, 4, 4}, {-(1 << 23) - 1, 4, 4},
            {Integer.MAX_VALUE, 4, 4}, {Integer.MIN_VALUE, 4, 4}, {1L << 31, 5, 6}, {-(1L << 31) - 1, 5, 6},
            {(1L << 47) - 1, 5, 6}, {-(1L << 47), 5, 6}, {1L << 47, 6, 8}, {-(1L << 47) - 1, 6, 8},
            {Long.MAX_VALUE, 6, 8}, {Long.MIN_VALUE, 6, 8},
        };
        for (long[] c : cases) {
            long v = c[0];
            assertEquals(c[1], RecordCodec.intSerialType(v), "serial type of " + v);
            assertEquals(c[2], RecordCodec.serialTypeLength(c[1]));
            byte[] rec = RecordCodec.encode(v);
            assertEquals(2 + c[2], rec.length, "record of " + v);
            assertEquals(2, rec[0]);
            assertEquals(c[1], rec[1]);
            // Big-endian two's complement in the body.
            for (int k = 0; k < c[2]; k++) {
                assertEquals((byte) (v >> (8 * (c[2] - 1 - k))), rec[2 + k], "byte " + k + " of " + v);
            }
            assertArrayEquals(new Object[] {v}, RecordCodec.decode(rec), "decode of " + v);
        }
        // Narrower Java integers are stored as the same values.
        assertArrayEquals(RecordCodec.encode(5L, -300L, 70000L), RecordCodec.encode((byte) 5, (short) -300, 70000));
        assertArrayEquals(new Object[] {5L, -300L, 70000L}, RecordCodec.decode(RecordCodec.encode((byte) 5, (short) -300, 70000)));
        // Booleans are 0/1.
        assertArrayEquals(new byte[] {3, 9, 8}, RecordCodec.encode(true, false));
    }

    // --- reals, text, blobs, NULL ---------------------------------------------------------------

    @Test
    void doublesAreEightByteBigEndianIeee() {
        double[] values = {0.0, -0.0, 1.0, -1.5, 0.1, Math.PI, Double.MIN_VALUE, Double.MIN_NORMAL,
            Double.MAX_VALUE, -Double.MAX_VALUE, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 1e300, 2.0};
        for (double d : values) {
            byte[] rec = RecordCodec.encode(d);
            assertEquals(10, rec.length);
            assertEquals(2, rec[0]);
            assertEquals(7, rec[1], "reals are serial type 7, even whole ones: " + d);
            long bits = Double.doubleToRawLongBits(d);
            for (int k = 0; k < 8; k++) {
                assertEquals((byte) (bits >>> (8 * (7 - k))), rec[2 + k]);
            }
            Object back = RecordCodec.decode(rec)[0];
            assertInstanceOf(Double.class, back);
            assertEquals(bits, Double.doubleToRawLongBits((Double) back), "bits of " + d);
        }
        assertArrayEquals(RecordCodec.encode(1.5), RecordCodec.encode(1.5f));
    }

    @Test
    void nanIsStoredAsNull() {
        assertArrayEquals(new byte[] {2, 0}, RecordCodec.encode(Double.NaN));
        assertArrayEquals(new byte[] {2, 0}, RecordCodec.encode(Float.NaN));
        assertArrayEquals(new byte[] {2, 0}, RecordCodec.encode(Double.longBitsToDouble(0x7ff8dead00000001L)));
        assertArrayEquals(new Object[] {null}, RecordCodec.decode(RecordCodec.encode(Double.NaN)));
        assertArrayEquals(new byte[] {2, 0}, RecordCodec.encode((Object) null));
        assertArrayEquals(new byte[] {1}, RecordCodec.encode(), "no fields: just the header size");
        assertArrayEquals(new Object[0], RecordCodec.decode(new byte[] {1}));
    }

    @Test
    void textAndBlobLengthsAreInTheSerialType() {
        assertArrayEquals(new byte[] {2, 13}, RecordCodec.encode(""));
        assertArrayEquals(new byte[] {2, 12}, RecordCodec.encode((Object) new byte[0]));
        assertArrayEquals(new byte[] {2, 15, 'a'}, RecordCodec.encode("a"));
        assertArrayEquals(new byte[] {2, 14, 0x7f}, RecordCodec.encode((Object) new byte[] {0x7f}));
        // 57 bytes of text is serial type 127 (one byte); 58 bytes is 129 (two bytes).
        byte[] r57 = RecordCodec.encode("x".repeat(57));
        assertEquals(2, r57[0]);
        assertEquals(127, r57[1]);
        byte[] r58 = RecordCodec.encode("x".repeat(58));
        assertEquals(3, r58[0]);
        assertEquals("8101", HEX.formatHex(r58, 1, 3));
        // Lengths count UTF-8 bytes, not chars.
        String s = "é日😀";                                  // 2 + 3 + 4 bytes
        byte[] rs = RecordCodec.encode(s);
        assertEquals(13 + 2 * 9, rs[1]);
        assertEquals(s, RecordCodec.decode(rs)[0]);
        // Big values round-trip.
        Random r = new Random(3);
        byte[] big = new byte[1 << 20];
        r.nextBytes(big);
        String longText = "long-text-".repeat(100_000);
        Object[] v = {big, longText, null, new byte[0], ""};
        Object[] back = RecordCodec.decode(RecordCodec.encode(v));
        assertArrayEquals(big, (byte[]) back[0]);
        assertEquals(longText, back[1]);
        assertNull(back[2]);
        assertArrayEquals(new byte[0], (byte[]) back[3]);
        assertEquals("", back[4]);
    }

    @Test
    void unsupportedTypesAreRefused() {
        InvalidArgumentException e = assertThrows(InvalidArgumentException.class,
                () -> RecordCodec.encode(1L, new java.util.Date()));
        assertEquals(1, e.code());
        assertThrows(InvalidArgumentException.class, () -> RecordCodec.encode(new Object()));
        assertThrows(InvalidArgumentException.class, () -> RecordCodec.encode('c'));
    }

    /** SQLite's header size for {@code typesSize} bytes of serial types (sqlite3VdbeExec, OP_MakeRecord). */
    private static int sqliteHeaderSize(int typesSize) {
        if (typesSize <= 126) {
            return typesSize + 1;
        }
        int nVarint = Varint.size(typesSize);
        int h = typesSize + nVarint;
        if (nVarint < Varint.size(h)) {
            h++;
        }
        return h;
    }

    @Test
    void manyColumnsGiveAMultiByteHeaderExactlyAsSqliteSizesIt() {
        // Up to SQLite's 2000-column limit; 1-byte (NULL) and 5-byte (long text) serial types.
        for (int n : new int[] {0, 1, 125, 126, 127, 128, 200, 1000, 2000}) {
            Object[] nulls = new Object[n];
            byte[] rec = RecordCodec.encode(nulls);
            int hdr = (int) Varint.read(rec, 0);
            assertEquals(sqliteHeaderSize(n), hdr, n + " NULLs");
            assertEquals(hdr, rec.length);
            assertEquals(n, RecordCodec.fieldCount(rec));
            assertArrayEquals(nulls, RecordCodec.decode(rec));
        }
        // Header sizes around the 1-to-2-byte varint boundary, with mixed serial-type widths.
        for (int n = 60; n <= 70; n++) {
            Object[] v = new Object[n];
            for (int i = 0; i < n; i++) {
                v[i] = i % 2 == 0 ? (Object) (long) i : "t".repeat(60);   // 1-byte and 2-byte types
            }
            byte[] rec = RecordCodec.encode(v);
            int typesSize = 0;
            for (Object o : v) {
                typesSize += o instanceof String ? 2 : 1;
            }
            assertEquals(sqliteHeaderSize(typesSize), (int) Varint.read(rec, 0), n + " mixed fields");
            assertArrayEquals(v, RecordCodec.decode(rec));
        }
        // decode(record, max) stops early.
        Object[] v = {1L, "two", 3.0, null, new byte[] {5}};
        assertArrayEquals(new Object[] {1L, "two"}, RecordCodec.decode(RecordCodec.encode(v), 2));
        assertEquals(5, RecordCodec.fieldCount(RecordCodec.encode(v)));
    }

    /**
     * Beyond SQLite's column limit the header size can come out one byte larger
     * than SQLite's (still a valid record): at exactly 16381, 2097148, ...
     * bytes of serial types. Unreachable for SQLite-compatible tables (at most
     * 2000 columns of at most 5-byte serial types).
     */
    @Test
    @Disabled("RecordCodec.encode: non-canonical (but valid) header size at 16381 bytes of serial types; beyond SQLite's column limit")
    void headerSizeMatchesSqliteBeyondTheColumnLimit() {
        for (int n : new int[] {16380, 16381, 16382}) {
            byte[] rec = RecordCodec.encode(new Object[n]);
            assertEquals(sqliteHeaderSize(n), (int) Varint.read(rec, 0), n + " NULLs");
        }
    }

    // --- malformed input ----------------------------------------------------------------------

    @Test
    void malformedRecordsAreCorruption() {
        List<byte[]> bad = new ArrayList<>(List.of(
            new byte[0],                                   // nothing at all
            new byte[] {0},                                // header size 0
            new byte[] {5, 1},                             // header longer than the record
            new byte[] {(byte) 0x80},                      // header size varint cut off
            new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff,
                (byte) 0xff, (byte) 0xff},                 // header size -1
            new byte[] {2, 1},                             // int8 without its byte
            new byte[] {2, 6, 1, 2, 3},                    // int64 with 3 of 8 bytes
            new byte[] {2, 7, 0, 0},                       // real with 2 of 8 bytes
            new byte[] {2, 10},                            // reserved serial type 10
            new byte[] {2, 11},                            // reserved serial type 11
            new byte[] {3, 15, 1},                         // 1-byte text then int8, only 1 body byte
            new byte[] {2, (byte) 0x81},                   // serial type varint cut off
            new byte[] {2, 0x7f, 'a'},                     // text of 57 bytes, 1 present
            new byte[] {3, (byte) 0x87, (byte) 0xff},      // serial type varint running past the header
            new byte[] {6, (byte) 0x87, (byte) 0xb9, (byte) 0xd6, (byte) 0xa8, 0x0d, 'x'})); // 1 GB text
        for (byte[] b : bad) {
            String what = HEX.formatHex(b);
            assertThrows(CorruptionException.class, () -> RecordCodec.decode(b), "decode " + what);
            assertThrows(CorruptionException.class, () -> RecordCodec.decode(b, 1), "decode(1) " + what);
        }
        CorruptionException e = assertThrows(CorruptionException.class, () -> RecordCodec.decode(new byte[] {2, 6}));
        assertEquals(102, e.code());
        assertThrows(CorruptionException.class, () -> RecordCodec.fieldCount(new byte[] {5, 1}));
        assertThrows(CorruptionException.class, () -> RecordCodec.fieldCount(new byte[0]));
    }

    @Test
    void everyStrictPrefixOfARecordIsCorruption() {
        Object[][] samples = {
            {1L, "two", 3.5, null, new byte[] {4, 4}},
            {Long.MIN_VALUE, Long.MAX_VALUE, -1L, 0L, 1L, 128L},
            {"x".repeat(300), new byte[200], "é日😀"},
            new Object[150],
        };
        for (Object[] s : samples) {
            byte[] rec = RecordCodec.encode(s);
            assertArrayEquals(s, RecordCodec.decode(rec));
            for (int len = 0; len < rec.length; len++) {
                byte[] cut = Arrays.copyOf(rec, len);
                assertThrows(CorruptionException.class, () -> RecordCodec.decode(cut),
                        "prefix of " + len + "/" + rec.length + " bytes");
            }
        }
    }

    @Test
    void randomBytesNeverEscapeAsAnythingButCorruption() {
        Random r = new Random(11);
        int decoded = 0;
        for (int i = 0; i < 200_000; i++) {
            byte[] b = new byte[r.nextInt(24)];
            r.nextBytes(b);
            if (b.length > 0 && r.nextBoolean()) {
                b[0] = (byte) r.nextInt(b.length + 1);      // plausible header sizes too
            }
            try {
                RecordCodec.decode(b);
                RecordCodec.fieldCount(b);
                decoded++;
            } catch (CorruptionException expected) {
                // fine
            } catch (RuntimeException e) {
                fail("decode(" + HEX.formatHex(b) + ") threw " + e);
            }
        }
        assertTrue(decoded > 1000, "some random inputs are valid records: " + decoded);
    }

    /**
     * BUG (RecordCodec.serialTypeLength): a 9-byte serial-type varint with the
     * top bit set reads as a negative long, and {@code switch ((int) t)} then
     * treats it as a small serial type (here 0x8000000000000001 decodes as an
     * int8). SQLite caps serial types at 32 bits and rejects this record.
     */
    @Test

    void serialTypesBeyondThirtyTwoBitsAreCorruption() {
        byte[] type = new byte[9];
        Varint.write(type, 0, 0x8000000000000001L);
        byte[] rec = new byte[1 + 9 + 1];
        rec[0] = 10;
        System.arraycopy(type, 0, rec, 1, 9);
        rec[10] = 42;
        assertThrows(CorruptionException.class, () -> RecordCodec.decode(rec), HEX.formatHex(rec));
    }

    // --- byte-exact agreement with the shell --------------------------------------------------------

    @Test
    void recordsMatchWhatTheShellStoresByteForByte() {
        Path file = dir.resolve("exact.db");
        StringBuilder wide = new StringBuilder("CREATE TABLE wide(");
        StringBuilder wideVals = new StringBuilder();
        Object[] wideRow = new Object[150];
        for (int i = 0; i < 150; i++) {
            wide.append(i == 0 ? "" : ", ").append("c").append(i);
            Object v = switch (i % 5) {
                case 0 -> null;
                case 1 -> (long) i * 1000;
                case 2 -> "v" + i;
                case 3 -> i + 0.5;
                default -> (long) -i;
            };
            wideRow[i] = v;
            wideVals.append(i == 0 ? "" : ", ").append(v == null ? "NULL" : v instanceof String s ? SqliteShell.quote(s) : v);
        }
        wide.append(");\nINSERT INTO wide VALUES (").append(wideVals).append(");\n");
        String text57 = "q".repeat(57);
        String text58 = "r".repeat(58);
        String text1000 = "é".repeat(500);
        SqliteShell.run(file, """
                CREATE TABLE r(a, b, c);
                INSERT INTO r VALUES
                  (0, 1, -1), (127, 128, -128), (-129, 32767, 32768), (-32768, -32769, 8388607),
                  (8388608, -8388608, -8388609), (2147483647, 2147483648, -2147483649),
                  (140737488355327, 140737488355328, -140737488355329),
                  (9223372036854775807, -9223372036854775808, NULL),
                  (1.5, -0.25, 1e300), (0.1, 3.141592653589793, -2.5e-300), (2.0, -1.0, 0.0),
                  ('', 'hello', 'héllo 日本 😀'), (X'', X'00FF', NULL),
                  (%s, %s, %s), (zeroblob(5000), 'x', NULL);
                CREATE TABLE ipk(id INTEGER PRIMARY KEY, a TEXT, b INTEGER);
                INSERT INTO ipk VALUES (5, 'five', 500), (-7, NULL, -70), (1000000, 'big', 9223372036854775807);
                CREATE INDEX ipk_ab ON ipk(a, b);
                """.formatted(SqliteShell.quote(text57), SqliteShell.quote(text58), SqliteShell.quote(text1000))
                + wide);
        int rRoot = Integer.parseInt(SqliteShell.one(file, "SELECT rootpage FROM sqlite_schema WHERE name = 'r';"));
        int ipkRoot = Integer.parseInt(SqliteShell.one(file, "SELECT rootpage FROM sqlite_schema WHERE name = 'ipk';"));
        int idxRoot = Integer.parseInt(SqliteShell.one(file, "SELECT rootpage FROM sqlite_schema WHERE name = 'ipk_ab';"));
        int wideRoot = Integer.parseInt(SqliteShell.one(file, "SELECT rootpage FROM sqlite_schema WHERE name = 'wide';"));

        List<Object[]> r = List.of(
            new Object[] {0L, 1L, -1L}, new Object[] {127L, 128L, -128L}, new Object[] {-129L, 32767L, 32768L},
            new Object[] {-32768L, -32769L, 8388607L}, new Object[] {8388608L, -8388608L, -8388609L},
            new Object[] {2147483647L, 2147483648L, -2147483649L},
            new Object[] {140737488355327L, 140737488355328L, -140737488355329L},
            new Object[] {Long.MAX_VALUE, Long.MIN_VALUE, null},
            new Object[] {1.5, -0.25, 1e300}, new Object[] {0.1, 3.141592653589793, -2.5e-300},
            new Object[] {2.0, -1.0, 0.0},
            new Object[] {"", "hello", "héllo 日本 😀"}, new Object[] {new byte[0], new byte[] {0, -1}, null},
            new Object[] {text57, text58, text1000}, new Object[] {new byte[5000], "x", null});
        List<Object[]> ipk = List.of(
            new Object[] {null, "big", Long.MAX_VALUE},      // rowid order: -7, 5, 1000000 (checked below)
            new Object[] {null, null, -70L}, new Object[] {null, "five", 500L});
        // Index keys in index order: (NULL, -70, -7) < ('big', ...) < ('five', ...).
        List<Object[]> keys = List.of(
            new Object[] {null, -70L, -7L}, new Object[] {"big", Long.MAX_VALUE, 1000000L},
            new Object[] {"five", 500L, 5L});

        try (NativeDb conn = NativeDb.open(file.toString(), 0x0001 /* ANCDB_OPEN_READONLY */, 0, 0, 0)) {
            conn.begin(false);
            assertTableMatches(conn, rRoot, 0, r, List.of(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L, 11L, 12L, 13L, 14L, 15L));
            assertTableMatches(conn, ipkRoot, 0, List.of(ipk.get(1), ipk.get(2), ipk.get(0)), List.of(-7L, 5L, 1000000L));
            assertTableMatches(conn, idxRoot, 3, keys, null);
            assertTableMatches(conn, wideRoot, 0, List.<Object[]>of(wideRow), List.of(1L));
            conn.commit();
        }
    }

    /** Every entry of the b-tree at {@code root} is exactly RecordCodec.encode(expected). */
    private static void assertTableMatches(NativeDb conn, int root, int nKeyFields, List<Object[]> expected, List<Long> rowids) {
        try (NativeCursor c = NativeCursor.open(conn, root, false, nKeyFields)) {
            int i = 0;
            for (boolean ok = c.first(); ok; ok = c.next(), i++) {
                assertTrue(i < expected.size(), "more entries than expected in b-tree " + root);
                byte[] stored = c.payload();
                Object[] want = expected.get(i);
                String where = "entry " + i + " of b-tree " + root;
                assertArrayEquals(want, RecordCodec.decode(stored), where + ": decode of the shell's bytes");
                assertEquals(HEX.formatHex(stored), HEX.formatHex(RecordCodec.encode(want)), where + ": bytes");
                if (rowids != null) {
                    assertEquals(rowids.get(i), c.rowid(), where);
                }
            }
            assertEquals(expected.size(), i, "entries in b-tree " + root);
        }
    }

    @Test
    void textIsUtf8Bytes() {
        String s = "a\u0000b";                               // embedded NUL survives
        assertEquals(s, RecordCodec.decode(RecordCodec.encode(s))[0]);
        byte[] rec = RecordCodec.encode("Ω");
        assertArrayEquals(new byte[] {2, 17, (byte) 0xce, (byte) 0xa9}, rec);
        assertEquals("Ω", new String(rec, 2, 2, StandardCharsets.UTF_8));
    }
}

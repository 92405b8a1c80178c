package io.ancdb.typed;

import io.ancdb.CorruptionException;
import io.ancdb.InvalidArgumentException;
import io.ancdb.record.StringListJsonTest;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ValueCodecTest {
    static final FieldDef I64 = FieldDef.of("n", FieldType.I64);
    static final FieldDef U64 = FieldDef.of("u", FieldType.U64);
    static final FieldDef F64 = FieldDef.of("x", FieldType.F64);
    static final FieldDef BOOL = FieldDef.of("flag", FieldType.BOOL);
    static final FieldDef STR = FieldDef.of("s", FieldType.STR);
    static final FieldDef ZSTR = FieldDef.of("content", FieldType.STR).asCompressed();
    static final FieldDef BYTES = FieldDef.of("b", FieldType.BYTES);
    static final FieldDef ZBYTES = FieldDef.of("zb", FieldType.BYTES).asCompressed();
    static final FieldDef VEC = FieldDef.of("embedding", FieldType.F32VEC);
    static final FieldDef QVEC = FieldDef.of("q", FieldType.I8VEC);
    static final FieldDef TAGS = FieldDef.of("tags", FieldType.STRLIST);

    static Object roundTrip(FieldDef f, Object v) {
        return ValueCodec.fromStored(f, ValueCodec.toStored(f, v));
    }

    static InvalidArgumentException invalid(FieldDef f, Object v) {
        return assertThrows(InvalidArgumentException.class, () -> ValueCodec.toStored(f, v));
    }

    static CorruptionException corrupt(FieldDef f, Object stored) {
        CorruptionException e = assertThrows(CorruptionException.class, () -> ValueCodec.fromStored(f, stored));
        assertEquals(102, e.code());
        return e;
    }

    static String text(int bytes, long seed) {
        Random r = new Random(seed);
        String[] words = {"agent", "memory", "the", "vector", "store", "recall", "context", "\u00e9t\u00e9", "\uD83D\uDE00"};
        StringBuilder sb = new StringBuilder();
        while (sb.length() < bytes) {
            sb.append(words[r.nextInt(words.length)]).append(r.nextInt(10) == 0 ? ".\n" : " ");
        }
        return sb.toString();
    }

    @Test
    void nullsPassThrough() {
        for (FieldDef f : List.of(I64, U64, F64, BOOL, STR, ZSTR, BYTES, ZBYTES, VEC, QVEC, TAGS)) {
            assertNull(ValueCodec.toStored(f, null));
            assertNull(ValueCodec.fromStored(f, null));
        }
    }

    @Test
    void integers() {
        assertEquals(42L, ValueCodec.toStored(I64, 42));
        assertEquals(42L, ValueCodec.toStored(I64, (short) 42));
        assertEquals(-7L, ValueCodec.toStored(I64, -7L));
        assertEquals(3L, ValueCodec.toStored(I64, 3.0));
        assertEquals(Long.MAX_VALUE, ValueCodec.toStored(I64, BigInteger.valueOf(Long.MAX_VALUE)));
        assertEquals(5L, ValueCodec.toStored(I64, new BigDecimal("5.00")));
        assertEquals(-1L, ValueCodec.toStored(U64, new BigInteger("18446744073709551615")));
        assertEquals(-1L, ValueCodec.toStored(U64, -1L));               // the unsigned bits
        assertEquals("18446744073709551615", Long.toUnsignedString((Long) roundTrip(U64, -1L)));
        assertEquals(Long.MIN_VALUE, roundTrip(I64, Long.MIN_VALUE));
        InvalidArgumentException e = invalid(I64, "12");
        assertTrue(e.getMessage().contains("field n expects i64, got java.lang.String"), e.getMessage());
        assertTrue(invalid(I64, 1.5).getMessage().contains("non-integer"));
        assertTrue(invalid(I64, Double.NaN).getMessage().contains("non-integer"));
        assertTrue(invalid(I64, new BigInteger("9223372036854775808")).getMessage().contains("out of range"));
        assertTrue(invalid(U64, BigInteger.valueOf(-1)).getMessage().contains("out of range"));
        assertTrue(invalid(U64, true).getMessage().contains("expects u64"));
        // stored leniency: integral REAL
        assertEquals(9L, ValueCodec.fromStored(I64, 9.0));
        corrupt(I64, 9.5);
        corrupt(I64, "9");
    }

    @Test
    void floatsAndBooleans() {
        assertEquals(1.5, ValueCodec.toStored(F64, 1.5f));
        assertEquals(2.0, ValueCodec.toStored(F64, 2L));
        assertEquals(2.0, ValueCodec.fromStored(F64, 2L));            // SQLite may store integral REALs as ints
        assertEquals(Math.PI, roundTrip(F64, Math.PI));
        assertTrue(invalid(F64, "1.0").getMessage().contains("expects f64"));
        assertEquals(1L, ValueCodec.toStored(BOOL, true));
        assertEquals(0L, ValueCodec.toStored(BOOL, false));
        assertEquals(1L, ValueCodec.toStored(BOOL, 1));
        assertEquals(Boolean.TRUE, roundTrip(BOOL, true));
        assertEquals(Boolean.FALSE, roundTrip(BOOL, false));
        assertEquals(Boolean.TRUE, ValueCodec.fromStored(BOOL, 5L));
        assertTrue(invalid(BOOL, 2).getMessage().contains("out of range"));
        assertTrue(invalid(BOOL, "true").getMessage().contains("expects bool"));
        corrupt(BOOL, "yes");
    }

    @Test
    void plainStringsAndBytes() {
        assertEquals("h\u00e9", ValueCodec.toStored(STR, "h\u00e9"));
        assertEquals("sb", ValueCodec.toStored(STR, new StringBuilder("sb")));
        byte[] b = {1, 2, 3};
        assertSame(b, ValueCodec.toStored(BYTES, b));
        assertTrue(invalid(STR, 5).getMessage().contains("field s expects str"));
        assertTrue(invalid(BYTES, "x").getMessage().contains("field b expects bytes"));
        assertEquals("ab", ValueCodec.fromStored(STR, "ab".getBytes(StandardCharsets.UTF_8)));
        assertArrayEquals("ab".getBytes(StandardCharsets.UTF_8), (byte[]) ValueCodec.fromStored(BYTES, "ab"));
        corrupt(STR, 3L);
    }

    @Test
    void compressedStringRoundTrips1KbAnd1Mb() {
        for (int size : new int[] {0, 1, 1024, 1 << 20}) {
            String s = text(size, size);
            Object stored = ValueCodec.toStored(ZSTR, s);
            byte[] blob = assertInstanceOf(byte[].class, stored);
            assertTrue(ValueCodec.isCompressed(blob));
            assertEquals('L', blob[0]);
            assertEquals('1', blob[3]);
            int len = ByteBuffer.wrap(blob, 4, 4).order(ByteOrder.BIG_ENDIAN).getInt();
            assertEquals(s.getBytes(StandardCharsets.UTF_8).length, len);
            if (size >= 1024) {
                assertTrue(blob.length < len / 2, "compresses repetitive text: " + blob.length + " of " + len);
            }
            assertEquals(s, ValueCodec.fromStored(ZSTR, blob));
        }
    }

    @Test
    void compressedBytesRoundTrip() {
        byte[] random = new byte[100_000];
        new Random(7).nextBytes(random);                       // incompressible
        assertArrayEquals(random, (byte[]) roundTrip(ZBYTES, random));
        byte[] zeros = new byte[1 << 20];
        byte[] blob = (byte[]) ValueCodec.toStored(ZBYTES, zeros);
        assertTrue(blob.length < 10_000, "1 MB of zeros in " + blob.length);
        assertArrayEquals(zeros, (byte[]) ValueCodec.fromStored(ZBYTES, blob));
        assertArrayEquals(new byte[0], (byte[]) roundTrip(ZBYTES, new byte[0]));
    }

    @Test
    void compressedFieldsAcceptPlainStoredValues() {
        assertEquals("written by sqlite3", ValueCodec.fromStored(ZSTR, "written by sqlite3"));
        assertEquals("plain", ValueCodec.fromStored(ZSTR, "plain".getBytes(StandardCharsets.UTF_8)));
        byte[] raw = {9, 8, 7};
        assertSame(raw, ValueCodec.fromStored(ZBYTES, raw));
        assertArrayEquals("txt".getBytes(StandardCharsets.UTF_8), (byte[]) ValueCodec.fromStored(ZBYTES, "txt"));
    }

    @Test
    void corruptCompressedBlocksThrowCorruption() {
        byte[] good = ValueCodec.compress(text(4096, 1).getBytes(StandardCharsets.UTF_8));
        // truncated block
        assertTrue(corrupt(ZSTR, Arrays.copyOf(good, good.length - 10)).getMessage().contains("content"));
        // stated length too large / too small
        byte[] longer = good.clone();
        ByteBuffer.wrap(longer).putInt(4, 4097);
        corrupt(ZSTR, longer);
        byte[] shorter = good.clone();
        ByteBuffer.wrap(shorter).putInt(4, 4000);
        corrupt(ZBYTES, shorter);
        // implausible lengths must not be allocated
        byte[] huge = good.clone();
        ByteBuffer.wrap(huge).putInt(4, Integer.MAX_VALUE);
        assertTrue(corrupt(ZSTR, huge).getMessage().contains("implausible"));
        byte[] negative = good.clone();
        ByteBuffer.wrap(negative).putInt(4, -5);
        corrupt(ZBYTES, negative);
        // garbage after the header, and every-byte flips in a small block: never an unchecked exception
        byte[] garbage = {'L', 'Z', '4', '1', 0, 0, 0, 100, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 1, 2};
        corrupt(ZBYTES, garbage);
        byte[] small = ValueCodec.compress("hello hello hello hello hello world".getBytes(StandardCharsets.UTF_8));
        Random r = new Random(3);
        for (int i = ValueCodec.LZ4_HEADER; i < small.length; i++) {
            for (int k = 0; k < 8; k++) {
                byte[] c = small.clone();
                c[i] = (byte) r.nextInt(256);
                try {
                    Object v = ValueCodec.fromStored(ZBYTES, c);
                    assertInstanceOf(byte[].class, v);
                } catch (CorruptionException expected) {
                    assertEquals(102, expected.code());
                }
            }
        }
        // valid LZ4 but not UTF-8, in a str field
        corrupt(ZSTR, ValueCodec.compress(new byte[] {(byte) 0xC3, (byte) 0x28}));
        assertThrows(CorruptionException.class, () -> ValueCodec.decompress(new byte[] {'L', 'Z'}));
    }

    @Test
    void f32VectorsAreRawLittleEndian() {
        float[] v = {1.0f, -2.5f, Float.NaN, 0f};
        byte[] blob = (byte[]) ValueCodec.toStored(VEC, v);
        assertEquals(16, blob.length);
        ByteBuffer bb = ByteBuffer.wrap(blob).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(1.0f, bb.getFloat(0));
        assertEquals(-2.5f, bb.getFloat(4));
        assertArrayEquals(v, (float[]) ValueCodec.fromStored(VEC, blob));
        float[] big = new float[768];
        Random r = new Random(1);
        for (int i = 0; i < big.length; i++) {
            big[i] = (float) r.nextGaussian();
        }
        assertArrayEquals(big, (float[]) roundTrip(VEC, big));
        // protocol forms
        assertArrayEquals(new float[] {1f, 2.5f}, (float[]) roundTrip(VEC, List.of(1, 2.5)));
        assertArrayEquals(new float[] {1f, 2.5f}, (float[]) roundTrip(VEC, new double[] {1, 2.5}));
        assertArrayEquals(new float[] {0.5f}, (float[]) roundTrip(VEC, new Double[] {0.5}));
        assertArrayEquals(new float[0], (float[]) roundTrip(VEC, new float[0]));
        assertTrue(invalid(VEC, List.of(1, "x")).getMessage().contains("element 1"));
        assertTrue(invalid(VEC, Arrays.asList(1, null)).getMessage().contains("element 1 is null"));
        assertTrue(invalid(VEC, new double[] {1e300}).getMessage().contains("float32"));
        assertTrue(invalid(VEC, "1,2").getMessage().contains("expects f32vec"));
        corrupt(VEC, new byte[] {1, 2, 3});
        corrupt(VEC, "text");
    }

    /** A vector may be given as its little-endian float32 bytes (the protocol's "vectors as bin"). */
    @Test
    void vectorsMayBeGivenAsLittleEndianBytes() {
        float[] v = {1.0f, -2.5f, Float.NaN, 3e38f};
        byte[] le = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putFloat(1.0f).putFloat(-2.5f)
                .putFloat(Float.NaN).putFloat(3e38f).array();
        assertArrayEquals(le, (byte[]) ValueCodec.toStored(VEC, le));                 // the stored form itself
        assertArrayEquals(v, (float[]) roundTrip(VEC, le));
        assertArrayEquals(new float[0], (float[]) roundTrip(VEC, new byte[0]));
        float[] q = {0.25f, -1f, 7f};
        byte[] qle = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN).putFloat(0.25f).putFloat(-1f)
                .putFloat(7f).array();
        assertArrayEquals((byte[]) ValueCodec.toStored(QVEC, q), (byte[]) ValueCodec.toStored(QVEC, qle));
        assertTrue(invalid(VEC, new byte[] {1, 2, 3}).getMessage().contains("3 bytes are not a whole number of float32s"));
        assertTrue(invalid(QVEC, new byte[5]).getMessage().contains("field q (i8vec): 5 bytes"));
        assertTrue(invalid(QVEC, le).getMessage().contains("cannot quantize NaN"));
    }

    @Test
    void quantizedLayoutAndErrorBound() {
        Random r = new Random(42);
        for (int trial = 0; trial < 20; trial++) {
            float[] v = new float[768];
            double spread = trial < 10 ? 1 : Math.pow(10, trial - 14);          // 1e-4 .. 1e5
            for (int i = 0; i < v.length; i++) {
                v[i] = (float) (r.nextGaussian() * spread + (trial % 3 == 0 ? 3 * spread : 0));
            }
            byte[] blob = (byte[]) ValueCodec.toStored(QVEC, v);
            assertEquals(ValueCodec.Q8_HEADER + v.length, blob.length);
            assertEquals('Q', blob[0]);
            assertEquals('8', blob[1]);
            ByteBuffer bb = ByteBuffer.wrap(blob).order(ByteOrder.LITTLE_ENDIAN);
            float min = bb.getFloat(2);
            float scale = bb.getFloat(6);
            assertEquals(scale, ValueCodec.quantizedScale(blob));
            float lo = Float.MAX_VALUE, hi = -Float.MAX_VALUE;
            for (float x : v) {
                lo = Math.min(lo, x);
                hi = Math.max(hi, x);
            }
            assertEquals(lo, min);
            assertTrue(255.0 * scale >= (double) hi - lo);
            float[] back = (float[]) ValueCodec.fromStored(QVEC, blob);
            for (int i = 0; i < v.length; i++) {
                // the documented formula, decoded independently: error <= scale / 2
                double spec = min + (blob[ValueCodec.Q8_HEADER + i] + 128) * (double) scale;
                assertTrue(Math.abs(v[i] - spec) <= scale / 2.0, "element " + i + ": " + v[i] + " vs " + spec);
                assertEquals((float) spec, back[i]);
                // the float32 result adds at most half an ulp
                assertTrue(Math.abs(v[i] - back[i]) <= scale / 2.0 + Math.ulp(v[i]) / 2.0);
            }
        }
    }

    @Test
    void quantizedEdgeCases() {
        float[] constant = {3f, 3f, 3f};
        assertArrayEquals(constant, (float[]) roundTrip(QVEC, constant));
        assertArrayEquals(new float[0], (float[]) roundTrip(QVEC, new float[0]));
        float[] extremes = {-Float.MAX_VALUE, 0f, Float.MAX_VALUE};
        float[] back = (float[]) roundTrip(QVEC, extremes);
        assertEquals(-Float.MAX_VALUE, back[0]);
        assertTrue(Float.isFinite(back[2]));
        float[] two = {0f, 1f};
        assertArrayEquals(two, (float[]) roundTrip(QVEC, two));
        assertTrue(invalid(QVEC, new float[] {1f, Float.NaN}).getMessage().contains("element 1"));
        assertTrue(invalid(QVEC, new float[] {Float.POSITIVE_INFINITY}).getMessage().contains("quantize"));
        // corrupt blobs
        corrupt(QVEC, new byte[] {'Q', '8', 0, 0});
        corrupt(QVEC, new byte[] {'X', '8', 0, 0, 0, 0, 0, 0, 0, 0, 1});
        byte[] nanScale = ValueCodec.quantize(new float[] {1, 2});
        ByteBuffer.wrap(nanScale).order(ByteOrder.LITTLE_ENDIAN).putFloat(6, Float.NaN);
        corrupt(QVEC, nanScale);
        byte[] negScale = ValueCodec.quantize(new float[] {1, 2});
        ByteBuffer.wrap(negScale).order(ByteOrder.LITTLE_ENDIAN).putFloat(6, -1f);
        assertTrue(corrupt(QVEC, negScale).getMessage().contains("field q"));
        corrupt(QVEC, 5L);
    }

    @Test
    void stringLists() {
        assertEquals("[\"a\",\"b\"]", ValueCodec.toStored(TAGS, List.of("a", "b")));
        assertEquals("[\"a\"]", ValueCodec.toStored(TAGS, new String[] {"a"}));
        assertEquals("[]", ValueCodec.toStored(TAGS, List.of()));
        assertEquals(StringListJsonTest.TRICKY, roundTrip(TAGS, StringListJsonTest.TRICKY));
        assertEquals(List.of(), roundTrip(TAGS, List.of()));
        assertEquals(List.of("x"), ValueCodec.fromStored(TAGS, "[\"x\"]".getBytes(StandardCharsets.UTF_8)));
        assertTrue(invalid(TAGS, List.of("a", 1)).getMessage().contains("element 1 is a java.lang.Integer"));
        assertTrue(invalid(TAGS, Arrays.asList("a", null)).getMessage().contains("element 1 is null"));
        assertTrue(invalid(TAGS, "a,b").getMessage().contains("expects strlist"));
        assertTrue(corrupt(TAGS, "[1,2]").getMessage().contains("not a JSON array of strings"));
        corrupt(TAGS, "not json");
        corrupt(TAGS, 3L);
    }
}

package io.ancdb.typed;

import io.ancdb.CorruptionException;
import io.ancdb.InvalidArgumentException;
import io.ancdb.record.StringListJson;
import net.jpountz.lz4.LZ4Compressor;
import net.jpountz.lz4.LZ4Factory;
import net.jpountz.lz4.LZ4SafeDecompressor;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Converts field values between the API form and what is stored in SQLite
 * (Long, Double, String, byte[] or null). This Javadoc is also the storage
 * specification for clients in other languages.
 *
 * <h2>Per type</h2>
 * <table>
 * <caption>API and stored forms</caption>
 * <tr><th>type</th><th>API value (accepted on write)</th><th>stored</th><th>API value (read)</th></tr>
 * <tr><td>i64</td><td>Long, Integer, Short, Byte; BigInteger/BigDecimal and
 *     integral Double/Float in range</td><td>INTEGER</td><td>Long</td></tr>
 * <tr><td>u64</td><td>as i64; a Long holds the unsigned bits, a BigInteger may be
 *     0 .. 2<sup>64</sup>-1</td><td>INTEGER (the same 64 bits, signed)</td><td>Long (unsigned bits:
 *     use {@link Long#toUnsignedString(long)})</td></tr>
 * <tr><td>f64</td><td>any Number</td><td>REAL</td><td>Double</td></tr>
 * <tr><td>bool</td><td>Boolean, or an integer 0 / 1</td><td>INTEGER 0 or 1</td><td>Boolean</td></tr>
 * <tr><td>str</td><td>String (any CharSequence)</td><td>TEXT (UTF-8); compressed: BLOB, see below</td>
 *     <td>String</td></tr>
 * <tr><td>bytes</td><td>byte[]</td><td>BLOB; compressed: BLOB, see below</td><td>byte[]</td></tr>
 * <tr><td>f32vec</td><td>float[], double[], List&lt;Number&gt;, Number[]; byte[]: 4n bytes, n float32
 *     little-endian (the stored form, kept as given)</td><td>BLOB: n float32,
 *     little-endian IEEE 754 (raw bits, NaN kept), 4n bytes</td><td>float[]</td></tr>
 * <tr><td>i8vec</td><td>as f32vec, finite values only</td><td>BLOB: quantized, see below</td>
 *     <td>float[]</td></tr>
 * <tr><td>strlist</td><td>List&lt;String&gt;, String[] (no null elements)</td><td>TEXT: a JSON array of
 *     strings, e.g. {@code ["a","b\"c"]} (see {@link StringListJson})</td><td>List&lt;String&gt;
 *     (unmodifiable)</td></tr>
 * </table>
 * A null API value is stored as NULL and read back as null (for every type).
 *
 * <h2>Compressed str / bytes (LZ4 block)</h2>
 * <pre>
 *   offset 0  4 bytes  magic 'L' 'Z' '4' '1'  (0x4C 0x5A 0x34 0x31)
 *   offset 4  4 bytes  uncompressed length, unsigned 32-bit big-endian (at most 2^31 - 1)
 *   offset 8  ...      one raw LZ4 block (the LZ4 block format, no frame header, no checksum)
 * </pre>
 * A str value is compressed as its UTF-8 bytes. Every value is compressed, even
 * when that makes it longer. On read, a compressed field also accepts a plain
 * value written by another tool: TEXT, or a BLOB that does not start with the
 * magic, is taken as the uncompressed value (a str field decodes a plain BLOB
 * as UTF-8; a bytes field takes TEXT as its UTF-8 bytes). A BLOB that starts
 * with the magic but whose block is malformed, or does not decompress to
 * exactly the stated length, raises {@link CorruptionException}.
 *
 * <h2>Quantized vector (i8vec)</h2>
 * <pre>
 *   offset 0   2 bytes  magic 'Q' '8'  (0x51 0x38)
 *   offset 2   4 bytes  min,   float32 little-endian
 *   offset 6   4 bytes  scale, float32 little-endian (finite, &gt;= 0)
 *   offset 10  n bytes  q[0..n-1], signed int8
 *   element i = min + (q[i] + 128) * scale   (computed in float64, then rounded to float32,
 *                                             saturating at +-Float.MAX_VALUE)
 * </pre>
 * The writer takes {@code min} = the smallest element and the smallest float32
 * {@code scale} with {@code 255 * scale >= max - min} (0 when all elements are
 * equal or the vector is empty), and for each element the level
 * {@code q + 128} in 0..255 nearest to it, so that
 * {@code |v - (min + (q + 128) * scale)| <= scale / 2} per element; the final
 * rounding to float32 adds at most half an ulp of the element.
 *
 * <h2>Errors</h2>
 * A write of the wrong Java type, or of a value out of the type's range, raises
 * {@link InvalidArgumentException} naming the field and its wire type. A read of
 * a stored value that does not fit the field (wrong storage class, malformed
 * compressed block, quantized blob or JSON) raises {@link CorruptionException}.
 * Leniencies on read: f64 accepts an INTEGER (SQLite stores integral REALs as
 * integers), i64/u64 an integral REAL, bool any number (non-zero is true),
 * str a BLOB (as UTF-8), bytes a TEXT (its UTF-8 bytes), strlist a BLOB holding
 * the JSON text.
 *
 * <p>LZ4 runs on lz4-java's pure-Java <em>safe</em> implementation
 * ({@link LZ4Factory#safeInstance()}): no JNI library, no {@code sun.misc.Unsafe},
 * so no JDK 25 native-access or Unsafe warnings and bounds-checked decoding of
 * untrusted blocks. Its output is the standard LZ4 block format.
 */
public final class ValueCodec {
    private ValueCodec() {
    }

    private static final LZ4Factory LZ4 = LZ4Factory.safeInstance();
    private static final LZ4Compressor COMPRESSOR = LZ4.fastCompressor();
    private static final LZ4SafeDecompressor DECOMPRESSOR = LZ4.safeDecompressor();
    private static final VarHandle F32_LE = MethodHandles.byteArrayViewVarHandle(float[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle I32_BE = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);

    /** Magic of a compressed value: "LZ41". */
    public static final byte[] LZ4_MAGIC = {'L', 'Z', '4', '1'};
    /** Bytes before the LZ4 block: magic + length. */
    public static final int LZ4_HEADER = 8;
    /** Magic of a quantized vector: "Q8". */
    public static final byte[] Q8_MAGIC = {'Q', '8'};
    /** Bytes before the int8 values: magic + min + scale. */
    public static final int Q8_HEADER = 10;

    private static final BigInteger TWO_64 = BigInteger.ONE.shiftLeft(64);

    // ------------------------------------------------------------------ API -> stored

    /** The stored form of {@code apiValue} for field {@code f}. */
    public static Object toStored(FieldDef f, Object apiValue) {
        if (apiValue == null) {
            return null;
        }
        return switch (f.type()) {
            case I64, U64 -> toLong(f, apiValue);
            case F64 -> {
                if (apiValue instanceof Number n) {
                    yield n.doubleValue();
                }
                throw wrongType(f, apiValue);
            }
            case BOOL -> toBoolean(f, apiValue) ? 1L : 0L;
            case STR -> {
                if (!(apiValue instanceof CharSequence cs)) {
                    throw wrongType(f, apiValue);
                }
                String s = cs.toString();
                yield f.compressed() ? compress(s.getBytes(StandardCharsets.UTF_8)) : s;
            }
            case BYTES -> {
                if (!(apiValue instanceof byte[] b)) {
                    throw wrongType(f, apiValue);
                }
                yield f.compressed() ? compress(b) : b;
            }
            case F32VEC -> apiValue instanceof byte[] b ? floatBytes(f, b) : encodeFloats(toFloats(f, apiValue));
            case I8VEC -> {
                float[] v = toFloats(f, apiValue);
                for (int i = 0; i < v.length; i++) {
                    if (!Float.isFinite(v[i])) {
                        throw new InvalidArgumentException("field " + f.name() + " (i8vec): cannot quantize "
                                + v[i] + " at element " + i);
                    }
                }
                yield quantize(v);
            }
            case STRLIST -> StringListJson.encode(toStringList(f, apiValue));
        };
    }

    private static InvalidArgumentException wrongType(FieldDef f, Object v) {
        return new InvalidArgumentException("field " + f.name() + " expects " + f.type().wireName() + ", got "
                + v.getClass().getTypeName());
    }

    private static InvalidArgumentException outOfRange(FieldDef f, Object v) {
        return new InvalidArgumentException("field " + f.name() + " (" + f.type().wireName()
                + "): value out of range: " + v);
    }

    private static long toLong(FieldDef f, Object v) {
        if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte) {
            return ((Number) v).longValue();
        }
        BigInteger big;
        if (v instanceof BigInteger b) {
            big = b;
        } else if (v instanceof BigDecimal d) {
            try {
                big = d.toBigIntegerExact();
            } catch (ArithmeticException e) {
                throw new InvalidArgumentException("field " + f.name() + " expects " + f.type().wireName()
                        + ", got the non-integer " + v);
            }
        } else if (v instanceof Double || v instanceof Float) {
            double d = ((Number) v).doubleValue();
            if (!Double.isFinite(d) || d != Math.rint(d)) {
                throw new InvalidArgumentException("field " + f.name() + " expects " + f.type().wireName()
                        + ", got the non-integer " + v);
            }
            big = new BigDecimal(d).toBigInteger();
        } else {
            throw wrongType(f, v);
        }
        if (f.type() == FieldType.U64) {
            if (big.signum() < 0 || big.compareTo(TWO_64) >= 0) {
                throw outOfRange(f, v);
            }
            return big.longValue();                      // the low 64 bits: unsigned as signed
        }
        if (big.bitLength() > 63) {
            throw outOfRange(f, v);
        }
        return big.longValue();
    }

    private static boolean toBoolean(FieldDef f, Object v) {
        if (v instanceof Boolean b) {
            return b;
        }
        if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte) {
            long l = ((Number) v).longValue();
            if (l == 0 || l == 1) {
                return l == 1;
            }
            throw outOfRange(f, v);
        }
        throw wrongType(f, v);
    }

    private static float[] toFloats(FieldDef f, Object v) {
        if (v instanceof float[] a) {
            return a;
        }
        if (v instanceof byte[] b) {
            return decodeFloats(floatBytes(f, b));
        }
        if (v instanceof double[] a) {
            float[] out = new float[a.length];
            for (int i = 0; i < a.length; i++) {
                out[i] = toFloat(f, a[i], i);
            }
            return out;
        }
        if (v instanceof List<?> l) {
            float[] out = new float[l.size()];
            int i = 0;
            for (Object o : l) {
                out[i] = toFloat(f, o, i);
                i++;
            }
            return out;
        }
        if (v instanceof Number[] a) {
            float[] out = new float[a.length];
            for (int i = 0; i < a.length; i++) {
                out[i] = toFloat(f, a[i], i);
            }
            return out;
        }
        throw wrongType(f, v);
    }

    /**
     * A vector given as bytes (as the MessagePack protocol's "vectors as bin" sends it): n
     * float32s, little-endian; refused unless a whole number of them.
     */
    private static byte[] floatBytes(FieldDef f, byte[] b) {
        if (b.length % 4 != 0) {
            throw new InvalidArgumentException("field " + f.name() + " (" + f.type().wireName() + "): " + b.length
                    + " bytes are not a whole number of float32s (4 bytes each, little-endian)");
        }
        return b;
    }

    private static float toFloat(FieldDef f, Object o, int i) {
        if (!(o instanceof Number n)) {
            throw new InvalidArgumentException("field " + f.name() + " expects " + f.type().wireName()
                    + ": element " + i + " is " + (o == null ? "null" : "a " + o.getClass().getTypeName()));
        }
        return toFloat(f, n.doubleValue(), i);
    }

    private static float toFloat(FieldDef f, double d, int i) {
        float x = (float) d;
        if (Float.isInfinite(x) && !Double.isInfinite(d)) {
            throw new InvalidArgumentException("field " + f.name() + " (" + f.type().wireName() + "): element " + i
                    + " = " + d + " does not fit a float32");
        }
        return x;
    }

    private static List<String> toStringList(FieldDef f, Object v) {
        Object[] elems;
        if (v instanceof List<?> l) {
            elems = l.toArray();
        } else if (v instanceof String[] a) {
            elems = a;
        } else {
            throw wrongType(f, v);
        }
        List<String> out = new ArrayList<>(elems.length);
        for (int i = 0; i < elems.length; i++) {
            if (!(elems[i] instanceof String s)) {
                throw new InvalidArgumentException("field " + f.name() + " expects strlist: element " + i + " is "
                        + (elems[i] == null ? "null" : "a " + elems[i].getClass().getTypeName()));
            }
            out.add(s);
        }
        return out;
    }

    // ------------------------------------------------------------------ stored -> API

    /** The API value of {@code stored} (as read from SQLite) for field {@code f}. */
    public static Object fromStored(FieldDef f, Object stored) {
        if (stored == null) {
            return null;
        }
        return switch (f.type()) {
            case I64, U64 -> {
                if (stored instanceof Long l) {
                    yield l;
                }
                if (stored instanceof Double d && d == Math.rint(d) && d >= -0x1p63 && d < 0x1p63) {
                    yield (long) (double) d;
                }
                throw badStored(f, stored);
            }
            case F64 -> {
                if (stored instanceof Double d) {
                    yield d;
                }
                if (stored instanceof Long l) {
                    yield (double) l;
                }
                throw badStored(f, stored);
            }
            case BOOL -> {
                if (stored instanceof Long l) {
                    yield l != 0;
                }
                if (stored instanceof Double d) {
                    yield d != 0;
                }
                throw badStored(f, stored);
            }
            case STR -> {
                if (stored instanceof String s) {
                    yield s;
                }
                if (stored instanceof byte[] b) {
                    if (f.compressed() && isCompressed(b)) {
                        yield strictUtf8(f, decompress(f, b));
                    }
                    yield new String(b, StandardCharsets.UTF_8);
                }
                throw badStored(f, stored);
            }
            case BYTES -> {
                if (stored instanceof byte[] b) {
                    yield f.compressed() && isCompressed(b) ? decompress(f, b) : b;
                }
                if (stored instanceof String s) {
                    yield s.getBytes(StandardCharsets.UTF_8);
                }
                throw badStored(f, stored);
            }
            case F32VEC -> {
                if (stored instanceof byte[] b) {
                    if (b.length % 4 != 0) {
                        throw corrupt(f, "f32vec blob of " + b.length + " bytes is not a multiple of 4");
                    }
                    yield decodeFloats(b);
                }
                throw badStored(f, stored);
            }
            case I8VEC -> {
                if (stored instanceof byte[] b) {
                    try {
                        yield dequantize(b);
                    } catch (CorruptionException e) {
                        throw corrupt(f, e.bareMessage());
                    }
                }
                throw badStored(f, stored);
            }
            case STRLIST -> {
                String json;
                if (stored instanceof String s) {
                    json = s;
                } else if (stored instanceof byte[] b) {
                    json = new String(b, StandardCharsets.UTF_8);
                } else {
                    throw badStored(f, stored);
                }
                try {
                    yield StringListJson.parseOrThrow(json);
                } catch (StringListJson.MalformedJson e) {
                    throw corrupt(f, "stored text is not a JSON array of strings: " + e.getMessage());
                }
            }
        };
    }

    private static CorruptionException corrupt(FieldDef f, String what) {
        return CorruptionException.found("field " + f.name() + " (" + f.type().wireName() + "): " + what);
    }

    private static CorruptionException badStored(FieldDef f, Object stored) {
        String kind = stored instanceof Long ? "INTEGER" : stored instanceof Double ? "REAL"
                : stored instanceof String ? "TEXT" : stored instanceof byte[] ? "BLOB"
                : stored.getClass().getTypeName();
        return corrupt(f, "stored " + kind + " value does not fit the field");
    }

    private static String strictUtf8(FieldDef f, byte[] b) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(b)).toString();
        } catch (CharacterCodingException e) {
            throw corrupt(f, "compressed text is not valid UTF-8");
        }
    }

    // ------------------------------------------------------------------ LZ4

    /** True when {@code b} starts with the "LZ41" magic and has a full header. */
    public static boolean isCompressed(byte[] b) {
        return b.length >= LZ4_HEADER && b[0] == 'L' && b[1] == 'Z' && b[2] == '4' && b[3] == '1';
    }

    /** {@code raw} in the compressed layout (magic, BE length, LZ4 block). */
    public static byte[] compress(byte[] raw) {
        int max = COMPRESSOR.maxCompressedLength(raw.length);
        byte[] out = new byte[LZ4_HEADER + max];
        System.arraycopy(LZ4_MAGIC, 0, out, 0, 4);
        I32_BE.set(out, 4, raw.length);
        int n = COMPRESSOR.compress(raw, 0, raw.length, out, LZ4_HEADER, max);
        return java.util.Arrays.copyOf(out, LZ4_HEADER + n);
    }

    /**
     * The uncompressed bytes of a value in the compressed layout.
     *
     * @throws CorruptionException when the magic, length or block is malformed
     */
    public static byte[] decompress(byte[] stored) {
        return decompress(null, stored);
    }

    private static byte[] decompress(FieldDef f, byte[] b) {
        String where = f == null ? "" : "field " + f.name() + " (" + f.type().wireName() + "): ";
        if (!isCompressed(b)) {
            throw CorruptionException.found(where + "not an LZ4 value (bad magic or short header)");
        }
        int declared = (int) I32_BE.get(b, 4);
        int blockLen = b.length - LZ4_HEADER;
        // An LZ4 block expands at most ~255x; a larger stated length is corrupt (and must not be allocated).
        if (declared < 0 || declared > Integer.MAX_VALUE - 16 || declared > 255L * blockLen + 64) {
            throw CorruptionException.found(where + "corrupt LZ4 value: implausible length "
                    + Integer.toUnsignedString(declared) + " for a " + blockLen + "-byte block");
        }
        byte[] out = new byte[declared];
        int n;
        try {
            n = DECOMPRESSOR.decompress(b, LZ4_HEADER, blockLen, out, 0, declared);
        } catch (RuntimeException e) {                   // LZ4Exception, or any bounds failure
            throw CorruptionException.found(where + "corrupt LZ4 block: " + e.getMessage());
        }
        if (n != declared) {
            throw CorruptionException.found(where + "corrupt LZ4 block: " + n + " bytes instead of " + declared);
        }
        return out;
    }

    // ------------------------------------------------------------------ vectors

    /** Raw little-endian float32s. */
    public static byte[] encodeFloats(float[] v) {
        byte[] out = new byte[v.length * 4];
        for (int i = 0; i < v.length; i++) {
            F32_LE.set(out, i * 4, v[i]);
        }
        return out;
    }

    /** The float32s of a blob whose length is a multiple of 4. */
    public static float[] decodeFloats(byte[] b) {
        if (b.length % 4 != 0) {
            throw CorruptionException.found("f32vec blob of " + b.length + " bytes is not a multiple of 4");
        }
        float[] out = new float[b.length / 4];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) F32_LE.get(b, i * 4);
        }
        return out;
    }

    /** The quantized (i8vec) layout of {@code v}; every element must be finite. */
    public static byte[] quantize(float[] v) {
        float min = Float.POSITIVE_INFINITY;
        float max = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < v.length; i++) {
            float x = v[i];
            if (!Float.isFinite(x)) {
                throw new InvalidArgumentException("cannot quantize " + x + " at element " + i);
            }
            min = Math.min(min, x);
            max = Math.max(max, x);
        }
        if (v.length == 0) {
            min = 0f;
            max = 0f;
        }
        double range = (double) max - (double) min;
        float scale = (float) (range / 255.0);
        while ((double) scale * 255.0 < range) {
            scale = Math.nextUp(scale);
        }
        byte[] out = new byte[Q8_HEADER + v.length];
        out[0] = 'Q';
        out[1] = '8';
        F32_LE.set(out, 2, min);
        F32_LE.set(out, 6, scale);
        for (int i = 0; i < v.length; i++) {
            int k = 0;
            if (scale > 0) {
                double x = v[i];
                int guess = (int) Math.max(0, Math.min(255, Math.round((x - min) / scale)));
                double best = Double.MAX_VALUE;
                for (int c = Math.max(0, guess - 1); c <= Math.min(255, guess + 1); c++) {
                    double err = Math.abs(x - (min + (double) c * scale));
                    if (err < best) {
                        best = err;
                        k = c;
                    }
                }
            }
            out[Q8_HEADER + i] = (byte) (k - 128);
        }
        return out;
    }

    /**
     * The float32s of a quantized (i8vec) blob.
     *
     * @throws CorruptionException when the magic or header is malformed
     */
    public static float[] dequantize(byte[] b) {
        if (b.length < Q8_HEADER || b[0] != 'Q' || b[1] != '8') {
            throw CorruptionException.found("not a quantized vector (bad magic or short header)");
        }
        double min = (float) F32_LE.get(b, 2);
        double scale = (float) F32_LE.get(b, 6);
        if (!Double.isFinite(min) || !Double.isFinite(scale) || scale < 0) {
            throw CorruptionException.found("corrupt quantized vector header (min " + min + ", scale " + scale + ")");
        }
        float[] out = new float[b.length - Q8_HEADER];
        for (int i = 0; i < out.length; i++) {
            double x = min + (b[Q8_HEADER + i] + 128) * scale;
            out[i] = (float) Math.max(-Float.MAX_VALUE, Math.min(Float.MAX_VALUE, x));
        }
        return out;
    }

    /** The {@code scale} of a quantized blob (its per-element error bound is scale / 2). */
    public static float quantizedScale(byte[] b) {
        if (b.length < Q8_HEADER || b[0] != 'Q' || b[1] != '8') {
            throw CorruptionException.found("not a quantized vector (bad magic or short header)");
        }
        return (float) F32_LE.get(b, 6);
    }
}

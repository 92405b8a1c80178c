package io.ancdb.bench;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * The data set every store loads, and the checks every read runs on what it
 * got back (a store that returns the wrong record, or nothing, or a record
 * wrong in any one byte, fails the benchmark instead of posting a fast score).
 * Every check covers the whole record and costs every store the same.
 *
 * <p><b>kv</b>: keys 1..n (8-byte integers), value = 100 bytes:
 * {@code [key: 8 BE][version: 4 BE][80 filler bytes][mix(key, version): 8 BE]}.
 *
 * <p><b>agent</b> (the AgentMemory schema): id 1..n, timestamp (indexed) =
 * {@code T0 + perm(id) * 1000} where perm is a fixed permutation of 1..n (so
 * a timestamp range is scattered over the table, as a secondary index usually
 * is), content = 1024 ASCII characters starting with the zero-padded id,
 * embedding = 768 float32 (3072 bytes, little-endian).
 */
public final class Data {
    public static final int VALUE_LEN = 100;
    public static final int CONTENT_LEN = 1024;
    public static final int DIM = 768;
    public static final int EMBEDDING_BYTES = DIM * 4;
    public static final long T0 = 1_700_000_000_000L;
    /** A prime larger than any n used; coprime with every n of the form 2^a 5^b. */
    private static final long PERM_MUL = 1_000_003L;

    static final VarHandle LONG_BE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
    static final VarHandle INT_BE = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
    static final VarHandle FLOAT_LE = MethodHandles.byteArrayViewVarHandle(float[].class, ByteOrder.LITTLE_ENDIAN);
    static final VarHandle INT_LE = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);

    public final Shape shape;
    public final long n;
    /** agent: {@link #agentDigest} of records 1..n by id (null for kv, whose check needs no table). */
    private final long[] digests;

    public Data(Shape shape, long n) {
        if (n < 2_000 || n % 1_000 != 0) {
            throw new IllegalArgumentException("n must be a multiple of 1000, at least 2000: " + n);
        }
        this.shape = shape;
        this.n = n;
        if (shape == Shape.AGENT) {
            digests = new long[Math.toIntExact(n + 1)];
            for (int id = 1; id <= n; id++) {
                digests[id] = agentDigest(id);
            }
        } else {
            digests = null;
        }
    }

    /** splitmix64 finaliser. */
    public static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    // --- kv ---------------------------------------------------------------------------------

    public static byte[] value(long key, int version) {
        byte[] v = new byte[VALUE_LEN];
        LONG_BE.set(v, 0, key);
        INT_BE.set(v, 8, version);
        long s = mix(key * 31 + version);
        for (int i = 12; i < VALUE_LEN - 8; i += 8) {
            s = mix(s);
            LONG_BE.set(v, i, s);
        }
        LONG_BE.set(v, VALUE_LEN - 8, mix(key ^ ((long) version << 40)));
        return v;
    }

    /**
     * Throws unless {@code v} is, byte for byte, the value written for {@code key}
     * in some version: the key, the version field, all 80 filler bytes and the
     * trailing checksum are regenerated from (key, version) and compared in place
     * (no allocation, so the check costs every store the same few nanoseconds).
     */
    public static void checkValue(long key, byte[] v) {
        if (v == null || v.length != VALUE_LEN || (long) LONG_BE.get(v, 0) != key) {
            throw wrongValue(key);
        }
        int version = (int) INT_BE.get(v, 8);
        long s = mix(key * 31 + version);
        for (int i = 12; i < VALUE_LEN - 8; i += 8) {
            s = mix(s);
            if ((long) LONG_BE.get(v, i) != s) {
                throw wrongValue(key);
            }
        }
        if ((long) LONG_BE.get(v, VALUE_LEN - 8) != mix(key ^ ((long) version << 40))) {
            throw wrongValue(key);
        }
    }

    private static IllegalStateException wrongValue(long key) {
        return new IllegalStateException("wrong value for key " + key);
    }

    // --- agent ------------------------------------------------------------------------------

    /** The permutation of 1..n behind the timestamps; ids above n map to themselves. */
    public long perm(long id) {
        return id > n ? id : ((id - 1) * PERM_MUL) % n + 1;
    }

    public long timestamp(long id) {
        return T0 + perm(id) * 1000;
    }

    /** The timestamp of the r-th smallest timestamp among ids 1..n (r in 1..n). */
    public static long timestampOfRank(long r) {
        return T0 + r * 1000;
    }

    public static String content(long id) {
        byte[] b = new byte[CONTENT_LEN];
        long x = id;
        for (int i = 18; i >= 0; i--) {         // the id, zero-padded to 19 digits, then ':'
            b[i] = (byte) ('0' + x % 10);
            x /= 10;
        }
        b[19] = ':';
        long s = mix(id);
        for (int i = 20; i < CONTENT_LEN; i++) {
            if ((i & 7) == 0) {
                s = mix(s);
            }
            b[i] = (byte) ('a' + (int) ((s >>> ((i & 7) * 8)) & 0xff) % 26);
        }
        return new String(b, StandardCharsets.US_ASCII);
    }

    public static float embeddingAt(long id, int j) {
        return (float) ((mix(id * 1000 + j) >>> 40) / (double) (1 << 24) - 0.5);   // exact in float32
    }

    public static float[] embedding(long id) {
        float[] f = new float[DIM];
        for (int j = 0; j < DIM; j++) {
            f[j] = embeddingAt(id, j);
        }
        return f;
    }

    public static byte[] embeddingBytes(long id) {
        byte[] b = new byte[EMBEDDING_BYTES];
        for (int j = 0; j < DIM; j++) {
            FLOAT_LE.set(b, j * 4, embeddingAt(id, j));
        }
        return b;
    }

    /**
     * Digest of agent record {@code id}'s content and embedding: the content's
     * {@link String#hashCode} in the high half, {@link #embeddingDigest(byte[])} in
     * the low half. Both are polynomial hashes with an odd multiplier over every
     * character / every float's bits, so a value that differs from the right one
     * in any single character or byte never matches (and a multi-byte difference
     * matches with probability 2^-32).
     */
    private static long agentDigest(long id) {
        return ((long) content(id).hashCode() << 32) | (embeddingDigest(embeddingBytes(id)) & 0xffffffffL);
    }

    /** The digests of records 1..n (index id), computed once per data set so reads compare two ints. */
    private long digest(long id) {
        return id >= 1 && id <= n ? digests[(int) id] : agentDigest(id);
    }

    /** Four interleaved 31-polynomials over the float bits (little-endian ints), combined with 31. */
    static int embeddingDigest(byte[] e) {
        int h0 = 1;
        int h1 = 1;
        int h2 = 1;
        int h3 = 1;
        for (int b = 0; b < EMBEDDING_BYTES; b += 16) {
            h0 = 31 * h0 + (int) INT_LE.get(e, b);
            h1 = 31 * h1 + (int) INT_LE.get(e, b + 4);
            h2 = 31 * h2 + (int) INT_LE.get(e, b + 8);
            h3 = 31 * h3 + (int) INT_LE.get(e, b + 12);
        }
        return ((h0 * 31 + h1) * 31 + h2) * 31 + h3;
    }

    /** As {@link #embeddingDigest(byte[])} for a decoded vector (the same value for the same floats). */
    static int embeddingDigest(float[] e) {
        int h0 = 1;
        int h1 = 1;
        int h2 = 1;
        int h3 = 1;
        for (int j = 0; j < DIM; j += 4) {
            h0 = 31 * h0 + Float.floatToRawIntBits(e[j]);
            h1 = 31 * h1 + Float.floatToRawIntBits(e[j + 1]);
            h2 = 31 * h2 + Float.floatToRawIntBits(e[j + 2]);
            h3 = 31 * h3 + Float.floatToRawIntBits(e[j + 3]);
        }
        return ((h0 * 31 + h1) * 31 + h2) * 31 + h3;
    }

    /** Throws unless (id, ts, content, embedding) is the agent record {@code id}, every byte of it. */
    public void checkAgent(long id, long ts, String content, byte[] embedding) {
        if (embedding == null || embedding.length != EMBEDDING_BYTES) {
            throw wrongAgent(id);
        }
        checkAgent(id, ts, content, embeddingDigest(embedding));
    }

    /** As {@link #checkAgent(long, long, String, byte[])} for a decoded vector. */
    public void checkAgent(long id, long ts, String content, float[] embedding) {
        if (embedding == null || embedding.length != DIM) {
            throw wrongAgent(id);
        }
        checkAgent(id, ts, content, embeddingDigest(embedding));
    }

    private void checkAgent(long id, long ts, String content, int embeddingDigest) {
        long want = digest(id);
        if (ts != timestamp(id) || content == null || content.length() != CONTENT_LEN
                || content.hashCode() != (int) (want >>> 32) || embeddingDigest != (int) want) {
            throw wrongAgent(id);
        }
    }

    private static IllegalStateException wrongAgent(long id) {
        return new IllegalStateException("wrong agent record for id " + id);
    }

    // --- lmdb layouts -----------------------------------------------------------------------

    /** The lmdb form of an agent record: [ts 8 BE][content 1024][embedding 3072]. */
    public byte[] agentBytes(long id) {
        byte[] b = new byte[8 + CONTENT_LEN + EMBEDDING_BYTES];
        LONG_BE.set(b, 0, timestamp(id));
        byte[] c = content(id).getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(c, 0, b, 8, CONTENT_LEN);
        System.arraycopy(embeddingBytes(id), 0, b, 8 + CONTENT_LEN, EMBEDDING_BYTES);
        return b;
    }

    /** Reads an lmdb agent record (a view into the map) back into Java objects and checks it. */
    public Object[] readAgent(long id, ByteBuffer v) {
        if (v == null || v.remaining() != 8 + CONTENT_LEN + EMBEDDING_BYTES) {
            throw new IllegalStateException("wrong agent record size for id " + id);
        }
        int p = v.position();
        long ts = v.getLong(p);
        byte[] c = new byte[CONTENT_LEN];
        v.get(p + 8, c);
        String content = new String(c, StandardCharsets.UTF_8);
        byte[] e = new byte[EMBEDDING_BYTES];
        v.get(p + 8 + CONTENT_LEN, e);
        checkAgent(id, ts, content, e);
        return new Object[] {id, ts, content, e};
    }
}

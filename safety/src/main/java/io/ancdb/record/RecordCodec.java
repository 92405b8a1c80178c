package io.ancdb.record;

import io.ancdb.CorruptionException;
import io.ancdb.InvalidArgumentException;
import io.ancdb.bindings.internal.ancdb_h;
import io.ancdb.internal.NativeErrors;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * SQLite's record format (https://sqlite.org/fileformat.html#record_format):
 * a header of varints (its own size, then one serial type per field) followed
 * by the field bodies, big-endian. Integers take the smallest width, 0 and 1
 * use serial types 8 and 9 (schema format 4).
 *
 * <p>Java values: {@code null}, {@code Long} (also Integer/Short/Byte),
 * {@code Double} (also Float), {@code String} (stored as UTF-8 text) and
 * {@code byte[]} (blob). Decoding returns Long, Double, String, byte[] or null.
 */
public final class RecordCodec {
    /**
     * SQLite's SQLITE_MAX_LENGTH: the VDBE refuses to build a longer record
     * (SQLITE_TOOBIG), and SQL cannot read back a longer value, so neither may
     * ANC-DB write one.
     */
    public static final long MAX_LENGTH = 1_000_000_000L;

    private RecordCodec() {
    }

    /** Encodes {@code values} as one record. */
    public static byte[] encode(Object... values) {
        int n = values.length;
        long[] types = new long[n];
        byte[][] texts = new byte[n][];
        long bodySize = 0;
        int typesSize = 0;
        for (int i = 0; i < n; i++) {
            Object v = values[i];
            long t;
            if (v == null) {
                t = 0;
            } else if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte) {
                t = intSerialType(((Number) v).longValue());
            } else if (v instanceof Double || v instanceof Float) {
                double d = ((Number) v).doubleValue();
                t = Double.isNaN(d) ? 0 : 7;                   // SQLite stores NaN as NULL
            } else if (v instanceof String s) {
                texts[i] = s.getBytes(StandardCharsets.UTF_8);
                t = 13 + 2L * texts[i].length;
            } else if (v instanceof byte[] b) {
                t = 12 + 2L * b.length;
            } else if (v instanceof Boolean b) {
                t = b ? 9 : 8;
            } else {
                throw new InvalidArgumentException("cannot store a " + v.getClass().getName() + " in a record");
            }
            types[i] = t;
            typesSize += Varint.size(t);
            bodySize += serialTypeLength(t);
        }
        int hdr = typesSize + 1;
        if (Varint.size(hdr) > 1) {
            hdr = typesSize + Varint.size(typesSize + 9L);
            hdr = typesSize + Varint.size(hdr);
        }
        long total = hdr + bodySize;
        if (total > MAX_LENGTH) {
            throw NativeErrors.exception(ancdb_h.ANCDB_TOOBIG, "encode", "a record of " + total
                    + " bytes is over SQLite's limit of " + MAX_LENGTH + " bytes per row");
        }
        byte[] out = new byte[(int) total];
        int p = Varint.write(out, 0, hdr);
        for (long t : types) {
            p = Varint.write(out, p, t);
        }
        for (int i = 0; i < n; i++) {
            p = writeBody(out, p, types[i], values[i], texts[i]);
        }
        return out;
    }

    /** Decodes every field of {@code record}. */
    public static Object[] decode(byte[] record) {
        return decode(record, Integer.MAX_VALUE);
    }

    /** Decodes at most {@code maxFields} fields of {@code record}. */
    public static Object[] decode(byte[] record, int maxFields) {
        return decode(record, 0, record.length, maxFields);
    }

    /** Decodes at most {@code maxFields} fields of the record {@code a[off .. off+len)}. */
    public static Object[] decode(byte[] a, int off, int len, int maxFields) {
        // Each serial type takes at least one header byte, so the header size bounds the field
        // count; decodeInto checks the header itself.
        long hdr = len > 0 && off >= 0 && off < a.length ? Varint.read(a, off) : 0;
        int bound = (int) Math.max(0, Math.min(Math.min(hdr, len) - 1, maxFields));
        Object[] out = new Object[bound];
        int n = decodeInto(a, off, len, out);
        return n == bound ? out : Arrays.copyOf(out, n);
    }

    /**
     * Decodes the record {@code a[off .. off+len)} into {@code out}: at most
     * {@code out.length} fields, slots past the record's fields untouched.
     * Returns the number decoded. The hot path of every read: no allocation
     * but the values themselves.
     */
    public static int decodeInto(byte[] a, int off, int len, Object[] out) {
        int end = off + len;
        if (len < 1 || off < 0 || end > a.length) {
            throw corrupt("empty or truncated record");
        }
        int p = off;
        long hdr;
        if (a[p] >= 0) {
            hdr = a[p++];
        } else {
            hdr = Varint.read(a, p);
            p += Varint.readLength(a, p);
        }
        if (hdr < 1 || hdr > len || p - off > hdr) {
            throw corrupt("record header size " + hdr + " beyond record of " + len + " bytes");
        }
        int hdrEnd = off + (int) hdr;
        int body = hdrEnd;
        int n = 0;
        while (p < hdrEnd && n < out.length) {
            long t;
            if (a[p] >= 0) {
                t = a[p++];
            } else {
                t = Varint.read(a, p);
                p += Varint.readLength(a, p);
                if (p > hdrEnd) {
                    throw corrupt("record header truncated");
                }
            }
            long flen = serialTypeLength(t);
            if (flen < 0 || body + flen > end) {
                throw corrupt("record field " + n + " runs past the end of the record");
            }
            out[n++] = readBody(a, body, t, (int) flen);
            body += (int) flen;
        }
        return n;
    }

    /** Number of fields in {@code record}, from its header. */
    public static int fieldCount(byte[] record) {
        int[] pos = new int[1];
        long hdr = readVarint(record, pos);
        int n = 0;
        while (pos[0] < hdr) {
            readVarint(record, pos);
            n++;
        }
        return n;
    }

    static long intSerialType(long v) {
        if (v == 0) {
            return 8;
        }
        if (v == 1) {
            return 9;
        }
        if (v >= -128 && v <= 127) {
            return 1;
        }
        if (v >= -32768 && v <= 32767) {
            return 2;
        }
        if (v >= -8388608 && v <= 8388607) {
            return 3;
        }
        if (v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE) {
            return 4;
        }
        if (v >= -140737488355328L && v <= 140737488355327L) {
            return 5;
        }
        return 6;
    }

    /** Body length of serial type {@code t}, or -1 for the reserved types 10 and 11. */
    static long serialTypeLength(long t) {
        if (t < 0 || t > 0xffffffffL) {
            return -1;                          // SQLite's serial types are 32-bit
        }
        if (t >= 12) {
            return (t - 12) / 2;
        }
        return switch ((int) t) {
            case 0, 8, 9 -> 0;
            case 1 -> 1;
            case 2 -> 2;
            case 3 -> 3;
            case 4 -> 4;
            case 5 -> 6;
            case 6, 7 -> 8;
            default -> -1;
        };
    }

    private static int writeBody(byte[] out, int p, long t, Object v, byte[] text) {
        if (t >= 12) {
            byte[] b = (t & 1) == 1 ? text : (byte[]) v;
            System.arraycopy(b, 0, out, p, b.length);
            return p + b.length;
        }
        int len = (int) serialTypeLength(t);
        long bits = t == 7 ? Double.doubleToLongBits(((Number) v).doubleValue())
                  : (t >= 1 && t <= 6) ? ((Number) v).longValue() : 0;
        for (int k = len - 1; k >= 0; k--) {
            out[p + k] = (byte) bits;
            bits >>= 8;
        }
        return p + len;
    }

    private static Object readBody(byte[] a, int p, long t, int len) {
        if (t >= 12) {
            return (t & 1) == 1 ? new String(a, p, len, StandardCharsets.UTF_8) : Arrays.copyOfRange(a, p, p + len);
        }
        switch ((int) t) {
            case 0:
                return null;
            case 8:
                return 0L;
            case 9:
                return 1L;
            case 7: {
                long bits = 0;
                for (int k = 0; k < 8; k++) {
                    bits = (bits << 8) | (a[p + k] & 0xff);
                }
                return Double.longBitsToDouble(bits);
            }
            default: {
                long v = a[p];                      // sign-extends the first byte
                for (int k = 1; k < len; k++) {
                    v = (v << 8) | (a[p + k] & 0xff);
                }
                return v;
            }
        }
    }

    private static long readVarint(byte[] a, int[] pos) {
        if (pos[0] >= a.length) {
            throw corrupt("record header truncated");
        }
        long v = Varint.read(a, pos[0]);
        pos[0] += Varint.readLength(a, pos[0]);
        if (pos[0] > a.length) {
            throw corrupt("record header truncated");
        }
        return v;
    }

    private static CorruptionException corrupt(String what) {
        return CorruptionException.found("malformed record: " + what);
    }
}

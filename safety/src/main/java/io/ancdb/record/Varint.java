package io.ancdb.record;

/**
 * SQLite's variable-length integers: 1 to 9 bytes, big-endian, 7 bits per
 * byte with the high bit meaning "more follows"; the 9th byte carries 8 bits.
 */
public final class Varint {
    private Varint() {
    }

    /** Bytes needed to encode {@code v}. */
    public static int size(long v) {
        if ((v & ~0x7fL) == 0) {
            return 1;
        }
        if ((v & 0xff00000000000000L) != 0) {
            return 9;
        }
        int n = 0;
        do {
            n++;
            v >>>= 7;
        } while (v != 0);
        return n;
    }

    /** Writes {@code v} at {@code a[p]}; returns the position after it. */
    public static int write(byte[] a, int p, long v) {
        if ((v & 0xff00000000000000L) != 0) {
            a[p + 8] = (byte) v;
            v >>>= 8;
            for (int i = 7; i >= 0; i--) {
                a[p + i] = (byte) ((v & 0x7f) | 0x80);
                v >>>= 7;
            }
            return p + 9;
        }
        int n = size(v);
        for (int i = n - 1; i >= 0; i--) {
            a[p + i] = (byte) ((v & 0x7f) | (i == n - 1 ? 0 : 0x80));
            v >>>= 7;
        }
        return p + n;
    }

    /** Reads the varint at {@code a[p]} (bytes past the array read as 0). */
    public static long read(byte[] a, int p) {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            int b = p + i < a.length ? a[p + i] & 0xff : 0;
            v = (v << 7) | (b & 0x7f);
            if ((b & 0x80) == 0) {
                return v;
            }
        }
        int b = p + 8 < a.length ? a[p + 8] & 0xff : 0;
        return (v << 8) | b;
    }

    /** Length in bytes of the varint at {@code a[p]}. */
    public static int readLength(byte[] a, int p) {
        for (int i = 0; i < 8; i++) {
            if (p + i >= a.length || (a[p + i] & 0x80) == 0) {
                return i + 1;
            }
        }
        return 9;
    }
}

package io.ancdb.store;

import io.ancdb.AncDbException;
import io.ancdb.ErrorCode;

import javax.crypto.Mac;
import javax.crypto.SecretKey;
import java.security.GeneralSecurityException;
import java.util.Arrays;

/**
 * HKDF with HMAC-SHA256 (RFC 5869) over the JDK's {@code javax.crypto.Mac}:
 * Extract, then Expand, nothing else written by hand. One instance holds one
 * pseudorandom key (the Extract step's output) and expands it on demand;
 * {@link #close()} overwrites it, in this object and in the Mac.
 *
 * <p>Key bytes never stay in arrays this class does not wipe: the Mac is
 * given a {@link SecretKey} whose encoded copy the JDK's HMAC wipes after
 * keying itself (its pads, the key XOR a constant, stay in the Mac until it
 * is keyed again, which {@link #close()} does with zeros, see {@link #scrub}), and every MAC
 * result is copied out of the array {@code doFinal()} returns, which is then
 * wiped.
 */
final class Hkdf implements AutoCloseable {
    static final int HASH_LEN = 32;
    private static final String HMAC = "HmacSHA256";

    private final Mac mac;
    private final byte[] prk = new byte[HASH_LEN];
    private boolean closed;

    /** HKDF-Extract(salt, ikm): the pseudorandom key this instance expands. {@code ikm} is not kept. */
    Hkdf(byte[] salt, byte[] ikm) {
        mac = newMac(HMAC);
        // RFC 5869 2.2: an absent salt is HashLen zeros
        byte[] s = salt == null || salt.length == 0 ? new byte[HASH_LEN] : salt;
        key(mac, s);
        mac.update(ikm);
        finish(mac, prk, 0, HASH_LEN);
        key(mac, prk);
    }

    /**
     * HKDF-Expand(prk, info, length): {@code length} bytes (at most 255 x 32)
     * for context {@code info}. The caller wipes the result. Not thread-safe.
     */
    byte[] expand(byte[] info, int length) {
        if (closed) {
            throw new IllegalStateException("the key derivation was closed");
        }
        if (length < 1 || length > 255 * HASH_LEN) {
            throw new IllegalArgumentException("HKDF-Expand length must be within 1 .. " + 255 * HASH_LEN);
        }
        byte[] okm = new byte[length];
        byte[] t = new byte[HASH_LEN];
        for (int i = 1, done = 0; done < length; i++) {
            // T(i) = HMAC(PRK, T(i-1) | info | i), T(0) empty
            if (i > 1) {
                mac.update(t);
            }
            mac.update(info);
            mac.update((byte) i);
            finish(mac, t, 0, HASH_LEN);
            int n = Math.min(HASH_LEN, length - done);
            System.arraycopy(t, 0, okm, done, n);
            done += n;
        }
        Arrays.fill(t, (byte) 0);
        return okm;
    }

    /** The pseudorandom key (tests only: RFC 5869's vectors list it). The caller wipes the copy. */
    byte[] prk() {
        return prk.clone();
    }

    /** Overwrites the pseudorandom key here and in the Mac. Idempotent. */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            Arrays.fill(prk, (byte) 0);
            scrub(mac);
        }
    }

    /**
     * Leaves no key material in {@code mac}: keys it with zeros (its pads then
     * derive from zeros) and computes one MAC with that key, because the
     * JDK's HMAC leaves its last result in its digest's state (HeapKeyTest
     * found a file key there in a heap dump) and re-keying does not reset it.
     */
    static void scrub(Mac mac) {
        key(mac, new byte[mac.getMacLength()]);
        finish(mac, new byte[mac.getMacLength()], 0, mac.getMacLength());
    }

    static Mac newMac(String algorithm) {
        try {
            return Mac.getInstance(algorithm);
        } catch (GeneralSecurityException e) {
            throw new AncDbException(ErrorCode.INTERNAL, "the JDK offers no " + algorithm + ": " + e.getMessage());
        }
    }

    /** Keys {@code mac} with {@code key} without leaving a copy the JDK keeps unwiped. */
    static void key(Mac mac, byte[] key) {
        try {
            mac.init(new WipedCopyKey(key, mac.getAlgorithm()));
        } catch (GeneralSecurityException e) {
            throw new AncDbException(ErrorCode.INTERNAL, "cannot key " + mac.getAlgorithm() + ": " + e.getMessage());
        }
    }

    /** {@code mac.doFinal()} into {@code out[off..off+n)}; the Mac's own result array is wiped. */
    static void finish(Mac mac, byte[] out, int off, int n) {
        byte[] r = mac.doFinal();
        System.arraycopy(r, 0, out, off, n);
        Arrays.fill(r, (byte) 0);
    }

    /**
     * A raw HMAC key backed by the caller's array: {@link #getEncoded()} hands
     * out a copy, which the JDK's HMAC wipes once it has keyed itself
     * ({@code javax.crypto.spec.SecretKeySpec} would keep a copy of its own
     * that nothing public can wipe).
     */
    private record WipedCopyKey(byte[] bytes, String algorithm) implements SecretKey {
        @Override
        public String getAlgorithm() {
            return algorithm;
        }

        @Override
        public String getFormat() {
            return "RAW";
        }

        @Override
        public byte[] getEncoded() {
            return bytes.clone();
        }

        @Override
        public String toString() {
            return "WipedCopyKey[" + algorithm + "]";
        }
    }
}

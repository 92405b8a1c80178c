package io.ancdb.store;

import javax.crypto.Mac;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * PBKDF2 with HMAC-SHA512 (RFC 8018, 5.2) over the JDK's {@code Mac}, for a
 * store's passphrase. Not the JDK's {@code SecretKeyFactory}: its key object
 * keeps copies of the passphrase and of the derived key that nothing public
 * wipes (its Cleaner zeroes them only after a garbage collection), and
 * HeapKeyTest found both in a heap dump after the store had closed. Here the
 * passphrase's bytes, every block, the Mac's own result arrays (through
 * {@link Hkdf#finish}) and its key and state ({@link Hkdf#scrub}) are wiped once used, so only the caller's
 * result remains, for the caller to wipe.
 */
final class Pbkdf2 {
    private static final String HMAC = "HmacSHA512";
    private static final int HASH_LEN = 64;
    private static final byte[] FIRST_BLOCK = {0, 0, 0, 1};     // INT(1): one block gives up to 64 bytes

    private Pbkdf2() {
    }

    /** PBKDF2-HMAC-SHA512(UTF-8 of {@code passphrase}, salt, iterations, length &lt;= 64 bytes). */
    static byte[] hmacSha512(char[] passphrase, byte[] salt, int iterations, int length) {
        if (length < 1 || length > HASH_LEN || iterations < 1) {
            throw new IllegalArgumentException("PBKDF2 here makes 1 .. 64 bytes with at least one iteration");
        }
        byte[] p = utf8(passphrase);
        Mac mac = Hkdf.newMac(HMAC);
        byte[] u = new byte[HASH_LEN];
        byte[] t = new byte[HASH_LEN];
        try {
            Hkdf.key(mac, p);
            // T_1 = U_1 ^ ... ^ U_c, U_1 = PRF(P, S || INT(1)), U_i = PRF(P, U_{i-1})
            mac.update(salt);
            mac.update(FIRST_BLOCK);
            Hkdf.finish(mac, u, 0, HASH_LEN);
            System.arraycopy(u, 0, t, 0, HASH_LEN);
            for (int i = 1; i < iterations; i++) {
                mac.update(u);
                Hkdf.finish(mac, u, 0, HASH_LEN);
                for (int j = 0; j < HASH_LEN; j++) {
                    t[j] ^= u[j];
                }
            }
            return Arrays.copyOf(t, length);
        } finally {
            Arrays.fill(p, (byte) 0);
            Arrays.fill(u, (byte) 0);
            Arrays.fill(t, (byte) 0);
            Hkdf.scrub(mac);                             // its pads and its digest's state held U_c
        }
    }

    /** The UTF-8 bytes of {@code chars}; the encoder's own buffer is wiped. */
    private static byte[] utf8(char[] chars) {
        ByteBuffer b = StandardCharsets.UTF_8.encode(CharBuffer.wrap(chars));
        byte[] out = new byte[b.remaining()];
        b.get(out);
        Arrays.fill(b.array(), (byte) 0);
        return out;
    }
}

package io.ancdb.store;

import org.junit.jupiter.api.Test;

import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import java.util.HexFormat;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The store's PBKDF2-HMAC-SHA512 against the published vector for
 * ("password", "salt") and against the JDK's own PBKDF2WithHmacSHA512 (which
 * it replaced, so that stores opened with a passphrase before keep theirs).
 */
class Pbkdf2Test {
    private static final HexFormat HEX = HexFormat.of();

    @Test
    void publishedVectorPasswordSalt() {
        assertEquals("867f70cf1ade02cff3752599a3a53dc4af34c7a669815ae5d513554e1c8cf252"
                        + "c02d470a285a0501bad999bfe943c08f050235d7d68b1da55e63f73b60a57fce",
                HEX.formatHex(Pbkdf2.hmacSha512("password".toCharArray(), "salt".getBytes(), 1, 64)));
    }

    @Test
    void sameAsTheJdksForTheStoresParameters() throws Exception {
        SplittableRandom r = new SplittableRandom(5);
        for (String pass : new String[] {"correct horse battery staple", "pässwört ∑ 鍵", "x"}) {
            byte[] salt = new byte[16];
            r.nextBytes(salt);
            int iterations = pass.length() == 1 ? StoreUnlock.PBKDF2_ITERATIONS : 1000 + r.nextInt(1000);
            byte[] jdk = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA512")
                    .generateSecret(new PBEKeySpec(pass.toCharArray(), salt, iterations, 256)).getEncoded();
            assertEquals(HEX.formatHex(jdk), HEX.formatHex(Pbkdf2.hmacSha512(pass.toCharArray(), salt, iterations, 32)),
                    pass + ", " + iterations + " iterations");
        }
    }
}

package io.ancdb.store;

import io.ancdb.InvalidArgumentException;

import java.util.Arrays;

/**
 * The master key of an encrypted store ({@link StoreOptions#withMasterKey}):
 * a raw 256-bit key, or a passphrase. Every file of the store, the store's
 * own schema file too, is encrypted with a key of its own derived from it
 * (README, "Encryption of a store").
 *
 * <p>As with {@link io.ancdb.DatabaseKey}, the factories copy their argument
 * (wipe your own array when you no longer need it), and {@link Store#open}
 * wipes the copy once it has derived what the store needs: a master key
 * opens one store once. {@link #toString()} never shows key bytes.
 */
public final class MasterKey implements AutoCloseable {
    static final int RAW_BYTES = 32;

    private final byte[] raw;            // zeros once wiped; null for a passphrase
    private final char[] passphrase;     // zeros once wiped; null for a raw key
    private volatile boolean wiped;

    private MasterKey(byte[] raw, char[] passphrase) {
        this.raw = raw;
        this.passphrase = passphrase;
    }

    /** A raw master key: 32 bytes (use a random one: {@code SecureRandom.nextBytes}). */
    public static MasterKey raw(byte[] key) {
        if (key == null || key.length != RAW_BYTES) {
            throw new InvalidArgumentException("a raw master key has 32 bytes");
        }
        return new MasterKey(key.clone(), null);
    }

    /**
     * A passphrase; the store turns it into the master key once per
     * {@link Store#open} with PBKDF2-HMAC-SHA512 (256,000 iterations) over
     * its UTF-8 bytes.
     */
    public static MasterKey passphrase(char[] passphrase) {
        if (passphrase == null || passphrase.length == 0) {
            throw new InvalidArgumentException("the passphrase must not be empty");
        }
        return new MasterKey(null, passphrase.clone());
    }

    /**
     * A master key as a key file or an environment variable holds it, with
     * SQLCipher's convention: {@code x'<64 hex digits>'} is a raw key, any
     * other text a passphrase (a trailing line break is not part of it).
     */
    public static MasterKey parse(char[] text) {
        if (text == null) {
            throw new InvalidArgumentException("the master key text must not be empty");
        }
        int n = text.length;
        while (n > 0 && (text[n - 1] == '\n' || text[n - 1] == '\r')) {
            n--;
        }
        if (isRawKeyText(text, n)) {
            byte[] key = new byte[RAW_BYTES];
            try {
                for (int i = 0; i < RAW_BYTES; i++) {
                    key[i] = (byte) (Character.digit(text[2 + 2 * i], 16) << 4 | Character.digit(text[3 + 2 * i], 16));
                }
                return raw(key);
            } finally {
                Arrays.fill(key, (byte) 0);
            }
        }
        char[] p = Arrays.copyOf(text, n);
        try {
            return passphrase(p);
        } finally {
            Arrays.fill(p, '\0');
        }
    }

    private static boolean isRawKeyText(char[] t, int n) {
        if (n != 3 + 2 * RAW_BYTES || (t[0] != 'x' && t[0] != 'X') || t[1] != '\'' || t[n - 1] != '\'') {
            return false;
        }
        for (int i = 2; i < n - 1; i++) {
            if (Character.digit(t[i], 16) < 0) {
                return false;
            }
        }
        return true;
    }

    /** True for a raw key, false for a passphrase. */
    public boolean isRaw() {
        return raw != null;
    }

    /** True once the key was overwritten with zeros (checks every byte). */
    public boolean isWiped() {
        if (raw != null) {
            for (byte b : raw) {
                if (b != 0) {
                    return false;
                }
            }
        } else {
            for (char c : passphrase) {
                if (c != 0) {
                    return false;
                }
            }
        }
        return wiped;
    }

    /** The raw key (the array itself: the store copies what it needs, then wipes it with {@link #close()}). */
    byte[] rawBytes() {
        checkNotWiped();
        return raw;
    }

    /** The passphrase (the array itself, as {@link #rawBytes()}). */
    char[] passphraseChars() {
        checkNotWiped();
        return passphrase;
    }

    private void checkNotWiped() {
        if (wiped) {
            throw new InvalidArgumentException("this MasterKey was wiped (a master key opens one store once)");
        }
    }

    /** Overwrites the key with zeros. Idempotent. */
    @Override
    public void close() {
        if (raw != null) {
            Arrays.fill(raw, (byte) 0);
        } else {
            Arrays.fill(passphrase, '\0');
        }
        wiped = true;
    }

    @Override
    public String toString() {
        return "MasterKey[" + (isRaw() ? "raw" : "passphrase") + (wiped ? ", wiped" : "") + "]";
    }
}

package io.ancdb;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The key of an encrypted database file (SQLCipher 4's default format, see
 * the README's "Encryption at rest"): a passphrase, or a raw 256-bit key.
 *
 * <p>The key text is exactly what SQLCipher's {@code PRAGMA key} takes, so
 * any SQLCipher 4 tool opens the file with the same passphrase, or with the
 * raw key written {@code x'<64 hex digits>'} (the {@code x'<96 hex>'} form
 * also carries the file's salt). As in SQLCipher, a passphrase written in
 * that form is a raw key (so a key file may hold either). The factories copy their argument (wipe
 * your own array when you no longer need it); the copy is wiped by
 * {@link #close()}, and by {@link Database#open} and {@link Database#rekey}
 * right after they used it: a key opens one file once. {@link #toString()}
 * never shows key bytes.
 */
public final class DatabaseKey implements AutoCloseable {
    private static final int RAW_KEY = 32;
    private static final int SALT = 16;

    private final byte[] text;        // key text as PRAGMA key takes it; zeros once wiped
    private final boolean raw;
    private volatile boolean wiped;

    private DatabaseKey(byte[] text, boolean raw) {
        this.text = text;
        this.raw = raw;
    }

    /** A passphrase (UTF-8 encoded; PBKDF2-HMAC-SHA512 with 256,000 iterations at open). */
    public static DatabaseKey passphrase(char[] passphrase) {
        if (passphrase == null || passphrase.length == 0) {
            throw new InvalidArgumentException("the passphrase must not be empty");
        }
        ByteBuffer b = StandardCharsets.UTF_8.encode(CharBuffer.wrap(passphrase));
        byte[] utf8 = new byte[b.remaining()];
        b.get(utf8);
        Arrays.fill(b.array(), (byte) 0);           // the encoder's buffer held the passphrase too
        return new DatabaseKey(utf8, false);
    }

    /** A passphrase given as bytes (used as they are). */
    public static DatabaseKey passphrase(byte[] passphrase) {
        if (passphrase == null || passphrase.length == 0) {
            throw new InvalidArgumentException("the passphrase must not be empty");
        }
        return new DatabaseKey(passphrase.clone(), false);
    }

    /**
     * A raw key: 32 bytes (the AES-256 key; the salt is the file's), or 48
     * bytes (the key, then the 16-byte salt). No key derivation runs.
     */
    public static DatabaseKey raw(byte[] key) {
        if (key == null || (key.length != RAW_KEY && key.length != RAW_KEY + SALT)) {
            throw new InvalidArgumentException("a raw key has 32 bytes, or 48 with the salt");
        }
        byte[] t = new byte[3 + 2 * key.length];
        t[0] = 'x';
        t[1] = '\'';
        for (int i = 0; i < key.length; i++) {
            t[2 + 2 * i] = hexDigit((key[i] >> 4) & 15);
            t[3 + 2 * i] = hexDigit(key[i] & 15);
        }
        t[t.length - 1] = '\'';
        return new DatabaseKey(t, true);
    }

    private static byte hexDigit(int v) {
        return (byte) (v < 10 ? '0' + v : 'a' + v - 10);
    }

    /** True for a raw key, false for a passphrase. */
    public boolean isRaw() {
        return raw;
    }

    /** True once the key bytes were overwritten with zeros (checks every byte). */
    public boolean isWiped() {
        for (byte b : text) {
            if (b != 0) {
                return false;
            }
        }
        return wiped;
    }

    /** The key text for the native open; fails once wiped. */
    byte[] text() {
        if (wiped) {
            throw new InvalidArgumentException("this DatabaseKey was wiped (a key opens one file once)");
        }
        return text;
    }

    /** Overwrites the key bytes with zeros. Idempotent. */
    @Override
    public void close() {
        Arrays.fill(text, (byte) 0);
        wiped = true;
    }

    @Override
    public String toString() {
        return "DatabaseKey[" + (raw ? "raw" : "passphrase") + (wiped ? ", wiped" : "") + "]";
    }
}

package io.ancdb.protocol;

import io.ancdb.store.MasterKey;
import io.ancdb.store.StoreOptions;

import java.util.Arrays;

/**
 * A store's master key as the command line gave it ({@code --master-key-file} or
 * {@code ANCDB_MASTER_KEY}, read by {@link KeyOptions#masterKey}): a passphrase, or a raw
 * 32-byte key. It only carries the bytes to the store's own key type (the store turns a
 * passphrase into its master key itself); {@link #close()} wipes them, and
 * {@link #toString()} never shows them.
 */
final class MasterKeySource implements AutoCloseable {
    static final int RAW_BYTES = 32;

    private final char[] passphrase;     // null for a raw key
    private final byte[] raw;            // null for a passphrase

    private MasterKeySource(char[] passphrase, byte[] raw) {
        this.passphrase = passphrase;
        this.raw = raw;
    }

    /** Takes ownership of {@code passphrase} (wiped by {@link #close()}). */
    static MasterKeySource passphrase(char[] passphrase) {
        if (passphrase == null || passphrase.length == 0) {
            throw new IllegalArgumentException("the passphrase must not be empty");
        }
        return new MasterKeySource(passphrase, null);
    }

    /** Takes ownership of {@code key}, 32 bytes (wiped by {@link #close()}). */
    static MasterKeySource raw(byte[] key) {
        if (key == null || key.length != RAW_BYTES) {
            throw new IllegalArgumentException("a raw master key has 32 bytes");
        }
        return new MasterKeySource(null, key);
    }

    boolean isRaw() {
        return raw != null;
    }

    /** The passphrase (not a copy); only for a passphrase. */
    char[] passphrase() {
        if (passphrase == null) {
            throw new IllegalStateException("a raw master key has no passphrase");
        }
        return passphrase;
    }

    /** The 32 key bytes (not a copy); only for a raw key. */
    byte[] raw() {
        if (raw == null) {
            throw new IllegalStateException("a passphrase has no raw key bytes");
        }
        return raw;
    }

    /** The store's master key made from these bytes (it copies them: close this source afterwards). */
    MasterKey masterKey() {
        return isRaw() ? MasterKey.raw(raw) : MasterKey.passphrase(passphrase);
    }

    /** {@code options} with the master key {@code source} gives, or as they are when none was given (null). */
    static StoreOptions applyTo(StoreOptions options, MasterKeySource source) {
        return source == null ? options : options.withMasterKey(source.masterKey());
    }

    /** Overwrites the key with zeros. Idempotent. */
    @Override
    public void close() {
        if (passphrase != null) {
            Arrays.fill(passphrase, '\0');
        }
        if (raw != null) {
            Arrays.fill(raw, (byte) 0);
        }
    }

    @Override
    public String toString() {
        return "MasterKeySource[" + (isRaw() ? "raw" : "passphrase") + "]";
    }
}

package io.ancdb.store;

import io.ancdb.AncDbException;
import io.ancdb.ClosedException;
import io.ancdb.DatabaseKey;
import io.ancdb.DatabaseOptions;
import io.ancdb.ErrorCode;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The keys of a store's files. A plaintext store has none ({@link #NONE});
 * an encrypted store gives every file a key of its own, derived from the
 * store's master key with HKDF-SHA256 ({@value #HKDF_SALT_TEXT} as the salt,
 * the file's name in the directory, e.g. {@code acme.globex.db}, as the
 * info): knowing one file's key reveals nothing about another's, nor the
 * master key. Only HKDF's pseudorandom key is kept, until {@link #close()};
 * the master key itself is wiped once that is derived.
 *
 * <p>A file's key reaches {@link io.ancdb.Database#open} as a new
 * {@link DatabaseKey#raw} 32-byte key per open (a DatabaseKey opens once and
 * is wiped by the open); the file's SQLCipher salt is the file's own.
 */
final class StoreKeys implements AutoCloseable {
    static final String HKDF_SALT_TEXT = "ancdb store file keys v1";
    static final int FILE_KEY_BYTES = 32;
    static final int SALT_BYTES = 16;
    private static final byte[] HKDF_SALT = HKDF_SALT_TEXT.getBytes(StandardCharsets.US_ASCII);
    private static final byte[] PLAIN_HEADER = "SQLite format 3\0".getBytes(StandardCharsets.US_ASCII);

    /** The keys of a plaintext store: files open without a key. */
    static final StoreKeys NONE = new StoreKeys(null);

    private final Hkdf hkdf;                          // null: plaintext
    private final ReentrantLock lock = new ReentrantLock();
    private boolean closed;                           // guarded by lock

    private StoreKeys(Hkdf hkdf) {
        this.hkdf = hkdf;
    }

    /** The keys derived from {@code master}, a 32-byte secret (not kept). */
    static StoreKeys fromMaster(byte[] master) {
        return new StoreKeys(new Hkdf(HKDF_SALT, master));
    }

    boolean encrypted() {
        return hkdf != null;
    }

    /** {@code o} for the file {@code fileName}: with the file's key (a new DatabaseKey, wiped by the open), or as is. */
    DatabaseOptions options(DatabaseOptions o, String fileName) {
        if (hkdf == null) {
            return o;
        }
        byte[] k = fileKey(fileName);
        try {
            return o.withKey(DatabaseKey.raw(k));
        } finally {
            Arrays.fill(k, (byte) 0);
        }
    }

    /** As {@link #options}, with {@code salt} for the file's salt (a new file gets it). */
    DatabaseOptions options(DatabaseOptions o, String fileName, byte[] salt) {
        byte[] key = fileKey(fileName);
        byte[] k = Arrays.copyOf(key, FILE_KEY_BYTES + SALT_BYTES);
        try {
            System.arraycopy(salt, 0, k, FILE_KEY_BYTES, SALT_BYTES);
            return o.withKey(DatabaseKey.raw(k));
        } finally {
            Arrays.fill(key, (byte) 0);
            Arrays.fill(k, (byte) 0);
        }
    }

    /**
     * The raw key of file {@code fileName} with its {@code salt}, as SQLCipher's
     * key text {@code x'<64 hex digits of the key><32 of the salt>'}: it
     * opens the file in any SQLCipher 4 tool. The caller wipes the array.
     */
    char[] rawKeyText(String fileName, byte[] salt) {
        byte[] k = fileKey(fileName);
        try {
            char[] out = new char[3 + 2 * (FILE_KEY_BYTES + SALT_BYTES)];
            out[0] = 'x';
            out[1] = '\'';
            for (int i = 0; i < FILE_KEY_BYTES + SALT_BYTES; i++) {
                int b = (i < FILE_KEY_BYTES ? k[i] : salt[i - FILE_KEY_BYTES]) & 0xff;
                out[2 + 2 * i] = Character.forDigit(b >> 4, 16);
                out[3 + 2 * i] = Character.forDigit(b & 15, 16);
            }
            out[out.length - 1] = '\'';
            return out;
        } finally {
            Arrays.fill(k, (byte) 0);
        }
    }

    /** HKDF-Expand(prk, info = the file name, 32 bytes); the caller wipes it. */
    private byte[] fileKey(String fileName) {
        lock.lock();
        try {
            if (closed) {
                throw new ClosedException("the store is closed: its keys were wiped");
            }
            return hkdf.expand(fileName.getBytes(StandardCharsets.US_ASCII), FILE_KEY_BYTES);
        } finally {
            lock.unlock();
        }
    }

    /** True when {@code head} (a file's first bytes) is a plaintext SQLite file's, or an empty file's. */
    static boolean plaintext(byte[] head) {
        return head.length < SALT_BYTES ? head.length == 0 || Arrays.equals(head, 0, head.length, PLAIN_HEADER, 0, head.length)
                : Arrays.equals(head, 0, SALT_BYTES, PLAIN_HEADER, 0, SALT_BYTES);
    }

    static AncDbException notADatabase(String why) {
        return new AncDbException(ErrorCode.NOT_A_DATABASE, why);
    }

    /** Wipes the key material; the store's files can no longer be opened. Idempotent. */
    @Override
    public void close() {
        if (hkdf != null) {
            lock.lock();
            try {
                closed = true;
                hkdf.close();
            } finally {
                lock.unlock();
            }
        }
    }

    @Override
    public String toString() {
        return hkdf == null ? "StoreKeys[plaintext]" : "StoreKeys[encrypted]";
    }
}

package io.ancdb.store;

import io.ancdb.AncDbException;
import io.ancdb.Database;
import io.ancdb.DatabaseOptions;
import io.ancdb.ErrorCode;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.List;

/**
 * What {@link Store#open} does about keys before anything else: checks that
 * the master key (or its absence) fits the store, and derives the store's
 * {@link StoreKeys}. A wrong master key, a key for a plaintext store or no
 * key for an encrypted one is NOT_A_DATABASE (106) and nothing is written.
 *
 * <p>The master key is checked against the store's schema file
 * ({@value StoreSchemas#FILE}), which an encrypted store creates when it is
 * first opened, encrypted with its own derived key. Its 16-byte SQLCipher
 * salt (the file's first bytes) is also the salt of a passphrase's key
 * derivation: master key = PBKDF2-HMAC-SHA512(UTF-8 passphrase, salt,
 * 256,000 iterations, 32 bytes), computed once per open.
 */
final class StoreUnlock {
    static final int PBKDF2_ITERATIONS = 256_000;
    private static final int RACES = 3;

    private StoreUnlock() {
    }

    /**
     * The keys of the store in {@code files} for {@code master} (null: a
     * plaintext store). Wipes {@code master} whatever happens.
     *
     * @param schemaOptions how the schema file opens (a rollback journal, one reader)
     * @param fileOptions   how the store's database files open
     */
    static StoreKeys unlock(StoreFiles files, MasterKey master, DatabaseOptions schemaOptions,
                            DatabaseOptions fileOptions, boolean sync) {
        if (master == null) {
            requirePlaintext(files);
            return StoreKeys.NONE;
        }
        try {
            Path schemaFile = files.dir().resolve(StoreSchemas.FILE);
            for (int race = 0; race < RACES; race++) {
                byte[] head = StoreFiles.head(schemaFile, StoreKeys.SALT_BYTES);
                if (head != null) {
                    return existing(head, master, schemaFile, schemaOptions);
                }
                String first = firstDatabase(files);
                byte[] salt = new byte[StoreKeys.SALT_BYTES];
                new SecureRandom().nextBytes(salt);
                StoreKeys keys;
                if (first != null) {
                    keys = withoutSchemaFile(files, first, master, fileOptions);
                } else {
                    keys = derive(master, salt);          // a new store
                }
                if (create(files, schemaFile, keys, salt, schemaOptions, sync)) {
                    return keys;
                }
                keys.close();                             // another process made the file first: use it
            }
            throw new AncDbException(ErrorCode.TRANSACTION_CONFLICT,
                    "the store's schema file kept changing while the store opened");
        } finally {
            master.close();
        }
    }

    /** The keys of a store whose schema file begins with {@code head}, checked by opening that file. */
    private static StoreKeys existing(byte[] head, MasterKey master, Path schemaFile, DatabaseOptions schemaOptions) {
        if (StoreKeys.plaintext(head)) {
            throw StoreKeys.notADatabase("the store is not encrypted, but a master key was given");
        }
        if (head.length < StoreKeys.SALT_BYTES) {
            throw StoreKeys.notADatabase("the store's schema file is too short to be an encrypted database");
        }
        StoreKeys keys = derive(master, head);
        try {
            check(schemaFile, keys.options(schemaOptions.withReadOnly(true), StoreSchemas.FILE));
            return keys;
        } catch (RuntimeException e) {
            keys.close();
            throw e;
        }
    }

    /**
     * The keys of a store with database files and no schema file (lost, or
     * never made by a version without it): only a raw master key can be
     * checked then (a passphrase's salt was in the schema file), against the
     * first database file.
     */
    private static StoreKeys withoutSchemaFile(StoreFiles files, String first, MasterKey master,
                                               DatabaseOptions fileOptions) {
        byte[] head = StoreFiles.head(files.file(first), StoreKeys.SALT_BYTES);
        if (head != null && StoreKeys.plaintext(head)) {
            throw StoreKeys.notADatabase("the store is not encrypted, but a master key was given");
        }
        if (!master.isRaw()) {
            throw StoreKeys.notADatabase("the store's schema file " + StoreSchemas.FILE
                    + " is missing, and with it the salt of the passphrase's key derivation");
        }
        StoreKeys keys = derive(master, null);
        try {
            // read-write: the file is in the store's journal mode; a wrong key fails before any write
            check(files.file(first), keys.options(fileOptions.withCreate(false), StoreNames.fileName(first)));
            return keys;
        } catch (RuntimeException e) {
            keys.close();
            throw e;
        }
    }

    /** Opens and closes {@code file}: NOT_A_DATABASE means the master key is not the store's. */
    private static void check(Path file, DatabaseOptions keyed) {
        try (Database db = Database.open(file, keyed)) {
            db.catalog();
        } catch (AncDbException e) {
            if (e.errorCode() == ErrorCode.NOT_A_DATABASE) {
                throw new AncDbException(ErrorCode.NOT_A_DATABASE, 0,
                        "wrong master key: the store's files do not open with it", e);
            }
            throw e;
        }
    }

    /** The encrypted, empty schema file with salt {@code salt}, made whole under its name; false when it exists. */
    private static boolean create(StoreFiles files, Path schemaFile, StoreKeys keys, byte[] salt,
                                  DatabaseOptions schemaOptions, boolean sync) {
        return files.create(schemaFile, tmp -> {
            try (Database db = Database.open(tmp, keys.options(schemaOptions.withCreate(true), StoreSchemas.FILE, salt))) {
                db.catalog();
            }
        }, sync, "the store's schema file");
    }

    /** The master key's derived keys; a passphrase goes through PBKDF2 with {@code salt}. */
    private static StoreKeys derive(MasterKey master, byte[] salt) {
        if (master.isRaw()) {
            return StoreKeys.fromMaster(master.rawBytes());
        }
        byte[] key = pbkdf2(master.passphraseChars(), salt);
        try {
            return StoreKeys.fromMaster(key);
        } finally {
            Arrays.fill(key, (byte) 0);
        }
    }

    /** PBKDF2-HMAC-SHA512(UTF-8 passphrase, salt, 256,000, 32 bytes); the caller wipes the result. */
    static byte[] pbkdf2(char[] passphrase, byte[] salt) {
        return Pbkdf2.hmacSha512(passphrase, salt, PBKDF2_ITERATIONS, StoreKeys.FILE_KEY_BYTES);
    }

    /** A store opened without a master key must not be an encrypted one. */
    private static void requirePlaintext(StoreFiles files) {
        byte[] head = StoreFiles.head(files.dir().resolve(StoreSchemas.FILE), StoreKeys.SALT_BYTES);
        if (head == null) {
            String first = firstDatabase(files);
            head = first == null ? null : StoreFiles.head(files.file(first), StoreKeys.SALT_BYTES);
        }
        if (head != null && !StoreKeys.plaintext(head)) {
            throw StoreKeys.notADatabase("the store is encrypted (or its files are damaged): open it with its master key");
        }
    }

    private static String firstDatabase(StoreFiles files) {
        List<String> names = files.names(null, null, 1, n -> true);
        return names.isEmpty() ? null : names.getFirst();
    }
}

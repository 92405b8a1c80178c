package io.ancdb.protocol;

import io.ancdb.DatabaseKey;
import io.ancdb.DatabaseOptions;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * Where the command line's keys come from, never the command line itself (it shows in
 * {@code ps}): the key of an encrypted {@code --db} file from {@code --key-file PATH} or the
 * environment variable {@code ANCDB_KEY}; a store's master key from
 * {@code --master-key-file PATH} or {@code ANCDB_MASTER_KEY}. Either source holds SQLCipher's
 * key text: a raw key {@code x'<hex>'} (64 hex digits, or 96 with the file's salt; a master key
 * takes 64), any other text a passphrase, one trailing line break not part of it.
 *
 * <p>Every problem is a usage error (exit 2) naming the source, never its content: both sources
 * of one key given, an empty key, text that starts like a raw key but is not one, a key file
 * that is missing, not a regular file, larger than {@value #MAX_FILE_BYTES} bytes, or readable
 * or writable by group or others (as ssh refuses a private key: whoever can read it can read
 * the database). The key bytes read are wiped once they are copied into the key object; the
 * environment's own copy is the process's and cannot be wiped.
 */
final class KeyOptions {
    static final String KEY_ENV = "ANCDB_KEY";
    static final String MASTER_KEY_ENV = "ANCDB_MASTER_KEY";
    static final int MAX_FILE_BYTES = 4096;
    private static final int RAW_KEY = 32;
    private static final int SALT = 16;
    private static final Set<PosixFilePermission> GROUP_OR_OTHERS = EnumSet.of(
            PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE,
            PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE);

    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    @Option(names = "--key-file", paramLabel = "PATH",
            description = "Open the file encrypted with the key in PATH: a passphrase, or a raw key x'<64 or 96 hex>'"
                    + " (or the environment variable " + KEY_ENV + "). PATH must not be readable by group or others.")
    Path keyFile;

    @Option(names = "--master-key-file", paramLabel = "PATH",
            description = "A store's master key (serve --store only): a passphrase, or x'<64 hex>'"
                    + " (or " + MASTER_KEY_ENV + ").")
    Path masterKeyFile;

    /**
     * {@code options} with the key of the database file when one was given ({@code --key-file}
     * or {@code ANCDB_KEY}), else {@code options}. A master key is refused: it is a store's.
     */
    DatabaseOptions withKey(DatabaseOptions options, Map<String, String> env) {
        refuse(masterKeyFile != null, "--master-key-file is a store's master key (serve --store):"
                + " a --db file takes --key-file or " + KEY_ENV);
        refuse(env.get(MASTER_KEY_ENV) != null, MASTER_KEY_ENV + " is set: a master key is a store's"
                + " (serve --store); a --db file takes --key-file or " + KEY_ENV);
        KeyText key = keyText(keyFile, "--key-file", KEY_ENV, env);
        if (key == null) {
            return options;
        }
        byte[] text = key.bytes();
        try {
            int digits = rawDigits(key, 2 * RAW_KEY, 2 * (RAW_KEY + SALT));
            if (digits == 0) {
                return options.withKey(DatabaseKey.passphrase(text));
            }
            byte[] raw = unhex(text, digits);
            try {
                return options.withKey(DatabaseKey.raw(raw));
            } finally {
                Arrays.fill(raw, (byte) 0);
            }
        } finally {
            Arrays.fill(text, (byte) 0);
        }
    }

    /**
     * The store's master key ({@code --master-key-file} or {@code ANCDB_MASTER_KEY}), or null
     * when none was given; the caller owns it (close it once the store is open). A database
     * file's key is refused here: a store derives each file's key from its master key.
     */
    MasterKeySource masterKey(Map<String, String> env) {
        refuse(keyFile != null, "--key-file is one database file's key: a store takes --master-key-file or "
                + MASTER_KEY_ENV);
        refuse(env.get(KEY_ENV) != null, KEY_ENV + " is set: it is one database file's key; a store takes"
                + " --master-key-file or " + MASTER_KEY_ENV);
        KeyText key = keyText(masterKeyFile, "--master-key-file", MASTER_KEY_ENV, env);
        if (key == null) {
            return null;
        }
        byte[] text = key.bytes();
        try {
            int digits = rawDigits(key, 2 * RAW_KEY, 2 * RAW_KEY);
            return digits == 0 ? MasterKeySource.passphrase(utf8(text)) : MasterKeySource.raw(unhex(text, digits));
        } finally {
            Arrays.fill(text, (byte) 0);
        }
    }

    /** Key text and where it came from ("--key-file PATH", "ANCDB_KEY"), for messages. */
    private record KeyText(byte[] bytes, String source) {
    }

    /**
     * The key text from the file or the environment variable, one trailing line break
     * removed; null when neither was given.
     */
    private KeyText keyText(Path file, String option, String variable, Map<String, String> env) {
        String fromEnv = env.get(variable);
        refuse(file != null && fromEnv != null, option + " and " + variable + " are both given: use one");
        byte[] text;
        String source;
        if (file != null) {
            text = readKeyFile(file, option);
            source = option + " " + file;
        } else if (fromEnv != null) {
            text = fromEnv.getBytes(StandardCharsets.UTF_8);
            source = variable;
        } else {
            return null;
        }
        int n = text.length;
        if (n > 0 && text[n - 1] == '\n') {
            n--;
            if (n > 0 && text[n - 1] == '\r') {
                n--;
            }
        }
        if (n == text.length) {
            return nonEmpty(text, source);
        }
        byte[] trimmed = Arrays.copyOf(text, n);
        Arrays.fill(text, (byte) 0);
        return nonEmpty(trimmed, source);
    }

    private KeyText nonEmpty(byte[] text, String source) {
        refuse(text.length == 0, source + " holds no key (it is empty)");
        return new KeyText(text, source);
    }

    private byte[] readKeyFile(Path file, String option) {
        String where = option + " " + file;
        try {
            PosixFileAttributes a = Files.readAttributes(file, PosixFileAttributes.class);
            refuse(!a.isRegularFile(), where + " is not a regular file");
            Set<PosixFilePermission> open = EnumSet.copyOf(a.permissions());
            open.retainAll(GROUP_OR_OTHERS);
            refuse(!open.isEmpty(), where + " is readable or writable by group or others: chmod 600 it");
            refuse(a.size() > MAX_FILE_BYTES, where + " is larger than " + MAX_FILE_BYTES
                    + " bytes: not a key file");
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw usage(where + ": no such file");
        } catch (IOException | UnsupportedOperationException e) {
            throw usage(where + " cannot be read (" + e.getClass().getSimpleName() + ")");
        }
    }

    /**
     * The number of hex digits when {@code text} is a raw key {@code x'<hex>'} with
     * {@code shortDigits} or {@code longDigits} of them; 0 for a passphrase. Text that starts
     * with {@code x'} and ends with {@code '} but is not such a key is refused: it is a raw key
     * mistyped far more often than a passphrase.
     */
    private int rawDigits(KeyText key, int shortDigits, int longDigits) {
        byte[] text = key.bytes();
        int n = text.length;
        boolean looksRaw = n >= 3 && (text[0] == 'x' || text[0] == 'X') && text[1] == '\'' && text[n - 1] == '\'';
        if (!looksRaw) {
            return 0;
        }
        int digits = n - 3;
        boolean hex = digits == shortDigits || digits == longDigits;
        for (int i = 2; hex && i < n - 1; i++) {
            hex = Character.digit(text[i], 16) >= 0;
        }
        refuse(!hex, key.source() + " is written like a raw key but is not one: a raw"
                + " key is x' followed by " + shortDigits + (longDigits != shortDigits ? " or " + longDigits : "")
                + " hex digits and '");
        return digits;
    }

    private static byte[] unhex(byte[] text, int digits) {
        byte[] key = new byte[digits / 2];
        for (int i = 0; i < key.length; i++) {
            key[i] = (byte) (Character.digit(text[2 + 2 * i], 16) << 4 | Character.digit(text[3 + 2 * i], 16));
        }
        return key;
    }

    /** The passphrase as chars (a master key's passphrase type); the decoder's buffer wiped. */
    private char[] utf8(byte[] text) {
        CharBuffer c;
        try {
            c = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(text));
        } catch (CharacterCodingException e) {
            throw usage("the master key passphrase is not UTF-8 text");
        }
        char[] chars = new char[c.remaining()];
        c.get(chars);
        Arrays.fill(c.array(), '\0');
        return chars;
    }

    private void refuse(boolean bad, String message) {
        if (bad) {
            throw usage(message);
        }
    }

    private ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }
}

package io.ancdb.reliability;

import io.ancdb.CipherOracle;
import io.ancdb.DatabaseKey;
import io.ancdb.DatabaseOptions;

import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A 32-byte raw key handed from a test to its child JVMs in the environment
 * variable {@value #VARIABLE} (64 hex digits), never on a command line
 * (which every user of the machine can read in /proc): an encrypted kill
 * lane's file key, or an encrypted store's master key.
 */
final class EnvKey {
    static final String VARIABLE = "ANCDB_TEST_RAW_KEY";

    private EnvKey() {
    }

    /** A key made from {@code seed} (tests replay their seed, so their keys too). */
    static byte[] fromSeed(long seed) {
        byte[] k = new byte[32];
        new SplittableRandom(seed ^ 0x6b6579L).nextBytes(k);
        return k;
    }

    /** Puts {@code key} into the child's environment (null: makes sure none is there). */
    static void pass(ProcessBuilder pb, byte[] key) {
        if (key == null) {
            pb.environment().remove(VARIABLE);
        } else {
            pb.environment().put(VARIABLE, HexFormat.of().formatHex(key));
        }
    }

    /** The key this process was given, or null. */
    static byte[] fromEnvironment() {
        String hex = System.getenv(VARIABLE);
        return hex == null || hex.isEmpty() ? null : HexFormat.of().parseHex(hex);
    }

    /** {@code o}, with {@code key} as a new DatabaseKey (one per open) unless it is null. */
    static DatabaseOptions keyed(DatabaseOptions o, byte[] key) {
        return key == null ? o : o.withKey(DatabaseKey.raw(key));
    }

    /** SQLCipher's key text for {@code key}: {@code x'<64 hex>'}. */
    static String text(byte[] key) {
        return "x'" + HexFormat.of().formatHex(key) + "'";
    }

    /**
     * {@code sql} run on {@code file} by the stock shell, or, for an encrypted
     * file ({@code keyText} not null), by the SQLCipher oracle.
     */
    static List<String> stockLines(Path file, String keyText, String sql) {
        return keyText == null ? io.ancdb.SqliteShell.lines(file, sql) : CipherOracle.run(keyText, file, sql);
    }
}

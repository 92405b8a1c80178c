package io.ancdb.protocol;

import io.ancdb.AncDbException;
import io.ancdb.Database;
import io.ancdb.DatabaseOptions;
import io.ancdb.ErrorCode;
import io.ancdb.store.Store;
import io.ancdb.store.StoreOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

/**
 * {@code key}: prints an encrypted file's raw key with its salt,
 * {@code x'<96 hex>'}, so the file's owners can open it in any SQLCipher 4
 * tool ({@code PRAGMA key = "x'...'"}) without the passphrase or the store's
 * master key. The key it is given comes as every key does (a key file or the
 * environment, never the command line); what it prints is that one file's
 * key, and the printed text is the only copy that leaves the process.
 */
@Command(name = "key", header = "Print an encrypted file's raw key (for SQLCipher tools), then exit.",
        description = {"--db FILE with --key-file or ANCDB_KEY: the file's raw key. --store DIR --db NAME with",
                "--master-key-file or ANCDB_MASTER_KEY: the key of that one file of the store. Prints",
                "x'<64 hex digits of the key><32 of the salt>' and a newline; nothing is written."})
final class KeyExport implements OneShot.Run {
    @Spec
    CommandSpec spec;

    @Option(names = "--db", paramLabel = "FILE|NAME", required = true,
            description = "The database file, or with --store the database's name in the store.")
    String db;

    @Option(names = "--store", paramLabel = "DIR", description = "The store's directory.")
    Path store;

    @Mixin
    KeyOptions key;
    @Mixin
    Cli.HelpOption help;

    @Override
    public int run(PrintWriter out, PrintWriter err, Map<String, String> env) {
        char[] text = null;
        try {
            text = store != null ? fromStore(env) : fromFile(env);
            out.println(text);
            out.flush();
            return 0;
        } catch (AncDbException e) {
            return OneShot.fail(err, e);
        } catch (ParameterException e) {
            throw e;                                                 // a usage error: picocli prints it, exit 2
        } catch (RuntimeException e) {
            err.println("ancdb: " + Main.describe(e));
            err.flush();
            return 1;
        } finally {
            if (text != null) {
                Arrays.fill(text, '\0');
            }
        }
    }

    private char[] fromStore(Map<String, String> env) {
        try (MasterKeySource master = key.masterKey(env)) {
            if (master == null) {
                throw new ParameterException(spec.commandLine(), "key --store needs the store's master key:"
                        + " --master-key-file PATH or " + KeyOptions.MASTER_KEY_ENV);
            }
            if (!Files.isDirectory(store)) {
                throw new AncDbException(ErrorCode.DATABASE_NOT_FOUND, "the store " + store + " does not exist");
            }
            try (Store s = Store.open(store, MasterKeySource.applyTo(StoreOptions.defaults(), master))) {
                return s.rawKey(db);
            }
        }
    }

    private char[] fromFile(Map<String, String> env) {
        Path file = Path.of(db);
        if (!Files.isRegularFile(file)) {
            throw new AncDbException(ErrorCode.CANNOT_OPEN, "no database file " + file);
        }
        DatabaseOptions options = key.withKey(DatabaseOptions.defaults().withCreate(false).withReadOnly(true), env);
        if (options.key() == null) {
            throw new ParameterException(spec.commandLine(), "key --db needs the file's key: --key-file PATH or "
                    + KeyOptions.KEY_ENV);
        }
        try (Database d = Database.open(file, options)) {
            return d.rawKey();
        }
    }
}

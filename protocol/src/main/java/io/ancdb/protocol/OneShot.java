package io.ancdb.protocol;

import com.fasterxml.jackson.core.JsonGenerator;
import io.ancdb.AncDbException;
import io.ancdb.ErrorCode;
import io.ancdb.KeyRange;
import io.ancdb.OnConflict;
import io.ancdb.store.FileRecord;
import io.ancdb.store.MergedScan;
import io.ancdb.store.Store;
import io.ancdb.store.StoreOptions;
import io.ancdb.store.VersionConflictException;
import io.ancdb.typed.RecordDefinition;
import io.ancdb.typed.RecordTable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The one-shot commands for scripts: {@code put}, {@code get} and
 * {@code scan} on one file (or, for scan, several) of a store, each opening
 * the store, doing one thing in one transaction and exiting, with JSON on
 * standard output. Nothing is proportional to the number of files in the
 * store (a name maps to its file; the store's schemas are read from its own
 * schema file), and the files are shared with a running server.
 *
 * <p>Exit codes: 0 ok; 3 no record with that key (get); 4 a record with that
 * key exists (put); 5 the file's lock was not free within 5 s; 9 no such
 * database (get, scan); 10 the file is not at --expect-version (put; stdout
 * {@code {"current_version": N}}); 1 any other failure (the message on
 * standard error: a bad record, an unknown schema, I/O); 2 a usage error.
 */
final class OneShot {
    private OneShot() {
    }

    /** A command that runs by itself (not a server: no {@link Main.Options}). */
    interface Run {
        int run(PrintWriter out, PrintWriter err, Map<String, String> env);
    }

    /** The store and the database named, shared by the one-shot commands. */
    static final class Target {
        @Option(names = "--store", paramLabel = "DIR", required = true, description = "The store's directory.")
        Path store;

        @Option(names = "--db", paramLabel = "NAME", required = true, description = "The database's name in the store.")
        String db;

        @Option(names = "--schema", paramLabel = "S", required = true, description = "The record schema's name.")
        String schema;

        @Mixin
        KeyOptions key;

        /** The store's master key (--master-key-file / ANCDB_MASTER_KEY), or null; a file's key is a usage error. */
        MasterKeySource masterKey(Map<String, String> env) {
            return key.masterKey(env);
        }
    }

    /** The body of a one-shot command, given the open store; writes its JSON. */
    private interface Body {
        void run(Store store, JsonGenerator json) throws IOException;
    }

    /**
     * Opens the store, runs {@code body}, prints its JSON on {@code out};
     * a failure is its exit code, the message on {@code err}.
     */
    private static int run(Target target, Map<String, String> env, boolean mustExist, PrintWriter out, PrintWriter err,
                           Body body) {
        Path dir = target.store;
        StringWriter text = new StringWriter();
        try (MasterKeySource master = target.masterKey(env)) {      // a bad key source: usage error (exit 2)
            if (mustExist && !Files.isDirectory(dir)) {
                throw new AncDbException(ErrorCode.DATABASE_NOT_FOUND, "the store " + dir + " does not exist");
            }
            try (Store store = Store.open(dir, MasterKeySource.applyTo(StoreOptions.defaults(), master));
                 JsonGenerator json = JsonRecords.generator(text)) {
                body.run(store, json);
            }
            out.println(text);
            out.flush();
            return 0;
        } catch (VersionConflictException e) {
            out.println("{\"current_version\":" + e.currentVersion() + "}");
            out.flush();
            return fail(err, e);
        } catch (AncDbException e) {
            return fail(err, e);
        } catch (CommandLine.ParameterException e) {
            throw e;                                                 // a usage error: picocli prints it, exit 2
        } catch (IOException | RuntimeException e) {
            err.println("ancdb: " + Main.describe(e));
            err.flush();
            return 1;
        }
    }

    static int fail(PrintWriter err, AncDbException e) {
        err.println("ancdb: [" + e.code() + " " + e.errorCode().name() + "] " + e.bareMessage());
        err.flush();
        return exitCode(e.errorCode());
    }

    /** The exit code of a failure: its code for those a script acts on, else 1. */
    static int exitCode(ErrorCode code) {
        return switch (code) {
            case KEY_NOT_FOUND, CONSTRAINT_VIOLATION, TRANSACTION_CONFLICT, DATABASE_NOT_FOUND, VERSION_CONFLICT ->
                    code.code();
            default -> 1;
        };
    }

    @Command(name = "put", header = "Write one record into a database of a store, then exit.",
            description = {"Write --record (a JSON object) into schema --schema of database --db of the store in",
                    "DIR (the file is created, with the store's schemas, when missing), in a transaction of its",
                    "own; with --expect-version only if the file is at that version. Prints",
                    "{\"key\": K, \"version\": N} (the record's key, the file's new version)."})
    static final class PutCommand implements Run {
        @Mixin
        Target target;
        @Mixin
        Cli.HelpOption help;

        @Option(names = "--record", paramLabel = "JSON", required = true, description = "The record, a JSON object.")
        String record;

        @Option(names = "--expect-version", paramLabel = "N",
                description = "Write only if the file is at version N (0: never written); else exit 10.")
        Long expectVersion;

        @Override
        public int run(PrintWriter out, PrintWriter err, Map<String, String> env) {
            return OneShot.run(target, env, false, out, err, (store, json) -> {
                Map<String, Object> fields = JsonRecords.parse(record);
                Object[] key = new Object[1];
                RecordTable[] table = new RecordTable[1];
                long version = store.write(target.db, expectVersion == null ? Store.ANY_VERSION : expectVersion, w -> {
                    table[0] = w.records(target.schema);
                    key[0] = table[0].insert(w.tx(), fields, OnConflict.FAIL).key();
                });
                RecordDefinition def = table[0].definition();
                json.writeStartObject();
                json.writeFieldName("key");
                JsonRecords.writeValue(json, def.fields().get(def.primaryKeyIndex()), key[0]);
                json.writeNumberField("version", version);
                json.writeEndObject();
            });
        }
    }

    @Command(name = "get", header = "Read one record of a database of a store, then exit.",
            description = {"Read the record with primary key --key of schema --schema in database --db of the",
                    "store in DIR. Prints {\"record\": {...}, \"version\": N} (the file's version); exits 3",
                    "when there is no such record, 9 when there is no such database."})
    static final class GetCommand implements Run {
        @Mixin
        Target target;
        @Mixin
        Cli.HelpOption help;

        @Option(names = "--key", paramLabel = "K", required = true, description = "The primary key.")
        String key;

        @Override
        public int run(PrintWriter out, PrintWriter err, Map<String, String> env) {
            return OneShot.run(target, env, true, out, err, (store, json) -> {
                Object[] found = new Object[2];
                long version = store.read(target.db, r -> {
                    RecordTable table = r.records(target.schema);
                    RecordDefinition def = table.definition();
                    Object k = JsonRecords.key(def.fields().get(def.primaryKeyIndex()), key);
                    found[0] = def;
                    found[1] = table.get(r.tx(), k);
                    return r.version();
                });
                if (found[1] == null) {
                    throw new AncDbException(ErrorCode.KEY_NOT_FOUND, "no " + target.schema + " record with key "
                            + key + " in " + target.db);
                }
                json.writeStartObject();
                json.writeFieldName("record");
                @SuppressWarnings("unchecked")
                Map<String, Object> rec = (Map<String, Object>) found[1];
                JsonRecords.write(json, (RecordDefinition) found[0], rec);
                json.writeNumberField("version", version);
                json.writeEndObject();
            });
        }
    }

    @Command(name = "scan", header = "Scan a database (or several: a glob) of a store, then exit.",
            description = {"Scan schema --schema of database --db (a name, or a glob such as 'acme.*': the rows",
                    "of every matching file merged by the scanned index) in the store in DIR. Prints a JSON",
                    "array of {\"db\": name, \"record\": {...}}."})
    static final class ScanCommand implements Run {
        @Mixin
        Target target;
        @Mixin
        Cli.HelpOption help;

        @Option(names = "--index", paramLabel = "F", description = "A field or index name (default: the primary key).")
        String index;

        @Option(names = "--limit", paramLabel = "N", description = "At most N rows in all (default: no limit).")
        long limit;

        @Option(names = "--desc", description = "Descending order.")
        boolean desc;

        @Override
        public int run(PrintWriter out, PrintWriter err, Map<String, String> env) {
            return OneShot.run(target, env, true, out, err, (store, json) -> {
                KeyRange range = new KeyRange(index, null, true, null, true, desc, limit, null);
                boolean glob = target.db.indexOf('*') >= 0 || target.db.indexOf('?') >= 0;
                try (MergedScan rows = glob ? store.scan(target.db, target.schema, range)
                        : store.scan(List.of(target.db), target.schema, range)) {
                    json.writeStartArray();
                    while (rows.hasNext()) {
                        FileRecord r = rows.next();
                        json.writeStartObject();
                        json.writeStringField("db", r.db());
                        json.writeFieldName("record");
                        JsonRecords.write(json, rows.definition(), r.record());
                        json.writeEndObject();
                    }
                    json.writeEndArray();
                }
            });
        }
    }
}

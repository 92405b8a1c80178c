package io.ancdb.reliability;

import io.ancdb.Database;
import io.ancdb.DatabaseKey;
import io.ancdb.DatabaseOptions;
import io.ancdb.OnConflict;
import io.ancdb.schema.Column;
import io.ancdb.schema.SqlType;
import io.ancdb.schema.TableSpec;
import io.ancdb.store.MasterKey;
import io.ancdb.store.Store;
import io.ancdb.store.StoreOptions;
import io.ancdb.typed.FieldDef;
import io.ancdb.typed.FieldType;
import io.ancdb.typed.RecordDefinition;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.OutputStream;
import java.lang.ref.Reference;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The child JVM of {@link HeapKeyTest}: uses every key path of the API with
 * secrets made from a seed (so the parent knows them without their passing
 * through a pipe), wipes its own copies as the API asks of its callers,
 * closes everything, says "ready" and waits for its stdin to close while the
 * parent dumps its heap with {@code jcmd} (a test module does not read
 * {@code jdk.management}, and a dump from outside is the honest one anyway).
 *
 * <p>It keeps three canaries alive (a key's bytes, its hex as a String and
 * as a char[]) that the parent must find: proof that its search would see
 * a key left in any of those forms.
 *
 * <p>Usage: {@code HeapKeyChild <dir> <seed>}.
 */
public final class HeapKeyChild {
    static final String[] STORE_FILES = {"acme.globex", "acme.initech", "globex.initech"};
    static final int PASSPHRASE_CHARS = 24;

    private HeapKeyChild() {
    }

    /** The secrets, all from the seed: the parent makes the same. */
    static byte[] rawKey(long seed) {
        return EnvKey.fromSeed(seed);
    }

    static char[] passphrase(long seed) {
        SplittableRandom r = new SplittableRandom(seed * 7 + 1);
        char[] p = new char[PASSPHRASE_CHARS];
        for (int i = 0; i < p.length; i++) {
            p[i] = (char) ('a' + r.nextInt(26));
        }
        return p;
    }

    static byte[] masterKey(long seed) {
        return EnvKey.fromSeed(seed + 2);
    }

    static char[] storePassphrase(long seed) {
        return passphrase(seed + 3);
    }

    static byte[] canary(long seed) {
        return EnvKey.fromSeed(seed + 4);
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        long seed = Long.parseLong(args[1]);
        OutputStream out = new FileOutputStream(FileDescriptor.out);
        byte[] canary = canary(seed);
        String canaryHex = HexFormat.of().formatHex(canary);
        char[] canaryChars = HexFormat.of().formatHex(canary(seed)).toCharArray();

        byte[] raw = rawKey(seed);
        DatabaseKey rawKey = DatabaseKey.raw(raw);
        Arrays.fill(raw, (byte) 0);
        database(dir.resolve("raw.db"), rawKey);
        char[] p = passphrase(seed);
        DatabaseKey passKey = DatabaseKey.passphrase(p);
        Arrays.fill(p, '\0');
        database(dir.resolve("passphrase.db"), passKey);

        byte[] m = masterKey(seed);
        MasterKey master = MasterKey.raw(m);
        Arrays.fill(m, (byte) 0);
        store(dir.resolve("store"), master);
        char[] sp = storePassphrase(seed);
        MasterKey storePass = MasterKey.passphrase(sp);
        Arrays.fill(sp, '\0');
        store(dir.resolve("passphrase-store"), storePass);

        ChildJvm.writeLine(out, "ready");                 // the parent dumps the heap now, then closes stdin
        System.in.readAllBytes();
        Reference.reachabilityFence(canary);
        Reference.reachabilityFence(canaryHex);
        Reference.reachabilityFence(canaryChars);
    }

    /** Opens {@code file} with {@code key}, writes and reads, asks for the raw key (and wipes it), closes. */
    private static void database(Path file, DatabaseKey key) {
        try (Database db = Database.open(file, DatabaseOptions.defaults().withKey(key))) {
            db.runWrite(tx -> {
                tx.createTable(TableSpec.of("t", Column.rowid("id"), Column.of("v", SqlType.TEXT)));
                for (long i = 1; i <= 200; i++) {
                    tx.put("t", i, i, "value " + i);
                }
                tx.commit();
            });
            db.runRead(tx -> tx.get("t", 7));
            Arrays.fill(db.rawKey(), '\0');
        }
    }

    /** Opens a store with {@code master}, writes and reads three files, asks for their raw keys (and wipes them), closes. */
    private static void store(Path dir, MasterKey master) {
        RecordDefinition event = RecordDefinition.of("Event", FieldDef.of("ts", FieldType.I64).asIndexed(),
                FieldDef.of("body", FieldType.STR));
        try (Store store = Store.open(dir, StoreOptions.defaults().withMaxOpen(2).withMasterKey(master))) {
            store.define(event);
            for (String name : STORE_FILES) {
                store.write(name, w -> w.records("Event").insert(w.tx(), Map.of("ts", 1L, "body", "to " + name),
                        OnConflict.FAIL));
                store.read(name, r -> r.version());
                Arrays.fill(store.rawKey(name), '\0');
            }
        }
    }
}

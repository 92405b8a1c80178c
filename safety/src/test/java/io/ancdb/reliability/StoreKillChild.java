package io.ancdb.reliability;

import io.ancdb.OnConflict;
import io.ancdb.store.DatabaseNotFoundException;
import io.ancdb.store.FileRead;
import io.ancdb.store.FileWrite;
import io.ancdb.store.MasterKey;
import io.ancdb.store.Store;
import io.ancdb.store.StoreOptions;
import io.ancdb.store.VersionConflictException;
import io.ancdb.typed.FieldDef;
import io.ancdb.typed.FieldType;
import io.ancdb.typed.RecordDefinition;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The child JVM of {@link StoreKillTest}: {@code threads} threads write
 * transactions of 1 to 3 events each to random files among {@value #FILES}
 * of a store (half of them expecting the version they just read), until
 * killed. After each commit returns it prints {@code ack <name> <seq>...}
 * (the sequence numbers of the transaction's events); {@code started} once
 * the store is open.
 *
 * <p>Usage: {@code StoreKillChild <dir> <seed> <first seq> <threads>}. The
 * store is encrypted when the environment holds a raw master key
 * ({@link EnvKey}).
 */
public final class StoreKillChild {
    static final int FILES = 200;
    static final RecordDefinition EVENT = RecordDefinition.of("Event", FieldDef.of("seq", FieldType.I64).asIndexed(),
            FieldDef.of("file", FieldType.STR), FieldDef.of("tx", FieldType.I64), FieldDef.of("n", FieldType.I64),
            FieldDef.of("body", FieldType.STR));

    private StoreKillChild() {
    }

    static String name(int file) {
        return String.format("f%03d", file);
    }

    /**
     * Store defaults (WAL, synchronous FULL) with a cache smaller than the file
     * count, so files keep closing; encrypted with master key {@code master}
     * unless it is null.
     */
    static StoreOptions options(byte[] master) {
        StoreOptions o = StoreOptions.defaults().withMaxOpen(64);
        return master == null ? o : o.withMasterKey(MasterKey.raw(master));
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        long seed = Long.parseLong(args[1]);
        AtomicLong seq = new AtomicLong(Long.parseLong(args[2]));
        int threads = Integer.parseInt(args[3]);
        OutputStream out = new FileOutputStream(FileDescriptor.out);
        ReentrantLock outLock = new ReentrantLock();
        try (Store store = Store.open(dir, options(EnvKey.fromEnvironment()))) {
            store.define(EVENT);
            ChildJvm.writeLine(out, "started");
            Thread[] ts = new Thread[threads];
            for (int t = 0; t < threads; t++) {
                SplittableRandom rnd = new SplittableRandom(seed * 31 + t);
                ts[t] = new Thread(() -> run(store, rnd, seq, out, outLock), "writer-" + t);
                ts[t].start();
            }
            for (Thread t : ts) {
                t.join();
            }
        }
    }

    private static void run(Store store, SplittableRandom rnd, AtomicLong seq, OutputStream out, ReentrantLock outLock) {
        while (true) {
            String name = name(rnd.nextInt(FILES));
            int n = 1 + rnd.nextInt(3);
            long first = seq.getAndAdd(n);
            try {
                long expect = Store.ANY_VERSION;
                if (rnd.nextBoolean()) {
                    try {
                        expect = store.read(name, FileRead::version);
                    } catch (DatabaseNotFoundException e) {
                        expect = 0;
                    }
                }
                store.write(name, expect, w -> insert(w, name, first, n));
            } catch (VersionConflictException e) {
                continue;                               // another thread wrote in between: nothing was written
            }
            StringBuilder line = new StringBuilder("ack ").append(name);
            for (long s = first; s < first + n; s++) {
                line.append(' ').append(s);
            }
            outLock.lock();
            try {
                ChildJvm.writeLine(out, line.toString());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } finally {
                outLock.unlock();
            }
        }
    }

    private static void insert(FileWrite w, String name, long first, int n) {
        for (long s = first; s < first + n; s++) {
            w.records("Event").insert(w.tx(), Map.of("seq", s, "file", name, "tx", first, "n", (long) n,
                    "body", "event " + s + " of " + name + " " + "x".repeat(100)), OnConflict.FAIL);
        }
    }
}

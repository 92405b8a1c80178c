package io.ancdb.reliability;

import io.ancdb.DatabaseOptions;
import io.ancdb.OnConflict;
import io.ancdb.store.Store;
import io.ancdb.store.StoreOptions;
import io.ancdb.typed.FieldDef;
import io.ancdb.typed.FieldType;
import io.ancdb.typed.RecordDefinition;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The child JVM of {@link StoreDescriptorsTest}: touches {@code names}
 * distinct names of a store (a write each, which creates the file) through
 * a cache of {@code maxOpen} files, and reports on stdout, one line each:
 * {@code config <maxOpen> <descriptors per file> <descriptors before>}, every
 * {@code every} names {@code sample <names touched> <descriptors> <rss kB>
 * <open files>}, and {@code closed <descriptors> <rss kB>} after closing the store.
 *
 * <p>Usage: {@code StoreTouchChild <dir> <names> <maxOpen> <every>}; the
 * store is {@code <dir>/store} (a first store in {@code <dir>/warmup} loads
 * the classes before anything is counted).
 */
public final class StoreTouchChild {
    private StoreTouchChild() {
    }

    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args[0]);
        int names = Integer.parseInt(args[1]);
        int maxOpen = Integer.parseInt(args[2]);
        int every = Integer.parseInt(args[3]);
        OutputStream out = new FileOutputStream(FileDescriptor.out);
        RecordDefinition event = RecordDefinition.of("Event", FieldDef.of("ts", FieldType.I64).asIndexed(),
                FieldDef.of("body", FieldType.STR));
        StoreOptions options = StoreOptions.defaults().withFileOptions(StoreOptions.defaults().fileOptions()
                .withSynchronous(DatabaseOptions.Synchronous.OFF)).withMaxOpen(maxOpen).withIdleTimeout(Duration.ZERO);
        try (Store warmup = Store.open(dir.resolve("warmup"), options)) {    // loads every class used below
            warmup.define(event);
            warmup.write("w", w -> w.records("Event").insert(w.tx(), Map.of("ts", 0L, "body", "x"), OnConflict.FAIL));
            warmup.read("w", r -> r.version());
        }
        dir = dir.resolve("store");
        ChildJvm.writeLine(out, "config " + maxOpen + " " + io.ancdb.store.Descriptors.perFile(options.fileOptions())
                + " " + descriptors());
        try (Store store = Store.open(dir, options)) {
            store.define(event);
            for (int i = 1; i <= names; i++) {
                long ts = i;
                store.write(String.format("n%07d", i), w -> w.records("Event").insert(w.tx(),
                        Map.of("ts", ts, "body", "x".repeat(200)), OnConflict.FAIL));
                if (i % every == 0) {
                    ChildJvm.writeLine(out, "sample " + i + " " + descriptors() + " " + rssKb() + " " + store.openFiles());
                }
            }
        }
        ChildJvm.writeLine(out, "closed " + descriptors() + " " + rssKb());
    }

    static long descriptors() throws IOException {
        try (Stream<Path> s = Files.list(Path.of("/proc/self/fd"))) {
            return s.count();
        }
    }

    static long rssKb() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.substring(6).trim().split("\\s+")[0]);
            }
        }
        throw new IOException("no VmRSS in /proc/self/status");
    }
}

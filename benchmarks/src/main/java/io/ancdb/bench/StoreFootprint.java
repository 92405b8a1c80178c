package io.ancdb.bench;

import io.ancdb.bench.report.JsonIo;
import org.openjdk.jmh.infra.Blackhole;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * What one open pair file costs a process (issue 13; not JMH): a fresh JVM
 * opens a trial copy of the pair files ({@link PairFiles}) with one side of
 * {@link StoreFiles} keeping all {@code k} open, counts its descriptors
 * ({@code /proc/self/fd}) and resident set ({@code /proc/self/status} VmRSS,
 * after GC) before the files are opened and after each was opened by a read
 * of its 20 newest events, and reports the difference per file. One JSON
 * object on stdout, one summary line on stderr.
 *
 * <p>Usage: {@code StoreFootprint <ancdb-java|sqlite-jdbc> <k> <files of the data set>}
 */
public final class StoreFootprint {
    private StoreFootprint() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 3) {
            System.err.println("usage: StoreFootprint <" + PairStore.ANCDB + "|" + PairStore.JDBC + "> <k> <files>");
            System.exit(2);
        }
        String store = args[0];
        int k = Integer.parseInt(args[1]);
        int files = Integer.parseInt(args[2]);
        Blackhole bh = new Blackhole(
                "Today's password is swordfish. I understand instantiating Blackholes directly is dangerous.");
        Path copy = PairFiles.copy(PairStore.ANCDB.equals(store) ? "ancdb" : "sqlite", files);
        Map<String, Object> out = new LinkedHashMap<>();
        try (PairStore pairs = PairStore.create(store)) {
            pairs.open(copy, k);
            try (PairStore.Session s = pairs.session(1)) {
                s.lastEvents(0, PairFiles.LOADED, bh);       // classes loaded, first file open: the baseline
                MemoryProbe.settle();
                long fdBefore = descriptors();
                long rssBefore = rssKib();
                for (int f = 1; f <= k; f++) {
                    s.lastEvents(f % files, PairFiles.LOADED, bh);
                }
                MemoryProbe.settle();
                long fdAfter = descriptors();
                long rssAfter = rssKib();
                out.put("store", store);
                out.put("files_opened", (double) k);
                out.put("fd_before", (double) fdBefore);
                out.put("fd_after", (double) fdAfter);
                out.put("fd_per_file", (double) (fdAfter - fdBefore) / k);
                out.put("rss_before_kib", (double) rssBefore);
                out.put("rss_after_kib", (double) rssAfter);
                out.put("rss_per_file_kib", (double) (rssAfter - rssBefore) / k);
                out.put("heap_used_kib", (double) (ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() / 1024));
                out.put("fd_limit", (double) fdLimit());
            }
        } finally {
            Prepared.deleteTree(copy.getParent());
        }
        System.err.printf(java.util.Locale.ROOT, "footprint %s: %d files open: %.2f descriptors and %.1f KiB resident"
                        + " per file (%d -> %d descriptors, %,d -> %,d KiB RSS)%n", store, k,
                (Double) out.get("fd_per_file"), (Double) out.get("rss_per_file_kib"),
                ((Double) out.get("fd_before")).longValue(), ((Double) out.get("fd_after")).longValue(),
                ((Double) out.get("rss_before_kib")).longValue(), ((Double) out.get("rss_after_kib")).longValue());
        System.out.print(JsonIo.write(out));
    }

    static long descriptors() throws IOException {
        try (Stream<Path> s = Files.list(Path.of("/proc/self/fd"))) {
            return s.count() - 1;            // less the one the listing itself holds
        }
    }

    static long rssKib() throws IOException {
        return MemoryProbe.status().get("VmRSS");
    }

    /** The soft open-file limit ({@code ulimit -n}), or -1. */
    static long fdLimit() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/limits"))) {
            if (line.startsWith("Max open files")) {
                return Long.parseLong(line.substring("Max open files".length()).trim().split("\\s+")[0]);
            }
        }
        return -1;
    }
}

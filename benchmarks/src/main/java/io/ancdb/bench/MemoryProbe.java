package io.ancdb.bench;

import io.ancdb.bench.report.JsonIo;
import org.openjdk.jmh.infra.Blackhole;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Resident memory of a process that has loaded a data set: a fresh JVM opens
 * one store on a private copy of its prepared data set, reads every record
 * once (the trials' warm-up), collects garbage and reports
 * {@code /proc/self/status} (VmRSS, and its anonymous and file-backed parts:
 * lmdb's memory map shows up as file pages) before and after, plus the Java
 * heap in use and the data set's size on disk. One JSON object on stdout.
 *
 * <p>Usage: {@code MemoryProbe <store> <config> <shape> <records>}
 */
public final class MemoryProbe {
    private MemoryProbe() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 4) {
            System.err.println("usage: MemoryProbe <store> <config> <shape> <records>");
            System.exit(2);
        }
        String store = args[0];
        Shape shape = Shape.of(args[2]);
        long n = Long.parseLong(args[3]);
        Blackhole bh = new Blackhole(
                "Today's password is swordfish. I understand instantiating Blackholes directly is dangerous.");
        Data data = new Data(shape, n);
        Path master = Prepared.master(Store.engine(store), data);   // built outside the measurement
        settle();
        Map<String, Long> before = status();
        Map<String, Object> out = new LinkedHashMap<>();
        try (Trial t = Trial.open(store, args[1], shape, n)) {
            t.warm(bh);
            settle();
            Map<String, Long> after = status();
            out.put("store", store);
            out.put("config", args[1]);
            out.put("shape", shape.name().toLowerCase(java.util.Locale.ROOT));
            out.put("records", (double) n);
            out.put("rss_before_kib", (double) before.get("VmRSS"));
            out.put("rss_after_kib", (double) after.get("VmRSS"));
            out.put("rss_anon_after_kib", (double) after.getOrDefault("RssAnon", -1L));
            out.put("rss_file_after_kib", (double) after.getOrDefault("RssFile", -1L));
            out.put("heap_used_kib", (double) (ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() / 1024));
            out.put("data_set_bytes", (double) Prepared.size(master));
        }
        System.out.print(JsonIo.write(out));
    }

    /** Two GCs 200 ms apart: the resident set after them is what the process keeps. */
    static void settle() throws InterruptedException {
        System.gc();
        Thread.sleep(200);
        System.gc();
    }

    /** The kB lines of /proc/self/status. */
    static Map<String, Long> status() throws IOException {
        Map<String, Long> m = new LinkedHashMap<>();
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            String[] p = line.split("\\s+");
            if (p.length == 3 && p[2].equals("kB")) {
                m.put(p[0].substring(0, p[0].length() - 1), Long.parseLong(p[1]));
            }
        }
        return m;
    }
}

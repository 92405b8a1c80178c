package io.ancdb.bench;

import io.ancdb.bench.report.JsonIo;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The sync calibration of a run: what one durable commit can cost at least on
 * this disk. It writes 4 KiB and makes it durable with fdatasync
 * ({@code FileChannel.force(false)}, which is fdatasync on Linux) over and over,
 * overwriting a preallocated 1 MiB file block by block (as a WAL is rewritten
 * after a checkpoint), next to the data sets. Every durable write figure of the
 * run reads against it: a synchronous=FULL commit pays at least one of these, so
 * one writer commits at most 1 / (its time) times a second, and only group
 * commit (many writes per sync) gets past that. One JSON object on stdout.
 *
 * <p>Usage: {@code SyncProbe <directory> <seconds> <when>} ({@code when}: a label,
 * e.g. "start of the run").
 */
public final class SyncProbe {
    private static final int BLOCK = 4096;
    private static final int BLOCKS = 256;

    private SyncProbe() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 3) {
            System.err.println("usage: SyncProbe <directory> <seconds> <when>");
            System.exit(2);
        }
        Path dir = Files.createDirectories(Path.of(args[0]));
        double seconds = Double.parseDouble(args[1]);
        Path file = Files.createTempFile(dir, "sync-probe-", ".bin");
        try {
            System.out.print(JsonIo.write(measure(file, seconds, args[2])));
        } finally {
            Files.deleteIfExists(file);
        }
    }

    static Map<String, Object> measure(Path file, double seconds, String when) throws IOException {
        double[] us = new double[1 << 16];
        int n = 0;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.READ)) {
            ByteBuffer block = ByteBuffer.allocateDirect(BLOCK);
            for (int i = 0; i < BLOCKS; i++) {            // preallocate: the timed writes change no file size
                block.clear();
                ch.write(block, (long) i * BLOCK);
            }
            ch.force(true);
            long end = System.nanoTime() + (long) (seconds * 1e9);
            while (n < us.length && (n < 20 || System.nanoTime() < end)) {
                block.clear();
                block.putLong(0, n);
                long t0 = System.nanoTime();
                ch.write(block, (long) (n % BLOCKS) * BLOCK);
                ch.force(false);
                us[n++] = (System.nanoTime() - t0) / 1e3;
            }
        }
        double[] s = Arrays.copyOf(us, n);
        Arrays.sort(s);
        double mean = Arrays.stream(s).average().orElse(Double.NaN);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("when", when);
        m.put("what", "4 KiB pwrite + fdatasync (FileChannel.force(false)), overwriting a preallocated 1 MiB file");
        m.put("file_system_of", file.getParent().toString());
        m.put("syncs", (double) n);
        m.put("mean_us", mean);
        m.put("median_us", s[n / 2]);
        m.put("p90_us", s[(int) (n * 0.9)]);
        m.put("p99_us", s[Math.min(n - 1, (int) (n * 0.99))]);
        m.put("max_us", s[n - 1]);
        m.put("syncs_per_s", 1e6 / mean);
        return m;
    }
}

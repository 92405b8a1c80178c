package io.ancdb.protocol;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Resource use of one JVM process (a server child, or this JVM): resident
 * memory and open file descriptors from /proc, Java heap in use after a
 * full GC and the JVM's committed native memory (Native Memory Tracking,
 * when the process runs with -XX:NativeMemoryTracking) through jcmd.
 * Linux only.
 */
final class ProcessProbe {
    /** One sample; -1 where a figure is not available. */
    record Sample(long rssKb, int fds, long heapAfterGcKb, long nmtCommittedKb) {
        @Override
        public String toString() {
            return String.format("rss %.1f MiB, %d fds, heap after GC %.1f MiB, NMT committed %.1f MiB",
                    rssKb / 1024.0, fds, heapAfterGcKb / 1024.0, nmtCommittedKb / 1024.0);
        }
    }

    private static final Pattern VM_RSS = Pattern.compile("(?m)^VmRSS:\\s+(\\d+) kB");
    private static final Pattern HEAP_USED = Pattern.compile("(?m)^\\s*(?!Metaspace|class space)\\S.*\\btotal\\b.*\\bused (\\d+)K");
    private static final Pattern NMT_TOTAL = Pattern.compile("Total: reserved=\\d+KB, committed=(\\d+)KB");

    private final long pid;
    private final Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");

    ProcessProbe(long pid) {
        this.pid = pid;
    }

    static ProcessProbe self() {
        return new ProcessProbe(ProcessHandle.current().pid());
    }

    /** Resident set size in KiB. */
    long rssKb() throws IOException {
        Matcher m = VM_RSS.matcher(Files.readString(Path.of("/proc", Long.toString(pid), "status")));
        if (!m.find()) {
            throw new IOException("no VmRSS for pid " + pid);
        }
        return Long.parseLong(m.group(1));
    }

    /** Open file descriptors (sockets, the database, its journal or WAL, jars...). */
    int fds() throws IOException {
        try (Stream<Path> s = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
            return (int) s.count();
        }
    }

    /** What each open descriptor points to (a file path, socket:[inode], anon_inode:...), for diagnostics. */
    List<String> fdTargets() throws IOException {
        List<String> out = new java.util.ArrayList<>();
        try (Stream<Path> s = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
            for (Path fd : (Iterable<Path>) s::iterator) {
                try {
                    String t = Files.readSymbolicLink(fd).toString();
                    out.add(t.startsWith("socket:") ? "socket" : t);
                } catch (IOException e) {
                    // closed meanwhile
                }
            }
        }
        java.util.Collections.sort(out);
        return out;
    }

    /**
     * The fd count once it has held still for three readings 100 ms apart (connections the clients just
     * closed are closed by the server a moment later), or the last reading after {@code within}.
     */
    int settledFds(Duration within) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        int last = fds();
        int same = 0;
        while (same < 2 && System.nanoTime() < deadline) {
            Thread.sleep(100);
            int now = fds();
            same = now == last ? same + 1 : 0;
            last = now;
        }
        return last;
    }

    /** Java heap in use (KiB) right after a full GC run in the process (jcmd GC.run). */
    long heapAfterGcKb() throws IOException, InterruptedException {
        jcmd("GC.run");
        Matcher m = HEAP_USED.matcher(jcmd("GC.heap_info"));
        long used = 0;
        boolean found = false;
        while (m.find()) {
            used += Long.parseLong(m.group(1));
            found = true;
        }
        if (!found) {
            throw new IOException("cannot read the heap use of pid " + pid);
        }
        return used;
    }

    /** Committed memory (KiB) the JVM accounts for with Native Memory Tracking, or -1 when NMT is off. */
    long nmtCommittedKb() throws IOException, InterruptedException {
        Matcher m = NMT_TOTAL.matcher(jcmd("VM.native_memory", "summary"));
        return m.find() ? Long.parseLong(m.group(1)) : -1;
    }

    /** All figures: the fd count settled, the heap measured after a full GC. */
    Sample sample() throws IOException, InterruptedException {
        // jcmd first: the first attach opens the JVM's attach listener socket for good, which would otherwise
        // count as one more descriptor in every sample after the first
        long heap = heapAfterGcKb();
        long nmt = nmtCommittedKb();
        int fds = settledFds(Duration.ofSeconds(5));
        return new Sample(rssKb(), fds, heap, nmt);
    }

    private String jcmd(String... command) throws IOException, InterruptedException {
        List<String> cmd = new java.util.ArrayList<>(List.of(jcmd.toString(), Long.toString(pid)));
        cmd.addAll(List.of(command));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        if (!p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("jcmd " + cmd + " failed: " + out);
        }
        return out;
    }
}

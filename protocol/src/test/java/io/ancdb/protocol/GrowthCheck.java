package io.ancdb.protocol;

import java.util.ArrayList;
import java.util.List;

/**
 * Decides whether resource use grew between two samples (the end of the
 * first tenth of a run and its end) by more than measurement noise allows.
 * The tolerances are absolute: a leak proportional to the work grows with
 * the operations between the samples, noise (JIT code, allocator arenas, GC
 * timing) does not. {@link #detects(long, long)} says whether a leak of a
 * given size per operation would exceed them, so a run can refuse to be too
 * short to prove anything.
 *
 * @param rssKb  resident memory growth allowed
 * @param heapKb growth of the Java heap in use after a full GC allowed
 * @param nmtKb  growth of the JVM's committed native memory allowed
 * @param fds    open file descriptors more allowed
 */
record GrowthCheck(long rssKb, long heapKb, long nmtKb, int fds) {
    /** Tolerances measured on the 2-core CI machine: see the README's soak figures. */
    static GrowthCheck defaults() {
        return new GrowthCheck(24 * 1024, 8 * 1024, 16 * 1024, 2);
    }

    /** What grew too much between {@code first} and {@code last}; empty when flat. */
    List<String> violations(ProcessProbe.Sample first, ProcessProbe.Sample last) {
        List<String> v = new ArrayList<>();
        check(v, "resident memory", first.rssKb(), last.rssKb(), rssKb);
        check(v, "heap after GC", first.heapAfterGcKb(), last.heapAfterGcKb(), heapKb);
        check(v, "NMT committed", first.nmtCommittedKb(), last.nmtCommittedKb(), nmtKb);
        if (first.fds() >= 0 && last.fds() - first.fds() > fds) {
            v.add("file descriptors grew from " + first.fds() + " to " + last.fds() + " (allowed +" + fds + ")");
        }
        return v;
    }

    /** True when a leak of {@code bytesPerOp} over {@code ops} operations exceeds every memory tolerance. */
    boolean detects(long bytesPerOp, long ops) {
        long leakKb = bytesPerOp * ops / 1024;
        return leakKb > rssKb && leakKb > heapKb && leakKb > nmtKb;
    }

    private static void check(List<String> v, String what, long first, long last, long allowedKb) {
        if (first >= 0 && last >= 0 && last - first > allowedKb) {
            v.add(String.format("%s grew by %.1f MiB (%.1f -> %.1f MiB; allowed %.1f MiB)", what,
                    (last - first) / 1024.0, first / 1024.0, last / 1024.0, allowedKb / 1024.0));
        }
    }
}

package io.ancdb.protocol;

import org.junit.jupiter.api.Test;

import java.io.FileInputStream;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The soak's leak detector catches real leaks: this JVM leaks 1 KiB of heap
 * and 1 KiB of native memory per "operation" over as many operations as the
 * in-suite soak runs between its samples, and file descriptors, and
 * {@link GrowthCheck} with the soak's tolerances flags each; the same work
 * without keeping anything is not flagged.
 */
class GrowthCheckTest {
    /** Operations between the soak's two samples (nine tenths of {@link SoakRunner#SUITE_OPS}). */
    static final int OPS = SoakRunner.SUITE_OPS * 9 / 10;

    @Test
    void aLeakOfOneKibPerOperationIsCaught() throws Exception {
        GrowthCheck check = GrowthCheck.defaults();
        assertTrue(check.detects(1024, OPS), "the soak is long enough to see 1 KiB per operation");
        ProcessProbe probe = ProcessProbe.self();
        ProcessProbe.Sample before = probe.sample();
        List<byte[]> heapLeak = new ArrayList<>();
        List<MemorySegment> nativeLeak = new ArrayList<>();
        List<FileInputStream> fdLeak = new ArrayList<>();
        for (int i = 0; i < OPS; i++) {
            heapLeak.add(new byte[1024]);
            nativeLeak.add(Arena.global().allocate(1024));   // zeroed, so resident; never freed
            if (i % (OPS / 5) == 0) {
                fdLeak.add(new FileInputStream("/proc/self/status"));
            }
        }
        ProcessProbe.Sample after = probe.sample();
        List<String> v = check.violations(before, after);
        assertTrue(v.stream().anyMatch(s -> s.startsWith("heap after GC")), v + " / " + before + " -> " + after);
        assertTrue(v.stream().anyMatch(s -> s.startsWith("resident memory")), v + " / " + before + " -> " + after);
        assertTrue(v.stream().anyMatch(s -> s.startsWith("file descriptors")), v + " / " + before + " -> " + after);
        java.lang.ref.Reference.reachabilityFence(heapLeak);     // leaked until after the sample
        java.lang.ref.Reference.reachabilityFence(nativeLeak);
        for (FileInputStream f : fdLeak) {
            f.close();
        }
    }

    @Test
    void theSameWorkWithoutALeakIsNotFlagged() throws Exception {
        ProcessProbe probe = ProcessProbe.self();
        ProcessProbe.Sample before = probe.sample();
        long sum = 0;
        for (int i = 0; i < OPS; i++) {
            byte[] garbage = new byte[1024];
            sum += garbage.length;
            try (Arena a = Arena.ofConfined()) {
                sum += a.allocate(1024).byteSize();
            }
            if (i % (OPS / 5) == 0) {
                try (FileInputStream f = new FileInputStream("/proc/self/status")) {
                    sum += f.read();
                }
            }
        }
        ProcessProbe.Sample after = probe.sample();
        List<String> v = GrowthCheck.defaults().violations(before, after);
        // this JVM's heap is not fixed in size (the soak's server's is), so its resident memory may grow with
        // the heap it committed for the garbage: only the heap in use and the descriptors are judged here
        assertFalse(v.stream().anyMatch(s -> s.startsWith("heap after GC") || s.startsWith("file descriptors")),
                v + " / " + before + " -> " + after);
        assertTrue(sum > 0);
    }

    @Test
    void probeReadsThisProcess() throws IOException, InterruptedException {
        ProcessProbe.Sample s = ProcessProbe.self().sample();
        assertTrue(s.rssKb() > 1024 && s.fds() > 3 && s.heapAfterGcKb() > 0, s.toString());
    }
}

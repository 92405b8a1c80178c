package io.ancdb.reliability;

import io.ancdb.AncDbException;
import io.ancdb.CorruptionException;
import io.ancdb.ErrorCode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Corrupt files: valid templates (DELETE and WAL, several tables, indexes, a
 * typed record table with a tag index) damaged in seeded ways and then used
 * in full (see {@link CorruptProbe}). Every file must either work or raise
 * an AncDbException with a real code; never a JVM crash, a hang, another
 * exception, or INTERNAL (100, "a bug"). A fifth of the files are encrypted
 * (see {@link CorruptWorker}). Children do the work (see
 * {@link CorruptFuzzRun}), so a crash names its seed; every failure prints
 * the properties that replay its seed alone.
 *
 * <p>System properties: {@code reliability.corruptFiles} (default 1000),
 * {@code reliability.corruptFrom} (first seed, default 0),
 * {@code reliability.lanes} (parallel children, default 2),
 * {@code reliability.summary} (file for the summary).
 */
class CorruptFilesTest {
    @TempDir
    Path dir;

    @Test
    void damagedFilesAreReportedNeverCrash() throws Exception {
        int files = Integer.getInteger("reliability.corruptFiles", 1000);
        long from = Long.getLong("reliability.corruptFrom", 0L);
        int lanes = Integer.getInteger("reliability.lanes", 2);
        long t0 = System.nanoTime();
        Path templates = dir.resolve("templates");
        CorruptTemplate.build(templates);
        ChildJvm jvm = ChildJvm.plain("256m");

        ExecutorService pool = Executors.newFixedThreadPool(lanes);
        List<Future<List<CorruptFuzzRun.Result>>> futures = new ArrayList<>();
        for (int l = 0; l < lanes; l++) {
            long a = from + (long) files * l / lanes;
            long b = from + (long) files * (l + 1) / lanes;
            Path work = dir.resolve("lane" + l);
            futures.add(pool.submit(() -> CorruptFuzzRun.run(jvm, templates, work, a, b)));
        }
        List<CorruptFuzzRun.Result> results = new ArrayList<>();
        for (Future<List<CorruptFuzzRun.Result>> f : futures) {
            results.addAll(f.get());
        }
        pool.shutdown();

        writeDetails(results, Path.of("target", "reliability", "corrupt-files.tsv"));
        String summary = summary(results, from, files, (System.nanoTime() - t0) / 1_000_000_000L);
        System.out.println(summary);
        String summaryFile = System.getProperty("reliability.summary");
        if (summaryFile != null && !summaryFile.isEmpty()) {
            Path out = Path.of(summaryFile);
            Files.createDirectories(out.toAbsolutePath().getParent());
            Files.writeString(out, summary + "\n");
        }

        List<CorruptFuzzRun.Result> failed = results.stream().filter(CorruptFuzzRun.Result::failed).toList();
        assertEquals(List.of(), failed.stream().map(Object::toString).toList());
        assertEquals(files, results.size());
        // SQLite's page numbers reach the exception (SQLITE_ENABLE_CORRUPT_PGNO, the shim's log hook, CorruptionException.page)
        assertTrue(results.stream().anyMatch(r -> r.verdict().equals("CORRUPTION_REPORTED") && r.page() > 0), summary);
        for (CorruptFuzzRun.Result r : results) {
            if (r.page() > 0) {
                assertTrue(r.detail().contains("page " + r.page()), r.toString());
            }
        }
        if (files >= 100) {
            // encrypted files: raw damage stops at a page's HMAC, naming the page; damage to the
            // plaintext, encrypted again, gets past the HMAC to what is behind it
            assertTrue(encrypted(results, CorruptWorker.ENCRYPTED).stream().anyMatch(r -> stoppedAtHmac(r) && r.page() > 0),
                    summary);
            assertTrue(encrypted(results, CorruptWorker.REENCRYPTED).stream().anyMatch(r -> !r.step().equals("open")
                    && !r.step().equals("encrypt again") && !r.verdict().equals("INTACT") && !stoppedAtHmac(r)), summary);
        }
    }

    private static List<CorruptFuzzRun.Result> encrypted(List<CorruptFuzzRun.Result> results, String how) {
        return results.stream().filter(r -> r.description().startsWith(how)).toList();
    }

    private static boolean stoppedAtHmac(CorruptFuzzRun.Result r) {
        return r.verdict().equals("CORRUPTION_REPORTED") && r.detail().contains("authentication");
    }

    private static Map<String, Long> byVerdict(List<CorruptFuzzRun.Result> results) {
        return new TreeMap<>(results.stream().collect(
                Collectors.groupingBy(r -> r.verdict() + (r.verdict().startsWith("OTHER") ? " " + r.code() : ""),
                        Collectors.counting())));
    }

    /** INTERNAL ("a bug") is a failure of the run like a crash, never an acceptable report of damage. */
    @Test
    void internalErrorsFailTheRun() {
        CorruptProbe.Outcome internal = CorruptProbe.classify(new AncDbException(ErrorCode.INTERNAL, "native code 1"),
                "scan", "", false);
        assertEquals(CorruptProbe.Verdict.INTERNAL_ERROR, internal.verdict());
        assertTrue(new CorruptFuzzRun.Result(7, internal.verdict().name(), internal.code(), 0, "flip", "-", "scan",
                internal.detail()).failed());
        CorruptProbe.Outcome reported = CorruptProbe.classify(new CorruptionException(11, "bad page 3", 3), "scan", "", false);
        assertEquals(CorruptProbe.Verdict.CORRUPTION_REPORTED, reported.verdict());
        assertFalse(new CorruptFuzzRun.Result(8, reported.verdict().name(), reported.code(), 3, "flip", "-", "scan",
                reported.detail()).failed());
        CorruptProbe.Outcome readOnly = CorruptProbe.classify(new AncDbException(ErrorCode.READ_ONLY, "x"), "write", "",
                false);
        assertEquals(CorruptProbe.Verdict.OTHER_ANCDB_ERROR, readOnly.verdict());
    }

    /** Every seed's outcome, one tab-separated line each, for a look at what the mutations did. */
    private static void writeDetails(List<CorruptFuzzRun.Result> results, Path out) throws java.io.IOException {
        Files.createDirectories(out.getParent());
        List<String> lines = new ArrayList<>();
        lines.add("seed\tverdict\tcode\tpage\tmutation\tdescription\tstep\tdetail");
        for (CorruptFuzzRun.Result r : results) {
            lines.add(String.join("\t", Long.toString(r.seed()), r.verdict(), r.code(), Long.toString(r.page()),
                    r.kind(), r.description(), r.step(), r.detail()));
        }
        Files.write(out, lines);
    }

    static String summary(List<CorruptFuzzRun.Result> results, long from, int files, long seconds) {
        Map<String, Long> byVerdict = byVerdict(results);
        List<CorruptFuzzRun.Result> raw = encrypted(results, CorruptWorker.ENCRYPTED);
        List<CorruptFuzzRun.Result> again = encrypted(results, CorruptWorker.REENCRYPTED);
        long reported = results.stream().filter(r -> r.verdict().equals("CORRUPTION_REPORTED")).count();
        long withPage = results.stream().filter(r -> r.verdict().equals("CORRUPTION_REPORTED") && r.page() > 0).count();
        long failed = results.stream().filter(CorruptFuzzRun.Result::failed).count();
        StringBuilder b = new StringBuilder("corrupt files: " + results.size() + " mutated files (seeds " + from + ".."
                + (from + files - 1) + "), " + failed + " crashes/hangs/bugs (non-AncDb exceptions, INTERNAL), " + reported
                + " corruption errors (" + withPage + " naming the page), in " + seconds + " s\n");
        byVerdict.forEach((v, n) -> b.append("  ").append(v).append(": ").append(n).append('\n'));
        b.append("  encrypted (SQLCipher 4): ").append(raw.size()).append(" damaged as stored, ")
                .append(raw.stream().filter(CorruptFilesTest::stoppedAtHmac).count()).append(" of them stopped at a page's HMAC ")
                .append(byVerdict(raw)).append("; ").append(again.size())
                .append(" damaged in plaintext and encrypted again ").append(byVerdict(again)).append(", ")
                .append(again.stream().filter(r -> r.step().equals("encrypt again")).count())
                .append(" of them refused by the re-encryption\n");
        for (CorruptFuzzRun.Result r : results) {
            if (r.failed()) {
                b.append("  FAILED ").append(r).append("\n    replay: -Dtest=CorruptFilesTest -Dreliability.corruptFrom=")
                        .append(r.seed()).append(" -Dreliability.corruptFiles=1\n");
            }
        }
        return b.toString().stripTrailing();
    }
}

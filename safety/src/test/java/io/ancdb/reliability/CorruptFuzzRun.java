package io.ancdb.reliability;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@link CorruptWorker} children over a range of seeds and collects one
 * {@link Result} per seed. A child that dies (a JVM crash) or falls silent
 * for {@link #SILENCE_LIMIT_S} seconds (a hang) is charged to the seed it was
 * working on, and a new child carries on with the next seed.
 */
final class CorruptFuzzRun {
    static final int SILENCE_LIMIT_S = 60;
    private static final String EOF = "\u0000eof";

    /** One seed's outcome; verdict is a {@link CorruptProbe.Verdict} name, CRASH or HANG. */
    record Result(long seed, String verdict, String code, long page, String kind, String description, String step,
                  String detail) {
        /** A crash, a hang, a non-AncDb exception or an INTERNAL error: damage must be reported, never a bug. */
        boolean failed() {
            return verdict.equals(CorruptProbe.Verdict.BUG.name()) || verdict.equals(CorruptProbe.Verdict.INTERNAL_ERROR.name())
                    || verdict.equals("CRASH") || verdict.equals("HANG");
        }

        @Override
        public String toString() {
            return "seed " + seed + " " + verdict + " (" + code + (page > 0 ? ", page " + page : "") + ") after "
                    + kind + " [" + description + "] in " + step + ": " + detail;
        }
    }

    private CorruptFuzzRun() {
    }

    static List<Result> run(ChildJvm jvm, Path templates, Path work, long from, long to)
            throws IOException, InterruptedException {
        List<Result> results = new ArrayList<>();
        Files.createDirectories(work);
        long next = from;
        while (next < to) {
            long before = next;
            next = runChild(jvm, templates, work, next, to, results);
            if (next == before) {
                results.add(new Result(next, "CRASH", "-", 0, "-", "-", "start-up", "worker made no progress: "
                        + ChildJvm.tail(work.resolve("worker.stderr"), 2000)));
                next++;
            }
        }
        return results;
    }

    /** Runs one child from {@code from}; returns the first seed it did not finish. */
    private static long runChild(ChildJvm jvm, Path templates, Path work, long from, long to, List<Result> results)
            throws IOException, InterruptedException {
        Path stderr = work.resolve("worker.stderr");
        List<String> opts = List.of("-XX:ErrorFile=" + work.resolve("hs_err_pid%p.log"));
        Process p = new ProcessBuilder(jvm.command(CorruptWorker.class.getName(), opts, templates.toString(),
                work.resolve("scratch").toString(), Long.toString(from), Long.toString(to)))
                .redirectError(stderr.toFile()).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .start();
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String l; (l = r.readLine()) != null; ) {
                    lines.add(l);
                }
            } catch (IOException e) {
                lines.add("stdout unreadable: " + e);
            } finally {
                lines.add(EOF);
            }
        }, "corrupt-worker-stdout");
        reader.setDaemon(true);
        reader.start();
        long trying = -1;
        long next = from;
        while (true) {
            String line = lines.poll(SILENCE_LIMIT_S, TimeUnit.SECONDS);
            if (line == null) {
                p.toHandle().destroyForcibly();
                p.waitFor();
                results.add(new Result(trying, "HANG", "-", 0, "-", "-", "-",
                        "no progress for " + SILENCE_LIMIT_S + " s"));
                return trying + 1;
            }
            if (line.equals(EOF) || line.equals("finished")) {
                p.waitFor();
                if (line.equals("finished") && p.exitValue() == 0) {
                    return to;
                }
                if (trying >= 0) {
                    results.add(new Result(trying, "CRASH", "exit " + p.exitValue(), 0, "-", "-", "-",
                            crashReport(work, stderr)));
                    return trying + 1;
                }
                return next;
            }
            String[] f = line.split("\t", -1);
            if (f[0].startsWith("try ")) {
                trying = Long.parseLong(f[0].substring(4));
            } else if (f[0].equals("done") && f.length == 9) {
                results.add(new Result(Long.parseLong(f[1]), f[2], f[3], Long.parseLong(f[4]), f[5], f[6], f[7], f[8]));
                trying = -1;
                next = Long.parseLong(f[1]) + 1;
            } else {
                results.add(new Result(trying, "BUG", "-", 0, "-", "-", "-", "unexpected worker output: " + line));
            }
        }
    }

    /** The JVM's crash report (its first lines name the faulting frame), else the child's stderr. */
    private static String crashReport(Path work, Path stderr) throws IOException {
        try (var files = Files.list(work)) {
            for (Path f : files.filter(x -> x.getFileName().toString().startsWith("hs_err")).toList()) {
                String head = String.join(" | ", Files.readAllLines(f).stream().limit(25).toList());
                Files.move(f, f.resolveSibling("kept-" + f.getFileName()));
                return head;
            }
        }
        return ChildJvm.tail(stderr, 2000).replace('\n', ' ');
    }
}

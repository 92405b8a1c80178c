package io.ancdb.protocol;

import io.ancdb.protocol.FuzzWire.Answer;
import io.ancdb.protocol.FuzzWire.WireFailure;
import io.ancdb.protocol.TransportTestSupport.ServerProcess;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static io.ancdb.protocol.Msg.map;

/**
 * The soak: an {@code ancdb serve} child process with a fixed-size heap
 * (pre-touched, so heap growth cannot hide in or show up as resident memory)
 * and Native Memory Tracking; 10 connections, 3 writers (model-checked
 * {@link CanaryClient}s on bounded key ranges, so the file reaches a steady
 * size) and 7 readers (direct reads and range scans of the writers' keys),
 * run a fixed number of operations in ten phases. Every client reconnects at
 * the start of every phase and every {@link #RECONNECT_EVERY} operations, so
 * per-connection leaks accumulate. Between phases, with every client idle,
 * the server's resident memory, heap after a full GC, NMT committed memory
 * and open descriptors are sampled; the first tenth's and the last tenth's
 * samples are compared by {@link GrowthCheck}.
 */
final class SoakRunner {
    /** Operations of the in-suite soak. */
    static final int SUITE_OPS = 60_000;
    static final int CONNECTIONS = 10;
    static final int WRITERS = 3;
    static final int PHASES = 10;
    static final int RECONNECT_EVERY = 500;
    private static final String TOKEN = "soak-token-93c2";
    private static final int KEYS_PER_WRITER = 500;

    /** A run's outcome; {@link #failures} empty means it passed. */
    record Report(long ops, long writerOps, long readerOps, long reconnects, List<ProcessProbe.Sample> samples,
                  List<String> fdsOpened, List<String> fdsClosed, Duration elapsed, String integrityCheck,
                  List<String> failures) {
        ProcessProbe.Sample first() {
            return samples.getFirst();
        }

        ProcessProbe.Sample last() {
            return samples.getLast();
        }

        String summary() {
            StringBuilder sb = new StringBuilder(String.format("""
                    soak: %d operations over %d connections (%d writers, %d readers) in %.1f s, %d reconnects
                      writer ops (verified against the model): %d; reader ops: %d
                      after the first tenth: %s
                      after the last tenth:  %s
                      descriptors opened / closed between the two: %s / %s
                      integrity_check: %s
                      failures: %s
                      resident memory by tenth (MiB):""", ops, CONNECTIONS, WRITERS, CONNECTIONS - WRITERS,
                    elapsed.toMillis() / 1000.0, reconnects, writerOps, readerOps, first(), last(), fdsOpened, fdsClosed,
                    integrityCheck,
                    failures.isEmpty() ? "none" : failures));
            for (ProcessProbe.Sample s : samples) {
                sb.append(String.format(" %.1f", s.rssKb() / 1024.0));
            }
            return sb.toString();
        }
    }

    private SoakRunner() {
    }

    static Report run(long ops, Path dir, GrowthCheck check) throws Exception {
        long t0 = System.nanoTime();
        Path db = dir.resolve("soak.db");
        WireErrorAudit audit = new WireErrorAudit(List.of(dir.toAbsolutePath().toString(), "soak.db"));
        FuzzTally tally = new FuzzTally(0);
        List<String> failures = new ArrayList<>();
        List<ProcessProbe.Sample> samples = new ArrayList<>();
        List<List<String>> fdTargets = new ArrayList<>();
        List<CanaryClient> writers = new ArrayList<>();
        long perClientPhase = Math.max(1, ops / CONNECTIONS / PHASES);
        long[] reconnects = new long[CONNECTIONS];
        long[] done = new long[CONNECTIONS];
        String integrity = "not run";
        // JDK_JAVA_OPTIONS: the launcher adds these to the server's JVM (the heap's upper bound comes from the
        // command line's -Xmx256m; -Xms matches it so the heap never resizes)
        Map<String, String> env = Map.of("ANCDB_TOKEN", TOKEN, "JDK_JAVA_OPTIONS",
                "-Xms256m -XX:+AlwaysPreTouch -XX:NativeMemoryTracking=summary");
        try (ServerProcess server = ServerProcess.start(dir, env, "serve", "--db", db.toString(), "--port", "0",
                "--journal", "wal")) {
            ProcessProbe probe = new ProcessProbe(server.process.pid());
            try (FuzzWire w = FuzzWire.authenticated(server.host, server.port, TOKEN, audit)) {
                expectOk(w.call(Msg.pack(CanaryClient.defineSchema())), "DefineSchema");
            }
            for (int i = 0; i < WRITERS; i++) {
                writers.add(new CanaryClient(i, 7919L * i + 1, tally, KEYS_PER_WRITER));
            }
            ConcurrentLinkedQueue<String> errors = new ConcurrentLinkedQueue<>();
            AtomicReference<Exception> sampling = new AtomicReference<>();
            // between phases, with every client idle: sample the server
            CyclicBarrier barrier = new CyclicBarrier(CONNECTIONS, () -> {
                try {
                    samples.add(probe.sample());
                    fdTargets.add(probe.fdTargets());
                } catch (Exception e) {
                    sampling.compareAndSet(null, e);
                }
            });
            ExecutorService pool = Executors.newFixedThreadPool(CONNECTIONS);
            List<Future<?>> clients = new ArrayList<>();
            for (int c = 0; c < CONNECTIONS; c++) {
                int id = c;
                clients.add(pool.submit(() -> {
                    try {
                        for (int phase = 0; phase < PHASES; phase++) {
                            if (id < WRITERS) {
                                CanaryClient writer = writers.get(id);
                                for (long i = 0; i < perClientPhase; i++) {
                                    if (i % RECONNECT_EVERY == 0) {
                                        writer.close();
                                        writer.connect(server.host, server.port, TOKEN, audit);
                                        reconnects[id]++;
                                    }
                                    writer.step();
                                    done[id]++;
                                }
                                writer.close();
                            } else {
                                read(server, audit, new Random(id * 104729L + phase), perClientPhase, reconnects,
                                        done, id);
                            }
                            barrier.await(10, TimeUnit.MINUTES);
                        }
                    } catch (Exception | AssertionError e) {
                        errors.add("client " + id + ": " + e);
                        barrier.reset();
                    }
                    return null;
                }));
            }
            for (Future<?> f : clients) {
                f.get(6, TimeUnit.HOURS);
            }
            pool.shutdown();
            failures.addAll(errors);
            if (sampling.get() != null) {
                failures.add("sampling failed: " + sampling.get());
            }
            if (!server.process.isAlive()) {
                failures.add("the server died");
            } else {
                if (samples.size() == PHASES) {
                    failures.addAll(check.violations(samples.getFirst(), samples.getLast()));
                } else if (failures.isEmpty()) {
                    failures.add("only " + samples.size() + " samples");
                }
                int code = server.terminate();
                if (code != 0) {
                    failures.add("the server exited " + code);
                }
            }
        } finally {
            for (CanaryClient w : writers) {
                w.close();
            }
        }
        integrity = String.join(" ", Msg.sqlite(db, "PRAGMA integrity_check"));
        if (!integrity.equals("ok")) {
            failures.add("integrity_check: " + integrity);
        }
        long modelRecords = writers.stream().mapToLong(w -> w.model().size()).sum();
        String inFile = String.join("", Msg.sqlite(db, "SELECT count(*) FROM " + CanaryClient.SCHEMA));
        if (!inFile.equals(Long.toString(modelRecords))) {
            failures.add("the file holds " + inFile + " records, the writers' models " + modelRecords);
        }
        long writerOps = 0;
        long readerOps = 0;
        long totalReconnects = 0;
        for (int c = 0; c < CONNECTIONS; c++) {
            if (c < WRITERS) {
                writerOps += done[c];
            } else {
                readerOps += done[c];
            }
            totalReconnects += reconnects[c];
        }
        List<String> opened = fdTargets.isEmpty() ? List.of() : minus(fdTargets.getLast(), fdTargets.getFirst());
        List<String> closed = fdTargets.isEmpty() ? List.of() : minus(fdTargets.getFirst(), fdTargets.getLast());
        return new Report(writerOps + readerOps, writerOps, readerOps, totalReconnects, samples, opened, closed,
                Duration.ofNanos(System.nanoTime() - t0), integrity, failures);
    }

    /** A reader's phase: direct reads and range scans of the writers' keys, each answer checked for sense. */
    private static void read(ServerProcess server, WireErrorAudit audit, Random r, long ops, long[] reconnects,
                             long[] done, int id) throws IOException {
        FuzzWire w = null;
        try {
            for (long i = 0; i < ops; i++) {
                if (i % RECONNECT_EVERY == 0) {
                    if (w != null) {
                        w.close();
                    }
                    w = FuzzWire.authenticated(server.host, server.port, TOKEN, audit);
                    reconnects[id]++;
                }
                String key = "canary-" + r.nextInt(WRITERS) + "-" + String.format("%06d", r.nextInt(KEYS_PER_WRITER));
                int op = r.nextInt(10);
                if (op < 7) {
                    Answer a = w.call(Msg.pack(map("cmd", 0x01, "schema", CanaryClient.SCHEMA, "key", key)));
                    if (a.status() == 0) {
                        if (!(a.data() instanceof Map<?, ?> m) || !key.equals(m.get("ck"))) {
                            throw new WireFailure("read " + key + " returned " + a.data());
                        }
                    } else if (a.status() != Status.KEY_NOT_FOUND) {
                        throw new WireFailure("read " + key + " answered " + a);
                    }
                } else if (op < 9) {
                    Answer a = w.call(Msg.pack(map("cmd", 0x02, "schema", CanaryClient.SCHEMA, "range",
                            map("start", key), "limit", 20L)));
                    expectOk(a, "scan from " + key);
                    String prev = "";
                    for (Object row : (List<?>) a.data()) {
                        String k = (String) ((Map<?, ?>) row).get("ck");
                        if (k.compareTo(key) < 0 || k.compareTo(prev) <= 0) {
                            throw new WireFailure("scan from " + key + " out of order: " + k + " after " + prev);
                        }
                        prev = k;
                    }
                } else {
                    expectOk(w.call(Msg.pack(map("cmd", 0x22))), "Stats");
                }
                done[id]++;
            }
        } finally {
            if (w != null) {
                w.close();
            }
        }
    }

    /** {@code a} without one occurrence of each element of {@code b}. */
    private static List<String> minus(List<String> a, List<String> b) {
        List<String> out = new ArrayList<>(a);
        for (String x : b) {
            out.remove(x);
        }
        return out;
    }

    private static void expectOk(Answer a, String what) {
        if (a.status() != 0) {
            throw new WireFailure(what + " answered " + a);
        }
    }

    /** {@code SoakRunner [operations]}: exit 0 when memory and descriptors stayed flat. */
    public static void main(String[] args) throws Exception {
        long ops = args.length > 0 ? Long.parseLong(args[0]) : 1_000_000;
        Report r = run(ops, Files.createTempDirectory("ancdb-soak"), GrowthCheck.defaults());
        System.out.println(r.summary());
        System.exit(r.failures().isEmpty() ? 0 : 1);
    }
}

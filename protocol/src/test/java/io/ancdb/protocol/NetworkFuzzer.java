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
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static io.ancdb.protocol.Msg.map;

/**
 * Protocol fuzzing over TCP at scale: a real {@code ancdb serve} child process
 * (a separate process, so "the server never dies" is observable as a live
 * process and a clean exit code, and a crash cannot take the fuzzer down with
 * it) on a temporary file, {@code fuzzers} connections sending
 * {@link HostileMessages} (reconnecting whenever the server must close one)
 * and {@code canaries} well-formed connections checking every answer
 * against their model. At the end the server must still answer, exit 0 on
 * SIGTERM with nothing alarming in its log, and the file must pass
 * {@code PRAGMA integrity_check} and hold exactly the canaries' model.
 *
 * <p>Run by {@code TcpFuzzTest} (100 000 messages) and by
 * {@code make fuzz-protocol FUZZ_MESSAGES=1000000} through {@link #main}.
 */
final class NetworkFuzzer {
    static final String TOKEN = "network-fuzz-token-4b1d9e";

    /** One run's shape. */
    record Config(long messages, int fuzzers, int canaries, long seed) {
    }

    /** What a run did; {@link #failures} empty means it passed. */
    record Report(Config config, long sent, Map<String, Long> sentByKind, long responses,
                  Map<String, Long> responsesByStatus, Map<String, Long> closesByReason, long connections,
                  long canaryOps, long canaryRetries, int canaryRecords, long errorMessagesAudited,
                  Duration elapsed, String integrityCheck, List<String> failures) {
        String summary() {
            return String.format("""
                    network fuzz: %d messages over %d fuzzing connections (+%d canaries), seed %d, in %.1f s
                      sent by kind:        %s
                      responses:           %d, by status %s
                      connections:         %d opened by fuzzers; server closes by reason %s
                      canaries:            %d operations verified (%d lock-busy retries), %d records in the final model
                      error messages:      %d audited for paths / pointers / class names
                      integrity_check:     %s
                      failures:            %s""", sent, config.fuzzers, config.canaries, config.seed,
                    elapsed.toMillis() / 1000.0, sentByKind, responses, responsesByStatus, connections, closesByReason,
                    canaryOps, canaryRetries, canaryRecords, errorMessagesAudited, integrityCheck,
                    failures.isEmpty() ? "none" : failures);
        }
    }

    private NetworkFuzzer() {
    }

    /** Runs one fuzzing campaign in {@code dir} (which it fills with the database and the server log). */
    static Report run(Config c, Path dir) throws IOException, InterruptedException {
        long t0 = System.nanoTime();
        Path db = dir.resolve("netfuzz.db");
        Limits limits = Limits.defaults();   // the server runs with the defaults: the prediction must use the same
        FuzzTally tally = new FuzzTally(c.messages());
        WireErrorAudit audit = new WireErrorAudit(List.of(dir.toAbsolutePath().toString(), "netfuzz.db",
                dir.getFileName().toString()));
        List<String> failures = new ArrayList<>();
        List<CanaryClient> canaries = new ArrayList<>();
        String integrity = "not run";
        try (ServerProcess server = ServerProcess.start(dir, Map.of("ANCDB_TOKEN", TOKEN), "serve", "--db",
                db.toString(), "--port", "0", "--journal", "wal", "--lock-timeout", "0", "--max-connections", "64")) {
            HostileMessages messages = new HostileMessages(TOKEN);
            setUp(server, messages, audit);
            for (int i = 0; i < c.canaries(); i++) {
                CanaryClient canary = new CanaryClient(i, c.seed() * 31 + i, tally, 2000);
                canary.connect(server.host, server.port, TOKEN, audit);
                canaries.add(canary);
            }
            ConcurrentLinkedQueue<String> errors = new ConcurrentLinkedQueue<>();
            AtomicBoolean fuzzersDone = new AtomicBoolean();
            AtomicBoolean abort = new AtomicBoolean();
            ExecutorService pool = Executors.newFixedThreadPool(c.fuzzers() + c.canaries());
            List<Future<?>> fuzzing = new ArrayList<>();
            for (int i = 0; i < c.fuzzers(); i++) {
                FuzzConnection f = new FuzzConnection(server.host, server.port, TOKEN, limits, messages,
                        c.seed() * 1000 + i, tally, audit, abort::get);
                fuzzing.add(pool.submit(() -> guard(() -> f.run(), "fuzzer", errors, abort)));
            }
            List<Future<?>> checking = new ArrayList<>();
            for (CanaryClient canary : canaries) {
                checking.add(pool.submit(() -> guard(() -> canary.run(() -> fuzzersDone.get() || abort.get()),
                        "canary " + canary.prefix(), errors, abort)));
            }
            waitAll(fuzzing);
            fuzzersDone.set(true);
            waitAll(checking);
            pool.shutdown();
            failures.addAll(errors);
            if (!server.process.isAlive()) {
                failures.add("the server process died: exit " + server.process.exitValue());
            } else {
                failures.addAll(finalChecks(server, canaries, audit));
                int code = server.terminate();
                if (code != 0) {
                    failures.add("the server exited " + code + " on SIGTERM");
                }
            }
            String log = server.log();
            for (String alarm : List.of("internal error", "OutOfMemoryError", "StackOverflowError", "Exception in",
                    "closing the session failed", "did not close in time")) {
                if (log.contains(alarm)) {
                    failures.add("the server log contains '" + alarm + "': " + excerpt(log, alarm));
                }
            }
        } finally {
            for (CanaryClient canary : canaries) {
                canary.close();
            }
        }
        if (Files.exists(db)) {                       // checked even after a failure: was anything lost?
            integrity = String.join(" ", Msg.sqlite(db, "PRAGMA integrity_check"));
            if (!integrity.equals("ok")) {
                failures.add("integrity_check: " + integrity);
            }
            List<String> want = new ArrayList<>();
            for (CanaryClient canary : canaries) {
                canary.model().forEach((k, r) -> want.add(k + "|" + r.n() + "|" + r.s() + "|"
                        + java.util.HexFormat.of().withUpperCase().formatHex(r.b())));
            }
            want.sort(null);
            List<String> got = Msg.sqlite(db, "SELECT ck || '|' || cn || '|' || cs || '|' || hex(cb) FROM "
                    + CanaryClient.SCHEMA + " ORDER BY ck");
            if (!want.equals(got)) {
                failures.add("the file's canary table differs from the canaries' model: " + want.size()
                        + " records expected, " + got.size() + " found");
            }
        }
        int records = canaries.stream().mapToInt(x -> x.model().size()).sum();
        return new Report(c, tally.sent(), tally.sentByKind(), tally.responses.sum(), tally.responsesByStatus(),
                tally.closesByReason(), tally.connections.sum(), tally.canaryOps.sum(), tally.canaryRetries.sum(),
                records, audit.checked(), Duration.ofNanos(System.nanoTime() - t0), integrity, failures);
    }

    /** The canary schema, then every seed once unmodified (defines F and K), then no transaction left open. */
    private static void setUp(ServerProcess server, HostileMessages messages, WireErrorAudit audit) throws IOException {
        try (FuzzWire w = FuzzWire.authenticated(server.host, server.port, TOKEN, audit)) {
            Answer a = w.call(Msg.pack(CanaryClient.defineSchema()));
            if (a.status() != 0) {
                throw new WireFailure("DefineSchema Canary answered " + a);
            }
            for (byte[] seed : messages.seeds()) {
                w.call(seed);
            }
            w.call(Msg.pack(map("cmd", 0x12)));
        }
    }

    /** The server still answers; a fresh connection sees exactly the canaries' records. */
    private static List<String> finalChecks(ServerProcess server, List<CanaryClient> canaries, WireErrorAudit audit)
            throws IOException {
        List<String> failures = new ArrayList<>();
        try (FuzzWire w = FuzzWire.authenticated(server.host, server.port, TOKEN, audit)) {
            Answer stats = w.call(Msg.pack(map("cmd", 0x22)));
            if (stats.status() != 0) {
                failures.add("Stats after fuzzing answered " + stats);
            }
            NavigableMap<String, CanaryClient.Row> all = new TreeMap<>();
            for (CanaryClient canary : canaries) {
                all.putAll(canary.model());
            }
            Answer scan = w.call(Msg.pack(map("cmd", 0x02, "schema", CanaryClient.SCHEMA, "limit", 1_000_000L)));
            if (scan.status() != 0 || !(scan.data() instanceof List<?> rows) || rows.size() != all.size()) {
                failures.add("final scan of the canary schema: " + (scan.data() instanceof List<?> l ? l.size()
                        + " records" : scan) + ", the canaries' models hold " + all.size());
            } else {
                int i = 0;
                for (Map.Entry<String, CanaryClient.Row> e : all.entrySet()) {
                    try {
                        canaries.getFirst().sameRecord(e.getKey(), e.getValue(), rows.get(i++), "final scan");
                    } catch (WireFailure f) {
                        failures.add(f.getMessage());
                        break;
                    }
                }
            }
        }
        return failures;
    }

    private interface Job {
        void run() throws Exception;
    }

    private static Object guard(Job job, String who, ConcurrentLinkedQueue<String> errors, AtomicBoolean abort) {
        try {
            job.run();
        } catch (Throwable e) {
            errors.add(who + ": " + e);
            abort.set(true);
        }
        return null;
    }

    private static void waitAll(List<Future<?>> futures) throws InterruptedException {
        for (Future<?> f : futures) {
            try {
                f.get(6, TimeUnit.HOURS);
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    private static String excerpt(String log, String needle) {
        int at = log.indexOf(needle);
        return log.substring(Math.max(0, at - 200), Math.min(log.length(), at + 300));
    }

    /** {@code NetworkFuzzer [messages] [fuzzers] [canaries] [seed]}: exit 0 when the run passed. */
    public static void main(String[] args) throws Exception {
        long messages = args.length > 0 ? Long.parseLong(args[0]) : 1_000_000;
        int fuzzers = args.length > 1 ? Integer.parseInt(args[1]) : 4;
        int canaries = args.length > 2 ? Integer.parseInt(args[2]) : 2;
        long seed = args.length > 3 ? Long.parseLong(args[3]) : 20261123L;
        Path dir = Files.createTempDirectory("ancdb-netfuzz");
        Report r = run(new Config(messages, fuzzers, canaries, seed), dir);
        System.out.println(r.summary());
        System.exit(r.failures().isEmpty() ? 0 : 1);
    }
}

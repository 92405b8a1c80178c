package io.ancdb.bench;

import io.ancdb.store.StoreOptions;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.Blackhole;
import org.openjdk.jmh.infra.ThreadParams;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Many small files (issue 13): a directory of USAGI-shaped pair files
 * ({@link PairFiles}: {@code files} of them, 40 rally events each) through
 * ANC-DB's {@code Store} ({@code ancdb-java}) and through sqlite-jdbc with a
 * per-file connection cache of the same size ({@link PairStore}); WAL and
 * synchronous FULL on both sides. Scores are throughput (ops/s, all threads).
 * <ul>
 * <li>append: a new event in a committed transaction of its own, each thread
 *     going round-robin over its own files (thread i of n: files i, i+n, ...;
 *     so 4 threads always write 4 different files), on files kept open (the
 *     first {@code keepOpen} files: all of them unless the descriptor limit
 *     caps the cache, see {@link #warmFiles});</li>
 * <li>lastEvents: the 20 newest events of a random pair (timestamp index,
 *     descending, limit 20), on files kept open;</li>
 * <li>coldAppend / coldLastEvents: the same on a file not open: open, one
 *     operation, close; round-robin over every file, so no file is in any
 *     SQLite or connection cache (the OS page cache has them).</li>
 * </ul>
 * Every read checks all 20 events (order, file, every field); at the end of
 * a trial the newest event of every file written reads back.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 2, jvmArgsAppend = {JvmArgs.NATIVE, JvmArgs.UNSAFE, JvmArgs.OPENS_NIO, JvmArgs.EXPORTS_NIO_CH, JvmArgs.HEAP,
        JvmArgs.HEAP_MIN, JvmArgs.PRETOUCH})
public class StoreFiles implements Workload {
    static final String STORES = String.join(",", PairStore.ANCDB, PairStore.JDBC);
    static final String SHAPE = "pairs";
    /** The pass's file count; {@code STORE_FILES=10000 make bench-store} (run.sh passes it as this property). */
    static final String FILES_PROPERTY = "ancdb.bench.storeFiles";
    static final int APPEND_THREADS = 4;

    @Param({PairStore.ANCDB, PairStore.JDBC})
    public String store;
    @Param({"default"})
    public String config;
    @Param({SHAPE})
    public String shape;
    @Param({"1000"})
    public int files;

    PairStore pairs;
    private Path copy;
    /** Files kept open between operations (0 for the cold benchmarks). */
    int keepOpen;
    /** The newest event's timestamp of each file (a file is written by one thread only). */
    long[] newest;
    /** The next timestamp: one counter, so every file's events stay in timestamp order. */
    final AtomicLong nextTs = new AtomicLong(PairFiles.LOADED + 1);

    /**
     * Files the warm benchmarks use: all, unless ANC-DB's default {@code maxOpen}
     * (three quarters of the descriptor limit over 5 descriptors a file) is
     * smaller; both sides keep that many open.
     */
    int warmFiles() {
        return Math.min(files, StoreOptions.defaults().maxOpen());
    }

    @Setup(Level.Trial)
    public void open(BenchmarkParams params) throws Exception {
        boolean cold = params.getBenchmark().contains(".cold");
        keepOpen = cold ? 0 : warmFiles();
        newest = new long[files];
        java.util.Arrays.fill(newest, PairFiles.LOADED);
        copy = PairFiles.copy(PairStore.ANCDB.equals(store) ? "ancdb" : "sqlite", files);
        pairs = PairStore.create(store);
        pairs.open(copy, keepOpen);
    }

    @TearDown(Level.Trial)
    public void close(Blackhole bh) throws Exception {
        try (PairStore p = pairs; PairStore.Session s = p.session(1)) {
            for (int f = 0; f < files; f++) {
                if (newest[f] > PairFiles.LOADED) {
                    s.lastEvents(f, newest[f], bh);     // the newest write of every file is there
                }
            }
        } finally {
            Prepared.deleteTree(copy.getParent());
        }
    }

    /** A thread: its session, its files (warm: thread i of n takes i, i+n, ...; cold: every file) and where it is. */
    @State(Scope.Thread)
    public static class Lane {
        PairStore.Session session;
        int first;
        int step;
        int limit;
        int next;
        Keys keys;

        @Setup(Level.Trial)
        public void open(StoreFiles b, ThreadParams t, Blackhole bh) throws Exception {
            session = b.pairs.session(t.getThreadCount());
            first = t.getThreadIndex();
            step = t.getThreadCount();
            limit = b.keepOpen == 0 ? b.files : b.keepOpen;
            next = first;
            keys = new Keys((limit - first + step - 1) / step, 17 + first);
            if (b.keepOpen > 0) {
                for (int f = first; f < limit; f += step) {
                    session.lastEvents(f, b.newest[f], bh);    // every file of the lane open and cached
                }
            }
        }

        /** The lane's next file, round-robin. */
        int nextFile() {
            int f = next;
            next += step;
            if (next >= limit) {
                next = first;
            }
            return f;
        }

        /** A random file of the lane. */
        int randomFile() {
            return first + (int) (keys.next() - 1) * step;
        }

        @TearDown(Level.Trial)
        public void close() throws Exception {
            session.close();
        }
    }

    private void appendNext(Lane l) throws Exception {
        int f = l.nextFile();
        long ts = nextTs.getAndIncrement();
        l.session.append(f, ts);
        newest[f] = ts;
    }

    /** A new event in a file kept open, each thread round-robin over its own files. */
    @Benchmark
    public void append(Lane l) throws Exception {
        appendNext(l);
    }

    /** The 20 newest events of a random pair kept open. */
    @Benchmark
    public void lastEvents(Lane l, Blackhole bh) throws Exception {
        int f = l.randomFile();
        l.session.lastEvents(f, newest[f], bh);
    }

    /** Open a file no cache holds, append one event, close. */
    @Benchmark
    public void coldAppend(Lane l) throws Exception {
        appendNext(l);
    }

    /** Open a file no cache holds, read its 20 newest events, close. */
    @Benchmark
    public void coldLastEvents(Lane l, Blackhole bh) throws Exception {
        int f = l.nextFile();
        l.session.lastEvents(f, newest[f], bh);
    }

    @Override
    public String title() {
        return "Many small files: a Store of pair files against sqlite-jdbc";
    }

    @Override
    public int order() {
        return 60;
    }

    @Override
    public Map<String, String> operations() {
        return Workload.ordered(
                "append", "Warm append: one ~300-byte event per committed transaction, round-robin over the files"
                        + " kept open (each thread its own files; ops/s)",
                "lastEvents", "Warm read of a pair's 20 newest events (ts index, descending; ops/s)",
                "coldAppend", "Cold one-shot append: open a file no cache holds, append one event, close (ops/s)",
                "coldLastEvents", "Cold one-shot read: open a file no cache holds, read its 20 newest events, close"
                        + " (ops/s)");
    }

    @Override
    public String work(String store, Config config) {
        PairStore p = PairStore.create(store);
        return "pair files, WAL, synchronous FULL, a 256-page cache per connection. Warm: " + p.work(false)
                + ". Cold: " + p.work(true);
    }

    static TargetSpec.Figure figure(String op, String store, int threads) {
        return new TargetSpec.Figure("StoreFiles." + op, store, Config.DEFAULT.id(), SHAPE, threads, Map.of());
    }

    /** Issue 13's targets, ANC-DB's Store over sqlite-jdbc, and its 4 threads on 4 files over 1 thread. */
    @Override
    public List<TargetSpec> targets() {
        List<TargetSpec> t = new ArrayList<>();
        for (String op : List.of("coldAppend", "coldLastEvents")) {
            TargetSpec.Figure a = figure(op, PairStore.ANCDB, 1);
            t.add(new TargetSpec("Cold one-shot " + (op.equals("coldAppend") ? "append" : "read of the 20 newest")
                    + " (open, operate, close): ANC-DB Store >= 3x sqlite-jdbc", a, TargetSpec.Relation.FASTER, 3.0,
                    a.withStore(PairStore.JDBC)));
        }
        for (int n : new int[] {1, APPEND_THREADS}) {
            TargetSpec.Figure a = figure("append", PairStore.ANCDB, n);
            t.add(new TargetSpec("Warm appends across files, " + n + (n == 1 ? " thread" : " threads on " + n
                    + " different files") + ": ANC-DB Store >= 2x sqlite-jdbc", a, TargetSpec.Relation.FASTER, 2.0,
                    a.withStore(PairStore.JDBC)));
        }
        TargetSpec.Figure four = figure("append", PairStore.ANCDB, APPEND_THREADS);
        t.add(new TargetSpec("Warm appends, " + APPEND_THREADS + " threads on " + APPEND_THREADS
                + " different files: ANC-DB Store >= 1.6x its own 1-thread throughput", four,
                TargetSpec.Relation.FASTER, 1.6, four.withThreads(1)));
        return t;
    }

    /** make bench-store (and bench-full): appends with 1 and 4 threads, the warm read, the cold pair (10 trials). */
    @Override
    public List<Run> plan(Pass pass, Sizes sizes) {
        if (pass != Pass.STORE && pass != Pass.FULL) {
            return List.of();
        }
        String n = System.getProperty(FILES_PROPERTY, "1000");
        Map<String, String> p = Workload.ordered("store", STORES, "config", Config.DEFAULT.id(), "shape", SHAPE,
                "files", n);
        return List.of(
                new Run("store-append-1t", "StoreFiles\\.append$", p),
                new Run("store-append-" + APPEND_THREADS + "t", "StoreFiles\\.append$", p, "-t " + APPEND_THREADS),
                new Run("store-lastEvents", "StoreFiles\\.lastEvents$", p),
                new Run("store-cold", "StoreFiles\\.cold(Append|LastEvents)$", p));
    }
}

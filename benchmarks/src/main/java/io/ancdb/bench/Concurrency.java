package io.ancdb.bench;

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

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Many threads on one store (issue 12): the score is the combined throughput
 * of all threads (ops/s), the thread count a JMH {@code -t} of the run.
 * <ul>
 * <li>directRead: each thread reads random records through a reader of its
 *     own (ANC-DB: pooled reader connections with kept snapshots; sqlite-jdbc: a
 *     connection per thread; lmdbjava: a read transaction per thread);</li>
 * <li>atomicWrite: each thread inserts new records, one per committed
 *     transaction, all threads at once (keys from one shared counter);</li>
 * <li>mixed: each thread makes every tenth operation an AtomicUpdate of a
 *     random record (a new value version) and the other nine DirectReads: 90%
 *     reads, 10% writes, readers seeing the writers' commits.</li>
 * </ul>
 * Every read checks the whole record; at the end of a trial every record the
 * writers inserted reads back.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 2, jvmArgsAppend = {JvmArgs.NATIVE, JvmArgs.UNSAFE, JvmArgs.OPENS_NIO, JvmArgs.EXPORTS_NIO_CH, JvmArgs.HEAP,
        JvmArgs.HEAP_MIN, JvmArgs.PRETOUCH})
public class Concurrency implements Workload {
    static final String PEERS = String.join(",", Store.ANCDB_JAVA, Store.SQLITE_JDBC, Store.LMDBJAVA);
    static final int[] READ_THREADS = {1, 2, 4};
    static final int[] WRITE_THREADS = {1, 4, 16};
    static final int MIXED_THREADS = 4;
    /** mixed: one operation in this many is a write. */
    static final int WRITE_EVERY = 10;

    @Param({Store.ANCDB_JAVA, Store.SQLITE_JDBC, Store.LMDBJAVA})
    public String store;
    @Param({"default", "tuned"})
    public String config;
    @Param({"kv"})
    public String shape;
    @Param({"1000000"})
    public long records;

    Trial trial;
    /** The next new key: the writers of atomicWrite share it. */
    final AtomicLong nextFresh = new AtomicLong();

    @Setup(Level.Trial)
    public void open(Blackhole bh, BenchmarkParams params) throws Exception {
        trial = Trial.open(store, config, Shape.of(shape), records);
        if (!params.getBenchmark().endsWith(".atomicWrite")) {
            trial.warm(bh);                 // reads start on warm caches; the writes' warm-up iterations warm theirs
        }
        nextFresh.set(records + 1);
    }

    @TearDown(Level.Trial)
    public void close(Blackhole bh) throws Exception {
        try {
            try (Store.Reader r = trial.store.reader()) {
                for (long k = records + 1; k < nextFresh.get(); k++) {
                    r.get(k, bh);           // a missing or wrong record throws
                }
            }
        } finally {
            trial.close();
        }
    }

    /** A thread's reader and its key stream. */
    @State(Scope.Thread)
    public static class ReaderThread {
        Store.Reader reader;
        Keys keys;

        @Setup(Level.Trial)
        public void open(Concurrency b, ThreadParams t) throws Exception {
            reader = b.trial.store.reader();
            keys = new Keys(b.records, t.getThreadIndex() + 1);
        }

        @TearDown(Level.Trial)
        public void close() throws Exception {
            reader.close();
        }
    }

    /** A thread's writer, and (mixed) its count of operations and its value versions. */
    @State(Scope.Thread)
    public static class WriterThread {
        Store.Writer writer;
        Keys keys;
        long ops;
        int version;

        @Setup(Level.Trial)
        public void open(Concurrency b, ThreadParams t) throws Exception {
            writer = b.trial.store.writer();
            keys = new Keys(b.records, 1000 + t.getThreadIndex());
            version = t.getThreadIndex() << 24;     // versions of different threads never meet
        }

        @TearDown(Level.Trial)
        public void close() throws Exception {
            writer.close();
        }
    }

    /** A random record in a read transaction of its own, from each thread. */
    @Benchmark
    public void directRead(ReaderThread r, Blackhole bh) throws Exception {
        r.reader.get(r.keys.next(), bh);
    }

    /** A new record per committed transaction, from each thread. */
    @Benchmark
    public void atomicWrite(WriterThread w) throws Exception {
        w.writer.insert(nextFresh.getAndIncrement());
    }

    /** Nine DirectReads and one AtomicUpdate in ten operations, from each thread. */
    @Benchmark
    public void mixed(ReaderThread r, WriterThread w, Blackhole bh) throws Exception {
        if (++w.ops % WRITE_EVERY == 0) {
            w.writer.update(w.keys.next(), ++w.version);
        } else {
            r.reader.get(r.keys.next(), bh);
        }
    }

    @Override
    public String title() {
        return "Concurrency";
    }

    @Override
    public int order() {
        return 40;
    }

    @Override
    public Map<String, String> operations() {
        return Workload.ordered(
                "directRead", "DirectRead throughput, each thread with its own reader (combined ops/s)",
                "atomicWrite", "AtomicWrite throughput from concurrent writers (one new record per transaction)",
                "mixed", "Mixed: 90% DirectRead, 10% AtomicUpdate in each thread (combined ops/s)");
    }

    static TargetSpec.Figure figure(String op, String store, String config, int threads) {
        return TargetSpec.Figure.kv("Concurrency." + op, store, config).withThreads(threads);
    }

    /** Issue 12's targets: reads in both shared configurations, writes and the mix at synchronous=FULL (default). */
    @Override
    public List<TargetSpec> targets() {
        List<TargetSpec> t = new ArrayList<>();
        for (Config c : Config.shared()) {
            String d = c.id();
            TargetSpec.Figure two = figure("directRead", Store.ANCDB_JAVA, d, 2);
            t.add(new TargetSpec("DirectRead, 2 threads (" + d + "): ancdb-java >= 1.7x its own 1-thread throughput",
                    two, TargetSpec.Relation.FASTER, 1.7, two.withThreads(1)));
            t.add(new TargetSpec("DirectRead, 2 threads (" + d + "): ancdb-java >= 2x sqlite-jdbc",
                    two, TargetSpec.Relation.FASTER, 2.0, two.withStore(Store.SQLITE_JDBC)));
            t.add(new TargetSpec("DirectRead, 2 threads (" + d + "): ancdb-java >= 0.5x lmdbjava",
                    two, TargetSpec.Relation.FASTER, 0.5, two.withStore(Store.LMDBJAVA)));
        }
        String full = Config.DEFAULT.id();
        TargetSpec.Figure sixteen = figure("atomicWrite", Store.ANCDB_JAVA, full, 16);
        t.add(new TargetSpec("AtomicWrite, 16 concurrent writers (default, synchronous=FULL): ancdb-java >= 5x sqlite-jdbc",
                sixteen, TargetSpec.Relation.FASTER, 5.0, sixteen.withStore(Store.SQLITE_JDBC)));
        t.add(new TargetSpec("AtomicWrite, 16 concurrent writers (default, synchronous=FULL; lmdbjava synced): ancdb-java"
                + " at least as fast as lmdbjava", sixteen, TargetSpec.Relation.FASTER, 1.0, sixteen.withStore(Store.LMDBJAVA)));
        TargetSpec.Figure mixed = figure("mixed", Store.ANCDB_JAVA, full, MIXED_THREADS);
        t.add(new TargetSpec("Mixed 90% reads / 10% writes, 4 threads (default): ancdb-java >= 2x sqlite-jdbc",
                mixed, TargetSpec.Relation.FASTER, 2.0, mixed.withStore(Store.SQLITE_JDBC)));
        return t;
    }

    /**
     * make bench-concurrency (and bench-full): DirectRead with 1, 2 and 4 threads in both shared
     * configurations; AtomicWrite with 1, 4 and 16 writers and the 4-thread mix in default
     * (synchronous=FULL, lmdbjava synced). Three peer stores each.
     */
    @Override
    public List<Run> plan(Pass pass, Sizes sizes) {
        if (pass != Pass.CONCURRENCY && pass != Pass.FULL) {
            return List.of();
        }
        String kv = Long.toString(sizes.kv());
        List<Run> runs = new ArrayList<>();
        for (int n : READ_THREADS) {
            runs.add(new Run("kv-directRead-" + n + "t", "Concurrency\\.directRead$", Workload.ordered("store", PEERS,
                    "config", Suite.allConfigs(), "shape", "kv", "records", kv), "-t " + n));
        }
        for (int n : WRITE_THREADS) {
            runs.add(new Run("kv-atomicWrite-" + n + "t", "Concurrency\\.atomicWrite$", Workload.ordered("store", PEERS,
                    "config", Config.DEFAULT.id(), "shape", "kv", "records", kv), "-t " + n));
        }
        runs.add(new Run("kv-mixed-" + MIXED_THREADS + "t", "Concurrency\\.mixed$", Workload.ordered("store", PEERS,
                "config", Config.DEFAULT.id(), "shape", "kv", "records", kv), "-t " + MIXED_THREADS));
        return runs;
    }
}

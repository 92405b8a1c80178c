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
import org.openjdk.jmh.infra.Blackhole;
import org.openjdk.jmh.infra.ThreadParams;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Reads of the loaded data set: a random record (in a read transaction of its
 * own, and inside one long read transaction), 100 and 10 000 records in key
 * order from a random start (reads from many threads: {@link Concurrency}).
 * Every record read is checked against {@link Data} before it reaches the
 * blackhole.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 2, jvmArgsAppend = {JvmArgs.NATIVE, JvmArgs.UNSAFE, JvmArgs.OPENS_NIO, JvmArgs.EXPORTS_NIO_CH, JvmArgs.HEAP,
        JvmArgs.HEAP_MIN, JvmArgs.PRETOUCH})
public class Reads implements Workload {
    @Param({Store.ANCDB_JAVA, Store.ANCDB_MSGPACK, Store.SQLITE_JDBC, Store.LMDBJAVA})
    public String store;
    @Param({"default", "tuned"})
    public String config;
    @Param({"kv"})
    public String shape;
    @Param({"1000000"})
    public long records;

    Trial trial;

    @Setup(Level.Trial)
    public void open(Blackhole bh) throws Exception {
        trial = Trial.open(store, config, Shape.of(shape), records);
        trial.warm(bh);
    }

    @TearDown(Level.Trial)
    public void close() throws Exception {
        trial.close();
    }

    /** One reader and one key stream per benchmark thread. */
    @State(Scope.Thread)
    public static class Worker {
        Store.Reader reader;
        Keys keys;

        @Setup(Level.Trial)
        public void open(Reads b, ThreadParams t) throws Exception {
            reader = b.trial.store.reader();
            keys = new Keys(b.trial.data.n, t.getThreadIndex() + 1);
        }

        @TearDown(Level.Trial)
        public void close() throws Exception {
            reader.close();
        }
    }

    /** A {@link Worker} whose reader holds one read transaction open for each whole iteration. */
    @State(Scope.Thread)
    public static class TxWorker extends Worker {
        @Setup(Level.Iteration)
        public void begin() throws Exception {
            reader.beginTx();
        }

        @TearDown(Level.Iteration)
        public void end() throws Exception {
            reader.endTx();
        }
    }

    /** A random record, in a read transaction of its own (begin, get, end). */
    @Benchmark
    public void directRead(Worker w, Blackhole bh) throws Exception {
        w.reader.get(w.keys.next(), bh);
    }

    /** A random record, inside a read transaction kept open for the iteration. */
    @Benchmark
    public void directReadInTx(TxWorker w, Blackhole bh) throws Exception {
        w.reader.getInTx(w.keys.next(), bh);
    }

    /** 100 records in key order from a random start (one transaction, one cursor). */
    @Benchmark
    public void rangeScan100(Worker w, Blackhole bh) throws Exception {
        expect(100, w.reader.scan(w.keys.start(100), 100, bh));
    }

    /** 10 000 records in key order from a random start. */
    @Benchmark
    public void rangeScan10000(Worker w, Blackhole bh) throws Exception {
        expect(10_000, w.reader.scan(w.keys.start(10_000), 10_000, bh));
    }

    @Override
    public String title() {
        return "Reads";
    }

    @Override
    public int order() {
        return 10;
    }

    @Override
    public Map<String, String> operations() {
        return Workload.ordered(
                "directRead", "DirectRead (a read transaction per read)",
                "directReadInTx", "DirectRead inside one open read transaction",
                "rangeScan100", "RangeScan100 (primary key)",
                "rangeScan10000", "RangeScan10000 (primary key)");
    }

    @Override
    public List<TargetSpec> targets() {
        String best = TargetSpec.bestConfigOf(Store.SQLITE_JDBC);
        List<TargetSpec> t = new ArrayList<>(List.of(
                TargetSpec.faster("DirectRead: ancdb-java >= 2x faster than sqlite-jdbc's best config",
                        "Reads.directRead", Store.ANCDB_JAVA, Store.SQLITE_JDBC, 2.0, best),
                TargetSpec.within("DirectRead: ancdb-java within 1.2x of the C floor",
                        "Reads.directRead", Store.ANCDB_JAVA, Store.C_FLOOR, 1.2, best),
                TargetSpec.faster("DirectRead: ancdb-java at least as fast as lmdbjava",
                        "Reads.directRead", Store.ANCDB_JAVA, Store.LMDBJAVA, 1.0, best),
                TargetSpec.faster("RangeScan100: ancdb-java >= 4x faster than sqlite-jdbc's best config",
                        "Reads.rangeScan100", Store.ANCDB_JAVA, Store.SQLITE_JDBC, 4.0, best),
                TargetSpec.within("RangeScan100: ancdb-java within 1.5x of lmdbjava",
                        "Reads.rangeScan100", Store.ANCDB_JAVA, Store.LMDBJAVA, 1.5, best)));
        t.add(new TargetSpec("DirectRead out of the box: ancdb-java default (Database.open(file)) >= 3x faster than"
                + " sqlite-jdbc stock (the driver's defaults)", TargetSpec.Figure.kv("Reads.directRead", Store.ANCDB_JAVA,
                Config.DEFAULT.id()), TargetSpec.Relation.FASTER, 3.0,
                TargetSpec.Figure.kv("Reads.directRead", Store.SQLITE_JDBC, Config.STOCK.id())));
        TargetSpec.Figure agentJava = new TargetSpec.Figure("Reads.directRead", Store.ANCDB_JAVA, Config.DEFAULT.id(),
                "agent", 0, Map.of());
        t.add(new TargetSpec("AgentMemory DirectRead (default): through the dispatcher with vectors as bin"
                + " (ancdb-msgpack-bin) within 2x of the Java API", agentJava.withStore(Store.ANCDB_MSGPACK_BIN),
                TargetSpec.Relation.WITHIN, 2.0, agentJava));
        for (Config c : Config.shared()) {
            t.add(TargetSpec.within("DirectRead (" + c.id() + "): ancdb-msgpack within 2x of ancdb-java",
                    "Reads.directRead", Store.ANCDB_MSGPACK, Store.ANCDB_JAVA, 2.0, c.id()));
        }
        return t;
    }

    /**
     * make bench: the figures of the targets and of the README's table (kv,
     * both shared configurations, and sqlite-jdbc's stock DirectRead);
     * directReadInTx of ancdb-java for the C floor table.
     * make bench-concurrency: AgentMemory DirectRead and RangeScan100 through the Java API and the
     * dispatcher, vectors as floats and as bin (default).
     * make bench-full: everything, both shapes.
     */
    @Override
    public List<Run> plan(Pass pass, Sizes sizes) {
        String kv = Long.toString(sizes.kv());
        String agent = Long.toString(sizes.agent());
        Run stock = new Run("kv-directRead-stock", "Reads\\.directRead$", Workload.ordered("store", Store.SQLITE_JDBC,
                "config", Config.STOCK.id(), "shape", "kv", "records", kv));
        String agentStores = String.join(",", Store.ANCDB_JAVA, Store.ANCDB_MSGPACK, Store.ANCDB_MSGPACK_BIN);
        if (pass == Pass.CONCURRENCY) {
            return List.of(
                    new Run("agent-directRead", "Reads\\.directRead$", Workload.ordered("store", agentStores,
                            "config", Config.DEFAULT.id(), "shape", "agent", "records", agent)),
                    new Run("agent-rangeScan100", "Reads\\.rangeScan100$", Workload.ordered("store", agentStores,
                            "config", Config.DEFAULT.id(), "shape", "agent", "records", agent)));
        }
        if (pass == Pass.QUICK) {
            return List.of(
                    Workload.kvRun("kv-directRead", "Reads\\.directRead$", Suite.allStores(), sizes),
                    stock,
                    Workload.kvRun("kv-directReadInTx", "Reads\\.directReadInTx$", Store.ANCDB_JAVA, sizes),
                    Workload.kvRun("kv-rangeScan100", "Reads\\.rangeScan100$",
                            String.join(",", Store.ANCDB_JAVA, Store.SQLITE_JDBC, Store.LMDBJAVA), sizes));
        }
        if (pass != Pass.FULL) {
            return List.of();
        }
        return List.of(
                new Run("reads-kv", "Reads\\.", Workload.ordered("shape", "kv", "records", kv)),
                stock,
                new Run("reads-agent", "Reads\\.", Workload.ordered("shape", "agent", "records", agent)),
                new Run("reads-agent-bin", "Reads\\.(directRead|rangeScan100)$", Workload.ordered("store",
                        Store.ANCDB_MSGPACK_BIN, "config", Suite.allConfigs(), "shape", "agent", "records", agent)));
    }

    static void expect(int want, int got) {
        if (got != want) {
            throw new IllegalStateException("scan returned " + got + " records, not " + want);
        }
    }
}

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

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Range scans over the AgentMemory timestamp index: 100 and 10 000 records in
 * timestamp order from a random timestamp, each record fetched from the table
 * through the index entry. The timestamps are a permutation of the ids, so the
 * records of one scan are scattered over the table. lmdb has no secondary
 * index and is not run here (the report shows n/a).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 2, jvmArgsAppend = {JvmArgs.NATIVE, JvmArgs.UNSAFE, JvmArgs.OPENS_NIO, JvmArgs.EXPORTS_NIO_CH, JvmArgs.HEAP,
        JvmArgs.HEAP_MIN, JvmArgs.PRETOUCH})
public class IndexScans implements Workload {
    @Param({Store.ANCDB_JAVA, Store.ANCDB_MSGPACK, Store.SQLITE_JDBC})
    public String store;
    @Param({"default", "tuned"})
    public String config;
    /** Always agent (the only shape with a secondary index); a parameter so results say so like the others'. */
    @Param({"agent"})
    public String shape;
    @Param({"100000"})
    public long records;

    Trial trial;
    Store.Reader reader;
    Keys keys;

    @Setup(Level.Trial)
    public void open(Blackhole bh) throws Exception {
        if (Store.LMDBJAVA.equals(store)) {
            throw new UnsupportedOperationException("lmdb has no secondary index: IndexScans is not run for it");
        }
        trial = Trial.open(store, config, Shape.of(shape), records);
        trial.warm(bh);
        reader = trial.store.reader();
        keys = new Keys(records, 1);
    }

    @TearDown(Level.Trial)
    public void close() throws Exception {
        reader.close();
        trial.close();
    }

    @Override
    public String title() {
        return "Index scans";
    }

    @Override
    public int order() {
        return 20;
    }

    @Override
    public Map<String, String> operations() {
        return Workload.ordered(
                "indexScan100", "IndexScan100 (secondary index: timestamp)",
                "indexScan10000", "IndexScan10000 (secondary index: timestamp)");
    }

    /** make bench-full only: no target depends on it. */
    @Override
    public List<Run> plan(Pass pass, Sizes sizes) {
        if (pass != Pass.FULL) {
            return List.of();
        }
        return List.of(new Run("indexScans-agent", "IndexScans\\.",
                Workload.ordered("records", Long.toString(sizes.agent()))));
    }

    @Benchmark
    public void indexScan100(Blackhole bh) throws Exception {
        Reads.expect(100, reader.scanByTimestamp(Data.timestampOfRank(keys.start(100)), 100, bh));
    }

    @Benchmark
    public void indexScan10000(Blackhole bh) throws Exception {
        Reads.expect(10_000, reader.scanByTimestamp(Data.timestampOfRank(keys.start(10_000)), 10_000, bh));
    }
}

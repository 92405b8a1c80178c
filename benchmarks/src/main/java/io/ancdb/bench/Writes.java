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

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Committed writes at the configuration's durability (see {@link Config}):
 * <ul>
 * <li>batchWrite1000: 1000 new records (keys above the loaded range, ascending) in one transaction;</li>
 * <li>atomicWrite: one new record per transaction;</li>
 * <li>atomicUpdate (kv): a random loaded record gets a new value, one per transaction;</li>
 * <li>delete: a loaded record, in a scattered order, one per transaction. The records deleted
 *     in an iteration are put back (untimed) before the next one, so every iteration deletes
 *     from the full data set.</li>
 * </ul>
 * Every write checks the store's answer (inserted, found, deleted); at the
 * end of a trial the written records are read back and a deleted one must be
 * gone.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 2, jvmArgsAppend = {JvmArgs.NATIVE, JvmArgs.UNSAFE, JvmArgs.OPENS_NIO, JvmArgs.EXPORTS_NIO_CH, JvmArgs.HEAP,
        JvmArgs.HEAP_MIN, JvmArgs.PRETOUCH})
public class Writes implements Workload {
    /** Multiplier of the delete order (prime, coprime with every n = 2^a 5^b). */
    private static final long DELETE_STRIDE = 1_000_003L;

    @Param({Store.ANCDB_JAVA, Store.ANCDB_MSGPACK, Store.SQLITE_JDBC, Store.LMDBJAVA})
    public String store;
    @Param({"default", "tuned"})
    public String config;
    @Param({"kv"})
    public String shape;
    @Param({"1000000"})
    public long records;

    Trial trial;
    Store s;
    long n;
    Keys keys;
    /** The keys for new records: n+1, n+2, ... */
    long[] fresh = new long[1];
    long nextFresh;
    int version;
    /** delete: the i-th record deleted is perm(i); [putBackFrom, deleted) are gone. */
    long deleted;
    long putBackFrom;

    @Setup(Level.Trial)
    public void open() throws Exception {
        trial = Trial.open(store, config, Shape.of(shape), records);   // no warm scan: the warm-up iterations write
        s = trial.store;
        n = records;
        keys = new Keys(n, 7);
        nextFresh = n + 1;
        fresh = new long[1000];
    }

    /** Puts back the records the last iteration deleted (untimed). */
    @Setup(Level.Iteration)
    public void putBack() throws Exception {
        long[] batch = new long[1000];
        while (putBackFrom < deleted) {
            int m = (int) Math.min(batch.length, deleted - putBackFrom);
            for (int i = 0; i < m; i++) {
                batch[i] = deleteKey(putBackFrom + i);
            }
            s.insertBatch(batch, 0, m);
            putBackFrom += m;
        }
    }

    @TearDown(Level.Trial)
    public void close(Blackhole bh) throws Exception {
        try {
            verify(bh);
        } finally {
            trial.close();
        }
    }

    /** The written records read back; the last deleted one is gone. */
    private void verify(Blackhole bh) throws Exception {
        if (nextFresh > n + 1 && (!trial.exists(n + 1, bh) || !trial.exists(nextFresh - 1, bh))) {
            throw new IllegalStateException(store + ": an inserted record is missing");
        }
        if (deleted > putBackFrom && trial.exists(deleteKey(deleted - 1), bh)) {
            throw new IllegalStateException(store + ": a deleted record is still there");
        }
    }

    long deleteKey(long i) {
        return (i % n) * DELETE_STRIDE % n + 1;
    }

    @Override
    public String title() {
        return "Writes";
    }

    @Override
    public int order() {
        return 30;
    }

    @Override
    public Map<String, String> operations() {
        return Workload.ordered(
                "batchWrite1000", "BatchWrite1000 (1000 new records, one transaction)",
                "atomicWrite", "AtomicWrite (one new record per transaction)",
                "atomicUpdate", "AtomicUpdate (one record rewritten per transaction)",
                "delete", "Delete (one record per transaction)");
    }

    /** Write targets hold at each durability level (configuration). */
    @Override
    public List<TargetSpec> targets() {
        List<TargetSpec> t = new ArrayList<>();
        for (Config c : Config.shared()) {
            String d = c.id();
            t.add(TargetSpec.faster("BatchWrite1000 (" + d + "): ancdb-java >= 3x faster than sqlite-jdbc",
                    "Writes.batchWrite1000", Store.ANCDB_JAVA, Store.SQLITE_JDBC, 3.0, d));
            t.add(TargetSpec.faster("BatchWrite1000 (" + d + "): ancdb-java faster than lmdbjava",
                    "Writes.batchWrite1000", Store.ANCDB_JAVA, Store.LMDBJAVA, 1.0, d));
            t.add(TargetSpec.faster("AtomicWrite (" + d + "): ancdb-java >= 2x faster than sqlite-jdbc",
                    "Writes.atomicWrite", Store.ANCDB_JAVA, Store.SQLITE_JDBC, 2.0, d));
        }
        for (Config c : Config.shared()) {
            t.add(TargetSpec.within("BatchWrite1000 (" + c.id() + "): ancdb-msgpack within 1.5x of ancdb-java",
                    "Writes.batchWrite1000", Store.ANCDB_MSGPACK, Store.ANCDB_JAVA, 1.5, c.id()));
        }
        return t;
    }

    /** make bench: the target figures (kv, both configurations); make bench-full: everything, both shapes. */
    @Override
    public List<Run> plan(Pass pass, Sizes sizes) {
        String kv = Long.toString(sizes.kv());
        if (pass == Pass.QUICK) {
            return List.of(
                    Workload.kvRun("kv-batchWrite1000", "Writes\\.batchWrite1000$", Suite.allStores(), sizes),
                    Workload.kvRun("kv-atomicWrite", "Writes\\.atomicWrite$",
                            String.join(",", Store.ANCDB_JAVA, Store.SQLITE_JDBC, Store.LMDBJAVA), sizes));
        }
        if (pass != Pass.FULL) {
            return List.of();
        }
        return List.of(
                new Run("writes-kv", "Writes\\.", Workload.ordered("shape", "kv", "records", kv)),
                new Run("writes-agent", "Writes\\.(batchWrite1000|atomicWrite|delete)$",
                        Workload.ordered("shape", "agent", "records", Long.toString(sizes.agent()))));
    }

    @Benchmark
    public void batchWrite1000() throws Exception {
        for (int i = 0; i < fresh.length; i++) {
            fresh[i] = nextFresh++;
        }
        s.insertBatch(fresh, 0, fresh.length);
    }

    @Benchmark
    public void atomicWrite() throws Exception {
        s.insert(nextFresh++);
    }

    @Benchmark
    public void atomicUpdate() throws Exception {
        s.update(keys.next(), ++version);
    }

    @Benchmark
    public void delete() throws Exception {
        if (deleted - putBackFrom >= n) {
            throw new IllegalStateException("every loaded record was deleted in one iteration: use more records");
        }
        s.delete(deleteKey(deleted++));
    }
}

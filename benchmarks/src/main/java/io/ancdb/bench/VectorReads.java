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

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * DirectRead of an AgentMemory record (1 KiB of content, a 768-float
 * embedding) three ways on the same data: the Java API ({@code ancdb-java}),
 * the in-process dispatcher with the embedding as an array of floats
 * ({@code ancdb-msgpack}) and with it as one bin of float32s after Hello
 * {@code {"vectors": "bin"}} ({@code ancdb-msgpack-bin}). Every record read is
 * checked. Not part of the suite's plan (run it by name: see
 * benchmarks/README.md); {@code records} is small so the data set builds in
 * seconds.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {JvmArgs.NATIVE, JvmArgs.UNSAFE, JvmArgs.OPENS_NIO, JvmArgs.EXPORTS_NIO_CH,
        JvmArgs.HEAP, JvmArgs.HEAP_MIN, JvmArgs.PRETOUCH})
public class VectorReads {
    /** The third way, not a store of the suite: {@link AncdbMsgpackStore} with vectors as bin. */
    static final String ANCDB_MSGPACK_BIN = "ancdb-msgpack-bin";

    @Param({Store.ANCDB_JAVA, Store.ANCDB_MSGPACK, ANCDB_MSGPACK_BIN})
    public String store;
    @Param({"default"})
    public String config;
    @Param({"20000"})
    public long records;

    private Data data;
    private Path copy;
    private Store opened;
    private Store.Reader reader;
    private Keys keys;

    @Setup(Level.Trial)
    public void open() throws Exception {
        data = new Data(Shape.AGENT, records);
        copy = Prepared.copy("ancdb", data);
        opened = store.equals(ANCDB_MSGPACK_BIN) ? new AncdbMsgpackStore(true) : Store.create(store);
        opened.open(copy, data, Config.of(config));
        reader = opened.reader();
        keys = new Keys(data.n, 1);
    }

    @TearDown(Level.Trial)
    public void close() throws Exception {
        try {
            reader.close();
            opened.close();
        } finally {
            Prepared.discard(copy);
        }
    }

    /** A random AgentMemory record, in a read transaction of its own, checked whole. */
    @Benchmark
    public void directRead(Blackhole bh) throws Exception {
        reader.get(keys.next(), bh);
    }
}

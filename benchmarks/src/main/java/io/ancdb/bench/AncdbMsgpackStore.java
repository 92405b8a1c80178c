package io.ancdb.bench;

import io.ancdb.Database;
import io.ancdb.protocol.Command;
import io.ancdb.protocol.CommandDispatcher;
import io.ancdb.protocol.Limits;
import io.ancdb.protocol.Session;
import io.ancdb.protocol.Status;
import org.msgpack.core.MessageBufferPacker;
import org.msgpack.core.MessageFormat;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessageUnpacker;
import org.msgpack.core.buffer.ArrayBufferInput;
import org.msgpack.value.ValueType;
import org.openjdk.jmh.infra.Blackhole;

import java.io.IOException;
import java.nio.file.Path;

/**
 * ANC-DB through the in-process MessagePack dispatcher
 * ({@link Session#handle(byte[])}): the client side encodes each request with
 * a reused packer (compact form {@code [cmd, schema, {payload}]}) and decodes
 * the response with a reused unpacker straight into typed values, checking
 * every record. Each reader thread gets its own session. With
 * {@code vectorsAsBin} each session first sends Hello {@code {"vectors": "bin"}}:
 * embeddings travel as one bin of little-endian float32s both ways (checked
 * as bytes, as a client handing them to numpy would take them) instead of
 * arrays of 768 floats.
 */
public final class AncdbMsgpackStore implements Store {
    /** The protocol in this build lets a session ask for vectors as bin (Hello 0x31, issue 12 item 5). */
    static final boolean VECTORS_AS_BIN = true;

    private final boolean vectorsAsBin;
    Database db;
    private CommandDispatcher dispatcher;
    private Data data;
    private String table;
    private Client writer;

    /** Vectors as arrays of floats (the protocol's default). */
    public AncdbMsgpackStore() {
        this(false);
    }

    public AncdbMsgpackStore(boolean vectorsAsBin) {
        this.vectorsAsBin = vectorsAsBin;
    }

    @Override
    public void open(Path path, Data data, Config config) throws IOException {
        this.data = data;
        this.table = data.shape.table;
        this.db = Database.open(path, AncdbJavaStore.options(config, path));
        this.dispatcher = new CommandDispatcher(db, Limits.defaults().withMaxMessageBytes(256 * Limits.MIB), null);
        this.writer = new Client(dispatcher.openSession());
    }

    @Override
    public String work(Config config) {
        return "the ancdb-java calls of this configuration (" + config.id() + "), behind the in-process dispatcher:"
                + " each operation is one request [cmd, table, {payload}] packed with a reused packer, Session.handle"
                + " (decode, run, encode the answer), and the answer unpacked with a reused unpacker into values"
                + " (DirectRead, RangeScan with a limit, BatchWrite, AtomicWrite; BeginTx for reads in one transaction)"
                + (vectorsAsBin ? "; vectors as bin (Hello 0x31) both ways." : ".");
    }

    @Override
    public Reader reader() throws IOException {
        return new Client(dispatcher.openSession());
    }

    /** Each writing thread gets a session of its own, as each protocol connection has. */
    @Override
    public Writer writer() throws IOException {
        return new Client(dispatcher.openSession());
    }

    /** One session plus the client's reused packer and unpacker: a connection's worth of client. */
    final class Client implements Reader, Writer {
        final Session session;
        final MessageBufferPacker p = MessagePack.newDefaultBufferPacker();
        final ArrayBufferInput in = new ArrayBufferInput(new byte[0]);
        final MessageUnpacker u = MessagePack.newDefaultUnpacker(in);

        Client(Session session) throws IOException {
            this.session = session;
            if (vectorsAsBin) {
                p.clear();
                p.packMapHeader(2);
                p.packString("cmd");
                p.packInt(Command.HELLO);
                p.packString("vectors");
                p.packString("bin");
                send();
                u.skipValue();
            }
        }

        /** Starts [cmd, table, {payload of n entries}]. */
        void begin(int cmd, int payloadEntries) throws IOException {
            p.clear();
            p.packArrayHeader(3);
            p.packInt(cmd);
            p.packString(table);
            p.packMapHeader(payloadEntries);
        }

        /** Sends the request; positions the unpacker at the response's data (status 0 checked). */
        void send() throws IOException {
            send(Long.MIN_VALUE);
        }

        /** As {@link #send()}; KeyNotFound throws {@link MissingRecordException} for {@code missing}. */
        void send(long missing) throws IOException {
            byte[] res = session.handle(p.toByteArray());
            in.reset(res);
            u.reset(in);
            int n = u.unpackMapHeader();
            if (n != 4 || !"status".equals(u.unpackString())) {
                throw new IllegalStateException("malformed response");
            }
            int status = u.unpackInt();
            if (status != 0) {
                String msg = "?";
                for (int i = 1; i < n; i++) {
                    String k = u.unpackString();
                    if (k.equals("error") && u.getNextFormat().getValueType() == ValueType.STRING) {
                        msg = u.unpackString();
                    } else {
                        u.skipValue();
                    }
                }
                if (status == Status.KEY_NOT_FOUND && missing != Long.MIN_VALUE) {
                    throw new MissingRecordException(missing);
                }
                throw new IllegalStateException("status " + status + ": " + msg);
            }
            if (!"data".equals(u.unpackString())) {
                throw new IllegalStateException("malformed response: no data");
            }
        }

        void packRecord(long key, int version) throws IOException {
            if (data.shape == Shape.KV) {
                p.packMapHeader(2);
                p.packString("k");
                p.packLong(key);
                p.packString("v");
                byte[] v = Data.value(key, version);
                p.packBinaryHeader(v.length);
                p.writePayload(v);
            } else {
                p.packMapHeader(4);
                p.packString("id");
                p.packLong(key);
                p.packString("timestamp");
                p.packLong(data.timestamp(key));
                p.packString("content");
                p.packString(Data.content(key));
                p.packString("embedding");
                if (vectorsAsBin) {
                    byte[] e = Data.embeddingBytes(key);
                    p.packBinaryHeader(e.length);
                    p.writePayload(e);
                } else {
                    float[] e = Data.embedding(key);
                    p.packArrayHeader(e.length);
                    for (float f : e) {
                        p.packFloat(f);
                    }
                }
            }
        }

        /** Reads one record map, checks it is record {@code want} (or any, when want < 0); returns its key. */
        long readRecord(long want, Blackhole bh) throws IOException {
            int n = u.unpackMapHeader();
            long key = Long.MIN_VALUE;
            long ts = Long.MIN_VALUE;
            byte[] value = null;
            String content = null;
            float[] emb = null;
            byte[] embBytes = null;
            for (int i = 0; i < n; i++) {
                String f = u.unpackString();
                switch (f) {
                    case "k", "id" -> key = u.unpackLong();
                    case "v" -> value = u.readPayload(u.unpackBinaryHeader());
                    case "timestamp" -> ts = u.unpackLong();
                    case "content" -> content = u.unpackString();
                    case "embedding" -> {
                        if (u.getNextFormat().getValueType() == ValueType.BINARY) {
                            embBytes = u.readPayload(u.unpackBinaryHeader());
                            continue;
                        }
                        int m = u.unpackArrayHeader();
                        emb = new float[m];
                        for (int j = 0; j < m; j++) {
                            emb[j] = u.unpackFloat();
                        }
                    }
                    default -> throw new IllegalStateException("unexpected field " + f);
                }
            }
            if (want >= 0 && key != want) {
                throw new IllegalStateException("wrong key: wanted " + want + ", got " + key);
            }
            if (data.shape == Shape.KV) {
                Data.checkValue(key, value);
                bh.consume(value);
            } else if (embBytes != null) {
                data.checkAgent(key, ts, content, embBytes);
                bh.consume(content);
                bh.consume(embBytes);
            } else {
                data.checkAgent(key, ts, content, emb);
                bh.consume(content);
                bh.consume(emb);
            }
            return data.shape == Shape.KV ? key : ts;
        }

        @Override
        public void get(long key, Blackhole bh) throws IOException {
            begin(Command.DIRECT_READ, 1);
            p.packString("key");
            p.packLong(key);
            send(key);
            readRecord(key, bh);
        }

        @Override
        public void beginTx() throws IOException {
            bare(Command.BEGIN_TX);
        }

        @Override
        public void getInTx(long key, Blackhole bh) throws IOException {
            get(key, bh);
        }

        @Override
        public void endTx() throws IOException {
            if (session.inTransaction()) {
                bare(Command.ROLLBACK_TX);
            }
        }

        /** Sends [cmd] (no schema, no payload); expects status 0. */
        private void bare(int cmd) throws IOException {
            p.clear();
            p.packArrayHeader(1);
            p.packInt(cmd);
            send();
        }

        @Override
        public int scan(long from, int count, Blackhole bh) throws IOException {
            begin(Command.RANGE_SCAN, 2);
            p.packString("range");
            p.packMapHeader(1);
            p.packString("start");
            p.packLong(from);
            p.packString("limit");
            p.packInt(count);
            send();
            int n = u.unpackArrayHeader();
            for (int i = 0; i < n; i++) {
                readRecord(from + i, bh);
            }
            return n;
        }

        @Override
        public int scanByTimestamp(long fromTs, int count, Blackhole bh) throws IOException {
            begin(Command.RANGE_SCAN, 3);
            p.packString("index");
            p.packString("timestamp");
            p.packString("range");
            p.packMapHeader(1);
            p.packString("start");
            p.packLong(fromTs);
            p.packString("limit");
            p.packInt(count);
            send();
            int n = u.unpackArrayHeader();
            long rank = (fromTs - Data.T0) / 1000;
            for (int i = 0; i < n; i++) {
                if (readRecord(-1, bh) != Data.timestampOfRank(rank + i)) {
                    throw new IllegalStateException("index scan out of order at " + i);
                }
            }
            return n;
        }

        @Override
        public void insert(long key) throws IOException {
            begin(Command.ATOMIC_WRITE, 1);
            p.packString("record");
            packRecord(key, 0);
            send();
            if (u.unpackLong() != key) {
                throw new IllegalStateException("write answered the wrong key");
            }
        }

        @Override
        public void update(long key, int version) throws IOException {
            if (data.shape != Shape.KV) {
                throw new UnsupportedOperationException("update is benchmarked on kv only");
            }
            begin(Command.ATOMIC_UPDATE, 2);
            p.packString("key");
            p.packLong(key);
            p.packString("delta");
            p.packMapHeader(1);
            p.packString("v");
            byte[] v = Data.value(key, version);
            p.packBinaryHeader(v.length);
            p.writePayload(v);
            send();
            // the answer is the updated record: check it carries the new version
            u.unpackMapHeader();
            if (!"k".equals(u.unpackString()) || u.unpackLong() != key || !"v".equals(u.unpackString())) {
                throw new IllegalStateException("update answered the wrong record");
            }
            byte[] got = u.readPayload(u.unpackBinaryHeader());
            if (!java.util.Arrays.equals(got, v)) {
                throw new IllegalStateException("update answered a stale value");
            }
        }

        @Override
        public void close() throws IOException {
            endTx();
            session.close();
        }
    }

    @Override
    public void insertBatch(long[] keys, int from, int count) throws IOException {
        Client c = writer;
        c.begin(Command.BATCH_WRITE, 1);
        c.p.packString("records");
        c.p.packArrayHeader(count);
        for (int i = from; i < from + count; i++) {
            c.packRecord(keys[i], 0);
        }
        c.send();
        int n = c.u.unpackArrayHeader();
        if (n != count) {
            throw new IllegalStateException("batch answered " + n + " keys for " + count + " records");
        }
        for (int i = from; i < from + count; i++) {
            if (c.u.unpackLong() != keys[i]) {
                throw new IllegalStateException("batch answered the wrong key");
            }
        }
    }

    @Override
    public void insert(long key) throws IOException {
        writer.insert(key);
    }

    @Override
    public void update(long key, int version) throws IOException {
        writer.update(key, version);
    }

    @Override
    public void delete(long key) throws IOException {
        Client c = writer;
        c.begin(Command.DELETE, 1);
        c.p.packString("key");
        c.p.packLong(key);
        c.send();
        if (c.u.getNextFormat() != MessageFormat.POSFIXINT || c.u.unpackInt() != 1) {
            throw new IllegalStateException("no record " + key + " to delete");
        }
    }

    @Override
    public void close() throws IOException {
        if (writer != null) {
            writer.close();
        }
        if (dispatcher != null) {
            dispatcher.close();
        }
        if (db != null) {
            db.close();
        }
    }
}

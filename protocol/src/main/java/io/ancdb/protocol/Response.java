package io.ancdb.protocol;

import io.ancdb.typed.FieldDef;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessagePacker;
import org.msgpack.core.buffer.MessageBuffer;
import org.msgpack.core.buffer.MessageBufferOutput;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * A session's response encoder: one reused {@link MessagePacker} over one
 * reused growable array, so a response costs no allocation beyond its
 * result array. Layout (public contract):
 * <pre>{"status": int, "data": value, "meta": {"rows_affected": int, "execution_time_us": int[, "version": int]},
 *  "error": nil | str}</pre>
 * ({@code meta.version}: the version of the store file the command ran on;
 * status 10 answers {@code data: {"current_version": int}}).
 * A success is written as it goes (the status, known to be 0, comes first;
 * then the data; then meta); an error discards what was written and writes
 * {@code data: nil} and the message instead.
 */
final class Response {
    /** The array grows as needed; after a response of more than this it is given back. */
    private static final int KEEP = 1 << 20;
    private static final int INITIAL = 8 * 1024;

    private static final byte[] OK_PREFIX = concat(new byte[] {(byte) 0x84}, str("status"), new byte[] {0x00},
            str("data"));
    private static final byte[] META = concat(str("meta"), new byte[] {(byte) 0x82}, str("rows_affected"));
    private static final byte[] META_VERSIONED = concat(str("meta"), new byte[] {(byte) 0x83}, str("rows_affected"));
    private static final byte[] TIME = str("execution_time_us");
    private static final byte[] VERSION = str("version");
    private static final byte[] CURRENT_VERSION = str("current_version");
    private static final byte[] ERROR = str("error");
    private static final byte[] STATUS = str("status");
    private static final byte[] DATA = str("data");
    private static final byte[] ARRAY32_PLACEHOLDER = {(byte) 0xdd, 0, 0, 0, 0};
    private static final VarHandle F32_LE = MethodHandles.byteArrayViewVarHandle(float[].class,
            ByteOrder.LITTLE_ENDIAN);

    private final Output out = new Output();
    private final MessagePacker p = MessagePack.newDefaultPacker(out);
    private final byte[] scratch = new byte[9];
    private boolean vectorsAsBin;
    private long base;

    /** Vectors (f32vec, i8vec) as bin (n float32, little-endian) instead of arrays: the connection's choice. */
    void vectorsAsBin(boolean asBin) {
        vectorsAsBin = asBin;
    }

    /** The packer, for the data of a success. */
    MessagePacker packer() {
        return p;
    }

    /** Starts a success: {status: 0, data: ... follows. */
    void begin() throws IOException {
        reset();
        p.writePayload(OK_PREFIX);
    }

    /** Bytes of the response so far. */
    long size() {
        return p.getTotalWrittenBytes() - base;
    }

    /** Ends a success after its data: meta (with {@code version} unless it is negative: none), error nil. */
    byte[] finish(long rowsAffected, long micros, long version) throws IOException {
        p.writePayload(version < 0 ? META : META_VERSIONED);
        p.packLong(rowsAffected);
        p.writePayload(TIME);
        p.packLong(micros);
        if (version >= 0) {
            p.writePayload(VERSION);
            p.packLong(version);
        }
        p.writePayload(ERROR);
        p.packNil();
        p.flush();
        return out.result();
    }

    /** Discards anything written and produces an error response. */
    byte[] error(int status, String message, long micros) {
        return error(status, message, micros, -1);
    }

    /**
     * Discards anything written and produces an error response whose data is
     * {@code {"current_version": currentVersion}} (a version conflict), or nil
     * when {@code currentVersion} is negative.
     */
    byte[] error(int status, String message, long micros, long currentVersion) {
        try {
            reset();
            p.packMapHeader(4);
            p.writePayload(STATUS);
            p.packInt(status);
            p.writePayload(DATA);
            if (currentVersion < 0) {
                p.packNil();
            } else {
                p.packMapHeader(1);
                p.writePayload(CURRENT_VERSION);
                p.packLong(currentVersion);
            }
            p.writePayload(META);
            p.packLong(0);
            p.writePayload(TIME);
            p.packLong(micros);
            p.writePayload(ERROR);
            p.packString(message);
            p.flush();
            return out.result();
        } catch (IOException e) {
            throw new IllegalStateException("unreachable: writing to memory", e);
        }
    }

    private void reset() throws IOException {
        // The packer keeps a view of the array it was last given, even after clear(); write one byte and flush
        // so that it lets go of it, then rewind the array.
        p.clear();
        p.packNil();
        p.flush();
        out.reset();
        base = p.getTotalWrittenBytes();
    }

    // --- values ---------------------------------------------------------------------------

    /** A u64 value: its 64 bits as an unsigned integer (uint64 when the top bit is set). */
    void unsigned(long v) throws IOException {
        if (v >= 0) {
            p.packLong(v);
            return;
        }
        scratch[0] = (byte) 0xcf;
        for (int i = 0; i < 8; i++) {
            scratch[1 + i] = (byte) (v >>> (56 - 8 * i));
        }
        p.writePayload(scratch, 0, 9);
    }

    /**
     * A field value as the typed layer returns it, in its wire form: the one
     * place a value's form in a response is decided (a vector's by the
     * connection's {@link WireOptions}; requests may use either form, see
     * {@link WireReader#fieldValue}).
     */
    @SuppressWarnings("unchecked")
    void fieldValue(FieldDef f, Object v) throws IOException {
        if (v == null) {
            p.packNil();
            return;
        }
        switch (f.type()) {
            case I64 -> p.packLong((Long) v);
            case U64 -> unsigned((Long) v);
            case F64 -> p.packDouble(((Number) v).doubleValue());
            case BOOL -> p.packBoolean((Boolean) v);
            case STR -> p.packString((String) v);
            case BYTES -> {
                byte[] b = (byte[]) v;
                p.packBinaryHeader(b.length);
                p.writePayload(b);
            }
            case F32VEC, I8VEC -> vector((float[]) v);
            case STRLIST -> {
                List<String> l = (List<String>) v;
                p.packArrayHeader(l.size());
                for (String s : l) {
                    p.packString(s);
                }
            }
        }
    }

    private void vector(float[] a) throws IOException {
        if (!vectorsAsBin) {
            p.packArrayHeader(a.length);
            for (float x : a) {
                p.packFloat(x);
            }
            return;
        }
        // the float32s go straight into the response array after the header: no scratch, no copy
        int n = Math.multiplyExact(a.length, 4);
        p.packBinaryHeader(n);
        p.flush();
        out.ensure(n);
        for (int i = 0; i < a.length; i++) {
            F32_LE.set(out.buf, out.size + 4 * i, a[i]);
        }
        out.size += n;
    }

    /** A record (as {@code RecordTable} returns it) as a map of field name to value, in field order. */
    void record(Schemas.Entry e, Map<String, Object> rec) throws IOException {
        record(e.fields, e.nameBytes, rec);
    }

    /** A record as a map of field name to value: {@code fields} in order, their names' UTF-8 in {@code names}. */
    void record(List<FieldDef> fields, byte[][] names, Map<String, Object> rec) throws IOException {
        p.packMapHeader(fields.size());
        for (int i = 0; i < fields.size(); i++) {
            FieldDef f = fields.get(i);
            byte[] name = names[i];
            p.packRawStringHeader(name.length);
            p.writePayload(name);
            fieldValue(f, rec.get(f.name()));
        }
    }

    /** Starts an array whose length is known only at its end; see {@link #endArray}. */
    int beginArray() throws IOException {
        p.flush();
        int at = out.size;
        p.writePayload(ARRAY32_PLACEHOLDER);
        return at;
    }

    /** Writes the length {@code n} into the array header started at {@code at}. */
    void endArray(int at, int n) throws IOException {
        p.flush();
        out.buf[at + 1] = (byte) (n >>> 24);
        out.buf[at + 2] = (byte) (n >>> 16);
        out.buf[at + 3] = (byte) (n >>> 8);
        out.buf[at + 4] = (byte) n;
    }

    /** Writes a string constant packed by {@link #str(String)}. */
    void key(byte[] packed) throws IOException {
        p.writePayload(packed);
    }

    static byte[] str(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        if (b.length > 31) {
            throw new IllegalArgumentException("constant too long for a fixstr: " + s);
        }
        byte[] out = new byte[b.length + 1];
        out[0] = (byte) (0xa0 | b.length);
        System.arraycopy(b, 0, out, 1, b.length);
        return out;
    }

    private static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] part : parts) {
            n += part.length;
        }
        byte[] out = new byte[n];
        int at = 0;
        for (byte[] part : parts) {
            System.arraycopy(part, 0, out, at, part.length);
            at += part.length;
        }
        return out;
    }

    /** One growable array the packer writes into. */
    private static final class Output implements MessageBufferOutput {
        byte[] buf = new byte[INITIAL];
        int size;

        @Override
        public MessageBuffer next(int minimumSize) {
            ensure(Math.max(minimumSize, 4096));
            return MessageBuffer.wrap(buf, size, buf.length - size);
        }

        @Override
        public void writeBuffer(int length) {
            size += length;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            ensure(len);
            System.arraycopy(b, off, buf, size, len);
            size += len;
        }

        @Override
        public void add(byte[] b, int off, int len) {
            write(b, off, len);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }

        private void ensure(int more) {
            if (buf.length - size < more) {
                long cap = Math.max((long) buf.length * 2, (long) size + more);
                if (cap > Integer.MAX_VALUE - 16) {
                    throw new OutOfMemoryError("response too large");
                }
                buf = Arrays.copyOf(buf, (int) cap);
            }
        }

        void reset() {
            size = 0;
            if (buf.length > KEEP) {
                buf = new byte[INITIAL];
            }
        }

        byte[] result() {
            return Arrays.copyOf(buf, size);
        }
    }
}

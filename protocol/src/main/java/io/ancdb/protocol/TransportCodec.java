package io.ancdb.protocol;

import org.msgpack.core.MessageBufferPacker;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessagePacker;
import org.msgpack.core.MessageUnpacker;
import org.msgpack.value.ValueType;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Plain-Java MessagePack helpers for the transports and the demo: packs maps,
 * lists, strings, numbers, booleans, byte arrays, float arrays and null;
 * unpacks to {@code Map<Object,Object>} (insertion ordered), {@code List},
 * {@code Long} (or {@code BigInteger} above Long.MAX_VALUE), {@code Double},
 * {@code String}, {@code byte[]}, {@code Boolean} and null. Not for untrusted
 * input of unbounded size: the server reads requests with {@link MessageReader}.
 */
final class TransportCodec {
    private TransportCodec() {
    }

    static byte[] pack(Object value) {
        try (MessageBufferPacker p = MessagePack.newDefaultBufferPacker()) {
            write(p, value);
            return p.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void write(MessagePacker p, Object v) throws IOException {
        switch (v) {
            case null -> p.packNil();
            case Boolean b -> p.packBoolean(b);
            case Byte b -> p.packLong(b);
            case Short s -> p.packLong(s);
            case Integer i -> p.packLong(i);
            case Long l -> p.packLong(l);
            case BigInteger b -> p.packBigInteger(b);
            case Float f -> p.packFloat(f);
            case Double d -> p.packDouble(d);
            case String s -> p.packString(s);
            case byte[] b -> {
                p.packBinaryHeader(b.length);
                p.writePayload(b);
            }
            case float[] fs -> {
                p.packArrayHeader(fs.length);
                for (float f : fs) {
                    p.packFloat(f);
                }
            }
            case Map<?, ?> m -> {
                p.packMapHeader(m.size());
                for (Map.Entry<?, ?> e : m.entrySet()) {
                    write(p, e.getKey());
                    write(p, e.getValue());
                }
            }
            case List<?> l -> {
                p.packArrayHeader(l.size());
                for (Object o : l) {
                    write(p, o);
                }
            }
            case Object[] a -> write(p, List.of(a));
            default -> throw new IllegalArgumentException("cannot pack " + v.getClass().getName());
        }
    }

    static Object unpack(byte[] bytes) {
        try (MessageUnpacker u = MessagePack.newDefaultUnpacker(bytes)) {
            return read(u);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Object read(MessageUnpacker u) throws IOException {
        ValueType t = u.getNextFormat().getValueType();
        switch (t) {
            case NIL -> {
                u.unpackNil();
                return null;
            }
            case BOOLEAN -> {
                return u.unpackBoolean();
            }
            case INTEGER -> {
                BigInteger b = u.unpackBigInteger();
                return b.bitLength() < 64 ? (Object) b.longValue() : b;
            }
            case FLOAT -> {
                return u.unpackDouble();
            }
            case STRING -> {
                return u.unpackString();
            }
            case BINARY -> {
                return u.readPayload(u.unpackBinaryHeader());
            }
            case ARRAY -> {
                int n = u.unpackArrayHeader();
                List<Object> l = new ArrayList<>(Math.min(n, 1024));
                for (int i = 0; i < n; i++) {
                    l.add(read(u));
                }
                return l;
            }
            case MAP -> {
                int n = u.unpackMapHeader();
                Map<Object, Object> m = new LinkedHashMap<>();
                for (int i = 0; i < n; i++) {
                    Object k = read(u);
                    m.put(k, read(u));
                }
                return m;
            }
            case EXTENSION -> {
                var h = u.unpackExtensionTypeHeader();
                return u.readPayload(h.getLength());
            }
            default -> throw new IOException("unexpected msgpack type " + t);
        }
    }

    /** Small ordered map literal: map("cmd", 1, "schema", "S"). */
    static Map<String, Object> map(Object... kv) {
        if (kv.length % 2 != 0) {
            throw new IllegalArgumentException("odd number of arguments");
        }
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }
}

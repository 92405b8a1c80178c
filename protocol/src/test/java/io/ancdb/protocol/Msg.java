package io.ancdb.protocol;

import org.msgpack.core.MessageBufferPacker;
import org.msgpack.core.MessageFormat;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessagePacker;
import org.msgpack.core.MessageUnpacker;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Test helpers: MessagePack requests from Java values, decoded responses, the sqlite3 shell. */
final class Msg {
    private Msg() {
    }

    /** Bytes written as they are (a hand-made header, say). */
    record Raw(byte[] bytes) {
    }

    /** A decoded response. */
    record Resp(int status, Object data, Map<String, Object> meta, String error) {
        long rowsAffected() {
            return (Long) meta.get("rows_affected");
        }

        @SuppressWarnings("unchecked")
        Map<String, Object> record() {
            return (Map<String, Object>) data;
        }

        @SuppressWarnings("unchecked")
        List<Object> list() {
            return (List<Object>) data;
        }

        Resp ok() {
            assertEquals(0, status, () -> "expected success, got " + this);
            return this;
        }

        Resp fails(int expected) {
            assertEquals(expected, status, () -> "expected status " + expected + ", got " + this);
            assertTrue(error != null && !error.isEmpty(), "an error response carries a message");
            assertEquals(null, data);
            return this;
        }
    }

    static Map<String, Object> map(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    static byte[] pack(Object v) {
        try (MessageBufferPacker p = MessagePack.newDefaultBufferPacker()) {
            write(p, v);
            return p.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void write(MessagePacker p, Object v) throws IOException {
        switch (v) {
            case null -> p.packNil();
            case Raw r -> p.writePayload(r.bytes());
            case Boolean b -> p.packBoolean(b);
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
            default -> throw new IllegalArgumentException(v.getClass().getName());
        }
    }

    /** Any value: maps (insertion ordered), lists, Long (BigInteger above Long.MAX_VALUE), Double, Float... */
    static Object unpack(byte[] b) {
        try (MessageUnpacker u = MessagePack.newDefaultUnpacker(b)) {
            Object v = read(u);
            assertTrue(!u.hasNext(), "one value per response");
            return v;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Object read(MessageUnpacker u) throws IOException {
        MessageFormat f = u.getNextFormat();
        switch (f.getValueType()) {
            case NIL -> {
                u.unpackNil();
                return null;
            }
            case BOOLEAN -> {
                return u.unpackBoolean();
            }
            case INTEGER -> {
                if (f == MessageFormat.UINT64) {
                    BigInteger b = u.unpackBigInteger();
                    return b.bitLength() < 64 ? (Object) b.longValue() : b;
                }
                return u.unpackLong();
            }
            case FLOAT -> {
                return f == MessageFormat.FLOAT32 ? (Object) u.unpackFloat() : (Object) u.unpackDouble();
            }
            case STRING -> {
                return u.unpackString();
            }
            case BINARY -> {
                return u.readPayload(u.unpackBinaryHeader());
            }
            case ARRAY -> {
                int n = u.unpackArrayHeader();
                List<Object> l = new ArrayList<>(n);
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
            default -> throw new IOException("unexpected " + f);
        }
    }

    /** Decodes a response and checks its shape: a map of exactly status, data, meta, error. */
    @SuppressWarnings("unchecked")
    static Resp resp(byte[] bytes) {
        Object o = unpack(bytes);
        Map<String, Object> m = assertInstanceOf(Map.class, o);
        assertEquals(List.of("status", "data", "meta", "error"), new ArrayList<>(m.keySet()));
        long status = assertInstanceOf(Long.class, m.get("status"));
        Map<String, Object> meta = assertInstanceOf(Map.class, m.get("meta"));
        assertInstanceOf(Long.class, meta.get("rows_affected"));
        assertInstanceOf(Long.class, meta.get("execution_time_us"));
        Object err = m.get("error");
        if (status == 0) {
            assertEquals(null, err);
        } else {
            assertInstanceOf(String.class, err);
        }
        return new Resp((int) status, m.get("data"), meta, (String) err);
    }

    /** Runs the stock sqlite3 shell on {@code file} (no connection may have it open); returns its output lines. */
    static List<String> sqlite(Path file, String sql) {
        try {
            Process p = new ProcessBuilder("sqlite3", "-batch", "-bail", file.toString(), sql)
                    .redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            int rc = p.waitFor();
            assertEquals(0, rc, () -> "sqlite3 failed on " + sql + ": " + out);
            List<String> lines = new ArrayList<>();
            for (String line : out.split("\n")) {
                if (!line.isEmpty()) {
                    lines.add(line);
                }
            }
            return lines;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}

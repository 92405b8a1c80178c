package io.ancdb.protocol;

import io.ancdb.Database;
import io.ancdb.DatabaseOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static io.ancdb.protocol.Msg.map;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Hello (0x31) {@code {"vectors": "bin"}}: the connection's responses carry
 * f32vec and i8vec values as bin (n little-endian float32s; an i8vec's
 * dequantized values) instead of arrays of floats; requests may send either
 * form on any connection. Other connections keep the arrays.
 */
class VectorsAsBinTest {
    private static final List<Object> FIELDS = List.of(
            map("name", "id", "type", "i64", "primary_key", true),
            map("name", "v", "type", "f32vec"),
            map("name", "q", "type", "i8vec"),
            map("name", "raw", "type", "bytes"));
    private static final float[] V = {1.0f, -2.5f, Float.NaN, 3.0e38f, -0.0f};
    private static final float[] Q = {0.25f, -1f, 7f};

    @TempDir
    Path dir;

    static byte[] le(float... v) {
        ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float f : v) {
            b.putFloat(f);
        }
        return b.array();
    }

    static float[] floats(Object arrayFromTheWire) {
        List<?> l = assertInstanceOf(List.class, arrayFromTheWire);
        float[] out = new float[l.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = ((Number) l.get(i)).floatValue();
        }
        return out;
    }

    private static Msg.Resp call(Session s, Object request) {
        return Msg.resp(s.handle(Msg.pack(request)));
    }

    private Database open(String name) {
        return Database.open(dir.resolve(name), DatabaseOptions.defaults());
    }

    @Test
    void helloAsksForVectorsAsBinForItsConnectionOnly() {
        try (Database db = open("bin.db"); CommandDispatcher d = new CommandDispatcher(db)) {
            Session arrays = d.openSession();
            Session bins = d.openSession();
            call(arrays, map("cmd", 0x20, "schema", "T", "fields", FIELDS)).ok();
            call(arrays, map("cmd", 3, "schema", "T", "record", map("id", 1, "v", V, "q", Q, "raw", new byte[] {9})))
                    .ok();
            assertEquals(Map.of("vectors", "array"), call(bins, map("cmd", 0x31)).ok().data());
            assertEquals(Map.of("vectors", "bin"), call(bins, map("cmd", 0x31, "vectors", "bin")).ok().data());
            assertEquals(Map.of("vectors", "bin"), call(bins, map("cmd", 0x31)).ok().data());   // kept

            // the default connection: arrays of floats, the i8vec dequantized
            Map<String, Object> asArrays = call(arrays, map("cmd", 1, "schema", "T", "key", 1)).ok().record();
            assertArrayEquals(V, floats(asArrays.get("v")));
            float[] dequantized = floats(asArrays.get("q"));
            // the bin connection: the same float32s, little-endian; a bytes field stays bin as ever
            Map<String, Object> asBin = call(bins, map("cmd", 1, "schema", "T", "key", 1)).ok().record();
            assertArrayEquals(le(V), (byte[]) asBin.get("v"));
            assertArrayEquals(le(dequantized), (byte[]) asBin.get("q"));
            assertArrayEquals(new byte[] {9}, (byte[]) asBin.get("raw"));
            // every response that carries records: RangeScan and AtomicUpdate too
            Map<?, ?> scanned = (Map<?, ?>) call(bins, map("cmd", 2, "schema", "T")).ok().list().get(0);
            assertArrayEquals(le(V), (byte[]) scanned.get("v"));
            Map<String, Object> updated = call(bins, map("cmd", 5, "schema", "T", "key", 1,
                    "delta", map("v", new float[] {4f}))).ok().record();
            assertArrayEquals(le(4f), (byte[]) updated.get("v"));
            assertArrayEquals(new float[] {4f}, floats(call(arrays, map("cmd", 1, "schema", "T", "key", 1)).ok()
                    .record().get("v")));

            // and back: Hello "array" restores the default form
            assertEquals(Map.of("vectors", "array"), call(bins, map("cmd", 0x31, "vectors", "array")).ok().data());
            assertArrayEquals(new float[] {4f}, floats(call(bins, map("cmd", 1, "schema", "T", "key", 1)).ok()
                    .record().get("v")));
            arrays.close();
            bins.close();
        }
    }

    /**
     * Records sent with bin vectors, on any connection: stored as the same float32s (an i8vec quantized
     * from them), whether the schema was known while the request was decoded or resolved later.
     */
    @Test
    void recordsMaySendVectorsAsBin() {
        try (Database db = open("in.db")) {
            try (CommandDispatcher d = new CommandDispatcher(db)) {
                Session s = d.openSession();
                call(s, map("cmd", 0x20, "schema", "T", "fields", FIELDS)).ok();
                call(s, map("cmd", 3, "schema", "T", "record", map("id", 1, "v", le(V), "q", le(Q)))).ok();
                call(s, map("cmd", 4, "schema", "T", "records", List.of(map("id", 2, "v", le(V)),
                        map("id", 3, "q", le(Q))))).ok();
                call(s, map("cmd", 3, "schema", "T", "record", map("id", 9, "q", Q))).ok();
                Map<String, Object> one = call(s, map("cmd", 1, "schema", "T", "key", 1)).ok().record();
                assertArrayEquals(V, floats(one.get("v")));
                assertArrayEquals(floats(call(s, map("cmd", 1, "schema", "T", "key", 9)).ok().record().get("q")),
                        floats(one.get("q")));
                assertArrayEquals(V, floats(call(s, map("cmd", 1, "schema", "T", "key", 2)).ok().record().get("v")));

                Msg.Resp bad = call(s, map("cmd", 3, "schema", "T", "record", map("id", 4, "v", new byte[5])));
                bad.fails(Status.INVALID_COMMAND);
                assertTrue(bad.error().contains("field v (f32vec): 5 bytes are not a whole number of float32s"),
                        bad.error());
                call(s, map("cmd", 3, "schema", "T", "record", map("id", 4, "q", le(Float.NaN))))
                        .fails(Status.INVALID_COMMAND);
                s.close();
            }
            // a new dispatcher has no schema cached: the first request is decoded without the schema
            try (CommandDispatcher d = new CommandDispatcher(db)) {
                Session s = d.openSession();
                call(s, map("cmd", 3, "schema", "T", "record", map("id", 5, "v", le(V)))).ok();
                assertArrayEquals(V, floats(call(s, map("cmd", 1, "schema", "T", "key", 5)).ok().record().get("v")));
                s.close();
            }
        }
    }

    @Test
    void helloRefusesWhatItDoesNotKnow() {
        try (Database db = open("refuse.db"); CommandDispatcher d = new CommandDispatcher(db)) {
            Session s = d.openSession();
            Msg.Resp r = call(s, map("cmd", 0x31, "vectors", "floats")).fails(Status.INVALID_COMMAND);
            assertTrue(r.error().contains("vectors must be \"array\" or \"bin\""), r.error());
            call(s, map("cmd", 0x31, "vectors", 1)).fails(Status.INVALID_COMMAND);
            call(s, map("cmd", 0x31, "vector", "bin")).fails(Status.INVALID_COMMAND);
            assertEquals(Map.of("vectors", "array"), call(s, map("cmd", 0x31)).ok().data());   // nothing changed
            s.close();
        }
    }

    /** Hello changes no data: a connection may send it before Auth; nothing else passes before Auth. */
    @Test
    void helloMayComeBeforeAuth() {
        try (Database db = open("auth.db"); CommandDispatcher d = new CommandDispatcher(db, Limits.defaults(), "tok")) {
            Session setup = d.openSession();
            call(setup, map("cmd", 0x30, "token", "tok")).ok();
            call(setup, map("cmd", 0x20, "schema", "T", "fields", FIELDS)).ok();
            call(setup, map("cmd", 3, "schema", "T", "record", map("id", 1, "v", V))).ok();

            Session s = d.openSession();
            assertEquals(Map.of("vectors", "bin"), call(s, map("cmd", 0x31, "vectors", "bin")).ok().data());
            assertFalse(s.closeRequested());
            call(s, map("cmd", 0x30, "token", "tok")).ok();
            assertArrayEquals(le(V), (byte[]) call(s, map("cmd", 1, "schema", "T", "key", 1)).ok().record().get("v"));
            assertEquals(Map.of("vectors", "bin"), call(s, map("cmd", 0x31)).ok().data());    // after Auth too

            Session stranger = d.openSession();
            call(stranger, map("cmd", 0x31, "vectors", "bin")).ok();
            call(stranger, map("cmd", 1, "schema", "T", "key", 1)).fails(Status.UNAUTHORIZED);
            assertTrue(stranger.closeRequested());
            setup.close();
            s.close();
            stranger.close();
        }
    }
}

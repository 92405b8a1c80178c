package io.ancdb.typed;

import io.ancdb.InvalidArgumentException;
import io.ancdb.record.RecordCodec;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RecordMapperTest {
    record AgentMemory(@PrimaryKey(snowflake = true) long id, @Indexed long timestamp, @Compressed String content,
                       float[] embedding, @Indexed List<String> tags) {
    }

    @Table(name = "QMemory")
    record QuantizedMemory(@PrimaryKey(snowflake = true) long id, String content, @Quantized float[] embedding) {
    }

    @CompositeIndex(fields = {"owner", "size"})
    @CompositeIndex(fields = {"flag", "ratio"})
    record AllTypes(@PrimaryKey String path, int size, short small, Integer boxedInt, double ratio, float f,
                    Float boxedF, boolean flag, Boolean boxedFlag, @Indexed String owner, byte[] data,
                    @Compressed byte[] blob, Long boxedLong) {
    }

    record NoKey(String name, int count) {
    }

    record BadType(Map<String, String> m) {
    }

    record BadList(List<Integer> l) {
    }

    record BadQuantized(@Quantized double[] v) {
    }

    record BadSnowflake(@PrimaryKey(snowflake = true) String k) {
    }

    record BadCompressed(@Compressed long n) {
    }

    @CompositeIndex(fields = {"a", "missing"})
    record BadComposite(int a) {
    }

    static float[] randomVector(Random r, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) r.nextGaussian() * 0.1f;
        }
        return v;
    }

    @Test
    void agentMemoryDefinition() {
        RecordMapper<AgentMemory> m = RecordMapper.of(AgentMemory.class);
        assertSame(m, RecordMapper.of(AgentMemory.class));          // cached
        assertEquals("AgentMemory(id u64 pk, timestamp i64 indexed, content str compressed, embedding f32vec,"
                + " tags strlist indexed)", m.definition().describe());
        assertEquals(RecordDefinitionTest.agentMemory(), m.definition());
        assertFalse(m.implicitKey());
        assertTrue(m.definition().generatedKey());
        assertEquals(AgentMemory.class, m.type());
    }

    @Test
    void agentMemoryRoundTripWith768Dims() {
        RecordMapper<AgentMemory> m = RecordMapper.of(AgentMemory.class);
        Random r = new Random(5);
        String content = "remember: the user prefers \"dark mode\"\n".repeat(50);
        AgentMemory a = new AgentMemory(123456789L, 1_717_000_000_000L, content, randomVector(r, 768),
                List.of("pref", "ui \"quoted\"", "back\\slash", "line\nbreak", "\uD83D\uDE80", ""));
        Object[] stored = m.toValues(a);
        assertEquals(5, stored.length);
        assertEquals(123456789L, stored[0]);
        assertEquals(1_717_000_000_000L, stored[1]);
        assertTrue(ValueCodec.isCompressed(assertInstanceOf(byte[].class, stored[2])));
        assertEquals(768 * 4, ((byte[]) stored[3]).length);
        assertInstanceOf(String.class, stored[4]);
        // through the real record format and back
        Object[] decoded = RecordCodec.decode(RecordCodec.encode(stored));
        AgentMemory b = m.fromValues(decoded);
        assertEquals(a.id(), b.id());
        assertEquals(a.timestamp(), b.timestamp());
        assertEquals(a.content(), b.content());
        assertArrayEquals(a.embedding(), b.embedding());
        assertEquals(a.tags(), b.tags());
        // empty tags, null content / embedding
        AgentMemory e = new AgentMemory(0, 0, null, null, List.of());
        AgentMemory e2 = m.fromValues(RecordCodec.decode(RecordCodec.encode(m.toValues(e))));
        assertNull(e2.content());
        assertNull(e2.embedding());
        assertEquals(List.of(), e2.tags());
        // nulls into primitives
        AgentMemory z = m.fromValues(new Object[] {null, null, null, null, null});
        assertEquals(0L, z.id());
        assertNull(z.tags());
    }

    @Test
    void quantizedVariant() {
        RecordMapper<QuantizedMemory> m = RecordMapper.of(QuantizedMemory.class);
        assertEquals("QMemory(id u64 pk, content str, embedding i8vec)", m.definition().describe());
        Random r = new Random(9);
        for (int t = 0; t < 5; t++) {
            float[] v = randomVector(r, 768);
            Object[] stored = m.toValues(new QuantizedMemory(t, "c" + t, v));
            byte[] blob = (byte[]) stored[2];
            assertEquals(ValueCodec.Q8_HEADER + 768, blob.length);
            float scale = ValueCodec.quantizedScale(blob);
            QuantizedMemory back = m.fromValues(RecordCodec.decode(RecordCodec.encode(stored)));
            assertEquals("c" + t, back.content());
            assertEquals(768, back.embedding().length);
            for (int i = 0; i < 768; i++) {
                double err = Math.abs(v[i] - back.embedding()[i]);
                assertTrue(err <= scale / 2.0 + Math.ulp(v[i]) / 2.0, "element " + i + " error " + err);
            }
        }
    }

    @Test
    void allSupportedTypes() {
        RecordMapper<AllTypes> m = RecordMapper.of(AllTypes.class);
        RecordDefinition d = m.definition();
        assertEquals("AllTypes(path str pk, size i64, small i64, boxedInt i64, ratio f64, f f64, boxedF f64,"
                + " flag bool, boxedFlag bool, owner str indexed, data bytes, blob bytes compressed, boxedLong i64,"
                + " index(owner, size), index(flag, ratio))", d.describe());
        assertFalse(d.integerKey());
        assertEquals(List.of("AllTypes_pk", "AllTypes_owner", "AllTypes_owner_size", "AllTypes_flag_ratio"),
                d.toIndexSpecs().stream().map(i -> i.name()).toList());
        AllTypes a = new AllTypes("/a/b", 70_000, (short) -3, null, 0.25, 1.5f, null, true, null, "me",
                new byte[] {1, 2}, new byte[4096], Long.MIN_VALUE);
        Object[] stored = m.toValues(a);
        assertEquals(70_000L, stored[1]);
        assertEquals(-3L, stored[2]);
        assertEquals(1.5, stored[5]);
        assertEquals(1L, stored[7]);
        AllTypes b = m.fromValues(RecordCodec.decode(RecordCodec.encode(stored)));
        assertEquals(a.path(), b.path());
        assertEquals(a.size(), b.size());
        assertEquals(a.small(), b.small());
        assertNull(b.boxedInt());
        assertEquals(a.ratio(), b.ratio());
        assertEquals(a.f(), b.f());
        assertNull(b.boxedF());
        assertTrue(b.flag());
        assertNull(b.boxedFlag());
        assertEquals("me", b.owner());
        assertArrayEquals(a.data(), b.data());
        assertArrayEquals(a.blob(), b.blob());
        assertEquals(Long.MIN_VALUE, b.boxedLong());
        // an int component cannot hold a stored value beyond int
        Object[] tooBig = stored.clone();
        tooBig[1] = 1L << 40;
        assertTrue(assertThrows(InvalidArgumentException.class, () -> m.fromValues(tooBig)).getMessage()
                .contains("does not fit an int"));
        assertThrows(InvalidArgumentException.class, () -> m.fromValues(new Object[3]));
    }

    @Test
    void recordWithoutKeyGetsImplicitId() {
        RecordMapper<NoKey> m = RecordMapper.of(NoKey.class);
        assertTrue(m.implicitKey());
        assertEquals("NoKey(id u64 pk, name str, count i64)", m.definition().describe());
        Object[] stored = m.toValues(new NoKey("n", 4));
        assertEquals(3, stored.length);
        assertNull(stored[0]);                                     // generated by the writer
        assertEquals("n", stored[1]);
        assertEquals(4L, stored[2]);
        stored[0] = 77L;
        assertEquals(new NoKey("n", 4), m.fromValues(stored));
    }

    @Test
    void unsupportedDeclarationsAreRejectedWithTheirName() {
        String e1 = assertThrows(InvalidArgumentException.class, () -> RecordMapper.of(BadType.class)).getMessage();
        assertTrue(e1.contains("BadType.m") && e1.contains("java.util.Map<java.lang.String, java.lang.String>"), e1);
        String e2 = assertThrows(InvalidArgumentException.class, () -> RecordMapper.of(BadList.class)).getMessage();
        assertTrue(e2.contains("BadList.l") && e2.contains("List<java.lang.Integer>"), e2);
        assertTrue(assertThrows(InvalidArgumentException.class, () -> RecordMapper.of(BadQuantized.class))
                .getMessage().contains("only float[]"));
        assertTrue(assertThrows(InvalidArgumentException.class, () -> RecordMapper.of(BadSnowflake.class))
                .getMessage().contains("long or Long"));
        String e5 = assertThrows(InvalidArgumentException.class, () -> RecordMapper.of(BadCompressed.class))
                .getMessage();
        assertTrue(e5.contains("BadCompressed.n") && e5.contains("only str and bytes"), e5);
        assertTrue(assertThrows(InvalidArgumentException.class, () -> RecordMapper.of(BadComposite.class))
                .getMessage().contains("unknown field missing"));
        @SuppressWarnings({"unchecked", "rawtypes"})
        Class<Record> notRecord = (Class) String.class;
        assertThrows(InvalidArgumentException.class, () -> RecordMapper.of(notRecord));
    }

    @Test
    void wrongStoredTypeNamesTheField() {
        RecordMapper<AgentMemory> m = RecordMapper.of(AgentMemory.class);
        Object[] stored = {1L, "yesterday", null, null, null};
        assertTrue(assertThrows(io.ancdb.CorruptionException.class, () -> m.fromValues(stored)).getMessage()
                .contains("timestamp"));
    }
}

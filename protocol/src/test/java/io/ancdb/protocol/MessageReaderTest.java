package io.ancdb.protocol;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static io.ancdb.protocol.Msg.map;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** MessageReader: exact message boundaries on any chunking, and refusal of broken or oversized streams. */
class MessageReaderTest {
    /** Hands out at most {@code chunk} bytes per read. */
    static final class Trickle extends InputStream {
        private final byte[] data;
        private final int chunk;
        private int pos;

        Trickle(byte[] data, int chunk) {
            this.data = data;
            this.chunk = chunk;
        }

        @Override
        public int read() {
            return pos < data.length ? data[pos++] & 0xff : -1;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (pos >= data.length) {
                return -1;
            }
            int n = Math.min(Math.min(len, chunk), data.length - pos);
            System.arraycopy(data, pos, b, off, n);
            pos += n;
            return n;
        }
    }

    /** Gives {@code prefix}, then fails the test if read further. */
    static InputStream thenNothing(byte[] prefix) {
        return new SequenceInputStream(new ByteArrayInputStream(prefix), new InputStream() {
            @Override
            public int read() {
                throw new AssertionError("read past the header that should have been refused");
            }
        });
    }

    static List<byte[]> samples() {
        List<byte[]> l = new ArrayList<>();
        l.add(Msg.pack(map("cmd", 1, "schema", "AgentMemory", "key", 1234567890123456789L)));
        l.add(Msg.pack(List.of(2, "T", map("range", map("start", -5, "end", 3.25), "order", "desc"))));
        l.add(Msg.pack(5));
        l.add(Msg.pack(null));
        l.add(Msg.pack(true));
        l.add(Msg.pack(-33));
        l.add(Msg.pack(BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE)));
        l.add(Msg.pack(Long.MIN_VALUE));
        l.add(Msg.pack(1.5f));
        l.add(Msg.pack(2.5));
        l.add(Msg.pack(""));
        l.add(Msg.pack("x".repeat(40)));
        l.add(Msg.pack("y".repeat(300)));
        l.add(Msg.pack("z".repeat(70_000)));
        l.add(Msg.pack(new byte[0]));
        l.add(Msg.pack(new byte[300]));
        l.add(Msg.pack(new byte[70_000]));
        l.add(Msg.pack(new float[768]));
        l.add(Msg.pack(List.of()));
        l.add(Msg.pack(map()));
        List<Object> wide = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            wide.add(i);
        }
        l.add(Msg.pack(wide));
        l.add(Msg.pack(map("a", map("b", List.of(List.of(map("c", new byte[] {1}))), "d", List.of()))));
        for (int n : new int[] {1, 2, 4, 8, 16}) {           // fixext 1..16
            byte[] e = new byte[2 + n];
            e[0] = (byte) (0xd4 + Integer.numberOfTrailingZeros(n));
            e[1] = 5;
            l.add(e);
        }
        l.add(new byte[] {(byte) 0xc7, 3, 1, 9, 9, 9});       // ext8
        l.add(new byte[] {(byte) 0xc8, 0, 2, 1, 9, 9});       // ext16
        l.add(new byte[] {(byte) 0xc9, 0, 0, 0, 1, 1, 9});    // ext32
        l.add(new byte[] {(byte) 0xdc, 0, 2, 1, 2});          // array16
        l.add(new byte[] {(byte) 0xdd, 0, 0, 0, 1, (byte) 0xc0});   // array32
        l.add(new byte[] {(byte) 0xde, 0, 1, (byte) 0xa1, 'k', 3}); // map16
        l.add(new byte[] {(byte) 0xdf, 0, 0, 0, 1, 1, 2});     // map32
        l.add(new byte[] {(byte) 0xda, 0, 1, 'a'});            // str16
        l.add(new byte[] {(byte) 0xdb, 0, 0, 0, 1, 'a'});      // str32
        l.add(new byte[] {(byte) 0xc5, 0, 1, 7});              // bin16
        l.add(new byte[] {(byte) 0xc6, 0, 0, 0, 1, 7});        // bin32
        return l;
    }

    static byte[] concat(List<byte[]> parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    @Test
    void splitsAStreamExactlyWhateverTheChunking() throws IOException {
        List<byte[]> msgs = samples();
        byte[] all = concat(msgs);
        for (int chunk : new int[] {1, 2, 3, 7, 100, 8192, 1 << 20}) {
            MessageReader r = new MessageReader(new Trickle(all, chunk), Limits.defaults());
            for (int i = 0; i < msgs.size(); i++) {
                assertArrayEquals(msgs.get(i), r.next(), "message " + i + ", chunk " + chunk);
            }
            assertNull(r.next());
            assertNull(r.next());
        }
        // random messages in random chunks
        Random rnd = new Random(7);
        List<byte[]> many = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            many.add(msgs.get(rnd.nextInt(msgs.size())));
        }
        MessageReader r = new MessageReader(new InputStream() {
            final byte[] data = concat(many);
            int pos;

            @Override
            public int read() {
                return pos < data.length ? data[pos++] & 0xff : -1;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (pos >= data.length) {
                    return -1;
                }
                int n = Math.min(1 + rnd.nextInt(5000), Math.min(len, data.length - pos));
                System.arraycopy(data, pos, b, off, n);
                pos += n;
                return n;
            }
        }, Limits.defaults());
        for (byte[] m : many) {
            assertArrayEquals(m, r.next());
        }
        assertNull(r.next());
    }

    @Test
    void aLargeMessageThenSmallOnes() throws IOException {
        byte[] big = Msg.pack(map("cmd", 4, "blob", new byte[5 << 20]));
        byte[] small = Msg.pack(map("cmd", 0x22));
        MessageReader r = new MessageReader(new Trickle(concat(List.of(small, big, small, small)), 65536),
                Limits.defaults());
        assertArrayEquals(small, r.next());
        assertArrayEquals(big, r.next());
        assertArrayEquals(small, r.next());
        assertTrue(r.hasBufferedInput());
        assertArrayEquals(small, r.next());
        assertFalse(r.hasBufferedInput());
        assertNull(r.next());
    }

    @Test
    void valuesAtTheLimitsPass() throws IOException {
        Limits l = Limits.defaults().withMaxStringBytes(10).withMaxBinaryBytes(10).withMaxArrayLength(3)
                .withMaxMapSize(16).withMaxDepth(3).withMaxMessageBytes(64);
        byte[] ok = Msg.pack(map("s", "x".repeat(10), "b", new byte[10], "a", List.of(1, 2, List.of(3))));
        MessageReader r = new MessageReader(new ByteArrayInputStream(ok), l);
        assertArrayEquals(ok, r.next());
        assertNull(r.next());
    }

    static ProtocolException refused(byte[] stream, Limits limits, int status) {
        MessageReader r = new MessageReader(thenNothing(stream), limits);
        ProtocolException e = assertThrows(ProtocolException.class, r::next);
        assertEquals(status, e.status(), e.getMessage());
        assertSame(e, assertThrows(ProtocolException.class, r::next), "a broken reader stays broken");
        return e;
    }

    @Test
    void oversizedHeadersAreRefusedBeforeAnyPayload() {
        Limits d = Limits.defaults();
        // bin32 claiming 4 GiB, alone and inside a request map
        refused(new byte[] {(byte) 0xc6, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff}, d, 7);
        refused(Msg.pack(map("cmd", 1, "schema", "T", "key",
                new Msg.Raw(new byte[] {(byte) 0xc6, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff}))), d, 7);
        // str32, ext32, array32, map32 claiming 4 G
        refused(new byte[] {(byte) 0xdb, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff}, d, 7);
        refused(new byte[] {(byte) 0xc9, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff}, d, 7);
        refused(new byte[] {(byte) 0xdd, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff}, d, 7);
        refused(new byte[] {(byte) 0xdf, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff}, d, 7);
        // within 32 bits but over the limits
        refused(new byte[] {(byte) 0xc6, 0x01, 0x00, 0x00, 0x01}, d, 7);                 // 16 MiB + 1 bin
        refused(new byte[] {(byte) 0xdd, 0x00, (byte) 0xf4, 0x24, 0x01}, d, 7);          // 1 000 001 elements
        refused(new byte[] {(byte) 0xdf, 0x00, 0x01, 0x00, 0x01}, d, 7);                 // 65 537 entries
        Limits small = d.withMaxMessageBytes(100);
        refused(new byte[] {(byte) 0xdc, 0x00, (byte) 200}, small, 7);                  // 200 elements > 100 bytes
        refused(new byte[] {(byte) 0xc5, 0x00, (byte) 100}, small, 7);
        refused(Msg.pack("x".repeat(11)), d.withMaxStringBytes(10), 7);
        refused(Msg.pack(new byte[11]), d.withMaxBinaryBytes(10), 7);
    }

    @Test
    void tooManySmallValuesExceedTheMessageLimit() throws IOException {
        byte[] stream = new byte[300];
        stream[0] = (byte) 0xdc;
        stream[1] = 0;
        stream[2] = (byte) 250;                                   // 250 fixints: 253 bytes
        MessageReader r = new MessageReader(new ByteArrayInputStream(stream), Limits.defaults().withMaxMessageBytes(200));
        assertEquals(7, assertThrows(ProtocolException.class, r::next).status());
        MessageReader ok = new MessageReader(new ByteArrayInputStream(Arrays.copyOf(stream, 253)),
                Limits.defaults().withMaxMessageBytes(253));
        assertEquals(253, ok.next().length);
    }

    @Test
    void deepNestingIsRefused() {
        byte[] deep = new byte[10_000];
        Arrays.fill(deep, (byte) 0x91);                            // [[[[...
        refused(deep, Limits.defaults(), 7);
        byte[] maps = new byte[20_000];
        for (int i = 0; i < maps.length; i += 2) {
            maps[i] = (byte) 0x81;                                 // {"": {"": ...
            maps[i + 1] = (byte) 0xa0;
        }
        refused(maps, Limits.defaults(), 7);
        // 32 levels pass, 33 do not
        byte[] ok = new byte[33];
        Arrays.fill(ok, 0, 32, (byte) 0x91);
        ok[32] = 1;
        assertArrayEquals(ok, assertDoesNotThrow(ok));
        byte[] over = new byte[34];
        Arrays.fill(over, 0, 33, (byte) 0x91);
        over[33] = 1;
        refused(over, Limits.defaults(), 7);
    }

    static byte[] assertDoesNotThrow(byte[] stream) {
        try {
            return new MessageReader(new ByteArrayInputStream(stream), Limits.defaults()).next();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void brokenStreams() throws IOException {
        // the reserved byte
        refused(new byte[] {(byte) 0xc1}, Limits.defaults(), 1);
        refused(new byte[] {(byte) 0x92, 1, (byte) 0xc1}, Limits.defaults(), 1);
        // truncated at EOF: every proper prefix of a message
        byte[] m = Msg.pack(map("cmd", 3, "schema", "T", "record", map("v", new byte[40], "s", "text", "n", 1.5)));
        for (int cut = 1; cut < m.length; cut++) {
            MessageReader r = new MessageReader(new ByteArrayInputStream(m, 0, cut), Limits.defaults());
            ProtocolException e = assertThrows(ProtocolException.class, r::next, "cut at " + cut);
            assertEquals(1, e.status());
        }
        // a complete message, then a truncated one: the first comes out whole
        MessageReader r = new MessageReader(new ByteArrayInputStream(concat(List.of(m, Arrays.copyOf(m, 5)))),
                Limits.defaults());
        assertArrayEquals(m, r.next());
        assertEquals(1, assertThrows(ProtocolException.class, r::next).status());
        // a length within the limits but never delivered
        MessageReader never = new MessageReader(new ByteArrayInputStream(new byte[] {(byte) 0xc6, 0x00, (byte) 0xa0, 0, 0,
            1, 2, 3}), Limits.defaults());
        assertEquals(1, assertThrows(ProtocolException.class, never::next).status());
        // empty stream
        assertNull(new MessageReader(new ByteArrayInputStream(new byte[0]), Limits.defaults()).next());
    }

    @Test
    void garbageNeverHangsOrOverflows() throws IOException {
        Random rnd = new Random(11);
        Limits l = Limits.defaults().withMaxMessageBytes(1 << 16);
        for (int i = 0; i < 2000; i++) {
            byte[] g = new byte[1 + rnd.nextInt(200)];
            rnd.nextBytes(g);
            MessageReader r = new MessageReader(new ByteArrayInputStream(g), l);
            int total = 0;
            try {
                byte[] msg;
                while ((msg = r.next()) != null) {
                    total += msg.length;
                }
                assertEquals(g.length, total, "messages cover the stream exactly");
            } catch (ProtocolException e) {
                assertTrue(e.status() == 1 || e.status() == 7, e.getMessage());
                assertTrue(total <= g.length);
            }
        }
    }
}

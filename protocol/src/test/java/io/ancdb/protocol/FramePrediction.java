package io.ancdb.protocol;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * What the server will make of bytes sent on a connection that sits between
 * messages: it splits them with the same {@link MessageReader} and limits as
 * the server, so the fuzzer knows exactly how many responses to expect and
 * whether the server must close the connection afterwards.
 *
 * @param messages     complete messages the bytes hold (each gets one response)
 * @param ending       how the bytes end
 * @param brokenStatus for {@link Ending#BROKEN}: the status of the error response before the close
 */
record FramePrediction(int messages, Ending ending, int brokenStatus) {
    enum Ending {
        /** At a message boundary: the connection stays open. */
        CLEAN,
        /** A limit or the reserved byte: one more (error) response, then the server closes. */
        BROKEN,
        /** Inside a message: the server waits for the rest; after a half-close, one error response and a close. */
        TRUNCATED
    }

    static FramePrediction of(byte[] bytes, Limits limits) {
        MessageReader reader = new MessageReader(new ByteArrayInputStream(bytes), limits);
        int n = 0;
        try {
            while (reader.next() != null) {
                n++;
            }
            return new FramePrediction(n, Ending.CLEAN, 0);
        } catch (ProtocolException e) {
            boolean truncated = e.getMessage().startsWith("truncated message");
            return new FramePrediction(n, truncated ? Ending.TRUNCATED : Ending.BROKEN, e.status());
        } catch (IOException e) {
            throw new UncheckedIOException(e);   // a byte array does not fail
        }
    }

    /** Responses the server sends for these bytes (after a half-close, for TRUNCATED). */
    int responses() {
        return ending == Ending.CLEAN ? messages : messages + 1;
    }

    boolean serverCloses() {
        return ending != Ending.CLEAN;
    }
}

package io.ancdb.protocol;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * An unexpected throwable (a bug) is answered status 100 with a message that
 * names neither its class nor anything it carries: found by the network
 * fuzzer's error audit, which saw "internal error (NoClassDefFoundError)".
 */
class InternalErrorMessageTest {
    @Test
    void aBugIsAnsweredWithoutItsClassOrDetails() {
        WireErrorAudit audit = new WireErrorAudit(List.of("/srv/secret"));
        for (Throwable bug : List.of(new IllegalStateException("state of /srv/secret/db at 0x7f3a2b1c0000"),
                new NoClassDefFoundError("io/ancdb/Foo"), new NullPointerException(),
                new ClassCastException("java.lang.String cannot be cast to java.lang.Long"))) {
            int status = ErrorMapping.statusOf(bug);
            assertEquals(Status.INTERNAL, status, bug.toString());
            String message = ErrorMapping.messageOf(bug);
            assertNull(audit.check(message), message);
            assertEquals("internal error (a bug: the server's standard error has the details)", message);
        }
    }
}

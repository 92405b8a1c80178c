package io.ancdb.protocol;

import io.ancdb.ErrorCode;
import io.ancdb.SchemaNotFoundException;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Error messages on the wire carry no paths, addresses or Java class names; client strings are clipped. */
class MessagesTest {
    @Test
    void sanitize() {
        assertEquals("open failed: cannot open <path>",
                Messages.sanitize("open failed: cannot open /home/user/data/app.db"));
        assertEquals("cannot open <path>", Messages.sanitize("cannot open C:\\Users\\me\\app.db"));
        assertEquals("cannot open <path>", Messages.sanitize("cannot open ./data/app.db"));
        assertEquals("bad pointer <address>", Messages.sanitize("bad pointer 0x7f3a12bc4d00"));
        assertEquals("object Foo at rest", Messages.sanitize("object Foo@1b6d3586 at rest"));
        assertEquals("field x expects u64, got str", Messages.sanitize("field x expects u64, got java.lang.String"));
        assertEquals("got value", Messages.sanitize("got io.ancdb.internal.NativeCursor"));
        assertEquals("expects i64/u64 and a/b", Messages.sanitize("expects i64/u64 and a/b"));
        assertEquals("error", Messages.sanitize(null));
        assertEquals("error", Messages.sanitize(" "));
        String longOne = Messages.sanitize("x".repeat(10_000));
        assertEquals(Messages.MAX, longOne.length());
        assertTrue(longOne.endsWith("..."));
        assertFalse(Messages.sanitize("at /tmp/junit123/t.db-journal").contains("/tmp"));
        // clip keeps the first 80 characters and marks the cut; shorter strings pass unchanged
        assertEquals("abc" + "d".repeat(77) + "...", Messages.clip("abc" + "d".repeat(100)));
        assertEquals("x".repeat(80), Messages.clip("x".repeat(80)));
        assertEquals("x".repeat(80) + "...", Messages.clip("x".repeat(81)));
        assertEquals("short", Messages.clip("short"));
        assertEquals("null", Messages.clip(null));
    }

    @Test
    void anAncDbExceptionIsSentWithoutTheCodePrefixOfItsJavaMessage() {
        SchemaNotFoundException e = new SchemaNotFoundException("no schema named \"X\"");
        assertEquals("[2 SCHEMA_NOT_FOUND] no schema named \"X\"", e.getMessage());
        assertEquals(Status.SCHEMA_NOT_FOUND, ErrorMapping.statusOf(e));
        assertEquals("no schema named \"X\"", ErrorMapping.messageOf(e));
    }

    @Test
    void statusNamesComeFromTheErrorTable() {
        assertEquals("Success", Status.name(0));
        assertEquals("InvalidCommand", Status.name(Status.INVALID_COMMAND));
        assertEquals("LimitExceeded", Status.name(7));
        assertEquals("IO_ERROR", Status.name(101));
        assertEquals("Status99", Status.name(99));
        for (ErrorCode c : ErrorCode.values()) {
            assertEquals(c, ErrorCode.of(c.code()), "one number per code");
        }
    }
}

package io.ancdb;

import org.junit.jupiter.api.Test;

import java.lang.invoke.MethodType;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.RecordComponent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every {@code with*} method changes its own component and keeps all the others: a variant that
 * dropped one (the key, say) would silently open an encrypted file as plaintext.
 */
class DatabaseOptionsTest {
    /** An argument for each with-method, different from the base options' value. */
    private static final Map<String, Object> ARGS = Map.ofEntries(
            Map.entry("withJournalMode", DatabaseOptions.JournalMode.DELETE),
            Map.entry("withSynchronous", DatabaseOptions.Synchronous.EXTRA),
            Map.entry("withCachePages", 77),
            Map.entry("withReadOnly", false),
            Map.entry("withCreate", false),
            Map.entry("withExclusiveLocking", true),
            Map.entry("withBusyTimeout", Duration.ofMillis(1234)),
            Map.entry("withMmapSize", 4096L),
            Map.entry("withMaxReaders", 7),
            Map.entry("withVfs", "other-vfs"),
            Map.entry("withGroupCommit", true));

    @Test
    void eachWithMethodKeepsEveryOtherComponent() throws Exception {
        DatabaseKey key = DatabaseKey.raw(new byte[32]);
        // group commit off in the base: a with-method built on the constructor that defaults it
        // (on) would be caught turning it back on
        DatabaseOptions base = DatabaseOptions.defaults().withGroupCommit(false).withVfs("base-vfs").withKey(key);
        assertFalse(base.groupCommit(), "withVfs or withKey turned group commit back on");
        assertEquals("base-vfs", base.vfs());
        List<String> checked = new ArrayList<>();
        for (Method m : DatabaseOptions.class.getDeclaredMethods()) {
            if (!m.getName().startsWith("with") || !Modifier.isPublic(m.getModifiers())
                    || m.getParameterCount() != 1 || !ARGS.containsKey(m.getName())
                    || !MethodType.methodType(m.getParameterTypes()[0]).wrap().returnType()
                            .isInstance(ARGS.get(m.getName()))) {
                continue;
            }
            DatabaseOptions changed = (DatabaseOptions) m.invoke(base, ARGS.get(m.getName()));
            assertSame(key, changed.key(), m.getName() + " dropped the key");
            for (RecordComponent c : DatabaseOptions.class.getRecordComponents()) {
                Object before = c.getAccessor().invoke(base);
                Object after = c.getAccessor().invoke(changed);
                if (!Objects.equals(before, after)) {
                    assertTrue(owns(m.getName(), c.getName()), m.getName() + " changed " + c.getName());
                }
            }
            checked.add(m.getName());
        }
        assertEquals(ARGS.size(), checked.size(), "with-methods checked: " + checked);
    }

    /** The components a with-method may change (withReadOnly also clears create, as documented). */
    private static boolean owns(String method, String component) {
        String own = Character.toLowerCase(method.charAt(4)) + method.substring(5);
        return component.equals(own) || method.equals("withReadOnly") && component.equals("create");
    }
}

package io.ancdb.reliability;

import io.ancdb.bindings.internal.ancdb_h;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The native "ancdb-fault" VFS's controls (ancdb.h, "Fault injection"), for
 * tests. Open a database with {@code DatabaseOptions.withVfs(FaultVfs.NAME)}
 * after {@link #reset} (the first control call registers the VFS).
 */
final class FaultVfs {
    static final String NAME = "ancdb-fault";

    enum Kind {
        READ(ancdb_h.ANCDB_FAULT_READ), WRITE(ancdb_h.ANCDB_FAULT_WRITE), SYNC(ancdb_h.ANCDB_FAULT_SYNC),
        TRUNCATE(ancdb_h.ANCDB_FAULT_TRUNCATE), LOCK(ancdb_h.ANCDB_FAULT_LOCK);

        final int id;

        Kind(int id) {
            this.id = id;
        }
    }

    enum Action {
        IOERR(ancdb_h.ANCDB_FAULT_IOERR), FULL(ancdb_h.ANCDB_FAULT_FULL), CRASH(ancdb_h.ANCDB_FAULT_CRASH);

        final int id;

        Action(int id) {
            this.id = id;
        }
    }

    static final int BUFFER = ancdb_h.ANCDB_FAULT_BUFFER;
    static final int NOSYNC = ancdb_h.ANCDB_FAULT_NOSYNC;
    static final int TORN = ancdb_h.ANCDB_FAULT_TORN;

    private FaultVfs() {
    }

    static void reset(int flags, long seed) {
        check(ancdb_h.ancdb_fault_reset(flags, seed), "reset");
    }

    static void arm(Kind kind, long nth, Action action, boolean persistent) {
        check(ancdb_h.ancdb_fault_arm(kind.id, nth, action.id, persistent ? 1 : 0), "arm");
    }

    static void disarm() {
        check(ancdb_h.ancdb_fault_disarm(), "disarm");
    }

    /** Calls of {@code kind} since the last reset. */
    static long count(Kind kind) {
        return count(kind.id);
    }

    /** Faults injected since the last reset. */
    static long injected() {
        return count(0);
    }

    private static long count(int kind) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment out = a.allocate(ValueLayout.JAVA_LONG);
            check(ancdb_h.ancdb_fault_count(kind, out), "count");
            return out.get(ValueLayout.JAVA_LONG, 0);
        }
    }

    private static void check(int rc, String what) {
        if (rc != 0) {
            throw new IllegalStateException("ancdb_fault_" + what + " returned " + rc);
        }
    }
}

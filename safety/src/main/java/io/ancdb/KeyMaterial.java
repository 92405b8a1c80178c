package io.ancdb;

import io.ancdb.internal.NativeDb;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;

/**
 * Key bytes in native memory: a {@link DatabaseKey}'s text copied out for one
 * native call and wiped after it, and an open encrypted file's raw key,
 * exported once for its reader connections and wiped at close.
 */
final class KeyMaterial {
    // The raw key an encrypted file's reader connections open with (no key
    // derivation), in native memory only; NULL when not exported or wiped.
    private Arena keyArena;
    private MemorySegment readerKey = MemorySegment.NULL;

    /** Exports {@code writer}'s raw key with its salt, for the reader connections. */
    void exportFrom(NativeDb writer) {
        keyArena = Arena.ofShared();
        MemorySegment raw = keyArena.allocate(128);
        readerKey = raw.asSlice(0, writer.exportKey(raw));
    }

    /** Whether the raw key was exported and not yet wiped. */
    boolean exported() {
        return keyArena != null;
    }

    /** The raw key for a reader connection's open, or NULL (a plaintext file, or wiped). */
    MemorySegment segment() {
        return readerKey;
    }

    /** The exported raw key as key text characters (the caller's to wipe). */
    char[] chars() {
        return keyChars(readerKey, readerKey.byteSize());
    }

    void wipe() {
        if (keyArena != null) {
            readerKey.fill((byte) 0);
            readerKey = MemorySegment.NULL;
            keyArena.close();
            keyArena = null;
        }
    }

    /** See {@link Database#rekey}. */
    static void rekey(Path path, DatabaseKey oldKey, DatabaseKey newKey) {
        if (path == null) {
            throw new InvalidArgumentException("path is required");
        }
        try (Arena tmp = Arena.ofConfined()) {
            MemorySegment o = keySegment(tmp, oldKey);
            MemorySegment n = keySegment(tmp, newKey);
            try {
                NativeDb.rekey(path.toString(), null, o, n);
            } finally {
                o.fill((byte) 0);
                n.fill((byte) 0);
            }
        } finally {
            if (oldKey != null) {
                oldKey.close();
            }
            if (newKey != null) {
                newKey.close();
            }
        }
    }

    static char[] keyChars(MemorySegment text, long n) {
        char[] out = new char[(int) n];
        for (int i = 0; i < n; i++) {
            out[i] = (char) text.get(ValueLayout.JAVA_BYTE, i);
        }
        return out;
    }

    /** The key text in native memory of {@code arena} (the caller wipes it), or an empty segment. */
    static MemorySegment keySegment(Arena arena, DatabaseKey key) {
        if (key == null) {
            return MemorySegment.NULL;
        }
        byte[] text = key.text();
        MemorySegment k = arena.allocate(text.length);
        MemorySegment.copy(text, 0, k, ValueLayout.JAVA_BYTE, 0, text.length);
        return k;
    }
}

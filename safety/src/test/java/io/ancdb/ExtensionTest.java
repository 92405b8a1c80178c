package io.ancdb;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.reflect.Array;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

/** Database.extension: one instance per type, also when making one asks for others. */
class ExtensionTest {
    @TempDir
    Path dir;

    /** 64 distinct types to key extensions by (Object[], Object[][], ...): their identity hashes fall in every bin. */
    private static final List<Class<?>> TYPES = IntStream.rangeClosed(1, 64)
            .<Class<?>>mapToObj(d -> instance(d).getClass()).toList();

    /** An empty array of {@code depth} dimensions: an instance of the depth'th type. */
    private static Object instance(int depth) {
        return Array.newInstance(Object.class, new int[depth]);
    }

    /**
     * Making an extension that asks for another one (as the protocol's Schemas asks for the typed
     * layer's Definitions) works whichever bins the two types fall in: each of 64 types' makers
     * asks for the next type. Inside ConcurrentHashMap.computeIfAbsent this threw "Recursive
     * update" whenever two of them shared a bin.
     */
    @Test
    void anExtensionMadeWhileMakingAnotherOne() {
        try (Database db = Database.open(dir.resolve("x.db"))) {
            Object first = make(db, 0);
            assertSame(first, db.extension(cast(TYPES.getFirst()), d -> {
                throw new AssertionError("made twice");
            }));
            for (Class<?> t : TYPES) {
                assertSame(db.extension(cast(t), d -> {
                    throw new AssertionError("made twice: " + t);
                }), db.extension(cast(t), d -> null));
            }
        }
    }

    private static Object make(Database db, int i) {
        Class<Object> type = cast(TYPES.get(i));
        return db.extension(type, d -> {
            if (i + 1 < TYPES.size()) {
                make(d, i + 1);
            }
            return instance(i + 1);
        });
    }

    /** Threads asking for one type at once get one instance, made once. */
    @Test
    void oneInstancePerTypeUnderRacingThreads() throws Exception {
        try (Database db = Database.open(dir.resolve("y.db"));
             ExecutorService pool = Executors.newFixedThreadPool(8)) {
            int[] made = new int[1];
            List<Future<Object>> got = new ArrayList<>();
            for (int i = 0; i < 64; i++) {
                got.add(pool.submit(() -> db.extension(Object.class, d -> {
                    made[0]++;                      // under the extension lock
                    return new Object();
                })));
            }
            Object one = got.getFirst().get();
            for (Future<Object> f : got) {
                assertSame(one, f.get());
            }
            assertEquals(1, made[0]);
        }
    }

    @SuppressWarnings("unchecked")
    private static Class<Object> cast(Class<?> c) {
        return (Class<Object>) c;
    }
}

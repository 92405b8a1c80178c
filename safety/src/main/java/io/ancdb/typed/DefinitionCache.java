package io.ancdb.typed;

import io.ancdb.schema.DeclaredSchema;

import java.util.concurrent.ConcurrentHashMap;

/**
 * Decoded record definitions by their JSON text, for the whole process. A
 * definition never changes once committed and equal texts decode to equal
 * definitions, so a process opening many files that hold the same schemas (a
 * store of per-pair files) decodes each text once instead of at every open,
 * twice (the catalog, then the typed layer). Bounded: when
 * {@link #MAX_ENTRIES} texts are held the cache starts over. A text that does
 * not decode is never cached: it fails again, with a CorruptionException, at
 * every use.
 */
final class DefinitionCache {
    static final int MAX_ENTRIES = 256;
    private static final ConcurrentHashMap<String, Decoded> CACHE = new ConcurrentHashMap<>();

    /** A definition and what it declares in the file. */
    record Decoded(RecordDefinition definition, DeclaredSchema declared) {
    }

    private DefinitionCache() {
    }

    /**
     * The definition in {@code json}.
     *
     * @throws io.ancdb.CorruptionException when the text is not a definition
     */
    static Decoded decode(String json) {
        Decoded d = CACHE.get(json);
        if (d == null) {
            RecordDefinition def = DefinitionJson.decode(json);
            d = new Decoded(def, DeclaredSchemas.of(def));
            if (CACHE.size() >= MAX_ENTRIES) {
                CACHE.clear();
            }
            CACHE.putIfAbsent(json, d);
        }
        return d;
    }
}

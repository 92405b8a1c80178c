package io.ancdb.store;

import io.ancdb.DatabaseOptions;
import io.ancdb.KeyRange;
import io.ancdb.OnConflict;
import io.ancdb.typed.FieldDef;
import io.ancdb.typed.FieldType;
import io.ancdb.typed.RecordCursor;
import io.ancdb.typed.RecordDefinition;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** What the store tests share: a rally-style event schema and quick options. */
final class StoreFixtures {
    /** A pair's event: timestamp (indexed), kind (quote / order / answer), a body. */
    static final RecordDefinition EVENT = RecordDefinition.of("Event", FieldDef.of("ts", FieldType.I64).asIndexed(),
            FieldDef.of("kind", FieldType.STR), FieldDef.of("body", FieldType.STR));

    private StoreFixtures() {
    }

    /** Store defaults with synchronous OFF: for tests whose subject is not durability. */
    static StoreOptions quick() {
        return StoreOptions.defaults().withFileOptions(StoreOptions.defaults().fileOptions()
                .withSynchronous(DatabaseOptions.Synchronous.OFF));
    }

    /** Inserts one event; returns its generated key. */
    static long insertEvent(FileWrite w, long ts, String kind, String body) {
        return (Long) w.records("Event").insert(w.tx(), Map.of("ts", ts, "kind", kind, "body", body), OnConflict.FAIL)
                .key();
    }

    /** Every event of a file, in key order. */
    static List<Map<String, Object>> events(FileRead r) {
        List<Map<String, Object>> out = new ArrayList<>();
        try (RecordCursor<Map<String, Object>> c = r.records("Event").scan(r.tx(), KeyRange.all())) {
            c.forEachRemaining(out::add);
        }
        return out;
    }

    /** Number of events in database {@code name}. */
    static int count(Store store, String name) {
        return store.read(name, r -> events(r).size());
    }

    /** Every path below {@code root} (the test's view of what exists on disk). */
    static List<Path> tree(Path root) {
        try (Stream<Path> s = Files.walk(root)) {
            return s.sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Open descriptors of this process. */
    static long descriptors() {
        try (Stream<Path> s = Files.list(Path.of("/proc/self/fd"))) {
            return s.count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

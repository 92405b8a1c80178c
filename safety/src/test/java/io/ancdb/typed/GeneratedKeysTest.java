package io.ancdb.typed;

import io.ancdb.Database;
import io.ancdb.DatabaseOptions;
import io.ancdb.OnConflict;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Generated keys never collide (issue 10 item 5): two writers of one file
 * with the same machine id mint the same Snowflake ids in the same
 * millisecond, and a generated key must never fail, be ignored or replace an
 * existing record, whatever on_conflict says. (The two-process version is
 * {@code reliability.GeneratedKeysAcrossProcessesTest}.)
 */
class GeneratedKeysTest {
    static final RecordDefinition NOTE = RecordDefinition.of("Note", FieldDef.of("text", FieldType.STR));
    static final DatabaseOptions WAL = DatabaseOptions.defaults().withJournalMode(DatabaseOptions.JournalMode.WAL);

    @TempDir
    Path dir;

    /** Two Database objects, default generators (machine id 0, the real clock), alternating inserts. */
    @ParameterizedTest
    @EnumSource(OnConflict.class)
    void twoDatabasesOnOneFileNeverShareAKey(OnConflict onConflict) {
        Path file = dir.resolve("notes.db");
        try (Database a = Database.open(file, WAL); Database b = Database.open(file, WAL)) {
            RecordTable ta = Definitions.of(a).define(NOTE);
            RecordTable tb = Definitions.of(b).define(NOTE);
            Map<Object, String> wrote = new HashMap<>();
            for (int i = 0; i < 500; i++) {
                for (RecordTable t : List.of(ta, tb)) {
                    String text = (t == ta ? "a" : "b") + i;
                    Database db = t == ta ? a : b;
                    Inserted<Object> r = db.writeTx(tx -> t.insert(tx, Map.of("text", text), onConflict));
                    assertTrue(r.written(), text);
                    assertEquals(null, wrote.put(r.key(), text), "key " + r.key() + " given twice");
                }
            }
            a.runRead(tx -> {
                assertEquals(1000, ta.count(tx));
                wrote.forEach((k, text) -> assertEquals(text, ta.get(tx, k).get("text")));
            });
        }
    }

    /**
     * Deterministic: both generators on one frozen clock issue the very same
     * ids; the second writer's inserts and batch skip every key the first took.
     */
    @Test
    void theSameIdsFromTwoGeneratorsAreSkippedNotReplaced() {
        long t0 = Snowflake.EPOCH_MILLIS + 5_000_000L;
        Path file = dir.resolve("frozen.db");
        try (Database a = Database.open(file, WAL); Database b = Database.open(file, WAL)) {
            RecordTable ta = Definitions.withGenerator(a, new Snowflake(0, () -> t0)).define(NOTE);
            RecordTable tb = Definitions.withGenerator(b, new Snowflake(0, () -> t0)).define(NOTE);
            Set<Object> firstKeys = new HashSet<>();
            a.runWrite(tx -> {
                for (int i = 0; i < 10; i++) {
                    Inserted<Object> r = ta.insert(tx, Map.of("text", "a" + i), OnConflict.REPLACE);
                    assertEquals(Snowflake.compose(t0, 0, i), r.key());
                    firstKeys.add(r.key());
                }
            });
            List<Object> second = new ArrayList<>();
            b.runWrite(tx -> {
                for (int i = 0; i < 3; i++) {           // b's generator starts at sequence 0 too
                    second.add(tb.insert(tx, Map.of("text", "b" + i), OnConflict.REPLACE).key());
                }
                List<Map<String, Object>> batch = new ArrayList<>();
                for (int i = 3; i < 8; i++) {
                    batch.add(Map.of("text", "b" + i));
                }
                for (Inserted<Object> r : tb.insertBatch(tx, batch, OnConflict.IGNORE)) {
                    assertTrue(r.written());
                    second.add(r.key());
                }
            });
            assertEquals(8, new HashSet<>(second).size(), "distinct keys: " + second);
            for (Object k : second) {
                assertTrue(!firstKeys.contains(k), "key " + k + " was the first writer's");
            }
            a.runRead(tx -> {
                assertEquals(18, ta.count(tx));
                for (int i = 0; i < 10; i++) {
                    assertEquals("a" + i, ta.get(tx, Snowflake.compose(t0, 0, i)).get("text"));
                }
                for (int i = 0; i < 8; i++) {
                    assertEquals("b" + i, ta.get(tx, second.get(i)).get("text"));
                }
            });
        }
    }

    /** A key the caller gives is still subject to on_conflict: only generated keys are retried. */
    @Test
    void aGivenKeyFollowsOnConflict() {
        Path file = dir.resolve("given.db");
        try (Database db = Database.open(file, WAL)) {
            RecordTable t = Definitions.of(db).define(NOTE);
            long k = db.writeTx(tx -> (Long) t.insert(tx, Map.of("text", "first"), OnConflict.FAIL).key());
            assertEquals(new Inserted<Object>(k, false),
                    db.writeTx(tx -> t.insert(tx, Map.of("id", k, "text", "second"), OnConflict.IGNORE)));
            assertEquals(new Inserted<Object>(k, true),
                    db.writeTx(tx -> t.insert(tx, Map.of("id", k, "text", "third"), OnConflict.REPLACE)));
            db.runRead(tx -> {
                assertEquals(1, t.count(tx));
                assertEquals("third", t.get(tx, k).get("text"));
            });
        }
    }
}

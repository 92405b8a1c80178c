package io.ancdb;

import io.ancdb.schema.Column;
import io.ancdb.schema.SqlType;
import io.ancdb.schema.TableSpec;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A read transaction reuses the native snapshot the previous one left open:
 * under exclusive locking on the writer connection (see Database.lingerReads),
 * in WAL mode under normal locking on a reader connection while nothing
 * committed (see ReaderPool). Every read must still see every write committed
 * before it began: single-threaded alternation, schema changes, rollbacks,
 * and a reader racing a writer; the file the shell reads afterwards holds
 * exactly the last committed state.
 */
class SnapshotReuseTest {
    @TempDir
    Path dir;

    static Stream<Arguments> modes() {
        DatabaseOptions d = DatabaseOptions.defaults();
        return Stream.of(
                Arguments.of("DELETE, exclusive", d.withJournalMode(DatabaseOptions.JournalMode.DELETE).withExclusiveLocking(true)),
                Arguments.of("WAL, exclusive", d.withJournalMode(DatabaseOptions.JournalMode.WAL).withExclusiveLocking(true)),
                Arguments.of("WAL, normal locking", d.withJournalMode(DatabaseOptions.JournalMode.WAL)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("modes")
    void everyReadSeesTheLastCommit(String mode, DatabaseOptions options) {
        Path file = dir.resolve("alt.db");
        try (Database db = Database.open(file, options)) {
            db.runWrite(tx -> tx.createTable(TableSpec.of("t", Column.rowid("id"), Column.of("v", SqlType.INTEGER))));
            for (int i = 1; i <= 200; i++) {
                long k = 1 + i % 17;
                long v = i;
                db.runWrite(tx -> tx.put("t", k, null, v));
                try (ReadTx tx = db.beginRead()) {
                    assertEquals(v, tx.get("t", k).values()[1], "get after write " + v);
                    assertEquals(Math.min(i, 17), tx.count("t"));
                    try (RowCursor c = tx.scan("t", KeyRange.all().from(k).to(k))) {
                        assertEquals(v, c.next().values()[1], "scan after write " + v);
                    }
                }
                if (i % 50 == 0) {                      // a rolled-back write changes nothing
                    try (WriteTx tx = db.beginWrite()) {
                        tx.put("t", k, null, -1L);
                    }
                    assertEquals((Object) v, db.readTx(tx -> tx.get("t", k).values()[1]));
                }
                if (i % 100 == 0) {                     // a schema change is seen by the next read
                    String name = "u" + i;
                    db.runWrite(tx -> tx.createTable(TableSpec.of(name, Column.rowid("id"))));
                    assertEquals(0L, (long) db.readTx(tx -> tx.count(name)));
                }
            }
        }
        assertEquals("17|200", SqliteShell.run(file, "SELECT count(*), max(v) FROM t").trim());
        assertEquals("ok", SqliteShell.run(file, "PRAGMA integrity_check").trim());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("modes")
    void aReaderRacingAWriterNeverGoesBack(String mode, DatabaseOptions options) throws Exception {
        Path file = dir.resolve("race.db");
        int writes = 250;
        try (Database db = Database.open(file, options)) {
            db.runWrite(tx -> {
                tx.createTable(TableSpec.of("c", Column.rowid("id"), Column.of("a", SqlType.INTEGER),
                        Column.of("b", SqlType.INTEGER)));
                tx.insert("c", 1L, new Object[] {null, 0L, 0L}, OnConflict.FAIL);
            });
            AtomicLong committed = new AtomicLong();
            AtomicReference<Throwable> failure = new AtomicReference<>();
            Thread writer = Thread.ofPlatform().start(() -> {
                try {
                    for (long i = 1; i <= writes; i++) {
                        long n = i;
                        db.runWrite(tx -> tx.update("c", 1L, new Object[] {null, n, n}));   // a and b move together
                        committed.set(n);
                    }
                } catch (Throwable t) {
                    failure.set(t);
                }
            });
            long last = 0;
            while (writer.isAlive() || last < writes) {
                long floor = committed.get();           // committed before this read began
                try (ReadTx tx = db.beginRead()) {
                    Object[] row = tx.get("c", 1L).values();
                    long a = (Long) row[1];
                    assertEquals(a, (long) (Long) row[2], "a torn row");
                    assertTrue(a >= floor, "read " + a + " after commit " + floor + " had returned");
                    assertTrue(a >= last, "went back from " + last + " to " + a);
                    assertArrayEquals(row, tx.get("c", 1L).values(), "one transaction, two answers");
                    last = a;
                }
                if (failure.get() != null) {
                    break;
                }
            }
            writer.join();
            assertNull(failure.get());
            assertEquals(writes, last);
        }
    }
}

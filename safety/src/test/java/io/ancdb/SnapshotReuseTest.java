package io.ancdb;

import io.ancdb.schema.Column;
import io.ancdb.schema.SqlType;
import io.ancdb.schema.TableSpec;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Under exclusive locking a read transaction reuses the native snapshot the
 * previous one left open (see Database.lingerReads). Every read must still see
 * every write committed before it began: single-threaded alternation, schema
 * changes, rollbacks, and a reader racing a writer; the file the shell reads
 * afterwards holds exactly the last committed state.
 */
class SnapshotReuseTest {
    @TempDir
    Path dir;

    private static DatabaseOptions exclusive(DatabaseOptions.JournalMode mode) {
        return DatabaseOptions.defaults().withJournalMode(mode).withExclusiveLocking(true);
    }

    @ParameterizedTest
    @EnumSource(DatabaseOptions.JournalMode.class)
    void everyReadSeesTheLastCommit(DatabaseOptions.JournalMode mode) {
        Path file = dir.resolve("alt-" + mode + ".db");
        try (Database db = Database.open(file, exclusive(mode))) {
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

    @ParameterizedTest
    @EnumSource(DatabaseOptions.JournalMode.class)
    void aReaderRacingAWriterNeverGoesBack(DatabaseOptions.JournalMode mode) throws Exception {
        Path file = dir.resolve("race-" + mode + ".db");
        int writes = 250;
        try (Database db = Database.open(file, exclusive(mode))) {
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

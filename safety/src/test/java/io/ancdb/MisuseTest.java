package io.ancdb;

import io.ancdb.schema.Column;
import io.ancdb.schema.SqlType;
import io.ancdb.schema.TableSpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The safe layer turns every misuse into a typed exception with its code
 * (never a crash, a hang or a corrupt file), and leaves the database usable.
 */
class MisuseTest {
    @TempDir
    Path dir;

    private Path file;
    private Database db;

    @BeforeEach
    void setUp() {
        file = dir.resolve("misuse.db");
        db = Database.open(file);
        db.runWrite(tx -> {
            tx.createTable(TableSpec.of("t", Column.rowid("id"), Column.of("name", SqlType.TEXT),
                    new Column("n", "INTEGER", false, true)));
            tx.insert("t", 1L, "one", 1L);
            tx.insert("t", 2L, "two", 2L);
        });
    }

    @AfterEach
    void tearDown() {
        db.close();
    }

    private void reopen(DatabaseOptions.JournalMode mode) {
        db.close();
        db = Database.open(file, DatabaseOptions.defaults().withJournalMode(mode));
    }

    // --- database life cycle -------------------------------------------------------------------

    @Test
    void doubleCloseIsHarmless() {
        db.close();
        assertTrue(db.isClosed());
        assertDoesNotThrow(() -> db.close());
        assertTrue(db.isClosed());
        try (Database again = Database.open(file)) {
            assertEquals(2L, count(again));
        }
    }

    @Test
    void useAfterCloseIsClosedException() {
        db.close();
        assertClosed(() -> db.beginRead());
        assertClosed(() -> db.beginWrite());
        assertClosed(() -> count(db));
        assertClosed(() -> db.runWrite(tx -> tx.insert("t", 3L, "three", 3L)));
        assertClosed(() -> db.integrityCheck());
        // The file is intact.
        try (Database again = Database.open(file)) {
            assertEquals(2L, count(again));
        }
    }

    @Test
    void closingRollsBackThisThreadsOpenWriteTransaction() {
        WriteTx tx = db.beginWrite();
        tx.insert("t", 3L, "three", 3L);
        db.close();
        assertFalse(tx.isOpen());
        assertClosed(() -> tx.insert("t", 4L, "four", 4L));
        assertDoesNotThrow(tx::close);
        try (Database again = Database.open(file)) {
            assertNull(again.readTx(r -> r.get("t", 3)));
            assertEquals("", again.integrityCheck());
        }
    }

    // --- transactions after their end ---------------------------------------------------------------

    @Test
    void transactionUsedAfterCommitIsClosedException() {
        WriteTx w = db.beginWrite();
        w.insert("t", 3L, "three", 3L);
        w.commit();
        assertFalse(w.isOpen());
        assertClosed(() -> w.insert("t", 4L, "four", 4L));
        assertClosed(() -> w.get("t", 1));
        assertClosed(() -> w.commit());
        assertClosed(() -> w.rollback());
        assertClosed(() -> w.savepoint("s"));
        assertDoesNotThrow(w::close);                   // closing an ended transaction is a no-op

        WriteTx r = db.beginWrite();
        r.insert("t", 5L, "five", 5L);
        r.rollback();
        assertClosed(() -> r.count("t"));
        assertClosed(() -> r.delete("t", 1));

        ReadTx read = db.beginRead();
        assertEquals(3, read.count("t"));
        read.close();
        assertFalse(read.isOpen());
        assertClosed(() -> read.get("t", 1));
        assertClosed(() -> read.scan("t"));
        assertClosed(() -> read.catalog());
        assertDoesNotThrow(read::close);

        assertEquals(3L, count(db));
        assertNull(db.readTx(tx -> tx.get("t", 5)));
    }

    @Test
    void rowCursorAfterItsTransactionEndedIsClosedException() {
        ReadTx tx = db.beginRead();
        RowCursor untouched = tx.scan("t");
        RowCursor started = tx.scan("t");
        assertTrue(started.hasNext());                  // one row already fetched
        assertEquals(1, started.next().rowid());
        tx.close();
        assertClosed(untouched::hasNext);
        assertClosed(untouched::next);
        assertClosed(started::hasNext);
        assertClosed(started::next);
        assertDoesNotThrow(started::close);

        WriteTx w = db.beginWrite();
        RowCursor wc = w.scan("t", 1, 2, true);
        assertEquals(2, wc.next().rowid());
        w.commit();
        assertClosed(wc::hasNext);

        // A cursor that ran to its end simply stays exhausted.
        ReadTx tx2 = db.beginRead();
        RowCursor done = tx2.scan("t");
        assertEquals(2, countRemaining(done));
        tx2.close();
        assertFalse(done.hasNext());
    }

    @Test
    void rowCursorIsInvalidatedBySavepointRollback() {
        WriteTx w = db.beginWrite();
        try {
            w.savepoint("sp");
            RowCursor c = w.scan("t");
            assertTrue(c.hasNext());
            w.rollbackTo("sp");
            assertClosed(c::hasNext);
            assertEquals(2, countRemaining(w.scan("t")));     // a new cursor works
        } finally {
            w.close();
        }
    }

    // --- locks and threads ------------------------------------------------------------------------

    /** In DELETE mode a reader's lock would deadlock the same thread's writer: refused. */
    @Test
    void beginWriteWhileHoldingAReadIsMisuseInDeleteMode() {
        reopen(DatabaseOptions.JournalMode.DELETE);
        try (ReadTx read = db.beginRead()) {
            MisuseException e = assertThrows(MisuseException.class, db::beginWrite);
            assertEquals(108, e.code());
            assertThrows(MisuseException.class, () -> db.runWrite(tx -> tx.insert("t", 9L, "x", 9L)));
            assertEquals(2, read.count("t"));                 // the read is unharmed
        }
        try (WriteTx w = db.beginWrite()) {
            assertEquals(108, assertThrows(MisuseException.class, db::beginWrite).code());
            assertEquals(108, assertThrows(MisuseException.class, db::beginRead).code());
            w.insert("t", 3L, "three", 3L);
            w.commit();
        }
        assertEquals(3L, count(db));
    }

    @Test
    void transactionUsedFromAnotherThreadIsMisuse() throws Exception {
        ReadTx read = db.beginRead();
        RowCursor cur = read.scan("t");
        assertEquals(108, otherThread(() -> read.get("t", 1)).code());
        assertEquals(108, otherThread(() -> read.count("t")).code());
        assertEquals(108, otherThread(read::close).code());
        assertEquals(108, otherThread(cur::hasNext).code());
        assertTrue(read.isOpen(), "a refused close from another thread leaves it open");
        assertEquals(2, countRemaining(cur));
        read.close();

        WriteTx w = db.beginWrite();
        assertEquals(108, otherThread(() -> w.insert("t", 3L, "three", 3L)).code());
        assertEquals(108, otherThread(w::commit).code());
        assertEquals(108, otherThread(w::rollback).code());
        assertEquals(108, otherThread(() -> w.savepoint("x")).code());
        assertTrue(w.isOpen());
        w.insert("t", 4L, "four", 4L);
        w.commit();
        assertEquals(new Row(4, new Object[] {4L, "four", 4L}), db.readTx(tx -> tx.get("t", 4)));
    }

    /** WAL (the default): a read holds no lock, so the same thread may write beside it. */
    @Test
    void beginWriteWhileHoldingAReadWorksInWalMode() {
        reopen(DatabaseOptions.JournalMode.WAL);
        try (ReadTx read = db.beginRead()) {
            try (WriteTx w = db.beginWrite()) {
                w.insert("t", 3L, "three", 3L);
                w.commit();
            }
            assertEquals(2, read.count("t"), "the read keeps its snapshot");
            assertEquals(108, assertThrows(MisuseException.class, db::close).code(), "its own read is still open");
        }
        assertEquals(3L, count(db));
    }

    @Test
    void otherThreadsWaitForTheWriterInsteadOfFailingInDeleteMode() throws Exception {
        reopen(DatabaseOptions.JournalMode.DELETE);
        WriteTx w = db.beginWrite();
        w.insert("t", 3L, "three", 3L);
        CompletableFuture<Long> reader = CompletableFuture.supplyAsync(() -> count(db),
                r -> new Thread(r, "reader").start());
        Thread.sleep(50);
        assertFalse(reader.isDone(), "a READ_COMMITTED reader waits for this process's writer");
        w.commit();
        assertEquals(3L, reader.get(30, TimeUnit.SECONDS));
    }

    /** WAL (the default): a READ_COMMITTED reader does not wait for the open write; it reads the last commit. */
    @Test
    void readersDoNotWaitForTheWriterInWalMode() throws Exception {
        reopen(DatabaseOptions.JournalMode.WAL);
        try (WriteTx w = db.beginWrite()) {
            w.insert("t", 3L, "three", 3L);
            CompletableFuture<Long> reader = CompletableFuture.supplyAsync(() -> count(db),
                    r -> new Thread(r, "reader").start());
            assertEquals(2L, reader.get(30, TimeUnit.SECONDS), "read beside the open write, without its row");
            assertTrue(w.isOpen());
            w.commit();
        }
        assertEquals(3L, count(db));
    }

    // --- bad arguments ------------------------------------------------------------------------------

    @Test
    void wrongArityAndUnsupportedValuesAreInvalidArgument() {
        db.runWrite(tx -> {
            assertInvalid(() -> tx.insert("t", 3L, "three"));                       // 2 of 3 columns
            assertInvalid(() -> tx.insert("t", 3L, "three", 3L, "extra"));
            assertInvalid(() -> tx.insert("t"));
            assertInvalid(() -> tx.insert("t", 3, new Object[] {null, "x"}, OnConflict.FAIL));
            assertInvalid(() -> tx.insert("t", 3, null, OnConflict.FAIL));
            assertInvalid(() -> tx.put("t", 3, "three", 3L));
            assertInvalid(() -> tx.insert("t", 3L, new java.util.Date(), 3L));      // unsupported value types
            assertInvalid(() -> tx.insert("t", 3L, new Object(), 3L));
            assertInvalid(() -> tx.insert("t", 3L, java.util.UUID.randomUUID(), 3L));
            assertInvalid(() -> tx.insert("t", 3L, 'c', 3L));
            assertInvalid(() -> tx.insert("t", 3L, List.of(1), 3L));
            assertInvalid(() -> tx.insert("t", "3", "three", 3L));                   // INTEGER PRIMARY KEY must be an integer
            assertInvalid(() -> tx.insert("t", 3.5, "three", 3L));
            assertInvalid(() -> tx.insert("t", 7, new Object[] {8L, "x", 1L}, OnConflict.FAIL)); // alias != rowid
            assertInvalid(() -> tx.createTable(TableSpec.of("sqlite_mine", Column.of("a", SqlType.TEXT))));
            ConstraintViolationException notNull = assertThrows(ConstraintViolationException.class,
                    () -> tx.insert("t", 3L, "three", null));
            assertEquals(4, notNull.code());
            assertThrows(ConstraintViolationException.class,
                    () -> tx.createTable(TableSpec.of("T", Column.of("a", SqlType.TEXT))), "names are case-insensitive");
            // Nothing was written, and the transaction is still usable.
            assertEquals(2, tx.count("t"));
            tx.insert("t", 3L, "three", 3L);
        });
        assertEquals(3L, count(db));
        assertInvalid(() -> TableSpec.of("x", Column.of("a", SqlType.TEXT), Column.of("A", SqlType.TEXT)));
        assertInvalid(() -> Column.of("bad\nname", SqlType.TEXT));
        assertInvalid(() -> DatabaseOptions.defaults().withMaxReaders(0));
        assertInvalid(() -> Database.create(file, DatabaseOptions.defaults()));      // exists already
        assertInvalid(() -> Database.open(null));
    }

    @Test
    void nullValueArrayIsInvalidArgument() {
        db.runWrite(tx -> assertInvalid(() -> tx.insert("t", (Object[]) null)));
    }

    @Test
    void missingTableIsSchemaNotFound() {
        db.runWrite(tx -> {
            assertSchemaNotFound(() -> tx.insert("nope", 1L, "x"));
            assertSchemaNotFound(() -> tx.put("nope", 1L, "x"));
            assertSchemaNotFound(() -> tx.delete("nope", 1));
            assertSchemaNotFound(() -> tx.get("nope", 1));
            assertSchemaNotFound(() -> tx.count("nope"));
            assertSchemaNotFound(() -> tx.scan("nope"));
            assertSchemaNotFound(() -> tx.scan("t", KeyRange.onField("no_such_index")));
            assertSchemaNotFound(() -> tx.table("nope"));
            tx.insert("t", 3L, "three", 3L);              // still usable
        });
        db.runRead(tx -> {
            assertSchemaNotFound(() -> tx.get("nope", 1));
            assertEquals(3, tx.count("T"), "table names are case-insensitive");
        });
    }

    @Test
    void readOnlyDatabaseRefusesWrites() {
        db.close();
        try (Database ro = Database.open(file, DatabaseOptions.defaults().withReadOnly(true))) {
            AncDbException e = assertThrows(AncDbException.class, ro::beginWrite);
            assertEquals(104, e.code());
            assertEquals(ErrorCode.READ_ONLY, e.errorCode());
            assertEquals(104, assertThrows(AncDbException.class, () -> ro.runWrite(tx -> tx.insert("t", 3L, "x", 3L))).code());
            assertEquals(2L, count(ro));
            assertEquals(new Row(1, new Object[] {1L, "one", 1L}), ro.readTx(tx -> tx.get("t", 1)));
        }
        // A read-only open of a missing file does not create it.
        Path missing = dir.resolve("missing.db");
        AncDbException e = assertThrows(AncDbException.class,
                () -> Database.open(missing, DatabaseOptions.defaults().withReadOnly(true)));
        assertEquals(ErrorCode.CANNOT_OPEN, e.errorCode());
        assertFalse(Files.exists(missing));
        db = Database.open(file);                          // for tearDown
    }

    @Test
    void fileThatIsNotADatabaseIsRefused() throws Exception {
        Path junk = dir.resolve("junk.db");
        Files.writeString(junk, "definitely not a database file, just text ".repeat(100));
        AncDbException e = assertThrows(AncDbException.class, () -> Database.open(junk));
        assertEquals(ErrorCode.NOT_A_DATABASE, e.errorCode());
        assertEquals(106, e.code());
        assertFalse(e.getMessage().contains(junk.toString()), e.getMessage());
    }

    // --- savepoints ----------------------------------------------------------------------------------

    @Test
    void savepointsRollBackAndReleaseLikeSql() {
        db.runWrite(tx -> {
            tx.insert("t", 10L, "ten", 10L);
            tx.savepoint("a");
            tx.insert("t", 11L, "eleven", 11L);
            tx.savepoint("b");
            tx.insert("t", 12L, "twelve", 12L);
            assertTrue(tx.delete("t", 1));
            assertEquals(List.of(2L, 10L, 11L, 12L), rowids(tx));

            tx.rollbackTo("b");                            // undoes 12 and the delete; b stays open
            assertEquals(List.of(1L, 2L, 10L, 11L), rowids(tx));
            tx.insert("t", 13L, "thirteen", 13L);
            tx.rollbackTo("b");                            // again: b is still there
            assertEquals(List.of(1L, 2L, 10L, 11L), rowids(tx));
            tx.insert("t", 14L, "fourteen", 14L);
            tx.release("b");                               // keeps 14
            assertInvalid(() -> tx.rollbackTo("b"));
            assertEquals(List.of(1L, 2L, 10L, 11L, 14L), rowids(tx));

            tx.savepoint("c");
            tx.insert("t", 15L, "fifteen", 15L);
            tx.rollbackTo("a");                            // undoes 11, 14, 15 and ends c
            assertEquals(List.of(1L, 2L, 10L), rowids(tx));
            assertInvalid(() -> tx.release("c"));
            tx.release("a");
            InvalidArgumentException unknown = assertThrows(InvalidArgumentException.class, () -> tx.rollbackTo("a"));
            assertEquals(1, unknown.code());
            assertInvalid(() -> tx.release("never-opened"));

            // A released inner savepoint's changes still roll back with the outer one.
            tx.savepoint("outer");
            tx.savepoint("inner");
            tx.insert("t", 20L, "twenty", 20L);
            tx.release("inner");
            tx.rollbackTo("outer");
            assertNull(tx.get("t", 20));
            tx.release("outer");

            // Same name twice: the innermost one is meant.
            tx.savepoint("dup");
            tx.insert("t", 30L, "thirty", 30L);
            tx.savepoint("dup");
            tx.insert("t", 31L, "thirty-one", 31L);
            tx.rollbackTo("dup");
            assertNotNull(tx.get("t", 30));
            assertNull(tx.get("t", 31));
            tx.release("dup");
            tx.release("dup");
        });
        assertEquals(List.of(1L, 2L, 10L, 30L), db.readTx(MisuseTest::rowids));
        assertEquals("", db.integrityCheck());
    }

    @Test
    void savepointRollbackUndoesSchemaChanges() {
        db.runWrite(tx -> {
            tx.savepoint("ddl");
            tx.createTable(TableSpec.of("later", Column.rowid("id"), Column.of("v", SqlType.TEXT)));
            tx.insert("later", 1L, "x");
            assertEquals(1, tx.count("later"));
            tx.rollbackTo("ddl");
            assertSchemaNotFound(() -> tx.count("later"));
            tx.release("ddl");
            tx.createTable(TableSpec.of("kept", Column.rowid("id"), Column.of("v", SqlType.TEXT)));
            tx.insert("kept", 1L, "y");
        });
        db.runRead(tx -> {
            assertNull(tx.catalog().find("later"));
            assertEquals(1, tx.count("kept"));
        });
        assertEquals("", db.integrityCheck());
    }

    // --- write transactions roll back on exceptions ------------------------------------------------

    @Test
    void writeTxRollsBackWhenTheBodyThrows() {
        IllegalStateException boom = new IllegalStateException("boom");
        IllegalStateException thrown = assertThrows(IllegalStateException.class, () -> db.runWrite(tx -> {
            tx.insert("t", 3L, "three", 3L);
            tx.delete("t", 1);
            tx.createTable(TableSpec.of("temp", Column.of("a", SqlType.TEXT)));
            throw boom;
        }));
        assertSame(boom, thrown);
        db.runRead(tx -> {
            assertEquals(2, tx.count("t"));
            assertNotNull(tx.get("t", 1));
            assertNull(tx.get("t", 3));
            assertNull(tx.catalog().find("temp"));
        });
        // An ANC-DB exception mid-way rolls back the earlier writes too.
        assertThrows(ConstraintViolationException.class, () -> db.runWrite(tx -> {
            tx.insert("t", 3L, "three", 3L);
            tx.insert("t", 1L, "dup", 1L);
        }));
        assertNull(db.readTx(tx -> tx.get("t", 3)));
        // The write lock was released each time.
        long id = db.writeTx(tx -> tx.insert("t", null, "auto", 5L));
        assertEquals(3, id);
        // A try-with-resources write transaction that is never committed rolls back.
        try (WriteTx tx = db.beginWrite()) {
            tx.insert("t", 50L, "uncommitted", 50L);
        }
        assertNull(db.readTx(tx -> tx.get("t", 50)));
        assertEquals("", db.integrityCheck());
    }

    // --- helpers --------------------------------------------------------------------------------------

    private static List<Long> rowids(ReadTx tx) {
        List<Long> out = new ArrayList<>();
        try (RowCursor c = tx.scan("t")) {
            c.forEachRemaining(r -> out.add(r.rowid()));
        }
        return out;
    }

    private static long count(Database d) {
        return d.readTx(tx -> tx.count("t"));
    }

    private static int countRemaining(RowCursor c) {
        int n = 0;
        while (c.hasNext()) {
            c.next();
            n++;
        }
        return n;
    }

    private static void assertClosed(Executable e) {
        ClosedException x = assertThrows(ClosedException.class, e);
        assertEquals(108, x.code());
        assertEquals(ErrorCode.MISUSE, x.errorCode());
    }

    private static void assertInvalid(Executable e) {
        InvalidArgumentException x = assertThrows(InvalidArgumentException.class, e);
        assertEquals(1, x.code());
    }

    private static void assertSchemaNotFound(Executable e) {
        SchemaNotFoundException x = assertThrows(SchemaNotFoundException.class, e);
        assertEquals(2, x.code());
    }

    /** Runs {@code e} on a new thread; it must throw MisuseException, which is returned. */
    private static MisuseException otherThread(Executable e) throws InterruptedException {
        CompletableFuture<Throwable> f = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                e.execute();
                f.complete(null);
            } catch (Throwable x) {
                f.complete(x);
            }
        }, "intruder");
        t.start();
        t.join(30_000);
        Throwable x;
        try {
            x = f.get(1, TimeUnit.SECONDS);
        } catch (ExecutionException | java.util.concurrent.TimeoutException ex) {
            throw new AssertionError(ex);
        }
        return assertInstanceOf(MisuseException.class, x, "from another thread");
    }
}

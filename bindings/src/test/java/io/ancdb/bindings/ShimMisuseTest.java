package io.ancdb.bindings;

import io.ancdb.bindings.internal.ancdb_h;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static io.ancdb.bindings.internal.ancdb_h.*;
import static org.junit.jupiter.api.Assertions.*;

/**
 * Raw misuse of the C shim through the generated bindings: every call must
 * answer with the documented result code (never crash the JVM), leave the
 * database usable, and leave a message that names no file.
 */
class ShimMisuseTest {
    /** A distinctive file name: no error message may ever contain it. */
    private static final String FILE_NAME = "secret-file-name.db";

    @TempDir
    Path dir;

    private Arena arena;
    private Path file;
    private long db;
    private int table;        // root of a table b-tree with one row (rowid 1)
    private int index;        // root of an index b-tree with one key ("a", 1)

    @BeforeEach
    void setUp() {
        arena = Arena.ofConfined();
        file = dir.resolve(FILE_NAME);
        db = open(file, ANCDB_OPEN_CREATE);
        ok(ancdb_begin(db, 1, MemorySegment.NULL));
        table = createBtree(ANCDB_BTREE_TABLE);
        index = createBtree(ANCDB_BTREE_INDEX);
        // The shim lets cursors open only on roots named in sqlite_schema (or created
        // in the open transaction), so register both like the SQL layer would.
        long schema = openCursor(1, ANCDB_CURSOR_WRITE, 0);
        byte[] t = schemaRow("table", "t", "t", table, "CREATE TABLE t(n INTEGER, s TEXT)");
        byte[] i = schemaRow("index", "t_s", "t", index, "CREATE INDEX t_s ON t(s)");
        ok(ancdb_cursor_insert_row(schema, 1, seg(t), t.length));
        ok(ancdb_cursor_insert_row(schema, 2, seg(i), i.length));
        long c = openCursor(table, ANCDB_CURSOR_WRITE, 0);
        ok(ancdb_cursor_insert_row(c, 1, seg(row(100, "first")), row(100, "first").length));
        long k = openCursor(index, ANCDB_CURSOR_WRITE, 2);
        ok(ancdb_cursor_insert_key(k, seg(key("a", 1)), key("a", 1).length));
        ok(ancdb_commit(db));
    }

    @AfterEach
    void tearDown() {
        if (db != 0) {
            ancdb_close(db);     // may already be closed by the test: MISUSE then
        }
        arena.close();
    }

    // --- handles -------------------------------------------------------------------

    @Test
    void nullHandleIsMisuseEverywhere() {
        MemorySegment out = arena.allocate(8, 8);
        MemorySegment buf = arena.allocate(256);
        assertEquals(ANCDB_MISUSE, ancdb_close(0));
        assertEquals(ANCDB_MISUSE, ancdb_begin(0, 0, out));
        assertEquals(ANCDB_MISUSE, ancdb_commit(0));
        assertEquals(ANCDB_MISUSE, ancdb_rollback(0));
        assertEquals(ANCDB_MISUSE, ancdb_txn_state(0, out));
        assertEquals(ANCDB_MISUSE, ancdb_is_wal(0, out));
        assertEquals(ANCDB_MISUSE, ancdb_savepoint_begin(0, out));
        assertEquals(ANCDB_MISUSE, ancdb_btree_create(0, ANCDB_BTREE_TABLE, out));
        assertEquals(ANCDB_MISUSE, ancdb_meta_get(0, ANCDB_META_USER_VERSION, out));
        assertEquals(ANCDB_MISUSE, ancdb_checkpoint(0, ANCDB_CHECKPOINT_PASSIVE, out, out));
        assertEquals(ANCDB_MISUSE, ancdb_cursor_open(0, 1, 0, 0, out));
        assertEquals(0L, out.get(ValueLayout.JAVA_LONG, 0), "no cursor handle on failure");
        assertEquals(ANCDB_MISUSE, ancdb_cursor_close(0));
        assertEquals(ANCDB_MISUSE, ancdb_cursor_first(0));
        assertEquals(ANCDB_MISUSE, ancdb_cursor_next(0));
        assertEquals(ANCDB_MISUSE, ancdb_cursor_eof(0, out));
        assertEquals(ANCDB_MISUSE, ancdb_cursor_rowid(0, out));
        assertEquals(ANCDB_MISUSE, ancdb_cursor_payload_size(0, out));
        assertEquals(ANCDB_MISUSE, ancdb_cursor_payload(0, 0, 1, buf));
        assertEquals(ANCDB_MISUSE, ancdb_cursor_count(0, out));
        assertEquals(ANCDB_MISUSE, ancdb_errmsg(0, buf, 256));
        assertFalse(buf.getString(0).isEmpty(), "errmsg on a bad handle still says why");
        assertStillWorks();
    }

    @Test
    void forgedHandlesAreMisuse() {
        long[] forged = {
            -1L, Long.MAX_VALUE, Long.MIN_VALUE, 0xdeadbeef_cafebabeL,
            1L,                                   // generation 0 of slot 1
            2L,                                   // generation 0 of a slot never handed out
            db ^ (2L << 32),                      // right slot, wrong (odd) generation
            db + (1L << 32),                      // right slot, even generation (a free slot's)
            (db & 0xffffffff00000000L) | 0xffffffL, // slot far past every allocated chunk
            (1L << 32) | 4000L,                   // odd generation, unused slot in the first chunks
        };
        MemorySegment out = arena.allocate(8, 8);
        for (long h : forged) {
            if (h == db) {
                continue;
            }
            String hex = Long.toHexString(h);
            assertEquals(ANCDB_MISUSE, ancdb_begin(h, 1, out), hex);
            assertEquals(ANCDB_MISUSE, ancdb_txn_state(h, out), hex);
            assertEquals(ANCDB_MISUSE, ancdb_btree_create(h, ANCDB_BTREE_TABLE, out), hex);
            assertEquals(ANCDB_MISUSE, ancdb_cursor_open(h, table, 0, 0, out), hex);
            assertEquals(ANCDB_MISUSE, ancdb_cursor_first(h), hex);
            assertEquals(ANCDB_MISUSE, ancdb_cursor_rowid(h, out), hex);
            assertEquals(ANCDB_MISUSE, ancdb_cursor_insert_row(h, 5, seg(row(1, "x")), row(1, "x").length), hex);
            assertEquals(ANCDB_MISUSE, ancdb_close(h), hex);
        }
        assertStillWorks();
    }

    @Test
    void closedDatabaseHandleIsMisuse() {
        long old = db;
        ok(ancdb_close(db));
        MemorySegment out = arena.allocate(8, 8);
        assertEquals(ANCDB_MISUSE, ancdb_begin(old, 0, out));
        assertEquals(ANCDB_MISUSE, ancdb_commit(old));
        assertEquals(ANCDB_MISUSE, ancdb_cursor_open(old, table, 0, 0, out));
        assertEquals(ANCDB_MISUSE, ancdb_is_wal(old, out));
        assertEquals(ANCDB_MISUSE, ancdb_close(old), "double close");
        MemorySegment buf = arena.allocate(256);
        assertEquals(ANCDB_MISUSE, ancdb_errmsg(old, buf, 256));
        // The slot may be handed out again; the old handle must stay dead.
        db = open(file, 0);
        assertEquals(ANCDB_MISUSE, ancdb_begin(old, 0, out));
        assertStillWorks();
    }

    @Test
    void doubleCloseIsMisuse() {
        ok(ancdb_close(db));
        assertEquals(ANCDB_MISUSE, ancdb_close(db));
        assertEquals(ANCDB_MISUSE, ancdb_close(db));
        db = open(file, 0);
        assertStillWorks();
    }

    @Test
    void databaseHandleIsNotACursorAndCursorIsNotADatabase() {
        // No cursor is open: nothing can answer to the database's number as a cursor.
        assertEquals(ANCDB_MISUSE, ancdb_cursor_first(db));
        assertEquals(ANCDB_MISUSE, ancdb_cursor_close(db));
        assertEquals(ANCDB_MISUSE, ancdb_cursor_count(db, arena.allocate(8, 8)));

        ok(ancdb_begin(db, 1, MemorySegment.NULL));
        List<Long> cursors = new ArrayList<>();
        long cur;
        do {                                   // a cursor whose number is not also a live database's
            cur = openCursor(table, ANCDB_CURSOR_WRITE, 0);
            cursors.add(cur);
        } while (cur == db);
        assertEquals(ANCDB_MISUSE, ancdb_commit(cur));
        assertEquals(ANCDB_MISUSE, ancdb_close(cur));
        assertEquals(ANCDB_MISUSE, ancdb_btree_drop(cur, table));
        assertEquals(ANCDB_MISUSE, ancdb_savepoint_begin(cur, arena.allocate(8, 8)));
        ok(ancdb_cursor_first(cur));           // the cursor itself is fine
        ok(ancdb_commit(db));
        assertStillWorks();
    }

    /**
     * Handles carry their kind: no database handle ever has the number of a
     * cursor handle (both tables number slots and generations alike, so
     * without the kind bit the first of each would both be 0x100000001).
     */
    @Test
    void databaseAndCursorHandlesNeverShareANumber() {
        ok(ancdb_begin(db, 1, MemorySegment.NULL));
        java.util.Set<Long> cursors = new java.util.HashSet<>();
        java.util.Set<Long> dbs = new java.util.HashSet<>();
        for (int i = 0; i < 64; i++) {
            cursors.add(openCursor(table, ANCDB_CURSOR_WRITE, 0));
            dbs.add(open(file, ANCDB_OPEN_KEEP_JOURNAL));
        }
        for (long c : cursors) {
            assertFalse(dbs.contains(c), "cursor handle equal to a database handle: " + Long.toHexString(c));
            assertEquals(ANCDB_MISUSE, ancdb_commit(c), "a cursor handle used as a database");
        }
        byte[] r = row(9, "via db handle");
        for (long d : dbs) {
            assertEquals(ANCDB_MISUSE, ancdb_cursor_insert_row(d, 9, seg(r), r.length), "a database handle used as a cursor");
            ok(ancdb_close(d));
        }
        ok(ancdb_rollback(db));
    }

    @Test
    void cursorAfterCommitIsMisuse() {
        ok(ancdb_begin(db, 1, MemorySegment.NULL));
        long c = openCursor(table, ANCDB_CURSOR_WRITE, 0);
        ok(ancdb_cursor_first(c));
        ok(ancdb_commit(db));
        assertDeadCursor(c);
        assertStillWorks();
    }

    @Test
    void cursorAfterRollbackIsMisuse() {
        ok(ancdb_begin(db, 0, MemorySegment.NULL));
        long c = openCursor(table, 0, 0);
        ok(ancdb_cursor_first(c));
        ok(ancdb_rollback(db));
        assertDeadCursor(c);
        assertStillWorks();
    }

    @Test
    void cursorAfterSavepointRollbackIsMisuse() {
        ok(ancdb_begin(db, 1, MemorySegment.NULL));
        MemorySegment lvl = arena.allocate(4, 4);
        ok(ancdb_savepoint_begin(db, lvl));
        assertEquals(1, lvl.get(ValueLayout.JAVA_INT, 0));
        long c = openCursor(table, ANCDB_CURSOR_WRITE, 0);
        ok(ancdb_cursor_insert_row(c, 2, seg(row(2, "in savepoint")), row(2, "in savepoint").length));
        ok(ancdb_savepoint_rollback(db, 1));
        assertDeadCursor(c);
        // The savepoint's change is gone, the transaction is still a write transaction.
        long r = openCursor(table, 0, 0);
        assertEquals(1, count(r));
        MemorySegment st = arena.allocate(4, 4);
        ok(ancdb_txn_state(db, st));
        assertEquals(ANCDB_TXN_WRITE, st.get(ValueLayout.JAVA_INT, 0));
        ok(ancdb_savepoint_release(db, 1));
        assertEquals(ANCDB_RANGE, ancdb_savepoint_release(db, 1), "savepoint already released");
        assertEquals(ANCDB_RANGE, ancdb_savepoint_rollback(db, 0));
        ok(ancdb_commit(db));
        assertStillWorks();
    }

    @Test
    void closedCursorIsMisuse() {
        ok(ancdb_begin(db, 0, MemorySegment.NULL));
        long c = openCursor(table, 0, 0);
        ok(ancdb_cursor_close(c));
        assertDeadCursor(c);
        ok(ancdb_commit(db));
        assertStillWorks();
    }

    @Test
    void writeCursorInReadTransactionIsMisuse() {
        ok(ancdb_begin(db, 0, MemorySegment.NULL));
        MemorySegment out = arena.allocate(8, 8);
        out.set(ValueLayout.JAVA_LONG, 0, 12345L);
        assertEquals(ANCDB_MISUSE, ancdb_cursor_open(db, table, ANCDB_CURSOR_WRITE, 0, out));
        assertEquals(0L, out.get(ValueLayout.JAVA_LONG, 0), "*pCur is 0 on failure");
        assertMessage("write transaction");
        assertEquals(ANCDB_MISUSE, ancdb_btree_create(db, ANCDB_BTREE_TABLE, out));
        assertEquals(ANCDB_MISUSE, ancdb_meta_set(db, ANCDB_META_USER_VERSION, 7));
        assertEquals(ANCDB_MISUSE, ancdb_savepoint_begin(db, out));
        ok(ancdb_commit(db));
        // No transaction at all: even a read cursor is refused.
        assertEquals(ANCDB_MISUSE, ancdb_cursor_open(db, table, 0, 0, out));
        assertStillWorks();
    }

    @Test
    void insertThroughReadOnlyCursorIsReadonly() {
        ok(ancdb_begin(db, 1, MemorySegment.NULL));
        long c = openCursor(table, 0, 0);
        byte[] r = row(5, "nope");
        assertEquals(ANCDB_READONLY, ancdb_cursor_insert_row(c, 5, seg(r), r.length));
        assertMessage("writing");
        ok(ancdb_cursor_first(c));
        assertEquals(ANCDB_READONLY, ancdb_cursor_delete(c));
        long k = openCursor(index, 0, 2);
        byte[] kk = key("b", 2);
        assertEquals(ANCDB_READONLY, ancdb_cursor_insert_key(k, seg(kk), kk.length));
        assertEquals(1, count(c));
        ok(ancdb_commit(db));
        assertStillWorks();
    }

    @Test
    void readOnlyDatabaseRefusesWrites() {
        ok(ancdb_close(db));
        db = open(file, ANCDB_OPEN_READONLY);
        assertEquals(ANCDB_READONLY, ancdb_begin(db, 1, MemorySegment.NULL));
        ok(ancdb_begin(db, 0, MemorySegment.NULL));
        assertEquals(ANCDB_READONLY, ancdb_begin(db, 1, MemorySegment.NULL), "no upgrade either");
        long c = openCursor(table, 0, 0);
        assertEquals(1, count(c));
        ok(ancdb_commit(db));
        ok(ancdb_close(db));
        db = open(file, 0);
        assertStillWorks();
    }

    @Test
    void transactionStateMisuse() {
        assertEquals(ANCDB_MISUSE, ancdb_commit(db), "commit with no transaction");
        assertMessage("no transaction");
        ok(ancdb_rollback(db));                 // rollback with none is a harmless no-op
        ok(ancdb_begin(db, 0, MemorySegment.NULL));
        assertEquals(ANCDB_MISUSE, ancdb_begin(db, 0, MemorySegment.NULL), "read inside read");
        ok(ancdb_begin(db, 1, MemorySegment.NULL));   // upgrade is allowed
        assertEquals(ANCDB_MISUSE, ancdb_begin(db, 1, MemorySegment.NULL), "write inside write");
        assertEquals(ANCDB_MISUSE, ancdb_checkpoint(db, ANCDB_CHECKPOINT_PASSIVE, MemorySegment.NULL, MemorySegment.NULL));
        ok(ancdb_commit(db));
        assertEquals(ANCDB_MISUSE, ancdb_commit(db), "second commit");
        assertEquals(ANCDB_MISUSE, ancdb_savepoint_release(db, 1));
        assertStillWorks();
    }

    /**
     * Opening an existing file in the other journal mode switches it (as
     * PRAGMA journal_mode does) and leaves no transaction open behind.
     */
    @Test
    void journalModeSwitchOnOpenLeavesNoTransactionOpen() {
        MemorySegment st = arena.allocate(4, 4);
        MemorySegment wal = arena.allocate(4, 4);
        for (int flags : new int[] {ANCDB_OPEN_WAL, 0, ANCDB_OPEN_WAL}) {
            ok(ancdb_close(db));
            db = open(file, flags);
            ok(ancdb_txn_state(db, st));
            assertEquals(ANCDB_TXN_NONE, st.get(ValueLayout.JAVA_INT, 0), "flags " + flags);
            ok(ancdb_is_wal(db, wal));
            assertEquals(flags == ANCDB_OPEN_WAL ? 1 : 0, wal.get(ValueLayout.JAVA_INT, 0));
            // A second connection is not locked out, and sees the same mode.
            long other = open(file, ANCDB_OPEN_KEEP_JOURNAL);
            ok(ancdb_is_wal(other, wal));
            assertEquals(flags == ANCDB_OPEN_WAL ? 1 : 0, wal.get(ValueLayout.JAVA_INT, 0));
            ok(ancdb_close(other));
            assertStillWorks();
        }
        // The switch is durable: a connection that keeps the file's mode finds WAL.
        ok(ancdb_close(db));
        db = open(file, ANCDB_OPEN_KEEP_JOURNAL);
        ok(ancdb_is_wal(db, wal));
        assertEquals(1, wal.get(ValueLayout.JAVA_INT, 0));
        assertIntegrityOk();
    }

    // --- bad arguments ------------------------------------------------------------------

    @Test
    void malformedRecordsAreMismatch() {
        ok(ancdb_begin(db, 1, MemorySegment.NULL));
        long c = openCursor(table, ANCDB_CURSOR_WRITE, 0);
        long k = openCursor(index, ANCDB_CURSOR_WRITE, 2);
        List<byte[]> bad = List.of(
            new byte[] {0},                               // header size 0
            new byte[] {5, 1},                            // header longer than the record
            new byte[] {2, 1},                            // int8 field with no body
            new byte[] {2, 6, 1, 2, 3},                   // int64 field, 3 of 8 bytes
            new byte[] {2, 1, 7, 8},                      // 1 byte too many
            new byte[] {2, 10},                           // reserved serial type 10
            new byte[] {2, 11},                           // reserved serial type 11
            new byte[] {2, (byte) 0x81},                  // serial type varint cut by the header end
            new byte[] {3, 15, 1, 'a'},                   // text of 1 byte, then int8 with no body
            new byte[] {(byte) 0x80, (byte) 0x80},        // header size varint runs off the record
            new byte[] {(byte) 0x81, 0, 1},               // header size 128 in a 3-byte record
            new byte[] {2, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0x7f}, // type > 32 bits
            hugeTextHeader());
        for (byte[] r : bad) {
            String what = java.util.HexFormat.of().formatHex(r);
            assertEquals(ANCDB_MISMATCH, ancdb_cursor_insert_row(c, 77, seg(r), r.length), "row " + what);
            assertEquals(ANCDB_MISMATCH, ancdb_cursor_insert_key(k, seg(r), r.length), "key " + what);
            assertEquals(ANCDB_MISMATCH, ancdb_cursor_seek_key(k, seg(r), r.length, 0, arena.allocate(4, 4)), "seek " + what);
        }
        assertMessage("malformed");
        // Well-formed but the wrong number of fields for the index.
        byte[] three = {4, 1, 1, 1, 1, 2, 3};
        assertEquals(ANCDB_MISMATCH, ancdb_cursor_insert_key(k, seg(three), three.length));
        byte[] one = {2, 1, 9};
        assertEquals(ANCDB_MISMATCH, ancdb_cursor_insert_key(k, seg(one), one.length), "insert needs every field");
        assertMessage("number of fields");
        // Kind mismatches: rowid operations on an index cursor and the reverse.
        assertEquals(ANCDB_MISMATCH, ancdb_cursor_seek_rowid(k, 1, arena.allocate(4, 4)));
        assertEquals(ANCDB_MISMATCH, ancdb_cursor_rowid(k, arena.allocate(8, 8)));
        byte[] kk = key("z", 9);
        assertEquals(ANCDB_MISMATCH, ancdb_cursor_seek_key(c, seg(kk), kk.length, 0, arena.allocate(4, 4)));
        assertEquals(ANCDB_MISMATCH, ancdb_cursor_insert_key(c, seg(kk), kk.length));
        byte[] r = row(1, "r");
        assertEquals(ANCDB_MISMATCH, ancdb_cursor_insert_row(k, 1, seg(r), r.length));
        // Nothing was written.
        assertEquals(1, count(c));
        assertEquals(1, count(k));
        ok(ancdb_commit(db));
        assertIntegrityOk();
        assertStillWorks();
    }

    @Test
    void nullAndNegativeArgumentsAreRefused() {
        ok(ancdb_begin(db, 1, MemorySegment.NULL));
        long c = openCursor(table, ANCDB_CURSOR_WRITE, 0);
        assertEquals(ANCDB_MISUSE, ancdb_cursor_insert_row(c, 1, MemorySegment.NULL, 5));
        assertEquals(ANCDB_MISUSE, ancdb_cursor_insert_row(c, 1, seg(row(1, "a")), 0));
        assertEquals(ANCDB_MISUSE, ancdb_cursor_insert_row(c, 1, seg(row(1, "a")), -4));
        assertEquals(ANCDB_MISUSE, ancdb_cursor_rowid(c, MemorySegment.NULL));
        assertEquals(ANCDB_MISUSE, ancdb_btree_create(db, ANCDB_BTREE_TABLE, MemorySegment.NULL));
        assertEquals(ANCDB_RANGE, ancdb_btree_create(db, 3, arena.allocate(4, 4)));
        assertEquals(ANCDB_RANGE, ancdb_cursor_open(db, table, 0x10, 0, arena.allocate(8, 8)), "unknown flag");
        assertEquals(ANCDB_RANGE, ancdb_cursor_open(db, table, 0, -1, arena.allocate(8, 8)));
        assertEquals(ANCDB_RANGE, ancdb_cursor_open(db, index, 0, 65, arena.allocate(8, 8)));
        assertEquals(ANCDB_RANGE, ancdb_meta_set(db, ANCDB_META_TEXT_ENCODING, 2), "only UTF-8");
        assertEquals(ANCDB_RANGE, ancdb_meta_set(db, ANCDB_META_DATA_VERSION, 1));
        assertEquals(ANCDB_RANGE, ancdb_meta_get(db, 0, arena.allocate(4, 4)));
        assertEquals(ANCDB_RANGE, ancdb_meta_get(db, 16, arena.allocate(4, 4)));
        assertEquals(ANCDB_MISUSE, ancdb_errmsg(db, MemorySegment.NULL, 10));
        assertEquals(ANCDB_MISUSE, ancdb_errstr(0, MemorySegment.NULL, 10));
        ok(ancdb_commit(db));
        assertStillWorks();
    }

    @Test
    void payloadReadOutOfRangeIsRange() {
        ok(ancdb_begin(db, 0, MemorySegment.NULL));
        long c = openCursor(table, 0, 0);
        ok(ancdb_cursor_first(c));
        MemorySegment sz = arena.allocate(4, 4);
        ok(ancdb_cursor_payload_size(c, sz));
        int n = sz.get(ValueLayout.JAVA_INT, 0);
        assertEquals(row(100, "first").length, n);
        MemorySegment buf = arena.allocate(n + 16);
        ok(ancdb_cursor_payload(c, 0, n, buf));
        assertArrayEquals(row(100, "first"), buf.asSlice(0, n).toArray(ValueLayout.JAVA_BYTE));
        assertEquals(ANCDB_RANGE, ancdb_cursor_payload(c, 0, n + 1, buf));
        assertMessage("past the end");
        assertEquals(ANCDB_RANGE, ancdb_cursor_payload(c, n, 1, buf));
        assertEquals(ANCDB_RANGE, ancdb_cursor_payload(c, 1, n, buf));
        assertEquals(ANCDB_RANGE, ancdb_cursor_payload(c, -1, 2, buf), "offset 0xffffffff");
        assertEquals(ANCDB_RANGE, ancdb_cursor_payload(c, 2, -1, buf), "amt 0xffffffff");
        ok(ancdb_cursor_payload(c, n, 0, buf));        // an empty read at the end is fine
        // Off the end of the b-tree: no current entry.
        assertEquals(ANCDB_DONE, ancdb_cursor_next(c));
        assertEquals(ANCDB_MISUSE, ancdb_cursor_payload(c, 0, 1, buf));
        assertEquals(ANCDB_MISUSE, ancdb_cursor_payload_size(c, sz));
        assertEquals(ANCDB_MISUSE, ancdb_cursor_rowid(c, arena.allocate(8, 8)));
        MemorySegment eof = arena.allocate(4, 4);
        ok(ancdb_cursor_eof(c, eof));
        assertEquals(1, eof.get(ValueLayout.JAVA_INT, 0));
        ok(ancdb_commit(db));
        assertStillWorks();
    }

    @Test
    void rootPageOneCannotBeDroppedOrCleared() {
        ok(ancdb_begin(db, 1, MemorySegment.NULL));
        assertEquals(ANCDB_RANGE, ancdb_btree_drop(db, 1));
        assertMessage("root");
        assertEquals(ANCDB_RANGE, ancdb_btree_clear(db, 1));
        assertEquals(ANCDB_RANGE, ancdb_btree_drop(db, 0));
        assertEquals(ANCDB_RANGE, ancdb_btree_drop(db, 100_000));
        assertEquals(ANCDB_RANGE, ancdb_btree_drop(db, -1), "root 0xffffffff");
        // A b-tree with an open cursor cannot be dropped.
        long c = openCursor(table, 0, 0);
        assertEquals(ANCDB_LOCKED, ancdb_btree_drop(db, table));
        ok(ancdb_cursor_close(c));
        ok(ancdb_commit(db));
        assertIntegrityOk();
        assertStillWorks();
    }

    /**
     * BUG (native/ancdb.c, ancRootValid): a root page is only checked to lie
     * inside the file, so dropping (or clearing, or writing through a cursor
     * on) an interior or leaf page of another b-tree is accepted and corrupts
     * the file ("2nd reference to page 3", "Page N is never used").
     */
    @Test

    void droppingAPageThatIsNotARootIsRefused() {
        ok(ancdb_begin(db, 1, MemorySegment.NULL));
        int big = createBtree(ANCDB_BTREE_TABLE);
        long c = openCursor(big, ANCDB_CURSOR_WRITE, 0);
        byte[] r = row(1, "x".repeat(50));
        for (int i = 1; i <= 400; i++) {                   // several leaves under an interior root
            ok(ancdb_cursor_insert_row(c, i, seg(r), r.length));
        }
        ok(ancdb_commit(db));
        ok(ancdb_begin(db, 1, MemorySegment.NULL));
        assertEquals(ANCDB_RANGE, ancdb_btree_drop(db, big + 1), "page " + (big + 1) + " is a leaf of " + big);
        ok(ancdb_rollback(db));
    }

    @Test
    void cursorOnNonExistentRootIsRange() {
        ok(ancdb_begin(db, 0, MemorySegment.NULL));
        MemorySegment out = arena.allocate(8, 8);
        for (int root : new int[] {0, 4, 1000, Integer.MAX_VALUE, -1}) {
            assertEquals(ANCDB_RANGE, ancdb_cursor_open(db, root, 0, 0, out), "root " + root);
            assertEquals(0L, out.get(ValueLayout.JAVA_LONG, 0));
        }
        assertMessage("root page out of range");
        ok(ancdb_commit(db));
        assertStillWorks();
    }

    @Test
    void openErrorsNameNoFile() {
        MemorySegment err = arena.allocate(256);
        MemorySegment pDb = arena.allocate(8, 8);
        Path missing = dir.resolve("no-such-dir").resolve(FILE_NAME);
        int rc = ancdb_open(arena.allocateFrom(missing.toString()), ANCDB_OPEN_CREATE, 0, 0, 0, err, 256, pDb);
        assertEquals(ANCDB_CANTOPEN, rc & 0xff);
        assertEquals(0L, pDb.get(ValueLayout.JAVA_LONG, 0));
        assertNoPath(err.getString(0));
        assertEquals(ANCDB_MISUSE, ancdb_open(arena.allocateFrom(""), 0, 0, 0, 0, err, 256, pDb));
        assertEquals(ANCDB_MISUSE, ancdb_open(arena.allocateFrom(file.toString()),
                ANCDB_OPEN_READONLY | ANCDB_OPEN_CREATE, 0, 0, 0, err, 256, pDb));
        int unknownFlag = ANCDB_OPEN_KEEP_READ << 1;        // the bit above the highest flag ancdb.h defines
        assertEquals(ANCDB_RANGE, ancdb_open(arena.allocateFrom(file.toString()), unknownFlag, 0, 0, 0, err, 256, pDb));
        assertEquals(ANCDB_RANGE, ancdb_open(arena.allocateFrom(file.toString()), 0, 0, -1, 0, err, 256, pDb));
        assertNoPath(err.getString(0));
        // Not a database.
        Path junk = dir.resolve("junk-" + FILE_NAME);
        try {
            java.nio.file.Files.write(junk, "this is not a SQLite file, just some text padding it out".repeat(40)
                    .getBytes(StandardCharsets.US_ASCII));
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
        rc = ancdb_open(arena.allocateFrom(junk.toString()), 0, 0, 0, 0, err, 256, pDb);
        assertEquals(ANCDB_NOTADB, rc & 0xff);
        assertNoPath(err.getString(0));
        assertStillWorks();
    }

    // --- threads ------------------------------------------------------------------------

    /**
     * Two threads drive one handle at once. The shim lets one in at a time and
     * answers MISUSE to the other; nothing may crash, and afterwards the
     * database is sound.
     */
    @Test
    void twoThreadsOnOneHandleNeverCrash() throws Exception {
        final int calls = 20_000;
        AtomicLong misuse = new AtomicLong();
        AtomicLong succeeded = new AtomicLong();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        CountDownLatch start = new CountDownLatch(1);
        final long h = db;
        final int root = table;
        Runnable body = () -> {
            try (Arena a = Arena.ofConfined()) {
                MemorySegment out = a.allocate(8, 8);
                MemorySegment buf = a.allocate(256);
                long cur = 0;
                start.await();
                for (int i = 0; i < calls; i++) {
                    int rc;
                    switch (i % 8) {
                        case 0 -> rc = ancdb_begin(h, (i / 8) % 2, out);
                        case 1 -> {
                            rc = ancdb_cursor_open(h, root, 0, 0, out);
                            if (rc == ANCDB_OK) {
                                cur = out.get(ValueLayout.JAVA_LONG, 0);
                            }
                        }
                        case 2 -> rc = ancdb_cursor_first(cur);
                        case 3 -> rc = ancdb_cursor_payload_size(cur, out);
                        case 4 -> rc = ancdb_cursor_payload(cur, 0, 1, buf);
                        case 5 -> rc = ancdb_txn_state(h, out);
                        case 6 -> rc = ancdb_errmsg(h, buf, 256);
                        default -> rc = (i / 8) % 3 == 0 ? ancdb_rollback(h) : ancdb_commit(h);
                    }
                    if (rc == ANCDB_MISUSE) {
                        misuse.incrementAndGet();
                    } else if (rc == ANCDB_OK) {
                        succeeded.incrementAndGet();
                    } else if (rc != ANCDB_OK && rc != ANCDB_DONE && (rc & 0xff) != ANCDB_BUSY
                            && rc != ANCDB_READONLY) {
                        throw new AssertionError("call " + i + " (" + (i % 8) + ") returned " + rc);
                    }
                }
            } catch (Throwable t) {
                failure.compareAndSet(null, t);
            }
        };
        Thread t1 = new Thread(body, "hammer-1");
        Thread t2 = new Thread(body, "hammer-2");
        t1.start();
        t2.start();
        start.countDown();
        t1.join();
        t2.join();
        if (failure.get() != null) {
            throw new AssertionError(failure.get());
        }
        // Each thread's state checks fail at least when the other holds the
        // transaction (commit with none open), so MISUSE must have been seen.
        assertTrue(misuse.get() > 0, "no MISUSE at all in " + (2 * calls) + " racing calls");
        assertTrue(succeeded.get() > 0, "no call succeeded");
        ancdb_rollback(db);
        assertIntegrityOk();
        assertStillWorks();
    }

    // --- helpers ------------------------------------------------------------------------

    private long open(Path path, int flags) {
        MemorySegment err = arena.allocate(256);
        MemorySegment pDb = arena.allocate(8, 8);
        int rc = ancdb_open(arena.allocateFrom(path.toString()), flags, 0, 0, 0, err, 256, pDb);
        assertEquals(ANCDB_OK, rc, () -> "open: " + err.getString(0));
        long h = pDb.get(ValueLayout.JAVA_LONG, 0);
        assertNotEquals(0L, h);
        return h;
    }

    /** A sqlite_schema record (type, name, tbl_name, rootpage, sql); every string under 57 bytes. */
    private static byte[] schemaRow(String type, String name, String tbl, int root, String sql) {
        String[] z = {type, name, tbl, sql};
        java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
        byte[] hdr = new byte[6];
        hdr[0] = 6;
        for (int k = 0; k < 3; k++) {
            hdr[1 + k] = (byte) (13 + 2 * z[k].length());
            body.writeBytes(z[k].getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        hdr[4] = 4;
        body.writeBytes(new byte[] {(byte) (root >>> 24), (byte) (root >>> 16), (byte) (root >>> 8), (byte) root});
        hdr[5] = (byte) (13 + 2 * sql.length());
        body.writeBytes(sql.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        byte[] b = body.toByteArray();
        byte[] out = new byte[hdr.length + b.length];
        System.arraycopy(hdr, 0, out, 0, hdr.length);
        System.arraycopy(b, 0, out, hdr.length, b.length);
        return out;
    }

    private int createBtree(int kind) {
        MemorySegment out = arena.allocate(4, 4);
        ok(ancdb_btree_create(db, kind, out));
        return out.get(ValueLayout.JAVA_INT, 0);
    }

    private long openCursor(int root, int flags, int nKeyFields) {
        MemorySegment out = arena.allocate(8, 8);
        ok(ancdb_cursor_open(db, root, flags, nKeyFields, out));
        long c = out.get(ValueLayout.JAVA_LONG, 0);
        assertNotEquals(0L, c);
        return c;
    }


    private long count(long cur) {
        MemorySegment n = arena.allocate(8, 8);
        ok(ancdb_cursor_count(cur, n));
        return n.get(ValueLayout.JAVA_LONG, 0);
    }

    private void assertDeadCursor(long c) {
        MemorySegment out = arena.allocate(8, 8);
        MemorySegment buf = arena.allocate(64);
        byte[] r = row(3, "dead");
        assertEquals(ANCDB_MISUSE, ancdb_cursor_first(c));
        assertEquals(ANCDB_MISUSE, ancdb_cursor_last(c));
        assertEquals(ANCDB_MISUSE, ancdb_cursor_next(c));
        assertEquals(ANCDB_MISUSE, ancdb_cursor_prev(c));
        assertEquals(ANCDB_MISUSE, ancdb_cursor_seek_rowid(c, 1, out));
        assertEquals(ANCDB_MISUSE, ancdb_cursor_eof(c, out));
        assertEquals(ANCDB_MISUSE, ancdb_cursor_rowid(c, out));
        assertEquals(ANCDB_MISUSE, ancdb_cursor_payload_size(c, out));
        assertEquals(ANCDB_MISUSE, ancdb_cursor_payload(c, 0, 1, buf));
        assertEquals(ANCDB_MISUSE, ancdb_cursor_insert_row(c, 3, seg(r), r.length));
        assertEquals(ANCDB_MISUSE, ancdb_cursor_delete(c));
        assertEquals(ANCDB_MISUSE, ancdb_cursor_count(c, out));
        assertEquals(ANCDB_MISUSE, ancdb_cursor_close(c));
    }

    /** The last failure on {@code db} left a non-empty message containing {@code part} and no path. */
    private void assertMessage(String part) {
        MemorySegment buf = arena.allocate(256);
        ok(ancdb_errmsg(db, buf, 256));
        String msg = buf.getString(0);
        assertFalse(msg.isEmpty(), "empty errmsg");
        assertTrue(msg.contains(part), () -> "errmsg '" + msg + "' lacks '" + part + "'");
        assertNoPath(msg);
    }

    private void assertNoPath(String msg) {
        assertFalse(msg.isEmpty(), "empty message");
        assertFalse(msg.contains("secret-file-name"), msg);
        assertFalse(msg.contains(dir.toString()), msg);
        assertFalse(msg.contains("/"), () -> "message looks like it holds a path: " + msg);
    }

    /** A normal write and read on {@code db} succeed. */
    private void assertStillWorks() {
        ok(ancdb_begin(db, 1, MemorySegment.NULL));
        long c = openCursor(table, ANCDB_CURSOR_WRITE, 0);
        long rowid = 1000 + System.nanoTime() % 1000;
        byte[] r = row(rowid * 3, "still works");
        ok(ancdb_cursor_insert_row(c, rowid, seg(r), r.length));
        ok(ancdb_commit(db));
        ok(ancdb_begin(db, 0, MemorySegment.NULL));
        long rc = openCursor(table, 0, 0);
        MemorySegment res = arena.allocate(4, 4);
        ok(ancdb_cursor_seek_rowid(rc, rowid, res));
        assertEquals(0, res.get(ValueLayout.JAVA_INT, 0));
        MemorySegment buf = arena.allocate(r.length);
        ok(ancdb_cursor_payload(rc, 0, r.length, buf));
        assertArrayEquals(r, buf.toArray(ValueLayout.JAVA_BYTE));
        ok(ancdb_commit(db));
        MemorySegment st = arena.allocate(4, 4);
        ok(ancdb_txn_state(db, st));
        assertEquals(ANCDB_TXN_NONE, st.get(ValueLayout.JAVA_INT, 0));
    }

    private void assertIntegrityOk() {
        ok(ancdb_begin(db, 0, MemorySegment.NULL));
        MemorySegment roots = arena.allocate(8, 4);
        roots.set(ValueLayout.JAVA_INT, 0, table);
        roots.set(ValueLayout.JAVA_INT, 4, index);
        MemorySegment report = arena.allocate(4096);
        MemorySegment nErr = arena.allocate(4, 4);
        ok(ancdb_integrity_check(db, roots, 2, 100, report, 4096, nErr));
        assertEquals(0, nErr.get(ValueLayout.JAVA_INT, 0), () -> report.getString(0));
        ok(ancdb_commit(db));
    }

    private void ok(int rc) {
        if (rc != ANCDB_OK) {
            MemorySegment buf = arena.allocate(256);
            ancdb_errmsg(db, buf, 256);
            fail("native call returned " + rc + ": " + buf.getString(0));
        }
    }

    private MemorySegment seg(byte[] bytes) {
        MemorySegment s = arena.allocate(Math.max(1, bytes.length));
        s.copyFrom(MemorySegment.ofArray(bytes));
        return s;
    }

    /** Record (int64 v, text s): header 3 bytes, then 8 + len(s) body bytes. */
    static byte[] row(long v, String s) {
        byte[] t = s.getBytes(StandardCharsets.UTF_8);
        assertTrue(t.length < 57);
        byte[] a = new byte[3 + 8 + t.length];
        a[0] = 3;
        a[1] = 6;
        a[2] = (byte) (13 + 2 * t.length);
        for (int k = 0; k < 8; k++) {
            a[3 + k] = (byte) (v >>> (8 * (7 - k)));
        }
        System.arraycopy(t, 0, a, 11, t.length);
        return a;
    }

    /** Index key (text s, int64 rowid). */
    static byte[] key(String s, long rowid) {
        byte[] t = s.getBytes(StandardCharsets.UTF_8);
        byte[] a = new byte[3 + t.length + 8];
        a[0] = 3;
        a[1] = (byte) (13 + 2 * t.length);
        a[2] = 6;
        System.arraycopy(t, 0, a, 3, t.length);
        for (int k = 0; k < 8; k++) {
            a[3 + t.length + k] = (byte) (rowid >>> (8 * (7 - k)));
        }
        return a;
    }

    /** A header that claims a 2 GB text field. */
    private static byte[] hugeTextHeader() {
        // serial type 13 + 2*1e9 = 2000000013, varint 87 b9 d6 a8 0d
        return new byte[] {6, (byte) 0x87, (byte) 0xb9, (byte) 0xd6, (byte) 0xa8, 0x0d, 'x'};
    }
}

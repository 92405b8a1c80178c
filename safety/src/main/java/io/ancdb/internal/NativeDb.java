package io.ancdb.internal;

import io.ancdb.AncDbException;
import io.ancdb.bindings.internal.ancdb_h;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;

/**
 * One native connection (an {@code ancdb_db} handle) with its reusable
 * scratch memory. Not thread-safe: the owner (Database) guarantees one
 * thread at a time. Every native result code goes through
 * {@link NativeErrors}.
 */
public final class NativeDb implements AutoCloseable {
    private static final int ERR_LEN = 256;
    /** Open flag: leave the open's read transaction to the next {@link #readBegin()} ({@code ANCDB_OPEN_KEEP_READ}). */
    public static final int OPEN_KEEP_READ = ancdb_h.ANCDB_OPEN_KEEP_READ;

    private ConnectionMemory memory;    // out-parameters, error text, scratch; null once closed
    private long handle;
    private boolean lastReadReused;

    private NativeDb(ConnectionMemory memory, long handle) {
        this.memory = memory;
        this.handle = handle;
    }

    /** Opens a connection; the arguments follow {@code ancdb_open}. */
    public static NativeDb open(String path, int flags, int cachePages, int busyTimeoutMs, long mmapBytes) {
        return open(path, flags, cachePages, busyTimeoutMs, mmapBytes, null);
    }

    /** Opens a connection through VFS {@code vfs} (null: the default); see {@code ancdb_open_vfs}. */
    public static NativeDb open(String path, int flags, int cachePages, int busyTimeoutMs, long mmapBytes, String vfs) {
        return open(path, flags, cachePages, busyTimeoutMs, mmapBytes, vfs, MemorySegment.NULL);
    }

    /**
     * Opens a connection to a file encrypted with {@code key}: native memory
     * holding the key text (see {@code ancdb_open_key}), or NULL for a plaintext
     * file. The caller owns and wipes {@code key}.
     */
    public static NativeDb open(String path, int flags, int cachePages, int busyTimeoutMs, long mmapBytes, String vfs,
                                MemorySegment key) {
        ConnectionMemory memory = ConnectionMemory.take(ERR_LEN);
        try (Arena args = Arena.ofConfined()) {
            MemorySegment zPath = args.allocateFrom(path, StandardCharsets.UTF_8);
            MemorySegment zVfs = vfs == null ? MemorySegment.NULL : args.allocateFrom(vfs, StandardCharsets.UTF_8);
            int rc = ancdb_h.ancdb_open_key(zPath, flags, cachePages, busyTimeoutMs, mmapBytes, zVfs,
                    key, (int) key.byteSize(), memory.errBuf, ERR_LEN, memory.out);
            if (rc != NativeErrors.OK) {
                throw NativeErrors.openFailure(rc, flags, memory.errBuf.getString(0, StandardCharsets.UTF_8));
            }
            return new NativeDb(memory, memory.out.get(ValueLayout.JAVA_LONG, 0));
        } catch (RuntimeException | Error e) {
            memory.release();
            throw e;
        }
    }

    /**
     * Copies this encrypted connection's raw key text ({@code x'<96 hex>'}: key
     * and salt, no key derivation needed) into {@code out} (at least 100 bytes)
     * and returns its length. The caller wipes {@code out}.
     */
    public int exportKey(MemorySegment out) {
        int rc = ancdb_h.ancdb_key_export(handle, out, (int) out.byteSize());
        if (rc != NativeErrors.OK) {
            throw NativeErrors.exception(rc, "key export", null);
        }
        // the length counted in place: getString would leave the key text in the heap as a String
        int n = 0;
        while (n < out.byteSize() && out.get(ValueLayout.JAVA_BYTE, n) != 0) {
            n++;
        }
        return n;
    }

    /**
     * Gives the file {@code path} a new key ({@code ancdb_rekey}); keys are native
     * key text or NULL (plaintext). The caller owns and wipes both.
     */
    public static void rekey(String path, String vfs, MemorySegment oldKey, MemorySegment newKey) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment zPath = arena.allocateFrom(path, StandardCharsets.UTF_8);
            MemorySegment zVfs = vfs == null ? MemorySegment.NULL : arena.allocateFrom(vfs, StandardCharsets.UTF_8);
            MemorySegment err = arena.allocate(ERR_LEN);
            int rc = ancdb_h.ancdb_rekey(zPath, zVfs, oldKey, (int) oldKey.byteSize(), newKey, (int) newKey.byteSize(),
                    err, ERR_LEN);
            if (rc != NativeErrors.OK) {
                throw NativeErrors.exception(rc, "rekey", err.getString(0, StandardCharsets.UTF_8));
            }
        }
    }

    public long handle() {
        return handle;
    }

    public boolean isOpen() {
        return handle != 0;
    }

    /** Out-parameter slot {@code i} (0..7). */
    public MemorySegment out(int i) {
        return memory().out.asSlice(i * 8L, 8);
    }

    public int outInt(int i) {
        return memory().out.get(ValueLayout.JAVA_INT, i * 8L);
    }

    public long outLong(int i) {
        return memory().out.get(ValueLayout.JAVA_LONG, i * 8L);
    }

    /** Scratch memory of at least {@code size} bytes, valid until the next call. */
    public MemorySegment scratch(long size) {
        return memory().scratch(size);
    }

    /** This open connection's memory; a closed connection has none (its block may serve another now). */
    private ConnectionMemory memory() {
        ConnectionMemory m = memory;
        if (m == null) {
            throw NativeErrors.exception(ancdb_h.ANCDB_MISUSE, "use of a closed connection", null);
        }
        return m;
    }

    /** Copies {@code bytes} into scratch memory and returns that slice. */
    public MemorySegment scratchFrom(byte[] bytes) {
        MemorySegment s = scratch(bytes.length);
        MemorySegment.copy(bytes, 0, s, ValueLayout.JAVA_BYTE, 0, bytes.length);
        return s;
    }

    /** Throws the mapped exception unless {@code rc} is OK. */
    public void check(int rc, String op) {
        if (rc != NativeErrors.OK) {
            throw failure(rc, op);
        }
    }

    /** The mapped exception for a failed call, with the native message. */
    public AncDbException failure(int rc, String op) {
        String detail = null;
        ConnectionMemory m = memory;
        if (handle != 0 && m != null && ancdb_h.ancdb_errmsg(handle, m.errBuf, ERR_LEN) == NativeErrors.OK) {
            detail = m.errBuf.getString(0, StandardCharsets.UTF_8);
        }
        return NativeErrors.exception(rc, op, detail);
    }

    // --- transactions -------------------------------------------------------

    /** Begins a transaction; returns the schema cookie. */
    public int begin(boolean write) {
        check(ancdb_h.ancdb_begin(handle, write ? 1 : 0, out(0)), write ? "begin write" : "begin read");
        return outInt(0);
    }

    /**
     * Begins a read transaction, reusing the one {@link #readEnd(boolean)}
     * kept when nothing has committed since (then without a system call);
     * returns the schema cookie. {@link #lastReadReused()} tells which.
     */
    public int readBegin() {
        check(ancdb_h.ancdb_read_begin(handle, out(0), out(1)), "begin read");
        lastReadReused = outInt(1) != 0;
        return outInt(0);
    }

    /** Whether the last {@link #readBegin()} reused a kept transaction. */
    public boolean lastReadReused() {
        return lastReadReused;
    }

    /**
     * Ends a read transaction; with {@code keep} it may stay open for the next
     * {@link #readBegin()} (WAL mode only, see {@code ancdb_read_end}).
     * Returns whether it did.
     */
    public boolean readEnd(boolean keep) {
        check(ancdb_h.ancdb_read_end(handle, keep ? 1 : 0, out(0)), "end read");
        return outInt(0) != 0;
    }

    /**
     * Ends a read transaction but holds it for the next {@link #readBegin()}
     * ({@code ANCDB_READ_HOLD}): as a kept snapshot in WAL mode, and in
     * rollback-journal mode with its SHARED lock, which stops other processes'
     * commits until it ends. Returns whether it is held; when not (a WAL snapshot that would
     * hold back a due checkpoint, or is no longer the newest) the transaction has ended.
     */
    public boolean readHold() {
        check(ancdb_h.ancdb_read_end(handle, ancdb_h.ANCDB_READ_HOLD, out(0)), "end read");
        return outInt(0) != 0;
    }

    public void commit() {
        check(ancdb_h.ancdb_commit(handle), "commit");
    }

    public void rollback() {
        check(ancdb_h.ancdb_rollback(handle), "rollback");
    }

    public int txnState() {
        check(ancdb_h.ancdb_txn_state(handle, out(0)), "txn state");
        return outInt(0);
    }

    public int savepointBegin() {
        check(ancdb_h.ancdb_savepoint_begin(handle, out(0)), "savepoint");
        return outInt(0);
    }

    public void savepointRelease(int level) {
        check(ancdb_h.ancdb_savepoint_release(handle, level), "release savepoint");
    }

    public void savepointRollback(int level) {
        check(ancdb_h.ancdb_savepoint_rollback(handle, level), "rollback to savepoint");
    }

    public boolean isWal() {
        check(ancdb_h.ancdb_is_wal(handle, out(0)), "journal mode");
        return outInt(0) != 0;
    }

    /** The record of {@code rowid} in the table b-tree at {@code root}, or null: one downcall. */
    public byte[] tableGet(int root, long rowid) {
        MemorySegment buf = memory().scratch();
        int rc = ancdb_h.ancdb_table_get(handle, root, rowid, buf, (int) Math.min(buf.byteSize(), Integer.MAX_VALUE), out(2));
        if (rc == NativeErrors.DONE) {
            return null;
        }
        check(rc, "get");
        int n = outInt(2);
        if (n > buf.byteSize()) {                 // larger than the scratch: grow it and read again
            buf = scratch(n);
            rc = ancdb_h.ancdb_table_get(handle, root, rowid, buf, n, out(2));
            if (rc == NativeErrors.DONE) {
                return null;
            }
            check(rc, "get");
            n = outInt(2);
        }
        byte[] bytes = new byte[n];
        MemorySegment.copy(buf, ValueLayout.JAVA_BYTE, 0, bytes, 0, n);
        return bytes;
    }

    // --- b-trees and meta ---------------------------------------------------

    public int createBtree(boolean index) {
        check(ancdb_h.ancdb_btree_create(handle, index ? ancdb_h.ANCDB_BTREE_INDEX : ancdb_h.ANCDB_BTREE_TABLE, out(0)),
              "create b-tree");
        return outInt(0);
    }

    public void dropBtree(int root) {
        check(ancdb_h.ancdb_btree_drop(handle, root), "drop b-tree");
    }

    public int metaGet(int idx) {
        check(ancdb_h.ancdb_meta_get(handle, idx, out(0)), "read meta");
        return outInt(0);
    }

    public void metaSet(int idx, int value) {
        check(ancdb_h.ancdb_meta_set(handle, idx, value), "write meta");
    }

    /** Runs the B-tree integrity check; returns "" when clean, else the report. */
    public String integrityCheck(int[] roots, int maxErrors) {
        MemorySegment aRoot = scratch(Math.max(4, roots.length * 4L));
        MemorySegment.copy(roots, 0, aRoot, ValueLayout.JAVA_INT, 0, roots.length);
        try (Arena a = Arena.ofConfined()) {
            MemorySegment report = a.allocate(64 * 1024);
            check(ancdb_h.ancdb_integrity_check(handle, aRoot, roots.length, maxErrors, report,
                    (int) report.byteSize(), out(0)), "integrity check");
            return outInt(0) == 0 ? "" : report.getString(0, StandardCharsets.UTF_8);
        }
    }

    public void checkpoint(int mode) {
        check(ancdb_h.ancdb_checkpoint(handle, mode, MemorySegment.NULL, MemorySegment.NULL), "checkpoint");
    }

    // --- lifecycle ------------------------------------------------------------

    @Override
    public void close() {
        if (handle == 0) {
            return;
        }
        long h = handle;
        handle = 0;
        ConnectionMemory m = memory;
        memory = null;                      // before the block can serve another connection
        try {
            int rc = ancdb_h.ancdb_close(h);
            if (rc != NativeErrors.OK) {
                throw NativeErrors.exception(rc, "close", null);
            }
        } finally {
            m.release();
        }
    }
}

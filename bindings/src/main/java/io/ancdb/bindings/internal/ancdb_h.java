// GENERATED from native/ancdb.h by extract-tools/gen_bindings.py -- DO NOT EDIT.
// Regenerate with `make bindings`; CI checks it with --check.
// Header sha256: 679615aad28ee23a65fc779a3dbb5fa23528a872030538949454deb6c4d4926b

package io.ancdb.bindings.internal;

import java.lang.foreign.AddressLayout;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * Java bindings for {@code native/ancdb.h}: constants, downcall handles and
 * wrappers, one per {@code ANCDB_API} function. Functions marked
 * {@code ANCDB_LEAF} in the header are bound as critical downcalls.
 */
@SuppressWarnings("restricted")
public final class ancdb_h {

    private ancdb_h() {
        // static members only
    }

    /** Layout of {@code int32_t} and {@code uint32_t}. */
    public static final ValueLayout.OfInt C_INT = ValueLayout.JAVA_INT;
    /** Layout of {@code int64_t}, {@code uint64_t} and handles. */
    public static final ValueLayout.OfLong C_LONG_LONG = ValueLayout.JAVA_LONG;
    /** Layout of every pointer (zero-length target). */
    public static final AddressLayout C_POINTER = ValueLayout.ADDRESS;

    static final SymbolLookup SYMBOL_LOOKUP = io.ancdb.bindings.NativeLibrary.lookup();

    static MemorySegment findOrThrow(String symbol) {
        return SYMBOL_LOOKUP.find(symbol)
            .orElseThrow(() -> new UnsatisfiedLinkError("unresolved symbol: " + symbol));
    }

    /** {@code ANCDB_OK}: Success */
    public static final int ANCDB_OK = 0;
    /** {@code ANCDB_ERROR}: Generic error */
    public static final int ANCDB_ERROR = 1;
    /** {@code ANCDB_PERM}: Access permission denied */
    public static final int ANCDB_PERM = 3;
    /** {@code ANCDB_ABORT}: Operation aborted */
    public static final int ANCDB_ABORT = 4;
    /** {@code ANCDB_BUSY}: The file is locked by another connection */
    public static final int ANCDB_BUSY = 5;
    /** {@code ANCDB_LOCKED}: A b-tree is in use by an open cursor */
    public static final int ANCDB_LOCKED = 6;
    /** {@code ANCDB_NOMEM}: Out of memory */
    public static final int ANCDB_NOMEM = 7;
    /** {@code ANCDB_READONLY}: Write to a read-only database */
    public static final int ANCDB_READONLY = 8;
    /** {@code ANCDB_IOERR}: Disk I/O error */
    public static final int ANCDB_IOERR = 10;
    /** {@code ANCDB_CORRUPT}: The database file is malformed */
    public static final int ANCDB_CORRUPT = 11;
    /** {@code ANCDB_FULL}: Disk or database full */
    public static final int ANCDB_FULL = 13;
    /** {@code ANCDB_CANTOPEN}: Unable to open the file */
    public static final int ANCDB_CANTOPEN = 14;
    /** {@code ANCDB_PROTOCOL}: Locking protocol error */
    public static final int ANCDB_PROTOCOL = 15;
    /** {@code ANCDB_TOOBIG}: String, BLOB or record over SQLite's length limit */
    public static final int ANCDB_TOOBIG = 18;
    /** {@code ANCDB_CONSTRAINT}: Constraint violation */
    public static final int ANCDB_CONSTRAINT = 19;
    /** {@code ANCDB_MISMATCH}: Data type or handle kind mismatch */
    public static final int ANCDB_MISMATCH = 20;
    /** {@code ANCDB_MISUSE}: API used incorrectly (bad handle, state) */
    public static final int ANCDB_MISUSE = 21;
    /** {@code ANCDB_RANGE}: Argument out of range */
    public static final int ANCDB_RANGE = 25;
    /** {@code ANCDB_NOTADB}: File is not a database */
    public static final int ANCDB_NOTADB = 26;
    /** {@code ANCDB_DONE}: Cursor moved past the last/first entry */
    public static final int ANCDB_DONE = 101;
    /** {@code ANCDB_IOERR_READ}: read() failed */
    public static final int ANCDB_IOERR_READ = 266;
    /** {@code ANCDB_IOERR_SHORT_READ}: The file ended before the page */
    public static final int ANCDB_IOERR_SHORT_READ = 522;
    /** {@code ANCDB_IOERR_WRITE}: write() failed */
    public static final int ANCDB_IOERR_WRITE = 778;
    /** {@code ANCDB_IOERR_FSYNC}: fsync() of the file failed */
    public static final int ANCDB_IOERR_FSYNC = 1034;
    /** {@code ANCDB_IOERR_DIR_FSYNC}: fsync() of the directory failed */
    public static final int ANCDB_IOERR_DIR_FSYNC = 1290;
    /** {@code ANCDB_IOERR_TRUNCATE}: ftruncate() failed */
    public static final int ANCDB_IOERR_TRUNCATE = 1546;
    /** {@code ANCDB_IOERR_FSTAT}: fstat() failed */
    public static final int ANCDB_IOERR_FSTAT = 1802;
    /** {@code ANCDB_IOERR_UNLOCK}: Releasing a file lock failed */
    public static final int ANCDB_IOERR_UNLOCK = 2058;
    /** {@code ANCDB_IOERR_RDLOCK}: Taking a read lock failed */
    public static final int ANCDB_IOERR_RDLOCK = 2314;
    /** {@code ANCDB_IOERR_DELETE}: unlink() of the journal failed */
    public static final int ANCDB_IOERR_DELETE = 2570;
    /** {@code ANCDB_IOERR_NOMEM}: The I/O layer could not allocate */
    public static final int ANCDB_IOERR_NOMEM = 3082;
    /** {@code ANCDB_IOERR_ACCESS}: access() failed */
    public static final int ANCDB_IOERR_ACCESS = 3338;
    /** {@code ANCDB_IOERR_CHECKRESERVEDLOCK}: Testing for a reserved lock failed */
    public static final int ANCDB_IOERR_CHECKRESERVEDLOCK = 3594;
    /** {@code ANCDB_IOERR_LOCK}: Taking a file lock failed */
    public static final int ANCDB_IOERR_LOCK = 3850;
    /** {@code ANCDB_IOERR_CLOSE}: close() failed */
    public static final int ANCDB_IOERR_CLOSE = 4106;
    /** {@code ANCDB_IOERR_SHMOPEN}: Opening the WAL's shared-memory file failed */
    public static final int ANCDB_IOERR_SHMOPEN = 4618;
    /** {@code ANCDB_IOERR_SHMSIZE}: Sizing it failed */
    public static final int ANCDB_IOERR_SHMSIZE = 4874;
    /** {@code ANCDB_IOERR_SHMLOCK}: Locking it failed */
    public static final int ANCDB_IOERR_SHMLOCK = 5130;
    /** {@code ANCDB_IOERR_SHMMAP}: Mapping it failed */
    public static final int ANCDB_IOERR_SHMMAP = 5386;
    /** {@code ANCDB_IOERR_SEEK}: lseek() failed */
    public static final int ANCDB_IOERR_SEEK = 5642;
    /** {@code ANCDB_OPEN_READONLY}: Open read-only */
    public static final int ANCDB_OPEN_READONLY = 0x0001;
    /** {@code ANCDB_OPEN_CREATE}: Create the file if missing */
    public static final int ANCDB_OPEN_CREATE = 0x0002;
    /** {@code ANCDB_OPEN_WAL}: Journal mode WAL (else DELETE) */
    public static final int ANCDB_OPEN_WAL = 0x0004;
    /** {@code ANCDB_OPEN_EXCLUSIVE}: Exclusive locking mode */
    public static final int ANCDB_OPEN_EXCLUSIVE = 0x0008;
    /** {@code ANCDB_OPEN_SYNC_OFF}: synchronous=OFF */
    public static final int ANCDB_OPEN_SYNC_OFF = 0x0010;
    /** {@code ANCDB_OPEN_SYNC_NORMAL}: synchronous=NORMAL */
    public static final int ANCDB_OPEN_SYNC_NORMAL = 0x0020;
    /** {@code ANCDB_OPEN_SYNC_FULL}: synchronous=FULL (the default) */
    public static final int ANCDB_OPEN_SYNC_FULL = 0x0030;
    /** {@code ANCDB_OPEN_SYNC_EXTRA}: synchronous=EXTRA */
    public static final int ANCDB_OPEN_SYNC_EXTRA = 0x0040;
    /** {@code ANCDB_OPEN_SYNC_MASK} */
    public static final int ANCDB_OPEN_SYNC_MASK = 0x0070;
    /** {@code ANCDB_OPEN_KEEP_JOURNAL}: Keep the file's current journal mode */
    public static final int ANCDB_OPEN_KEEP_JOURNAL = 0x0080;
    /** {@code ANCDB_OPEN_KEEP_READ}: The next ancdb_read_begin() continues the open's read */
    public static final int ANCDB_OPEN_KEEP_READ = 0x0100;
    /** {@code ANCDB_READ_HOLD}: hold it in any journal mode (see ancdb_read_end) */
    public static final int ANCDB_READ_HOLD = 2;
    /** {@code ANCDB_TXN_NONE} */
    public static final int ANCDB_TXN_NONE = 0;
    /** {@code ANCDB_TXN_READ} */
    public static final int ANCDB_TXN_READ = 1;
    /** {@code ANCDB_TXN_WRITE} */
    public static final int ANCDB_TXN_WRITE = 2;
    /** {@code ANCDB_BTREE_TABLE}: 64-bit integer key (rowid) + record */
    public static final int ANCDB_BTREE_TABLE = 1;
    /** {@code ANCDB_BTREE_INDEX}: Record key only, compared field by field */
    public static final int ANCDB_BTREE_INDEX = 2;
    /** {@code ANCDB_CURSOR_WRITE}: Cursor may insert and delete */
    public static final int ANCDB_CURSOR_WRITE = 0x0001;
    /** {@code ANCDB_META_SCHEMA_VERSION}: Schema cookie: bump on change */
    public static final int ANCDB_META_SCHEMA_VERSION = 1;
    /** {@code ANCDB_META_FILE_FORMAT}: Schema format number (4) */
    public static final int ANCDB_META_FILE_FORMAT = 2;
    /** {@code ANCDB_META_DEFAULT_CACHE} */
    public static final int ANCDB_META_DEFAULT_CACHE = 3;
    /** {@code ANCDB_META_LARGEST_ROOT}: Autovacuum only */
    public static final int ANCDB_META_LARGEST_ROOT = 4;
    /** {@code ANCDB_META_TEXT_ENCODING}: 1 = UTF-8 */
    public static final int ANCDB_META_TEXT_ENCODING = 5;
    /** {@code ANCDB_META_USER_VERSION} */
    public static final int ANCDB_META_USER_VERSION = 6;
    /** {@code ANCDB_META_INCR_VACUUM} */
    public static final int ANCDB_META_INCR_VACUUM = 7;
    /** {@code ANCDB_META_APPLICATION_ID} */
    public static final int ANCDB_META_APPLICATION_ID = 8;
    /** {@code ANCDB_META_DATA_VERSION}: Read-only: changes when others commit */
    public static final int ANCDB_META_DATA_VERSION = 15;
    /** {@code ANCDB_CHECKPOINT_PASSIVE} */
    public static final int ANCDB_CHECKPOINT_PASSIVE = 0;
    /** {@code ANCDB_CHECKPOINT_FULL} */
    public static final int ANCDB_CHECKPOINT_FULL = 1;
    /** {@code ANCDB_CHECKPOINT_RESTART} */
    public static final int ANCDB_CHECKPOINT_RESTART = 2;
    /** {@code ANCDB_CHECKPOINT_TRUNCATE} */
    public static final int ANCDB_CHECKPOINT_TRUNCATE = 3;
    /** {@code ANCDB_FAULT_READ}: Kinds of counted call */
    public static final int ANCDB_FAULT_READ = 1;
    /** {@code ANCDB_FAULT_WRITE} */
    public static final int ANCDB_FAULT_WRITE = 2;
    /** {@code ANCDB_FAULT_SYNC} */
    public static final int ANCDB_FAULT_SYNC = 3;
    /** {@code ANCDB_FAULT_TRUNCATE} */
    public static final int ANCDB_FAULT_TRUNCATE = 4;
    /** {@code ANCDB_FAULT_LOCK} */
    public static final int ANCDB_FAULT_LOCK = 5;
    /** {@code ANCDB_FAULT_IOERR}: Fail with the kind's I/O error code */
    public static final int ANCDB_FAULT_IOERR = 1;
    /** {@code ANCDB_FAULT_FULL}: Fail with ANCDB_FULL (write, sync, truncate) */
    public static final int ANCDB_FAULT_FULL = 2;
    /** {@code ANCDB_FAULT_CRASH}: Power loss: drop unsynced writes, then fail all I/O */
    public static final int ANCDB_FAULT_CRASH = 3;
    /** {@code ANCDB_FAULT_BUFFER}: Hold writes in memory until xSync (CRASH needs it) */
    public static final int ANCDB_FAULT_BUFFER = 0x0001;
    /** {@code ANCDB_FAULT_NOSYNC}: Count xSync but skip the real fsync */
    public static final int ANCDB_FAULT_NOSYNC = 0x0002;
    /** {@code ANCDB_FAULT_TORN}: A crash keeps a random subset of unsynced writes */
    public static final int ANCDB_FAULT_TORN = 0x0004;

    private static final class ancdb_version {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(
            C_INT
        );

        static final MemorySegment ADDR = findOrThrow("ancdb_version");

        static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC, Linker.Option.critical(true));
    }

    /**
     * Downcall descriptor for:
     * {@snippet lang=c :
     * ANCDB_LEAF int32_t ancdb_version(void)
     * }
     *
     * @return the downcall descriptor
     */
    public static FunctionDescriptor ancdb_version$descriptor() {
        return ancdb_version.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * ANCDB_LEAF int32_t ancdb_version(void)
     * }
     *
     * @return the downcall method handle
     */
    public static MethodHandle ancdb_version$handle() {
        return ancdb_version.HANDLE;
    }

    /**
     * Downcall address for:
     * {@snippet lang=c :
     * ANCDB_LEAF int32_t ancdb_version(void)
     * }
     *
     * @return the downcall address
     */
    public static MemorySegment ancdb_version$address() {
        return ancdb_version.ADDR;
    }

    /**
     * {@snippet lang=c :
     * ANCDB_LEAF int32_t ancdb_version(void)
     * }
     *
     * @return the {@code int32_t} result
     */
    public static int ancdb_version() {
        var mh$ = ancdb_version.HANDLE;
        try {
            return (int) mh$.invokeExact();
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class ancdb_sqlite_version {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(
            C_INT
        );

        static final MemorySegment ADDR = findOrThrow("ancdb_sqlite_version");

        static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC, Linker.Option.critical(true));
    }

    /**
     * Downcall descriptor for:
     * {@snippet lang=c :
     * ANCDB_LEAF int32_t ancdb_sqlite_version(void)
     * }
     *
     * @return the downcall descriptor
     */
    public static FunctionDescriptor ancdb_sqlite_version$descriptor() {
        return ancdb_sqlite_version.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * ANCDB_LEAF int32_t ancdb_sqlite_version(void)
     * }
     *
     * @return the downcall method handle
     */
    public static MethodHandle ancdb_sqlite_version$handle() {
        return ancdb_sqlite_version.HANDLE;
    }

    /**
     * Downcall address for:
     * {@snippet lang=c :
     * ANCDB_LEAF int32_t ancdb_sqlite_version(void)
     * }
     *
     * @return the downcall address
     */
    public static MemorySegment ancdb_sqlite_version$address() {
        return ancdb_sqlite_version.ADDR;
    }

    /**
     * {@snippet lang=c :
     * ANCDB_LEAF int32_t ancdb_sqlite_version(void)
     * }
     *
     * @return the {@code int32_t} result
     */
    public static int ancdb_sqlite_version() {
        var mh$ = ancdb_sqlite_version.HANDLE;
        try {
            return (int) mh$.invokeExact();
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class ancdb_errstr {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(
            C_INT,
            C_INT,
            C_POINTER,
            C_INT
        );

        static final MemorySegment ADDR = findOrThrow("ancdb_errstr");

        static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC, Linker.Option.critical(true));
    }

    /**
     * Downcall descriptor for:
     * {@snippet lang=c :
     * ANCDB_LEAF int32_t ancdb_errstr(int32_t rc, char *zBuf, int32_t nBuf)
     * }
     *
     * @return the downcall descriptor
     */
    public static FunctionDescriptor ancdb_errstr$descriptor() {
        return ancdb_errstr.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * ANCDB_LEAF int32_t ancdb_errstr(int32_t rc, char *zBuf, int32_t nBuf)
     * }
     *
     * @return the downcall method handle
     */
    public static MethodHandle ancdb_errstr$handle() {
        return ancdb_errstr.HANDLE;
    }

    /**
     * Downcall address for:
     * {@snippet lang=c :
     * ANCDB_LEAF int32_t ancdb_errstr(int32_t rc, char *zBuf, int32_t nBuf)
     * }
     *
     * @return the downcall address
     */
    public static MemorySegment ancdb_errstr$address() {
        return ancdb_errstr.ADDR;
    }

    /**
     * {@snippet lang=c :
     * ANCDB_LEAF int32_t ancdb_errstr(int32_t rc, char *zBuf, int32_t nBuf)
     * }
     *
     * @param rc {@code int32_t rc}
     * @param zBuf {@code char *zBuf}
     * @param nBuf {@code int32_t nBuf}
     * @return the {@code int32_t} result
     */
    public static int ancdb_errstr(int rc, MemorySegment zBuf, int nBuf) {
        var mh$ = ancdb_errstr.HANDLE;
        try {
            return (int) mh$.invokeExact(rc, zBuf, nBuf);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class ancdb_open {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(
            C_INT,
            C_POINTER,
            C_INT,
            C_INT,
            C_INT,
            C_LONG_LONG,
            C_POINTER,
            C_INT,
            C_POINTER
        );

        static final MemorySegment ADDR = findOrThrow("ancdb_open");

        static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Downcall descriptor for:
     * {@snippet lang=c :
     * int32_t ancdb_open(const char *zPath, uint32_t flags, int32_t nCachePages, int32_t busyTimeoutMs, int64_t mmapBytes, char *zErr, int32_t nErr, ancdb_db *pDb)
     * }
     *
     * @return the downcall descriptor
     */
    public static FunctionDescriptor ancdb_open$descriptor() {
        return ancdb_open.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * int32_t ancdb_open(const char *zPath, uint32_t flags, int32_t nCachePages, int32_t busyTimeoutMs, int64_t mmapBytes, char *zErr, int32_t nErr, ancdb_db *pDb)
     * }
     *
     * @return the downcall method handle
     */
    public static MethodHandle ancdb_open$handle() {
        return ancdb_open.HANDLE;
    }

    /**
     * Downcall address for:
     * {@snippet lang=c :
     * int32_t ancdb_open(const char *zPath, uint32_t flags, int32_t nCachePages, int32_t busyTimeoutMs, int64_t mmapBytes, char *zErr, int32_t nErr, ancdb_db *pDb)
     * }
     *
     * @return the downcall address
     */
    public static MemorySegment ancdb_open$address() {
        return ancdb_open.ADDR;
    }

    /**
     * {@snippet lang=c :
     * int32_t ancdb_open(const char *zPath, uint32_t flags, int32_t nCachePages, int32_t busyTimeoutMs, int64_t mmapBytes, char *zErr, int32_t nErr, ancdb_db *pDb)
     * }
     *
     * @param zPath {@code const char *zPath}
     * @param flags {@code uint32_t flags}
     * @param nCachePages {@code int32_t nCachePages}
     * @param busyTimeoutMs {@code int32_t busyTimeoutMs}
     * @param mmapBytes {@code int64_t mmapBytes}
     * @param zErr {@code char *zErr}
     * @param nErr {@code int32_t nErr}
     * @param pDb {@code ancdb_db *pDb}
     * @return the {@code int32_t} result
     */
    public static int ancdb_open(MemorySegment zPath, int flags, int nCachePages, int busyTimeoutMs, long mmapBytes, MemorySegment zErr, int nErr, MemorySegment pDb) {
        var mh$ = ancdb_open.HANDLE;
        try {
            return (int) mh$.invokeExact(zPath, flags, nCachePages, busyTimeoutMs, mmapBytes, zErr, nErr, pDb);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class ancdb_open_vfs {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(
            C_INT,
            C_POINTER,
            C_INT,
            C_INT,
            C_INT,
            C_LONG_LONG,
            C_POINTER,
            C_POINTER,
            C_INT,
            C_POINTER
        );

        static final MemorySegment ADDR = findOrThrow("ancdb_open_vfs");

        static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Downcall descriptor for:
     * {@snippet lang=c :
     * int32_t ancdb_open_vfs(const char *zPath, uint32_t flags, int32_t nCachePages, int32_t busyTimeoutMs, int64_t mmapBytes, const char *zVfs, char *zErr, int32_t nErr, ancdb_db *pDb)
     * }
     *
     * @return the downcall descriptor
     */
    public static FunctionDescriptor ancdb_open_vfs$descriptor() {
        return ancdb_open_vfs.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * int32_t ancdb_open_vfs(const char *zPath, uint32_t flags, int32_t nCachePages, int32_t busyTimeoutMs, int64_t mmapBytes, const char *zVfs, char *zErr, int32_t nErr, ancdb_db *pDb)
     * }
     *
     * @return the downcall method handle
     */
    public static MethodHandle ancdb_open_vfs$handle() {
        return ancdb_open_vfs.HANDLE;
    }

    /**
     * Downcall address for:
     * {@snippet lang=c :
     * int32_t ancdb_open_vfs(const char *zPath, uint32_t flags, int32_t nCachePages, int32_t busyTimeoutMs, int64_t mmapBytes, const char *zVfs, char *zErr, int32_t nErr, ancdb_db *pDb)
     * }
     *
     * @return the downcall address
     */
    public static MemorySegment ancdb_open_vfs$address() {
        return ancdb_open_vfs.ADDR;
    }

    /**
     * {@snippet lang=c :
     * int32_t ancdb_open_vfs(const char *zPath, uint32_t flags, int32_t nCachePages, int32_t busyTimeoutMs, int64_t mmapBytes, const char *zVfs, char *zErr, int32_t nErr, ancdb_db *pDb)
     * }
     *
     * @param zPath {@code const char *zPath}
     * @param flags {@code uint32_t flags}
     * @param nCachePages {@code int32_t nCachePages}
     * @param busyTimeoutMs {@code int32_t busyTimeoutMs}
     * @param mmapBytes {@code int64_t mmapBytes}
     * @param zVfs {@code const char *zVfs}
     * @param zErr {@code char *zErr}
     * @param nErr {@code int32_t nErr}
     * @param pDb {@code ancdb_db *pDb}
     * @return the {@code int32_t} result
     */
    public static int ancdb_open_vfs(MemorySegment zPath, int flags, int nCachePages, int busyTimeoutMs, long mmapBytes, MemorySegment zVfs, MemorySegment zErr, int nErr, MemorySegment pDb) {
        var mh$ = ancdb_open_vfs.HANDLE;
        try {
            return (int) mh$.invokeExact(zPath, flags, nCachePages, busyTimeoutMs, mmapBytes, zVfs, zErr, nErr, pDb);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class ancdb_open_key {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(
            C_INT,
            C_POINTER,
            C_INT,
            C_INT,
            C_INT,
            C_LONG_LONG,
            C_POINTER,
            C_POINTER,
            C_INT,
            C_POINTER,
            C_INT,
            C_POINTER
        );

        static final MemorySegment ADDR = findOrThrow("ancdb_open_key");

        static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Downcall descriptor for:
     * {@snippet lang=c :
     * int32_t ancdb_open_key(const char *zPath, uint32_t flags, int32_t nCachePages, int32_t busyTimeoutMs, int64_t mmapBytes, const char *zVfs, const void *pKey, int32_t nKey, char *zErr, int32_t nErr, ancdb_db *pDb)
     * }
     *
     * @return the downcall descriptor
     */
    public static FunctionDescriptor ancdb_open_key$descriptor() {
        return ancdb_open_key.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * int32_t ancdb_open_key(const char *zPath, uint32_t flags, int32_t nCachePages, int32_t busyTimeoutMs, int64_t mmapBytes, const char *zVfs, const void *pKey, int32_t nKey, char *zErr, int32_t nErr, ancdb_db *pDb)
     * }
     *
     * @return the downcall method handle
     */
    public static MethodHandle ancdb_open_key$handle() {
        return ancdb_open_key.HANDLE;
    }

    /**
     * Downcall address for:
     * {@snippet lang=c :
     * int32_t ancdb_open_key(const char *zPath, uint32_t flags, int32_t nCachePages, int32_t busyTimeoutMs, int64_t mmapBytes, const char *zVfs, const void *pKey, int32_t nKey, char *zErr, int32_t nErr, ancdb_db *pDb)
     * }
     *
     * @return the downcall address
     */
    public static MemorySegment ancdb_open_key$address() {
        return ancdb_open_key.ADDR;
    }

    /**
     * {@snippet lang=c :
     * int32_t ancdb_open_key(const char *zPath, uint32_t flags, int32_t nCachePages, int32_t busyTimeoutMs, int64_t mmapBytes, const char *zVfs, const void *pKey, int32_t nKey, char *zErr, int32_t nErr, ancdb_db *pDb)
     * }
     *
     * @param zPath {@code const char *zPath}
     * @param flags {@code uint32_t flags}
     * @param nCachePages {@code int32_t nCachePages}
     * @param busyTimeoutMs {@code int32_t busyTimeoutMs}
     * @param mmapBytes {@code int64_t mmapBytes}
     * @param zVfs {@code const char *zVfs}
     * @param pKey {@code const void *pKey}
     * @param nKey {@code int32_t nKey}
     * @param zErr {@code char *zErr}
     * @param nErr {@code int32_t nErr}
     * @param pDb {@code ancdb_db *pDb}
     * @return the {@code int32_t} result
     */
    public static int ancdb_open_key(MemorySegment zPath, int flags, int nCachePages, int busyTimeoutMs, long mmapBytes, MemorySegment zVfs, MemorySegment pKey, int nKey, MemorySegment zErr, int nErr, MemorySegment pDb) {
        var mh$ = ancdb_open_key.HANDLE;
        try {
            return (int) mh$.invokeExact(zPath, flags, nCachePages, busyTimeoutMs, mmapBytes, zVfs, pKey, nKey, zErr, nErr, pDb);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class ancdb_key_export {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(
            C_INT,
            C_LONG_LONG,
            C_POINTER,
            C_INT
        );

        static final MemorySegment ADDR = findOrThrow("ancdb_key_export");

        static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Downcall descriptor for:
     * {@snippet lang=c :
     * int32_t ancdb_key_export(ancdb_db db, char *zOut, int32_t nOut)
     * }
     *
     * @return the downcall descriptor
     */
    public static FunctionDescriptor ancdb_key_export$descriptor() {
        return ancdb_key_export.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * int32_t ancdb_key_export(ancdb_db db, char *zOut, int32_t nOut)
     * }
     *
     * @return the downcall method handle
     */
    public static MethodHandle ancdb_key_export$handle() {
        return ancdb_key_export.HANDLE;
    }

    /**
     * Downcall address for:
     * {@snippet lang=c :
     * int32_t ancdb_key_export(ancdb_db db, char *zOut, int32_t nOut)
     * }
     *
     * @return the downcall address
     */
    public static MemorySegment ancdb_key_export$address() {
        return ancdb_key_export.ADDR;
    }

    /**
     * {@snippet lang=c :
     * int32_t ancdb_key_export(ancdb_db db, char *zOut, int32_t nOut)
     * }
     *
     * @param db {@code ancdb_db db}
     * @param zOut {@code char *zOut}
     * @param nOut {@code int32_t nOut}
     * @return the {@code int32_t} result
     */
    public static int ancdb_key_export(long db, MemorySegment zOut, int nOut) {
        var mh$ = ancdb_key_export.HANDLE;
        try {
            return (int) mh$.invokeExact(db, zOut, nOut);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class ancdb_rekey {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(
            C_INT,
            C_POINTER,
            C_POINTER,
            C_POINTER,
            C_INT,
            C_POINTER,
            C_INT,
            C_POINTER,
            C_INT
        );

        static final MemorySegment ADDR = findOrThrow("ancdb_rekey");

        static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Downcall descriptor for:
     * {@snippet lang=c :
     * int32_t ancdb_rekey(const char *zPath, const char *zVfs, const void *pOldKey, int32_t nOldKey, const void *pNewKey, int32_t nNewKey, char *zErr, int32_t nErr)
     * }
     *
     * @return the downcall descriptor
     */
    public static FunctionDescriptor ancdb_rekey$descriptor() {
        return ancdb_rekey.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * int32_t ancdb_rekey(const char *zPath, const char *zVfs, const void *pOldKey, int32_t nOldKey, const void *pNewKey, int32_t nNewKey, char *zErr, int32_t nErr)
     * }
     *
     * @return the downcall method handle
     */
    public static MethodHandle ancdb_rekey$handle() {
        return ancdb_rekey.HANDLE;
    }

    /**
     * Downcall address for:
     * {@snippet lang=c :
     * int32_t ancdb_rekey(const char *zPath, const char *zVfs, const void *pOldKey, int32_t nOldKey, const void *pNewKey, int32_t nNewKey, char *zErr, int32_t nErr)
     * }
     *
     * @return the downcall address
     */
    public static MemorySegment ancdb_rekey$address() {
        return ancdb_rekey.ADDR;
    }

    /**
     * {@snippet lang=c :
     * int32_t ancdb_rekey(const char *zPath, const char *zVfs, const void *pOldKey, int32_t nOldKey, const void *pNewKey, int32_t nNewKey, char *zErr, int32_t nErr)
     * }
     *
     * @param zPath {@code const char *zPath}
     * @param zVfs {@code const char *zVfs}
     * @param pOldKey {@code const void *pOldKey}
     * @param nOldKey {@code int32_t nOldKey}
     * @param pNewKey {@code const void *pNewKey}
     * @param nNewKey {@code int32_t nNewKey}
     * @param zErr {@code char *zErr}
     * @param nErr {@code int32_t nErr}
     * @return the {@code int32_t} result
     */
    public static int ancdb_rekey(MemorySegment zPath, MemorySegment zVfs, MemorySegment pOldKey, int nOldKey, MemorySegment pNewKey, int nNewKey, MemorySegment zErr, int nErr) {
        var mh$ = ancdb_rekey.HANDLE;
        try {
            return (int) mh$.invokeExact(zPath, zVfs, pOldKey, nOldKey, pNewKey, nNewKey, zErr, nErr);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class ancdb_close {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(
            C_INT,
            C_LONG_LONG
        );

        static final MemorySegment ADDR = findOrThrow("ancdb_close");

        static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Downcall descriptor for:
     * {@snippet lang=c :
     * int32_t ancdb_close(ancdb_db db)
     * }
     *
     * @return the downcall descriptor
     */
    public static FunctionDescriptor ancdb_close$descriptor() {
        return ancdb_close.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * int32_t ancdb_close(ancdb_db db)
     * }
     *
     * @return the downcall method handle
     */
    public static MethodHandle ancdb_close$handle() {
        return ancdb_close.HANDLE;
    }

    /**
     * Downcall address for:
     * {@snippet lang=c :
     * int32_t ancdb_close(ancdb_db db)
     * }
     *
     * @return the downcall address
     */
    public static MemorySegment ancdb_close$address() {
        return ancdb_close.ADDR;
    }

    /**
     * {@snippet lang=c :
     * int32_t ancdb_close(ancdb_db db)
     * }
     *
     * @param db {@code ancdb_db db}
     * @return the {@code int32_t} result
     */
    public static int ancdb_close(long db) {
        var mh$ = ancdb_close.HANDLE;
        try {
            return (int) mh$.invokeExact(db);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class ancdb_errmsg {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(
            C_INT,
            C_LONG_LONG,
            C_POINTER,
            C_INT
        );

        static final MemorySegment ADDR = findOrThrow("ancdb_errmsg");

        static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Downcall descriptor for:
     * {@snippet lang=c :
     * int32_t ancdb_errmsg(ancdb_db db, char *zBuf, int32_t nBuf)
     * }
     *
     * @return the downcall descriptor
     */
    public static FunctionDescriptor ancdb_errmsg$descriptor() {
        return ancdb_errmsg.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * int32_t ancdb_errmsg(ancdb_db db, char *zBuf, int32_t nBuf)
     * }
     *
     * @return the downcall method handle
     */
    public static MethodHandle ancdb_errmsg$handle() {
        return ancdb_errmsg.HANDLE;
    }

    /**
     * Downcall address for:
     * {@snippet lang=c :
     * int32_t ancdb_errmsg(ancdb_db db, char *zBuf, int32_t nBuf)
     * }
     *
     * @return the downcall address
     */
    public static MemorySegment ancdb_errmsg$address() {
        return ancdb_errmsg.ADDR;
    }

    /**
     * {@snippet lang=c :
     * int32_t ancdb_errmsg(ancdb_db db, char *zBuf, int32_t nBuf)
     * }
     *
     * @param db {@code ancdb_db db}
     * @param zBuf {@code char *zBuf}
     * @param nBuf {@code int32_t nBuf}
     * @return the {@code int32_t} result
     */
    public static int ancdb_errmsg(long db, MemorySegment zBuf, int nBuf) {
        var mh$ = ancdb_errmsg.HANDLE;
        try {
            return (int) mh$.invokeExact(db, zBuf, nBuf);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class ancdb_is_wal {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(
            C_INT,
            C_LONG_LONG,
            C_POINTER
        );

        static final MemorySegment ADDR = findOrThrow("ancdb_is_wal");

        static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Downcall descriptor for:
     * {@snippet lang=c :
     * int32_t ancdb_is_wal(ancdb_db db, int32_t *pIsWal)
     * }
     *
     * @return the downcall descriptor
     */
    public static FunctionDescriptor ancdb_is_wal$descriptor() {
        return ancdb_is_wal.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * int32_t ancdb_is_wal(ancdb_db db, int32_t *pIsWal)
     * }
     *
     * @return the downcall method handle
     */
    public static MethodHandle ancdb_is_wal$handle() {
        return ancdb_is_wal.HANDLE;
    }

    /**
     * Downcall address for:
     * {@snippet lang=c :
     * int32_t ancdb_is_wal(ancdb_db db, int32_t *pIsWal)
     * }
     *
     * @return the downcall address
     */
    public static MemorySegment ancdb_is_wal$address() {
        return ancdb_is_wal.ADDR;
    }

    /**
     * {@snippet lang=c :
     * int32_t ancdb_is_wal(ancdb_db db, int32_t *pIsWal)
     * }
     *
     * @param db {@code ancdb_db db}
     * @param pIsWal {@code int32_t *pIsWal}
     * @return the {@code int32_t} result
     */
    public static int ancdb_is_wal(long db, MemorySegment pIsWal) {
        var mh$ = ancdb_is_wal.HANDLE;
        try {
            return (int) mh$.invokeExact(db, pIsWal);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class ancdb_begin {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(
            C_INT,
            C_LONG_LONG,
            C_INT,
            C_POINTER
        );

        static final MemorySegment ADDR = findOrThrow("ancdb_begin");

        static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Downcall descriptor for:
     * {@snippet lang=c :
     * int32_t ancdb_begin(ancdb_db db, int32_t write, uint32_t *pSchemaCookie)
     * }
     *
     * @return the downcall descriptor
     */
    public static FunctionDescriptor ancdb_begin$descriptor() {
        return ancdb_begin.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * int32_t ancdb_begin(ancdb_db db, int32_t write, uint32_t *pSchemaCookie)
     * }
     *
     * @return the downcall method handle
     */
    public static MethodHandle ancdb_begin$handle() {
        return ancdb_begin.HANDLE;
    }

    /**
     * Downcall address for:
     * {@snippet lang=c :
     * int32_t ancdb_begin(ancdb_db db, int32_t write, uint32_t *pSchemaCookie)
     * }
     *
     * @return the downcall address
     */
    public static MemorySegment ancdb_begin$address() {
        return ancdb_begin.ADDR;
    }

    /**
     * {@snippet lang=c :
     * int32_t ancdb_begin(ancdb_db db, int32_t write, uint32_t *pSchemaCookie)
     * }
     *
     * @param db {@code ancdb_db db}
     * @param write {@code int32_t write}
     * @param pSchemaCookie {@code uint32_t *pSchemaCookie}
     * @return the {@code int32_t} result
     */
    public static int ancdb_begin(long db, int write, MemorySegment pSchemaCookie) {
        var mh$ = ancdb_begin.HANDLE;
        try {
            return (int) mh$.invokeExact(db, write, pSchemaCookie);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class ancdb_commit {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(
            C_INT,
            C_LONG_LONG
        );

        static final MemorySegment ADDR = findOrThrow("ancdb_commit");

        static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Downcall descriptor for:
     * {@snippet lang=c :
     * int32_t ancdb_commit(ancdb_db db)
     * }
     *
     * @return the downcall descriptor
     */
    public static FunctionDescriptor ancdb_commit$descriptor() {
        return ancdb_commit.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * int32_t ancdb_commit(ancdb_db db)
     * }
     *
     * @return the downcall method handle
     */
    public static MethodHandle ancdb_commit$handle() {
        return ancdb_commit.HANDLE;
    }

    /**
     * Downcall address for:
     * {@snippet lang=c :
     * int32_t ancdb_commit(ancdb_db db)
     * }
     *
     * @return the downcall address
     */
    public static MemorySegment ancdb_commit$address() {
        return ancdb_commit.ADDR;
    }

    /**
     * {@snippet lang=c :
     * int32_t ancdb_commit(ancdb_db db)
     * }
     *
     * @param db {@code ancdb_db db}
     * @return the {@code int32_t} result
     */
    public static int ancdb_commit(long db) {
        var mh$ = ancdb_commit.HANDLE;
        try {
            return (int) mh$.invokeExact(db);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class ancdb_rollback {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(
            C_INT,
            C_LONG_LONG
        );

        static final MemorySegment ADDR = findOrThrow("ancdb_rollback");

        static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Downcall descriptor for:
     * {@snippet lang=c :
     * int32_t ancdb_rollback(ancdb_db db)
     * }
     *
     * @return the downcall descriptor
     */
    public static FunctionDescriptor ancdb_rollback$descriptor() {
        return ancdb_rollback.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * int32_t ancdb_rollback(ancdb_db db)
     * }
     *
     * @return the downcall method handle
     */
    public static MethodHandle ancdb_rollback$handle() {
        return ancdb_rollback.HANDLE;
    }

    /**
     * Downcall address for:
     * {@snippet lang=c :
     * int32_t ancdb_rollback(ancdb_db db)
     * }
     *
     * @return the downcall address
     */
    public static MemorySegment ancdb_rollback$address() {
        return ancdb_rollback.ADDR;
    }

    /**
     * {@snippet lang=c :
     * int32_t ancdb_rollback(ancdb_db db)
     * }
     *
     * @param db {@code ancdb_db db}
     * @return the {@code int32_t} result
     */
    public static int ancdb_rollback(long db) {
        var mh$ = ancdb_rollback.HANDLE;
        try {
            return (int) mh$.invokeExact(db);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class ancdb_txn_state {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(
            C_INT,
            C_LONG_LONG,
            C_POINTER
        );

        static final MemorySegment ADDR = findOrThrow("ancdb_txn_state");

        static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Downcall descriptor for:
     * {@snippet lang=c :
     * int32_t ancdb_txn_state(ancdb_db db, int32_t *pState)
     * }
     *
     * @return the downcall descriptor
     */
    public static FunctionDescriptor ancdb_txn_state$descriptor() {
        return ancdb_txn_state.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * int32_t ancdb_txn_state(ancdb_db db, int32_t *pState)
     * }
     *
     * @return the downcall method handle
     */
    public static MethodHandle ancdb_txn_state$handle() {
        return ancdb_txn_state.HANDLE;
    }

    /**
     * Downcall address for:
     * {@snippet lang=c :
     * int32_t ancdb_txn_state(ancdb_db db, int32_t *pState)
     * }
     *
     * @return the downcall address
     */
    public static MemorySegment ancdb_txn_state$address() {
        return ancdb_txn_state.ADDR;
    }

    /**
     * {@snippet lang=c :
     * int32_t ancdb_txn_state(ancdb_db db, int32_t *pState)
     * }
     *
     * @param db {@code ancdb_db db}
     * @param pState {@code int32_t *pState}
     * @return the {@code int32_t} result
     */
    public static int ancdb_txn_state(long db, MemorySegment pState) {
        var mh$ = ancdb_txn_state.HANDLE;
        try {
            return (int) mh$.invokeExact(db, pState);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class ancdb_read_begin {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(
            C_INT,
            C_LONG_LONG,
            C_POINTER,
            C_POINTER
        );

        static final MemorySegment ADDR = findOrThrow("ancdb_read_begin");

        static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Downcall descriptor for:
     * {@snippet lang=c :
     * int32_t ancdb_read_begin(ancdb_db db, uint32_t *pSchemaCookie, int32_t *pReused)
     * }
     *
     * @return the downcall descriptor
     */
    public static FunctionDescriptor ancdb_read_begin$descriptor() {
        return ancdb_read_begin.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * int32_t ancdb_read_begin(ancdb_db db, uint32_t *pSchemaCookie, int32_t *pReused)
     * }
     *
     * @return the downcall method handle
     */
    public static MethodHandle ancdb_read_begin$handle() {
        return ancdb_read_begin.HANDLE;
    }

    /**
     * Downcall address for:
     * {@snippet lang=c :
     * int32_t ancdb_read_begin(ancdb_db db, uint32_t *pSchemaCookie, int32_t *pReused)
     * }
     *
     * @return the downcall address
     */
    public static MemorySegment ancdb_read_begin$address() {
        return ancdb_read_begin.ADDR;
    }

    /**
     * {@snippet lang=c :
     * int32_t ancdb_read_begin(ancdb_db db, uint32_t *pSchemaCookie, int32_t *pReused)
     * }
     *
     * @param db {@code ancdb_db db}
     * @param pSchemaCookie {@code uint32_t *pSchemaCookie}
     * @param pReused {@code int32_t *pReused}
     * @return the {@code int32_t} result
     */
    public static int ancdb_read_begin(long db, MemorySegment pSchemaCookie, MemorySegment pReused) {
        var mh$ = ancdb_read_begin.HANDLE;
        try {
            return (int) mh$.invokeExact(db, pSchemaCookie, pReused);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class ancdb_read_end {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(
            C_INT,
            C_LONG_LONG,
            C_INT,
            C_POINTER
        );

        static final MemorySegment ADDR = findOrThrow("ancdb_read_end");

        static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Downcall descriptor for:
     * {@snippet lang=c :
     * int32_t ancdb_read_end(ancdb_db db, int32_t keep, int32_t *pKept)
     * }
     *
     * @return the downcall descriptor
     */
    public static FunctionDescriptor ancdb_read_end$descriptor() {
        return ancdb_read_end.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * int32_t ancdb_read_end(ancdb_db db, int32_t keep, int32_t *pKept)
     * }
     *
     * @return the downcall method handle
     */
    public static MethodHandle ancdb_read_end$handle() {
        return ancdb_read_end.HANDLE;
    }

    /**
     * Downcall address for:
     * {@snippet lang=c :
     * int32_t ancdb_read_end(ancdb_db db, int32_t keep, int32_t *pKept)
     * }
     *
     * @return the downcall address
     */
    public static MemorySegment ancdb_read_end$address() {
        return ancdb_read_end.ADDR;
    }

    /**
     * {@snippet lang=c :
     * int32_t ancdb_read_end(ancdb_db db, int32_t keep, int32_t *pKept)
     * }
     *
     * @param db {@code ancdb_db db}
     * @param keep {@code int32_t keep}
     * @param pKept {@code int32_t *pKept}
     * @return the {@code int32_t} result
     */
    public static int ancdb_read_end(long db, int keep, MemorySegment pKept) {
        var mh$ = ancdb_read_end.HANDLE;
        try {
            return (int) mh$.invokeExact(db, keep, pKept);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class ancdb_savepoint_begin {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(
            C_INT,
            C_LONG_LONG,
            C_POINTER
        );

        static final MemorySegment ADDR = findOrThrow("ancdb_savepoint_begin");

        static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Downcall descriptor for:
     * {@snippet lang=c :
     * int32_t ancdb_savepoint_begin(ancdb_db db, int32_t *pLevel)
     * }
     *
     * @return the downcall descriptor
     */
    public static FunctionDescriptor ancdb_savepoint_begin$descriptor() {
        return ancdb_savepoint_begin.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * int32_t ancdb_savepoint_begin(ancdb_db db, int32_t *pLevel)
     * }
     *
     * @return the downcall method handle
     */
    public static MethodHandle ancdb_savepoint_begin$handle() {
        return ancdb_savepoint_begin.HANDLE;
    }

    /**
     * Downcall address for:
     * {@snippet lang=c :
     * int32_t ancdb_savepoint_begin(ancdb_db db, int32_t *pLevel)
     * }
     *
     * @return the downcall address
     */
    public static MemorySegment ancdb_savepoint_begin$address() {
        return ancdb_savepoint_begin.ADDR;
    }

    /**
     * {@snippet lang=c :
     * int32_t ancdb_savepoint_begin(ancdb_db db, int32_t *pLevel)
     * }
     *
     * @param db {@code ancdb_db db}
     * @param pLevel {@code int32_t *pLevel}
     * @return the {@code int32_t} result
     */
    public static int ancdb_savepoint_begin(long db, MemorySegment pLevel) {
        var mh$ = ancdb_savepoint_begin.HANDLE;
        try {
            return (int) mh$.invokeExact(db, pLevel);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class ancdb_savepoint_release {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(
            C_INT,
            C_LONG_LONG,
            C_INT
        );

        static final MemorySegment ADDR = findOrThrow("ancdb_savepoint_release");

        static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Downcall descriptor for:
     * {@snippet lang=c :
     * int32_t ancdb_savepoint_release(ancdb_db db, int32_t level)
     * }
     *
     * @return the downcall descriptor
     */
    public static FunctionDescriptor ancdb_savepoint_release$descriptor() {
        return ancdb_savepoint_release.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * int32_t ancdb_savepoint_release(ancdb_db db, int32_t level)
     * }
     *
     * @return the downcall method handle
     */
    public static MethodHandle ancdb_savepoint_release$handle() {
        return ancdb_savepoint_release.HANDLE;
    }

    /**
     * Downcall address for:
     * {@snippet lang=c :
     * int32_t ancdb_savepoint_release(ancdb_db db, int32_t level)
     * }
     *
     * @return the downcall address
     */
    public static MemorySegment ancdb_savepoint_release$address() {
        return ancdb_savepoint_release.ADDR;
    }

    /**
     * {@snippet lang=c :
     * int32_t ancdb_savepoint_release(ancdb_db db, int32_t level)
     * }
     *
     * @param db {@code ancdb_db db}
     * @param level {@code int32_t level}
     * @return the {@code int32_t} result
     */
    public static int ancdb_savepoint_release(long db, int level) {
        var mh$ = ancdb_savepoint_release.HANDLE;
        try {
            return (int) mh$.invokeExact(db, level);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class ancdb_savepoint_rollback {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(
            C_INT,
            C_LONG_LONG,
            C_INT
        );

        static final MemorySegment ADDR = findOrThrow("ancdb_savepoint_rollback");

        static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Downcall descriptor for:
     * {@snippet lang=c :
     * int32_t ancdb_savepoint_rollback(ancdb_db db, int32_t level)
     * }
     *
     * @return the downcall descriptor
     */
    public static FunctionDescriptor ancdb_savepoint_rollback$descriptor() {
        return ancdb_savepoint_rollback.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * int32_t ancdb_savepoint_rollback(ancdb_db db, int32_t level)
     * }
     *
     * @return the downcall method handle
     */
    public static MethodHandle ancdb_savepoint_rollback$handle() {
        return ancdb_savepoint_rollback.HANDLE;
    }

    /**
     * Downcall address for:
     * {@snippet lang=c :
     * int32_t ancdb_savepoint_rollback(ancdb_db db, int32_t level)
     * }
     *
     * @return the downcall address
     */
    public static MemorySegment ancdb_savepoint_rollback$address() {
        return ancdb_savepoint_rollback.ADDR;
    }

    /**
     * {@snippet lang=c :
     * int32_t ancdb_savepoint_rollback(ancdb_db db, int32_t level)
     * }
     *
     * @param db {@code ancdb_db db}
     * @param level {@code int32_t level}
     * @return the {@code int32_t} result
     */
    public static int ancdb_savepoint_rollback(long db, int level) {
        var mh$ = ancdb_savepoint_rollback.HANDLE;
        try {
            return (int) mh$.invokeExact(db, level);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class ancdb_checkpoint {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(
            C_INT,
            C_LONG_LONG,
            C_INT,
            C_POINTER,
            C_POINTER
        );

        static final MemorySegment ADDR = findOrThrow("ancdb_checkpoint");

        static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Downcall descriptor for:
     * {@snippet lang=c :
     * int32_t ancdb_checkpoint(ancdb_db db, int32_t mode, int32_t *pnLog, int32_t *pnCkpt)
     * }
     *
     * @return the downcall descriptor
     */
    public static FunctionDescriptor ancdb_checkpoint$descriptor() {
        return ancdb_checkpoint.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * int32_t ancdb_checkpoint(ancdb_db db, int32_t mode, int32_t *pnLog, int32_t *pnCkpt)
     * }
     *
     * @return the downcall method handle
     */
    public static MethodHandle ancdb_checkpoint$handle() {
        return ancdb_checkpoint.HANDLE;
    }

    /**
     * Downcall address for:
     * {@snippet lang=c :
     * int32_t ancdb_checkpoint(ancdb_db db, int32_t mode, int32_t *pnLog, int32_t *pnCkpt)
     * }
     *
     * @return the downcall address
     */
    public static MemorySegment ancdb_checkpoint$address() {
        return ancdb_checkpoint.ADDR;
    }

    /**
     * {@snippet lang=c :
     * int32_t ancdb_checkpoint(ancdb_db db, int32_t mode, int32_t *pnLog, int32_t *pnCkpt)
     * }
     *
     * @param db {@code ancdb_db db}
     * @param mode {@code int32_t mode}
     * @param pnLog {@code int32_t *pnLog}
     * @param pnCkpt {@code int32_t *pnCkpt}
     * @return the {@code int32_t} result
     */
    public static int ancdb_checkpoint(long db, int mode, MemorySegment pnLog, MemorySegment pnCkpt) {
        var mh$ = ancdb_checkpoint.HANDLE;
        try {
            return (int) mh$.invokeExact(db, mode, pnLog, pnCkpt);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class ancdb_btree_create {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(
            C_INT,
            C_LONG_LONG,
            C_INT,
            C_POINTER
        );

        static final MemorySegment ADDR = findOrThrow("ancdb_btree_create");

        static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Downcall descriptor for:
     * {@snippet lang=c :
     * int32_t ancdb_btree_create(ancdb_db db, int32_t kind, uint32_t *pRoot)
     * }
     *
     * @return the downcall descriptor
     */
    public static FunctionDescriptor ancdb_btree_create$descriptor() {
        return ancdb_btree_create.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * int32_t ancdb_btree_create(ancdb_db db, int32_t kind, uint32_t *pRoot)
     * }
     *
     * @return the downcall method handle
     */
    public static MethodHandle ancdb_btree_create$handle() {
        return ancdb_btree_create.HANDLE;
    }

    /**
     * Downcall address for:
     * {@snippet lang=c :
     * int32_t ancdb_btree_create(ancdb_db db, int32_t kind, uint32_t *pRoot)
     * }
     *
     * @return the downcall address
     */
    public static MemorySegment ancdb_btree_create$address() {
        return ancdb_btree_create.ADDR;
    }

    /**
     * {@snippet lang=c :
     * int32_t ancdb_btree_create(ancdb_db db, int32_t kind, uint32_t *pRoot)
     * }
     *
     * @param db {@code ancdb_db db}
     * @param kind {@code int32_t kind}
     * @param pRoot {@code uint32_t *pRoot}
     * @return the {@code int32_t} result
     */
    public static int ancdb_btree_create(long db, int kind, MemorySegment pRoot) {
        var mh$ = ancdb_btree_create.HANDLE;
        try {
            return (int) mh$.invokeExact(db, kind, pRoot);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class ancdb_btree_drop {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(
            C_INT,
            C_LONG_LONG,
            C_INT
        );

        static final MemorySegment ADDR = findOrThrow("ancdb_btree_drop");

        static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Downcall descriptor for:
     * {@snippet lang=c :
     * int32_t ancdb_btree_drop(ancdb_db db, uint32_t root)
     * }
     *
     * @return the downcall descriptor
     */
    public static FunctionDescriptor ancdb_btree_drop$descriptor() {
        return ancdb_btree_drop.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * int32_t ancdb_btree_drop(ancdb_db db, uint32_t root)
     * }
     *
     * @return the downcall method handle
     */
    public static MethodHandle ancdb_btree_drop$handle() {
        return ancdb_btree_drop.HANDLE;
    }

    /**
     * Downcall address for:
     * {@snippet lang=c :
     * int32_t ancdb_btree_drop(ancdb_db db, uint32_t root)
     * }
     *
     * @return the downcall address
     */
    public static MemorySegment ancdb_btree_drop$address() {
        return ancdb_btree_drop.ADDR;
    }

    /**
     * {@snippet lang=c :
     * int32_t ancdb_btree_drop(ancdb_db db, uint32_t root)
     * }
     *
     * @param db {@code ancdb_db db}
     * @param root {@code uint32_t root}
     * @return the {@code int32_t} result
     */
    public static int ancdb_btree_drop(long db, int root) {
        var mh$ = ancdb_btree_drop.HANDLE;
        try {
            return (int) mh$.invokeExact(db, root);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class ancdb_btree_clear {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(
            C_INT,
            C_LONG_LONG,
            C_INT
        );

        static final MemorySegment ADDR = findOrThrow("ancdb_btree_clear");

        static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Downcall descriptor for:
     * {@snippet lang=c :
     * int32_t ancdb_btree_clear(ancdb_db db, uint32_t root)
     * }
     *
     * @return the downcall descriptor
     */
    public static FunctionDescriptor ancdb_btree_clear$descriptor() {
        return ancdb_btree_clear.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * int32_t ancdb_btree_clear(ancdb_db db, uint32_t root)
     * }
     *
     * @return the downcall method handle
     */
    public static MethodHandle ancdb_btree_clear$handle() {
        return ancdb_btree_clear.HANDLE;
    }

    /**
     * Downcall address for:
     * {@snippet lang=c :
     * int32_t ancdb_btree_clear(ancdb_db db, uint32_t root)
     * }
     *
     * @return the downcall address
     */
    public static MemorySegment ancdb_btree_clear$address() {
        return ancdb_btree_clear.ADDR;
    }

    /**
     * {@snippet lang=c :
     * int32_t ancdb_btree_clear(ancdb_db db, uint32_t root)
     * }
     *
     * @param db {@code ancdb_db db}
     * @param root {@code uint32_t root}
     * @return the {@code int32_t} result
     */
    public static int ancdb_btree_clear(long db, int root) {
        var mh$ = ancdb_btree_clear.HANDLE;
        try {
            return (int) mh$.invokeExact(db, root);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class ancdb_meta_get {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(
            C_INT,
            C_LONG_LONG,
            C_INT,
            C_POINTER
        );

        static final MemorySegment ADDR = findOrThrow("ancdb_meta_get");

        static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Downcall descriptor for:
     * {@snippet lang=c :
     * int32_t ancdb_meta_get(ancdb_db db, int32_t idx, uint32_t *pValue)
     * }
     *
     * @return the downcall descriptor
     */
    public static FunctionDescriptor ancdb_meta_get$descriptor() {
        return ancdb_meta_get.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * int32_t ancdb_meta_get(ancdb_db db, int32_t idx, uint32_t *pValue)
     * }
     *
     * @return the downcall method handle
     */
    public static MethodHandle ancdb_meta_get$handle() {
        return ancdb_meta_get.HANDLE;
    }

    /**
     * Downcall address for:
     * {@snippet lang=c :
     * int32_t ancdb_meta_get(ancdb_db db, int32_t idx, uint32_t *pValue)
     * }
     *
     * @return the downcall address
     */
    public static MemorySegment ancdb_meta_get$address() {
        return ancdb_meta_get.ADDR;
    }

    /**
     * {@snippet lang=c :
     * int32_t ancdb_meta_get(ancdb_db db, int32_t idx, uint32_t *pValue)
     * }
     *
     * @param db {@code ancdb_db db}
     * @param idx {@code int32_t idx}
     * @param pValue {@code uint32_t *pValue}
     * @return the {@code int32_t} result
     */
    public static int ancdb_meta_get(long db, int idx, MemorySegment pValue) {
        var mh$ = ancdb_meta_get.HANDLE;
        try {
            return (int) mh$.invokeExact(db, idx, pValue);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class ancdb_meta_set {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(
            C_INT,
            C_LONG_LONG,
            C_INT,
            C_INT
        );

        static final MemorySegment ADDR = findOrThrow("ancdb_meta_set");

        static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Downcall descriptor for:
     * {@snippet lang=c :
     * int32_t ancdb_meta_set(ancdb_db db, int32_t idx, uint32_t value)
     * }
     *
     * @return the downcall descriptor
     */
    public static FunctionDescriptor ancdb_meta_set$descriptor() {
        return ancdb_meta_set.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * int32_t ancdb_meta_set(ancdb_db db, int32_t idx, uint32_t value)
     * }
     *
     * @return the downcall method handle
     */
    public static MethodHandle ancdb_meta_set$handle() {
        return ancdb_meta_set.HANDLE;
    }

    /**
     * Downcall address for:
     * {@snippet lang=c :
     * int32_t ancdb_meta_set(ancdb_db db, int32_t idx, uint32_t value)
     * }
     *
     * @return the downcall address
     */
    public static MemorySegment ancdb_meta_set$address() {
        return ancdb_meta_set.ADDR;
    }

    /**
     * {@snippet lang=c :
     * int32_t ancdb_meta_set(ancdb_db db, int32_t idx, uint32_t value)
     * }
     *
     * @param db {@code ancdb_db db}
     * @param idx {@code int32_t idx}
     * @param value {@code uint32_t value}
     * @return the {@code int32_t} result
     */
    public static int ancdb_meta_set(long db, int idx, int value) {
        var mh$ = ancdb_meta_set.HANDLE;
        try {
            return (int) mh$.invokeExact(db, idx, value);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class ancdb_integrity_check {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(
            C_INT,
            C_LONG_LONG,
            C_POINTER,
            C_INT,
            C_INT,
            C_POINTER,
            C_INT,
            C_POINTER
        );

        static final MemorySegment ADDR = findOrThrow("ancdb_integrity_check");

        static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Downcall descriptor for:
     * {@snippet lang=c :
     * int32_t ancdb_integrity_check(ancdb_db db, const uint32_t *aRoot, int32_t nRoot, int32_t mxErr, char *zOut, int32_t nOut, int32_t *pnErr)
     * }
     *
     * @return the downcall descriptor
     */
    public static FunctionDescriptor ancdb_integrity_check$descriptor() {
        return ancdb_integrity_check.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * int32_t ancdb_integrity_check(ancdb_db db, const uint32_t *aRoot, int32_t nRoot, int32_t mxErr, char *zOut, int32_t nOut, int32_t *pnErr)
     * }
     *
     * @return the downcall method handle
     */
    public static MethodHandle ancdb_integrity_check$handle() {
        return ancdb_integrity_check.HANDLE;
    }

    /**
     * Downcall address for:
     * {@snippet lang=c :
     * int32_t ancdb_integrity_check(ancdb_db db, const uint32_t *aRoot, int32_t nRoot, int32_t mxErr, char *zOut, int32_t nOut, int32_t *pnErr)
     * }
     *
     * @return the downcall address
     */
    public static MemorySegment ancdb_integrity_check$address() {
        return ancdb_integrity_check.ADDR;
    }

    /**
     * {@snippet lang=c :
     * int32_t ancdb_integrity_check(ancdb_db db, const uint32_t *aRoot, int32_t nRoot, int32_t mxErr, char *zOut, int32_t nOut, int32_t *pnErr)
     * }
     *
     * @param db {@code ancdb_db db}
     * @param aRoot {@code const uint32_t *aRoot}
     * @param nRoot {@code int32_t nRoot}
     * @param mxErr {@code int32_t mxErr}
     * @param zOut {@code char *zOut}
     * @param nOut {@code int32_t nOut}
     * @param pnErr {@code int32_t *pnErr}
     * @return the {@code int32_t} result
     */
    public static int ancdb_integrity_check(long db, MemorySegment aRoot, int nRoot, int mxErr, MemorySegment zOut, int nOut, MemorySegment pnErr) {
        var mh$ = ancdb_integrity_check.HANDLE;
        try {
            return (int) mh$.invokeExact(db, aRoot, nRoot, mxErr, zOut, nOut, pnErr);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class ancdb_cursor_open {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(
            C_INT,
            C_LONG_LONG,
            C_INT,
            C_INT,
            C_INT,
            C_POINTER
        );

        static final MemorySegment ADDR = findOrThrow("ancdb_cursor_open");

        static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Downcall descriptor for:
     * {@snippet lang=c :
     * int32_t ancdb_cursor_open(ancdb_db db, uint32_t root, int32_t flags, int32_t nKeyFields, ancdb_cursor *pCur)
     * }
     *
     * @return the downcall descriptor
     */
    public static FunctionDescriptor ancdb_cursor_open$descriptor() {
        return ancdb_cursor_open.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * int32_t ancdb_cursor_open(ancdb_db db, uint32_t root, int32_t flags, int32_t nKeyFields, ancdb_cursor *pCur)
     * }
     *
     * @return the downcall method handle
     */
    public static MethodHandle ancdb_cursor_open$handle() {
        return ancdb_cursor_open.HANDLE;
    }

    /**
     * Downcall address for:
     * {@snippet lang=c :
     * int32_t ancdb_cursor_open(ancdb_db db, uint32_t root, int32_t flags, int32_t nKeyFields, ancdb_cursor *pCur)
     * }
     *
     * @return the downcall address
     */
    public static MemorySegment ancdb_cursor_open$address() {
        return ancdb_cursor_open.ADDR;
    }

    /**
     * {@snippet lang=c :
     * int32_t ancdb_cursor_open(ancdb_db db, uint32_t root, int32_t flags, int32_t nKeyFields, ancdb_cursor *pCur)
     * }
     *
     * @param db {@code ancdb_db db}
     * @param root {@code uint32_t root}
     * @param flags {@code int32_t flags}
     * @param nKeyFields {@code int32_t nKeyFields}
     * @param pCur {@code ancdb_cursor *pCur}
     * @return the {@code int32_t} result
     */
    public static int ancdb_cursor_open(long db, int root, int flags, int nKeyFields, MemorySegment pCur) {
        var mh$ = ancdb_cursor_open.HANDLE;
        try {
            return (int) mh$.invokeExact(db, root, flags, nKeyFields, pCur);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class ancdb_cursor_close {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(
            C_INT,
            C_LONG_LONG
        );

        static final MemorySegment ADDR = findOrThrow("ancdb_cursor_close");

        static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Downcall descriptor for:
     * {@snippet lang=c :
     * int32_t ancdb_cursor_close(ancdb_cursor cur)
     * }
     *
     * @return the downcall descriptor
     */
    public static FunctionDescriptor ancdb_cursor_close$descriptor() {
        return ancdb_cursor_close.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * int32_t ancdb_cursor_close(ancdb_cursor cur)
     * }
     *
     * @return the downcall method handle
     */
    public static MethodHandle ancdb_cursor_close$handle() {
        return ancdb_cursor_close.HANDLE;
    }

    /**
     * Downcall address for:
     * {@snippet lang=c :
     * int32_t ancdb_cursor_close(ancdb_cursor cur)
     * }
     *
     * @return the downcall address
     */
    public static MemorySegment ancdb_cursor_close$address() {
        return ancdb_cursor_close.ADDR;
    }

    /**
     * {@snippet lang=c :
     * int32_t ancdb_cursor_close(ancdb_cursor cur)
     * }
     *
     * @param cur {@code ancdb_cursor cur}
     * @return the {@code int32_t} result
     */
    public static int ancdb_cursor_close(long cur) {
        var mh$ = ancdb_cursor_close.HANDLE;
        try {
            return (int) mh$.invokeExact(cur);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class ancdb_cursor_first {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(
            C_INT,
            C_LONG_LONG
        );

        static final MemorySegment ADDR = findOrThrow("ancdb_cursor_first");

        static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Downcall descriptor for:
     * {@snippet lang=c :
     * int32_t ancdb_cursor_first(ancdb_cursor cur)
     * }
     *
     * @return the downcall descriptor
     */
    public static FunctionDescriptor ancdb_cursor_first$descriptor() {
        return ancdb_cursor_first.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * int32_t ancdb_cursor_first(ancdb_cursor cur)
     * }
     *
     * @return the downcall method handle
     */
    public static MethodHandle ancdb_cursor_first$handle() {
        return ancdb_cursor_first.HANDLE;
    }

    /**
     * Downcall address for:
     * {@snippet lang=c :
     * int32_t ancdb_cursor_first(ancdb_cursor cur)
     * }
     *
     * @return the downcall address
     */
    public static MemorySegment ancdb_cursor_first$address() {
        return ancdb_cursor_first.ADDR;
    }

    /**
     * {@snippet lang=c :
     * int32_t ancdb_cursor_first(ancdb_cursor cur)
     * }
     *
     * @param cur {@code ancdb_cursor cur}
     * @return the {@code int32_t} result
     */
    public static int ancdb_cursor_first(long cur) {
        var mh$ = ancdb_cursor_first.HANDLE;
        try {
            return (int) mh$.invokeExact(cur);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class ancdb_cursor_last {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(
            C_INT,
            C_LONG_LONG
        );

        static final MemorySegment ADDR = findOrThrow("ancdb_cursor_last");

        static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Downcall descriptor for:
     * {@snippet lang=c :
     * int32_t ancdb_cursor_last(ancdb_cursor cur)
     * }
     *
     * @return the downcall descriptor
     */
    public static FunctionDescriptor ancdb_cursor_last$descriptor() {
        return ancdb_cursor_last.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * int32_t ancdb_cursor_last(ancdb_cursor cur)
     * }
     *
     * @return the downcall method handle
     */
    public static MethodHandle ancdb_cursor_last$handle() {
        return ancdb_cursor_last.HANDLE;
    }

    /**
     * Downcall address for:
     * {@snippet lang=c :
     * int32_t ancdb_cursor_last(ancdb_cursor cur)
     * }
     *
     * @return the downcall address
     */
    public static MemorySegment ancdb_cursor_last$address() {
        return ancdb_cursor_last.ADDR;
    }

    /**
     * {@snippet lang=c :
     * int32_t ancdb_cursor_last(ancdb_cursor cur)
     * }
     *
     * @param cur {@code ancdb_cursor cur}
     * @return the {@code int32_t} result
     */
    public static int ancdb_cursor_last(long cur) {
        var mh$ = ancdb_cursor_last.HANDLE;
        try {
            return (int) mh$.invokeExact(cur);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class ancdb_cursor_next {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(
            C_INT,
            C_LONG_LONG
        );

        static final MemorySegment ADDR = findOrThrow("ancdb_cursor_next");

        static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Downcall descriptor for:
     * {@snippet lang=c :
     * int32_t ancdb_cursor_next(ancdb_cursor cur)
     * }
     *
     * @return the downcall descriptor
     */
    public static FunctionDescriptor ancdb_cursor_next$descriptor() {
        return ancdb_cursor_next.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * int32_t ancdb_cursor_next(ancdb_cursor cur)
     * }
     *
     * @return the downcall method handle
     */
    public static MethodHandle ancdb_cursor_next$handle() {
        return ancdb_cursor_next.HANDLE;
    }

    /**
     * Downcall address for:
     * {@snippet lang=c :
     * int32_t ancdb_cursor_next(ancdb_cursor cur)
     * }
     *
     * @return the downcall address
     */
    public static MemorySegment ancdb_cursor_next$address() {
        return ancdb_cursor_next.ADDR;
    }

    /**
     * {@snippet lang=c :
     * int32_t ancdb_cursor_next(ancdb_cursor cur)
     * }
     *
     * @param cur {@code ancdb_cursor cur}
     * @return the {@code int32_t} result
     */
    public static int ancdb_cursor_next(long cur) {
        var mh$ = ancdb_cursor_next.HANDLE;
        try {
            return (int) mh$.invokeExact(cur);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class ancdb_cursor_prev {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(
            C_INT,
            C_LONG_LONG
        );

        static final MemorySegment ADDR = findOrThrow("ancdb_cursor_prev");

        static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Downcall descriptor for:
     * {@snippet lang=c :
     * int32_t ancdb_cursor_prev(ancdb_cursor cur)
     * }
     *
     * @return the downcall descriptor
     */
    public static FunctionDescriptor ancdb_cursor_prev$descriptor() {
        return ancdb_cursor_prev.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * int32_t ancdb_cursor_prev(ancdb_cursor cur)
     * }
     *
     * @return the downcall method handle
     */
    public static MethodHandle ancdb_cursor_prev$handle() {
        return ancdb_cursor_prev.HANDLE;
    }

    /**
     * Downcall address for:
     * {@snippet lang=c :
     * int32_t ancdb_cursor_prev(ancdb_cursor cur)
     * }
     *
     * @return the downcall address
     */
    public static MemorySegment ancdb_cursor_prev$address() {
        return ancdb_cursor_prev.ADDR;
    }

    /**
     * {@snippet lang=c :
     * int32_t ancdb_cursor_prev(ancdb_cursor cur)
     * }
     *
     * @param cur {@code ancdb_cursor cur}
     * @return the {@code int32_t} result
     */
    public static int ancdb_cursor_prev(long cur) {
        var mh$ = ancdb_cursor_prev.HANDLE;
        try {
            return (int) mh$.invokeExact(cur);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class ancdb_cursor_seek_rowid {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(
            C_INT,
            C_LONG_LONG,
            C_LONG_LONG,
            C_POINTER
        );

        static final MemorySegment ADDR = findOrThrow("ancdb_cursor_seek_rowid");

        static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Downcall descriptor for:
     * {@snippet lang=c :
     * int32_t ancdb_cursor_seek_rowid(ancdb_cursor cur, int64_t rowid, int32_t *pRes)
     * }
     *
     * @return the downcall descriptor
     */
    public static FunctionDescriptor ancdb_cursor_seek_rowid$descriptor() {
        return ancdb_cursor_seek_rowid.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * int32_t ancdb_cursor_seek_rowid(ancdb_cursor cur, int64_t rowid, int32_t *pRes)
     * }
     *
     * @return the downcall method handle
     */
    public static MethodHandle ancdb_cursor_seek_rowid$handle() {
        return ancdb_cursor_seek_rowid.HANDLE;
    }

    /**
     * Downcall address for:
     * {@snippet lang=c :
     * int32_t ancdb_cursor_seek_rowid(ancdb_cursor cur, int64_t rowid, int32_t *pRes)
     * }
     *
     * @return the downcall address
     */
    public static MemorySegment ancdb_cursor_seek_rowid$address() {
        return ancdb_cursor_seek_rowid.ADDR;
    }

    /**
     * {@snippet lang=c :
     * int32_t ancdb_cursor_seek_rowid(ancdb_cursor cur, int64_t rowid, int32_t *pRes)
     * }
     *
     * @param cur {@code ancdb_cursor cur}
     * @param rowid {@code int64_t rowid}
     * @param pRes {@code int32_t *pRes}
     * @return the {@code int32_t} result
     */
    public static int ancdb_cursor_seek_rowid(long cur, long rowid, MemorySegment pRes) {
        var mh$ = ancdb_cursor_seek_rowid.HANDLE;
        try {
            return (int) mh$.invokeExact(cur, rowid, pRes);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class ancdb_cursor_seek_key {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(
            C_INT,
            C_LONG_LONG,
            C_POINTER,
            C_INT,
            C_INT,
            C_POINTER
        );

        static final MemorySegment ADDR = findOrThrow("ancdb_cursor_seek_key");

        static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Downcall descriptor for:
     * {@snippet lang=c :
     * int32_t ancdb_cursor_seek_key(ancdb_cursor cur, const void *pKey, int32_t nKey, int32_t bias, int32_t *pRes)
     * }
     *
     * @return the downcall descriptor
     */
    public static FunctionDescriptor ancdb_cursor_seek_key$descriptor() {
        return ancdb_cursor_seek_key.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * int32_t ancdb_cursor_seek_key(ancdb_cursor cur, const void *pKey, int32_t nKey, int32_t bias, int32_t *pRes)
     * }
     *
     * @return the downcall method handle
     */
    public static MethodHandle ancdb_cursor_seek_key$handle() {
        return ancdb_cursor_seek_key.HANDLE;
    }

    /**
     * Downcall address for:
     * {@snippet lang=c :
     * int32_t ancdb_cursor_seek_key(ancdb_cursor cur, const void *pKey, int32_t nKey, int32_t bias, int32_t *pRes)
     * }
     *
     * @return the downcall address
     */
    public static MemorySegment ancdb_cursor_seek_key$address() {
        return ancdb_cursor_seek_key.ADDR;
    }

    /**
     * {@snippet lang=c :
     * int32_t ancdb_cursor_seek_key(ancdb_cursor cur, const void *pKey, int32_t nKey, int32_t bias, int32_t *pRes)
     * }
     *
     * @param cur {@code ancdb_cursor cur}
     * @param pKey {@code const void *pKey}
     * @param nKey {@code int32_t nKey}
     * @param bias {@code int32_t bias}
     * @param pRes {@code int32_t *pRes}
     * @return the {@code int32_t} result
     */
    public static int ancdb_cursor_seek_key(long cur, MemorySegment pKey, int nKey, int bias, MemorySegment pRes) {
        var mh$ = ancdb_cursor_seek_key.HANDLE;
        try {
            return (int) mh$.invokeExact(cur, pKey, nKey, bias, pRes);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class ancdb_cursor_eof {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(
            C_INT,
            C_LONG_LONG,
            C_POINTER
        );

        static final MemorySegment ADDR = findOrThrow("ancdb_cursor_eof");

        static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC, Linker.Option.critical(true));
    }

    /**
     * Downcall descriptor for:
     * {@snippet lang=c :
     * ANCDB_LEAF int32_t ancdb_cursor_eof(ancdb_cursor cur, int32_t *pEof)
     * }
     *
     * @return the downcall descriptor
     */
    public static FunctionDescriptor ancdb_cursor_eof$descriptor() {
        return ancdb_cursor_eof.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * ANCDB_LEAF int32_t ancdb_cursor_eof(ancdb_cursor cur, int32_t *pEof)
     * }
     *
     * @return the downcall method handle
     */
    public static MethodHandle ancdb_cursor_eof$handle() {
        return ancdb_cursor_eof.HANDLE;
    }

    /**
     * Downcall address for:
     * {@snippet lang=c :
     * ANCDB_LEAF int32_t ancdb_cursor_eof(ancdb_cursor cur, int32_t *pEof)
     * }
     *
     * @return the downcall address
     */
    public static MemorySegment ancdb_cursor_eof$address() {
        return ancdb_cursor_eof.ADDR;
    }

    /**
     * {@snippet lang=c :
     * ANCDB_LEAF int32_t ancdb_cursor_eof(ancdb_cursor cur, int32_t *pEof)
     * }
     *
     * @param cur {@code ancdb_cursor cur}
     * @param pEof {@code int32_t *pEof}
     * @return the {@code int32_t} result
     */
    public static int ancdb_cursor_eof(long cur, MemorySegment pEof) {
        var mh$ = ancdb_cursor_eof.HANDLE;
        try {
            return (int) mh$.invokeExact(cur, pEof);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class ancdb_cursor_rowid {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(
            C_INT,
            C_LONG_LONG,
            C_POINTER
        );

        static final MemorySegment ADDR = findOrThrow("ancdb_cursor_rowid");

        static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC, Linker.Option.critical(true));
    }

    /**
     * Downcall descriptor for:
     * {@snippet lang=c :
     * ANCDB_LEAF int32_t ancdb_cursor_rowid(ancdb_cursor cur, int64_t *pRowid)
     * }
     *
     * @return the downcall descriptor
     */
    public static FunctionDescriptor ancdb_cursor_rowid$descriptor() {
        return ancdb_cursor_rowid.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * ANCDB_LEAF int32_t ancdb_cursor_rowid(ancdb_cursor cur, int64_t *pRowid)
     * }
     *
     * @return the downcall method handle
     */
    public static MethodHandle ancdb_cursor_rowid$handle() {
        return ancdb_cursor_rowid.HANDLE;
    }

    /**
     * Downcall address for:
     * {@snippet lang=c :
     * ANCDB_LEAF int32_t ancdb_cursor_rowid(ancdb_cursor cur, int64_t *pRowid)
     * }
     *
     * @return the downcall address
     */
    public static MemorySegment ancdb_cursor_rowid$address() {
        return ancdb_cursor_rowid.ADDR;
    }

    /**
     * {@snippet lang=c :
     * ANCDB_LEAF int32_t ancdb_cursor_rowid(ancdb_cursor cur, int64_t *pRowid)
     * }
     *
     * @param cur {@code ancdb_cursor cur}
     * @param pRowid {@code int64_t *pRowid}
     * @return the {@code int32_t} result
     */
    public static int ancdb_cursor_rowid(long cur, MemorySegment pRowid) {
        var mh$ = ancdb_cursor_rowid.HANDLE;
        try {
            return (int) mh$.invokeExact(cur, pRowid);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class ancdb_cursor_payload_size {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(
            C_INT,
            C_LONG_LONG,
            C_POINTER
        );

        static final MemorySegment ADDR = findOrThrow("ancdb_cursor_payload_size");

        static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC, Linker.Option.critical(true));
    }

    /**
     * Downcall descriptor for:
     * {@snippet lang=c :
     * ANCDB_LEAF int32_t ancdb_cursor_payload_size(ancdb_cursor cur, uint32_t *pSize)
     * }
     *
     * @return the downcall descriptor
     */
    public static FunctionDescriptor ancdb_cursor_payload_size$descriptor() {
        return ancdb_cursor_payload_size.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * ANCDB_LEAF int32_t ancdb_cursor_payload_size(ancdb_cursor cur, uint32_t *pSize)
     * }
     *
     * @return the downcall method handle
     */
    public static MethodHandle ancdb_cursor_payload_size$handle() {
        return ancdb_cursor_payload_size.HANDLE;
    }

    /**
     * Downcall address for:
     * {@snippet lang=c :
     * ANCDB_LEAF int32_t ancdb_cursor_payload_size(ancdb_cursor cur, uint32_t *pSize)
     * }
     *
     * @return the downcall address
     */
    public static MemorySegment ancdb_cursor_payload_size$address() {
        return ancdb_cursor_payload_size.ADDR;
    }

    /**
     * {@snippet lang=c :
     * ANCDB_LEAF int32_t ancdb_cursor_payload_size(ancdb_cursor cur, uint32_t *pSize)
     * }
     *
     * @param cur {@code ancdb_cursor cur}
     * @param pSize {@code uint32_t *pSize}
     * @return the {@code int32_t} result
     */
    public static int ancdb_cursor_payload_size(long cur, MemorySegment pSize) {
        var mh$ = ancdb_cursor_payload_size.HANDLE;
        try {
            return (int) mh$.invokeExact(cur, pSize);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class ancdb_cursor_payload {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(
            C_INT,
            C_LONG_LONG,
            C_INT,
            C_INT,
            C_POINTER
        );

        static final MemorySegment ADDR = findOrThrow("ancdb_cursor_payload");

        static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Downcall descriptor for:
     * {@snippet lang=c :
     * int32_t ancdb_cursor_payload(ancdb_cursor cur, uint32_t offset, uint32_t amt, void *pBuf)
     * }
     *
     * @return the downcall descriptor
     */
    public static FunctionDescriptor ancdb_cursor_payload$descriptor() {
        return ancdb_cursor_payload.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * int32_t ancdb_cursor_payload(ancdb_cursor cur, uint32_t offset, uint32_t amt, void *pBuf)
     * }
     *
     * @return the downcall method handle
     */
    public static MethodHandle ancdb_cursor_payload$handle() {
        return ancdb_cursor_payload.HANDLE;
    }

    /**
     * Downcall address for:
     * {@snippet lang=c :
     * int32_t ancdb_cursor_payload(ancdb_cursor cur, uint32_t offset, uint32_t amt, void *pBuf)
     * }
     *
     * @return the downcall address
     */
    public static MemorySegment ancdb_cursor_payload$address() {
        return ancdb_cursor_payload.ADDR;
    }

    /**
     * {@snippet lang=c :
     * int32_t ancdb_cursor_payload(ancdb_cursor cur, uint32_t offset, uint32_t amt, void *pBuf)
     * }
     *
     * @param cur {@code ancdb_cursor cur}
     * @param offset {@code uint32_t offset}
     * @param amt {@code uint32_t amt}
     * @param pBuf {@code void *pBuf}
     * @return the {@code int32_t} result
     */
    public static int ancdb_cursor_payload(long cur, int offset, int amt, MemorySegment pBuf) {
        var mh$ = ancdb_cursor_payload.HANDLE;
        try {
            return (int) mh$.invokeExact(cur, offset, amt, pBuf);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class ancdb_cursor_insert_row {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(
            C_INT,
            C_LONG_LONG,
            C_LONG_LONG,
            C_POINTER,
            C_INT
        );

        static final MemorySegment ADDR = findOrThrow("ancdb_cursor_insert_row");

        static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Downcall descriptor for:
     * {@snippet lang=c :
     * int32_t ancdb_cursor_insert_row(ancdb_cursor cur, int64_t rowid, const void *pData, int32_t nData)
     * }
     *
     * @return the downcall descriptor
     */
    public static FunctionDescriptor ancdb_cursor_insert_row$descriptor() {
        return ancdb_cursor_insert_row.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * int32_t ancdb_cursor_insert_row(ancdb_cursor cur, int64_t rowid, const void *pData, int32_t nData)
     * }
     *
     * @return the downcall method handle
     */
    public static MethodHandle ancdb_cursor_insert_row$handle() {
        return ancdb_cursor_insert_row.HANDLE;
    }

    /**
     * Downcall address for:
     * {@snippet lang=c :
     * int32_t ancdb_cursor_insert_row(ancdb_cursor cur, int64_t rowid, const void *pData, int32_t nData)
     * }
     *
     * @return the downcall address
     */
    public static MemorySegment ancdb_cursor_insert_row$address() {
        return ancdb_cursor_insert_row.ADDR;
    }

    /**
     * {@snippet lang=c :
     * int32_t ancdb_cursor_insert_row(ancdb_cursor cur, int64_t rowid, const void *pData, int32_t nData)
     * }
     *
     * @param cur {@code ancdb_cursor cur}
     * @param rowid {@code int64_t rowid}
     * @param pData {@code const void *pData}
     * @param nData {@code int32_t nData}
     * @return the {@code int32_t} result
     */
    public static int ancdb_cursor_insert_row(long cur, long rowid, MemorySegment pData, int nData) {
        var mh$ = ancdb_cursor_insert_row.HANDLE;
        try {
            return (int) mh$.invokeExact(cur, rowid, pData, nData);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class ancdb_cursor_insert_key {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(
            C_INT,
            C_LONG_LONG,
            C_POINTER,
            C_INT
        );

        static final MemorySegment ADDR = findOrThrow("ancdb_cursor_insert_key");

        static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Downcall descriptor for:
     * {@snippet lang=c :
     * int32_t ancdb_cursor_insert_key(ancdb_cursor cur, const void *pKey, int32_t nKey)
     * }
     *
     * @return the downcall descriptor
     */
    public static FunctionDescriptor ancdb_cursor_insert_key$descriptor() {
        return ancdb_cursor_insert_key.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * int32_t ancdb_cursor_insert_key(ancdb_cursor cur, const void *pKey, int32_t nKey)
     * }
     *
     * @return the downcall method handle
     */
    public static MethodHandle ancdb_cursor_insert_key$handle() {
        return ancdb_cursor_insert_key.HANDLE;
    }

    /**
     * Downcall address for:
     * {@snippet lang=c :
     * int32_t ancdb_cursor_insert_key(ancdb_cursor cur, const void *pKey, int32_t nKey)
     * }
     *
     * @return the downcall address
     */
    public static MemorySegment ancdb_cursor_insert_key$address() {
        return ancdb_cursor_insert_key.ADDR;
    }

    /**
     * {@snippet lang=c :
     * int32_t ancdb_cursor_insert_key(ancdb_cursor cur, const void *pKey, int32_t nKey)
     * }
     *
     * @param cur {@code ancdb_cursor cur}
     * @param pKey {@code const void *pKey}
     * @param nKey {@code int32_t nKey}
     * @return the {@code int32_t} result
     */
    public static int ancdb_cursor_insert_key(long cur, MemorySegment pKey, int nKey) {
        var mh$ = ancdb_cursor_insert_key.HANDLE;
        try {
            return (int) mh$.invokeExact(cur, pKey, nKey);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class ancdb_cursor_delete {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(
            C_INT,
            C_LONG_LONG
        );

        static final MemorySegment ADDR = findOrThrow("ancdb_cursor_delete");

        static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Downcall descriptor for:
     * {@snippet lang=c :
     * int32_t ancdb_cursor_delete(ancdb_cursor cur)
     * }
     *
     * @return the downcall descriptor
     */
    public static FunctionDescriptor ancdb_cursor_delete$descriptor() {
        return ancdb_cursor_delete.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * int32_t ancdb_cursor_delete(ancdb_cursor cur)
     * }
     *
     * @return the downcall method handle
     */
    public static MethodHandle ancdb_cursor_delete$handle() {
        return ancdb_cursor_delete.HANDLE;
    }

    /**
     * Downcall address for:
     * {@snippet lang=c :
     * int32_t ancdb_cursor_delete(ancdb_cursor cur)
     * }
     *
     * @return the downcall address
     */
    public static MemorySegment ancdb_cursor_delete$address() {
        return ancdb_cursor_delete.ADDR;
    }

    /**
     * {@snippet lang=c :
     * int32_t ancdb_cursor_delete(ancdb_cursor cur)
     * }
     *
     * @param cur {@code ancdb_cursor cur}
     * @return the {@code int32_t} result
     */
    public static int ancdb_cursor_delete(long cur) {
        var mh$ = ancdb_cursor_delete.HANDLE;
        try {
            return (int) mh$.invokeExact(cur);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class ancdb_table_get {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(
            C_INT,
            C_LONG_LONG,
            C_INT,
            C_LONG_LONG,
            C_POINTER,
            C_INT,
            C_POINTER
        );

        static final MemorySegment ADDR = findOrThrow("ancdb_table_get");

        static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Downcall descriptor for:
     * {@snippet lang=c :
     * int32_t ancdb_table_get(ancdb_db db, uint32_t root, int64_t rowid, void *pBuf, int32_t nBuf, int32_t *pnPayload)
     * }
     *
     * @return the downcall descriptor
     */
    public static FunctionDescriptor ancdb_table_get$descriptor() {
        return ancdb_table_get.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * int32_t ancdb_table_get(ancdb_db db, uint32_t root, int64_t rowid, void *pBuf, int32_t nBuf, int32_t *pnPayload)
     * }
     *
     * @return the downcall method handle
     */
    public static MethodHandle ancdb_table_get$handle() {
        return ancdb_table_get.HANDLE;
    }

    /**
     * Downcall address for:
     * {@snippet lang=c :
     * int32_t ancdb_table_get(ancdb_db db, uint32_t root, int64_t rowid, void *pBuf, int32_t nBuf, int32_t *pnPayload)
     * }
     *
     * @return the downcall address
     */
    public static MemorySegment ancdb_table_get$address() {
        return ancdb_table_get.ADDR;
    }

    /**
     * {@snippet lang=c :
     * int32_t ancdb_table_get(ancdb_db db, uint32_t root, int64_t rowid, void *pBuf, int32_t nBuf, int32_t *pnPayload)
     * }
     *
     * @param db {@code ancdb_db db}
     * @param root {@code uint32_t root}
     * @param rowid {@code int64_t rowid}
     * @param pBuf {@code void *pBuf}
     * @param nBuf {@code int32_t nBuf}
     * @param pnPayload {@code int32_t *pnPayload}
     * @return the {@code int32_t} result
     */
    public static int ancdb_table_get(long db, int root, long rowid, MemorySegment pBuf, int nBuf, MemorySegment pnPayload) {
        var mh$ = ancdb_table_get.HANDLE;
        try {
            return (int) mh$.invokeExact(db, root, rowid, pBuf, nBuf, pnPayload);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class ancdb_cursor_fetch {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(
            C_INT,
            C_LONG_LONG,
            C_LONG_LONG,
            C_INT,
            C_INT,
            C_LONG_LONG,
            C_POINTER,
            C_INT,
            C_POINTER,
            C_POINTER,
            C_POINTER
        );

        static final MemorySegment ADDR = findOrThrow("ancdb_cursor_fetch");

        static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Downcall descriptor for:
     * {@snippet lang=c :
     * int32_t ancdb_cursor_fetch(ancdb_cursor cur, ancdb_cursor rowCur, int32_t dir, int32_t nMax, int64_t iStop, void *pBuf, int32_t nBuf, int32_t *pnEntry, int32_t *pDone, int32_t *pnByte)
     * }
     *
     * @return the downcall descriptor
     */
    public static FunctionDescriptor ancdb_cursor_fetch$descriptor() {
        return ancdb_cursor_fetch.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * int32_t ancdb_cursor_fetch(ancdb_cursor cur, ancdb_cursor rowCur, int32_t dir, int32_t nMax, int64_t iStop, void *pBuf, int32_t nBuf, int32_t *pnEntry, int32_t *pDone, int32_t *pnByte)
     * }
     *
     * @return the downcall method handle
     */
    public static MethodHandle ancdb_cursor_fetch$handle() {
        return ancdb_cursor_fetch.HANDLE;
    }

    /**
     * Downcall address for:
     * {@snippet lang=c :
     * int32_t ancdb_cursor_fetch(ancdb_cursor cur, ancdb_cursor rowCur, int32_t dir, int32_t nMax, int64_t iStop, void *pBuf, int32_t nBuf, int32_t *pnEntry, int32_t *pDone, int32_t *pnByte)
     * }
     *
     * @return the downcall address
     */
    public static MemorySegment ancdb_cursor_fetch$address() {
        return ancdb_cursor_fetch.ADDR;
    }

    /**
     * {@snippet lang=c :
     * int32_t ancdb_cursor_fetch(ancdb_cursor cur, ancdb_cursor rowCur, int32_t dir, int32_t nMax, int64_t iStop, void *pBuf, int32_t nBuf, int32_t *pnEntry, int32_t *pDone, int32_t *pnByte)
     * }
     *
     * @param cur {@code ancdb_cursor cur}
     * @param rowCur {@code ancdb_cursor rowCur}
     * @param dir {@code int32_t dir}
     * @param nMax {@code int32_t nMax}
     * @param iStop {@code int64_t iStop}
     * @param pBuf {@code void *pBuf}
     * @param nBuf {@code int32_t nBuf}
     * @param pnEntry {@code int32_t *pnEntry}
     * @param pDone {@code int32_t *pDone}
     * @param pnByte {@code int32_t *pnByte}
     * @return the {@code int32_t} result
     */
    public static int ancdb_cursor_fetch(long cur, long rowCur, int dir, int nMax, long iStop, MemorySegment pBuf, int nBuf, MemorySegment pnEntry, MemorySegment pDone, MemorySegment pnByte) {
        var mh$ = ancdb_cursor_fetch.HANDLE;
        try {
            return (int) mh$.invokeExact(cur, rowCur, dir, nMax, iStop, pBuf, nBuf, pnEntry, pDone, pnByte);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class ancdb_cursor_count {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(
            C_INT,
            C_LONG_LONG,
            C_POINTER
        );

        static final MemorySegment ADDR = findOrThrow("ancdb_cursor_count");

        static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Downcall descriptor for:
     * {@snippet lang=c :
     * int32_t ancdb_cursor_count(ancdb_cursor cur, int64_t *pCount)
     * }
     *
     * @return the downcall descriptor
     */
    public static FunctionDescriptor ancdb_cursor_count$descriptor() {
        return ancdb_cursor_count.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * int32_t ancdb_cursor_count(ancdb_cursor cur, int64_t *pCount)
     * }
     *
     * @return the downcall method handle
     */
    public static MethodHandle ancdb_cursor_count$handle() {
        return ancdb_cursor_count.HANDLE;
    }

    /**
     * Downcall address for:
     * {@snippet lang=c :
     * int32_t ancdb_cursor_count(ancdb_cursor cur, int64_t *pCount)
     * }
     *
     * @return the downcall address
     */
    public static MemorySegment ancdb_cursor_count$address() {
        return ancdb_cursor_count.ADDR;
    }

    /**
     * {@snippet lang=c :
     * int32_t ancdb_cursor_count(ancdb_cursor cur, int64_t *pCount)
     * }
     *
     * @param cur {@code ancdb_cursor cur}
     * @param pCount {@code int64_t *pCount}
     * @return the {@code int32_t} result
     */
    public static int ancdb_cursor_count(long cur, MemorySegment pCount) {
        var mh$ = ancdb_cursor_count.HANDLE;
        try {
            return (int) mh$.invokeExact(cur, pCount);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class ancdb_fault_reset {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(
            C_INT,
            C_INT,
            C_LONG_LONG
        );

        static final MemorySegment ADDR = findOrThrow("ancdb_fault_reset");

        static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Downcall descriptor for:
     * {@snippet lang=c :
     * int32_t ancdb_fault_reset(uint32_t flags, uint64_t seed)
     * }
     *
     * @return the downcall descriptor
     */
    public static FunctionDescriptor ancdb_fault_reset$descriptor() {
        return ancdb_fault_reset.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * int32_t ancdb_fault_reset(uint32_t flags, uint64_t seed)
     * }
     *
     * @return the downcall method handle
     */
    public static MethodHandle ancdb_fault_reset$handle() {
        return ancdb_fault_reset.HANDLE;
    }

    /**
     * Downcall address for:
     * {@snippet lang=c :
     * int32_t ancdb_fault_reset(uint32_t flags, uint64_t seed)
     * }
     *
     * @return the downcall address
     */
    public static MemorySegment ancdb_fault_reset$address() {
        return ancdb_fault_reset.ADDR;
    }

    /**
     * {@snippet lang=c :
     * int32_t ancdb_fault_reset(uint32_t flags, uint64_t seed)
     * }
     *
     * @param flags {@code uint32_t flags}
     * @param seed {@code uint64_t seed}
     * @return the {@code int32_t} result
     */
    public static int ancdb_fault_reset(int flags, long seed) {
        var mh$ = ancdb_fault_reset.HANDLE;
        try {
            return (int) mh$.invokeExact(flags, seed);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class ancdb_fault_arm {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(
            C_INT,
            C_INT,
            C_LONG_LONG,
            C_INT,
            C_INT
        );

        static final MemorySegment ADDR = findOrThrow("ancdb_fault_arm");

        static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Downcall descriptor for:
     * {@snippet lang=c :
     * int32_t ancdb_fault_arm(int32_t kind, int64_t nth, int32_t action, int32_t persistent)
     * }
     *
     * @return the downcall descriptor
     */
    public static FunctionDescriptor ancdb_fault_arm$descriptor() {
        return ancdb_fault_arm.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * int32_t ancdb_fault_arm(int32_t kind, int64_t nth, int32_t action, int32_t persistent)
     * }
     *
     * @return the downcall method handle
     */
    public static MethodHandle ancdb_fault_arm$handle() {
        return ancdb_fault_arm.HANDLE;
    }

    /**
     * Downcall address for:
     * {@snippet lang=c :
     * int32_t ancdb_fault_arm(int32_t kind, int64_t nth, int32_t action, int32_t persistent)
     * }
     *
     * @return the downcall address
     */
    public static MemorySegment ancdb_fault_arm$address() {
        return ancdb_fault_arm.ADDR;
    }

    /**
     * {@snippet lang=c :
     * int32_t ancdb_fault_arm(int32_t kind, int64_t nth, int32_t action, int32_t persistent)
     * }
     *
     * @param kind {@code int32_t kind}
     * @param nth {@code int64_t nth}
     * @param action {@code int32_t action}
     * @param persistent {@code int32_t persistent}
     * @return the {@code int32_t} result
     */
    public static int ancdb_fault_arm(int kind, long nth, int action, int persistent) {
        var mh$ = ancdb_fault_arm.HANDLE;
        try {
            return (int) mh$.invokeExact(kind, nth, action, persistent);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class ancdb_fault_disarm {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(
            C_INT
        );

        static final MemorySegment ADDR = findOrThrow("ancdb_fault_disarm");

        static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Downcall descriptor for:
     * {@snippet lang=c :
     * int32_t ancdb_fault_disarm(void)
     * }
     *
     * @return the downcall descriptor
     */
    public static FunctionDescriptor ancdb_fault_disarm$descriptor() {
        return ancdb_fault_disarm.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * int32_t ancdb_fault_disarm(void)
     * }
     *
     * @return the downcall method handle
     */
    public static MethodHandle ancdb_fault_disarm$handle() {
        return ancdb_fault_disarm.HANDLE;
    }

    /**
     * Downcall address for:
     * {@snippet lang=c :
     * int32_t ancdb_fault_disarm(void)
     * }
     *
     * @return the downcall address
     */
    public static MemorySegment ancdb_fault_disarm$address() {
        return ancdb_fault_disarm.ADDR;
    }

    /**
     * {@snippet lang=c :
     * int32_t ancdb_fault_disarm(void)
     * }
     *
     * @return the {@code int32_t} result
     */
    public static int ancdb_fault_disarm() {
        var mh$ = ancdb_fault_disarm.HANDLE;
        try {
            return (int) mh$.invokeExact();
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class ancdb_fault_crash {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(
            C_INT
        );

        static final MemorySegment ADDR = findOrThrow("ancdb_fault_crash");

        static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Downcall descriptor for:
     * {@snippet lang=c :
     * int32_t ancdb_fault_crash(void)
     * }
     *
     * @return the downcall descriptor
     */
    public static FunctionDescriptor ancdb_fault_crash$descriptor() {
        return ancdb_fault_crash.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * int32_t ancdb_fault_crash(void)
     * }
     *
     * @return the downcall method handle
     */
    public static MethodHandle ancdb_fault_crash$handle() {
        return ancdb_fault_crash.HANDLE;
    }

    /**
     * Downcall address for:
     * {@snippet lang=c :
     * int32_t ancdb_fault_crash(void)
     * }
     *
     * @return the downcall address
     */
    public static MemorySegment ancdb_fault_crash$address() {
        return ancdb_fault_crash.ADDR;
    }

    /**
     * {@snippet lang=c :
     * int32_t ancdb_fault_crash(void)
     * }
     *
     * @return the {@code int32_t} result
     */
    public static int ancdb_fault_crash() {
        var mh$ = ancdb_fault_crash.HANDLE;
        try {
            return (int) mh$.invokeExact();
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class ancdb_fault_count {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(
            C_INT,
            C_INT,
            C_POINTER
        );

        static final MemorySegment ADDR = findOrThrow("ancdb_fault_count");

        static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Downcall descriptor for:
     * {@snippet lang=c :
     * int32_t ancdb_fault_count(int32_t kind, int64_t *pCount)
     * }
     *
     * @return the downcall descriptor
     */
    public static FunctionDescriptor ancdb_fault_count$descriptor() {
        return ancdb_fault_count.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * int32_t ancdb_fault_count(int32_t kind, int64_t *pCount)
     * }
     *
     * @return the downcall method handle
     */
    public static MethodHandle ancdb_fault_count$handle() {
        return ancdb_fault_count.HANDLE;
    }

    /**
     * Downcall address for:
     * {@snippet lang=c :
     * int32_t ancdb_fault_count(int32_t kind, int64_t *pCount)
     * }
     *
     * @return the downcall address
     */
    public static MemorySegment ancdb_fault_count$address() {
        return ancdb_fault_count.ADDR;
    }

    /**
     * {@snippet lang=c :
     * int32_t ancdb_fault_count(int32_t kind, int64_t *pCount)
     * }
     *
     * @param kind {@code int32_t kind}
     * @param pCount {@code int64_t *pCount}
     * @return the {@code int32_t} result
     */
    public static int ancdb_fault_count(int kind, MemorySegment pCount) {
        var mh$ = ancdb_fault_count.HANDLE;
        try {
            return (int) mh$.invokeExact(kind, pCount);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }
}

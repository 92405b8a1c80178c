/*
** ancdb.h -- the C shim over SQLite's B-tree layer used by ANC-DB.
**
** This is the only native interface Java sees.  SQLite's internal structs
** (Btree, BtCursor, Pager, sqlite3) never cross it: databases and cursors are
** named by 64-bit handles that the shim validates on every call, so a null,
** stale, closed or forged handle yields ANCDB_MISUSE instead of a crash.
**
** Conventions:
**   - Every function returns an int32_t result code (ANCDB_OK on success);
**     out-parameters come last and are marked OUT.
**   - Integers are fixed width.  Pointers are to caller-owned memory that
**     must stay valid for the duration of the call only.
**   - A handle may be used by one thread at a time.  A call that finds its
**     database busy in another thread fails with ANCDB_MISUSE.
**   - Functions marked ANCDB_LEAF never reach the VFS and never block; they
**     are safe to call as "critical" downcalls.
**
** The bindings generator (extract-tools/gen_bindings.py) reads this file:
** keep one declaration per line-group, ending with ");".
*/
#ifndef ANCDB_H
#define ANCDB_H

#include <stdint.h>

#define ANCDB_API  __attribute__((visibility("default")))
#define ANCDB_LEAF /* marker for the bindings generator */

/* Handles.  0 is never a valid handle. */
typedef uint64_t ancdb_db;
typedef uint64_t ancdb_cursor;

/*
** Result codes.  The values equal SQLite's primary result codes so that
** extended codes (rc & 0xff == primary) pass through unchanged.
*/
#define ANCDB_OK          0   /* Success */
#define ANCDB_ERROR       1   /* Generic error */
#define ANCDB_PERM        3   /* Access permission denied */
#define ANCDB_ABORT       4   /* Operation aborted */
#define ANCDB_BUSY        5   /* The file is locked by another connection */
#define ANCDB_LOCKED      6   /* A b-tree is in use by an open cursor */
#define ANCDB_NOMEM       7   /* Out of memory */
#define ANCDB_READONLY    8   /* Write to a read-only database */
#define ANCDB_IOERR      10   /* Disk I/O error */
#define ANCDB_CORRUPT    11   /* The database file is malformed */
#define ANCDB_FULL       13   /* Disk or database full */
#define ANCDB_CANTOPEN   14   /* Unable to open the file */
#define ANCDB_PROTOCOL   15   /* Locking protocol error */
#define ANCDB_TOOBIG     18   /* String, BLOB or record over SQLite's length limit */
#define ANCDB_CONSTRAINT 19   /* Constraint violation */
#define ANCDB_MISMATCH   20   /* Data type or handle kind mismatch */
#define ANCDB_MISUSE     21   /* API used incorrectly (bad handle, state) */
#define ANCDB_RANGE      25   /* Argument out of range */
#define ANCDB_NOTADB     26   /* File is not a database */
#define ANCDB_DONE      101   /* Cursor moved past the last/first entry */

/*
** Extended I/O error codes: ANCDB_IOERR | (n << 8), SQLite's SQLITE_IOERR_*
** numbering (checked at compile time in ancdb.c).  They say which system
** call failed; the primary code (rc & 0xff) stays ANCDB_IOERR.
*/
#define ANCDB_IOERR_READ              266   /* read() failed */
#define ANCDB_IOERR_SHORT_READ        522   /* The file ended before the page */
#define ANCDB_IOERR_WRITE             778   /* write() failed */
#define ANCDB_IOERR_FSYNC            1034   /* fsync() of the file failed */
#define ANCDB_IOERR_DIR_FSYNC        1290   /* fsync() of the directory failed */
#define ANCDB_IOERR_TRUNCATE         1546   /* ftruncate() failed */
#define ANCDB_IOERR_FSTAT            1802   /* fstat() failed */
#define ANCDB_IOERR_UNLOCK           2058   /* Releasing a file lock failed */
#define ANCDB_IOERR_RDLOCK           2314   /* Taking a read lock failed */
#define ANCDB_IOERR_DELETE           2570   /* unlink() of the journal failed */
#define ANCDB_IOERR_NOMEM            3082   /* The I/O layer could not allocate */
#define ANCDB_IOERR_ACCESS           3338   /* access() failed */
#define ANCDB_IOERR_CHECKRESERVEDLOCK 3594  /* Testing for a reserved lock failed */
#define ANCDB_IOERR_LOCK             3850   /* Taking a file lock failed */
#define ANCDB_IOERR_CLOSE            4106   /* close() failed */
#define ANCDB_IOERR_SHMOPEN          4618   /* Opening the WAL's shared-memory file failed */
#define ANCDB_IOERR_SHMSIZE          4874   /* Sizing it failed */
#define ANCDB_IOERR_SHMLOCK          5130   /* Locking it failed */
#define ANCDB_IOERR_SHMMAP           5386   /* Mapping it failed */
#define ANCDB_IOERR_SEEK             5642   /* lseek() failed */

/* Flags for ancdb_open() */
#define ANCDB_OPEN_READONLY     0x0001  /* Open read-only */
#define ANCDB_OPEN_CREATE       0x0002  /* Create the file if missing */
#define ANCDB_OPEN_WAL          0x0004  /* Journal mode WAL (else DELETE) */
#define ANCDB_OPEN_EXCLUSIVE    0x0008  /* Exclusive locking mode */
#define ANCDB_OPEN_SYNC_OFF     0x0010  /* synchronous=OFF */
#define ANCDB_OPEN_SYNC_NORMAL  0x0020  /* synchronous=NORMAL */
#define ANCDB_OPEN_SYNC_FULL    0x0030  /* synchronous=FULL (the default) */
#define ANCDB_OPEN_SYNC_EXTRA   0x0040  /* synchronous=EXTRA */
#define ANCDB_OPEN_SYNC_MASK    0x0070
#define ANCDB_OPEN_KEEP_JOURNAL 0x0080  /* Keep the file's current journal mode */
#define ANCDB_OPEN_KEEP_READ    0x0100  /* The next ancdb_read_begin() continues the open's read */

/* ancdb_read_end() keep values beyond 0 and 1 */
#define ANCDB_READ_HOLD 2  /* hold it in any journal mode (see ancdb_read_end) */

/* Transaction states, from ancdb_txn_state() */
#define ANCDB_TXN_NONE  0
#define ANCDB_TXN_READ  1
#define ANCDB_TXN_WRITE 2

/* B-tree kinds for ancdb_btree_create() */
#define ANCDB_BTREE_TABLE 1   /* 64-bit integer key (rowid) + record */
#define ANCDB_BTREE_INDEX 2   /* Record key only, compared field by field */

/* Flags for ancdb_cursor_open() */
#define ANCDB_CURSOR_WRITE 0x0001  /* Cursor may insert and delete */

/*
** Meta values in the database header (ancdb_meta_get/set).  Same numbering
** as SQLite's BTREE_* meta indices.
*/
#define ANCDB_META_SCHEMA_VERSION   1  /* Schema cookie: bump on change */
#define ANCDB_META_FILE_FORMAT      2  /* Schema format number (4) */
#define ANCDB_META_DEFAULT_CACHE    3
#define ANCDB_META_LARGEST_ROOT     4  /* Autovacuum only */
#define ANCDB_META_TEXT_ENCODING    5  /* 1 = UTF-8 */
#define ANCDB_META_USER_VERSION     6
#define ANCDB_META_INCR_VACUUM      7
#define ANCDB_META_APPLICATION_ID   8
#define ANCDB_META_DATA_VERSION    15  /* Read-only: changes when others commit */

/* Checkpoint modes for ancdb_checkpoint() */
#define ANCDB_CHECKPOINT_PASSIVE  0
#define ANCDB_CHECKPOINT_FULL     1
#define ANCDB_CHECKPOINT_RESTART  2
#define ANCDB_CHECKPOINT_TRUNCATE 3

/*
** Library.
**
** ancdb_version() returns the shim version as MAJOR*10000+MINOR*100+PATCH.
** ancdb_sqlite_version() returns SQLITE_VERSION_NUMBER of the embedded core.
** ancdb_errstr() copies an English description of result code rc into
** zBuf (NUL-terminated, truncated to nBuf bytes).
*/
ANCDB_API ANCDB_LEAF int32_t ancdb_version(void);
ANCDB_API ANCDB_LEAF int32_t ancdb_sqlite_version(void);
ANCDB_API ANCDB_LEAF int32_t ancdb_errstr(int32_t rc, char *zBuf, int32_t nBuf);

/*
** Open the database file zPath (UTF-8, NUL-terminated).  flags is a mask of
** ANCDB_OPEN_*.  nCachePages is the page-cache size in pages (<=0: default
** 2000), busyTimeoutMs how long to retry a lock held by another process
** before ANCDB_BUSY (0: fail at once), mmapBytes the memory-mapped I/O limit
** (0: off).  On failure *pDb is 0 and a message is copied into zErr.
**
** The open reads page 1 in a read transaction.  With ANCDB_OPEN_KEEP_READ
** that transaction stays open when the open changed nothing (no journal-mode
** switch, not a new file), and the next ancdb_read_begin() continues it
** without locking the file again (*pReused 1): the open's snapshot.  For a
** caller that reads at once (its schema): in rollback-journal mode the
** transaction holds a SHARED lock, which stops other processes' commits
** until it ends.  ancdb_begin(), commit and rollback end it like a kept one.
*/
ANCDB_API int32_t ancdb_open(
  const char *zPath,       /* File name */
  uint32_t flags,          /* ANCDB_OPEN_* */
  int32_t nCachePages,     /* Page cache size in pages */
  int32_t busyTimeoutMs,   /* Busy timeout */
  int64_t mmapBytes,       /* mmap limit, 0 for none */
  char *zErr,              /* OUT: message on failure (may be NULL) */
  int32_t nErr,            /* Size of zErr */
  ancdb_db *pDb            /* OUT: database handle */
);

/*
** As ancdb_open(), through the VFS registered as zVfs (NULL: the default
** VFS).  An unknown name fails with ANCDB_CANTOPEN.  The default VFS is used
** unless a caller names another here.
*/
ANCDB_API int32_t ancdb_open_vfs(
  const char *zPath,       /* File name */
  uint32_t flags,          /* ANCDB_OPEN_* */
  int32_t nCachePages,     /* Page cache size in pages */
  int32_t busyTimeoutMs,   /* Busy timeout */
  int64_t mmapBytes,       /* mmap limit, 0 for none */
  const char *zVfs,        /* VFS name, NULL for the default */
  char *zErr,              /* OUT: message on failure (may be NULL) */
  int32_t nErr,            /* Size of zErr */
  ancdb_db *pDb            /* OUT: database handle */
);

/*
** As ancdb_open_vfs(), encrypted at rest when nKey>0, in SQLCipher 4's
** default format (any SQLCipher 4 tool opens the file with the same key).
** pKey/nKey is the key text exactly as SQLCipher's PRAGMA key takes it: a
** passphrase (PBKDF2-HMAC-SHA512, 256,000 iterations, with the file's salt)
** or a raw key written x'<64 hex digits>', optionally followed by the
** 32-digit salt inside the quotes (x'<96 hex digits>').  The shim keeps no
** copy of the key text; the caller wipes its own.  nKey==0: a plain open.
** OpenSSL's libcrypto (1.1.1 or later) is loaded on the first keyed open
** (ANCDB_LIBCRYPTO, when set, names the file to load); without it the open
** fails with ANCDB_CANTOPEN and a message naming the library.
** A wrong key, a plaintext file opened with a key, or an encrypted file
** opened without one fails with ANCDB_NOTADB and writes nothing.  A page
** whose authentication fails (damaged, tampered with) is ANCDB_CORRUPT, the
** message naming the page.  Memory-mapped I/O is off for encrypted files.
*/
ANCDB_API int32_t ancdb_open_key(
  const char *zPath,       /* File name */
  uint32_t flags,          /* ANCDB_OPEN_* */
  int32_t nCachePages,     /* Page cache size in pages */
  int32_t busyTimeoutMs,   /* Busy timeout */
  int64_t mmapBytes,       /* mmap limit, 0 for none */
  const char *zVfs,        /* VFS name, NULL for the default */
  const void *pKey,        /* Key text (see above), NULL if nKey is 0 */
  int32_t nKey,            /* Bytes of pKey, 0 for no encryption */
  char *zErr,              /* OUT: message on failure (may be NULL) */
  int32_t nErr,            /* Size of zErr */
  ancdb_db *pDb            /* OUT: database handle */
);

/*
** Copy the key of encrypted database db into zOut as SQLCipher's raw key
** text x'<64 hex digits of the key><32 of the salt>' (99 characters and a
** NUL; nOut at least 100): another connection opens the file with it
** without the key derivation, and any SQLCipher 4 tool with PRAGMA key.
** ANCDB_MISMATCH for a plaintext database.  The caller wipes zOut.
*/
ANCDB_API int32_t ancdb_key_export(ancdb_db db, char *zOut /* OUT */, int32_t nOut);

/*
** Give the database file zPath a new key: pOldKey/nOldKey opens it (nOldKey
** 0: a plaintext file), pNewKey/nNewKey is the new key, as for
** ancdb_open_key() (nNewKey 0: decrypt, leaving a plaintext file).  Every
** b-tree is copied into "<zPath>-rekey", written with the new key and
** committed, which then replaces zPath by rename(); a kill at any point
** leaves a file that opens with the old key or with the new one, holding
** every committed transaction.  The journal mode is kept.  No other
** connection may have the file open (one that has gets ANCDB_BUSY here;
** one that stays open would go on with the old file).  A wrong old key is
** ANCDB_NOTADB and changes nothing.
*/
ANCDB_API int32_t ancdb_rekey(
  const char *zPath,       /* File name */
  const char *zVfs,        /* VFS name, NULL for the default */
  const void *pOldKey,     /* Key the file has now, NULL if nOldKey is 0 */
  int32_t nOldKey,         /* Bytes of pOldKey, 0: the file is plaintext */
  const void *pNewKey,     /* Key to give it, NULL if nNewKey is 0 */
  int32_t nNewKey,         /* Bytes of pNewKey, 0: decrypt */
  char *zErr,              /* OUT: message on failure (may be NULL) */
  int32_t nErr             /* Size of zErr */
);

/*
** Close a database.  Open cursors are closed and an open transaction is
** rolled back first.  The handle is invalid afterwards.
*/
ANCDB_API int32_t ancdb_close(ancdb_db db);

/*
** Copy the message of the last failed call on db into zBuf (NUL-terminated,
** truncated to nBuf).  The message never contains a file path.
*/
ANCDB_API int32_t ancdb_errmsg(ancdb_db db, char *zBuf, int32_t nBuf);

/* Journal mode in force: 1 for WAL, 0 for a rollback journal. */
ANCDB_API int32_t ancdb_is_wal(ancdb_db db, int32_t *pIsWal /* OUT */);

/*
** Transactions.
**
** ancdb_begin() starts a read (write==0) or write (write!=0) transaction;
** a read transaction may be upgraded by calling it again with write!=0.
** *pSchemaCookie (may be NULL) receives the schema cookie.  Commit and
** rollback end either kind and close every cursor of the database.
*/
ANCDB_API int32_t ancdb_begin(ancdb_db db, int32_t write, uint32_t *pSchemaCookie /* OUT */);
ANCDB_API int32_t ancdb_commit(ancdb_db db);
ANCDB_API int32_t ancdb_rollback(ancdb_db db);
ANCDB_API int32_t ancdb_txn_state(ancdb_db db, int32_t *pState /* OUT: ANCDB_TXN_* */);

/*
** Read transactions that outlive their user (WAL mode, normal locking).
**
** ancdb_read_end() ends a read transaction like ancdb_commit(), except that
** with keep!=0 it leaves it open, cursors closed, for the next
** ancdb_read_begin() when its snapshot is still the newest, the WAL index
** is in shared memory, and keeping it holds back no due checkpoint (the log
** below the auto-checkpoint size, or wholly copied into the database).
** *pKept (may be NULL) is 1 if it stays open.  With keep==0 it also ends a
** transaction kept earlier.
**
** ancdb_read_begin() begins a read transaction.  A kept one is reused when
** no connection of any process committed since it began (its WAL index
** header equals the copy writers publish last, read after a barrier: no
** system call), else ended and a new one begun.  *pReused (may be NULL) is
** 1 on reuse.  ancdb_begin(), commit, rollback and checkpoint end a kept
** transaction first.
**
** keep==ANCDB_READ_HOLD keeps it as keep==1 does in WAL mode, and also in
** rollback-journal mode, where the transaction keeps its SHARED lock: no
** other process can commit while it is held, so the next ancdb_read_begin()
** reuses it as it is.  For a caller that reads again at once and otherwise
** soon ends it (ancdb_read_end with keep 0, or begin, commit, rollback,
** close): a held lock stops every other writer of the file.
*/
ANCDB_API int32_t ancdb_read_begin(ancdb_db db, uint32_t *pSchemaCookie /* OUT */, int32_t *pReused /* OUT */);
ANCDB_API int32_t ancdb_read_end(ancdb_db db, int32_t keep, int32_t *pKept /* OUT */);

/*
** Savepoints inside a write transaction, numbered from 1 by depth.
** ancdb_savepoint_begin() opens a new innermost savepoint and returns its
** level.  release(level) keeps the changes and ends that savepoint and all
** inner ones; rollback(level) undoes every change made since that savepoint
** began, ends inner ones, keeps level itself open, and closes all cursors.
*/
ANCDB_API int32_t ancdb_savepoint_begin(ancdb_db db, int32_t *pLevel /* OUT */);
ANCDB_API int32_t ancdb_savepoint_release(ancdb_db db, int32_t level);
ANCDB_API int32_t ancdb_savepoint_rollback(ancdb_db db, int32_t level);

/*
** Run a WAL checkpoint (no-op in rollback-journal mode).  Needs no open
** transaction.  *pnLog and *pnCkpt (may be NULL) receive the frames in the
** log and the frames checkpointed.
*/
ANCDB_API int32_t ancdb_checkpoint(ancdb_db db, int32_t mode, int32_t *pnLog /* OUT */, int32_t *pnCkpt /* OUT */);

/*
** B-trees and header meta values.  Create, drop, clear and meta_set need a
** write transaction, meta_get any transaction.  Root page 1 (sqlite_schema)
** cannot be dropped or cleared.  A b-tree with open cursors cannot be dropped.
*/
ANCDB_API int32_t ancdb_btree_create(ancdb_db db, int32_t kind, uint32_t *pRoot /* OUT */);
ANCDB_API int32_t ancdb_btree_drop(ancdb_db db, uint32_t root);
ANCDB_API int32_t ancdb_btree_clear(ancdb_db db, uint32_t root);
ANCDB_API int32_t ancdb_meta_get(ancdb_db db, int32_t idx, uint32_t *pValue /* OUT */);
ANCDB_API int32_t ancdb_meta_set(ancdb_db db, int32_t idx, uint32_t value);

/*
** Check the whole file plus the b-trees rooted at aRoot[0..nRoot-1] (root 1
** is always included).  Stops after mxErr problems.  *pnErr receives the
** count; the report, if any, is copied into zOut (truncated to nOut).
** Needs a read transaction.
*/
ANCDB_API int32_t ancdb_integrity_check(
  ancdb_db db,
  const uint32_t *aRoot,   /* Root pages of every b-tree in the file */
  int32_t nRoot,           /* Entries in aRoot */
  int32_t mxErr,           /* Stop after this many errors */
  char *zOut,              /* OUT: report, "" when clean */
  int32_t nOut,            /* Size of zOut */
  int32_t *pnErr           /* OUT: number of errors */
);

/*
** Cursors.
**
** A cursor lives inside one transaction: commit, rollback, savepoint
** rollback and close invalidate it (later calls return ANCDB_MISUSE).
** nKeyFields is 0 for a table b-tree; for an index b-tree it is the number
** of fields in each key record (indexed columns plus the trailing rowid),
** all compared with BINARY collation, ascending.
*/
ANCDB_API int32_t ancdb_cursor_open(
  ancdb_db db,
  uint32_t root,           /* Root page of the b-tree */
  int32_t flags,           /* ANCDB_CURSOR_* */
  int32_t nKeyFields,      /* 0 for a table, fields per key for an index */
  ancdb_cursor *pCur       /* OUT: cursor handle */
);
ANCDB_API int32_t ancdb_cursor_close(ancdb_cursor cur);

/*
** Movement.  Each returns ANCDB_OK when the cursor rests on an entry and
** ANCDB_DONE when there is none (empty b-tree, or moved past an end).
*/
ANCDB_API int32_t ancdb_cursor_first(ancdb_cursor cur);
ANCDB_API int32_t ancdb_cursor_last(ancdb_cursor cur);
ANCDB_API int32_t ancdb_cursor_next(ancdb_cursor cur);
ANCDB_API int32_t ancdb_cursor_prev(ancdb_cursor cur);

/*
** Seek.  *pRes is 0 when the cursor rests on an exact match, <0 when on the
** entry just before where the key would be, >0 when on the entry just after;
** on an empty b-tree it returns ANCDB_DONE.
** ancdb_cursor_seek_rowid() needs a table cursor, seek_key an index cursor;
** pKey is a SQLite record with at most nKeyFields fields.  When the key has
** fewer fields (a prefix), bias decides where equal prefixes fall: bias<0
** treats matching entries as smaller than the key (the cursor lands after
** them), bias>0 as larger (it lands before them), 0 as equal.
*/
ANCDB_API int32_t ancdb_cursor_seek_rowid(ancdb_cursor cur, int64_t rowid, int32_t *pRes /* OUT */);
ANCDB_API int32_t ancdb_cursor_seek_key(ancdb_cursor cur, const void *pKey, int32_t nKey, int32_t bias, int32_t *pRes /* OUT */);

/*
** Entry access.  ancdb_cursor_eof() sets *pEof to 1 unless the cursor rests
** on a valid entry.  rowid and payload_size need a cursor resting on an
** entry that has not been moved by a write through another cursor (move or
** seek it again after such writes; they answer ANCDB_MISUSE otherwise).
** payload() copies amt bytes from offset of the entry's record (the row of
** a table, the key of an index) into pBuf; it reads overflow pages.
*/
ANCDB_API ANCDB_LEAF int32_t ancdb_cursor_eof(ancdb_cursor cur, int32_t *pEof /* OUT */);
ANCDB_API ANCDB_LEAF int32_t ancdb_cursor_rowid(ancdb_cursor cur, int64_t *pRowid /* OUT */);
ANCDB_API ANCDB_LEAF int32_t ancdb_cursor_payload_size(ancdb_cursor cur, uint32_t *pSize /* OUT */);
ANCDB_API int32_t ancdb_cursor_payload(ancdb_cursor cur, uint32_t offset, uint32_t amt, void *pBuf /* OUT */);

/*
** Writes through a cursor opened with ANCDB_CURSOR_WRITE in a write
** transaction.  insert_row() puts record pData under rowid in a table,
** replacing any row with that rowid.  insert_key() puts key record pKey in
** an index, replacing an equal key.  delete() removes the entry the cursor
** rests on; the cursor is then left invalid (seek again).
*/
ANCDB_API int32_t ancdb_cursor_insert_row(ancdb_cursor cur, int64_t rowid, const void *pData, int32_t nData);
ANCDB_API int32_t ancdb_cursor_insert_key(ancdb_cursor cur, const void *pKey, int32_t nKey);
ANCDB_API int32_t ancdb_cursor_delete(ancdb_cursor cur);

/*
** Point read without a cursor handle: look up rowid in the table b-tree at
** root and copy its record into pBuf.  Returns ANCDB_DONE if there is no
** such row.  *pnPayload receives the record size; when it exceeds nBuf
** nothing is copied (call again with a larger buffer).  Needs a transaction.
** One call instead of open + seek + size + read + close.
*/
ANCDB_API int32_t ancdb_table_get(
  ancdb_db db,
  uint32_t root,           /* Root page of a table b-tree */
  int64_t rowid,           /* Row to read */
  void *pBuf,              /* OUT: the record */
  int32_t nBuf,            /* Size of pBuf */
  int32_t *pnPayload       /* OUT: size of the record */
);

/*
** Batch read.  Starting at the cursor's current entry and stepping forward
** (dir>0) or backward (dir<0), copy up to nMax entries into pBuf (nBuf
** bytes, 8-byte aligned), each laid out in host byte order as
**
**     int64 rowid | int32 nA | int32 nB | A[nA] | B[nB] | zero pad to 8
**
** On a table cursor rowid is the entry's key, A its record, nB 0, and no
** entry whose rowid lies beyond iStop in scan direction is copied.  On an
** index cursor rowid is the key's trailing integer field, A the key and, if
** rowCur is a table cursor of the same database (else pass 0), B is the row
** that rowid names, read through rowCur (a missing row is SQLITE_CORRUPT).
** On return *pnEntry holds the count copied, *pnByte the bytes they fill,
** and the cursor sits on the first entry not copied; *pDone is 1 when there
** is none.  If *pnEntry is 0 and *pDone is 0 the next entry alone needs
** *pnByte bytes: retry with a larger pBuf.
** Meant for read transactions: a write between calls moves nothing here.
*/
ANCDB_API int32_t ancdb_cursor_fetch(
  ancdb_cursor cur,
  ancdb_cursor rowCur,     /* Table cursor for index scans, or 0 */
  int32_t dir,             /* >0 forward, <0 backward */
  int32_t nMax,            /* Most entries to copy */
  int64_t iStop,           /* Table cursors: last rowid to copy */
  void *pBuf,              /* OUT: entries */
  int32_t nBuf,            /* Size of pBuf */
  int32_t *pnEntry,        /* OUT: entries copied */
  int32_t *pDone,          /* OUT: 1 if the scan ran off the b-tree or iStop */
  int32_t *pnByte          /* OUT: bytes used (or needed, see above) */
);

/* Number of entries in the cursor's b-tree (walks every leaf page). */
ANCDB_API int32_t ancdb_cursor_count(ancdb_cursor cur, int64_t *pCount /* OUT */);

/*
** Fault injection (tests only; see native/faultvfs.c).  The first call of
** any ancdb_fault_* function registers the VFS "ancdb-fault", never as the
** default: only databases opened with ancdb_open_vfs(.., "ancdb-fault", ..)
** go through it.  It counts the xRead, xWrite, xSync, xTruncate and xLock
** calls on its files and fails the one chosen by ancdb_fault_arm().
** State is process-wide.
*/
#define ANCDB_FAULT_READ     1   /* Kinds of counted call */
#define ANCDB_FAULT_WRITE    2
#define ANCDB_FAULT_SYNC     3
#define ANCDB_FAULT_TRUNCATE 4
#define ANCDB_FAULT_LOCK     5

#define ANCDB_FAULT_IOERR    1   /* Fail with the kind's I/O error code */
#define ANCDB_FAULT_FULL     2   /* Fail with ANCDB_FULL (write, sync, truncate) */
#define ANCDB_FAULT_CRASH    3   /* Power loss: drop unsynced writes, then fail all I/O */

#define ANCDB_FAULT_BUFFER   0x0001  /* Hold writes in memory until xSync (CRASH needs it) */
#define ANCDB_FAULT_NOSYNC   0x0002  /* Count xSync but skip the real fsync */
#define ANCDB_FAULT_TORN     0x0004  /* A crash keeps a random subset of unsynced writes */

/*
** ancdb_fault_reset() disarms, zeroes the counters, ends a crash and sets
** ANCDB_FAULT_* flags for files opened from now on; seed drives TORN.
** ancdb_fault_arm() makes the nth call of kind from now (1 = the next)
** fail with action; persistent!=0 fails every later call of kind too.
** ancdb_fault_crash() simulates power loss now.  ancdb_fault_count() gives
** the calls of kind since the reset (kind 0: the faults injected).
*/
ANCDB_API int32_t ancdb_fault_reset(uint32_t flags, uint64_t seed);
ANCDB_API int32_t ancdb_fault_arm(int32_t kind, int64_t nth, int32_t action, int32_t persistent);
ANCDB_API int32_t ancdb_fault_disarm(void);
ANCDB_API int32_t ancdb_fault_crash(void);
ANCDB_API int32_t ancdb_fault_count(int32_t kind, int64_t *pCount /* OUT */);

#endif /* ANCDB_H */

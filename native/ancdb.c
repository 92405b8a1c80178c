/*
** ancdb.c -- the C shim over SQLite's B-tree layer.  See ancdb.h.
**
** The SQLite core is included into this translation unit because every
** b-tree, pager and VDBE-record function is static (SQLITE_PRIVATE) in the
** amalgamation.  "ancdb_core.c" is extract-tools' minimal_core.c in the
** normal build, or the whole patched amalgamation for comparison builds.
**
** Safety model.  The B-tree layer checks almost nothing; every check lives
** here.  Handles index type-stable slots that are never freed (a slot's
** object is reused only for a handle of the same kind) and carry a
** generation number, so stale, forged or closed handles are detected
** without touching freed memory.  Each database has a "busy" flag taken
** with a compare-and-swap on entry, so two threads can never be inside the
** same connection at once (SQLITE_THREADSAFE=2 requires that).
*/
#include "ancdb_core.c"
#include "ancdb.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <fcntl.h>
#include <unistd.h>

/* ancdb.h promises SQLite's numbering for the codes the Java layer names. */
#define ANC_SAME_CODE(a, b) _Static_assert((a)==(b), #a " must equal " #b)
ANC_SAME_CODE(ANCDB_IOERR_READ, SQLITE_IOERR_READ);
ANC_SAME_CODE(ANCDB_IOERR_SHORT_READ, SQLITE_IOERR_SHORT_READ);
ANC_SAME_CODE(ANCDB_IOERR_WRITE, SQLITE_IOERR_WRITE);
ANC_SAME_CODE(ANCDB_IOERR_FSYNC, SQLITE_IOERR_FSYNC);
ANC_SAME_CODE(ANCDB_IOERR_DIR_FSYNC, SQLITE_IOERR_DIR_FSYNC);
ANC_SAME_CODE(ANCDB_IOERR_TRUNCATE, SQLITE_IOERR_TRUNCATE);
ANC_SAME_CODE(ANCDB_IOERR_FSTAT, SQLITE_IOERR_FSTAT);
ANC_SAME_CODE(ANCDB_IOERR_UNLOCK, SQLITE_IOERR_UNLOCK);
ANC_SAME_CODE(ANCDB_IOERR_RDLOCK, SQLITE_IOERR_RDLOCK);
ANC_SAME_CODE(ANCDB_IOERR_DELETE, SQLITE_IOERR_DELETE);
ANC_SAME_CODE(ANCDB_IOERR_NOMEM, SQLITE_IOERR_NOMEM);
ANC_SAME_CODE(ANCDB_IOERR_ACCESS, SQLITE_IOERR_ACCESS);
ANC_SAME_CODE(ANCDB_IOERR_CHECKRESERVEDLOCK, SQLITE_IOERR_CHECKRESERVEDLOCK);
ANC_SAME_CODE(ANCDB_IOERR_LOCK, SQLITE_IOERR_LOCK);
ANC_SAME_CODE(ANCDB_IOERR_CLOSE, SQLITE_IOERR_CLOSE);
ANC_SAME_CODE(ANCDB_IOERR_SHMOPEN, SQLITE_IOERR_SHMOPEN);
ANC_SAME_CODE(ANCDB_IOERR_SHMSIZE, SQLITE_IOERR_SHMSIZE);
ANC_SAME_CODE(ANCDB_IOERR_SHMLOCK, SQLITE_IOERR_SHMLOCK);
ANC_SAME_CODE(ANCDB_IOERR_SHMMAP, SQLITE_IOERR_SHMMAP);
ANC_SAME_CODE(ANCDB_IOERR_SEEK, SQLITE_IOERR_SEEK);

#define ANCDB_SHIM_VERSION 10000   /* 1.0.0 */
#define ANC_DEFAULT_CACHE  2000    /* pages, as SQLite's default of -2000 KiB */
#define ANC_AUTOCKPT       1000    /* WAL frames before a passive checkpoint */
#define ANC_WAL_RESTART    2000    /* WAL frames before a checkpoint that waits for readers */
#define ANC_RESTART_WAIT_MS  25    /* longest wait for readers in that checkpoint */
#define ANC_MAX_KEYFIELDS  64      /* fields in one index key */
#define ANC_ERRMSG         256
/* AncDb.readKept: why a read transaction is open with no user inside it */
#define ANC_KEPT_BY_END    1       /* ancdb_read_end(keep), WAL: reused while current */
#define ANC_KEPT_BY_OPEN   2       /* ancdb_open(KEEP_READ): the next read continues it */
#define ANC_KEPT_LOCKED    3       /* ancdb_read_end(HOLD), rollback journal: its SHARED
                                   ** lock kept every commit out, so it is current */

/* ---------------------------------------------------------------------------
** Handle tables
*/
#define HT_CHUNK    1024           /* slots per chunk */
#define HT_MAXCHUNK 4096           /* at most 4M live handles of one kind */

typedef struct HtSlot HtSlot;
struct HtSlot {
  _Atomic uint32_t gen;            /* odd while allocated, even while free */
  uint32_t iNextFree;              /* free list link: slot index + 1, or 0 */
  void *pObj;                      /* type-stable object, never freed */
};

typedef struct HandleTable HandleTable;
struct HandleTable {
  pthread_mutex_t mu;              /* guards allocation and the free list */
  HtSlot *_Atomic apChunk[HT_MAXCHUNK];
  _Atomic uint32_t nChunk;         /* chunks published so far */
  uint32_t iFree;                  /* head of the free list (index + 1) */
  size_t szObj;                    /* bytes of each slot's object */
  uint32_t kind;                   /* HT_KIND_* bit carried by every handle */
};

/* Bit 31 of a handle's low word says which table it indexes, so a database
** handle never passes for a cursor handle of the same slot and generation. */
#define HT_KIND_DB     0x00000000u
#define HT_KIND_CURSOR 0x80000000u
#define HT_KIND_MASK   0x80000000u

static HandleTable htDb  = { PTHREAD_MUTEX_INITIALIZER, .kind = HT_KIND_DB };
static HandleTable htCur = { PTHREAD_MUTEX_INITIALIZER, .kind = HT_KIND_CURSOR };

static HtSlot *htSlot(HandleTable *t, uint64_t h){
  uint32_t idx = (uint32_t)(h & 0xffffffff);
  uint32_t nChunk;
  HtSlot *aChunk;
  if( (idx & HT_KIND_MASK)!=t->kind ) return 0;
  idx &= ~HT_KIND_MASK;
  if( idx==0 ) return 0;
  idx--;
  nChunk = atomic_load_explicit(&t->nChunk, memory_order_acquire);
  if( idx/HT_CHUNK >= nChunk ) return 0;
  aChunk = atomic_load_explicit(&t->apChunk[idx/HT_CHUNK], memory_order_acquire);
  return &aChunk[idx%HT_CHUNK];
}

/* Object of live handle h, or NULL when h is not (or no longer) live. */
static void *htLookup(HandleTable *t, uint64_t h){
  HtSlot *s = htSlot(t, h);
  if( s==0 || ((h>>32) & 1)==0 ) return 0;   /* even generation: a free slot */
  if( atomic_load_explicit(&s->gen, memory_order_acquire)!=(uint32_t)(h>>32) ) return 0;
  return s->pObj;
}

static int htLive(HandleTable *t, uint64_t h){
  HtSlot *s = htSlot(t, h);
  return s && ((h>>32) & 1)==1
           && atomic_load_explicit(&s->gen, memory_order_acquire)==(uint32_t)(h>>32);
}

/* Allocate a handle; *ppObj receives its (zeroed on first use) object. */
static uint64_t htAlloc(HandleTable *t, void **ppObj){
  uint32_t idx;
  HtSlot *s;
  uint32_t g;
  pthread_mutex_lock(&t->mu);
  if( t->iFree==0 ){
    uint32_t n = atomic_load_explicit(&t->nChunk, memory_order_relaxed);
    HtSlot *a;
    char *aObj;
    uint32_t i;
    if( n>=HT_MAXCHUNK ){ pthread_mutex_unlock(&t->mu); return 0; }
    a = calloc(HT_CHUNK, sizeof(HtSlot));
    aObj = calloc(HT_CHUNK, t->szObj);
    if( a==0 || aObj==0 ){ free(a); free(aObj); pthread_mutex_unlock(&t->mu); return 0; }
    for(i=0; i<HT_CHUNK; i++){
      a[i].pObj = aObj + (size_t)i*t->szObj;
      a[i].iNextFree = (i+1<HT_CHUNK) ? n*HT_CHUNK + i + 2 : 0;
    }
    atomic_store_explicit(&t->apChunk[n], a, memory_order_release);
    atomic_store_explicit(&t->nChunk, n+1, memory_order_release);
    t->iFree = n*HT_CHUNK + 1;
  }
  idx = t->iFree - 1;
  s = htSlot(t, ((uint64_t)idx + 1) | t->kind);
  t->iFree = s->iNextFree;
  g = atomic_load_explicit(&s->gen, memory_order_relaxed) + 1;   /* now odd */
  atomic_store_explicit(&s->gen, g, memory_order_release);
  pthread_mutex_unlock(&t->mu);
  *ppObj = s->pObj;
  return ((uint64_t)g<<32) | t->kind | ((uint64_t)idx + 1);
}

static void htFree(HandleTable *t, uint64_t h){
  HtSlot *s = htSlot(t, h);
  pthread_mutex_lock(&t->mu);
  atomic_store_explicit(&s->gen, (uint32_t)(h>>32) + 1, memory_order_release);
  s->iNextFree = t->iFree;
  t->iFree = (uint32_t)(h & 0xffffffff) & ~HT_KIND_MASK;
  pthread_mutex_unlock(&t->mu);
}

/* ---------------------------------------------------------------------------
** Objects
*/
typedef struct AncDb AncDb;
typedef struct AncCursor AncCursor;

struct AncDb {
  _Atomic int busy;                /* 1 while a thread is inside a call */
  ancdb_db h;                      /* this database's own handle */
  sqlite3 db;                      /* stand-in connection (see test3.c) */
  Btree *pBt;
  int isReadonly;
  int busyTimeoutMs;
  int nSavepoint;                  /* open savepoints */
  int nCursor;                     /* open cursors */
  AncCursor *pCursor;              /* list of open cursors */
  char zErr[ANC_ERRMSG];           /* message of the last failure */
  /* B-tree roots this handle may touch: those named in sqlite_schema (cached
  ** per schema cookie) plus those created in the open write transaction. */
  u32 *aRoot;                      /* sorted roots from sqlite_schema */
  int nRoot;
  int rootsValid;                  /* aRoot matches rootsCookie */
  int schemaWritten;               /* sqlite_schema written in the open txn */
  u32 rootsCookie;
  struct NewRoot { u32 root; int level; int dropped; } *aNew;  /* created/dropped in this txn */
  int nNew, nNewAlloc;
  BtCursor *pGetCur;               /* scratch cursor of ancdb_table_get, kept with the slot */
  u32 nWrite;                      /* bumped by every change to any b-tree */
  int readKept;                    /* a read txn left open: ANC_KEPT_* */
};

struct AncCursor {
  ancdb_cursor h;                  /* this cursor's own handle */
  ancdb_db hDb;                    /* owning database */
  AncDb *pDb;
  AncCursor *pNext, *pPrev;        /* list of the database's cursors */
  int isWrite;
  int nKeyField;                   /* 0 for a table b-tree */
  KeyInfo *pKeyInfo;               /* index cursors only */
  UnpackedRecord *pRec;            /* index cursors only: reused for seeks */
  BtCursor *pCur;                  /* sqlite3BtreeCursorSize() bytes, reused */
  /* Seek hint: the last ancdb_cursor_seek_rowid() result, good for the next
  ** insert of that rowid while nothing moved this cursor or wrote the file,
  ** so sqlite3BtreeInsert() need not descend the tree a second time. */
  int hasHint;
  int hintRes;
  i64 hintRowid;
  u32 hintGen;                     /* AncDb.nWrite when the hint was taken */
};

static void ancNewRootsReset(AncDb *p, int fromLevel);
static int ancNewRootAdd(AncDb *p, u32 root, int dropped);

/* ---------------------------------------------------------------------------
** Errors.  SQLite reports details (page numbers of corruption) through its
** log callback; we keep the last one per thread and attach it to the
** failing handle.  Nothing that can hold a file path is copied.
*/
static __thread char tlsLog[ANC_ERRMSG];

static void ancLog(void *pArg, int iErr, const char *zMsg){
  (void)pArg;
  if( (iErr & 0xff)==SQLITE_CORRUPT && strncmp(zMsg, "database corruption page ", 25)==0 ){
    unsigned pg = 0;
    if( sscanf(zMsg+25, "%u", &pg)==1 ){
      snprintf(tlsLog, sizeof(tlsLog), "database corruption at page %u", pg);
    }
  }
}

static int ancSetErr(AncDb *p, int rc, const char *zMsg){
  if( p ){
    if( zMsg ){
      snprintf(p->zErr, sizeof(p->zErr), "%s", zMsg);
    }else if( tlsLog[0] && (rc & 0xff)==SQLITE_CORRUPT ){
      snprintf(p->zErr, sizeof(p->zErr), "%s", tlsLog);
    }else{
      snprintf(p->zErr, sizeof(p->zErr), "%s (code %d)", sqlite3ErrStr(rc), rc);
    }
  }
  tlsLog[0] = 0;
  return rc;
}

/* ---------------------------------------------------------------------------
** One-time initialisation: sqlite3_initialize() minus the SQL function
** registry (SQLITE_OMIT_AUTOINIT keeps it from running by itself).
*/
static pthread_once_t ancInitOnce = PTHREAD_ONCE_INIT;
static int ancInitRc = SQLITE_OK;

static void ancInit(void){
  int rc;
  htDb.szObj = ROUND8(sizeof(AncDb));
  htCur.szObj = ROUND8(sizeof(AncCursor));
  sqlite3GlobalConfig.xLog = ancLog;
  sqlite3GlobalConfig.pLogArg = 0;
  rc = sqlite3MutexInit();
  if( rc==SQLITE_OK ){
    sqlite3GlobalConfig.isMutexInit = 1;
    rc = sqlite3MallocInit();
  }
  if( rc==SQLITE_OK ){
    sqlite3GlobalConfig.isMallocInit = 1;
    rc = sqlite3PcacheInitialize();
  }
  if( rc==SQLITE_OK ){
    sqlite3GlobalConfig.isPCacheInit = 1;
    rc = sqlite3OsInit();
  }
  if( rc==SQLITE_OK ){
    sqlite3PCacheBufferSetup(sqlite3GlobalConfig.pPage,
        sqlite3GlobalConfig.szPage, sqlite3GlobalConfig.nPage);
    sqlite3MemoryBarrier();
    sqlite3GlobalConfig.isInit = 1;
  }
  ancInitRc = rc;
}

/* ---------------------------------------------------------------------------
** Entry and exit.  ancDbEnter() validates a database handle and takes its busy
** flag; ancCurEnter() does the same for a cursor and its database.
*/
#ifdef SQLITE_DEBUG
# define ANC_MUTEX_ENTER(p) sqlite3_mutex_enter((p)->db.mutex)
# define ANC_MUTEX_LEAVE(p) sqlite3_mutex_leave((p)->db.mutex)
#else
# define ANC_MUTEX_ENTER(p)
# define ANC_MUTEX_LEAVE(p)
#endif

static int ancDbEnter(ancdb_db h, AncDb **pp){
  AncDb *p = (AncDb*)htLookup(&htDb, h);
  int expect = 0;
  *pp = 0;
  if( p==0 ) return SQLITE_MISUSE;
  if( !atomic_compare_exchange_strong(&p->busy, &expect, 1) ){
    return SQLITE_MISUSE;              /* in use by another thread, or closing */
  }
  if( !htLive(&htDb, h) ){              /* closed while we raced for it */
    atomic_store(&p->busy, 0);
    return SQLITE_MISUSE;
  }
  tlsLog[0] = 0;
  ANC_MUTEX_ENTER(p);
  *pp = p;
  return SQLITE_OK;
}

static int ancDbLeave(AncDb *p, int rc){
  ANC_MUTEX_LEAVE(p);
  atomic_store_explicit(&p->busy, 0, memory_order_release);
  return rc;
}

static int ancCurEnter(ancdb_cursor h, AncCursor **pp){
  AncCursor *c = (AncCursor*)htLookup(&htCur, h);
  AncDb *p;
  int rc;
  *pp = 0;
  if( c==0 ) return SQLITE_MISUSE;
  rc = ancDbEnter(c->hDb, &p);
  if( rc ) return rc;
  /* Cursors are freed only by a thread holding their database, so once we
  ** hold it a still-live handle really is this database's cursor. */
  if( !htLive(&htCur, h) || c->pDb!=p ){
    return ancDbLeave(p, SQLITE_MISUSE);
  }
  *pp = c;
  return SQLITE_OK;
}

#define CUR_LEAVE(c, rc) ancDbLeave((c)->pDb, (rc))

/* ---------------------------------------------------------------------------
** Records.  Keys and rows from Java are untrusted: check that a record's
** header and body agree exactly before the B-tree or the record comparator
** (which trust their input) see it.  Returns the number of fields, or -1.
*/
static int ancRecordFieldCount(const u8 *a, int n){
  u32 szHdr, idx, d, t;
  int nField = 0;
  if( a==0 || n<1 ) return -1;
  if( a[0]<0x80 ){ szHdr = a[0]; idx = 1; }
  else{
    u64 v = 0; int i;
    for(i=0; i<9 && i<n; i++){
      v = (v<<7) | (a[i] & 0x7f);
      if( (a[i] & 0x80)==0 ) break;
    }
    if( i>=n || i>=3 || v>(u64)n ) return -1;    /* header longer than record */
    szHdr = (u32)v; idx = (u32)i+1;
  }
  if( szHdr<idx || szHdr>(u32)n ) return -1;
  d = szHdr;
  while( idx<szHdr ){
    u64 v = 0; int i;
    for(i=0; i<9 && idx+i<szHdr; i++){
      v = (v<<7) | (a[idx+i] & 0x7f);
      if( (a[idx+i] & 0x80)==0 ) break;
    }
    if( idx+i>=szHdr || i>=5 || v>0xffffffff ) return -1;
    idx += i+1;
    t = (u32)v;
    if( t==10 || t==11 ) return -1;               /* reserved serial types */
    d += sqlite3VdbeSerialTypeLen(t);
    if( d>(u32)n ) return -1;
    nField++;
  }
  return d==(u32)n ? nField : -1;
}

/* ---------------------------------------------------------------------------
** Cursor bookkeeping
*/
static void ancCursorRelease(AncCursor *c){
  AncDb *p = c->pDb;
  sqlite3BtreeCloseCursor(c->pCur);
  if( c->pRec ){ sqlite3DbFree(&p->db, c->pRec); c->pRec = 0; }
  if( c->pKeyInfo ){ sqlite3_free(c->pKeyInfo); c->pKeyInfo = 0; }
  if( c->pPrev ) c->pPrev->pNext = c->pNext; else p->pCursor = c->pNext;
  if( c->pNext ) c->pNext->pPrev = c->pPrev;
  c->pNext = c->pPrev = 0;
  p->nCursor--;
  htFree(&htCur, c->h);
}

/* Close every cursor of p (their handles become invalid). */
static void ancCloseAllCursors(AncDb *p){
  while( p->pCursor ) ancCursorRelease(p->pCursor);
}

/* ---------------------------------------------------------------------------
** Busy handler: sleep with growing delays until busyTimeoutMs is spent.
*/
static int ancBusy(void *pArg, int nBusy){
  static const u8 aDelay[] = { 1, 2, 5, 10, 15, 20, 25, 25, 25, 50, 50, 100 };
  AncDb *p = (AncDb*)pArg;
  int delay, prior, n = (int)(sizeof(aDelay)/sizeof(aDelay[0]));
  if( nBusy<n ){
    int i;
    delay = aDelay[nBusy];
    for(prior=0, i=0; i<nBusy; i++) prior += aDelay[i];
  }else{
    delay = aDelay[n-1];
    prior = 100*(nBusy-n) + 352;
  }
  if( prior+delay>p->busyTimeoutMs ){
    delay = p->busyTimeoutMs - prior;
    if( delay<=0 ) return 0;
  }
  sqlite3OsSleep(p->db.pVfs, delay*1000);
  return 1;
}

/* ---------------------------------------------------------------------------
** Library
*/
ANCDB_API int32_t ancdb_version(void){ return ANCDB_SHIM_VERSION; }
ANCDB_API int32_t ancdb_sqlite_version(void){ return SQLITE_VERSION_NUMBER; }

ANCDB_API int32_t ancdb_errstr(int32_t rc, char *zBuf, int32_t nBuf){
  if( zBuf==0 || nBuf<1 ) return SQLITE_MISUSE;
  snprintf(zBuf, (size_t)nBuf, "%s", sqlite3ErrStr(rc));
  return SQLITE_OK;
}

/* Encryption at rest: the cipher VFS, registered by the first keyed open, and
** libcrypto, loaded then (ancdb.h, "Encryption"). */
#include "wrapvfs.c"
#include "cryptolib.c"
#include "ciphervfs.c"

/* ---------------------------------------------------------------------------
** Open and close
*/

/* True if the file is not in the journal mode asked for (WAL when wantWal,
** else DELETE).  After a read transaction began: a WAL file's log is open by
** then, so its pager says WAL. */
static int ancJournalModeDiffers(AncDb *p, int wantWal){
  int eOld = sqlite3PagerGetJournalMode(sqlite3BtreePager(p->pBt));
  return eOld!=(wantWal ? PAGER_JOURNALMODE_WAL : PAGER_JOURNALMODE_DELETE);
}

/* Switch the journal mode to WAL (wantWal) or DELETE, as OP_JournalMode does.
** Needs no open transaction. */
static int ancSetJournalMode(AncDb *p, int wantWal){
  Pager *pPager = sqlite3BtreePager(p->pBt);
  int eOld = sqlite3PagerGetJournalMode(pPager);
  int eNew = wantWal ? PAGER_JOURNALMODE_WAL : PAGER_JOURNALMODE_DELETE;
  int rc = SQLITE_OK;
  if( !ancJournalModeDiffers(p, wantWal) ) return SQLITE_OK;
  if( !sqlite3PagerOkToChangeJournalMode(pPager) ) return SQLITE_ERROR;
  if( wantWal && !sqlite3PagerWalSupported(pPager) ) return SQLITE_ERROR;
  if( eOld==PAGER_JOURNALMODE_WAL ){
    rc = sqlite3PagerCloseWal(pPager, &p->db);
    if( rc==SQLITE_OK ) sqlite3PagerSetJournalMode(pPager, eNew);
  }
  if( rc==SQLITE_OK ) rc = sqlite3BtreeSetVersion(p->pBt, wantWal ? 2 : 1);
  if( rc==SQLITE_OK ) sqlite3PagerSetJournalMode(pPager, eNew);
  if( rc==SQLITE_OK ) rc = sqlite3BtreeCommit(p->pBt);   /* SetVersion left a transaction open (the VDBE commits it at OP_Halt) */
  return rc;
}

/* A file we just created gets the header fields the SQL layer would write
** with its first CREATE TABLE, so stock tools read it as UTF-8, format 4,
** and, when it is to be a WAL file, the WAL version numbers (bytes 18-19)
** in the same transaction: one rollback-journal commit for a new file, not
** one for the header and another for the journal-mode switch. */
static int ancInitNewFile(AncDb *p, int wantWal){
  u32 fmt = 0;
  int rc = sqlite3BtreeBeginTrans(p->pBt, 1, 0);
  if( rc ) return rc;
  sqlite3BtreeGetMeta(p->pBt, BTREE_FILE_FORMAT, &fmt);
  if( fmt==0 ){
    rc = sqlite3BtreeUpdateMeta(p->pBt, BTREE_FILE_FORMAT, 4);
    if( rc==SQLITE_OK ) rc = sqlite3BtreeUpdateMeta(p->pBt, BTREE_TEXT_ENCODING, SQLITE_UTF8);
  }
  /* inside the open write transaction SetVersion only writes the two bytes */
  if( rc==SQLITE_OK && wantWal ) rc = sqlite3BtreeSetVersion(p->pBt, 2);
  if( rc==SQLITE_OK ) rc = sqlite3BtreeCommit(p->pBt);
  else sqlite3BtreeRollback(p->pBt, SQLITE_OK, 0);
  return rc;
}

static void ancOpenError(char *zErr, int32_t nErr, int rc, const char *zWhy){
  if( zErr && nErr>0 ){
    /* a corruption SQLite located (page number) while opening: say where */
    const char *zDetail = (tlsLog[0] && (rc & 0xff)==SQLITE_CORRUPT) ? tlsLog : sqlite3ErrStr(rc);
    snprintf(zErr, (size_t)nErr, "%s%s%s (code %d)", zWhy ? zWhy : "",
             zWhy ? ": " : "", zDetail, rc);
  }
  tlsLog[0] = 0;
}

/* An open that failed with SQLITE_CORRUPT where SQLite named no page: the
** commonest cause, a file shorter than its header says (the header's page
** count is trusted only when its version-valid-for number matches the change
** counter, as SQLite does), spelled out with the first missing page. */
static void ancExplainShortFile(const char *zPath){
  unsigned char h[100];
  struct stat st;
  int fd = open(zPath, O_RDONLY | O_CLOEXEC);
  if( fd<0 ) return;
  if( fstat(fd, &st)==0 && pread(fd, h, sizeof(h), 0)==(ssize_t)sizeof(h) ){
    u32 szPage = ((u32)h[16]<<8) | h[17];
    u32 nPage = sqlite3Get4byte(h+28);
    if( szPage==1 ) szPage = 65536;
    if( szPage>=512 && (szPage & (szPage-1))==0 && nPage>0
     && memcmp(h+24, h+92, 4)==0 && (u64)st.st_size/szPage < nPage ){
      u64 nHave = (u64)st.st_size/szPage;
      snprintf(tlsLog, sizeof(tlsLog), "database corruption at page %llu: the header counts %u pages, "
               "the file ends after %llu", (unsigned long long)(nHave+1), nPage, (unsigned long long)nHave);
    }
  }
  close(fd);
}

ANCDB_API int32_t ancdb_open(
  const char *zPath, uint32_t flags, int32_t nCachePages, int32_t busyTimeoutMs,
  int64_t mmapBytes, char *zErr, int32_t nErr, ancdb_db *pDb
){
  return ancdb_open_key(zPath, flags, nCachePages, busyTimeoutMs, mmapBytes, 0, 0, 0, zErr, nErr, pDb);
}

ANCDB_API int32_t ancdb_open_vfs(
  const char *zPath, uint32_t flags, int32_t nCachePages, int32_t busyTimeoutMs,
  int64_t mmapBytes, const char *zVfs, char *zErr, int32_t nErr, ancdb_db *pDb
){
  return ancdb_open_key(zPath, flags, nCachePages, busyTimeoutMs, mmapBytes, zVfs, 0, 0, zErr, nErr, pDb);
}

ANCDB_API int32_t ancdb_open_key(
  const char *zPath, uint32_t flags, int32_t nCachePages, int32_t busyTimeoutMs,
  int64_t mmapBytes, const char *zVfs, const void *pKey, int32_t nKey,
  char *zErr, int32_t nErr, ancdb_db *pDb
){
  AncDb *p;
  ancdb_db h;
  int rc, vfsFlags, n, sync, wasEmpty, setMode, initFile;
  char *zName;
  CipherOpen keyOpen;               /* the key's way to the cipher VFS (ciphervfs.c) */
  char zKeyParam[2*sizeof(void*)+1];

  if( pDb==0 ) return SQLITE_MISUSE;
  *pDb = 0;
  if( zErr && nErr>0 ) zErr[0] = 0;
  if( zPath==0 || zPath[0]==0 ){
    ancOpenError(zErr, nErr, SQLITE_MISUSE, "empty file name");
    return SQLITE_MISUSE;
  }
  if( (flags & ANCDB_OPEN_READONLY) && (flags & ANCDB_OPEN_CREATE) ){
    ancOpenError(zErr, nErr, SQLITE_MISUSE, "read-only and create are exclusive");
    return SQLITE_MISUSE;
  }
  if( (flags & ~(uint32_t)0x1ff) || (flags & ANCDB_OPEN_SYNC_MASK)>ANCDB_OPEN_SYNC_EXTRA ){
    ancOpenError(zErr, nErr, SQLITE_RANGE, "unknown open flags");
    return SQLITE_RANGE;
  }
  if( mmapBytes<0 || busyTimeoutMs<0 || nKey<0 || (nKey>0 && pKey==0) ){
    ancOpenError(zErr, nErr, SQLITE_RANGE, "negative mmap size, busy timeout or key size");
    return SQLITE_RANGE;
  }
  pthread_once(&ancInitOnce, ancInit);
  if( ancInitRc ){ ancOpenError(zErr, nErr, ancInitRc, "initialisation failed"); return ancInitRc; }
  if( zVfs && sqlite3_vfs_find(zVfs)==0 ){
    ancOpenError(zErr, nErr, SQLITE_CANTOPEN, "no such VFS");
    return SQLITE_CANTOPEN;
  }
  tlsLog[0] = 0;

  h = htAlloc(&htDb, (void**)&p);
  if( h==0 ){ ancOpenError(zErr, nErr, SQLITE_NOMEM, "too many open databases"); return SQLITE_NOMEM; }
  /* A recycled slot: its busy flag is 0, everything else is reset here. */
  memset(&p->db, 0, sizeof(p->db));
  p->h = h;
  p->pBt = 0;
  p->isReadonly = (flags & ANCDB_OPEN_READONLY)!=0;
  p->busyTimeoutMs = busyTimeoutMs;
  p->nSavepoint = 0;
  p->nCursor = 0;
  p->pCursor = 0;
  p->zErr[0] = 0;
  p->aRoot = 0; p->nRoot = 0; p->rootsValid = 0; p->rootsCookie = 0;
  p->aNew = 0; p->nNew = 0; p->nNewAlloc = 0;
  p->readKept = 0;
  atomic_store(&p->busy, 1);

  p->db.pVfs = sqlite3_vfs_find(zVfs);
  memset(&keyOpen, 0, sizeof(keyOpen));
  if( nKey>0 ){
    /* Encrypted: through the cipher VFS over the one asked for; statement
    ** journals in memory (the cipher VFS opens no temporary files). */
    p->db.pVfs = cipherVfsOver(p->db.pVfs);
    if( p->db.pVfs==0 ){ rc = SQLITE_CANTOPEN; goto open_failed; }
    p->db.temp_store = 2;
    keyOpen.pKey = (const u8*)pKey;
    keyOpen.nKey = nKey;
    snprintf(zKeyParam, sizeof(zKeyParam), "%llx", (unsigned long long)(uintptr_t)&keyOpen);
  }
#ifdef SQLITE_DEBUG
  p->db.mutex = sqlite3MutexAlloc(SQLITE_MUTEX_RECURSIVE);
  sqlite3_mutex_enter(p->db.mutex);
#endif
  p->db.enc = SQLITE_UTF8;
  p->db.aDb = p->db.aDbStatic;
  p->db.nDb = 1;
  p->db.aDb[0].zDbSName = "main";
  p->db.aDb[0].safety_level = 3;
  p->db.lookaside.bDisable = 1;
  p->db.lookaside.sz = 0;
  p->db.autoCommit = 1;
  p->db.nextAutovac = -1;
  p->db.szMmap = mmapBytes;
  p->db.flags = SQLITE_CacheSpill;
  p->db.busyHandler.xBusyHandler = ancBusy;
  p->db.busyHandler.pBusyArg = p;
  p->db.aLimit[SQLITE_LIMIT_LENGTH] = SQLITE_MAX_LENGTH;

  /* The pager parses the name like a URI: trailing NULs end the parameter
  ** list (empty, or the cipher VFS's one parameter). */
  n = (int)strlen(zPath);
  zName = sqlite3_malloc(n + (int)sizeof(CIPHER_URI_PARAM) + (int)sizeof(zKeyParam) + 4);
  if( zName==0 ){ rc = SQLITE_NOMEM; goto open_failed; }
  memcpy(zName, zPath, (size_t)n);
  memset(zName+n, 0, 4);
  if( nKey>0 ){
    memcpy(zName+n+1, CIPHER_URI_PARAM, sizeof(CIPHER_URI_PARAM));
    memcpy(zName+n+1+sizeof(CIPHER_URI_PARAM), zKeyParam, strlen(zKeyParam)+1);
    memset(zName+n+1+sizeof(CIPHER_URI_PARAM)+strlen(zKeyParam)+1, 0, 2);
  }
  vfsFlags = SQLITE_OPEN_MAIN_DB | (p->isReadonly ? SQLITE_OPEN_READONLY :
             SQLITE_OPEN_READWRITE | ((flags & ANCDB_OPEN_CREATE) ? SQLITE_OPEN_CREATE : 0));
  if( nKey>0 ) vfsFlags |= SQLITE_OPEN_URI;   /* the name carries a parameter */
  rc = sqlite3BtreeOpen(p->db.pVfs, zName, &p->db, &p->pBt, 0, vfsFlags);
  sqlite3_free(zName);
  if( rc ){ p->pBt = 0; goto open_failed; }
  p->db.aDb[0].pBt = p->pBt;
  /* SQLCipher 4's page layout for a new file (an existing one keeps its own,
  ** checked below). */
  if( nKey>0 ) sqlite3BtreeSetPageSize(p->pBt, CIPHER_PAGE, CIPHER_RESERVE, 0);

  sqlite3BtreeSetCacheSize(p->pBt, nCachePages>0 ? nCachePages : ANC_DEFAULT_CACHE);
  switch( flags & ANCDB_OPEN_SYNC_MASK ){
    case ANCDB_OPEN_SYNC_OFF:    sync = PAGER_SYNCHRONOUS_OFF;    break;
    case ANCDB_OPEN_SYNC_NORMAL: sync = PAGER_SYNCHRONOUS_NORMAL; break;
    case ANCDB_OPEN_SYNC_EXTRA:  sync = PAGER_SYNCHRONOUS_EXTRA;  break;
    default:                     sync = PAGER_SYNCHRONOUS_FULL;   break;
  }
  p->db.aDb[0].safety_level = (u8)sync;
  sqlite3BtreeSetPagerFlags(p->pBt, (unsigned)sync | PAGER_CACHESPILL);
  if( flags & ANCDB_OPEN_EXCLUSIVE ){
    sqlite3PagerLockingMode(sqlite3BtreePager(p->pBt), PAGER_LOCKINGMODE_EXCLUSIVE);
  }

  /* Read page 1 now: a file that is not a database fails here, not at the
  ** first transaction, and a WAL file's log is found and opened. */
  rc = sqlite3BtreeBeginTrans(p->pBt, 0, 0);
  if( rc ) goto open_failed;
  /* Empty as seen after any hot-journal rollback (a crash while a new file
  ** got its header leaves a page 1 that the rollback removes again). */
  wasEmpty = sqlite3BtreeLastPage(p->pBt)==0;
  if( nKey>0 && (sqlite3BtreeGetPageSize(p->pBt)!=CIPHER_PAGE
                 || sqlite3BtreeGetReserveNoMutex(p->pBt)!=CIPHER_RESERVE) ){
    rc = SQLITE_NOTADB;
    snprintf(keyOpen.zWhy, sizeof(keyOpen.zWhy), "not SQLCipher 4's default page layout (4096-byte pages, 80 reserved)");
    goto open_failed;
  }
  setMode = !p->isReadonly && !(flags & ANCDB_OPEN_KEEP_JOURNAL)
         && ancJournalModeDiffers(p, (flags & ANCDB_OPEN_WAL)!=0);
  initFile = !p->isReadonly && wasEmpty;
  if( (flags & ANCDB_OPEN_KEEP_READ) && !setMode && !initFile ){
    /* The caller reads at once (ancdb.h): the next ancdb_read_begin()
    ** continues this transaction instead of locking the file again. */
    p->readKept = ANC_KEPT_BY_OPEN;
  }else{
    rc = sqlite3BtreeCommit(p->pBt);
    if( rc ) goto open_failed;
  }
  if( initFile ){
    rc = ancInitNewFile(p, setMode && (flags & ANCDB_OPEN_WAL)!=0);
    if( rc ) goto open_failed;
  }
  if( setMode ){
    rc = ancSetJournalMode(p, (flags & ANCDB_OPEN_WAL)!=0);
    if( rc ) goto open_failed;
  }
  *pDb = h;
  ancDbLeave(p, SQLITE_OK);
  return SQLITE_OK;

open_failed:
  if( (rc & 0xff)==SQLITE_CORRUPT && tlsLog[0]==0 && nKey==0 ) ancExplainShortFile(zPath);
  if( keyOpen.zWhy[0] ){
    ancOpenError(zErr, nErr, rc, keyOpen.zWhy);
  }else if( rc==SQLITE_NOTADB && nKey==0 ){
    ancOpenError(zErr, nErr, rc, "cannot open database: not a database, or an encrypted one (it needs its key)");
  }else{
    ancOpenError(zErr, nErr, rc, "cannot open database");
  }
  if( p->pBt ){ sqlite3BtreeClose(p->pBt); p->pBt = 0; }
#ifdef SQLITE_DEBUG
  sqlite3_mutex_leave(p->db.mutex);
  sqlite3_mutex_free(p->db.mutex);
#endif
  htFree(&htDb, h);
  atomic_store(&p->busy, 0);
  return rc;
}

ANCDB_API int32_t ancdb_close(ancdb_db h){
  AncDb *p;
  int rc = ancDbEnter(h, &p);
  if( rc ) return rc;
  ancCloseAllCursors(p);
  if( sqlite3BtreeTxnState(p->pBt)!=SQLITE_TXN_NONE ){
    sqlite3BtreeRollback(p->pBt, SQLITE_OK, 0);
  }
  p->readKept = 0;
  /* Without a WAL there is no checkpoint on close, so skip the check that
  ** the file was not moved (a stat() of its path) made before one. */
  if( sqlite3BtreePager(p->pBt)->pWal==0 ) p->db.flags |= SQLITE_NoCkptOnClose;
  rc = sqlite3BtreeClose(p->pBt);
  p->pBt = 0;
  sqlite3_free(p->aRoot); p->aRoot = 0; p->nRoot = 0; p->rootsValid = 0;
  sqlite3_free(p->aNew); p->aNew = 0; p->nNew = p->nNewAlloc = 0;
#ifdef SQLITE_DEBUG
  sqlite3_mutex_leave(p->db.mutex);
  sqlite3_mutex_free(p->db.mutex);
  p->db.mutex = 0;
#endif
  htFree(&htDb, h);                     /* handle dead before busy drops */
  atomic_store_explicit(&p->busy, 0, memory_order_release);
  return rc;
}

ANCDB_API int32_t ancdb_errmsg(ancdb_db h, char *zBuf, int32_t nBuf){
  AncDb *p;
  int rc;
  if( zBuf==0 || nBuf<1 ) return SQLITE_MISUSE;
  rc = ancDbEnter(h, &p);
  if( rc ){
    snprintf(zBuf, (size_t)nBuf, "invalid or closed database handle");
    return rc;
  }
  snprintf(zBuf, (size_t)nBuf, "%s", p->zErr);
  return ancDbLeave(p, SQLITE_OK);
}

ANCDB_API int32_t ancdb_is_wal(ancdb_db h, int32_t *pIsWal){
  AncDb *p;
  int rc;
  if( pIsWal==0 ) return SQLITE_MISUSE;
  rc = ancDbEnter(h, &p);
  if( rc ) return rc;
  *pIsWal = sqlite3PagerGetJournalMode(sqlite3BtreePager(p->pBt))==PAGER_JOURNALMODE_WAL;
  return ancDbLeave(p, SQLITE_OK);
}

/* ---------------------------------------------------------------------------
** Kept read transactions (ancdb_read_begin / ancdb_read_end).  In WAL mode a
** read transaction is a WAL index header copied from shared memory plus a
** SHARED lock on one read-mark slot; taking and dropping that lock costs
** fcntl() calls.  A connection may keep the transaction open between two
** read transactions of its user when nothing committed in between: every
** writer (any connection, any process) publishes a new header at commit by
** writing aHdr[1], a barrier, then aHdr[0] (walIndexWriteHdr), so a snapshot
** whose header equals aHdr[0] read after a barrier is still the newest.
*/

/* The open read transaction's WAL, if it is one that can be kept: WAL mode
** with the index in shared memory (not heap memory, not read-only). */
static Wal *ancKeepableWal(AncDb *p){
  Wal *pWal = sqlite3BtreePager(p->pBt)->pWal;
  if( pWal==0 || pWal->readLock<0 || pWal->exclusiveMode!=WAL_NORMAL_MODE
   || pWal->bShmUnreliable || (pWal->readOnly & WAL_SHM_RDONLY) || pWal->nWiData<1 || pWal->apWiData[0]==0 ){
    return 0;
  }
  return pWal;
}

/* Frames of pWal's log already copied into the database file.  Read from
** the mapped index directly: walCkptInfo() asserts it runs inside wal.c's
** SEH_TRY blocks. */
static u32 ancWalBackfilled(Wal *pWal){
  volatile WalCkptInfo *pInfo =
      (volatile WalCkptInfo*)&pWal->apWiData[0][sizeof(WalIndexHdr)/2];
  return AtomicLoad(&pInfo->nBackfill);
}

/* True if pWal's snapshot is still the newest commit and holds back no
** WAL restart.  Memory reads only: no system call, no lock. */
static int ancSnapshotCurrent(Wal *pWal){
  WalIndexHdr h;
  volatile WalIndexHdr *aHdr = (volatile WalIndexHdr*)pWal->apWiData[0];
  sqlite3MemoryBarrier();             /* see the header a commit published before we were called */
  memcpy(&h, (void*)&aHdr[0], sizeof(h));
  if( memcmp(&h, &pWal->hdr, sizeof(h))!=0 ) return 0;
  /* Once the whole log is in the database file the next writer restarts
  ** the log from its start, unless a reader holds a read mark above 0: a
  ** new transaction would take mark 0, so let this one go. */
  if( pWal->readLock>0 && ancWalBackfilled(pWal)>=pWal->hdr.mxFrame ) return 0;
  return 1;
}

/* True if keeping pWal's snapshot would hold back a due checkpoint: the
** log has reached the auto-checkpoint size and is not wholly copied back. */
static int ancSnapshotHoldsCheckpoint(Wal *pWal){
  return pWal->hdr.mxFrame>=ANC_AUTOCKPT && ancWalBackfilled(pWal)<pWal->hdr.mxFrame;
}

/* End a read transaction left open by ancdb_read_end(keep), if any. */
static int ancEndKeptRead(AncDb *p){
  int rc = SQLITE_OK;
  if( p->readKept ){
    p->readKept = 0;
    rc = sqlite3BtreeCommit(p->pBt);
  }
  return rc;
}

ANCDB_API int32_t ancdb_read_begin(ancdb_db h, uint32_t *pSchemaCookie, int32_t *pReused){
  AncDb *p;
  int rc = ancDbEnter(h, &p), cookie = 0;
  Wal *pWal;
  if( rc ) return rc;
  if( pReused ) *pReused = 0;
  /* The open's own transaction is continued as it is: it began a moment
  ** ago, in this very open (ancdb.h, ANCDB_OPEN_KEEP_READ); so is one held
  ** under a SHARED lock, which no commit can pass. */
  if( p->readKept==ANC_KEPT_BY_OPEN || p->readKept==ANC_KEPT_LOCKED
   || (p->readKept && (pWal = ancKeepableWal(p))!=0 && ancSnapshotCurrent(pWal)) ){
    u32 v = 0;
    p->readKept = 0;
    sqlite3BtreeGetMeta(p->pBt, BTREE_SCHEMA_VERSION, &v);   /* page 1 is in memory */
    if( pSchemaCookie ) *pSchemaCookie = v;
    if( pReused ) *pReused = 1;
    return ancDbLeave(p, SQLITE_OK);
  }
  if( (rc = ancEndKeptRead(p))!=0 ) return ancDbLeave(p, ancSetErr(p, rc, 0));
  if( sqlite3BtreeTxnState(p->pBt)!=SQLITE_TXN_NONE ){
    return ancDbLeave(p, ancSetErr(p, SQLITE_MISUSE, "a transaction is already open"));
  }
  p->db.busyHandler.nBusy = 0;
  rc = sqlite3BtreeBeginTrans(p->pBt, 0, &cookie);
  if( rc ) return ancDbLeave(p, ancSetErr(p, rc, 0));
  if( pSchemaCookie ) *pSchemaCookie = (uint32_t)cookie;
  p->nSavepoint = 0;
  p->db.nSavepoint = 0;
  ancNewRootsReset(p, 0);
  return ancDbLeave(p, SQLITE_OK);
}

ANCDB_API int32_t ancdb_read_end(ancdb_db h, int32_t keep, int32_t *pKept){
  AncDb *p;
  int rc = ancDbEnter(h, &p);
  Wal *pWal;
  if( rc ) return rc;
  if( pKept ) *pKept = 0;
  if( sqlite3BtreeTxnState(p->pBt)!=SQLITE_TXN_READ ){
    return ancDbLeave(p, ancSetErr(p, SQLITE_MISUSE, "no read transaction is open"));
  }
  ancCloseAllCursors(p);
  p->readKept = 0;
  if( keep && (pWal = ancKeepableWal(p))!=0 && ancSnapshotCurrent(pWal) && !ancSnapshotHoldsCheckpoint(pWal) ){
    p->readKept = ANC_KEPT_BY_END;
    if( pKept ) *pKept = 1;
    return ancDbLeave(p, SQLITE_OK);
  }
  if( keep==ANCDB_READ_HOLD && sqlite3BtreePager(p->pBt)->pWal==0 ){
    p->readKept = ANC_KEPT_LOCKED;      /* rollback journal: keeps its SHARED lock */
    if( pKept ) *pKept = 1;
    return ancDbLeave(p, SQLITE_OK);
  }
  rc = sqlite3BtreeCommit(p->pBt);
  return ancDbLeave(p, rc ? ancSetErr(p, rc, 0) : SQLITE_OK);
}

/* ---------------------------------------------------------------------------
** Transactions
*/
ANCDB_API int32_t ancdb_begin(ancdb_db h, int32_t write, uint32_t *pSchemaCookie){
  AncDb *p;
  int rc = ancDbEnter(h, &p), state, cookie = 0;
  if( rc ) return rc;
  if( (rc = ancEndKeptRead(p))!=0 ) return ancDbLeave(p, ancSetErr(p, rc, 0));
  state = sqlite3BtreeTxnState(p->pBt);
  if( state==SQLITE_TXN_WRITE || (state==SQLITE_TXN_READ && !write) ){
    return ancDbLeave(p, ancSetErr(p, SQLITE_MISUSE, "a transaction is already open"));
  }
  if( write && p->isReadonly ){
    return ancDbLeave(p, ancSetErr(p, SQLITE_READONLY, "database opened read-only"));
  }
  p->db.busyHandler.nBusy = 0;
  p->db.nSavepoint = 0;
  rc = sqlite3BtreeBeginTrans(p->pBt, write ? 1 : 0, &cookie);
  if( rc ) return ancDbLeave(p, ancSetErr(p, rc, 0));
  if( pSchemaCookie ) *pSchemaCookie = (uint32_t)cookie;
  p->nSavepoint = 0;
  ancNewRootsReset(p, 0);
  return ancDbLeave(p, SQLITE_OK);
}

/* After a commit in WAL mode, checkpoint once the log holds ANC_AUTOCKPT
** frames (sqlite3_step does this for SQL users).  Failure to checkpoint is
** not an error: the commit is durable and the next commit tries again.
**
** A passive checkpoint copies frames only up to the oldest snapshot a reader
** still holds, and the next writer restarts the log only if no reader holds
** a read mark above 0 then.  Readers that never pause (always one inside a
** read transaction begun before the last commit) can defeat both forever, so
** once the log holds ANC_WAL_RESTART frames the checkpoint is a RESTART: it
** waits, at most ANC_RESTART_WAIT_MS, for every reader to move to the newest
** snapshot and off the log, and the next write starts the log from its
** beginning.  That bounds the WAL under continuous reads and writes. */
static void ancAutoCheckpoint(AncDb *p){
  Pager *pPager = sqlite3BtreePager(p->pBt);
  int nFrame;
  if( sqlite3PagerGetJournalMode(pPager)!=PAGER_JOURNALMODE_WAL ) return;
  nFrame = sqlite3PagerWalCallback(pPager);
  if( nFrame>=ANC_WAL_RESTART ){
    int busyTimeoutMs = p->busyTimeoutMs;
    if( p->busyTimeoutMs>ANC_RESTART_WAIT_MS ) p->busyTimeoutMs = ANC_RESTART_WAIT_MS;
    p->db.busyHandler.nBusy = 0;
    sqlite3BtreeCheckpoint(p->pBt, SQLITE_CHECKPOINT_RESTART, 0, 0);
    p->busyTimeoutMs = busyTimeoutMs;
  }else if( nFrame>=ANC_AUTOCKPT ){
    sqlite3BtreeCheckpoint(p->pBt, SQLITE_CHECKPOINT_PASSIVE, 0, 0);
  }
}

ANCDB_API int32_t ancdb_commit(ancdb_db h){
  AncDb *p;
  int rc = ancDbEnter(h, &p), wasWrite;
  if( rc ) return rc;
  if( sqlite3BtreeTxnState(p->pBt)==SQLITE_TXN_NONE ){
    return ancDbLeave(p, ancSetErr(p, SQLITE_MISUSE, "no transaction is open"));
  }
  wasWrite = sqlite3BtreeTxnState(p->pBt)==SQLITE_TXN_WRITE;
  ancCloseAllCursors(p);
  p->db.busyHandler.nBusy = 0;
  rc = sqlite3BtreeCommit(p->pBt);
  if( rc ) return ancDbLeave(p, ancSetErr(p, rc, 0));   /* still open: retry or roll back */
  p->readKept = 0;
  p->nSavepoint = 0;
  ancNewRootsReset(p, 0);
  p->db.nSavepoint = 0;
  if( wasWrite ) ancAutoCheckpoint(p);
  return ancDbLeave(p, SQLITE_OK);
}

ANCDB_API int32_t ancdb_rollback(ancdb_db h){
  AncDb *p;
  int rc = ancDbEnter(h, &p);
  if( rc ) return rc;
  ancCloseAllCursors(p);
  if( sqlite3BtreeTxnState(p->pBt)!=SQLITE_TXN_NONE ){
    rc = sqlite3BtreeRollback(p->pBt, SQLITE_OK, 0);
    /* After an I/O error the pager repeats that error here although the
    ** transaction did end; its changes are never seen (a hot journal is
    ** rolled back at the next begin), so the rollback succeeded. */
    if( rc && sqlite3BtreeTxnState(p->pBt)==SQLITE_TXN_NONE ) rc = SQLITE_OK;
  }
  p->readKept = 0;
  p->nSavepoint = 0;
  ancNewRootsReset(p, 0);
  p->db.nSavepoint = 0;
  return ancDbLeave(p, rc ? ancSetErr(p, rc, 0) : SQLITE_OK);
}

ANCDB_API int32_t ancdb_txn_state(ancdb_db h, int32_t *pState){
  AncDb *p;
  int rc;
  if( pState==0 ) return SQLITE_MISUSE;
  rc = ancDbEnter(h, &p);
  if( rc ) return rc;
  switch( sqlite3BtreeTxnState(p->pBt) ){
    case SQLITE_TXN_WRITE: *pState = ANCDB_TXN_WRITE; break;
    case SQLITE_TXN_READ:  *pState = ANCDB_TXN_READ;  break;
    default:               *pState = ANCDB_TXN_NONE;  break;
  }
  return ancDbLeave(p, SQLITE_OK);
}

static int ancNeedWrite(AncDb *p){
  if( sqlite3BtreeTxnState(p->pBt)!=SQLITE_TXN_WRITE ){
    return ancSetErr(p, SQLITE_MISUSE, "no write transaction is open");
  }
  return SQLITE_OK;
}

static int ancNeedTxn(AncDb *p){
  if( sqlite3BtreeTxnState(p->pBt)==SQLITE_TXN_NONE ){
    return ancSetErr(p, SQLITE_MISUSE, "no transaction is open");
  }
  return SQLITE_OK;
}

ANCDB_API int32_t ancdb_savepoint_begin(ancdb_db h, int32_t *pLevel){
  AncDb *p;
  int rc;
  if( pLevel==0 ) return SQLITE_MISUSE;
  rc = ancDbEnter(h, &p);
  if( rc ) return rc;
  if( (rc = ancNeedWrite(p))!=0 ) return ancDbLeave(p, rc);
  if( p->nSavepoint>=10000 ) return ancDbLeave(p, ancSetErr(p, SQLITE_RANGE, "too many nested savepoints"));
  p->db.nSavepoint = p->nSavepoint;
  rc = sqlite3BtreeBeginStmt(p->pBt, p->nSavepoint+1);
  if( rc ) return ancDbLeave(p, ancSetErr(p, rc, 0));
  p->nSavepoint++;
  p->db.nSavepoint = p->nSavepoint;
  *pLevel = p->nSavepoint;
  return ancDbLeave(p, SQLITE_OK);
}

static int ancSavepointOp(ancdb_db h, int32_t level, int op){
  AncDb *p;
  int rc = ancDbEnter(h, &p);
  if( rc ) return rc;
  if( (rc = ancNeedWrite(p))!=0 ) return ancDbLeave(p, rc);
  if( level<1 || level>p->nSavepoint ){
    return ancDbLeave(p, ancSetErr(p, SQLITE_RANGE, "no such savepoint"));
  }
  if( op==SAVEPOINT_ROLLBACK ) ancCloseAllCursors(p);
  p->nWrite++;
  rc = sqlite3BtreeSavepoint(p->pBt, op, level-1);
  if( rc ) return ancDbLeave(p, ancSetErr(p, rc, 0));
  if( op==SAVEPOINT_ROLLBACK ) ancNewRootsReset(p, level);
  p->nSavepoint = (op==SAVEPOINT_RELEASE) ? level-1 : level;
  p->db.nSavepoint = p->nSavepoint;
  return ancDbLeave(p, SQLITE_OK);
}

ANCDB_API int32_t ancdb_savepoint_release(ancdb_db h, int32_t level){
  return ancSavepointOp(h, level, SAVEPOINT_RELEASE);
}
ANCDB_API int32_t ancdb_savepoint_rollback(ancdb_db h, int32_t level){
  return ancSavepointOp(h, level, SAVEPOINT_ROLLBACK);
}

ANCDB_API int32_t ancdb_checkpoint(ancdb_db h, int32_t mode, int32_t *pnLog, int32_t *pnCkpt){
  AncDb *p;
  int rc, nLog = 0, nCkpt = 0;
  if( mode<ANCDB_CHECKPOINT_PASSIVE || mode>ANCDB_CHECKPOINT_TRUNCATE ) return SQLITE_RANGE;
  rc = ancDbEnter(h, &p);
  if( rc ) return rc;
  if( (rc = ancEndKeptRead(p))!=0 ) return ancDbLeave(p, ancSetErr(p, rc, 0));
  if( sqlite3BtreeTxnState(p->pBt)!=SQLITE_TXN_NONE ){
    return ancDbLeave(p, ancSetErr(p, SQLITE_MISUSE, "cannot checkpoint inside a transaction"));
  }
  if( sqlite3PagerGetJournalMode(sqlite3BtreePager(p->pBt))!=PAGER_JOURNALMODE_WAL ){
    if( pnLog ) *pnLog = 0;
    if( pnCkpt ) *pnCkpt = 0;
    return ancDbLeave(p, SQLITE_OK);
  }
  /* Make sure the WAL is open (replaces the patched-out PRAGMA table_list). */
  rc = sqlite3BtreeBeginTrans(p->pBt, 0, 0);
  if( rc==SQLITE_OK ) rc = sqlite3BtreeCommit(p->pBt);
  p->db.busyHandler.nBusy = 0;
  if( rc==SQLITE_OK ) rc = sqlite3BtreeCheckpoint(p->pBt, mode, &nLog, &nCkpt);
  if( pnLog ) *pnLog = nLog;
  if( pnCkpt ) *pnCkpt = nCkpt;
  return ancDbLeave(p, rc ? ancSetErr(p, rc, 0) : SQLITE_OK);
}

/* ---------------------------------------------------------------------------
** B-trees and meta values
*/
static int ancRootInRange(AncDb *p, uint32_t root){
  return root>=1 && root<=sqlite3BtreeLastPage(p->pBt);
}

/* Big-endian signed integer of serial type t (1..6, 8, 9) at a. */
static i64 ancSerialInt(const u8 *a, u32 t){
  static const u8 aLen[] = { 0, 1, 2, 3, 4, 6, 8 };
  i64 v;
  u32 i;
  if( t==8 ) return 0;
  if( t==9 ) return 1;
  v = (i8)a[0];
  for(i=1; i<aLen[t]; i++) v = (v<<8) | a[i];
  return v;
}

/* True if the varint at a[i] ends before a[end] (a corrupt row may hold
** a header whose last varint runs past the payload). */
static int ancVarintFits(const u8 *a, u32 i, u32 end){
  u32 k;
  for(k=i; k<end && k<i+9; k++){
    if( (a[k] & 0x80)==0 || k==i+8 ) return 1;
  }
  return 0;
}

/* Root page (4th field) of sqlite_schema record a[0..n-1], or 0. */
static u32 ancSchemaRowRoot(const u8 *a, u32 n){
  u32 szHdr, idx, off, t, i;
  if( n<2 || !ancVarintFits(a, 0, n) ) return 0;
  idx = getVarint32(a, szHdr);
  if( szHdr>n ) return 0;
  off = szHdr;
  for(i=0; i<4 && idx<szHdr; i++){
    if( !ancVarintFits(a, idx, szHdr) ) return 0;
    idx += getVarint32(&a[idx], t);
    if( i==3 ){
      if( (t>=1 && t<=6) || t==8 || t==9 ){
        i64 v;
        if( off + sqlite3VdbeSerialTypeLen(t) > n ) return 0;
        v = ancSerialInt(&a[off], t);
        return (v>0 && v<=0xffffffff) ? (u32)v : 0;
      }
      return 0;
    }
    off += sqlite3VdbeSerialTypeLen(t);
    if( off>n ) return 0;
  }
  return 0;
}

static int ancCmpU32(const void *a, const void *b){
  u32 x = *(const u32*)a, y = *(const u32*)b;
  return x<y ? -1 : x>y;
}

/* Rebuild p->aRoot from sqlite_schema.  Needs a transaction. */
static int ancLoadRoots(AncDb *p){
  BtCursor *pCur;
  int rc, res = 0, n = 0, nAlloc = 16;
  u32 *a;
  u8 *buf = 0;
  u32 nBuf = 0;
  pCur = sqlite3_malloc(sqlite3BtreeCursorSize());
  a = sqlite3_malloc64(sizeof(u32)*(u64)nAlloc);
  if( pCur==0 || a==0 ){ sqlite3_free(pCur); sqlite3_free(a); return SQLITE_NOMEM; }
  sqlite3BtreeCursorZero(pCur);
  rc = sqlite3BtreeCursor(p->pBt, 1, 0, 0, pCur);
  if( rc==SQLITE_OK ) rc = sqlite3BtreeFirst(pCur, &res);
  while( rc==SQLITE_OK && !res && pCur->eState==CURSOR_VALID ){
    u32 sz = sqlite3BtreePayloadSize(pCur);
    if( (i64)sz > sqlite3BtreeMaxRecordSize(pCur) ){ rc = SQLITE_CORRUPT_BKPT; break; }
    if( sz>nBuf ){
      u8 *nb = sqlite3_realloc64(buf, sz);
      if( nb==0 ){ rc = SQLITE_NOMEM; break; }
      buf = nb; nBuf = sz;
    }
    rc = sqlite3BtreePayload(pCur, 0, sz, buf);
    if( rc ) break;
    {
      u32 r = ancSchemaRowRoot(buf, sz);
      if( r ){
        if( n==nAlloc ){
          u32 *na = sqlite3_realloc64(a, sizeof(u32)*(u64)(nAlloc*2));
          if( na==0 ){ rc = SQLITE_NOMEM; break; }
          a = na; nAlloc *= 2;
        }
        a[n++] = r;
      }
    }
    rc = sqlite3BtreeNext(pCur, 0);
  }
  if( rc==SQLITE_DONE ) rc = SQLITE_OK;
  sqlite3BtreeCloseCursor(pCur);
  sqlite3_free(pCur);
  sqlite3_free(buf);
  if( rc ){ sqlite3_free(a); return rc; }
  qsort(a, (size_t)n, sizeof(u32), ancCmpU32);
  sqlite3_free(p->aRoot);
  p->aRoot = a;
  p->nRoot = n;
  return SQLITE_OK;
}

/* SQLITE_OK if root is page 1, a root named in sqlite_schema, or a b-tree
** created in the open write transaction.  Writing through a cursor on (or
** dropping) any other page would corrupt the file, so nothing else is let
** through: SQLITE_RANGE with message zNotRoot.  A root that sqlite_schema
** names beyond the end of the file, or an error reading sqlite_schema, is
** returned as such (corruption, I/O).  The handle's message is set. */
static int ancCheckRoot(AncDb *p, uint32_t root, const char *zNotRoot){
  u32 cookie = 0;
  int i, rc;
  if( root==1 ) return SQLITE_OK;
  for(i=p->nNew-1; i>=0; i--){
    if( p->aNew[i].root==root ){
      return p->aNew[i].dropped ? ancSetErr(p, SQLITE_RANGE, zNotRoot) : SQLITE_OK;
    }
  }
  sqlite3BtreeGetMeta(p->pBt, BTREE_SCHEMA_VERSION, &cookie);
  if( !p->rootsValid || p->rootsCookie!=cookie ){
    rc = ancLoadRoots(p);
    if( rc ) return ancSetErr(p, rc, 0);     /* a damaged sqlite_schema says so, not "out of range" */
    p->rootsValid = 1;
    p->rootsCookie = cookie;
  }
  if( bsearch(&root, p->aRoot, (size_t)p->nRoot, sizeof(u32), ancCmpU32)==0 ){
    return ancSetErr(p, SQLITE_RANGE, zNotRoot);
  }
  if( !ancRootInRange(p, root) ){
    char z[160];
    snprintf(z, sizeof(z), "database corruption in sqlite_schema (b-tree rooted at page 1): "
             "it names root page %u, beyond the end of the file", root);
    return ancSetErr(p, SQLITE_CORRUPT, z);
  }
  return SQLITE_OK;
}

static void ancNewRootsReset(AncDb *p, int fromLevel){
  int i, j;
  for(i=j=0; i<p->nNew; i++){
    if( p->aNew[i].level<fromLevel ) p->aNew[j++] = p->aNew[i];
  }
  p->nNew = j;
  /* Roots read after a write to sqlite_schema may name b-trees a rollback
  ** takes away under an unchanged cookie; otherwise the cookie check in
  ** ancCheckRoot() keeps the cache honest, and it survives the txn. */
  if( p->schemaWritten ){
    p->rootsValid = 0;
    if( fromLevel==0 ) p->schemaWritten = 0;
  }
}

static int ancNewRootAdd(AncDb *p, u32 root, int dropped){
  if( p->nNew==p->nNewAlloc ){
    int n = p->nNewAlloc ? p->nNewAlloc*2 : 16;
    struct NewRoot *a = sqlite3_realloc64(p->aNew, sizeof(*a)*(u64)n);
    if( a==0 ) return SQLITE_NOMEM;
    p->aNew = a;
    p->nNewAlloc = n;
  }
  p->aNew[p->nNew].root = root;
  p->aNew[p->nNew].level = p->nSavepoint;
  p->aNew[p->nNew].dropped = dropped;
  p->nNew++;
  return SQLITE_OK;
}

ANCDB_API int32_t ancdb_btree_create(ancdb_db h, int32_t kind, uint32_t *pRoot){
  AncDb *p;
  Pgno pgno = 0;
  int rc;
  if( pRoot==0 ) return SQLITE_MISUSE;
  *pRoot = 0;
  if( kind!=ANCDB_BTREE_TABLE && kind!=ANCDB_BTREE_INDEX ) return SQLITE_RANGE;
  rc = ancDbEnter(h, &p);
  if( rc ) return rc;
  if( (rc = ancNeedWrite(p))!=0 ) return ancDbLeave(p, rc);
  rc = sqlite3BtreeCreateTable(p->pBt, &pgno,
         kind==ANCDB_BTREE_TABLE ? BTREE_INTKEY : BTREE_BLOBKEY);
  if( rc ) return ancDbLeave(p, ancSetErr(p, rc, 0));
  rc = ancNewRootAdd(p, pgno, 0);
  if( rc ) return ancDbLeave(p, ancSetErr(p, rc, 0));
  *pRoot = pgno;
  return ancDbLeave(p, SQLITE_OK);
}

static int ancDropOrClear(ancdb_db h, uint32_t root, int isDrop){
  AncDb *p;
  int rc = ancDbEnter(h, &p), iMoved = 0;
  if( rc ) return rc;
  if( (rc = ancNeedWrite(p))!=0 ) return ancDbLeave(p, rc);
  if( root<=1 ){
    return ancDbLeave(p, ancSetErr(p, SQLITE_RANGE, "not a droppable b-tree root page"));
  }
  if( (rc = ancCheckRoot(p, root, "not a droppable b-tree root page"))!=0 ) return ancDbLeave(p, rc);
  if( p->nCursor>0 ){
    return ancDbLeave(p, ancSetErr(p, SQLITE_LOCKED, "close all cursors before dropping or clearing a b-tree"));
  }
  p->nWrite++;
  rc = isDrop ? sqlite3BtreeDropTable(p->pBt, (int)root, &iMoved)
              : sqlite3BtreeClearTable(p->pBt, (int)root, 0);
  if( rc==SQLITE_OK && isDrop ){
    /* Its schema row may outlive it until the caller deletes the row: remember
    ** the drop so the page is never taken for a root again. */
    rc = ancNewRootAdd(p, root, 1);
    if( rc ) ancSetErr(p, rc, 0);
  }
  return ancDbLeave(p, rc ? ancSetErr(p, rc, 0) : SQLITE_OK);
}

ANCDB_API int32_t ancdb_btree_drop(ancdb_db h, uint32_t root){ return ancDropOrClear(h, root, 1); }
ANCDB_API int32_t ancdb_btree_clear(ancdb_db h, uint32_t root){ return ancDropOrClear(h, root, 0); }

ANCDB_API int32_t ancdb_meta_get(ancdb_db h, int32_t idx, uint32_t *pValue){
  AncDb *p;
  u32 v = 0;
  int rc;
  if( pValue==0 ) return SQLITE_MISUSE;
  if( idx<1 || idx>15 ) return SQLITE_RANGE;
  rc = ancDbEnter(h, &p);
  if( rc ) return rc;
  if( (rc = ancNeedTxn(p))!=0 ) return ancDbLeave(p, rc);
  sqlite3BtreeGetMeta(p->pBt, idx, &v);
  *pValue = v;
  return ancDbLeave(p, SQLITE_OK);
}

ANCDB_API int32_t ancdb_meta_set(ancdb_db h, int32_t idx, uint32_t value){
  AncDb *p;
  int rc;
  /* Only values a database user may own; the rest steer SQLite's layout. */
  switch( idx ){
    case ANCDB_META_SCHEMA_VERSION: case ANCDB_META_DEFAULT_CACHE:
    case ANCDB_META_USER_VERSION:   case ANCDB_META_APPLICATION_ID:
      break;
    case ANCDB_META_FILE_FORMAT:
      if( value<1 || value>4 ) return SQLITE_RANGE;
      break;
    case ANCDB_META_TEXT_ENCODING:
      if( value!=SQLITE_UTF8 ) return SQLITE_RANGE;   /* we only write UTF-8 */
      break;
    default:
      return SQLITE_RANGE;
  }
  rc = ancDbEnter(h, &p);
  if( rc ) return rc;
  if( (rc = ancNeedWrite(p))!=0 ) return ancDbLeave(p, rc);
  rc = sqlite3BtreeUpdateMeta(p->pBt, idx, value);
  return ancDbLeave(p, rc ? ancSetErr(p, rc, 0) : SQLITE_OK);
}

ANCDB_API int32_t ancdb_integrity_check(
  ancdb_db h, const uint32_t *aRoot, int32_t nRoot, int32_t mxErr,
  char *zOut, int32_t nOut, int32_t *pnErr
){
  AncDb *p;
  Pgno *aPg = 0;
  Mem *aCnt = 0;
  char *zReport = 0;
  int rc, i, n = 0, nErr = 0, has1 = 0;
  if( pnErr==0 || zOut==0 || nOut<1 || nRoot<0 || (nRoot>0 && aRoot==0) ) return SQLITE_MISUSE;
  if( nRoot>1000000 || mxErr<1 ) return SQLITE_RANGE;
  zOut[0] = 0;
  *pnErr = 0;
  rc = ancDbEnter(h, &p);
  if( rc ) return rc;
  if( (rc = ancNeedTxn(p))!=0 ) return ancDbLeave(p, rc);
  if( p->nCursor>0 && sqlite3BtreeTxnState(p->pBt)==SQLITE_TXN_WRITE ){
    return ancDbLeave(p, ancSetErr(p, SQLITE_LOCKED, "close write cursors before an integrity check"));
  }
  aPg = sqlite3_malloc64(sizeof(Pgno)*(u64)(nRoot+1));
  aCnt = sqlite3_malloc64(sizeof(Mem)*(u64)(nRoot+1));
  if( aPg==0 || aCnt==0 ){ rc = SQLITE_NOMEM; goto ic_done; }
  memset(aCnt, 0, sizeof(Mem)*(size_t)(nRoot+1));
  for(i=0; i<nRoot; i++){
    if( aRoot[i]==1 ) has1 = 1;
    if( (rc = ancCheckRoot(p, aRoot[i], "root page out of range"))!=0 ) goto ic_done;
    aPg[n++] = aRoot[i];
  }
  if( !has1 ) aPg[n++] = 1;
  rc = sqlite3BtreeIntegrityCheck(&p->db, p->pBt, aPg, aCnt, n, mxErr, &nErr, &zReport);
  if( rc==SQLITE_OK ){
    *pnErr = nErr;
    if( zReport ) snprintf(zOut, (size_t)nOut, "%s", zReport);
  }else{
    ancSetErr(p, rc, 0);
  }
ic_done:
  sqlite3_free(zReport);
  sqlite3_free(aCnt);
  sqlite3_free(aPg);
  return ancDbLeave(p, rc);
}

/* ---------------------------------------------------------------------------
** Cursors
*/
ANCDB_API int32_t ancdb_cursor_open(
  ancdb_db h, uint32_t root, int32_t flags, int32_t nKeyFields, ancdb_cursor *pCur
){
  AncDb *p;
  AncCursor *c;
  ancdb_cursor hc;
  int rc, isWrite = (flags & ANCDB_CURSOR_WRITE)!=0;
  if( pCur==0 ) return SQLITE_MISUSE;
  *pCur = 0;
  if( nKeyFields<0 || nKeyFields>ANC_MAX_KEYFIELDS || (flags & ~ANCDB_CURSOR_WRITE) ) return SQLITE_RANGE;
  rc = ancDbEnter(h, &p);
  if( rc ) return rc;
  if( (rc = (isWrite ? ancNeedWrite(p) : ancNeedTxn(p)))!=0 ) return ancDbLeave(p, rc);
  if( (rc = ancCheckRoot(p, root, "root page out of range"))!=0 ) return ancDbLeave(p, rc);
  if( isWrite && root==1 ) p->schemaWritten = 1;

  hc = htAlloc(&htCur, (void**)&c);
  if( hc==0 ) return ancDbLeave(p, ancSetErr(p, SQLITE_NOMEM, "too many open cursors"));
  if( c->pCur==0 ){
    c->pCur = calloc(1, (size_t)sqlite3BtreeCursorSize());   /* kept with the slot */
    if( c->pCur==0 ){ htFree(&htCur, hc); return ancDbLeave(p, ancSetErr(p, SQLITE_NOMEM, 0)); }
  }
  c->h = hc;
  c->hDb = h;
  c->pDb = p;
  c->isWrite = isWrite;
  c->nKeyField = nKeyFields;
  c->pKeyInfo = 0;
  c->pRec = 0;
  if( nKeyFields>0 ){
    /* BINARY collation (aColl[i]==0), ascending (aSortFlags[i]==0). */
    size_t sz = SZ_KEYINFO(nKeyFields) + (size_t)nKeyFields;
    c->pKeyInfo = sqlite3_malloc64(sz);
    if( c->pKeyInfo ){
      memset(c->pKeyInfo, 0, sz);
      c->pKeyInfo->nRef = 1;
      c->pKeyInfo->enc = SQLITE_UTF8;
      c->pKeyInfo->nKeyField = (u16)nKeyFields;
      c->pKeyInfo->nAllField = (u16)nKeyFields;
      c->pKeyInfo->db = &p->db;
      c->pKeyInfo->aSortFlags = (u8*)&c->pKeyInfo->aColl[nKeyFields];
      c->pRec = sqlite3VdbeAllocUnpackedRecord(c->pKeyInfo);
    }
    if( c->pKeyInfo==0 || c->pRec==0 ){
      sqlite3_free(c->pKeyInfo); c->pKeyInfo = 0;
      htFree(&htCur, hc);
      return ancDbLeave(p, ancSetErr(p, SQLITE_NOMEM, 0));
    }
  }
  sqlite3BtreeCursorZero(c->pCur);
#ifndef SQLITE_OMIT_SHARED_CACHE
  rc = sqlite3BtreeLockTable(p->pBt, (int)root, (u8)isWrite);
#endif
  rc = sqlite3BtreeCursor(p->pBt, root, isWrite ? BTREE_WRCSR : 0, c->pKeyInfo, c->pCur);
  /* A table cursor on an index b-tree (or the reverse) is caught by the
  ** B-tree layer at the first move, as SQLITE_CORRUPT. */
  if( rc ) ancSetErr(p, rc, 0);
  if( rc ){
    if( c->pRec ){ sqlite3DbFree(&p->db, c->pRec); c->pRec = 0; }
    sqlite3_free(c->pKeyInfo); c->pKeyInfo = 0;
    htFree(&htCur, hc);
    return ancDbLeave(p, rc);
  }
  c->pPrev = 0;
  c->pNext = p->pCursor;
  if( p->pCursor ) p->pCursor->pPrev = c;
  p->pCursor = c;
  p->nCursor++;
  *pCur = hc;
  return ancDbLeave(p, SQLITE_OK);
}

ANCDB_API int32_t ancdb_cursor_close(ancdb_cursor h){
  AncCursor *c;
  AncDb *p;
  int rc = ancCurEnter(h, &c);
  if( rc ) return rc;
  p = c->pDb;
  ancCursorRelease(c);
  return ancDbLeave(p, SQLITE_OK);
}

/* Map a movement result: SQLITE_DONE/empty become ANCDB_DONE. */
static int ancMoveResult(AncCursor *c, int rc, int isEmpty){
  if( rc==SQLITE_OK ) return isEmpty ? SQLITE_DONE : SQLITE_OK;
  if( rc==SQLITE_DONE ) return SQLITE_DONE;
  return ancSetErr(c->pDb, rc, 0);
}

ANCDB_API int32_t ancdb_cursor_first(ancdb_cursor h){
  AncCursor *c;
  int rc = ancCurEnter(h, &c), empty = 1;
  if( rc ) return rc;
  c->hasHint = 0;
  rc = sqlite3BtreeFirst(c->pCur, &empty);
  return CUR_LEAVE(c, ancMoveResult(c, rc, empty));
}

ANCDB_API int32_t ancdb_cursor_last(ancdb_cursor h){
  AncCursor *c;
  int rc = ancCurEnter(h, &c), empty = 1;
  if( rc ) return rc;
  c->hasHint = 0;
  rc = sqlite3BtreeLast(c->pCur, &empty);
  return CUR_LEAVE(c, ancMoveResult(c, rc, empty));
}

/* Next/Previous assert a cursor that was positioned once; an unpositioned
** (invalid) cursor simply has no next entry. */
static int ancCursorStep(ancdb_cursor h, int forward){
  AncCursor *c;
  int rc = ancCurEnter(h, &c);
  if( rc ) return rc;
  c->hasHint = 0;
  if( c->pCur->eState==CURSOR_INVALID ) return CUR_LEAVE(c, SQLITE_DONE);
  rc = forward ? sqlite3BtreeNext(c->pCur, 0) : sqlite3BtreePrevious(c->pCur, 0);
  return CUR_LEAVE(c, ancMoveResult(c, rc, 0));
}
ANCDB_API int32_t ancdb_cursor_next(ancdb_cursor h){ return ancCursorStep(h, 1); }
ANCDB_API int32_t ancdb_cursor_prev(ancdb_cursor h){ return ancCursorStep(h, 0); }

/* True if pCur sits on the last entry of its b-tree: the last cell of a leaf
** reached through every ancestor's right-child pointer. */
static int ancAtLastEntry(BtCursor *pCur){
  int i;
  if( pCur->eState!=CURSOR_VALID || !pCur->pPage->leaf || pCur->ix+1!=pCur->pPage->nCell ) return 0;
  for(i=0; i<pCur->iPage; i++){
    if( pCur->aiIdx[i]!=pCur->apPage[i]->nCell ) return 0;
  }
  return 1;
}

ANCDB_API int32_t ancdb_cursor_seek_rowid(ancdb_cursor h, int64_t rowid, int32_t *pRes){
  AncCursor *c;
  int rc, res = 0;
  if( pRes==0 ) return SQLITE_MISUSE;
  rc = ancCurEnter(h, &c);
  if( rc ) return rc;
  if( c->nKeyField ) return CUR_LEAVE(c, ancSetErr(c->pDb, SQLITE_MISMATCH, "rowid seek on an index cursor"));
  c->hasHint = 0;
  if( ancAtLastEntry(c->pCur) && sqlite3BtreeIntegerKey(c->pCur)<rowid ){
    res = -1;                  /* an append (rising keys): no descent from the root */
  }else{
    rc = sqlite3BtreeTableMoveto(c->pCur, rowid, 0, &res);
    if( rc ) return CUR_LEAVE(c, ancSetErr(c->pDb, rc, 0));
  }
  if( res!=0 && c->pCur->eState==CURSOR_VALID ){
    c->hasHint = 1; c->hintRes = res; c->hintRowid = rowid; c->hintGen = c->pDb->nWrite;
  }
  *pRes = res;
  return CUR_LEAVE(c, c->pCur->eState==CURSOR_VALID ? SQLITE_OK : SQLITE_DONE);
}

/* Unpack key record pKey into the cursor's UnpackedRecord.  Returns the
** number of fields, or -1 (with an error set) when it is not acceptable. */
static int ancUnpackKey(AncCursor *c, const void *pKey, int32_t nKey, int exact){
  int nField = ancRecordFieldCount((const u8*)pKey, nKey);
  if( nField<1 || nField>c->nKeyField || (exact && nField!=c->nKeyField) ){
    ancSetErr(c->pDb, SQLITE_MISMATCH, nField<0 ? "malformed key record"
        : "key record has the wrong number of fields for this index");
    return -1;
  }
  c->pRec->nField = (u16)(c->nKeyField + 1);
  sqlite3VdbeRecordUnpack(nKey, pKey, c->pRec);
  c->pRec->errCode = 0;
  return nField;
}

ANCDB_API int32_t ancdb_cursor_seek_key(ancdb_cursor h, const void *pKey, int32_t nKey, int32_t bias, int32_t *pRes){
  AncCursor *c;
  int rc, res = 0;
  if( pRes==0 || pKey==0 || nKey<1 ) return SQLITE_MISUSE;
  rc = ancCurEnter(h, &c);
  if( rc ) return rc;
  if( c->nKeyField==0 ) return CUR_LEAVE(c, ancSetErr(c->pDb, SQLITE_MISMATCH, "key seek on a table cursor"));
  if( ancUnpackKey(c, pKey, nKey, 0)<0 ) return CUR_LEAVE(c, SQLITE_MISMATCH);
  c->hasHint = 0;
  c->pRec->default_rc = (i8)(bias<0 ? -1 : bias>0 ? 1 : 0);
  rc = sqlite3BtreeIndexMoveto(c->pCur, c->pRec, &res);
  if( rc==SQLITE_OK && c->pRec->errCode ) rc = c->pRec->errCode;
  if( rc ) return CUR_LEAVE(c, ancSetErr(c->pDb, rc, 0));
  *pRes = res;
  return CUR_LEAVE(c, c->pCur->eState==CURSOR_VALID ? SQLITE_OK : SQLITE_DONE);
}

ANCDB_API int32_t ancdb_cursor_eof(ancdb_cursor h, int32_t *pEof){
  AncCursor *c;
  int rc;
  if( pEof==0 ) return SQLITE_MISUSE;
  rc = ancCurEnter(h, &c);
  if( rc ) return rc;
  *pEof = c->pCur->eState!=CURSOR_VALID && c->pCur->eState!=CURSOR_REQUIRESEEK
       && c->pCur->eState!=CURSOR_SKIPNEXT;
  return CUR_LEAVE(c, SQLITE_OK);
}

static int ancNeedValid(AncCursor *c){
  if( c->pCur->eState!=CURSOR_VALID ){
    return ancSetErr(c->pDb, SQLITE_MISUSE, "cursor is not positioned on a current entry");
  }
  return SQLITE_OK;
}

ANCDB_API int32_t ancdb_cursor_rowid(ancdb_cursor h, int64_t *pRowid){
  AncCursor *c;
  int rc;
  if( pRowid==0 ) return SQLITE_MISUSE;
  rc = ancCurEnter(h, &c);
  if( rc ) return rc;
  if( c->nKeyField ) return CUR_LEAVE(c, ancSetErr(c->pDb, SQLITE_MISMATCH, "index cursors have no rowid"));
  if( (rc = ancNeedValid(c))!=0 ) return CUR_LEAVE(c, rc);
  *pRowid = sqlite3BtreeIntegerKey(c->pCur);
  return CUR_LEAVE(c, SQLITE_OK);
}

/* The size of the record under pCur, checked against the file size: a
** damaged cell can claim gigabytes, and callers size buffers from it. */
static int ancPayloadSize(AncDb *p, BtCursor *pCur, u32 *pSize){
  u32 sz = sqlite3BtreePayloadSize(pCur);
  if( (i64)sz > sqlite3BtreeMaxRecordSize(pCur) ){
    char z[160];
    snprintf(z, sizeof(z), "database corruption: a record of %u bytes, more than the whole file "
             "(b-tree rooted at page %u)", sz, (unsigned)pCur->pgnoRoot);
    return ancSetErr(p, SQLITE_CORRUPT, z);
  }
  *pSize = sz;
  return SQLITE_OK;
}

ANCDB_API int32_t ancdb_cursor_payload_size(ancdb_cursor h, uint32_t *pSize){
  AncCursor *c;
  int rc;
  if( pSize==0 ) return SQLITE_MISUSE;
  rc = ancCurEnter(h, &c);
  if( rc ) return rc;
  if( (rc = ancNeedValid(c))!=0 ) return CUR_LEAVE(c, rc);
  return CUR_LEAVE(c, ancPayloadSize(c->pDb, c->pCur, pSize));
}

ANCDB_API int32_t ancdb_cursor_payload(ancdb_cursor h, uint32_t offset, uint32_t amt, void *pBuf){
  AncCursor *c;
  int rc;
  if( pBuf==0 && amt>0 ) return SQLITE_MISUSE;
  rc = ancCurEnter(h, &c);
  if( rc ) return rc;
  if( (rc = ancNeedValid(c))!=0 ) return CUR_LEAVE(c, rc);
  if( (u64)offset + amt > (u64)sqlite3BtreePayloadSize(c->pCur) ){
    return CUR_LEAVE(c, ancSetErr(c->pDb, SQLITE_RANGE, "read past the end of the payload"));
  }
  if( amt==0 ) return CUR_LEAVE(c, SQLITE_OK);
  rc = sqlite3BtreePayload(c->pCur, offset, amt, pBuf);
  return CUR_LEAVE(c, rc ? ancSetErr(c->pDb, rc, 0) : SQLITE_OK);
}

static int ancNeedWriteCursor(AncCursor *c){
  if( !c->isWrite ) return ancSetErr(c->pDb, SQLITE_READONLY, "cursor was not opened for writing");
  return ancNeedWrite(c->pDb);
}

ANCDB_API int32_t ancdb_cursor_insert_row(ancdb_cursor h, int64_t rowid, const void *pData, int32_t nData){
  AncCursor *c;
  BtreePayload x;
  int rc, loc = 0;
  if( pData==0 || nData<1 ) return SQLITE_MISUSE;
  rc = ancCurEnter(h, &c);
  if( rc ) return rc;
  if( (rc = ancNeedWriteCursor(c))!=0 ) return CUR_LEAVE(c, rc);
  if( c->nKeyField ) return CUR_LEAVE(c, ancSetErr(c->pDb, SQLITE_MISMATCH, "row insert on an index cursor"));
  if( ancRecordFieldCount((const u8*)pData, nData)<0 ){
    return CUR_LEAVE(c, ancSetErr(c->pDb, SQLITE_MISMATCH, "malformed row record"));
  }
  memset(&x, 0, sizeof(x));
  x.nKey = rowid;
  x.pData = pData;
  x.nData = nData;
  if( c->hasHint && c->hintRowid==rowid && c->hintGen==c->pDb->nWrite
   && c->pCur->eState==CURSOR_VALID ){
    loc = c->hintRes;
  }
  c->hasHint = 0;
  c->pDb->nWrite++;
  rc = sqlite3BtreeInsert(c->pCur, &x, 0, loc);
  return CUR_LEAVE(c, rc ? ancSetErr(c->pDb, rc, 0) : SQLITE_OK);
}

ANCDB_API int32_t ancdb_cursor_insert_key(ancdb_cursor h, const void *pKey, int32_t nKey){
  AncCursor *c;
  BtreePayload x;
  int rc;
  if( pKey==0 || nKey<1 ) return SQLITE_MISUSE;
  rc = ancCurEnter(h, &c);
  if( rc ) return rc;
  if( (rc = ancNeedWriteCursor(c))!=0 ) return CUR_LEAVE(c, rc);
  if( c->nKeyField==0 ) return CUR_LEAVE(c, ancSetErr(c->pDb, SQLITE_MISMATCH, "key insert on a table cursor"));
  if( ancUnpackKey(c, pKey, nKey, 1)<0 ) return CUR_LEAVE(c, SQLITE_MISMATCH);
  memset(&x, 0, sizeof(x));
  x.pKey = pKey;
  x.nKey = nKey;
  x.aMem = c->pRec->aMem;        /* saves the B-tree an allocation + unpack */
  x.nMem = c->pRec->nField;
  c->hasHint = 0;
  c->pDb->nWrite++;
  rc = sqlite3BtreeInsert(c->pCur, &x, 0, 0);
  return CUR_LEAVE(c, rc ? ancSetErr(c->pDb, rc, 0) : SQLITE_OK);
}

ANCDB_API int32_t ancdb_cursor_delete(ancdb_cursor h){
  AncCursor *c;
  int rc = ancCurEnter(h, &c);
  if( rc ) return rc;
  if( (rc = ancNeedWriteCursor(c))!=0 ) return CUR_LEAVE(c, rc);
  if( c->pCur->eState!=CURSOR_VALID && c->pCur->eState!=CURSOR_REQUIRESEEK ){
    return CUR_LEAVE(c, ancSetErr(c->pDb, SQLITE_MISUSE, "cursor is not positioned on an entry"));
  }
  c->hasHint = 0;
  c->pDb->nWrite++;
  rc = sqlite3BtreeDelete(c->pCur, 0);
  return CUR_LEAVE(c, rc ? ancSetErr(c->pDb, rc, 0) : SQLITE_OK);
}

/* The value of the last field of record a[0..n-1] if it is an integer
** (serial types 1-6, 8, 9).  Returns 0 on success, -1 otherwise.  The record
** comes from the file: every offset is checked. */
static int ancRecordLastInt(const u8 *a, u32 n, i64 *pV){
  u32 szHdr, idx = 0, off, t = 0, len = 0;
  u64 v = 0;
  int i;
  if( n<1 ) return -1;
  for(i=0; i<9 && idx<n; i++, idx++){
    v = (v<<7) | (a[idx] & 0x7f);
    if( (a[idx] & 0x80)==0 ) break;
  }
  if( idx>=n || v>n ) return -1;
  szHdr = (u32)v; idx++;
  off = szHdr;
  if( idx>=szHdr ) return -1;                 /* no fields */
  while( idx<szHdr ){
    v = 0;
    for(i=0; i<9 && idx<szHdr; i++, idx++){
      v = (v<<7) | (a[idx] & 0x7f);
      if( (a[idx] & 0x80)==0 ) break;
    }
    if( idx>=szHdr || v>0xffffffff ) return -1;
    idx++;
    off += len;
    t = (u32)v;
    if( t==10 || t==11 ) return -1;
    len = sqlite3VdbeSerialTypeLen(t);
  }
  if( off>n || len>n-off ) return -1;
  if( t==8 || t==9 ){ *pV = t-8; return 0; }
  if( t<1 || t>6 ) return -1;
  v = (a[off] & 0x80) ? ~(u64)0 : 0;          /* sign-extend big-endian */
  for(i=0; i<(int)len; i++) v = (v<<8) | a[off+i];
  *pV = (i64)v;
  return 0;
}

/* SQLITE_CORRUPT for a damaged entry of index cursor c, naming its root. */
static int ancIndexEntryCorrupt(AncCursor *c, const char *zWhat){
  char zMsg[96];
  snprintf(zMsg, sizeof(zMsg), "index entry %s (b-tree rooted at page %u)", zWhat,
           (unsigned)c->pCur->pgnoRoot);
  return ancSetErr(c->pDb, SQLITE_CORRUPT, zMsg);
}

ANCDB_API int32_t ancdb_cursor_fetch(
  ancdb_cursor h, ancdb_cursor hRow, int32_t dir, int32_t nMax, int64_t iStop,
  void *pBuf, int32_t nBuf, int32_t *pnEntry, int32_t *pDone, int32_t *pnByte
){
  AncCursor *c, *r = 0;
  u8 *a = (u8*)pBuf;
  u32 used = 0, need = 0;
  int rc = SQLITE_OK, n = 0, errSet = 0;
  if( pnEntry==0 || pDone==0 || pnByte==0 || nBuf<0 || (a==0 && nBuf>0) || nMax<0 ) return SQLITE_MISUSE;
  if( ((uintptr_t)a & 7)!=0 ) return SQLITE_MISUSE;
  *pnEntry = 0; *pDone = 0; *pnByte = 0;
  rc = ancCurEnter(h, &c);
  if( rc ) return rc;
  if( hRow ){
    /* Same rule as ancCurEnter: we hold the database, so a live handle of
    ** this database really is its cursor. */
    r = (AncCursor*)htLookup(&htCur, hRow);
    if( r==0 || !htLive(&htCur, hRow) || r->pDb!=c->pDb || r->nKeyField || c->nKeyField==0 ){
      return CUR_LEAVE(c, ancSetErr(c->pDb, SQLITE_MISUSE, "row cursor must be a table cursor of this database"));
    }
  }
  if( c->pCur->eState!=CURSOR_VALID ){
    *pDone = 1;
    return CUR_LEAVE(c, SQLITE_OK);
  }
  while( n<nMax ){
    BtCursor *pCur = c->pCur;
    u32 nA = 0, nB = 0, sz;
    i64 rowid;
    if( (rc = ancPayloadSize(c->pDb, pCur, &nA))!=0 ){ errSet = 1; break; }
    if( c->nKeyField==0 ){
      rowid = sqlite3BtreeIntegerKey(pCur);
      if( dir>0 ? rowid>iStop : rowid<iStop ){ *pDone = 1; break; }
    }
    if( (u64)used + 16 + nA > (u64)nBuf ){ need = (u32)((16 + (u64)nA + 7) & ~(u64)7); break; }
    rc = sqlite3BtreePayload(pCur, 0, nA, a+used+16);
    if( rc ) break;
    if( c->nKeyField ){
      int res = 0;
      if( ancRecordLastInt(a+used+16, nA, &rowid) ){
        rc = ancIndexEntryCorrupt(c, "does not end in a rowid");
        errSet = 1;
        break;
      }
      if( r ){
        rc = sqlite3BtreeTableMoveto(r->pCur, rowid, 0, &res);
        if( rc ) break;
        if( res!=0 || r->pCur->eState!=CURSOR_VALID ){
          rc = ancIndexEntryCorrupt(c, "names a missing row");
          errSet = 1;
          break;
        }
        if( (rc = ancPayloadSize(c->pDb, r->pCur, &nB))!=0 ){ errSet = 1; break; }
        if( (u64)used + 16 + nA + nB > (u64)nBuf ){
          need = (u32)((16 + (u64)nA + nB + 7) & ~(u64)7);
          break;
        }
        rc = sqlite3BtreePayload(r->pCur, 0, nB, a+used+16+nA);
        if( rc ) break;
      }
    }
    memcpy(a+used, &rowid, 8);
    memcpy(a+used+8, &nA, 4);
    memcpy(a+used+12, &nB, 4);
    sz = (u32)((16 + (u64)nA + nB + 7) & ~(u64)7);
    if( sz>16+nA+nB ) memset(a+used+16+nA+nB, 0, sz-(16+nA+nB));
    used += sz;
    n++;
    rc = dir>0 ? sqlite3BtreeNext(pCur, 0) : sqlite3BtreePrevious(pCur, 0);
    if( rc==SQLITE_DONE ){ rc = SQLITE_OK; *pDone = 1; break; }
    if( rc ) break;
  }
  *pnEntry = n;
  *pnByte = (int32_t)(n==0 && !*pDone ? need : used);
  if( rc && !errSet ) ancSetErr(c->pDb, rc, 0);
  return CUR_LEAVE(c, rc);
}

ANCDB_API int32_t ancdb_cursor_count(ancdb_cursor h, int64_t *pCount){
  AncCursor *c;
  i64 n = 0;
  int rc;
  if( pCount==0 ) return SQLITE_MISUSE;
  rc = ancCurEnter(h, &c);
  if( rc ) return rc;
  rc = sqlite3BtreeCount(&c->pDb->db, c->pCur, &n);
  if( rc ) return CUR_LEAVE(c, ancSetErr(c->pDb, rc, 0));
  *pCount = n;
  return CUR_LEAVE(c, SQLITE_OK);
}

ANCDB_API int32_t ancdb_table_get(
  ancdb_db h, uint32_t root, int64_t rowid, void *pBuf, int32_t nBuf, int32_t *pnPayload
){
  AncDb *p;
  BtCursor *pCur;
  int rc, res = 0;
  u32 sz;
  if( pnPayload==0 || nBuf<0 || (pBuf==0 && nBuf>0) ) return SQLITE_MISUSE;
  *pnPayload = 0;
  rc = ancDbEnter(h, &p);
  if( rc ) return rc;
  if( (rc = ancNeedTxn(p))!=0 ) return ancDbLeave(p, rc);
  if( (rc = ancCheckRoot(p, root, "root page out of range"))!=0 ) return ancDbLeave(p, rc);
  if( p->pGetCur==0 ){
    p->pGetCur = calloc(1, (size_t)sqlite3BtreeCursorSize());
    if( p->pGetCur==0 ) return ancDbLeave(p, ancSetErr(p, SQLITE_NOMEM, 0));
  }
  pCur = p->pGetCur;
  sqlite3BtreeCursorZero(pCur);
  rc = sqlite3BtreeCursor(p->pBt, root, 0, 0, pCur);
  if( rc ) return ancDbLeave(p, ancSetErr(p, rc, 0));
  rc = sqlite3BtreeTableMoveto(pCur, rowid, 0, &res);
  if( rc==SQLITE_OK ){
    if( res!=0 || pCur->eState!=CURSOR_VALID ){
      rc = SQLITE_DONE;
    }else{
      rc = ancPayloadSize(p, pCur, &sz);
      if( rc ){
        sqlite3BtreeCloseCursor(pCur);
        return ancDbLeave(p, rc);             /* message already set */
      }
      *pnPayload = (int32_t)sz;
      if( sz<=(u32)nBuf && sz>0 ) rc = sqlite3BtreePayload(pCur, 0, sz, pBuf);
    }
  }
  sqlite3BtreeCloseCursor(pCur);
  if( rc!=SQLITE_OK && rc!=SQLITE_DONE ) ancSetErr(p, rc, 0);
  return ancDbLeave(p, rc);
}

/* Test-only fault-injecting VFS, registered on request (ancdb.h). */
#include "faultvfs.c"

/* Changing a file's key, encrypting and decrypting it (ancdb.h). */
#include "rekey.c"

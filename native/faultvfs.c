/*
** faultvfs.c -- a fault-injecting VFS for ANC-DB's reliability tests.
** Interface: the "Fault injection" section of ancdb.h.
**
** #included at the end of ancdb.c (same translation unit as the core, so
** the extraction keeps what it uses).  The VFS "ancdb-fault" wraps the
** default VFS and is registered, never as the default, by the first
** ancdb_fault_* call; only ancdb_open_vfs(..., "ancdb-fault", ...) uses it.
**
** Every xRead, xWrite, xSync, xTruncate and xLock on a file it opened is
** counted per kind.  An armed fault makes the nth call of one kind (counted
** from the arm call) fail, once or from then on:
**   IOERR  the kind's SQLITE_IOERR_* code, nothing done;
**   FULL   SQLITE_FULL, nothing done (write, sync and truncate only);
**   CRASH  power loss: every write not yet made durable by an xSync of its
**          file is dropped (or, with ANCDB_FAULT_TORN, a random subset of
**          them is kept), and every later I/O call fails with SQLITE_IOERR
**          until ancdb_fault_reset().  Needs ANCDB_FAULT_BUFFER.
** ANCDB_FAULT_BUFFER holds each file's writes in memory until its next
** xSync (reads see them), which is what lets CRASH drop them.  A file
** closed before a crash hands its pending writes to the OS unsynced (they
** survive: a process exit does not lose the OS cache).  xDelete is durable
** at once.  Memory-mapped I/O is off for these files (io methods v2).
**
** Counters and the armed fault are process-wide, guarded by one mutex.
*/
#include <pthread.h>

#define FAULT_VFS_NAME "ancdb-fault"
#define FAULT_NKIND    5

typedef struct FaultWrite FaultWrite;
typedef struct FaultFile FaultFile;

/* One write held back until the next xSync of its file. */
struct FaultWrite {
  FaultWrite *pNext;             /* next newer write */
  sqlite3_int64 iOff;            /* file offset */
  int n;                         /* bytes at a[] */
  unsigned char a[1];            /* data (over-allocated) */
};

struct FaultFile {
  sqlite3_file base;             /* methods: faultIo (a WrapFile, wrapvfs.c) */
  sqlite3_file *pReal;           /* the wrapped file, allocated after us */
  int isBuffered;                /* ANCDB_FAULT_BUFFER was set at open */
  FaultWrite *pFirst, *pLast;    /* pending writes, oldest first */
  sqlite3_int64 szPending;       /* logical size while writes are pending */
  int hasPending;                /* szPending is meaningful */
  FaultFile *pNextFile;          /* list of open files (for CRASH) */
};

static struct {
  pthread_mutex_t mu;
  sqlite3_vfs *pReal;            /* the default VFS at registration */
  u32 flags;                     /* ANCDB_FAULT_BUFFER | NOSYNC | TORN */
  u64 rand;                      /* xorshift state for TORN */
  i64 aCount[FAULT_NKIND+1];     /* calls per kind; [0] faults injected */
  int armKind;                   /* 0: nothing armed */
  i64 armAt;                     /* aCount[armKind] value that fires */
  int armAction;                 /* ANCDB_FAULT_IOERR / FULL / CRASH */
  int armPersistent;             /* keep firing after the first time */
  int crashed;                   /* after a CRASH: all I/O fails */
  FaultFile *pFiles;             /* open files */
} gFault = { PTHREAD_MUTEX_INITIALIZER };

static const int aFaultIoerr[FAULT_NKIND+1] = {
  SQLITE_IOERR, SQLITE_IOERR_READ, SQLITE_IOERR_WRITE, SQLITE_IOERR_FSYNC,
  SQLITE_IOERR_TRUNCATE, SQLITE_IOERR_LOCK
};

static void faultDropPending(FaultFile *f){
  FaultWrite *w, *wNext;
  for(w=f->pFirst; w; w=wNext){ wNext = w->pNext; sqlite3_free(w); }
  f->pFirst = f->pLast = 0;
  f->hasPending = 0;
}

/* Write f's pending writes to the real file, oldest first.  With torn (a
** TORN crash) each write is kept only if the next random bit says so. */
static int faultFlushPending(FaultFile *f, int torn){
  FaultWrite *w;
  int rc = SQLITE_OK;
  for(w=f->pFirst; w && rc==SQLITE_OK; w=w->pNext){
    if( w->n==0 ) continue;                 /* cut by a truncate */
    if( torn ){
      gFault.rand ^= gFault.rand<<13; gFault.rand ^= gFault.rand>>7; gFault.rand ^= gFault.rand<<17;
      if( gFault.rand & 1 ) continue;
    }
    rc = f->pReal->pMethods->xWrite(f->pReal, w->a, w->n, w->iOff);
  }
  faultDropPending(f);
  return rc;
}

/* Power loss, with gFault.mu held. */
static void faultCrashLocked(void){
  FaultFile *f;
  for(f=gFault.pFiles; f; f=f->pNextFile){
    if( gFault.flags & ANCDB_FAULT_TORN ) faultFlushPending(f, 1);
    else faultDropPending(f);
  }
  gFault.crashed = 1;
}

/* Count one call of kind; return the error to fail it with, or SQLITE_OK. */
static int faultCall(int kind){
  int rc = SQLITE_OK;
  pthread_mutex_lock(&gFault.mu);
  gFault.aCount[kind]++;
  if( gFault.crashed ){
    rc = aFaultIoerr[kind];
  }else if( gFault.armKind==kind
         && (gFault.aCount[kind]==gFault.armAt
             || (gFault.armPersistent && gFault.aCount[kind]>gFault.armAt)) ){
    gFault.aCount[0]++;
    switch( gFault.armAction ){
      case ANCDB_FAULT_FULL:  rc = SQLITE_FULL; break;
      case ANCDB_FAULT_CRASH: faultCrashLocked(); rc = aFaultIoerr[kind]; break;
      default:                rc = aFaultIoerr[kind]; break;
    }
  }
  pthread_mutex_unlock(&gFault.mu);
  return rc;
}

static int faultIsCrashed(void){
  int c;
  pthread_mutex_lock(&gFault.mu);
  c = gFault.crashed;
  pthread_mutex_unlock(&gFault.mu);
  return c;
}

/* ---------------------------------------------------------------------------
** I/O methods
*/
static int faultClose(sqlite3_file *pFile){
  FaultFile *f = (FaultFile*)pFile, **pp;
  int rc;
  pthread_mutex_lock(&gFault.mu);
  for(pp=&gFault.pFiles; *pp; pp=&(*pp)->pNextFile){
    if( *pp==f ){ *pp = f->pNextFile; break; }
  }
  if( gFault.crashed ) faultDropPending(f);
  pthread_mutex_unlock(&gFault.mu);
  faultFlushPending(f, 0);            /* to the OS cache, unsynced */
  rc = f->pReal->pMethods ? f->pReal->pMethods->xClose(f->pReal) : SQLITE_OK;
  return rc;
}

static int faultRead(sqlite3_file *pFile, void *zBuf, int iAmt, sqlite3_int64 iOfst){
  FaultFile *f = (FaultFile*)pFile;
  FaultWrite *w;
  int rc = faultCall(ANCDB_FAULT_READ);
  if( rc ) return rc;
  rc = f->pReal->pMethods->xRead(f->pReal, zBuf, iAmt, iOfst);
  if( !f->hasPending ) return rc;
  if( rc!=SQLITE_OK && rc!=SQLITE_IOERR_SHORT_READ ) return rc;
  for(w=f->pFirst; w; w=w->pNext){     /* newer writes overlay older ones */
    sqlite3_int64 lo = MAX(w->iOff, iOfst), hi = MIN(w->iOff+w->n, iOfst+iAmt);
    if( lo<hi ) memcpy((u8*)zBuf + (lo-iOfst), w->a + (lo-w->iOff), (size_t)(hi-lo));
  }
  if( rc==SQLITE_IOERR_SHORT_READ && iOfst+iAmt<=f->szPending ) rc = SQLITE_OK;
  return rc;
}

static int faultWrite(sqlite3_file *pFile, const void *zBuf, int iAmt, sqlite3_int64 iOfst){
  FaultFile *f = (FaultFile*)pFile;
  FaultWrite *w;
  int rc = faultCall(ANCDB_FAULT_WRITE);
  if( rc ) return rc;
  if( !f->isBuffered ) return f->pReal->pMethods->xWrite(f->pReal, zBuf, iAmt, iOfst);
  if( !f->hasPending ){
    rc = f->pReal->pMethods->xFileSize(f->pReal, &f->szPending);
    if( rc ) return rc;
    f->hasPending = 1;
  }
  w = sqlite3_malloc64(sizeof(FaultWrite) + (u64)iAmt);
  if( w==0 ) return SQLITE_NOMEM;
  w->pNext = 0;
  w->iOff = iOfst;
  w->n = iAmt;
  memcpy(w->a, zBuf, (size_t)iAmt);
  if( f->pLast ) f->pLast->pNext = w; else f->pFirst = w;
  f->pLast = w;
  if( iOfst+iAmt>f->szPending ) f->szPending = iOfst+iAmt;
  return SQLITE_OK;
}

/* Truncation reaches the real file at once (a metadata change); pending
** writes beyond the new end are cut. */
static int faultTruncate(sqlite3_file *pFile, sqlite3_int64 size){
  FaultFile *f = (FaultFile*)pFile;
  FaultWrite *w;
  int rc = faultCall(ANCDB_FAULT_TRUNCATE);
  if( rc ) return rc;
  rc = f->pReal->pMethods->xTruncate(f->pReal, size);
  if( rc==SQLITE_OK && f->hasPending ){
    for(w=f->pFirst; w; w=w->pNext){
      if( w->iOff>=size ) w->n = 0;
      else if( w->iOff+w->n>size ) w->n = (int)(size - w->iOff);
    }
    f->szPending = size;
  }
  return rc;
}

static int faultSync(sqlite3_file *pFile, int flags){
  FaultFile *f = (FaultFile*)pFile;
  int rc = faultCall(ANCDB_FAULT_SYNC);
  if( rc ) return rc;
  rc = faultFlushPending(f, 0);
  if( rc ) return rc;
  if( gFault.flags & ANCDB_FAULT_NOSYNC ) return SQLITE_OK;
  return f->pReal->pMethods->xSync(f->pReal, flags);
}

static int faultFileSize(sqlite3_file *pFile, sqlite3_int64 *pSize){
  FaultFile *f = (FaultFile*)pFile;
  if( faultIsCrashed() ) return SQLITE_IOERR_FSTAT;
  if( f->hasPending ){ *pSize = f->szPending; return SQLITE_OK; }
  return f->pReal->pMethods->xFileSize(f->pReal, pSize);
}

static int faultLock(sqlite3_file *pFile, int eLock){
  FaultFile *f = (FaultFile*)pFile;
  int rc = faultCall(ANCDB_FAULT_LOCK);
  if( rc ) return rc;
  return f->pReal->pMethods->xLock(f->pReal, eLock);
}

static int faultFileControl(sqlite3_file *pFile, int op, void *pArg){
  FaultFile *f = (FaultFile*)pFile;
  if( op==SQLITE_FCNTL_VFSNAME ){
    *(char**)pArg = sqlite3_mprintf("%s", FAULT_VFS_NAME);
    return SQLITE_OK;
  }
  if( op==SQLITE_FCNTL_SIZE_HINT || op==SQLITE_FCNTL_MMAP_SIZE ) return SQLITE_NOTFOUND;
  return f->pReal->pMethods->xFileControl(f->pReal, op, pArg);
}

static const sqlite3_io_methods faultIo = {
  2,                               /* v2: shared memory for WAL, no mmap */
  faultClose, faultRead, faultWrite, faultTruncate, faultSync, faultFileSize,
  faultLock, wrapUnlock, wrapCheckReservedLock, faultFileControl,
  wrapSectorSize, wrapDeviceCharacteristics,
  wrapShmMap, wrapShmLock, wrapShmBarrier, wrapShmUnmap,
  0, 0
};

/* ---------------------------------------------------------------------------
** VFS methods: open and delete are ours, the rest pass through (wrapvfs.c).
*/
static int faultOpen(sqlite3_vfs *pVfs, sqlite3_filename zName, sqlite3_file *pFile,
                     int flags, int *pOutFlags){
  FaultFile *f = (FaultFile*)pFile;
  int rc;
  (void)pVfs;
  memset(f, 0, sizeof(*f));
  if( faultIsCrashed() ) return SQLITE_CANTOPEN;
  f->pReal = (sqlite3_file*)&f[1];
  rc = gFault.pReal->xOpen(gFault.pReal, zName, f->pReal, flags, pOutFlags);
  if( rc ){
    if( f->pReal->pMethods ) f->pReal->pMethods->xClose(f->pReal);
    return rc;
  }
  pthread_mutex_lock(&gFault.mu);
  f->isBuffered = (gFault.flags & ANCDB_FAULT_BUFFER)!=0;
  f->pNextFile = gFault.pFiles;
  gFault.pFiles = f;
  pthread_mutex_unlock(&gFault.mu);
  f->base.pMethods = &faultIo;
  return SQLITE_OK;
}

static int faultDelete(sqlite3_vfs *pVfs, const char *zPath, int dirSync){
  (void)pVfs;
  if( faultIsCrashed() ) return SQLITE_IOERR_DELETE;
  return gFault.pReal->xDelete(gFault.pReal, zPath, dirSync);
}

static sqlite3_vfs faultVfs = {
  2, 0, 0, 0, FAULT_VFS_NAME, 0,
  faultOpen, faultDelete, wrapAccess, wrapFullPathname,
  0, 0, 0, 0,                      /* no extension loading */
  wrapRandomness, wrapSleep, wrapCurrentTime, wrapGetLastError,
  wrapCurrentTimeInt64, 0, 0, 0
};

static pthread_once_t faultOnce = PTHREAD_ONCE_INIT;
static int faultInstallRc = SQLITE_OK;

static void faultInstall(void){
  pthread_once(&ancInitOnce, ancInit);
  if( ancInitRc ){ faultInstallRc = ancInitRc; return; }
  gFault.pReal = sqlite3_vfs_find(0);
  if( gFault.pReal==0 || gFault.pReal->iVersion<2 ){ faultInstallRc = SQLITE_ERROR; return; }
  faultVfs.szOsFile = (int)ROUND8(sizeof(FaultFile)) + gFault.pReal->szOsFile;
  faultVfs.mxPathname = gFault.pReal->mxPathname;
  faultVfs.pAppData = gFault.pReal;  /* for the wrap* pass-throughs */
  faultInstallRc = sqlite3_vfs_register(&faultVfs, 0);
}

static int faultReady(void){
  pthread_once(&faultOnce, faultInstall);
  return faultInstallRc;
}

/* ---------------------------------------------------------------------------
** Controls
*/
ANCDB_API int32_t ancdb_fault_reset(uint32_t flags, uint64_t seed){
  int rc = faultReady();
  if( rc ) return rc;
  if( flags & ~(uint32_t)(ANCDB_FAULT_BUFFER|ANCDB_FAULT_NOSYNC|ANCDB_FAULT_TORN) ) return SQLITE_RANGE;
  pthread_mutex_lock(&gFault.mu);
  gFault.flags = flags;
  gFault.rand = seed ? seed : 0x9e3779b97f4a7c15ull;
  memset(gFault.aCount, 0, sizeof(gFault.aCount));
  gFault.armKind = 0;
  gFault.crashed = 0;
  pthread_mutex_unlock(&gFault.mu);
  return SQLITE_OK;
}

ANCDB_API int32_t ancdb_fault_arm(int32_t kind, int64_t nth, int32_t action, int32_t persistent){
  int rc = faultReady();
  if( rc ) return rc;
  if( kind<ANCDB_FAULT_READ || kind>ANCDB_FAULT_LOCK || nth<1 ) return SQLITE_RANGE;
  if( action!=ANCDB_FAULT_IOERR && action!=ANCDB_FAULT_FULL && action!=ANCDB_FAULT_CRASH ) return SQLITE_RANGE;
  if( action==ANCDB_FAULT_FULL && (kind==ANCDB_FAULT_READ || kind==ANCDB_FAULT_LOCK) ) return SQLITE_RANGE;
  pthread_mutex_lock(&gFault.mu);
  if( action==ANCDB_FAULT_CRASH && (gFault.flags & ANCDB_FAULT_BUFFER)==0 ){
    pthread_mutex_unlock(&gFault.mu);
    return SQLITE_MISUSE;
  }
  gFault.armKind = kind;
  gFault.armAt = gFault.aCount[kind] + nth;
  gFault.armAction = action;
  gFault.armPersistent = persistent!=0;
  pthread_mutex_unlock(&gFault.mu);
  return SQLITE_OK;
}

ANCDB_API int32_t ancdb_fault_disarm(void){
  int rc = faultReady();
  if( rc ) return rc;
  pthread_mutex_lock(&gFault.mu);
  gFault.armKind = 0;
  pthread_mutex_unlock(&gFault.mu);
  return SQLITE_OK;
}

ANCDB_API int32_t ancdb_fault_crash(void){
  int rc = faultReady();
  if( rc ) return rc;
  pthread_mutex_lock(&gFault.mu);
  if( (gFault.flags & ANCDB_FAULT_BUFFER)==0 ){
    pthread_mutex_unlock(&gFault.mu);
    return SQLITE_MISUSE;
  }
  gFault.aCount[0]++;
  faultCrashLocked();
  pthread_mutex_unlock(&gFault.mu);
  return SQLITE_OK;
}

ANCDB_API int32_t ancdb_fault_count(int32_t kind, int64_t *pCount){
  int rc;
  if( pCount==0 ) return SQLITE_MISUSE;
  if( kind<0 || kind>ANCDB_FAULT_LOCK ) return SQLITE_RANGE;
  rc = faultReady();
  if( rc ) return rc;
  pthread_mutex_lock(&gFault.mu);
  *pCount = gFault.aCount[kind];
  pthread_mutex_unlock(&gFault.mu);
  return SQLITE_OK;
}

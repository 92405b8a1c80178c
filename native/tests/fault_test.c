/*
** fault_test.c -- I/O fault and power-loss tests of the shim through the
** "ancdb-fault" VFS (native/faultvfs.c), against the SQLITE_DEBUG build of the shipped core.
**
** Usage: fault_test DIR [quick]
**
** Workload: create a table and an index, then transactions of inserts,
** updates and deletes (a commit every 1-6 operations), some rolled back
** after spilling pages to the file, a TRUNCATE checkpoint in WAL mode.
** Journal DELETE and WAL, synchronous FULL, a 10-page cache.
**
** Sweep: for each kind (read, write, sync, truncate, lock), each action
** (I/O error; full disk for write, sync, truncate; once and persistent) and
** every N from 1 to the calls of that kind in the workload, run it with the
** Nth call failing.  The failing call must return the matching code (I/O
** error family, or ANCDB_FULL) with a message.  Then: disarm, roll back,
** find exactly the acknowledged commits, write and commit once more,
** close, reopen, check integrity and contents again.
**
** Power loss: crash (drop unsynced writes; or keep a random subset of them)
** at every write and sync call; close, reopen, and require the last
** acknowledged commit (or the one in flight) with nothing lost.
**
** Prints the totals last; exits non-zero on any failure.
*/
#include "ancdb.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define NROW    48        /* rowids 1..NROW */
#define NTXN    24        /* transactions after the schema */
#define MARKER  100000    /* rowid of the row written after recovery */
#define VFS     "ancdb-fault"

typedef unsigned char u8;

static int nFail = 0;
static long nRuns = 0, nInjected = 0, nRecovered = 0, nLost = 0, nAbsorbed = 0;
static long nCrashes = 0, nInFlightKept = 0;
static long aInjected[6];

#define FAILF(...) do{ nFail++; fprintf(stderr, "FAIL %s:%d: ", __FILE__, __LINE__); \
  fprintf(stderr, __VA_ARGS__); fputc('\n', stderr); }while(0)

/* ---------------------------------------------------------------------------
** Records
*/
static int putVarint(u8 *a, unsigned v){
  if( v<0x80 ){ a[0] = (u8)v; return 1; }
  a[0] = (u8)(0x80 | (v>>7)); a[1] = (u8)(v & 0x7f); return 2;   /* v < 16384 */
}

/* Length of the text of version ver of a row: 20..~700 bytes. */
static int textLen(int rowid, int ver){ return 20 + (rowid*37 + ver*101) % 680; }

/* Row (n INTEGER, body TEXT) of rowid at version ver. */
static int makeRow(u8 *a, int rowid, int ver){
  int n = textLen(rowid, ver), i = 0, k, h;
  u8 hdr[8];
  h = 1;
  hdr[h++] = 6;
  h += putVarint(&hdr[h], (unsigned)(13 + 2*n));
  hdr[0] = (u8)h;
  memcpy(a, hdr, (size_t)h); i = h;
  for(k=7; k>=0; k--) a[i++] = (u8)((long long)ver >> (8*k));
  for(k=0; k<n; k++) a[i++] = (u8)('a' + (rowid + ver + k) % 26);
  return i;
}

/* Index key (name TEXT, rowid) of rowid at version ver. */
static int makeKey(u8 *a, int rowid, int ver){
  char z[32];
  int n = snprintf(z, sizeof(z), "k%03d-%05d", (rowid*7) % NROW, ver*100 + rowid), i = 0, k;
  a[i++] = 3; a[i++] = (u8)(13 + 2*n); a[i++] = 6;
  memcpy(a+i, z, (size_t)n); i += n;
  for(k=7; k>=0; k--) a[i++] = (u8)((long long)rowid >> (8*k));
  return i;
}

/* sqlite_schema row; strings < 57 bytes, sql < 8000. */
static int makeSchemaRow(u8 *a, const char *type, const char *name, unsigned root, const char *sql){
  const char *z[3] = { type, name, "t" };
  int i = 0, k, nSql = (int)strlen(sql);
  a[i++] = 0;
  for(k=0; k<3; k++) a[i++] = (u8)(13 + 2*strlen(z[k]));
  a[i++] = 4;
  i += putVarint(&a[i], (unsigned)(13 + 2*nSql));
  a[0] = (u8)i;
  for(k=0; k<3; k++){ memcpy(a+i, z[k], strlen(z[k])); i += (int)strlen(z[k]); }
  a[i++] = (u8)(root>>24); a[i++] = (u8)(root>>16); a[i++] = (u8)(root>>8); a[i++] = (u8)root;
  memcpy(a+i, sql, (size_t)nSql);
  return i + nSql;
}

/* ---------------------------------------------------------------------------
** The workload.  A Run executes it until the first failing call.
*/
typedef struct Run Run;
struct Run {
  int wal;
  ancdb_db db;
  int aCommitted[NROW+1];   /* acknowledged state: version per rowid, 0 absent */
  int aPending[NROW+1];     /* state of the transaction in flight */
  int hasSchema;            /* schema transaction acknowledged */
  int pendingSchema;
  unsigned tRoot, iRoot;
  int rc;                   /* first failing result code, 0 if none */
  int inCommit;             /* it failed inside ancdb_commit */
  const char *zWhere;       /* which call failed */
  char zMsg[256];           /* its message */
};

static unsigned gRand;
static unsigned rnd(void){ gRand = gRand*1103515245u + 12345u; return (gRand>>8) & 0xffffff; }

#define STEP(expr) do{ int rc_ = (expr); if( rc_!=ANCDB_OK ){ \
  r->rc = rc_; r->zWhere = #expr; goto failed; } }while(0)

static int openDb(Run *r, const char *path){
  char err[256];
  uint32_t flags = ANCDB_OPEN_CREATE | ANCDB_OPEN_SYNC_FULL | (r->wal ? ANCDB_OPEN_WAL : 0);
  int rc = ancdb_open_vfs(path, flags, 10, 0, 0, VFS, err, sizeof(err), &r->db);
  if( rc ) snprintf(r->zMsg, sizeof(r->zMsg), "%s", err);
  return rc;
}

/* One write: set rowid to version ver (0: delete) in the pending state. */
static int writeRow(Run *r, ancdb_cursor tc, ancdb_cursor ic, int rowid, int ver){
  u8 buf[1024];
  int n, rc;
  int32_t res = 0;
  int old = r->aPending[rowid];
  if( old ){
    n = makeKey(buf, rowid, old);
    rc = ancdb_cursor_seek_key(ic, buf, n, 0, &res);
    if( rc ) return rc;
    if( res!=0 ){ FAILF("index key of row %d missing", rowid); return ANCDB_ERROR; }
    if( (rc = ancdb_cursor_delete(ic))!=0 ) return rc;
    if( ver==0 ){
      if( (rc = ancdb_cursor_seek_rowid(tc, rowid, &res))!=0 ) return rc;
      if( res!=0 ){ FAILF("row %d missing", rowid); return ANCDB_ERROR; }
      if( (rc = ancdb_cursor_delete(tc))!=0 ) return rc;
    }
  }
  if( ver ){
    n = makeRow(buf, rowid, ver);
    if( (rc = ancdb_cursor_insert_row(tc, rowid, buf, n))!=0 ) return rc;
    n = makeKey(buf, rowid, ver);
    if( (rc = ancdb_cursor_insert_key(ic, buf, n))!=0 ) return rc;
  }
  r->aPending[rowid] = ver;
  return ANCDB_OK;
}

/* Run the workload on a fresh file at path.  Returns r->rc. */
static int workload(Run *r, const char *path){
  ancdb_cursor tc = 0, ic = 0, sc = 0;
  u8 buf[512];
  int t, i, n;
  memset(r->aCommitted, 0, sizeof(r->aCommitted));
  memset(r->aPending, 0, sizeof(r->aPending));
  r->hasSchema = r->pendingSchema = 0;
  r->rc = 0; r->inCommit = 0; r->zWhere = ""; r->zMsg[0] = 0;
  r->db = 0;
  gRand = 12345;
  if( (r->rc = openDb(r, path))!=0 ){ r->zWhere = "open"; return r->rc; }

  STEP(ancdb_begin(r->db, 1, 0));
  STEP(ancdb_btree_create(r->db, ANCDB_BTREE_TABLE, &r->tRoot));
  STEP(ancdb_btree_create(r->db, ANCDB_BTREE_INDEX, &r->iRoot));
  STEP(ancdb_cursor_open(r->db, 1, ANCDB_CURSOR_WRITE, 0, &sc));
  n = makeSchemaRow(buf, "table", "t", r->tRoot, "CREATE TABLE t(n INTEGER, body TEXT)");
  STEP(ancdb_cursor_insert_row(sc, 1, buf, n));
  n = makeSchemaRow(buf, "index", "t_k", r->iRoot, "CREATE INDEX t_k ON t(k)");
  STEP(ancdb_cursor_insert_row(sc, 2, buf, n));
  r->pendingSchema = 1;
  r->inCommit = 1;
  STEP(ancdb_commit(r->db));
  r->inCommit = 0;
  r->hasSchema = 1;

  for(t=1; t<=NTXN; t++){
    int rollback = (t%7==0);
    int nOp = rollback ? 60 : 1 + (int)(rnd()%6);
    if( r->wal && t==NTXN/2 ){
      STEP(ancdb_checkpoint(r->db, ANCDB_CHECKPOINT_TRUNCATE, 0, 0));
    }
    STEP(ancdb_begin(r->db, 1, 0));
    STEP(ancdb_cursor_open(r->db, r->tRoot, ANCDB_CURSOR_WRITE, 0, &tc));
    STEP(ancdb_cursor_open(r->db, r->iRoot, ANCDB_CURSOR_WRITE, 2, &ic));
    for(i=0; rollback && i<nOp; i++){
      /* rows outside the model, enough to spill the 10-page cache */
      u8 b[1024];
      n = makeRow(b, 1000+i, t*64+i+1);
      STEP(ancdb_cursor_insert_row(tc, 1000+i, b, n));
      n = makeKey(b, 1000+i, t*64+i+1);
      STEP(ancdb_cursor_insert_key(ic, b, n));
    }
    for(i=0; !rollback && i<nOp; i++){
      int rowid = 1 + (int)(rnd()%NROW);
      int ver = (r->aPending[rowid] && rnd()%4==0) ? 0 : t*64 + i + 1;
      STEP(writeRow(r, tc, ic, rowid, ver));
    }
    if( rollback ){
      STEP(ancdb_rollback(r->db));
      memcpy(r->aPending, r->aCommitted, sizeof(r->aPending));
      continue;
    }
    r->inCommit = 1;
    STEP(ancdb_commit(r->db));
    r->inCommit = 0;
    memcpy(r->aCommitted, r->aPending, sizeof(r->aCommitted));
  }
  return 0;

failed:
  if( r->db ) ancdb_errmsg(r->db, r->zMsg, sizeof(r->zMsg));
  return r->rc;
}

/* ---------------------------------------------------------------------------
** Verification
*/

/* Read the schema roots; *pnSchema receives the number of schema rows. */
static int readSchema(ancdb_db db, unsigned *pT, unsigned *pI, int *pnSchema){
  ancdb_cursor c = 0;
  u8 buf[512];
  uint32_t sz = 0;
  int rc, n = 0;
  *pT = *pI = 0;
  if( (rc = ancdb_cursor_open(db, 1, 0, 0, &c))!=0 ) return rc;
  for(rc=ancdb_cursor_first(c); rc==ANCDB_OK; rc=ancdb_cursor_next(c)){
    if( (rc = ancdb_cursor_payload_size(c, &sz))!=0 ) break;
    if( sz>sizeof(buf) ){ rc = ANCDB_CORRUPT; break; }
    if( (rc = ancdb_cursor_payload(c, 0, sz, buf))!=0 ) break;
    /* root is the 4-byte int after the three strings */
    {
      int off = buf[0], k;
      unsigned root;
      for(k=1; k<=3; k++) off += (buf[k]-13)/2;
      root = ((unsigned)buf[off]<<24) | ((unsigned)buf[off+1]<<16) | ((unsigned)buf[off+2]<<8) | buf[off+3];
      if( memcmp(&buf[buf[0]], "table", 5)==0 ) *pT = root; else *pI = root;
    }
    n++;
  }
  ancdb_cursor_close(c);
  *pnSchema = n;
  return rc==ANCDB_DONE ? ANCDB_OK : rc;
}

/* Compare the file's contents with aVer (plus the marker row if marker).
** Returns 0 if equal, 1 if different, else a failing result code (<0). */
static int compare(ancdb_db db, const int *aVer, int hasSchema, int marker, char *zWhy, int nWhy){
  unsigned tRoot, iRoot;
  int nSchema, rc, i, nRow = 0, nKey = 0, nWant = 0;
  ancdb_cursor c = 0;
  u8 buf[1024], want[1024];
  uint32_t sz;
  int64_t rowid;
  zWhy[0] = 0;
  if( (rc = readSchema(db, &tRoot, &iRoot, &nSchema))!=0 ) return -rc;
  if( !hasSchema ){
    if( nSchema==0 ) return 0;
    snprintf(zWhy, (size_t)nWhy, "schema present but not committed");
    return 1;
  }
  if( nSchema!=2 || tRoot==0 || iRoot==0 ){ snprintf(zWhy, (size_t)nWhy, "schema rows: %d", nSchema); return 1; }
  for(i=1; i<=NROW; i++) if( aVer[i] ) nWant++;
  if( marker ) nWant++;
  if( (rc = ancdb_cursor_open(db, tRoot, 0, 0, &c))!=0 ) return -rc;
  for(rc=ancdb_cursor_first(c); rc==ANCDB_OK; rc=ancdb_cursor_next(c)){
    int n, ver;
    if( (rc = ancdb_cursor_rowid(c, &rowid))!=0 ) break;
    if( (rc = ancdb_cursor_payload_size(c, &sz))!=0 ) break;
    if( sz>sizeof(buf) ){ snprintf(zWhy, (size_t)nWhy, "row %lld too long", (long long)rowid); rc = 1; break; }
    if( (rc = ancdb_cursor_payload(c, 0, sz, buf))!=0 ) break;
    ver = (rowid==MARKER && marker) ? 7 : (rowid>=1 && rowid<=NROW) ? aVer[rowid] : 0;
    n = ver ? makeRow(want, (int)rowid, ver) : 0;
    if( ver==0 || (uint32_t)n!=sz || memcmp(buf, want, sz)!=0 ){
      snprintf(zWhy, (size_t)nWhy, "row %lld: unexpected or wrong version", (long long)rowid);
      rc = 1; break;
    }
    nRow++;
  }
  ancdb_cursor_close(c);
  if( rc==1 ) return 1;
  if( rc!=ANCDB_DONE ) return -rc;
  if( nRow!=nWant ){ snprintf(zWhy, (size_t)nWhy, "%d rows, want %d", nRow, nWant); return 1; }
  if( (rc = ancdb_cursor_open(db, iRoot, 0, 2, &c))!=0 ) return -rc;
  for(i=1; i<=NROW+1; i++){
    int32_t res = 1;
    int r = i<=NROW ? i : MARKER, ver = i<=NROW ? aVer[i] : (marker ? 7 : 0);
    int n;
    if( ver==0 ) continue;
    n = makeKey(want, r, ver);
    if( (rc = ancdb_cursor_seek_key(c, want, n, 0, &res))!=0 && rc!=ANCDB_DONE ) break;
    if( rc==ANCDB_DONE || res!=0 ){ snprintf(zWhy, (size_t)nWhy, "index key of row %d missing", r); rc = 1; break; }
    rc = 0;
  }
  if( rc==0 ){
    int64_t cnt = 0;
    rc = ancdb_cursor_count(c, &cnt);
    nKey = (int)cnt;
    if( rc==0 && nKey!=nWant ){ snprintf(zWhy, (size_t)nWhy, "%d index keys, want %d", nKey, nWant); rc = 1; }
  }
  ancdb_cursor_close(c);
  if( rc==1 ) return 1;
  if( rc ) return -rc;
  return 0;
}

/* Integrity check; 0 when clean. */
static int integrity(ancdb_db db, char *zOut, int nOut){
  unsigned tRoot, iRoot;
  uint32_t aRoot[3];
  int nSchema, nRoot = 0, rc;
  int32_t nErr = 0;
  if( (rc = readSchema(db, &tRoot, &iRoot, &nSchema))!=0 ) return rc;
  aRoot[nRoot++] = 1;
  if( tRoot ) aRoot[nRoot++] = tRoot;
  if( iRoot ) aRoot[nRoot++] = iRoot;
  rc = ancdb_integrity_check(db, aRoot, nRoot, 10, zOut, nOut, &nErr);
  return rc ? rc : (nErr ? ANCDB_CORRUPT : 0);
}

/* Check db holds aVer (or, if aAlt, aAlt) and is sound.  Returns 0, or 1 on
** a mismatch, 2 on an I/O or integrity failure; *pAlt says aAlt matched. */
static int checkState(ancdb_db db, const int *aVer, int hasSchema, const int *aAlt, int altSchema,
                      int marker, int *pAlt, const char *zCtx){
  char why[256], report[512];
  int rc;
  if( pAlt ) *pAlt = 0;
  if( (rc = ancdb_begin(db, 0, 0))!=0 ){ FAILF("%s: begin read: %d", zCtx, rc); return 2; }
  if( (rc = integrity(db, report, sizeof(report)))!=0 ){
    FAILF("%s: integrity check: %d %s", zCtx, rc, report);
    ancdb_rollback(db);
    return 2;
  }
  rc = compare(db, aVer, hasSchema, marker, why, sizeof(why));
  if( rc==1 && aAlt ){
    char why2[256];
    rc = compare(db, aAlt, altSchema, marker, why2, sizeof(why2));
    if( rc==0 && pAlt ) *pAlt = 1;
  }
  ancdb_rollback(db);
  if( rc<0 ){ FAILF("%s: read failed: %d", zCtx, -rc); return 2; }
  if( rc==1 ){ FAILF("%s: contents differ: %s", zCtx, why); return 1; }
  return 0;
}

/* Write the marker row in a new transaction. */
static int writeMarker(ancdb_db db){
  unsigned tRoot, iRoot;
  int nSchema, rc, n;
  ancdb_cursor tc = 0, ic = 0;
  u8 buf[1024];
  if( (rc = ancdb_begin(db, 1, 0))!=0 ) return rc;
  rc = readSchema(db, &tRoot, &iRoot, &nSchema);
  if( rc==0 && nSchema==2 ){
    if( rc==0 ) rc = ancdb_cursor_open(db, tRoot, ANCDB_CURSOR_WRITE, 0, &tc);
    if( rc==0 ) rc = ancdb_cursor_open(db, iRoot, ANCDB_CURSOR_WRITE, 2, &ic);
    n = makeRow(buf, MARKER, 7);
    if( rc==0 ) rc = ancdb_cursor_insert_row(tc, MARKER, buf, n);
    n = makeKey(buf, MARKER, 7);
    if( rc==0 ) rc = ancdb_cursor_insert_key(ic, buf, n);
  }
  if( rc==0 ) rc = ancdb_commit(db);
  if( rc ) ancdb_rollback(db);
  return rc;
}

static void removeFiles(const char *path){
  char z[600];
  unlink(path);
  snprintf(z, sizeof(z), "%s-journal", path); unlink(z);
  snprintf(z, sizeof(z), "%s-wal", path); unlink(z);
  snprintf(z, sizeof(z), "%s-shm", path); unlink(z);
}

/* ---------------------------------------------------------------------------
** The sweep
*/
static const char *azKind[] = { "injected", "read", "write", "sync", "truncate", "lock" };

static int codeOk(int rc, int action){
  if( action==ANCDB_FAULT_FULL ) return rc==ANCDB_FULL;
  return (rc & 0xff)==ANCDB_IOERR;
}

/* One run with the nth call of kind failing.  Returns 0 if no fault fired. */
static int faultRun(const char *path, int wal, int kind, int nth, int action, int persistent){
  Run r;
  int64_t injected = 0;
  char ctx[128];
  int rc, alt = 0, marked = 0;
  memset(&r, 0, sizeof(r));
  r.wal = wal;
  removeFiles(path);
  ancdb_fault_reset(ANCDB_FAULT_NOSYNC, 0);
  ancdb_fault_arm(kind, nth, action, persistent);
  workload(&r, path);
  ancdb_fault_count(0, &injected);
  nRuns++;
  snprintf(ctx, sizeof(ctx), "%s %s %s%s #%d (%s)", wal ? "wal" : "delete", azKind[kind],
           action==ANCDB_FAULT_FULL ? "full" : "ioerr", persistent ? " persistent" : "", nth, r.zWhere);
  if( injected==0 ){
    if( r.rc ) FAILF("%s: failed with %d without a fault", ctx, r.rc);
    if( r.db ) ancdb_close(r.db);
    return 0;
  }
  nInjected += injected;
  aInjected[kind] += injected;
  if( r.rc==0 ){
    nAbsorbed++;                    /* SQLite absorbed it; data must still be right */
    if( getenv("FAULT_VERBOSE") ) printf("absorbed: %s\n", ctx);
    memcpy(r.aPending, r.aCommitted, sizeof(r.aPending));
  }else{
    if( !codeOk(r.rc, action) ) FAILF("%s: returned %d, want %s", ctx, r.rc, action==ANCDB_FAULT_FULL ? "FULL" : "IOERR*");
    if( r.zMsg[0]==0 ) FAILF("%s: no error message", ctx);
  }
  if( persistent && r.db ){
    /* Still failing: rollback must not crash; it may report the fault. */
    rc = ancdb_rollback(r.db);
    if( rc && !codeOk(rc, action) ) FAILF("%s: rollback under fault returned %d", ctx, rc);
  }
  ancdb_fault_disarm();
  if( r.db ){
    /* Usable in place: roll back, same acknowledged data, write again. */
    int32_t st = -1;
    if( (rc = ancdb_rollback(r.db))!=0 ) FAILF("%s: rollback: %d", ctx, rc);
    if( ancdb_txn_state(r.db, &st)!=0 || st!=ANCDB_TXN_NONE ) FAILF("%s: transaction left open", ctx);
    if( checkState(r.db, r.aCommitted, r.hasSchema, r.inCommit ? r.aPending : 0, r.pendingSchema,
                   0, &alt, ctx)==0 ){
      if( alt ) FAILF("%s: failed commit was applied", ctx);
      if( r.hasSchema || alt ){
        if( (rc = writeMarker(r.db))!=0 ) FAILF("%s: write after recovery: %d", ctx, rc);
        else marked = r.hasSchema;
      }
    }
    if( (rc = ancdb_close(r.db))!=0 ) FAILF("%s: close: %d", ctx, rc);
  }
  /* Reopens cleanly with every acknowledged commit (and the marker). */
  r.db = 0;
  if( (rc = openDb(&r, path))!=0 ){ FAILF("%s: reopen: %d %s", ctx, rc, r.zMsg); return 1; }
  if( checkState(r.db, r.aCommitted, r.hasSchema, 0, 0, marked, 0, ctx)==0 ){
    nRecovered++;
  }else{
    nLost++;
  }
  ancdb_close(r.db);
  return 1;
}

static void sweep(const char *path, int wal, int quick){
  static const struct { int kind, action, persistent; } aCase[] = {
    { ANCDB_FAULT_READ,     ANCDB_FAULT_IOERR, 0 },
    { ANCDB_FAULT_WRITE,    ANCDB_FAULT_IOERR, 0 },
    { ANCDB_FAULT_WRITE,    ANCDB_FAULT_FULL,  0 },
    { ANCDB_FAULT_WRITE,    ANCDB_FAULT_FULL,  1 },
    { ANCDB_FAULT_SYNC,     ANCDB_FAULT_IOERR, 0 },
    { ANCDB_FAULT_SYNC,     ANCDB_FAULT_FULL,  0 },
    { ANCDB_FAULT_TRUNCATE, ANCDB_FAULT_IOERR, 0 },
    { ANCDB_FAULT_TRUNCATE, ANCDB_FAULT_FULL,  0 },
    { ANCDB_FAULT_LOCK,     ANCDB_FAULT_IOERR, 0 },
    { ANCDB_FAULT_LOCK,     ANCDB_FAULT_IOERR, 1 },
  };
  int64_t aCount[6];
  Run r;
  int i, k;
  memset(&r, 0, sizeof(r));
  r.wal = wal;
  removeFiles(path);
  ancdb_fault_reset(ANCDB_FAULT_NOSYNC, 0);
  if( workload(&r, path) ){ FAILF("clean workload failed: %d at %s", r.rc, r.zWhere); return; }
  for(k=1; k<=5; k++) ancdb_fault_count(k, &aCount[k]);
  ancdb_close(r.db);
  printf("fault_test: %s workload: %lld reads, %lld writes, %lld syncs, %lld truncates, %lld locks\n",
         wal ? "WAL" : "DELETE", (long long)aCount[1], (long long)aCount[2], (long long)aCount[3],
         (long long)aCount[4], (long long)aCount[5]);
  for(i=0; i<(int)(sizeof(aCase)/sizeof(aCase[0])); i++){
    int n, step = quick ? 7 : 1;
    for(n=1; n<=aCount[aCase[i].kind]; n+=step){
      faultRun(path, wal, aCase[i].kind, n, aCase[i].action, aCase[i].persistent);
    }
  }
}

/* ---------------------------------------------------------------------------
** Power loss
*/
static void crashRun(const char *path, int wal, int kind, int nth, int torn, unsigned seed){
  Run r;
  char ctx[128];
  int rc, alt = 0, res;
  memset(&r, 0, sizeof(r));
  r.wal = wal;
  removeFiles(path);
  ancdb_fault_reset(ANCDB_FAULT_BUFFER | ANCDB_FAULT_NOSYNC | (torn ? ANCDB_FAULT_TORN : 0), seed);
  ancdb_fault_arm(kind, nth, ANCDB_FAULT_CRASH, 0);
  workload(&r, path);
  snprintf(ctx, sizeof(ctx), "%s crash%s at %s #%d (%s)", wal ? "wal" : "delete", torn ? " torn" : "",
           azKind[kind], nth, r.zWhere);
  nRuns++;
  if( r.rc==0 ){                 /* finished before the crash point */
    ancdb_close(r.db);
    return;
  }
  nCrashes++;
  nInjected++;
  if( r.db ) ancdb_close(r.db);  /* everything fails: must not crash or leak */
  ancdb_fault_reset(ANCDB_FAULT_NOSYNC, 0);
  r.db = 0;
  if( (rc = openDb(&r, path))!=0 ){ FAILF("%s: reopen: %d %s", ctx, rc, r.zMsg); nLost++; return; }
  res = checkState(r.db, r.aCommitted, r.hasSchema, r.inCommit ? r.aPending : 0, r.pendingSchema,
                   0, &alt, ctx);
  if( res==0 ){
    nRecovered++;
    if( alt ) nInFlightKept++;
    if( (rc = writeMarker(r.db))!=0 && (r.hasSchema || alt) ) FAILF("%s: write after recovery: %d", ctx, rc);
  }else{
    nLost++;
  }
  ancdb_close(r.db);
}

static void powerLoss(const char *path, int wal, int quick){
  int64_t nWrite = 0, nSync = 0;
  Run r;
  int n, s;
  memset(&r, 0, sizeof(r));
  r.wal = wal;
  removeFiles(path);
  ancdb_fault_reset(ANCDB_FAULT_BUFFER | ANCDB_FAULT_NOSYNC, 0);
  if( workload(&r, path) ){ FAILF("clean buffered workload failed: %d at %s", r.rc, r.zWhere); return; }
  ancdb_fault_count(ANCDB_FAULT_WRITE, &nWrite);
  ancdb_fault_count(ANCDB_FAULT_SYNC, &nSync);
  ancdb_close(r.db);
  for(n=1; n<=nSync; n++){
    crashRun(path, wal, ANCDB_FAULT_SYNC, n, 0, 0);
    for(s=1; s<=(quick ? 1 : 3); s++) crashRun(path, wal, ANCDB_FAULT_SYNC, n, 1, (unsigned)(n*31 + s));
  }
  for(n=1; n<=nWrite; n+=(quick ? 5 : 1)){
    crashRun(path, wal, ANCDB_FAULT_WRITE, n, 0, 0);
    crashRun(path, wal, ANCDB_FAULT_WRITE, n, 1, (unsigned)(n*17 + 3));
  }
}

int main(int argc, char **argv){
  char path[512];
  int quick = argc>2 && strcmp(argv[2], "quick")==0, wal, k;
  struct timespec t0, t1;
  if( argc<2 ){ fprintf(stderr, "usage: %s DIR [quick]\n", argv[0]); return 2; }
  clock_gettime(CLOCK_MONOTONIC, &t0);
  snprintf(path, sizeof(path), "%s/fault.db", argv[1]);
  if( argc==8 && strcmp(argv[2], "crash")==0 ){   /* crash WAL KIND N TORN SEED: one run */
    crashRun(path, atoi(argv[3]), atoi(argv[4]), atoi(argv[5]), atoi(argv[6]), (unsigned)atoi(argv[7]));
    return nFail ? 1 : 0;
  }
  {
    /* Never the default; unknown names refused. */
    char err[128];
    ancdb_db db = 0;
    if( ancdb_fault_reset(0, 0)!=0 ) FAILF("fault VFS did not register");
    if( ancdb_open_vfs(path, ANCDB_OPEN_CREATE, 0, 0, 0, "no-such-vfs", err, sizeof(err), &db)!=ANCDB_CANTOPEN || db!=0 ){
      FAILF("unknown VFS accepted");
    }
    if( ancdb_fault_arm(ANCDB_FAULT_READ, 1, ANCDB_FAULT_FULL, 0)!=ANCDB_RANGE ) FAILF("FULL on read accepted");
    if( ancdb_fault_arm(ANCDB_FAULT_WRITE, 1, ANCDB_FAULT_CRASH, 0)!=ANCDB_MISUSE ) FAILF("CRASH without BUFFER accepted");
    removeFiles(path);
    ancdb_fault_arm(ANCDB_FAULT_READ, 1, ANCDB_FAULT_IOERR, 1);
    if( ancdb_open(path, ANCDB_OPEN_CREATE, 0, 0, 0, err, sizeof(err), &db)!=ANCDB_OK ) FAILF("default open went through the fault VFS");
    else ancdb_close(db);
    ancdb_fault_disarm();
  }
  for(wal=0; wal<=1; wal++) sweep(path, wal, quick);
  for(wal=0; wal<=1; wal++) powerLoss(path, wal, quick);
  removeFiles(path);
  clock_gettime(CLOCK_MONOTONIC, &t1);
  printf("fault_test: %ld runs, %ld faults injected (", nRuns, nInjected);
  for(k=1; k<=5; k++) printf("%s%s %ld", k>1 ? ", " : "", azKind[k], aInjected[k]);
  printf("; %ld power losses), %ld absorbed by SQLite, %ld recoveries verified, "
         "%ld in-flight commits kept, data lost in %ld, %.1f s\n",
         nCrashes, nAbsorbed, nRecovered, nInFlightKept, nLost,
         (double)(t1.tv_sec-t0.tv_sec) + (t1.tv_nsec-t0.tv_nsec)/1e9);
  printf("fault_test: %s (%d failures)\n", nFail ? "FAILED" : "ok", nFail);
  return nFail ? 1 : 0;
}

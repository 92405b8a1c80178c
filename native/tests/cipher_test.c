/*
** cipher_test.c -- C tests of encryption at rest (ancdb_open_key, ciphervfs.c)
** against the SQLCipher 4 oracle (SQLite3 Multiple Ciphers, native/tests/oracle.c).
**
** Usage: cipher_test DIR ORACLE   (DIR: a scratch directory; ORACLE: the checker)
** Prints "N passed, N failed" last; exits non-zero on any failure.
**
** Data set: table t(id INTEGER PRIMARY KEY, name TEXT, body BLOB) with index
** t_name(name).  Row id at version v has a name and a body that are functions
** of (id, v); a model (aVer[id]: 0 absent, else the version) says what the
** file must hold, and both ANC-DB and the oracle dump the table as
** "id|name|x'<hex body>'" lines for comparison.
*/
#include "ancdb.h"
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

typedef unsigned char u8;

static int nPass = 0, nFail = 0;
static const char *gDir, *gOracle;

#define CHECK(cond) do{ if(cond){ nPass++; }else{ nFail++; \
  fprintf(stderr, "FAIL %s:%d: %s\n", __FILE__, __LINE__, #cond); } }while(0)
#define CHECK_RC(expr, want) do{ int rc_ = (expr); if(rc_==(want)){ nPass++; }else{ nFail++; \
  fprintf(stderr, "FAIL %s:%d: %s returned %d, want %d\n", __FILE__, __LINE__, #expr, rc_, want); } }while(0)
#define CHECK_MSG(cond, ...) do{ if(cond){ nPass++; }else{ nFail++; \
  fprintf(stderr, "FAIL %s:%d: ", __FILE__, __LINE__); fprintf(stderr, __VA_ARGS__); fputc('\n', stderr); } }while(0)

static const char *KEY_PASS = "correct horse battery staple";
static const char *KEY_RAW =
  "x'2dd29ca851e7b56e4697b0e1f08507293d761a05ce4d1b628663f411a8086d99'";
static const char *KEY_RAW_SALT =
  "x'98483c6eb40b6c31a448c22a66ded3b5e5e8d5119cac8327b655c8b5c483648101010101010101010101010101010101'";

/* ---------------------------------------------------------------------------
** Text buffer
*/
typedef struct Buf { char *z; size_t n, cap; } Buf;

static void bufAdd(Buf *b, const char *z, size_t n){
  if( b->n + n + 1 > b->cap ){
    b->cap = (b->n + n + 1) * 2;
    b->z = realloc(b->z, b->cap);
    if( b->z==0 ){ perror("realloc"); exit(2); }
  }
  memcpy(b->z + b->n, z, n);
  b->n += n;
  b->z[b->n] = 0;
}

static void bufPrintf(Buf *b, const char *zFmt, ...) __attribute__((format(printf, 2, 3)));
#include <stdarg.h>
static void bufPrintf(Buf *b, const char *zFmt, ...){
  char z[512];
  va_list ap;
  int n;
  va_start(ap, zFmt);
  n = vsnprintf(z, sizeof(z), zFmt, ap);
  va_end(ap);
  bufAdd(b, z, (size_t)n);
}

static void bufHex(Buf *b, const u8 *a, int n){
  static const char hex[] = "0123456789abcdef";
  int i;
  bufAdd(b, "x'", 2);
  for(i=0; i<n; i++){ char h[2] = { hex[a[i]>>4], hex[a[i]&15] }; bufAdd(b, h, 2); }
  bufAdd(b, "'", 1);
}

/* ---------------------------------------------------------------------------
** Records: a tiny encoder (NULL, integer, text, blob) and decoder
*/
typedef struct Field { int type; long long i; const u8 *a; int n; } Field;   /* type: 0 NULL, 1 int, 3 text, 4 blob */

static int putVarint(u8 *a, unsigned long long v){
  u8 t[10];
  int n = 0, i;
  do{ t[n++] = (u8)(v & 0x7f); v >>= 7; }while( v );
  for(i=0; i<n; i++) a[i] = (u8)(t[n-1-i] | (i<n-1 ? 0x80 : 0));
  return n;
}

static int getVarint(const u8 *a, unsigned long long *pV){
  unsigned long long v = 0;
  int i;
  for(i=0; i<9; i++){
    if( i==8 ){ v = (v<<8) | a[i]; return 9; }
    v = (v<<7) | (a[i] & 0x7f);
    if( (a[i] & 0x80)==0 ){ *pV = v; return i+1; }
  }
  *pV = v;
  return 9;
}

static int makeRecord(u8 *a, const Field *f, int nField){
  u8 hdr[64];
  int h = 0, i, k, n;
  unsigned long long st[8];
  for(i=0; i<nField; i++){
    switch( f[i].type ){
      case 0: st[i] = 0; break;
      case 1: st[i] = 6; break;
      case 3: st[i] = 13 + 2ull*(unsigned)f[i].n; break;
      default: st[i] = 12 + 2ull*(unsigned)f[i].n; break;
    }
    h += putVarint(hdr+h, st[i]);
  }
  n = putVarint(a, (unsigned long long)(h + 1));   /* header size (< 128 here) */
  memcpy(a+n, hdr, (size_t)h);
  n += h;
  for(i=0; i<nField; i++){
    if( f[i].type==1 ){ for(k=7; k>=0; k--) a[n++] = (u8)(f[i].i >> (8*k)); }
    else if( f[i].type>=3 ){ memcpy(a+n, f[i].a, (size_t)f[i].n); n += f[i].n; }
  }
  return n;
}

/* Append field iField of record a (n bytes) to b as the oracle prints it;
** a NULL in field 0 prints rowid (an INTEGER PRIMARY KEY column). */
static int dumpField(Buf *b, const u8 *a, int n, int iField, long long rowid){
  unsigned long long hdrSize, st = 0;
  int i = getVarint(a, &hdrSize), f, off = (int)hdrSize;
  for(f=0; f<=iField; f++){
    unsigned long long t;
    if( i>=(int)hdrSize ) return -1;
    i += getVarint(a+i, &t);
    if( f<iField ){
      static const int aLen[] = { 0, 1, 2, 3, 4, 6, 8, 8, 0, 0 };
      off += t<10 ? aLen[t] : (int)((t-12)/2);
    }else st = t;
  }
  if( st==0 ){ if( iField==0 ) bufPrintf(b, "%lld", rowid); else bufAdd(b, "NULL", 4); }
  else if( st<=6 || st==8 || st==9 ){
    static const int aLen[] = { 0, 1, 2, 3, 4, 6, 8 };
    long long v = 0;
    int k, len = st<=6 ? aLen[st] : 0;
    if( st==8 ) v = 0; else if( st==9 ) v = 1;
    else{ v = (signed char)a[off]; for(k=1; k<len; k++) v = (v<<8) | a[off+k]; }
    bufPrintf(b, "%lld", v);
  }else if( st>=13 && (st & 1) ){
    bufAdd(b, (const char*)a+off, (size_t)(st-13)/2);
  }else if( st>=12 ){
    bufHex(b, a+off, (int)(st-12)/2);
  }else return -1;
  return off <= n ? 0 : -1;
}

/* ---------------------------------------------------------------------------
** The data set
*/
#define MAXROW 4000

static int bodyLen(int id, int ver, int big){ return big ? 200 + (id*131 + ver*17) % 2800 : 10 + (id*7 + ver) % 60; }

static const char *MARKER = "PLAINTEXT-MARKER-7c1e";
static int gMarker = 0;                    /* bodies spell MARKER (the plaintext scan) */

static void body(int id, int ver, u8 *a, int n){
  int k;
  for(k=0; k<n; k++){
    a[k] = gMarker ? (u8)MARKER[k % 21] : (u8)((id*31 + ver*7 + k*13) ^ (k>>3));
  }
}

static int nameOf(int id, int ver, char *z){ return snprintf(z, 40, "name-%05d-v%d", (id*7919) % MAXROW, ver); }

typedef struct Model { int aVer[MAXROW+1]; int big; unsigned tRoot, iRoot; } Model;

static int rowRecord(const Model *m, int id, int ver, u8 *a){
  static u8 aBody[4096];
  char zName[40];
  Field f[3];
  int nb = bodyLen(id, ver, m->big);
  body(id, ver, aBody, nb);
  f[0].type = 0;
  f[1].type = 3; f[1].a = (const u8*)zName; f[1].n = nameOf(id, ver, zName);
  f[2].type = 4; f[2].a = aBody; f[2].n = nb;
  return makeRecord(a, f, 3);
}

static int keyRecord(int id, int ver, u8 *a){
  char zName[40];
  Field f[2];
  f[0].type = 3; f[0].a = (const u8*)zName; f[0].n = nameOf(id, ver, zName);
  f[1].type = 1; f[1].i = id;
  return makeRecord(a, f, 2);
}

static void expectedDump(const Model *m, Buf *b){
  static u8 a[8192];
  int id;
  for(id=1; id<=MAXROW; id++){
    if( m->aVer[id]==0 ) continue;
    int n = rowRecord(m, id, m->aVer[id], a);
    dumpField(b, a, n, 0, id); bufAdd(b, "|", 1);
    dumpField(b, a, n, 1, id); bufAdd(b, "|", 1);
    dumpField(b, a, n, 2, id); bufAdd(b, "\n", 1);
  }
}

/* ---------------------------------------------------------------------------
** The oracle, in a child process (its SQLite must not share our locks).
** Returns its exit status; its stdout goes to *pOut when pOut is not NULL.
*/
static int oracle(const char *zKey, int noCkpt, const char *zDb, const char *zSql, Buf *pOut){
  int fd[2], status = 0;
  pid_t pid;
  if( pipe(fd) ) return -1;
  pid = fork();
  if( pid==0 ){
    dup2(fd[1], 1); close(fd[0]); close(fd[1]);
    if( zKey ) setenv("ANCDB_ORACLE_KEY", zKey, 1); else unsetenv("ANCDB_ORACLE_KEY");
    if( noCkpt ) execl(gOracle, gOracle, "-nockpt", zDb, zSql, (char*)0);
    else execl(gOracle, gOracle, zDb, zSql, (char*)0);
    _exit(127);
  }
  close(fd[1]);
  for(;;){
    char a[65536];
    ssize_t n = read(fd[0], a, sizeof(a));
    if( n<0 && errno==EINTR ) continue;
    if( n<=0 ) break;
    if( pOut ) bufAdd(pOut, a, (size_t)n);
  }
  close(fd[0]);
  waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
}

static void oracleDump(const char *zKey, const char *zDb, Buf *b, int *pRc){
  *pRc = oracle(zKey, 0, zDb, "SELECT id, name, body FROM t ORDER BY id", b);
}

static int oracleIntegrityOk(const char *zKey, const char *zDb){
  Buf b = {0};
  int rc = oracle(zKey, 0, zDb, "PRAGMA integrity_check", &b);
  int ok = rc==0 && b.z && strcmp(b.z, "ok\n")==0;
  if( !ok ) fprintf(stderr, "  oracle integrity_check on %s: rc %d: %s\n", zDb, rc, b.z ? b.z : "");
  free(b.z);
  return ok;
}

/* ---------------------------------------------------------------------------
** ANC-DB side
*/
static int openKey(const char *zPath, int wal, const char *zKey, ancdb_db *pDb, char *zErr, int nErr){
  uint32_t flags = ANCDB_OPEN_CREATE | (wal ? ANCDB_OPEN_WAL : 0);
  return ancdb_open_key(zPath, flags, 0, 1000, 0, 0, zKey, zKey ? (int32_t)strlen(zKey) : 0, zErr, nErr, pDb);
}

static void pathOf(char *z, size_t n, const char *zName){ snprintf(z, n, "%s/%s", gDir, zName); }

static void removeDb(const char *zPath){
  static const char *azSuffix[] = { "", "-journal", "-wal", "-shm" };
  char z[600];
  size_t i;
  for(i=0; i<4; i++){ snprintf(z, sizeof(z), "%s%s", zPath, azSuffix[i]); unlink(z); }
}

/* Look up table "t" and index "t_name" in sqlite_schema. */
static int findRoots(ancdb_db db, Model *m){
  ancdb_cursor c = 0;
  int rc = ancdb_cursor_open(db, 1, 0, 0, &c);
  static u8 a[8192];
  for(rc = rc ? rc : ancdb_cursor_first(c); rc==ANCDB_OK; rc = ancdb_cursor_next(c)){
    uint32_t sz = 0;
    Buf name = {0}, root = {0};
    if( ancdb_cursor_payload_size(c, &sz) || sz>sizeof(a) || ancdb_cursor_payload(c, 0, sz, a) ) return ANCDB_ERROR;
    dumpField(&name, a, (int)sz, 1, 0);
    dumpField(&root, a, (int)sz, 3, 0);
    if( strcmp(name.z, "t")==0 ) m->tRoot = (unsigned)atoi(root.z);
    if( strcmp(name.z, "t_name")==0 ) m->iRoot = (unsigned)atoi(root.z);
    free(name.z); free(root.z);
  }
  ancdb_cursor_close(c);
  return rc==ANCDB_DONE ? ANCDB_OK : rc;
}

/* Dump t through ANC-DB, in a read transaction of its own; walk t_name too
** (so every page of both b-trees is read).  Returns the first failing code. */
static int ancDump(ancdb_db db, Model *m, Buf *b){
  static u8 a[8192];
  ancdb_cursor c = 0;
  int rc = ancdb_begin(db, 0, 0);
  if( rc ) return rc;
  rc = findRoots(db, m);
  if( rc==ANCDB_OK ) rc = ancdb_cursor_open(db, m->tRoot, 0, 0, &c);
  for(rc = rc ? rc : ancdb_cursor_first(c); rc==ANCDB_OK; rc = ancdb_cursor_next(c)){
    uint32_t sz = 0;
    int64_t rowid = 0;
    rc = ancdb_cursor_rowid(c, &rowid);
    if( rc==ANCDB_OK ) rc = ancdb_cursor_payload_size(c, &sz);
    if( rc==ANCDB_OK && sz>sizeof(a) ) rc = ANCDB_ERROR;
    if( rc==ANCDB_OK ) rc = ancdb_cursor_payload(c, 0, sz, a);
    if( rc ) break;
    dumpField(b, a, (int)sz, 0, rowid); bufAdd(b, "|", 1);
    dumpField(b, a, (int)sz, 1, rowid); bufAdd(b, "|", 1);
    dumpField(b, a, (int)sz, 2, rowid); bufAdd(b, "\n", 1);
  }
  if( rc==ANCDB_DONE && m->iRoot ){
    int64_t n = 0;
    rc = ancdb_cursor_open(db, m->iRoot, 0, 2, &c);
    if( rc==ANCDB_OK ) rc = ancdb_cursor_count(c, &n);
    if( rc==ANCDB_OK ) rc = ANCDB_DONE;
  }
  ancdb_rollback(db);
  return rc==ANCDB_DONE ? ANCDB_OK : rc;
}

/* Create t and t_name (as the SQL layer would) in one transaction. */
static int createSchema(ancdb_db db, Model *m){
  static const char *zT = "CREATE TABLE t(id INTEGER PRIMARY KEY, name TEXT, body BLOB)";
  static const char *zI = "CREATE INDEX t_name ON t(name)";
  u8 a[512];
  Field f[5];
  ancdb_cursor c = 0;
  uint32_t cookie = 0;
  int rc = ancdb_begin(db, 1, &cookie);
  if( rc==ANCDB_OK ) rc = ancdb_btree_create(db, ANCDB_BTREE_TABLE, &m->tRoot);
  if( rc==ANCDB_OK ) rc = ancdb_btree_create(db, ANCDB_BTREE_INDEX, &m->iRoot);
  if( rc==ANCDB_OK ) rc = ancdb_cursor_open(db, 1, ANCDB_CURSOR_WRITE, 0, &c);
  f[0].type = 3; f[2].type = 3; f[2].a = (const u8*)"t"; f[2].n = 1; f[3].type = 1; f[4].type = 3;
  f[0].a = (const u8*)"table"; f[0].n = 5; f[1] = f[2]; f[3].i = m->tRoot; f[4].a = (const u8*)zT; f[4].n = (int)strlen(zT);
  if( rc==ANCDB_OK ) rc = ancdb_cursor_insert_row(c, 1, a, makeRecord(a, f, 5));
  f[0].a = (const u8*)"index"; f[1].type = 3; f[1].a = (const u8*)"t_name"; f[1].n = 6;
  f[3].i = m->iRoot; f[4].a = (const u8*)zI; f[4].n = (int)strlen(zI);
  if( rc==ANCDB_OK ) rc = ancdb_cursor_insert_row(c, 2, a, makeRecord(a, f, 5));
  if( rc==ANCDB_OK ) rc = ancdb_meta_set(db, ANCDB_META_SCHEMA_VERSION, cookie+1);
  if( rc==ANCDB_OK ) rc = ancdb_commit(db); else ancdb_rollback(db);
  return rc;
}

/* Set rows [lo, hi] (step) to version ver (0: delete) in one transaction. */
static int writeRows(ancdb_db db, Model *m, int lo, int hi, int step, int ver){
  static u8 a[8192];
  ancdb_cursor tc = 0, ic = 0;
  int rc = ancdb_begin(db, 1, 0), id, res = 0;
  if( rc==ANCDB_OK && m->tRoot==0 ) rc = findRoots(db, m);
  if( rc==ANCDB_OK ) rc = ancdb_cursor_open(db, m->tRoot, ANCDB_CURSOR_WRITE, 0, &tc);
  if( rc==ANCDB_OK ) rc = ancdb_cursor_open(db, m->iRoot, ANCDB_CURSOR_WRITE, 2, &ic);
  for(id=lo; rc==ANCDB_OK && id<=hi; id+=step){
    if( m->aVer[id] ){                               /* drop the old index entry */
      int n = keyRecord(id, m->aVer[id], a);
      rc = ancdb_cursor_seek_key(ic, a, n, 0, &res);
      if( rc==ANCDB_OK && res==0 ) rc = ancdb_cursor_delete(ic);
    }
    if( rc==ANCDB_OK && ver==0 && m->aVer[id] ){
      rc = ancdb_cursor_seek_rowid(tc, id, &res);
      if( rc==ANCDB_OK && res==0 ) rc = ancdb_cursor_delete(tc);
    }else if( rc==ANCDB_OK && ver ){
      rc = ancdb_cursor_insert_row(tc, id, a, rowRecord(m, id, ver, a));
      if( rc==ANCDB_OK ) rc = ancdb_cursor_insert_key(ic, a, keyRecord(id, ver, a));
    }
  }
  if( rc==ANCDB_OK ) rc = ancdb_commit(db); else ancdb_rollback(db);
  if( rc==ANCDB_OK ) for(id=lo; id<=hi; id+=step) m->aVer[id] = ver;
  return rc;
}

/* ANC-DB's dump of zPath (opened with zKey) equals the model's. */
static void checkAncdbReads(const char *zPath, const char *zKey, int wal, Model *m, const char *zWhat){
  ancdb_db db = 0;
  char zErr[256];
  Buf got = {0}, want = {0};
  int rc = openKey(zPath, wal, zKey, &db, zErr, sizeof(zErr));
  CHECK_MSG(rc==ANCDB_OK, "%s: open: %d %s", zWhat, rc, zErr);
  if( rc ) return;
  rc = ancDump(db, m, &got);
  expectedDump(m, &want);
  CHECK_MSG(rc==ANCDB_OK && got.z && want.z && strcmp(got.z, want.z)==0,
            "%s: ANC-DB read %d, %zu bytes, want %zu", zWhat, rc, got.n, want.n);
  ancdb_close(db);
  free(got.z); free(want.z);
}

/* The oracle's dump of zPath equals the model's, and its integrity check passes. */
static void checkOracleReads(const char *zPath, const char *zKey, Model *m, const char *zWhat){
  Buf got = {0}, want = {0};
  int rc;
  oracleDump(zKey, zPath, &got, &rc);
  expectedDump(m, &want);
  CHECK_MSG(rc==0 && got.z && want.z && strcmp(got.z, want.z)==0,
            "%s: oracle read rc %d, %zu bytes, want %zu", zWhat, rc, got.n, want.n);
  CHECK_MSG(oracleIntegrityOk(zKey, zPath), "%s: oracle integrity_check", zWhat);
  free(got.z); free(want.z);
}

/* ---------------------------------------------------------------------------
** Files
*/
static long long fileSize(const char *zPath){
  struct stat st;
  return stat(zPath, &st)==0 ? (long long)st.st_size : -1;
}

static int fileExists(const char *zPath){ return access(zPath, F_OK)==0; }

/* FNV-1a of a file's bytes (to show a refused open wrote nothing). */
static unsigned long long fileHash(const char *zPath){
  unsigned long long h = 1469598103934665603ull;
  u8 a[4096];
  ssize_t n, i;
  int fd = open(zPath, O_RDONLY);
  if( fd<0 ) return 0;
  while( (n = read(fd, a, sizeof(a)))>0 ) for(i=0; i<n; i++){ h ^= a[i]; h *= 1099511628211ull; }
  close(fd);
  return h;
}

static void flipBit(const char *zPath, long long off, int bit){
  u8 b;
  int fd = open(zPath, O_RDWR);
  if( fd<0 || pread(fd, &b, 1, off)!=1 ){ perror(zPath); exit(2); }
  b ^= (u8)(1<<bit);
  if( pwrite(fd, &b, 1, off)!=1 ){ perror(zPath); exit(2); }
  close(fd);
}

/* Does the file contain the string z? */
static int fileContains(const char *zPath, const char *z){
  size_t n = strlen(z);
  long long sz = fileSize(zPath);
  u8 *a;
  int fd, found = 0;
  long long i;
  if( sz<=0 ) return 0;
  a = malloc((size_t)sz);
  fd = open(zPath, O_RDONLY);
  if( a==0 || fd<0 || read(fd, a, (size_t)sz)!=sz ){ perror(zPath); exit(2); }
  close(fd);
  for(i=0; i+(long long)n<=sz && !found; i++) found = memcmp(a+i, z, n)==0;
  free(a);
  return found;
}

static int copyFile(const char *zFrom, const char *zTo){
  char zCmd[1400];
  snprintf(zCmd, sizeof(zCmd), "cp -f '%s' '%s'", zFrom, zTo);
  return fileExists(zFrom) ? system(zCmd) : (unlink(zTo), 0);
}

/* ---------------------------------------------------------------------------
** Tests
*/

/* Without libcrypto (a child that cannot load it): an encrypted open fails,
** naming the library; plain files still open. */
static void testNoLibcrypto(void){
  char zPath[512], zErr[256];
  int status = 0;
  pid_t pid;
  pathOf(zPath, sizeof(zPath), "nolib.db");
  removeDb(zPath);
  pid = fork();
  if( pid==0 ){
    ancdb_db db = 0;
    int rc, ok;
    setenv("ANCDB_LIBCRYPTO", "/nonexistent/libcrypto.so.3", 1);
    rc = openKey(zPath, 0, KEY_RAW, &db, zErr, sizeof(zErr));
    ok = rc==ANCDB_CANTOPEN && strstr(zErr, "libcrypto")!=0 && !fileExists(zPath);
    if( !ok ) fprintf(stderr, "  keyed open without libcrypto: %d %s\n", rc, zErr);
    rc = openKey(zPath, 0, 0, &db, zErr, sizeof(zErr));
    ok = ok && rc==ANCDB_OK && ancdb_close(db)==ANCDB_OK;
    _exit(ok ? 0 : 1);
  }
  waitpid(pid, &status, 0);
  CHECK(WIFEXITED(status) && WEXITSTATUS(status)==0);
}

/* ANC-DB writes (rows, updates, deletes), reads back, and the oracle reads
** the same rows with integrity_check ok; then the oracle writes and ANC-DB
** reads that back. */
static void testAncdbToOracle(int wal, const char *zKey, int big, const char *zName){
  char zPath[512], zErr[256], zWhat[128];
  ancdb_db db = 0;
  Model *m = calloc(1, sizeof(Model));
  int n = big ? 2000 : 300, rc, id;
  Buf sql = {0};
  pathOf(zPath, sizeof(zPath), zName);
  removeDb(zPath);
  m->big = big;
  snprintf(zWhat, sizeof(zWhat), "%s (%s, %s key, %s)", zName, wal ? "WAL" : "DELETE",
           zKey==KEY_PASS ? "passphrase" : "raw", big ? "multi-MB" : "small");
  rc = openKey(zPath, wal, zKey, &db, zErr, sizeof(zErr));
  CHECK_MSG(rc==ANCDB_OK, "%s: create: %d %s", zWhat, rc, zErr);
  if( rc ){ free(m); return; }
  CHECK_RC(createSchema(db, m), ANCDB_OK);
  CHECK_RC(writeRows(db, m, 1, n, 1, 1), ANCDB_OK);
  CHECK_RC(writeRows(db, m, 1, n, 3, 2), ANCDB_OK);        /* updates */
  CHECK_RC(writeRows(db, m, 2, n, 5, 0), ANCDB_OK);        /* deletes */
  CHECK_RC(ancdb_close(db), ANCDB_OK);
  CHECK_MSG(!fileContains(zPath, "SQLite format 3") && !fileContains(zPath, "CREATE TABLE"),
            "%s: plaintext in the file", zWhat);
  if( big ) CHECK_MSG(fileSize(zPath) > 3*1024*1024, "%s: %lld bytes", zWhat, fileSize(zPath));
  checkAncdbReads(zPath, zKey, wal, m, zWhat);
  checkOracleReads(zPath, zKey, m, zWhat);

  /* The oracle writes: deletes, and rows of the model inserted with SQL. */
  bufPrintf(&sql, "DELETE FROM t WHERE id %% 7 = 0;");
  for(id=1; id<=n; id++) if( id%7==0 ) m->aVer[id] = 0;
  for(id=n+1; id<=n+5; id++){
    static u8 aBody[4096];
    char zN[40];
    int nb = bodyLen(id, 3, big);
    nameOf(id, 3, zN);
    body(id, 3, aBody, nb);
    bufPrintf(&sql, "INSERT INTO t VALUES(%d, '%s', ", id, zN);
    bufHex(&sql, aBody, nb);
    bufAdd(&sql, ");", 2);
    m->aVer[id] = 3;
  }
  rc = oracle(zKey, 0, zPath, sql.z, 0);
  CHECK_MSG(rc==0, "%s: oracle write: %d", zWhat, rc);
  checkAncdbReads(zPath, zKey, wal, m, zWhat);
  free(sql.z);
  free(m);
}

/* The oracle writes (tables and an index made with SQL, updates, deletes, the
** WAL left uncheckpointed); ANC-DB reads every row as the oracle does, writes
** more, and the oracle reads those back with integrity_check ok. */
static void testOracleToAncdb(int wal, const char *zKey, const char *zName){
  char zPath[512], zErr[256], zSql[1024];
  ancdb_db db = 0;
  Model *m = calloc(1, sizeof(Model));
  Buf want = {0}, got = {0}, want2 = {0}, got2 = {0};
  int rc;
  pathOf(zPath, sizeof(zPath), zName);
  removeDb(zPath);
  snprintf(zSql, sizeof(zSql),
    "PRAGMA journal_mode=%s; PRAGMA wal_autocheckpoint=0;"
    "CREATE TABLE t(id INTEGER PRIMARY KEY, name TEXT, body BLOB);"
    "CREATE INDEX t_name ON t(name);"
    "CREATE TABLE other(x);"
    "WITH RECURSIVE c(i) AS (VALUES(1) UNION ALL SELECT i+1 FROM c WHERE i<3000)"
    " INSERT INTO t SELECT i, printf('o%%05d', (i*7919)%%3000), randomblob(100 + (i*37)%%1900) FROM c;"
    "UPDATE t SET name = name || '-u', body = randomblob(50) WHERE id %% 3 = 0;"
    "DELETE FROM t WHERE id %% 5 = 1;", wal ? "WAL" : "DELETE");
  rc = oracle(zKey, 1, zPath, zSql, 0);
  CHECK_MSG(rc==0, "%s: oracle create: %d", zName, rc);
  if( wal ){
    char zWal[600];
    snprintf(zWal, sizeof(zWal), "%s-wal", zPath);
    CHECK_MSG(fileSize(zPath) < 64*1024 && fileSize(zWal) > 1024*1024, "%s: the WAL was checkpointed (db %lld bytes)",
              zName, fileSize(zPath));
  }
  oracleDump(zKey, zPath, &want, &rc);      /* -nockpt not needed: reading leaves no frames */
  CHECK(rc==0 && want.n > 100000);
  rc = openKey(zPath, wal, zKey, &db, zErr, sizeof(zErr));
  CHECK_MSG(rc==ANCDB_OK, "%s: open: %d %s", zName, rc, zErr);
  if( rc==ANCDB_OK ){
    CHECK_RC(ancDump(db, m, &got), ANCDB_OK);
    CHECK_MSG(got.z && strcmp(got.z, want.z)==0, "%s: ANC-DB read %zu bytes, oracle %zu", zName, got.n, want.n);
    CHECK_RC(writeRows(db, m, 3001, 3400, 1, 1), ANCDB_OK);
    CHECK_RC(writeRows(db, m, 3001, 3400, 4, 0), ANCDB_OK);
    CHECK_RC(ancDump(db, m, &got2), ANCDB_OK);
    CHECK_RC(ancdb_close(db), ANCDB_OK);
  }
  oracleDump(zKey, zPath, &want2, &rc);
  CHECK_MSG(rc==0 && got2.z && want2.z && strcmp(got2.z, want2.z)==0, "%s: oracle read back %zu bytes, ANC-DB %zu",
            zName, want2.n, got2.n);
  CHECK_MSG(oracleIntegrityOk(zKey, zPath), "%s: oracle integrity_check after ANC-DB wrote", zName);
  free(want.z); free(got.z); free(want2.z); free(got2.z); free(m);
}

/* Wrong key, plaintext with a key, encrypted without one: ANCDB_NOTADB, and
** nothing written. */
static void testWrongKey(void){
  char zEnc[512], zPlain[512], zErr[256], zSide[600];
  ancdb_db db = 0;
  Model m;
  unsigned long long h;
  memset(&m, 0, sizeof(m));
  pathOf(zEnc, sizeof(zEnc), "wrongkey.db");
  pathOf(zPlain, sizeof(zPlain), "plain.db");
  removeDb(zEnc); removeDb(zPlain);
  CHECK_RC(openKey(zEnc, 0, KEY_RAW, &db, zErr, sizeof(zErr)), ANCDB_OK);
  CHECK_RC(createSchema(db, &m), ANCDB_OK);
  CHECK_RC(writeRows(db, &m, 1, 200, 1, 1), ANCDB_OK);
  CHECK_RC(ancdb_close(db), ANCDB_OK);
  memset(&m, 0, sizeof(m));
  CHECK_RC(openKey(zPlain, 0, 0, &db, zErr, sizeof(zErr)), ANCDB_OK);
  CHECK_RC(createSchema(db, &m), ANCDB_OK);
  CHECK_RC(ancdb_close(db), ANCDB_OK);

  h = fileHash(zEnc);
  CHECK_RC(openKey(zEnc, 0, KEY_PASS, &db, zErr, sizeof(zErr)), ANCDB_NOTADB);
  CHECK_MSG(strstr(zErr, "wrong key")!=0, "message: %s", zErr);
  CHECK_RC(openKey(zEnc, 0, KEY_RAW_SALT, &db, zErr, sizeof(zErr)), ANCDB_NOTADB);
  CHECK_MSG(strstr(zErr, "salt")!=0, "message: %s", zErr);
  CHECK_RC(openKey(zEnc, 0, 0, &db, zErr, sizeof(zErr)), ANCDB_NOTADB);
  CHECK_MSG(strstr(zErr, "encrypted")!=0, "message: %s", zErr);
  CHECK(fileHash(zEnc)==h && db==0);
  snprintf(zSide, sizeof(zSide), "%s-journal", zEnc);
  CHECK(!fileExists(zSide));
  h = fileHash(zPlain);
  CHECK_RC(openKey(zPlain, 0, KEY_RAW, &db, zErr, sizeof(zErr)), ANCDB_NOTADB);
  CHECK_MSG(strstr(zErr, "not encrypted")!=0, "message: %s", zErr);
  CHECK(fileHash(zPlain)==h);
  CHECK_MSG(strstr(zErr, "2dd29ca8")==0 && strstr(zErr, "horse")==0, "key in message: %s", zErr);
  /* The oracle agrees that the wrong key does not open it. */
  CHECK(oracle(KEY_PASS, 0, zEnc, "SELECT count(*) FROM t", 0)!=0);
  CHECK(oracle(KEY_RAW, 0, zEnc, "SELECT count(*) FROM t", 0)==0);
}

/* Read the whole file (both b-trees); the first error code, and its message. */
static int readAll(const char *zPath, int wal, const char *zKey, char *zMsg, int nMsg){
  ancdb_db db = 0;
  Model m;
  Buf b = {0};
  int rc;
  memset(&m, 0, sizeof(m));
  rc = openKey(zPath, wal, zKey, &db, zMsg, nMsg);
  if( rc ) return rc;
  rc = ancDump(db, &m, &b);
  if( rc ) ancdb_errmsg(db, zMsg, nMsg);
  ancdb_close(db);
  free(b.z);
  return rc;
}

/* A flipped bit in any byte class of a sample of pages: SQLITE_CORRUPT naming
** the page (page 1: at open), never wrong data; a flipped salt bit changes
** every key, so it reads as a wrong key (ANCDB_NOTADB). */
static void testTamper(void){
  static const struct { const char *zClass; int off; } aClass[] = {
    { "body", 100 }, { "body", 4000 }, { "IV", 4016 }, { "IV", 4031 }, { "HMAC", 4032 }, { "HMAC", 4095 },
  };
  char zPath[512], zMsg[300];
  ancdb_db db = 0;
  Model m;
  long long nPage, aPage[4];
  size_t c;
  int p;
  memset(&m, 0, sizeof(m));
  pathOf(zPath, sizeof(zPath), "tamper.db");
  removeDb(zPath);
  CHECK_RC(openKey(zPath, 0, KEY_RAW, &db, zMsg, sizeof(zMsg)), ANCDB_OK);
  CHECK_RC(createSchema(db, &m), ANCDB_OK);
  CHECK_RC(writeRows(db, &m, 1, 600, 1, 1), ANCDB_OK);
  CHECK_RC(ancdb_close(db), ANCDB_OK);
  nPage = fileSize(zPath) / 4096;
  aPage[0] = 1; aPage[1] = 2; aPage[2] = nPage/2; aPage[3] = nPage;
  CHECK_RC(readAll(zPath, 0, KEY_RAW, zMsg, sizeof(zMsg)), ANCDB_OK);
  for(p=0; p<4; p++){
    for(c=0; c<sizeof(aClass)/sizeof(aClass[0]); c++){
      long long off = (aPage[p]-1)*4096 + aClass[c].off;
      char zWant[32];
      int rc;
      flipBit(zPath, off, (int)(c % 8));
      rc = readAll(zPath, 0, KEY_RAW, zMsg, sizeof(zMsg));
      snprintf(zWant, sizeof(zWant), "page %lld:", aPage[p]);
      CHECK_MSG(rc==ANCDB_CORRUPT && strstr(zMsg, zWant)!=0,
                "page %lld %s byte %d: rc %d, message %s", aPage[p], aClass[c].zClass, aClass[c].off, rc, zMsg);
      flipBit(zPath, off, (int)(c % 8));
    }
  }
  flipBit(zPath, 5, 3);                                   /* the salt */
  CHECK_RC(readAll(zPath, 0, KEY_RAW, zMsg, sizeof(zMsg)), ANCDB_NOTADB);
  flipBit(zPath, 5, 3);
  CHECK_RC(readAll(zPath, 0, KEY_RAW, zMsg, sizeof(zMsg)), ANCDB_OK);
  CHECK(oracleIntegrityOk(KEY_RAW, zPath));
}

/* A flipped bit in a WAL frame's page, read through a live wal-index (the
** writer still has the file open): SQLITE_CORRUPT naming the page and frame. */
static void testWalTamper(void){
  char zPath[512], zWal[600], zMsg[300], zWant[64];
  ancdb_db db = 0;
  Model m;
  u8 hdr[24];
  int fd, rc;
  long long nFrame, off;
  memset(&m, 0, sizeof(m));
  pathOf(zPath, sizeof(zPath), "waltamper.db");
  snprintf(zWal, sizeof(zWal), "%s-wal", zPath);
  removeDb(zPath);
  CHECK_RC(openKey(zPath, 1, KEY_RAW, &db, zMsg, sizeof(zMsg)), ANCDB_OK);
  CHECK_RC(createSchema(db, &m), ANCDB_OK);
  CHECK_RC(writeRows(db, &m, 1, 300, 1, 1), ANCDB_OK);
  nFrame = (fileSize(zWal) - 32) / (24 + 4096);
  CHECK(nFrame>2);
  off = 32 + (nFrame-1)*(24 + 4096);                      /* the last frame */
  fd = open(zWal, O_RDONLY);
  CHECK(fd>=0 && pread(fd, hdr, 24, off)==24);
  if( fd>=0 ) close(fd);
  flipBit(zWal, off + 24 + 1000, 2);
  rc = readAll(zPath, 1, KEY_RAW, zMsg, sizeof(zMsg));
  snprintf(zWant, sizeof(zWant), "page %u: WAL frame %lld", (unsigned)(hdr[0]<<24 | hdr[1]<<16 | hdr[2]<<8 | hdr[3]), nFrame);
  CHECK_MSG(rc==ANCDB_CORRUPT && strstr(zMsg, zWant)!=0, "WAL frame tamper: rc %d, message %s (want %s)", rc, zMsg, zWant);
  flipBit(zWal, off + 24 + 1000, 2);
  CHECK_RC(readAll(zPath, 1, KEY_RAW, zMsg, sizeof(zMsg)), ANCDB_OK);
  CHECK_RC(ancdb_close(db), ANCDB_OK);
}

/* A child that writes marker-laden rows, then dies by SIGKILL inside a
** write transaction that spilled pages to disk (tiny cache). */
static void crashMidTransaction(const char *zPath, int wal){
  pid_t pid = fork();
  int status = 0;
  if( pid==0 ){
    ancdb_db db = 0;
    char zErr[256];
    Model m;
    memset(&m, 0, sizeof(m));
    m.big = 1;
    gMarker = 1;
    if( ancdb_open_key(zPath, ANCDB_OPEN_CREATE | (wal ? ANCDB_OPEN_WAL : 0), 8, 1000, 0, 0,
                       KEY_RAW, (int32_t)strlen(KEY_RAW), zErr, sizeof(zErr), &db) ) _exit(3);
    if( createSchema(db, &m) || writeRows(db, &m, 1, 400, 1, 1) ) _exit(4);
    /* begin, rewrite everything (spilling), and die before commit */
    {
      static u8 a[8192];
      ancdb_cursor tc = 0;
      int id;
      if( ancdb_begin(db, 1, 0) || ancdb_cursor_open(db, m.tRoot, ANCDB_CURSOR_WRITE, 0, &tc) ) _exit(5);
      for(id=1; id<=400; id++) if( ancdb_cursor_insert_row(tc, id, a, rowRecord(&m, id, 2, a)) ) _exit(6);
      kill(getpid(), SIGKILL);
    }
    _exit(7);
  }
  waitpid(pid, &status, 0);
  CHECK_MSG(WIFSIGNALED(status) && WTERMSIG(status)==SIGKILL, "crash child status %d", status);
}

static void checkNoMarker(const char *zPath, const char *zWhen){
  static const char *azSuffix[] = { "", "-journal", "-wal", "-shm" };
  char z[600];
  size_t i;
  for(i=0; i<4; i++){
    snprintf(z, sizeof(z), "%s%s", zPath, azSuffix[i]);
    CHECK_MSG(!fileContains(z, MARKER), "marker found in %s %s", z, zWhen);
  }
}

/* No plaintext on disk after a crash mid-transaction and after recovery and
** a checkpoint; the rollback journal's pages are encrypted and checked. */
static void testCrashAndMarker(int wal){
  char zPath[512], zCopy[512], zSide[600], zCopySide[600], zMsg[300];
  ancdb_db db = 0;
  Model m;
  int id, nFound = 0;
  memset(&m, 0, sizeof(m));
  m.big = 1;
  pathOf(zPath, sizeof(zPath), wal ? "crash-wal.db" : "crash-del.db");
  pathOf(zCopy, sizeof(zCopy), wal ? "crash-wal-copy.db" : "crash-del-copy.db");
  removeDb(zPath); removeDb(zCopy);
  crashMidTransaction(zPath, wal);
  snprintf(zSide, sizeof(zSide), "%s%s", zPath, wal ? "-wal" : "-journal");
  CHECK_MSG(fileSize(zSide) > 8*4096, "%s: %lld bytes", zSide, fileSize(zSide));
  checkNoMarker(zPath, "after the crash");
  /* the marker really is in the data: the model's rows carry it */
  gMarker = 1;
  {
    static u8 a[8192];
    int n = rowRecord(&m, 1, 1, a), k;
    for(k=0; k+(int)strlen(MARKER)<=n && !nFound; k++) nFound = memcmp(a+k, MARKER, strlen(MARKER))==0;
  }
  CHECK(nFound);
  if( !wal ){                                     /* a copy with one journal page flipped */
    snprintf(zCopySide, sizeof(zCopySide), "%s-journal", zCopy);
    copyFile(zPath, zCopy);
    copyFile(zSide, zCopySide);
    {
      u8 h[28];
      int fd = open(zCopySide, O_RDONLY);
      long long sector;
      CHECK(fd>=0 && pread(fd, h, 28, 0)==28);
      if( fd>=0 ) close(fd);
      sector = (long long)h[20]<<24 | h[21]<<16 | h[22]<<8 | h[23];
      flipBit(zCopySide, sector + 4 + 2000, 5);  /* page image of the first record */
    }
    CHECK_RC(readAll(zCopy, 0, KEY_RAW, zMsg, sizeof(zMsg)), ANCDB_CORRUPT);
    CHECK_MSG(strstr(zMsg, "rollback journal")!=0 && strstr(zMsg, "page ")!=0, "journal tamper message: %s", zMsg);
  }
  for(id=1; id<=400; id++) m.aVer[id] = 1;
  checkAncdbReads(zPath, KEY_RAW, wal, &m, wal ? "after a crash (WAL)" : "after a crash (DELETE)");
  CHECK_RC(openKey(zPath, wal, KEY_RAW, &db, zMsg, sizeof(zMsg)), ANCDB_OK);
  CHECK_RC(ancdb_checkpoint(db, ANCDB_CHECKPOINT_FULL, 0, 0), ANCDB_OK);
  checkNoMarker(zPath, "after recovery and a checkpoint");
  CHECK_RC(ancdb_close(db), ANCDB_OK);
  checkOracleReads(zPath, KEY_RAW, &m, "after a crash");
  gMarker = 0;
}

/* The fault VFS stacks under the cipher layer: its counters see the writes,
** its faults reach the database, and the file is still the oracle's format. */
static void testFaultUnderCipher(void){
  char zPath[512], zErr[256];
  ancdb_db db = 0;
  Model m;
  int64_t nWrite = 0;
  int rc;
  memset(&m, 0, sizeof(m));
  pathOf(zPath, sizeof(zPath), "fault.db");
  removeDb(zPath);
  CHECK_RC(ancdb_fault_reset(0, 0), ANCDB_OK);
  rc = ancdb_open_key(zPath, ANCDB_OPEN_CREATE, 0, 1000, 0, "ancdb-fault", KEY_RAW, (int32_t)strlen(KEY_RAW),
                      zErr, sizeof(zErr), &db);
  CHECK_MSG(rc==ANCDB_OK, "open through ancdb-fault: %d %s", rc, zErr);
  if( rc ) return;
  CHECK_RC(createSchema(db, &m), ANCDB_OK);
  CHECK_RC(writeRows(db, &m, 1, 100, 1, 1), ANCDB_OK);
  CHECK_RC(ancdb_fault_count(ANCDB_FAULT_WRITE, &nWrite), ANCDB_OK);
  CHECK(nWrite > 0);
  CHECK_RC(ancdb_fault_arm(ANCDB_FAULT_WRITE, 2, ANCDB_FAULT_IOERR, 0), ANCDB_OK);
  rc = writeRows(db, &m, 1, 100, 1, 2);
  CHECK_MSG((rc & 0xff)==ANCDB_IOERR, "write under an injected fault: %d", rc);
  CHECK_RC(ancdb_fault_disarm(), ANCDB_OK);
  CHECK_RC(ancdb_close(db), ANCDB_OK);
  checkOracleReads(zPath, KEY_RAW, &m, "written through the fault VFS");
}

/* ---------------------------------------------------------------------------
** Rekey, encrypt, decrypt
*/
static int rekey(const char *zPath, const char *zOld, const char *zNew, char *zErr, int nErr){
  return ancdb_rekey(zPath, 0, zOld, zOld ? (int32_t)strlen(zOld) : 0, zNew, zNew ? (int32_t)strlen(zNew) : 0, zErr, nErr);
}

static int isWalFile(const char *zPath, const char *zKey){
  ancdb_db db = 0;
  char zErr[256];
  int32_t isWal = -1;
  if( ancdb_open_key(zPath, ANCDB_OPEN_KEEP_JOURNAL, 0, 0, 0, 0, zKey, zKey ? (int32_t)strlen(zKey) : 0,
                     zErr, sizeof(zErr), &db) ) return -1;
  ancdb_is_wal(db, &isWal);
  ancdb_close(db);
  return isWal;
}

/* Key change, decryption and encryption; each result read by ANC-DB and the
** oracle, the old key refused, the journal mode kept. */
static void testRekey(int wal){
  char zPath[512], zErr[300];
  ancdb_db db = 0;
  Model *m = calloc(1, sizeof(Model));
  unsigned long long h;
  int id;
  pathOf(zPath, sizeof(zPath), wal ? "rekey-wal.db" : "rekey-del.db");
  removeDb(zPath);
  m->big = 1;
  CHECK_RC(openKey(zPath, wal, KEY_RAW, &db, zErr, sizeof(zErr)), ANCDB_OK);
  CHECK_RC(createSchema(db, m), ANCDB_OK);
  CHECK_RC(writeRows(db, m, 1, 600, 1, 1), ANCDB_OK);
  CHECK_RC(writeRows(db, m, 1, 600, 4, 0), ANCDB_OK);
  /* Another connection reading: refused, nothing changed. */
  h = fileHash(zPath);
  CHECK_RC(ancdb_begin(db, 0, 0), ANCDB_OK);
  CHECK_RC(rekey(zPath, KEY_RAW, KEY_RAW_SALT, zErr, sizeof(zErr)), ANCDB_BUSY);
  CHECK_MSG(strstr(zErr, "in use")!=0, "message %s", zErr);
  CHECK(fileHash(zPath)==h);
  CHECK_RC(ancdb_rollback(db), ANCDB_OK);
  CHECK_RC(ancdb_close(db), ANCDB_OK);
  /* A wrong old key: refused, nothing changed. */
  h = fileHash(zPath);
  CHECK_RC(rekey(zPath, KEY_RAW_SALT, KEY_PASS, zErr, sizeof(zErr)), ANCDB_NOTADB);
  CHECK_MSG(strstr(zErr, "wrong key")!=0 && strstr(zErr, "2dd29")==0, "message %s", zErr);
  CHECK(fileHash(zPath)==h);
  /* Rows the oracle deleted, left in its WAL (WAL mode): the rekey takes them along. */
  CHECK_RC(oracle(KEY_RAW, 1, zPath, "DELETE FROM t WHERE id % 11 = 0", 0), 0);
  for(id=1; id<=600; id++) if( id%11==0 ) m->aVer[id] = 0;
  if( wal ){
    char zWal[600];
    snprintf(zWal, sizeof(zWal), "%s-wal", zPath);
    CHECK_MSG(fileSize(zWal) > 4096, "the oracle left no WAL frames: %lld bytes", fileSize(zWal));
  }
  /* Raw key -> raw key with its own salt. */
  CHECK_MSG(rekey(zPath, KEY_RAW, KEY_RAW_SALT, zErr, sizeof(zErr))==ANCDB_OK, "rekey: %s", zErr);
  CHECK(isWalFile(zPath, KEY_RAW_SALT)==wal);
  CHECK_RC(readAll(zPath, wal, KEY_RAW, zErr, sizeof(zErr)), ANCDB_NOTADB);
  checkAncdbReads(zPath, KEY_RAW_SALT, wal, m, "after a key change");
  checkOracleReads(zPath, KEY_RAW_SALT, m, "after a key change");
  /* Decrypt. */
  CHECK_MSG(rekey(zPath, KEY_RAW_SALT, 0, zErr, sizeof(zErr))==ANCDB_OK, "decrypt: %s", zErr);
  CHECK(isWalFile(zPath, 0)==wal);
  CHECK(fileContains(zPath, "SQLite format 3") && fileContains(zPath, "CREATE TABLE t"));
  checkAncdbReads(zPath, 0, wal, m, "after decryption");
  checkOracleReads(zPath, 0, m, "after decryption");
  /* Encrypt, with a passphrase. */
  CHECK_MSG(rekey(zPath, 0, KEY_PASS, zErr, sizeof(zErr))==ANCDB_OK, "encrypt: %s", zErr);
  CHECK(!fileContains(zPath, "CREATE TABLE t"));
  checkAncdbReads(zPath, KEY_PASS, wal, m, "after encryption");
  checkOracleReads(zPath, KEY_PASS, m, "after encryption");
  free(m);
}

/* kill -9 at random points of rekeys (alternating key change, decryption,
** encryption): the file always opens with the old key or the new one, with
** every row.  Seed: CIPHER_SEED (printed). */
static void testRekeyCrash(void){
  const char *azKey[3];
  char zPath[512], zErr[300];
  ancdb_db db = 0;
  Model *m = calloc(1, sizeof(Model));
  unsigned seed = getenv("CIPHER_SEED") ? (unsigned)strtoul(getenv("CIPHER_SEED"), 0, 10) : (unsigned)getpid();
  int cur = 0, trial, nOld = 0, nNew = 0;
  long usFull;
  struct timespec t0, t1;
  azKey[0] = KEY_RAW; azKey[1] = KEY_RAW_SALT; azKey[2] = 0;
  printf("cipher_test: rekey crash seed %u (replay: CIPHER_SEED=%u)\n", seed, seed);
  srand(seed);
  pathOf(zPath, sizeof(zPath), "rekey-crash.db");
  removeDb(zPath);
  m->big = 1;
  CHECK_RC(openKey(zPath, 0, azKey[cur], &db, zErr, sizeof(zErr)), ANCDB_OK);
  CHECK_RC(createSchema(db, m), ANCDB_OK);
  CHECK_RC(writeRows(db, m, 1, 1500, 1, 1), ANCDB_OK);
  CHECK_RC(ancdb_close(db), ANCDB_OK);
  clock_gettime(CLOCK_MONOTONIC, &t0);
  CHECK_RC(rekey(zPath, azKey[cur], azKey[1], zErr, sizeof(zErr)), ANCDB_OK);
  clock_gettime(CLOCK_MONOTONIC, &t1);
  cur = 1;
  usFull = (t1.tv_sec - t0.tv_sec)*1000000L + (t1.tv_nsec - t0.tv_nsec)/1000;
  for(trial=0; trial<16; trial++){
    int next = (cur + 1) % 3, status = 0, okOld, okNew;
    long us = (long)(rand() % (int)(2*usFull + 1));   /* the child also forks and opens */
    pid_t pid = fork();
    if( pid==0 ){
      rekey(zPath, azKey[cur], azKey[next], zErr, sizeof(zErr));
      _exit(0);
    }
    usleep((useconds_t)us);
    kill(pid, SIGKILL);
    waitpid(pid, &status, 0);
    okOld = readAll(zPath, 0, azKey[cur], zErr, sizeof(zErr))==ANCDB_OK;
    okNew = readAll(zPath, 0, azKey[next], zErr, sizeof(zErr))==ANCDB_OK;
    CHECK_MSG(okOld!=okNew, "trial %d (kill after %ld us of %ld): opens with old key %d, new key %d",
              trial, us, usFull, okOld, okNew);
    if( okNew ){ cur = next; nNew++; }else nOld++;
    checkAncdbReads(zPath, azKey[cur], 0, m, "after a killed rekey");
  }
  printf("cipher_test: rekey killed 16 times (%ld us each in full): %d left the old key, %d the new\n",
         usFull, nOld, nNew);
  CHECK(oracleIntegrityOk(azKey[cur], zPath));
  free(m);
}

/* A passphrase file's exported raw key (key and salt) opens it in ANC-DB
** and in the oracle; a plaintext file has none to export. */
static void testKeyExport(const char *zName){
  char zPath[512], zErr[256], zRaw[128];
  ancdb_db db = 0;
  Buf a = {0}, b = {0};
  int rc;
  pathOf(zPath, sizeof(zPath), zName);
  CHECK_RC(openKey(zPath, 0, KEY_PASS, &db, zErr, sizeof(zErr)), ANCDB_OK);
  CHECK_RC(ancdb_key_export(db, zRaw, 99), ANCDB_MISUSE);
  CHECK_RC(ancdb_key_export(db, zRaw, sizeof(zRaw)), ANCDB_OK);
  CHECK(strlen(zRaw)==99 && zRaw[0]=='x' && zRaw[1]=='\'' && zRaw[98]=='\'');
  CHECK_RC(ancdb_close(db), ANCDB_OK);
  oracleDump(KEY_PASS, zPath, &a, &rc);
  CHECK(rc==0);
  oracleDump(zRaw, zPath, &b, &rc);
  CHECK(rc==0 && a.z && b.z && strcmp(a.z, b.z)==0);
  CHECK_RC(readAll(zPath, 0, zRaw, zErr, sizeof(zErr)), ANCDB_OK);
  pathOf(zPath, sizeof(zPath), "plain.db");
  CHECK_RC(openKey(zPath, 0, 0, &db, zErr, sizeof(zErr)), ANCDB_OK);
  CHECK_RC(ancdb_key_export(db, zRaw, sizeof(zRaw)), ANCDB_MISMATCH);
  CHECK_RC(ancdb_close(db), ANCDB_OK);
  free(a.z); free(b.z);
}

int main(int argc, char **argv){
  if( argc<3 ){ fprintf(stderr, "usage: %s DIR ORACLE\n", argv[0]); return 2; }
  gDir = argv[1];
  gOracle = argv[2];
  testNoLibcrypto();                       /* first: before this process loads libcrypto */
  testWrongKey();
  testTamper();
  testWalTamper();
  testCrashAndMarker(0);
  testCrashAndMarker(1);
  testFaultUnderCipher();
  testAncdbToOracle(0, KEY_RAW, 0, "a2o-del-raw.db");
  testAncdbToOracle(1, KEY_RAW_SALT, 0, "a2o-wal-rawsalt.db");
  testAncdbToOracle(0, KEY_PASS, 1, "a2o-del-pass-big.db");
  testKeyExport("a2o-del-pass-big.db");
  testAncdbToOracle(1, KEY_PASS, 1, "a2o-wal-pass-big.db");
  testOracleToAncdb(0, KEY_PASS, "o2a-del-pass.db");
  testOracleToAncdb(1, KEY_RAW, "o2a-wal-raw.db");
  testRekey(0);
  testRekey(1);
  testRekeyCrash();
  printf("cipher_test: %d passed, %d failed\n", nPass, nFail);
  return nFail ? 1 : 0;
}

/*
** shim_test.c -- C-level tests of the ancdb shim, run against a SQLITE_DEBUG
** build of the shipped core (all of SQLite's assertions on) so misuse that the shim lets through
** aborts here instead of corrupting a file later.
**
** Usage: shim_test DIR   (DIR: a scratch directory; "--write-row-one FILE V"
** is the writer child process of testKeptRead)
** Prints "N passed, N failed" last; exits non-zero on any failure.
*/
#include "ancdb.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <stdint.h>

static int nPass = 0, nFail = 0;
#define CHECK(cond) do{ if(cond){ nPass++; }else{ nFail++; \
  fprintf(stderr, "FAIL %s:%d: %s\n", __FILE__, __LINE__, #cond); } }while(0)
#define CHECK_RC(expr, want) do{ int rc_ = (expr); if(rc_==(want)){ nPass++; }else{ nFail++; \
  fprintf(stderr, "FAIL %s:%d: %s returned %d, want %d\n", __FILE__, __LINE__, #expr, rc_, want); } }while(0)

/* Record of one integer and one text field: header(3) + int + text. */
static int makeRow(unsigned char *a, long long v, const char *z){
  int n = (int)strlen(z), i = 0, hdr = 3;
  a[i++] = (unsigned char)hdr;
  a[i++] = 6;                        /* 8-byte integer */
  a[i++] = (unsigned char)(13 + 2*n); /* text, n < 57 */
  for(int k=7; k>=0; k--) a[i++] = (unsigned char)(v >> (8*k));
  memcpy(a+i, z, (size_t)n);
  return i + n;
}

/* Index key (text, rowid). */
static int makeKey(unsigned char *a, const char *z, long long rowid){
  int n = (int)strlen(z), i = 0;
  a[i++] = 3; a[i++] = (unsigned char)(13 + 2*n); a[i++] = 6;
  memcpy(a+i, z, (size_t)n); i += n;
  for(int k=7; k>=0; k--) a[i++] = (unsigned char)(rowid >> (8*k));
  return i;
}

/* sqlite_schema row (type, name, tbl_name, rootpage, sql); strings < 57 bytes. */
static int makeSchemaRow(unsigned char *a, const char *type, const char *name, const char *tbl,
                         unsigned root, const char *sql){
  const char *z[3] = { type, name, tbl };
  int i = 0, k, nSql = (int)strlen(sql);
  a[i++] = 7;                                   /* header: 1 + 3 + 1 + 2 bytes */
  for(k=0; k<3; k++) a[i++] = (unsigned char)(13 + 2*strlen(z[k]));
  a[i++] = 4;                                   /* 4-byte integer */
  a[i++] = (unsigned char)(0x80 | ((13 + 2*nSql) >> 7));
  a[i++] = (unsigned char)((13 + 2*nSql) & 0x7f);
  for(k=0; k<3; k++){ memcpy(a+i, z[k], strlen(z[k])); i += (int)strlen(z[k]); }
  a[i++] = 0; a[i++] = 0; a[i++] = (unsigned char)(root >> 8); a[i++] = (unsigned char)root;
  memcpy(a+i, sql, (size_t)nSql);
  return i + nSql;
}

static void testBasic(const char *dir, int wal){
  char path[512];
  ancdb_db db = 0;
  ancdb_cursor cur = 0, idx = 0;
  uint32_t root = 0, iroot = 0, cookie = 0, v = 0;
  unsigned char buf[128];
  int32_t res = 0, eof = 0, lvl = 0;
  int64_t rowid = 0, cnt = 0;
  char err[256];
  snprintf(path, sizeof(path), "%s/basic%d.db", dir, wal);
  unlink(path);
  CHECK_RC(ancdb_open(path, ANCDB_OPEN_CREATE | (wal ? ANCDB_OPEN_WAL : 0), 0, 0, 0, err, sizeof(err), &db), ANCDB_OK);
  CHECK(db!=0);
  int32_t isWal = -1;
  CHECK_RC(ancdb_is_wal(db, &isWal), ANCDB_OK);
  CHECK(isWal==wal);

  CHECK_RC(ancdb_begin(db, 1, &cookie), ANCDB_OK);
  CHECK_RC(ancdb_btree_create(db, ANCDB_BTREE_TABLE, &root), ANCDB_OK);
  CHECK(root==2);
  CHECK_RC(ancdb_btree_create(db, ANCDB_BTREE_INDEX, &iroot), ANCDB_OK);
  {
    ancdb_cursor sc = 0;
    unsigned char row[512];
    int n;
    CHECK_RC(ancdb_cursor_open(db, 1, ANCDB_CURSOR_WRITE, 0, &sc), ANCDB_OK);
    n = makeSchemaRow(row, "table", "t", "t", root, "CREATE TABLE t(n INTEGER, name TEXT)");
    CHECK_RC(ancdb_cursor_insert_row(sc, 1, row, n), ANCDB_OK);
    n = makeSchemaRow(row, "index", "t_name", "t", iroot, "CREATE INDEX t_name ON t(name)");
    CHECK_RC(ancdb_cursor_insert_row(sc, 2, row, n), ANCDB_OK);
    CHECK_RC(ancdb_cursor_close(sc), ANCDB_OK);
  }
  CHECK_RC(ancdb_cursor_open(db, root, ANCDB_CURSOR_WRITE, 0, &cur), ANCDB_OK);
  CHECK_RC(ancdb_cursor_open(db, iroot, ANCDB_CURSOR_WRITE, 2, &idx), ANCDB_OK);
  for(int i=1; i<=1000; i++){
    char z[32]; snprintf(z, sizeof(z), "name-%04d", 1001-i);
    int n = makeRow(buf, i*10LL, z);
    CHECK_RC(ancdb_cursor_insert_row(cur, i, buf, n), ANCDB_OK);
    n = makeKey(buf, z, i);
    CHECK_RC(ancdb_cursor_insert_key(idx, buf, n), ANCDB_OK);
  }
  CHECK_RC(ancdb_cursor_count(cur, &cnt), ANCDB_OK);
  CHECK(cnt==1000);
  CHECK_RC(ancdb_meta_get(db, ANCDB_META_SCHEMA_VERSION, &v), ANCDB_OK);
  CHECK_RC(ancdb_meta_set(db, ANCDB_META_SCHEMA_VERSION, v+1), ANCDB_OK);
  CHECK_RC(ancdb_meta_set(db, ANCDB_META_LARGEST_ROOT, 7), ANCDB_RANGE);
  CHECK_RC(ancdb_commit(db), ANCDB_OK);
  /* Cursors die with their transaction. */
  CHECK_RC(ancdb_cursor_first(cur), ANCDB_MISUSE);
  CHECK_RC(ancdb_cursor_close(cur), ANCDB_MISUSE);

  CHECK_RC(ancdb_begin(db, 0, &cookie), ANCDB_OK);
  CHECK(cookie==v+1);
  CHECK_RC(ancdb_cursor_open(db, root, 0, 0, &cur), ANCDB_OK);
  CHECK_RC(ancdb_cursor_seek_rowid(cur, 500, &res), ANCDB_OK);
  CHECK(res==0);
  CHECK_RC(ancdb_cursor_rowid(cur, &rowid), ANCDB_OK);
  CHECK(rowid==500);
  uint32_t sz = 0;
  CHECK_RC(ancdb_cursor_payload_size(cur, &sz), ANCDB_OK);
  CHECK(sz==3+8+9);
  CHECK_RC(ancdb_cursor_payload(cur, 0, sz, buf), ANCDB_OK);
  CHECK(memcmp(buf+11, "name-0501", 9)==0);
  CHECK_RC(ancdb_cursor_payload(cur, 1, sz, buf), ANCDB_RANGE);
  {
    unsigned char g[64];
    int32_t n = -1;
    CHECK_RC(ancdb_table_get(db, root, 500, g, sizeof(g), &n), ANCDB_OK);
    CHECK(n==(int32_t)sz && memcmp(g, buf, (size_t)sz)==0);
    CHECK_RC(ancdb_table_get(db, root, 500, g, 4, &n), ANCDB_OK);     /* too small: size only */
    CHECK(n==(int32_t)sz);
    CHECK_RC(ancdb_table_get(db, root, 123456, g, sizeof(g), &n), ANCDB_DONE);
    CHECK_RC(ancdb_table_get(db, iroot, 1, g, sizeof(g), &n), ANCDB_CORRUPT); /* an index b-tree */
    CHECK_RC(ancdb_table_get(db, root+2, 1, g, sizeof(g), &n), ANCDB_RANGE);  /* not a root */
  }
  CHECK_RC(ancdb_cursor_insert_row(cur, 5, buf, (int)sz), ANCDB_READONLY);
  CHECK_RC(ancdb_cursor_open(db, root, ANCDB_CURSOR_WRITE, 0, &idx), ANCDB_MISUSE);
  /* index: seek the first key >= "name-0100" (prefix, bias>0) */
  CHECK_RC(ancdb_cursor_open(db, iroot, 0, 2, &idx), ANCDB_OK);
  unsigned char k[32]; k[0]=2; k[1]=13+2*9; memcpy(k+2, "name-0100", 9);
  CHECK_RC(ancdb_cursor_seek_key(idx, k, 11, 1, &res), ANCDB_OK);
  if( res<0 ) CHECK_RC(ancdb_cursor_next(idx), ANCDB_OK);
  CHECK_RC(ancdb_cursor_payload_size(idx, &sz), ANCDB_OK);
  CHECK_RC(ancdb_cursor_payload(idx, 0, sz, buf), ANCDB_OK);
  CHECK(memcmp(buf+3, "name-0100", 9)==0);
  CHECK(buf[12+7]==(901 & 0xff));    /* rowid 901 */
  /* malformed keys are refused before SQLite sees them */
  k[1] = 13+2*40;
  CHECK_RC(ancdb_cursor_seek_key(idx, k, 11, 1, &res), ANCDB_MISMATCH);
  CHECK_RC(ancdb_cursor_seek_rowid(idx, 1, &res), ANCDB_MISMATCH);
  int steps = 0;
  CHECK_RC(ancdb_cursor_first(cur), ANCDB_OK);
  do{ steps++; }while( ancdb_cursor_next(cur)==ANCDB_OK );
  CHECK(steps==1000);
  CHECK_RC(ancdb_cursor_eof(cur, &eof), ANCDB_OK);
  CHECK(eof==1);
  CHECK_RC(ancdb_cursor_close(cur), ANCDB_OK);
  CHECK_RC(ancdb_cursor_close(idx), ANCDB_OK);
  uint32_t roots[2] = { root, iroot };
  int32_t nErr = -1;
  char report[512];
  CHECK_RC(ancdb_integrity_check(db, roots, 2, 10, report, sizeof(report), &nErr), ANCDB_OK);
  CHECK(nErr==0);
  CHECK_RC(ancdb_commit(db), ANCDB_OK);

  /* savepoints */
  CHECK_RC(ancdb_savepoint_begin(db, &lvl), ANCDB_MISUSE);
  CHECK_RC(ancdb_begin(db, 1, 0), ANCDB_OK);
  CHECK_RC(ancdb_savepoint_begin(db, &lvl), ANCDB_OK);
  CHECK(lvl==1);
  CHECK_RC(ancdb_cursor_open(db, root, ANCDB_CURSOR_WRITE, 0, &cur), ANCDB_OK);
  int n = makeRow(buf, 1, "sp1");
  CHECK_RC(ancdb_cursor_insert_row(cur, 2001, buf, n), ANCDB_OK);
  CHECK_RC(ancdb_savepoint_begin(db, &lvl), ANCDB_OK);
  CHECK(lvl==2);
  CHECK_RC(ancdb_cursor_insert_row(cur, 2002, buf, n), ANCDB_OK);
  CHECK_RC(ancdb_savepoint_rollback(db, 2), ANCDB_OK);
  CHECK_RC(ancdb_cursor_first(cur), ANCDB_MISUSE);   /* closed by rollback-to */
  CHECK_RC(ancdb_savepoint_release(db, 1), ANCDB_OK);
  CHECK_RC(ancdb_savepoint_release(db, 1), ANCDB_RANGE);
  CHECK_RC(ancdb_commit(db), ANCDB_OK);
  CHECK_RC(ancdb_begin(db, 0, 0), ANCDB_OK);
  CHECK_RC(ancdb_cursor_open(db, root, 0, 0, &cur), ANCDB_OK);
  CHECK_RC(ancdb_cursor_seek_rowid(cur, 2001, &res), ANCDB_OK); CHECK(res==0);
  CHECK_RC(ancdb_cursor_seek_rowid(cur, 2002, &res), ANCDB_OK); CHECK(res!=0);
  CHECK_RC(ancdb_rollback(db), ANCDB_OK);

  /* drop */
  CHECK_RC(ancdb_begin(db, 1, 0), ANCDB_OK);
  CHECK_RC(ancdb_btree_drop(db, 1), ANCDB_RANGE);
  CHECK_RC(ancdb_cursor_open(db, iroot, 0, 2, &idx), ANCDB_OK);
  CHECK_RC(ancdb_btree_drop(db, iroot), ANCDB_LOCKED);
  CHECK_RC(ancdb_cursor_close(idx), ANCDB_OK);
  CHECK_RC(ancdb_btree_drop(db, iroot), ANCDB_OK);
  CHECK_RC(ancdb_cursor_open(db, iroot, 0, 2, &idx), ANCDB_RANGE);   /* dropped: no root any more */
  CHECK_RC(ancdb_btree_drop(db, iroot), ANCDB_RANGE);
  CHECK_RC(ancdb_rollback(db), ANCDB_OK);
  /* pages that are not b-tree roots are refused: a leaf of table t */
  CHECK_RC(ancdb_begin(db, 1, 0), ANCDB_OK);
  {
    uint32_t leaf = root + 2;                   /* the table spans many pages by now */
    if( leaf==iroot ) leaf++;
    CHECK_RC(ancdb_btree_drop(db, leaf), ANCDB_RANGE);
    CHECK_RC(ancdb_cursor_open(db, leaf, ANCDB_CURSOR_WRITE, 0, &cur), ANCDB_RANGE);
  }
  CHECK_RC(ancdb_rollback(db), ANCDB_OK);

  CHECK_RC(ancdb_close(db), ANCDB_OK);
  CHECK_RC(ancdb_close(db), ANCDB_MISUSE);
  CHECK_RC(ancdb_begin(db, 0, 0), ANCDB_MISUSE);
}

static void testMisuse(const char *dir){
  char path[512], err[256];
  ancdb_db db = 0;
  int32_t st;
  CHECK_RC(ancdb_begin(0, 0, 0), ANCDB_MISUSE);
  CHECK_RC(ancdb_begin(0xdeadbeefcafeULL, 0, 0), ANCDB_MISUSE);
  CHECK_RC(ancdb_cursor_next(0x123456789ULL), ANCDB_MISUSE);
  CHECK_RC(ancdb_txn_state(1, &st), ANCDB_MISUSE);
  CHECK_RC(ancdb_open(0, 0, 0, 0, 0, err, sizeof(err), &db), ANCDB_MISUSE);
  snprintf(path, sizeof(path), "%s/missing/nothere.db", dir);
  CHECK(ancdb_open(path, 0, 0, 0, 0, err, sizeof(err), &db)==ANCDB_CANTOPEN);
  CHECK(db==0);
  CHECK(strstr(err, "missing")==0);       /* no path in messages */
  /* a file that is not a database */
  snprintf(path, sizeof(path), "%s/garbage.db", dir);
  FILE *f = fopen(path, "w");
  for(int i=0; i<8192; i++) fputc('x', f);
  fclose(f);
  CHECK_RC(ancdb_open(path, 0, 0, 0, 0, err, sizeof(err), &db), ANCDB_NOTADB);
  /* read-only */
  snprintf(path, sizeof(path), "%s/basic0.db", dir);
  CHECK_RC(ancdb_open(path, ANCDB_OPEN_READONLY, 0, 0, 0, err, sizeof(err), &db), ANCDB_OK);
  CHECK_RC(ancdb_begin(db, 1, 0), ANCDB_READONLY);
  CHECK_RC(ancdb_commit(db), ANCDB_MISUSE);
  char msg[256];
  CHECK_RC(ancdb_errmsg(db, msg, sizeof(msg)), ANCDB_OK);
  CHECK(strstr(msg, "no transaction")!=0);
  CHECK_RC(ancdb_close(db), ANCDB_OK);
  /* A forged handle naming the now-free slot with its current (even)
  ** generation must not reach the recycled object. */
  ancdb_db forged = ((uint64_t)((uint32_t)(db>>32) + 1) << 32) | (db & 0xffffffffu);
  CHECK_RC(ancdb_begin(forged, 0, 0), ANCDB_MISUSE);
  CHECK_RC(ancdb_close(forged), ANCDB_MISUSE);
}

/* Batch reads (ancdb_cursor_fetch) and inserts after a seek (the seek hint):
** rows go in in a scrambled order, each after a seek of its rowid, with
** deletes in between; every batch must then agree with the rows written. */
static void testFetchAndSeekHint(const char *dir){
  char path[512], err[256], rep[256];
  ancdb_db db = 0;
  ancdb_cursor cur = 0, idx = 0, sc = 0;
  uint32_t root = 0, iroot = 0, cookie = 0, aRoot[3];
  unsigned char row[512], *buf;
  int32_t res = 0, n = 0, done = 0, nByte = 0, nErr = -1;
  int i, total, N = 3000;
  long long prev;
  static char present[3001];
  snprintf(path, sizeof(path), "%s/fetch.db", dir);
  unlink(path);
  buf = aligned_alloc(8, 65536);
  CHECK_RC(ancdb_open(path, ANCDB_OPEN_CREATE, 0, 0, 0, err, sizeof(err), &db), ANCDB_OK);
  CHECK_RC(ancdb_begin(db, 1, &cookie), ANCDB_OK);
  CHECK_RC(ancdb_btree_create(db, ANCDB_BTREE_TABLE, &root), ANCDB_OK);
  CHECK_RC(ancdb_btree_create(db, ANCDB_BTREE_INDEX, &iroot), ANCDB_OK);
  CHECK_RC(ancdb_cursor_open(db, 1, ANCDB_CURSOR_WRITE, 0, &sc), ANCDB_OK);
  n = makeSchemaRow(row, "table", "f", "f", root, "CREATE TABLE f(n INTEGER, name TEXT)");
  CHECK_RC(ancdb_cursor_insert_row(sc, 1, row, n), ANCDB_OK);
  n = makeSchemaRow(row, "index", "f_name", "f", iroot, "CREATE INDEX f_name ON f(name)");
  CHECK_RC(ancdb_cursor_insert_row(sc, 2, row, n), ANCDB_OK);
  CHECK_RC(ancdb_cursor_open(db, root, ANCDB_CURSOR_WRITE, 0, &cur), ANCDB_OK);
  CHECK_RC(ancdb_cursor_open(db, iroot, ANCDB_CURSOR_WRITE, 2, &idx), ANCDB_OK);
  memset(present, 0, sizeof(present));
  for(i=0; i<N; i++){
    long long r = 1 + (i*7919LL) % N;         /* a permutation of 1..N */
    char z[32];
    snprintf(z, sizeof(z), "k%05lld", (r*31) % 100000);
    CHECK_RC(ancdb_cursor_seek_rowid(cur, r, &res), i==0 ? ANCDB_DONE : ANCDB_OK);  /* DONE: empty */
    CHECK(i==0 || res!=0);
    n = makeRow(row, r, z);
    CHECK_RC(ancdb_cursor_insert_row(cur, r, row, n), ANCDB_OK);
    n = makeKey(row, z, r);
    CHECK_RC(ancdb_cursor_insert_key(idx, row, n), ANCDB_OK);
    present[r] = 1;
    if( i%7==3 ){                             /* a seek, then a write elsewhere: hint stale */
      long long d = 1 + ((i-3)*7919LL) % N;
      CHECK_RC(ancdb_cursor_seek_rowid(cur, N+1, &res), ANCDB_OK);
      CHECK_RC(ancdb_cursor_seek_rowid(cur, d, &res), ANCDB_OK);
      CHECK(res==0);
      CHECK_RC(ancdb_cursor_delete(cur), ANCDB_OK);
      snprintf(z, sizeof(z), "k%05lld", (d*31) % 100000);
      n = makeKey(row, z, d);
      CHECK_RC(ancdb_cursor_seek_key(idx, row, n, 0, &res), ANCDB_OK);
      CHECK(res==0);
      CHECK_RC(ancdb_cursor_delete(idx), ANCDB_OK);
      present[d] = 0;
    }
  }
  /* Appends: each seek after an insert at the end takes the no-descent path. */
  for(i=N+1; i<=N+5000; i++){
    CHECK_RC(ancdb_cursor_seek_rowid(cur, i, &res), ANCDB_OK);
    CHECK(res<0);
    n = makeRow(row, i, "append");
    CHECK_RC(ancdb_cursor_insert_row(cur, i, row, n), ANCDB_OK);
    if( i%1000==0 ){                       /* an existing key seen from the end: still found */
      CHECK_RC(ancdb_cursor_seek_rowid(cur, i-500, &res), ANCDB_OK);
      CHECK(res==0);
      CHECK_RC(ancdb_cursor_seek_rowid(cur, i, &res), ANCDB_OK);
      CHECK(res==0);
    }
  }
  CHECK_RC(ancdb_cursor_delete(cur), ANCDB_OK);     /* drop the last append again */
  CHECK_RC(ancdb_cursor_seek_rowid(cur, N+5000, &res), ANCDB_OK);
  CHECK(res!=0);
  CHECK_RC(ancdb_cursor_seek_rowid(cur, N+5001, &res), ANCDB_OK);
  CHECK(res<0);
  {
    int64_t cnt = 0, lastRowid = 0;
    CHECK_RC(ancdb_cursor_last(cur), ANCDB_OK);
    CHECK_RC(ancdb_cursor_rowid(cur, &lastRowid), ANCDB_OK);
    CHECK(lastRowid==N+4999);
    CHECK_RC(ancdb_cursor_count(cur, &cnt), ANCDB_OK);
    int expect = 0;
    for(i=1; i<=N; i++) expect += present[i];
    CHECK(cnt==expect+4999);
  }
  CHECK_RC(ancdb_cursor_seek_rowid(cur, N+1, &res), ANCDB_OK);   /* the appended rows go again */
  while( 1 ){
    int64_t rid = 0;
    CHECK_RC(ancdb_cursor_rowid(cur, &rid), ANCDB_OK);
    if( rid<=N ) break;
    CHECK_RC(ancdb_cursor_delete(cur), ANCDB_OK);
    if( ancdb_cursor_seek_rowid(cur, N+1, &res)!=ANCDB_OK ) break;
    if( res<0 && ancdb_cursor_next(cur)!=ANCDB_OK ) break;
  }
  CHECK_RC(ancdb_commit(db), ANCDB_OK);
  aRoot[0] = 1; aRoot[1] = root; aRoot[2] = iroot;
  CHECK_RC(ancdb_begin(db, 0, &cookie), ANCDB_OK);
  CHECK_RC(ancdb_integrity_check(db, aRoot, 3, 10, rep, sizeof(rep), &nErr), ANCDB_OK);
  CHECK(nErr==0);

  /* Forward over the whole table in batches of at most 100. */
  CHECK_RC(ancdb_cursor_open(db, root, 0, 0, &cur), ANCDB_OK);
  CHECK_RC(ancdb_cursor_first(cur), ANCDB_OK);
  total = 0; prev = 0; done = 0;
  while( !done ){
    unsigned off = 0;
    CHECK_RC(ancdb_cursor_fetch(cur, 0, 1, 100, INT64_MAX, buf, 65536, &n, &done, &nByte), ANCDB_OK);
    CHECK(n>0 || done);
    for(i=0; i<n; i++){
      long long rid; int32_t nA, nB; unsigned char want[64]; int nw;
      char z[32];
      memcpy(&rid, buf+off, 8); memcpy(&nA, buf+off+8, 4); memcpy(&nB, buf+off+12, 4);
      CHECK(rid>prev && rid<=N && present[rid] && nB==0);
      snprintf(z, sizeof(z), "k%05lld", (rid*31) % 100000);
      nw = makeRow(want, rid, z);
      CHECK(nA==nw && memcmp(buf+off+16, want, (size_t)nw)==0);
      prev = rid; total++;
      off += (unsigned)((16 + nA + nB + 7) & ~7);
    }
    CHECK(off==(unsigned)nByte);
  }
  {
    int expect = 0;
    for(i=1; i<=N; i++) expect += present[i];
    CHECK(total==expect);
  }
  /* Backward from the last row, stopping at rowid 2001; a tiny buffer first. */
  CHECK_RC(ancdb_cursor_last(cur), ANCDB_OK);
  CHECK_RC(ancdb_cursor_fetch(cur, 0, -1, 100, 2001, buf, 8, &n, &done, &nByte), ANCDB_OK);
  CHECK(n==0 && done==0 && nByte==((16+20+7)&~7));
  total = 0; prev = N+1; done = 0;
  while( !done ){
    unsigned off = 0;
    CHECK_RC(ancdb_cursor_fetch(cur, 0, -1, 37, 2001, buf, 65536, &n, &done, &nByte), ANCDB_OK);
    for(i=0; i<n; i++){
      long long rid; int32_t nA, nB;
      memcpy(&rid, buf+off, 8); memcpy(&nA, buf+off+8, 4); memcpy(&nB, buf+off+12, 4);
      CHECK(rid<prev && rid>=2001);
      prev = rid; total++;
      off += (unsigned)((16 + nA + nB + 7) & ~7);
    }
    CHECK(off==(unsigned)nByte);
  }
  {
    int expect = 0;
    for(i=2001; i<=N; i++) expect += present[i];
    CHECK(total==expect);
  }
  /* Index order, with each entry's row read through a second cursor. */
  CHECK_RC(ancdb_cursor_open(db, iroot, 0, 2, &idx), ANCDB_OK);
  CHECK_RC(ancdb_cursor_first(idx), ANCDB_OK);
  CHECK_RC(ancdb_cursor_fetch(idx, idx, 1, 10, 0, buf, 65536, &n, &done, &nByte), ANCDB_MISUSE);
  CHECK_RC(ancdb_cursor_fetch(idx, cur, 1, 10, 0, buf+4, 1000, &n, &done, &nByte), ANCDB_MISUSE);
  CHECK_RC(ancdb_cursor_fetch(cur, cur, 1, 10, 0, buf, 65536, &n, &done, &nByte), ANCDB_MISUSE);
  total = 0; done = 0;
  {
    char prevKey[32] = "";
    while( !done ){
      unsigned off = 0;
      CHECK_RC(ancdb_cursor_fetch(idx, cur, 1, 64, 0, buf, 65536, &n, &done, &nByte), ANCDB_OK);
      for(i=0; i<n; i++){
        long long rid; int32_t nA, nB; char z[32];
        memcpy(&rid, buf+off, 8); memcpy(&nA, buf+off+8, 4); memcpy(&nB, buf+off+12, 4);
        CHECK(rid>=1 && rid<=N && present[rid]);
        snprintf(z, sizeof(z), "k%05lld", (rid*31) % 100000);
        CHECK(nA==3+6+8 && memcmp(buf+off+16+3, z, 6)==0);
        CHECK(strcmp(prevKey, z)<=0);
        memcpy(prevKey, z, 7);
        CHECK(nB==3+8+6 && memcmp(buf+off+16+nA+11, z, 6)==0);
        total++;
        off += (unsigned)((16 + nA + nB + 7) & ~7);
      }
      CHECK(off==(unsigned)nByte);
    }
    int expect = 0;
    for(i=1; i<=N; i++) expect += present[i];
    CHECK(total==expect);
  }
  CHECK_RC(ancdb_commit(db), ANCDB_OK);
  CHECK_RC(ancdb_close(db), ANCDB_OK);
  free(buf);
}


/* Write row 1 = (v, "kept") of table t (root 2) through a new connection and
** close it; run in a child process by keptWriterChild(). */
static int writeRowOne(const char *path, long long v){
  ancdb_db db = 0;
  ancdb_cursor cur = 0;
  unsigned char buf[64];
  char err[256];
  int rc = ancdb_open(path, ANCDB_OPEN_KEEP_JOURNAL, 0, 5000, 0, err, sizeof(err), &db);
  if( rc ) return rc;
  if( (rc = ancdb_begin(db, 1, 0))==0
   && (rc = ancdb_cursor_open(db, 2, ANCDB_CURSOR_WRITE, 0, &cur))==0
   && (rc = ancdb_cursor_insert_row(cur, 1, buf, makeRow(buf, v, "kept")))==0 ){
    rc = ancdb_commit(db);
  }
  ancdb_close(db);
  return rc;
}

static char *zSelf;                     /* argv[0]: the child re-runs this binary */

/* Another process commits v as row 1 of path, then exits. */
static int keptWriterChild(const char *path, long long v){
  char cmd[1200];
  snprintf(cmd, sizeof(cmd), "'%s' --write-row-one '%s' %lld", zSelf, path, v);
  return system(cmd);
}

/* Row 1's integer through db's open transaction, or -1. */
static long long rowOne(ancdb_db db){
  unsigned char g[64];
  int32_t n = 0;
  long long v = 0;
  if( ancdb_table_get(db, 2, 1, g, sizeof(g), &n)!=ANCDB_OK || n<11 ) return -1;
  for(int k=3; k<11; k++) v = (v<<8) | g[k];
  return v;
}

/* One read transaction on r that expects reuse wantReused and keeping
** wantKept; returns row 1's integer. */
static long long keptRead(ancdb_db r, int32_t wantReused, int32_t wantKept){
  int32_t reused = -1, kept = -1;
  long long v;
  CHECK_RC(ancdb_read_begin(r, 0, &reused), ANCDB_OK);
  CHECK(reused==wantReused);
  v = rowOne(r);
  CHECK_RC(ancdb_read_end(r, 1, &kept), ANCDB_OK);
  CHECK(kept==wantKept);
  return v;
}

/* ancdb_read_end(keep) / ancdb_read_begin(): a kept snapshot is reused
** until anything commits (this process or another), never read stale. */
static void testKeptRead(const char *dir){
  char path[512], err[256];
  ancdb_db w = 0, r = 0, d = 0;
  ancdb_cursor cur = 0;
  unsigned char row[512];
  int32_t reused = -1, kept = -1, st = -1, nLog = 0, nCkpt = 0;
  uint32_t cookie = 0;
  snprintf(path, sizeof(path), "%s/kept.db", dir);
  unlink(path);
  CHECK_RC(ancdb_open(path, ANCDB_OPEN_CREATE | ANCDB_OPEN_WAL, 0, 5000, 0, err, sizeof(err), &w), ANCDB_OK);
  CHECK_RC(ancdb_begin(w, 1, 0), ANCDB_OK);
  CHECK_RC(ancdb_btree_create(w, ANCDB_BTREE_TABLE, &cookie), ANCDB_OK);
  CHECK_RC(ancdb_cursor_open(w, 1, ANCDB_CURSOR_WRITE, 0, &cur), ANCDB_OK);
  CHECK_RC(ancdb_cursor_insert_row(cur, 1, row, makeSchemaRow(row, "table", "t", "t", 2,
           "CREATE TABLE t(n INTEGER, name TEXT)")), ANCDB_OK);
  CHECK_RC(ancdb_meta_set(w, ANCDB_META_SCHEMA_VERSION, 1), ANCDB_OK);
  CHECK_RC(ancdb_commit(w), ANCDB_OK);
  CHECK_RC(writeRowOne(path, 1), ANCDB_OK);

  CHECK_RC(ancdb_open(path, ANCDB_OPEN_KEEP_JOURNAL, 0, 5000, 0, err, sizeof(err), &r), ANCDB_OK);
  CHECK_RC(ancdb_read_end(r, 1, &kept), ANCDB_MISUSE);          /* nothing open */
  CHECK_RC(ancdb_read_begin(r, &cookie, &reused), ANCDB_OK);
  CHECK(reused==0 && cookie==1);
  CHECK(rowOne(r)==1);
  CHECK_RC(ancdb_read_end(r, 1, &kept), ANCDB_OK);
  CHECK(kept==1);
  CHECK_RC(ancdb_txn_state(r, &st), ANCDB_OK);
  CHECK(st==ANCDB_TXN_READ);                                   /* still holding its snapshot */
  CHECK_RC(ancdb_read_begin(r, &cookie, &reused), ANCDB_OK);
  CHECK(reused==1 && cookie==1);                               /* nothing committed: reused */
  CHECK_RC(ancdb_read_begin(r, &cookie, &reused), ANCDB_MISUSE);  /* one is open and not kept */
  CHECK(rowOne(r)==1);
  CHECK_RC(ancdb_read_end(r, 1, &kept), ANCDB_OK);
  CHECK(kept==1);

  /* a commit through another connection of this process, then by another process */
  CHECK_RC(writeRowOne(path, 2), ANCDB_OK);
  CHECK(keptRead(r, 0, 1)==2);
  CHECK(keptRead(r, 1, 1)==2);
  /* in WAL mode HOLD is keep: reused only while current */
  CHECK_RC(ancdb_read_begin(r, 0, &reused), ANCDB_OK);
  CHECK_RC(ancdb_read_end(r, ANCDB_READ_HOLD, &kept), ANCDB_OK);
  CHECK(reused==1 && kept==1);
  CHECK(keptWriterChild(path, 3)==0);
  CHECK(keptRead(r, 0, 1)==3);

  /* once a checkpoint copied the whole log, a kept snapshot on a read mark
  ** above 0 is let go (it would stop the next writer restarting the log) */
  CHECK_RC(ancdb_checkpoint(w, ANCDB_CHECKPOINT_PASSIVE, &nLog, &nCkpt), ANCDB_OK);
  CHECK(nLog>0 && nCkpt==nLog);
  CHECK(keptRead(r, 0, 1)==3);
  CHECK(keptRead(r, 1, 1)==3);                                /* on mark 0 now */
  CHECK(writeRowOne(path, 4)==ANCDB_OK);                        /* restarts the log beside it */
  CHECK_RC(ancdb_read_begin(r, 0, &reused), ANCDB_OK);
  CHECK(reused==0 && rowOne(r)==4);

  /* keep==0 ends it; so do begin, commit and checkpoint for a kept one */
  CHECK_RC(ancdb_read_end(r, 0, &kept), ANCDB_OK);
  CHECK(kept==0);
  CHECK_RC(ancdb_txn_state(r, &st), ANCDB_OK);
  CHECK(st==ANCDB_TXN_NONE);
  CHECK_RC(ancdb_read_begin(r, 0, &reused), ANCDB_OK);
  CHECK_RC(ancdb_read_end(r, 1, &kept), ANCDB_OK);
  CHECK_RC(ancdb_read_end(r, 0, &kept), ANCDB_OK);             /* ends the kept one */
  CHECK_RC(ancdb_txn_state(r, &st), ANCDB_OK);
  CHECK(st==ANCDB_TXN_NONE);
  CHECK_RC(ancdb_read_begin(r, 0, &reused), ANCDB_OK);
  CHECK_RC(ancdb_read_end(r, 1, &kept), ANCDB_OK);
  CHECK_RC(ancdb_checkpoint(r, ANCDB_CHECKPOINT_PASSIVE, 0, 0), ANCDB_OK);
  CHECK_RC(ancdb_read_begin(r, 0, &reused), ANCDB_OK);
  CHECK_RC(ancdb_read_end(r, 1, &kept), ANCDB_OK);
  CHECK_RC(ancdb_begin(r, 0, 0), ANCDB_OK);
  CHECK_RC(ancdb_commit(r), ANCDB_OK);
  CHECK_RC(ancdb_close(r), ANCDB_OK);

  /* a rollback journal has no shared header to check: never kept */
  snprintf(path, sizeof(path), "%s/basic0.db", dir);
  CHECK_RC(ancdb_open(path, ANCDB_OPEN_KEEP_JOURNAL, 0, 5000, 0, err, sizeof(err), &d), ANCDB_OK);
  CHECK_RC(ancdb_read_begin(d, 0, &reused), ANCDB_OK);
  CHECK_RC(ancdb_read_end(d, 1, &kept), ANCDB_OK);
  CHECK(kept==0);
  CHECK_RC(ancdb_txn_state(d, &st), ANCDB_OK);
  CHECK(st==ANCDB_TXN_NONE);
  CHECK_RC(ancdb_close(d), ANCDB_OK);
  CHECK_RC(ancdb_close(w), ANCDB_OK);
}

/* The first 100 bytes of path (the database header), or all zero. */
static void readHeader(const char *path, unsigned char h[100]){
  FILE *f = fopen(path, "rb");
  memset(h, 0, 100);
  if( f ){
    if( fread(h, 1, 100, f)!=100 ) memset(h, 0, 100);
    fclose(f);
  }
}

/* ANCDB_OPEN_KEEP_READ: the open's read transaction is left to the next
** ancdb_read_begin() when the open changed nothing; a new file gets its
** whole header (format, encoding, WAL version) in one transaction. */
static void testOpenKeepsRead(const char *dir){
  char path[512], err[256];
  ancdb_db db = 0, w = 0;
  ancdb_cursor cur = 0;
  unsigned char h[100], row[512];
  int32_t st = -1, reused = -1, kept = -1, isWal = -1;
  uint32_t cookie = 0, root = 0;
  snprintf(path, sizeof(path), "%s/keepread.db", dir);
  unlink(path);

  /* a new file: its header is written, so nothing is kept */
  CHECK_RC(ancdb_open(path, ANCDB_OPEN_CREATE | ANCDB_OPEN_WAL | ANCDB_OPEN_KEEP_READ, 0, 5000, 0,
                      err, sizeof(err), &db), ANCDB_OK);
  CHECK_RC(ancdb_txn_state(db, &st), ANCDB_OK);
  CHECK(st==ANCDB_TXN_NONE);
  CHECK_RC(ancdb_is_wal(db, &isWal), ANCDB_OK);
  CHECK(isWal==1);
  readHeader(path, h);
  CHECK(h[18]==2 && h[19]==2);                                  /* WAL version numbers */
  CHECK(h[44+3]==4 && h[56+3]==1);                              /* schema format 4, UTF-8 */
  CHECK_RC(ancdb_begin(db, 1, 0), ANCDB_OK);
  CHECK_RC(ancdb_btree_create(db, ANCDB_BTREE_TABLE, &root), ANCDB_OK);
  CHECK_RC(ancdb_cursor_open(db, 1, ANCDB_CURSOR_WRITE, 0, &cur), ANCDB_OK);
  CHECK_RC(ancdb_cursor_insert_row(cur, 1, row, makeSchemaRow(row, "table", "t", "t", root,
           "CREATE TABLE t(n INTEGER, name TEXT)")), ANCDB_OK);
  CHECK_RC(ancdb_meta_set(db, ANCDB_META_SCHEMA_VERSION, 7), ANCDB_OK);
  CHECK_RC(ancdb_commit(db), ANCDB_OK);
  CHECK(root==2);
  CHECK_RC(writeRowOne(path, 5), ANCDB_OK);

  /* an existing file in the wanted mode: the open's transaction is continued once */
  CHECK_RC(ancdb_open(path, ANCDB_OPEN_WAL | ANCDB_OPEN_KEEP_READ, 0, 5000, 0, err, sizeof(err), &w), ANCDB_OK);
  CHECK_RC(ancdb_txn_state(w, &st), ANCDB_OK);
  CHECK(st==ANCDB_TXN_READ);
  CHECK_RC(ancdb_read_begin(w, &cookie, &reused), ANCDB_OK);
  CHECK(reused==1 && cookie==7);
  CHECK(rowOne(w)==5);
  CHECK_RC(ancdb_read_end(w, 0, &kept), ANCDB_OK);
  CHECK(kept==0);
  CHECK_RC(ancdb_read_begin(w, &cookie, &reused), ANCDB_OK);
  CHECK(reused==0 && cookie==7);
  CHECK_RC(ancdb_read_end(w, 0, &kept), ANCDB_OK);
  CHECK_RC(ancdb_close(w), ANCDB_OK);

  /* a write after the open ends the kept transaction first */
  CHECK_RC(ancdb_open(path, ANCDB_OPEN_WAL | ANCDB_OPEN_KEEP_READ, 0, 5000, 0, err, sizeof(err), &w), ANCDB_OK);
  CHECK_RC(ancdb_begin(w, 1, &cookie), ANCDB_OK);
  CHECK_RC(ancdb_txn_state(w, &st), ANCDB_OK);
  CHECK(st==ANCDB_TXN_WRITE);
  CHECK_RC(ancdb_commit(w), ANCDB_OK);
  CHECK_RC(ancdb_close(w), ANCDB_OK);
  CHECK_RC(ancdb_close(db), ANCDB_OK);

  /* a journal-mode switch is a change: nothing kept, and the file is in WAL mode after it */
  CHECK_RC(ancdb_open(path, ANCDB_OPEN_KEEP_READ, 0, 5000, 0, err, sizeof(err), &w), ANCDB_OK);
  CHECK_RC(ancdb_txn_state(w, &st), ANCDB_OK);
  CHECK(st==ANCDB_TXN_NONE);
  CHECK_RC(ancdb_is_wal(w, &isWal), ANCDB_OK);
  CHECK(isWal==0);
  CHECK_RC(ancdb_close(w), ANCDB_OK);
  readHeader(path, h);
  CHECK(h[18]==1 && h[19]==1);
  CHECK_RC(ancdb_open(path, ANCDB_OPEN_KEEP_READ, 0, 5000, 0, err, sizeof(err), &w), ANCDB_OK);
  CHECK_RC(ancdb_txn_state(w, &st), ANCDB_OK);
  CHECK(st==ANCDB_TXN_READ);                                   /* rollback mode, no switch: kept */
  CHECK_RC(ancdb_read_begin(w, &cookie, &reused), ANCDB_OK);
  CHECK(reused==1 && rowOne(w)==5);
  CHECK_RC(ancdb_read_end(w, 1, &kept), ANCDB_OK);
  CHECK(kept==0);                                               /* never kept past its first use */
  CHECK_RC(ancdb_close(w), ANCDB_OK);

  CHECK_RC(ancdb_open(path, 0x0200, 0, 5000, 0, err, sizeof(err), &w), ANCDB_RANGE);

  /* ANCDB_READ_HOLD in rollback mode: kept with its SHARED lock, so another
  ** connection cannot commit until it ends, and the next read reuses it */
  CHECK_RC(ancdb_open(path, ANCDB_OPEN_KEEP_READ, 0, 5000, 0, err, sizeof(err), &w), ANCDB_OK);
  CHECK_RC(ancdb_read_begin(w, &cookie, &reused), ANCDB_OK);
  CHECK_RC(ancdb_read_end(w, ANCDB_READ_HOLD, &kept), ANCDB_OK);
  CHECK(kept==1);
  CHECK_RC(ancdb_open(path, ANCDB_OPEN_KEEP_JOURNAL, 0, 0, 0, err, sizeof(err), &db), ANCDB_OK);
  CHECK_RC(ancdb_begin(db, 1, 0), ANCDB_OK);
  CHECK_RC(ancdb_cursor_open(db, 2, ANCDB_CURSOR_WRITE, 0, &cur), ANCDB_OK);
  CHECK_RC(ancdb_cursor_insert_row(cur, 1, row, makeRow(row, 6, "held")), ANCDB_OK);
  CHECK_RC(ancdb_commit(db), ANCDB_BUSY);                        /* the held SHARED lock */
  CHECK_RC(ancdb_read_begin(w, &cookie, &reused), ANCDB_OK);
  CHECK(reused==1 && rowOne(w)==5);
  CHECK_RC(ancdb_read_end(w, 0, &kept), ANCDB_OK);
  CHECK_RC(ancdb_commit(db), ANCDB_OK);                          /* free once it ended */
  CHECK_RC(ancdb_read_begin(w, &cookie, &reused), ANCDB_OK);
  CHECK(reused==0 && rowOne(w)==6);
  CHECK_RC(ancdb_read_end(w, 0, &kept), ANCDB_OK);
  CHECK_RC(ancdb_close(db), ANCDB_OK);
  CHECK_RC(ancdb_close(w), ANCDB_OK);
}

int main(int argc, char **argv){
  if( argc==4 && strcmp(argv[1], "--write-row-one")==0 ) return writeRowOne(argv[2], atoll(argv[3]));
  if( argc<2 ){ fprintf(stderr, "usage: shim_test DIR\n"); return 2; }
  zSelf = argv[0];
  testBasic(argv[1], 0);
  testBasic(argv[1], 1);
  testMisuse(argv[1]);
  testFetchAndSeekHint(argv[1]);
  testKeptRead(argv[1]);
  testOpenKeepsRead(argv[1]);
  printf("%d passed, %d failed\n", nPass, nFail);
  return nFail ? 1 : 0;
}

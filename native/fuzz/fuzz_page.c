/*
** fuzz_page.c -- libFuzzer target: a corrupt database file.
**
** A valid file (table + index + sqlite_schema rows, small and overflowing
** rows, 4 KiB pages) is built once.  The input patches it:
**   repeated [page (1 byte, mod the page count)] [offset (2 bytes, mod 4096)]
**            [length (1 byte)] [bytes...]
** The patched file is opened and read (scans both ways, seeks, point reads,
** counts, integrity check) and written (insert, delete, index insert), as a
** caller would.  Errors are expected; crashes, sanitizer reports and error
** codes outside fuzzRcOk() are findings.
*/
#include "fuzz_common.h"

#define PGSZ 4096

static uint8_t *aBase;        /* the valid file */
static long nBase;
static char zPath[512];
static uint32_t tRoot, iRoot;

static int makeKey(uint8_t *a, const char *z, int n, long long rowid){
  int i = 0, k;
  a[i++] = 3; a[i++] = (uint8_t)(13 + 2*n); a[i++] = 6;
  memcpy(a+i, z, (size_t)n); i += n;
  for(k=7; k>=0; k--) a[i++] = (uint8_t)(rowid >> (8*k));
  return i;
}

static void setup(void){
  char zErr[256], z[64];
  static char zBig[6000];
  static uint8_t buf[7000];
  ancdb_db db = 0;
  ancdb_cursor sc = 0, tc = 0, ic = 0;
  FILE *f;
  int i, n;
  fuzzPath(zPath, sizeof(zPath), "page");
  unlink(zPath);
  FUZZ_ASSERT(ancdb_open(zPath, ANCDB_OPEN_CREATE | ANCDB_OPEN_SYNC_OFF, 0, 0, 0, zErr, sizeof(zErr), &db)==ANCDB_OK);
  FUZZ_ASSERT(ancdb_begin(db, 1, 0)==ANCDB_OK);
  FUZZ_ASSERT(ancdb_btree_create(db, ANCDB_BTREE_TABLE, &tRoot)==ANCDB_OK);
  FUZZ_ASSERT(ancdb_btree_create(db, ANCDB_BTREE_INDEX, &iRoot)==ANCDB_OK);
  FUZZ_ASSERT(ancdb_cursor_open(db, 1, ANCDB_CURSOR_WRITE, 0, &sc)==ANCDB_OK);
  n = fuzzSchemaRow(buf, "table", "t", tRoot, "CREATE TABLE t(n INTEGER, s TEXT)");
  FUZZ_ASSERT(ancdb_cursor_insert_row(sc, 1, buf, n)==ANCDB_OK);
  n = fuzzSchemaRow(buf, "index", "t_s", iRoot, "CREATE INDEX t_s ON t(s)");
  FUZZ_ASSERT(ancdb_cursor_insert_row(sc, 2, buf, n)==ANCDB_OK);
  FUZZ_ASSERT(ancdb_cursor_open(db, tRoot, ANCDB_CURSOR_WRITE, 0, &tc)==ANCDB_OK);
  FUZZ_ASSERT(ancdb_cursor_open(db, iRoot, ANCDB_CURSOR_WRITE, 2, &ic)==ANCDB_OK);
  memset(zBig, 'q', sizeof(zBig));
  for(i=1; i<=120; i++){
    int len = i%10==0 ? 5000 : snprintf(z, sizeof(z), "row-%03d", i);
    const char *s = i%10==0 ? zBig : z;
    n = fuzzMakeRow(buf, i, s, len);
    FUZZ_ASSERT(ancdb_cursor_insert_row(tc, i, buf, n)==ANCDB_OK);
    n = makeKey(buf, s, len>40 ? 40 : len, i);
    FUZZ_ASSERT(ancdb_cursor_insert_key(ic, buf, n)==ANCDB_OK);
  }
  FUZZ_ASSERT(ancdb_commit(db)==ANCDB_OK);
  FUZZ_ASSERT(ancdb_close(db)==ANCDB_OK);
  f = fopen(zPath, "rb");
  FUZZ_ASSERT(f!=0);
  fseek(f, 0, SEEK_END);
  nBase = ftell(f);
  fseek(f, 0, SEEK_SET);
  aBase = malloc((size_t)nBase);
  FUZZ_ASSERT(aBase && fread(aBase, 1, (size_t)nBase, f)==(size_t)nBase);
  fclose(f);
  FUZZ_ASSERT(nBase%PGSZ==0);
}

/* Walk a cursor both ways reading every payload. */
static void walk(ancdb_cursor c){
  static uint8_t buf[70000];
  uint32_t sz = 0;
  int64_t rowid;
  int rc, i;
  for(i=0, rc=ancdb_cursor_first(c); rc==ANCDB_OK && i<500; i++){
    rc = ancdb_cursor_payload_size(c, &sz);
    FUZZ_ASSERT(fuzzRcOk(rc));
    if( rc==ANCDB_OK && sz<=sizeof(buf) ) FUZZ_ASSERT(fuzzRcOk(ancdb_cursor_payload(c, 0, sz, buf)));
    FUZZ_ASSERT(fuzzRcOk(ancdb_cursor_rowid(c, &rowid)));
    rc = ancdb_cursor_next(c);
  }
  FUZZ_ASSERT(fuzzRcOk(rc));
  for(i=0, rc=ancdb_cursor_last(c); rc==ANCDB_OK && i<500; i++) rc = ancdb_cursor_prev(c);
  FUZZ_ASSERT(fuzzRcOk(rc));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size){
  static uint8_t img[1<<20];
  static uint8_t buf[8192];
  char zErr[256], zRep[1024];
  ancdb_db db = 0;
  ancdb_cursor c = 0;
  uint32_t aRoot[3];
  int32_t res = 0, nErr = 0, nGot = 0;
  int64_t cnt;
  size_t i = 0;
  int rc, n;
  FILE *f;
  if( aBase==0 ) setup();
  if( size>4096 ) return 0;
  memcpy(img, aBase, (size_t)nBase);
  {
    char zJ[600];
    snprintf(zJ, sizeof(zJ), "%s-journal", zPath);
    unlink(zJ);                        /* no hot journal from the last input */
  }
  while( i+4<=size ){
    long pg = data[i] % (nBase/PGSZ);
    int off = ((data[i+1]<<8) | data[i+2]) % PGSZ, len = data[i+3];
    i += 4;
    if( (size_t)len>size-i ) len = (int)(size-i);
    if( off+len>PGSZ ) len = PGSZ-off;
    memcpy(img + pg*PGSZ + off, data+i, (size_t)len);
    i += (size_t)len;
  }
  f = fopen(zPath, "wb");
  FUZZ_ASSERT(f && fwrite(img, 1, (size_t)nBase, f)==(size_t)nBase);
  fclose(f);

  rc = ancdb_open(zPath, ANCDB_OPEN_SYNC_OFF | ANCDB_OPEN_KEEP_JOURNAL, 0, 0, 0, zErr, sizeof(zErr), &db);
  FUZZ_ASSERT(fuzzRcOk(rc) || rc==ANCDB_CANTOPEN || (rc & 0xff)==ANCDB_IOERR);
  if( rc ) return 0;

  rc = ancdb_begin(db, 0, 0);
  FUZZ_ASSERT(fuzzRcOk(rc));
  if( rc==ANCDB_OK ){
    uint32_t roots[3] = { 1, tRoot, iRoot };
    int k;
    for(k=0; k<3; k++){
      rc = ancdb_cursor_open(db, roots[k], 0, k==2 ? 2 : 0, &c);
      FUZZ_ASSERT(fuzzRcOk(rc));
      if( rc ) continue;
      walk(c);
      FUZZ_ASSERT(fuzzRcOk(ancdb_cursor_count(c, &cnt)));
      if( k==1 ) FUZZ_ASSERT(fuzzRcOk(ancdb_cursor_seek_rowid(c, 50, &res)));
      if( k==2 ){
        n = makeKey(buf, "row-050", 7, 50);
        FUZZ_ASSERT(fuzzRcOk(ancdb_cursor_seek_key(c, buf, n, 0, &res)));
      }
      ancdb_cursor_close(c);
    }
    FUZZ_ASSERT(fuzzRcOk(ancdb_table_get(db, tRoot, 30, buf, (int32_t)sizeof(buf), &nGot)));
    aRoot[0] = 1; aRoot[1] = tRoot; aRoot[2] = iRoot;
    FUZZ_ASSERT(fuzzRcOk(ancdb_integrity_check(db, aRoot, 3, 20, zRep, sizeof(zRep), &nErr)));
    ancdb_rollback(db);
  }

  rc = ancdb_begin(db, 1, 0);
  FUZZ_ASSERT(fuzzRcOk(rc));
  if( rc==ANCDB_OK ){
    rc = ancdb_cursor_open(db, tRoot, ANCDB_CURSOR_WRITE, 0, &c);
    FUZZ_ASSERT(fuzzRcOk(rc));
    if( rc==ANCDB_OK ){
      n = fuzzMakeRow(buf, 7, "new-row", 7);
      FUZZ_ASSERT(fuzzRcOk(ancdb_cursor_insert_row(c, 55, buf, n)));
      if( ancdb_cursor_seek_rowid(c, 20, &res)==ANCDB_OK && res==0 ){
        FUZZ_ASSERT(fuzzRcOk(ancdb_cursor_delete(c)));
      }
      ancdb_cursor_close(c);
    }
    rc = ancdb_cursor_open(db, iRoot, ANCDB_CURSOR_WRITE, 2, &c);
    FUZZ_ASSERT(fuzzRcOk(rc));
    if( rc==ANCDB_OK ){
      n = makeKey(buf, "new-row", 7, 55);
      FUZZ_ASSERT(fuzzRcOk(ancdb_cursor_insert_key(c, buf, n)));
      ancdb_cursor_close(c);
    }
    FUZZ_ASSERT(fuzzRcOk(ancdb_commit(db)) || 1);
    ancdb_rollback(db);
  }
  FUZZ_ASSERT(ancdb_close(db)==ANCDB_OK);
  return 0;
}

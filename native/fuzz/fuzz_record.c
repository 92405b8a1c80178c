/*
** fuzz_record.c -- libFuzzer target: the input is an untrusted row record.
**
** Inside one long write transaction (a savepoint per input, rolled back):
** insert the input as a table row (the shim must accept exactly the
** well-formed records and return them byte for byte), and as a row of
** sqlite_schema, whose rootpage field the shim then parses when it reloads
** its list of valid roots (ancLoadRoots / ancSchemaRowRoot).
*/
#include "fuzz_common.h"

static ancdb_db db;
static uint32_t tRoot;

static void setup(void){
  char zPath[512], zErr[256];
  uint8_t row[256];
  ancdb_cursor sc = 0;
  int n;
  fuzzPath(zPath, sizeof(zPath), "record");
  unlink(zPath);
  FUZZ_ASSERT(ancdb_open(zPath, ANCDB_OPEN_CREATE | ANCDB_OPEN_EXCLUSIVE | ANCDB_OPEN_SYNC_OFF,
                         0, 0, 0, zErr, sizeof(zErr), &db)==ANCDB_OK);
  unlink(zPath);                      /* the open handle keeps it alive */
  FUZZ_ASSERT(ancdb_begin(db, 1, 0)==ANCDB_OK);
  FUZZ_ASSERT(ancdb_btree_create(db, ANCDB_BTREE_TABLE, &tRoot)==ANCDB_OK);
  FUZZ_ASSERT(ancdb_cursor_open(db, 1, ANCDB_CURSOR_WRITE, 0, &sc)==ANCDB_OK);
  n = fuzzSchemaRow(row, "table", "t", tRoot, "CREATE TABLE t(a,b)");
  FUZZ_ASSERT(ancdb_cursor_insert_row(sc, 1, row, n)==ANCDB_OK);
  FUZZ_ASSERT(ancdb_cursor_close(sc)==ANCDB_OK);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size){
  ancdb_cursor c = 0, sc = 0;
  int32_t lvl = 0, res = 0;
  uint32_t sz = 0;
  int64_t rowid = 0, cnt = 0;
  int rc, nData = size>100000 ? 100000 : (int)size;
  static uint8_t buf[100000];
  if( db==0 ) setup();
  if( nData<1 ) return 0;
  FUZZ_ASSERT(ancdb_savepoint_begin(db, &lvl)==ANCDB_OK);

  /* As a table row. */
  FUZZ_ASSERT(ancdb_cursor_open(db, tRoot, ANCDB_CURSOR_WRITE, 0, &c)==ANCDB_OK);
  rc = ancdb_cursor_insert_row(c, 42, data, nData);
  FUZZ_ASSERT(rc==ANCDB_OK || rc==ANCDB_MISMATCH);
  if( rc==ANCDB_OK ){
    FUZZ_ASSERT(ancdb_cursor_seek_rowid(c, 42, &res)==ANCDB_OK && res==0);
    FUZZ_ASSERT(ancdb_cursor_rowid(c, &rowid)==ANCDB_OK && rowid==42);
    FUZZ_ASSERT(ancdb_cursor_payload_size(c, &sz)==ANCDB_OK && sz==(uint32_t)nData);
    FUZZ_ASSERT(ancdb_cursor_payload(c, 0, sz, buf)==ANCDB_OK && memcmp(buf, data, sz)==0);
    FUZZ_ASSERT(ancdb_cursor_count(c, &cnt)==ANCDB_OK && cnt==1);
    {
      int32_t n = 0;
      FUZZ_ASSERT(ancdb_table_get(db, tRoot, 42, buf, (int32_t)sizeof(buf), &n)==ANCDB_OK && n==nData);
    }
    FUZZ_ASSERT(ancdb_cursor_delete(c)==ANCDB_OK);
  }
  FUZZ_ASSERT(ancdb_cursor_close(c)==ANCDB_OK);

  /* As a sqlite_schema row: the shim parses its rootpage field. */
  FUZZ_ASSERT(ancdb_cursor_open(db, 1, ANCDB_CURSOR_WRITE, 0, &sc)==ANCDB_OK);
  rc = ancdb_cursor_insert_row(sc, 2, data, nData);
  FUZZ_ASSERT(rc==ANCDB_OK || rc==ANCDB_MISMATCH);
  FUZZ_ASSERT(ancdb_cursor_close(sc)==ANCDB_OK);
  if( rc==ANCDB_OK ){
    uint32_t cookie = 0, aRoot[2];
    int32_t nErr = 0;
    char zRep[256];
    uint32_t r;
    /* A new cookie makes the shim reload its roots from sqlite_schema. */
    FUZZ_ASSERT(ancdb_meta_get(db, ANCDB_META_SCHEMA_VERSION, &cookie)==ANCDB_OK);
    FUZZ_ASSERT(ancdb_meta_set(db, ANCDB_META_SCHEMA_VERSION, cookie+1)==ANCDB_OK);
    for(r=2; r<6; r++){
      rc = ancdb_cursor_open(db, r, 0, 0, &c);
      FUZZ_ASSERT(fuzzRcOk(rc));
      if( rc==ANCDB_OK ){
        rc = ancdb_cursor_first(c);
        FUZZ_ASSERT(fuzzRcOk(rc));
        FUZZ_ASSERT(ancdb_cursor_close(c)==ANCDB_OK);
      }
    }
    aRoot[0] = 1; aRoot[1] = tRoot;
    rc = ancdb_integrity_check(db, aRoot, 2, 5, zRep, sizeof(zRep), &nErr);
    FUZZ_ASSERT(fuzzRcOk(rc));
  }
  FUZZ_ASSERT(ancdb_savepoint_rollback(db, lvl)==ANCDB_OK);
  FUZZ_ASSERT(ancdb_savepoint_release(db, lvl)==ANCDB_OK);
  return 0;
}

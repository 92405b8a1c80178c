/*
** fuzz_index.c -- libFuzzer target: untrusted index keys.
**
** Input: [nKeyFields-1 (mod 4)] [bias (mod 3) - 1] [split] key A | key B.
** Inside one long write transaction (a savepoint per input, rolled back):
** open an index cursor with that many key fields over a b-tree that already
** holds keys of mixed types and field counts, insert key A, seek key B,
** step both ways, delete what the seek found, count, check integrity.
*/
#include "fuzz_common.h"

static ancdb_db db;
static uint32_t iRoot;

/* A key: up to 3 fields from a small set of types, then a rowid. */
static int seedKey(uint8_t *a, int i){
  uint8_t hdr[8], body[64];
  int h = 1, b = 0, k, nf = 1 + i%3;
  for(k=0; k<nf; k++){
    switch( (i+k)%5 ){
      case 0: hdr[h++] = 0; break;                                   /* NULL */
      case 1: hdr[h++] = 1; body[b++] = (uint8_t)(i*7); break;       /* int8 */
      case 2: hdr[h++] = 7; memcpy(body+b, "\x40\x09\x21\xfb\x54\x44\x2d\x18", 8); b += 8; break; /* real */
      case 3: hdr[h++] = 13 + 2*3; memcpy(body+b, i%2 ? "abc" : "abd", 3); b += 3; break;   /* text */
      default: hdr[h++] = 12 + 2*2; body[b++] = (uint8_t)i; body[b++] = 0xff; break;       /* blob */
    }
  }
  hdr[h++] = 1; body[b++] = (uint8_t)i;                              /* rowid */
  hdr[0] = (uint8_t)h;
  memcpy(a, hdr, (size_t)h);
  memcpy(a+h, body, (size_t)b);
  return h + b;
}

static void setup(void){
  char zPath[512], zErr[256];
  uint8_t key[128];
  ancdb_cursor c = 0;
  int i;
  fuzzPath(zPath, sizeof(zPath), "index");
  unlink(zPath);
  FUZZ_ASSERT(ancdb_open(zPath, ANCDB_OPEN_CREATE | ANCDB_OPEN_EXCLUSIVE | ANCDB_OPEN_SYNC_OFF,
                         0, 0, 0, zErr, sizeof(zErr), &db)==ANCDB_OK);
  unlink(zPath);
  FUZZ_ASSERT(ancdb_begin(db, 1, 0)==ANCDB_OK);
  FUZZ_ASSERT(ancdb_btree_create(db, ANCDB_BTREE_INDEX, &iRoot)==ANCDB_OK);
  for(i=0; i<60; i++){
    int n = seedKey(key, i);
    FUZZ_ASSERT(ancdb_cursor_open(db, iRoot, ANCDB_CURSOR_WRITE, 2 + i%3, &c)==ANCDB_OK);
    FUZZ_ASSERT(ancdb_cursor_insert_key(c, key, n)==ANCDB_OK);
    FUZZ_ASSERT(ancdb_cursor_close(c)==ANCDB_OK);
  }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size){
  ancdb_cursor c = 0;
  int32_t lvl = 0, res = 0, nErr = 0;
  int nField, bias, split, rc, i;
  const uint8_t *a, *b;
  int nA, nB;
  uint32_t aRoot[2], sz = 0;
  int64_t cnt = 0;
  char zRep[512];
  static uint8_t buf[70000];
  if( db==0 ) setup();
  if( size<4 || size>65536 ) return 0;
  nField = 1 + data[0]%4;
  bias = (int)(data[1]%3) - 1;
  split = data[2];
  a = data + 3;
  nA = (int)size - 3;
  if( split<nA ){ b = a + split; nB = nA - split; nA = split; }else{ b = a; nB = nA; }
  FUZZ_ASSERT(ancdb_savepoint_begin(db, &lvl)==ANCDB_OK);
  FUZZ_ASSERT(ancdb_cursor_open(db, iRoot, ANCDB_CURSOR_WRITE, nField, &c)==ANCDB_OK);
  if( nA>0 ){
    rc = ancdb_cursor_insert_key(c, a, nA);
    /* CORRUPT: keys of another arity than the cursor's already in the
    ** b-tree (regressions/index/crash-insert-key-corrupt); the b-tree must
    ** still pass the integrity check below. */
    FUZZ_ASSERT(rc==ANCDB_OK || rc==ANCDB_MISMATCH || rc==ANCDB_CORRUPT);
  }
  if( nB>0 ){
    rc = ancdb_cursor_seek_key(c, b, nB, bias, &res);
    FUZZ_ASSERT(rc==ANCDB_OK || rc==ANCDB_MISMATCH || rc==ANCDB_DONE || rc==ANCDB_CORRUPT);
    if( rc==ANCDB_OK ){
      FUZZ_ASSERT(ancdb_cursor_payload_size(c, &sz)==ANCDB_OK);
      FUZZ_ASSERT(sz<=sizeof(buf) && ancdb_cursor_payload(c, 0, sz, buf)==ANCDB_OK);
      if( res==0 && bias==0 ) FUZZ_ASSERT(ancdb_cursor_delete(c)==ANCDB_OK);
    }
  }
  for(i=0, rc=ancdb_cursor_first(c); rc==ANCDB_OK && i<100; i++) rc = ancdb_cursor_next(c);
  FUZZ_ASSERT(rc==ANCDB_OK || rc==ANCDB_DONE);
  for(i=0, rc=ancdb_cursor_last(c); rc==ANCDB_OK && i<100; i++) rc = ancdb_cursor_prev(c);
  FUZZ_ASSERT(rc==ANCDB_OK || rc==ANCDB_DONE);
  FUZZ_ASSERT(ancdb_cursor_count(c, &cnt)==ANCDB_OK && cnt>=59 && cnt<=61);
  FUZZ_ASSERT(ancdb_cursor_close(c)==ANCDB_OK);
  aRoot[0] = 1; aRoot[1] = iRoot;
  FUZZ_ASSERT(ancdb_integrity_check(db, aRoot, 2, 5, zRep, sizeof(zRep), &nErr)==ANCDB_OK);
  if( nErr ){ fprintf(stderr, "integrity: %s\n", zRep); FUZZ_ASSERT(nErr==0); }
  FUZZ_ASSERT(ancdb_savepoint_rollback(db, lvl)==ANCDB_OK);
  FUZZ_ASSERT(ancdb_savepoint_release(db, lvl)==ANCDB_OK);
  return 0;
}

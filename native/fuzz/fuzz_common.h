/*
** fuzz_common.h -- helpers shared by the libFuzzer harnesses in native/fuzz.
** Each harness defines LLVMFuzzerTestOneInput(); replay.c drives the same
** function from files, for gcc builds without libFuzzer.
**
** Scratch files go to $ANCDB_FUZZ_DIR (default /tmp), named by pid.
*/
#ifndef FUZZ_COMMON_H
#define FUZZ_COMMON_H

#include "ancdb.h"
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Abort (a finding) when a shim call fails with a code it must never give. */
#define FUZZ_ASSERT(c) do{ if(!(c)){ fprintf(stderr, "fuzz assertion failed: %s (%s:%d)\n", \
  #c, __FILE__, __LINE__); abort(); } }while(0)

/* Scratch path "<dir>/ancdb-fuzz-<pid>-<tag>.db" with its journal removed. */
static void fuzzPath(char *z, size_t n, const char *zTag){
  const char *zDir = getenv("ANCDB_FUZZ_DIR");
  char zJ[600];
  snprintf(z, n, "%s/ancdb-fuzz-%d-%s.db", zDir ? zDir : "/tmp", (int)getpid(), zTag);
  snprintf(zJ, sizeof(zJ), "%s-journal", z);
  unlink(zJ);
}

/* Codes a call on untrusted input may return; anything else is a bug. */
static int fuzzRcOk(int rc){
  switch( rc & 0xff ){
    case ANCDB_OK: case ANCDB_DONE: case ANCDB_CORRUPT: case ANCDB_MISMATCH:
    case ANCDB_RANGE: case ANCDB_CONSTRAINT: case ANCDB_NOTADB: case ANCDB_MISUSE:
    case ANCDB_FULL: case ANCDB_NOMEM: case ANCDB_ERROR: case ANCDB_LOCKED:
    case ANCDB_READONLY:           /* write-version byte above 2: read-only file */
      return 1;
  }
  return 0;
}

/* Record of one integer and one text field. */
static int fuzzMakeRow(uint8_t *a, long long v, const char *z, int n){
  int i = 0, k;
  unsigned t = 13 + 2*(unsigned)n;
  a[i++] = t<0x80 ? 3 : 4;
  a[i++] = 6;
  if( t<0x80 ) a[i++] = (uint8_t)t; else { a[i++] = (uint8_t)(0x80 | (t>>7)); a[i++] = (uint8_t)(t & 0x7f); }
  for(k=7; k>=0; k--) a[i++] = (uint8_t)(v >> (8*k));
  memcpy(a+i, z, (size_t)n);
  return i + n;
}

/* sqlite_schema row (type, name, tbl_name, rootpage, sql); short strings. */
static int fuzzSchemaRow(uint8_t *a, const char *type, const char *name, unsigned root, const char *sql){
  const char *z[3] = { type, name, "t" };
  int i = 1, k, nSql = (int)strlen(sql);
  unsigned t = 13 + 2*(unsigned)nSql;
  for(k=0; k<3; k++) a[i++] = (uint8_t)(13 + 2*strlen(z[k]));
  a[i++] = 4;
  if( t<0x80 ) a[i++] = (uint8_t)t; else { a[i++] = (uint8_t)(0x80 | (t>>7)); a[i++] = (uint8_t)(t & 0x7f); }
  a[0] = (uint8_t)i;
  for(k=0; k<3; k++){ memcpy(a+i, z[k], strlen(z[k])); i += (int)strlen(z[k]); }
  a[i++] = (uint8_t)(root>>24); a[i++] = (uint8_t)(root>>16); a[i++] = (uint8_t)(root>>8); a[i++] = (uint8_t)root;
  memcpy(a+i, sql, (size_t)nSql);
  return i + nSql;
}

#endif /* FUZZ_COMMON_H */

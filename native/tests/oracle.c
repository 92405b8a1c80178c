/*
** oracle.c -- the independent SQLCipher 4 reader/writer the encryption tests
** compare ANC-DB against.  Built (test build only, never shipped) from the
** SQLite3 Multiple Ciphers amalgamation pinned in native/oracle.pin.
**
** Usage: ancdb-oracle [-nockpt] DB SQL [SQL...]
**   The key, if any, comes from the environment variable ANCDB_ORACLE_KEY
**   (a passphrase, or a raw key written x'<64 hex>' / x'<96 hex>', exactly as
**   PRAGMA key takes it); without it the file is opened as plain SQLite.
**   Each SQL argument may hold several statements; every result row is printed on
**   one line, columns separated by '|': integers in decimal, reals with %.17g,
**   text as is, blobs as x'<hex>', NULL as NULL.
**   -nockpt leaves a WAL uncheckpointed at close (SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE).
** Exit status: 0 success, 2 an SQL error (message on stderr), 1 bad usage.
*/
#include "sqlite3.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Run every statement of zSql, printing result rows by type (sqlite3_exec
** would hand out text only). */
static int runSql(sqlite3 *db, const char *zSql){
  const char *zTail = zSql;
  while( zTail && *zTail ){
    sqlite3_stmt *pStmt = 0;
    int rc = sqlite3_prepare_v2(db, zTail, -1, &pStmt, &zTail);
    if( rc ) return rc;
    if( pStmt==0 ) break;                       /* trailing blank or comment */
    while( (rc = sqlite3_step(pStmt))==SQLITE_ROW ){
      int i, n = sqlite3_column_count(pStmt);
      for(i=0; i<n; i++){
        if( i ) putchar('|');
        switch( sqlite3_column_type(pStmt, i) ){
          case SQLITE_INTEGER: printf("%lld", sqlite3_column_int64(pStmt, i)); break;
          case SQLITE_FLOAT:   printf("%.17g", sqlite3_column_double(pStmt, i)); break;
          case SQLITE_TEXT:    fputs((const char*)sqlite3_column_text(pStmt, i), stdout); break;
          case SQLITE_BLOB: {
            const unsigned char *a = sqlite3_column_blob(pStmt, i);
            int k, nb = sqlite3_column_bytes(pStmt, i);
            fputs("x'", stdout);
            for(k=0; k<nb; k++) printf("%02x", a[k]);
            putchar('\'');
            break;
          }
          default: fputs("NULL", stdout); break;
        }
      }
      putchar('\n');
    }
    sqlite3_finalize(pStmt);
    if( rc!=SQLITE_DONE ) return rc;
  }
  return SQLITE_OK;
}

int main(int argc, char **argv){
  sqlite3 *db = 0;
  const char *zKey = getenv("ANCDB_ORACLE_KEY");
  int i = 1, noCkpt = 0, rc;
  if( i<argc && strcmp(argv[i], "-nockpt")==0 ){ noCkpt = 1; i++; }
  if( argc-i<2 ){
    fprintf(stderr, "usage: %s [-nockpt] DB SQL [SQL...]\n", argv[0]);
    return 1;
  }
  rc = sqlite3_open(argv[i], &db);
  if( rc==SQLITE_OK && noCkpt ) rc = sqlite3_db_config(db, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, (int*)0);
  if( rc==SQLITE_OK && zKey ){
    rc = sqlite3_exec(db, "PRAGMA cipher='sqlcipher'; PRAGMA legacy=4;", 0, 0, 0);
    if( rc==SQLITE_OK ) rc = sqlite3_key(db, zKey, (int)strlen(zKey));
  }
  for(i++; rc==SQLITE_OK && i<argc; i++) rc = runSql(db, argv[i]);
  if( rc ){
    fprintf(stderr, "oracle: error %d: %s\n", rc, sqlite3_errmsg(db));
    sqlite3_close(db);
    return 2;
  }
  fflush(stdout);
  rc = sqlite3_close(db);
  if( rc ){ fprintf(stderr, "oracle: close failed: %d\n", rc); return 2; }
  return 0;
}

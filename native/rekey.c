/*
** rekey.c -- change a file's key, encrypt a plaintext file, decrypt an
** encrypted one: ancdb_rekey() (ancdb.h).  #included at the end of ancdb.c.
**
** Encryption changes the page layout (80 reserved bytes per page), so pages
** cannot be rewritten in place: like VACUUM INTO, every b-tree is copied,
** entry by entry in key order, into a new file "<path>-rekey" written with
** the new key, which then replaces the original by rename().  Crash safety
** comes from that order of durable steps:
**   1. the source is opened with its key, in exclusive locking mode, its WAL
**      (if any) checkpointed away, and an EXCLUSIVE lock taken: no other
**      connection reads or writes it meanwhile, and nothing of it is written;
**   2. the copy is committed (synchronous=FULL) and closed;
**   3. rename() over the original, then the directory is synced.
** A kill before 3 leaves the original untouched (old key); after it, the new
** file is complete (new key).  A leftover "<path>-rekey" is deleted by the
** next ancdb_rekey().  Entries are appended in the order they are read, so
** no key comparison (and no collation) is ever needed.
*/

/* The root page's b-tree kind: *pIntKey 1 for a table (rowid) b-tree. */
static int rkTreeKind(Btree *pBt, u32 root, int *pIntKey){
  DbPage *pPg = 0;
  int rc = sqlite3PagerGet(sqlite3BtreePager(pBt), root, &pPg, 0), flag;
  if( rc ) return rc;
  flag = ((u8*)sqlite3PagerGetData(pPg))[root==1 ? 100 : 0];
  sqlite3PagerUnref(pPg);
  if( flag!=2 && flag!=5 && flag!=10 && flag!=13 ) return SQLITE_CORRUPT_PGNO(root);
  *pIntKey = (flag & PTF_INTKEY)!=0;
  return SQLITE_OK;
}

/* Copy of sqlite_schema record a[0..n-1] into aOut with root page newRoot
** (4-byte integer); its length, or 0 when the record is not as expected. */
static int rkSchemaRowWithRoot(const u8 *a, u32 n, u32 newRoot, u8 *aOut){
  u32 szHdr, idx, off, t = 0, i, len = 0, iType = 0;
  idx = getVarint32(a, szHdr);
  if( szHdr>n || szHdr>126 ) return 0;
  off = szHdr;
  for(i=0; i<4; i++){
    if( idx>=szHdr ) return 0;
    iType = idx;
    idx += getVarint32(&a[idx], t);
    len = sqlite3VdbeSerialTypeLen(t);
    if( i<3 ) off += len;
  }
  if( t<1 || t>6 || off+len>n ) return 0;
  memcpy(aOut, a, szHdr);
  aOut[iType] = 4;                              /* 4-byte integer: one header byte, as before */
  memcpy(aOut+szHdr, a+szHdr, off-szHdr);
  sqlite3Put4byte(aOut+off, newRoot);
  memcpy(aOut+off+4, a+off+len, n-off-len);
  return (int)(n - len + 4);
}

/* Step to the next entry; *pEnd = 1 past the last. */
static int rkNext(BtCursor *pCur, int *pEnd){
  int rc = sqlite3BtreeNext(pCur, 0);
  if( rc==SQLITE_DONE ){ *pEnd = 1; rc = SQLITE_OK; }
  return rc;
}

/* Grow *paBuf to n bytes. */
static int rkReserve(u8 **paBuf, u32 *pnBuf, u32 n){
  if( n>*pnBuf ){
    u8 *a = sqlite3_realloc64(*paBuf, n);
    if( a==0 ) return SQLITE_NOMEM;
    *paBuf = a; *pnBuf = n;
  }
  return SQLITE_OK;
}

/* Append every entry of b-tree srcRoot of pSrc, in order, to the empty
** b-tree dstRoot of pDst (same kind). */
static int rkCopyTree(Btree *pSrc, u32 srcRoot, Btree *pDst, u32 dstRoot, int isIntKey,
                      KeyInfo *pKi, u8 **paBuf, u32 *pnBuf){
  BtCursor *pS = sqlite3_malloc(sqlite3BtreeCursorSize()), *pD = sqlite3_malloc(sqlite3BtreeCursorSize());
  i64 mxPayload = (i64)sqlite3BtreeLastPage(pSrc) * sqlite3BtreeGetPageSize(pSrc);
  int rc, res = 0, openS = 0, openD = 0;
  if( pS==0 || pD==0 ){ rc = SQLITE_NOMEM; goto done; }
  sqlite3BtreeCursorZero(pS);
  sqlite3BtreeCursorZero(pD);
  rc = sqlite3BtreeCursor(pSrc, srcRoot, 0, isIntKey ? 0 : pKi, pS);
  if( rc==SQLITE_OK ){ openS = 1; rc = sqlite3BtreeCursor(pDst, dstRoot, BTREE_WRCSR, isIntKey ? 0 : pKi, pD); }
  if( rc==SQLITE_OK ){ openD = 1; rc = sqlite3BtreeFirst(pS, &res); }
  while( rc==SQLITE_OK && !res ){
    BtreePayload x;
    i64 sz = (i64)sqlite3BtreePayloadSize(pS);
    if( sz>mxPayload ){ rc = SQLITE_CORRUPT_PGNO(srcRoot); break; }
    rc = rkReserve(paBuf, pnBuf, (u32)sz + 1);
    if( rc==SQLITE_OK && sz>0 ) rc = sqlite3BtreePayload(pS, 0, (u32)sz, *paBuf);
    memset(&x, 0, sizeof(x));
    if( isIntKey ){ x.nKey = sqlite3BtreeIntegerKey(pS); x.pData = *paBuf; x.nData = (int)sz; }
    else{ x.pKey = *paBuf; x.nKey = sz; }
    if( rc==SQLITE_OK ){ int empty; rc = sqlite3BtreeLast(pD, &empty); }
    if( rc==SQLITE_OK ) rc = sqlite3BtreeInsert(pD, &x, 0, -1);   /* after the last entry */
    if( rc==SQLITE_OK ) rc = rkNext(pS, &res);
  }
done:
  if( openS ) sqlite3BtreeCloseCursor(pS);
  if( openD ) sqlite3BtreeCloseCursor(pD);
  sqlite3_free(pS); sqlite3_free(pD);
  return rc;
}

/* Copy every b-tree, the schema rows (with their new roots) and the header's
** meta values of pSrc into the empty pDst, in one write transaction. */
static int rkCopyFile(AncDb *pSrc, AncDb *pDst){
  static const int aMeta[] = { BTREE_FILE_FORMAT, BTREE_DEFAULT_CACHE_SIZE, BTREE_TEXT_ENCODING,
                               BTREE_USER_VERSION, BTREE_APPLICATION_ID };
  size_t szKi = SZ_KEYINFO(1) + 1;
  KeyInfo *pKi = sqlite3_malloc64(szKi);
  BtCursor *pSchema = sqlite3_malloc(sqlite3BtreeCursorSize()), *pOut = sqlite3_malloc(sqlite3BtreeCursorSize());
  u8 *aBuf = 0, *aRow = 0;
  u32 nBuf = 0, v;
  int rc, res = 0, openS = 0, openO = 0;
  size_t i;
  if( pKi==0 || pSchema==0 || pOut==0 ){ rc = SQLITE_NOMEM; goto done; }
  /* Keys are never compared (entries are appended), but an index cursor needs one. */
  memset(pKi, 0, szKi);
  pKi->nRef = 1; pKi->enc = SQLITE_UTF8; pKi->nKeyField = 1; pKi->nAllField = 1;
  pKi->db = &pDst->db; pKi->aSortFlags = (u8*)&pKi->aColl[1];
  sqlite3BtreeCursorZero(pSchema);
  sqlite3BtreeCursorZero(pOut);
  rc = sqlite3BtreeBeginTrans(pDst->pBt, 2, 0);
  for(i=0; rc==SQLITE_OK && i<sizeof(aMeta)/sizeof(aMeta[0]); i++){
    sqlite3BtreeGetMeta(pSrc->pBt, aMeta[i], &v);
    rc = sqlite3BtreeUpdateMeta(pDst->pBt, aMeta[i], v);
  }
  if( rc==SQLITE_OK ){
    sqlite3BtreeGetMeta(pSrc->pBt, BTREE_SCHEMA_VERSION, &v);
    rc = sqlite3BtreeUpdateMeta(pDst->pBt, BTREE_SCHEMA_VERSION, v+1);   /* as VACUUM does */
  }
  if( rc==SQLITE_OK ){ rc = sqlite3BtreeCursor(pSrc->pBt, 1, 0, 0, pSchema); openS = rc==SQLITE_OK; }
  if( rc==SQLITE_OK ){ rc = sqlite3BtreeCursor(pDst->pBt, 1, BTREE_WRCSR, 0, pOut); openO = rc==SQLITE_OK; }
  if( rc==SQLITE_OK ) rc = sqlite3BtreeFirst(pSchema, &res);
  while( rc==SQLITE_OK && !res ){
    i64 rowid = sqlite3BtreeIntegerKey(pSchema);
    u32 sz = sqlite3BtreePayloadSize(pSchema), root, newRoot = 0;
    int isIntKey = 0, n;
    BtreePayload x;
    if( (i64)sz > (i64)sqlite3BtreeLastPage(pSrc->pBt) * sqlite3BtreeGetPageSize(pSrc->pBt) ){
      rc = SQLITE_CORRUPT_PGNO(1);
      break;
    }
    rc = rkReserve(&aBuf, &nBuf, 2*sz + 16);
    if( rc ) break;
    aRow = aBuf + sz + 8;
    rc = sqlite3BtreePayload(pSchema, 0, sz, aBuf);
    root = rc==SQLITE_OK ? ancSchemaRowRoot(aBuf, sz) : 0;
    n = (int)sz;
    memcpy(aRow, aBuf, sz);
    if( rc==SQLITE_OK && root>0 ){
      rc = rkTreeKind(pSrc->pBt, root, &isIntKey);
      if( rc==SQLITE_OK ) rc = sqlite3BtreeCreateTable(pDst->pBt, &newRoot, isIntKey ? BTREE_INTKEY : BTREE_BLOBKEY);
      if( rc==SQLITE_OK && (n = rkSchemaRowWithRoot(aBuf, sz, newRoot, aRow))==0 ) rc = SQLITE_CORRUPT_PGNO(1);
    }
    if( rc ) break;
    memset(&x, 0, sizeof(x));
    x.nKey = rowid; x.pData = aRow; x.nData = n;
    rc = sqlite3BtreeInsert(pOut, &x, 0, 0);
    if( rc==SQLITE_OK && root>0 ){
      /* The row's bytes are copied by now: rkCopyTree may reuse aBuf. */
      rc = rkCopyTree(pSrc->pBt, root, pDst->pBt, newRoot, isIntKey, pKi, &aBuf, &nBuf);
    }
    if( rc==SQLITE_OK ) rc = rkNext(pSchema, &res);
  }
done:
  if( openS ) sqlite3BtreeCloseCursor(pSchema);
  if( openO ) sqlite3BtreeCloseCursor(pOut);
  if( rc==SQLITE_OK ) rc = sqlite3BtreeCommit(pDst->pBt);
  else if( sqlite3BtreeTxnState(pDst->pBt)!=SQLITE_TXN_NONE ) sqlite3BtreeRollback(pDst->pBt, SQLITE_OK, 0);
  sqlite3_free(pSchema); sqlite3_free(pOut); sqlite3_free(pKi); sqlite3_free(aBuf);
  return rc;
}

static void rkRemove(const char *zPath){
  static const char *azSuffix[] = { "", "-journal", "-wal", "-shm" };
  char z[ANC_ERRMSG*4 + 16];
  size_t i;
  for(i=0; i<sizeof(azSuffix)/sizeof(azSuffix[0]); i++){
    snprintf(z, sizeof(z), "%s%s", zPath, azSuffix[i]);
    unlink(z);
  }
}

/* Make a rename in zPath's directory durable. */
static int rkSyncDir(const char *zPath){
  char zDir[ANC_ERRMSG*4];
  const char *zSlash = strrchr(zPath, '/');
  int fd, rc;
  if( zSlash==0 ) snprintf(zDir, sizeof(zDir), ".");
  else snprintf(zDir, sizeof(zDir), "%.*s", zSlash==zPath ? 1 : (int)(zSlash-zPath), zPath);
  fd = open(zDir, O_RDONLY | O_CLOEXEC);
  if( fd<0 ) return SQLITE_IOERR_DIR_FSYNC;
  rc = fsync(fd)==0 ? SQLITE_OK : SQLITE_IOERR_DIR_FSYNC;
  close(fd);
  return rc;
}

ANCDB_API int32_t ancdb_rekey(
  const char *zPath, const char *zVfs, const void *pOldKey, int32_t nOldKey,
  const void *pNewKey, int32_t nNewKey, char *zErr, int32_t nErr
){
  char zTmp[ANC_ERRMSG*4], zWhy[ANC_ERRMSG];
  ancdb_db hSrc = 0, hDst = 0;
  AncDb *pSrc = 0, *pDst = 0;
  int rc, isWal = 0;
  const char *zStep = "cannot open the file";
  if( zErr && nErr>0 ) zErr[0] = 0;
  if( zPath==0 || zPath[0]==0 || strlen(zPath) + 8 >= sizeof(zTmp) || nOldKey<0 || nNewKey<0
   || (nOldKey>0 && pOldKey==0) || (nNewKey>0 && pNewKey==0) ){
    ancOpenError(zErr, nErr, SQLITE_MISUSE, "rekey: bad file name or key");
    return SQLITE_MISUSE;
  }
  snprintf(zTmp, sizeof(zTmp), "%s-rekey", zPath);
  zWhy[0] = 0;
  /* 1. The source, held exclusively: in DELETE mode (its WAL checkpointed
  ** and removed), with an EXCLUSIVE lock. */
  rc = ancdb_open_key(zPath, ANCDB_OPEN_EXCLUSIVE | ANCDB_OPEN_KEEP_JOURNAL, 0, 0, 0, zVfs,
                      pOldKey, nOldKey, zWhy, sizeof(zWhy), &hSrc);
  if( rc==SQLITE_OK ) rc = ancDbEnter(hSrc, &pSrc);
  if( rc==SQLITE_OK ){
    isWal = sqlite3PagerGetJournalMode(sqlite3BtreePager(pSrc->pBt))==PAGER_JOURNALMODE_WAL;
    rc = ancSetJournalMode(pSrc, 0);
    if( rc==SQLITE_ERROR ) rc = SQLITE_BUSY;
  }
  if( rc==SQLITE_OK ) rc = sqlite3BtreeBeginTrans(pSrc->pBt, 2, 0);
  if( rc==SQLITE_OK && sqlite3BtreeGetAutoVacuum(pSrc->pBt) ){
    zStep = "auto-vacuum files cannot be rekeyed";
    rc = SQLITE_ERROR;
  }
  /* 2. The copy, with the new key, committed and closed. */
  if( rc==SQLITE_OK ){
    rkRemove(zTmp);
    zStep = "cannot write the copy";
    rc = ancdb_open_key(zTmp, ANCDB_OPEN_CREATE | ANCDB_OPEN_EXCLUSIVE | ANCDB_OPEN_SYNC_FULL, 0, 0, 0,
                        zVfs, pNewKey, nNewKey, zWhy, sizeof(zWhy), &hDst);
  }
  if( rc==SQLITE_OK ) rc = ancDbEnter(hDst, &pDst);
  if( rc==SQLITE_OK ){
    zStep = "copy failed";
    rc = rkCopyFile(pSrc, pDst);
    if( rc==SQLITE_OK && isWal ) rc = ancSetJournalMode(pDst, 1);
    if( rc ) ancSetErr(pSrc, rc, 0);
    ancDbLeave(pDst, SQLITE_OK);
    pDst = 0;
  }
  if( hDst ){
    int rc2 = ancdb_close(hDst);
    if( rc==SQLITE_OK ) rc = rc2;
  }
  /* 3. The copy replaces the original. */
  if( rc==SQLITE_OK ){
    zStep = "cannot rename the copy over the original";
    rc = rename(zTmp, zPath)==0 ? rkSyncDir(zPath) : SQLITE_IOERR;
  }else{
    rkRemove(zTmp);
  }
  if( rc && pSrc && pSrc->zErr[0] && zWhy[0]==0 ) snprintf(zWhy, sizeof(zWhy), "%s", pSrc->zErr);
  if( pSrc ){
    sqlite3BtreeRollback(pSrc->pBt, SQLITE_OK, 0);
    ancDbLeave(pSrc, SQLITE_OK);
  }
  if( hSrc ) ancdb_close(hSrc);
  if( (rc & 0xff)==SQLITE_BUSY ){ zStep = "the file is in use by another connection"; zWhy[0] = 0; }
  if( rc && zErr && nErr>0 ){
    snprintf(zErr, (size_t)nErr, "rekey: %s%s%s", zStep, zWhy[0] ? ": " : "", zWhy);
  }
  return rc;
}

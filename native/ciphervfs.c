/*
** ciphervfs.c -- encryption at rest in SQLCipher 4's default format.
** Interface: the "Encryption" section of ancdb.h.  #included by ancdb.c
** (same translation unit as the core), after wrapvfs.c and cryptolib.c.
**
** Format (what SQLCipher 4 and SQLite3 Multiple Ciphers write by default):
**   - 4096-byte pages, each ending in 80 reserved bytes: a random 16-byte
**     IV, then a 64-byte HMAC-SHA512;
**   - AES-256-CBC without padding over the first 4016 bytes of a page; on
**     page 1 over bytes 16..4015 only: bytes 0..15 of the file hold the
**     salt instead of "SQLite format 3";
**   - HMAC over ciphertext || IV || page number (4 bytes little-endian);
**   - key = PBKDF2-HMAC-SHA512(passphrase, salt, 256,000 iterations), or the
**     raw key x'<64 hex>' (x'<96 hex>': key, then the salt);
**     HMAC key = PBKDF2-HMAC-SHA512(key, salt XOR 0x3a, 2 iterations).
**
** Design.  A VFS shim ("ancdb-cipher" over the default VFS, one instance per
** VFS below it, so the fault VFS stacks underneath) encrypts every page on
** its way to the disk and checks and decrypts every page read:
**   main file  whole pages at page offsets (partial reads of page 1 decrypt
**              the page and copy the slice; partial writes never happen and
**              are refused);
**   journal    a page image is the page-size write that follows the 4-byte
**              page number at the offset just before it (the header and the
**              checksum after a page are told apart by their offsets); on
**              read, the page number is read from those 4 bytes;
**   WAL        the pager hands frames to wal.c, which checksums them; SQLCipher
**              checksums the ciphertext, so a build-time patch of wal.c
**              (patch-sqlite.py) asks sqlite3AncWalPageHook for the bytes to
**              write and checksum, and we return them encrypted.  Reads of a
**              frame's page decrypt with the page number from its header.
** Journal and WAL files find their database's keys through
** sqlite3_database_file_object().  Statement journals and temporary files
** would be plaintext: the shim keeps them in memory (temp_store=MEMORY) and
** this VFS refuses to open them.  Memory-mapped I/O stays off (io methods
** v2), since a mapping would hand SQLite ciphertext.
**
** Errors.  A page whose HMAC fails is SQLITE_CORRUPT naming the page (never
** wrong data).  At open the key is checked against page 1 (and page 2 when
** page 1 fails, to tell a damaged page 1 from a wrong key): a wrong key, a
** plaintext file opened with a key, or a salt that differs from the raw
** key's is SQLITE_NOTADB, before anything is written.
*/
#define CIPHER_PAGE      4096
#define CIPHER_IV        16
#define CIPHER_HMAC      64
#define CIPHER_RESERVE   (CIPHER_IV + CIPHER_HMAC)
#define CIPHER_DATA      (CIPHER_PAGE - CIPHER_RESERVE)    /* encrypted bytes */
#define CIPHER_SALT      16
#define CIPHER_KEY       32
#define CIPHER_KDF_ITER  256000
#define CIPHER_HMAC_ITER 2
#define CIPHER_SALT_MASK 0x3a
#define CIPHER_WAL_HDR   32                                /* WAL file header */
#define CIPHER_FRAME_HDR 24                                /* WAL frame header */
#define CIPHER_URI_PARAM "ancdb-cipher"

static const u8 aPlainHeader[16] = "SQLite format 3";

/* What the shim's open hands the VFS through the file name's URI parameter
** CIPHER_URI_PARAM (its address, in hex): the key, and room for the reason
** of a refusal. */
typedef struct CipherOpen CipherOpen;
struct CipherOpen {
  const u8 *pKey;                  /* key text as PRAGMA key takes it */
  int nKey;
  char zWhy[160];                  /* OUT: why the key was refused */
};

/* Keys and crypto state of one open database file. */
typedef struct CipherCodec CipherCodec;
struct CipherCodec {
  u8 aKey[CIPHER_KEY];             /* AES-256 key */
  u8 aHmacKey[CIPHER_KEY];
  u8 aSalt[CIPHER_SALT];
  void *pEnc, *pDec;               /* EVP_CIPHER_CTX, keyed once */
  void *pMac;                      /* HMAC_CTX, keyed once */
  u8 aOut[CIPHER_PAGE];            /* an encrypted page on its way out */
  u8 aIn[CIPHER_FRAME_HDR + CIPHER_PAGE];  /* a page (or WAL frame) read whole */
};

#define CIPHER_MAIN    1
#define CIPHER_JOURNAL 2
#define CIPHER_WAL     3

typedef struct CipherFile CipherFile;
struct CipherFile {
  WrapFile w;                      /* methods cipherIo; the file below */
  int eKind;                       /* CIPHER_MAIN / JOURNAL / WAL */
  CipherCodec *pCodec;             /* main: owned; others: the main file's */
  /* journal writes: the last 4-byte write that may be a page number */
  i64 iPgnoOff;                    /* its offset, -1 if none */
  u32 pgno;
  i64 iPageEnd;                    /* end of the last page image written */
};

typedef struct CipherVfs CipherVfs;
struct CipherVfs {
  sqlite3_vfs base;                /* pAppData: the VFS below */
  char zName[80];
};

static const sqlite3_io_methods cipherIo;

/* ---------------------------------------------------------------------------
** Codec
*/
static int cipherHex(int c){
  if( c>='0' && c<='9' ) return c-'0';
  if( c>='a' && c<='f' ) return c-'a'+10;
  if( c>='A' && c<='F' ) return c-'A'+10;
  return -1;
}

/* SQLCipher's raw key syntax: x'<64 hex>' or x'<96 hex>' (key, salt).  Fills
** aKey (and aSalt, *pHasSalt) and returns 1, or returns 0 for a passphrase. */
static int cipherRawKey(const u8 *z, int n, u8 *aKey, u8 *aSalt, int *pHasSalt){
  int i, nHex = n-3;
  if( (n!=2*CIPHER_KEY+3 && n!=2*(CIPHER_KEY+CIPHER_SALT)+3)
   || (z[0]!='x' && z[0]!='X') || z[1]!='\'' || z[n-1]!='\'' ) return 0;
  for(i=0; i<nHex; i++) if( cipherHex(z[2+i])<0 ) return 0;
  for(i=0; i<nHex/2; i++){
    u8 b = (u8)(cipherHex(z[2+2*i])<<4 | cipherHex(z[3+2*i]));
    if( i<CIPHER_KEY ) aKey[i] = b; else aSalt[i-CIPHER_KEY] = b;
  }
  *pHasSalt = nHex==2*(CIPHER_KEY+CIPHER_SALT);
  return 1;
}

static void cipherCodecFree(CipherCodec *c){
  if( c==0 ) return;
  if( c->pEnc ) gCrypto.EVP_CIPHER_CTX_free(c->pEnc);
  if( c->pDec ) gCrypto.EVP_CIPHER_CTX_free(c->pDec);
  if( c->pMac ) gCrypto.HMAC_CTX_free(c->pMac);
  cryptoWipe(c, sizeof(*c));
  sqlite3_free(c);
}

/* Derive the AES and HMAC keys from the key text and c->aSalt; key the
** cipher and MAC contexts.  The key text is not kept. */
static int cipherCodecKey(CipherCodec *c, const u8 *pKey, int nKey, int isRaw){
  u8 aMacSalt[CIPHER_SALT];
  int i, ok;
  if( !isRaw ){
    ok = gCrypto.PKCS5_PBKDF2_HMAC((const char*)pKey, nKey, c->aSalt, CIPHER_SALT, CIPHER_KDF_ITER,
                                   gCrypto.EVP_sha512(), CIPHER_KEY, c->aKey);
    if( ok!=1 ) return SQLITE_ERROR;
  }
  for(i=0; i<CIPHER_SALT; i++) aMacSalt[i] = c->aSalt[i] ^ CIPHER_SALT_MASK;
  ok = gCrypto.PKCS5_PBKDF2_HMAC((const char*)c->aKey, CIPHER_KEY, aMacSalt, CIPHER_SALT, CIPHER_HMAC_ITER,
                                 gCrypto.EVP_sha512(), CIPHER_KEY, c->aHmacKey);
  c->pEnc = gCrypto.EVP_CIPHER_CTX_new();
  c->pDec = gCrypto.EVP_CIPHER_CTX_new();
  c->pMac = gCrypto.HMAC_CTX_new();
  if( ok!=1 || c->pEnc==0 || c->pDec==0 || c->pMac==0 ) return SQLITE_NOMEM;
  if( gCrypto.EVP_CipherInit_ex(c->pEnc, gCrypto.EVP_aes_256_cbc(), 0, c->aKey, 0, 1)!=1
   || gCrypto.EVP_CipherInit_ex(c->pDec, gCrypto.EVP_aes_256_cbc(), 0, c->aKey, 0, 0)!=1
   || gCrypto.EVP_CIPHER_CTX_set_padding(c->pEnc, 0)!=1
   || gCrypto.EVP_CIPHER_CTX_set_padding(c->pDec, 0)!=1
   || gCrypto.HMAC_Init_ex(c->pMac, c->aHmacKey, CIPHER_KEY, gCrypto.EVP_sha512(), 0)!=1 ){
    return SQLITE_ERROR;
  }
  return SQLITE_OK;
}

/* HMAC of page aPage (ciphertext and IV in place) for page pgno. */
static int cipherMac(CipherCodec *c, u32 pgno, const u8 *aPage, u8 *aMac){
  int off = pgno==1 ? CIPHER_SALT : 0;
  u8 le[4] = { (u8)pgno, (u8)(pgno>>8), (u8)(pgno>>16), (u8)(pgno>>24) };
  unsigned int nMac = 0;
  if( gCrypto.HMAC_Init_ex(c->pMac, 0, 0, 0, 0)!=1
   || gCrypto.HMAC_Update(c->pMac, aPage+off, (size_t)(CIPHER_DATA+CIPHER_IV-off))!=1
   || gCrypto.HMAC_Update(c->pMac, le, 4)!=1
   || gCrypto.HMAC_Final(c->pMac, aMac, &nMac)!=1 || nMac!=CIPHER_HMAC ){
    return SQLITE_ERROR;
  }
  return SQLITE_OK;
}

/* 1 when page aPage (as stored) carries a valid HMAC for page pgno. */
static int cipherPageAuthentic(CipherCodec *c, u32 pgno, const u8 *aPage){
  u8 aMac[CIPHER_HMAC];
  int i, diff = 0;
  if( cipherMac(c, pgno, aPage, aMac) ) return 0;
  for(i=0; i<CIPHER_HMAC; i++) diff |= aMac[i] ^ aPage[CIPHER_DATA+CIPHER_IV+i];   /* constant time */
  return diff==0;
}

/* Encrypt plaintext page aIn (page pgno) into aOut. */
static int cipherEncrypt(CipherCodec *c, u32 pgno, const u8 *aIn, u8 *aOut){
  int off = pgno==1 ? CIPHER_SALT : 0, n = 0;
  u8 *aIv = aOut + CIPHER_DATA;
  if( gCrypto.RAND_bytes(aIv, CIPHER_IV)!=1
   || gCrypto.EVP_CipherInit_ex(c->pEnc, 0, 0, 0, aIv, 1)!=1
   || gCrypto.EVP_CipherUpdate(c->pEnc, aOut+off, &n, aIn+off, CIPHER_DATA-off)!=1
   || n!=CIPHER_DATA-off ){
    return SQLITE_IOERR_WRITE;
  }
  if( pgno==1 ) memcpy(aOut, c->aSalt, CIPHER_SALT);
  return cipherMac(c, pgno, aOut, aOut+CIPHER_DATA+CIPHER_IV) ? SQLITE_IOERR_WRITE : SQLITE_OK;
}

/* Check and decrypt stored page a (page pgno) in place.  SQLITE_CORRUPT,
** with the message for ancdb_errmsg(), when its HMAC fails. */
static int cipherDecrypt(CipherCodec *c, u32 pgno, u8 *a, const char *zWhere){
  int off = pgno==1 ? CIPHER_SALT : 0, n = 0;
  if( !cipherPageAuthentic(c, pgno, a) ){
    snprintf(tlsLog, sizeof(tlsLog), "database corruption at page %u: %s fails its authentication "
             "(HMAC): damaged, tampered with, or written with another key", pgno, zWhere);
    return SQLITE_CORRUPT;
  }
  if( gCrypto.EVP_CipherInit_ex(c->pDec, 0, 0, 0, a+CIPHER_DATA, 0)!=1
   || gCrypto.EVP_CipherUpdate(c->pDec, a+off, &n, a+off, CIPHER_DATA-off)!=1
   || n!=CIPHER_DATA-off ){
    return SQLITE_IOERR_READ;
  }
  if( pgno==1 ) memcpy(a, aPlainHeader, CIPHER_SALT);
  return SQLITE_OK;
}

/* ---------------------------------------------------------------------------
** I/O methods
*/
#define CIPHER_REAL(f) ((f)->w.pReal)

static int cipherClose(sqlite3_file *pFile){
  CipherFile *f = (CipherFile*)pFile;
  int rc = CIPHER_REAL(f)->pMethods->xClose(CIPHER_REAL(f));
  if( f->eKind==CIPHER_MAIN ) cipherCodecFree(f->pCodec);
  f->pCodec = 0;
  return rc;
}

static int cipherReadMain(CipherFile *f, u8 *zBuf, int iAmt, i64 iOfst){
  sqlite3_file *pReal = CIPHER_REAL(f);
  i64 iPage = iOfst / CIPHER_PAGE;
  int rc, i;
  if( iOfst % CIPHER_PAGE==0 && iAmt % CIPHER_PAGE==0 ){
    rc = pReal->pMethods->xRead(pReal, zBuf, iAmt, iOfst);
    if( rc==SQLITE_IOERR_SHORT_READ ) memset(zBuf, 0, (size_t)iAmt);   /* never hand out ciphertext */
    for(i=0; rc==SQLITE_OK && i<iAmt/CIPHER_PAGE; i++){
      rc = cipherDecrypt(f->pCodec, (u32)(iPage+i+1), zBuf + (size_t)i*CIPHER_PAGE, "the page");
    }
    return rc;
  }
  /* A slice of one page (the header of page 1, a direct overflow read). */
  if( (iOfst + iAmt - 1) / CIPHER_PAGE != iPage ) return SQLITE_IOERR_READ;
  rc = pReal->pMethods->xRead(pReal, f->pCodec->aIn, CIPHER_PAGE, iPage*CIPHER_PAGE);
  if( rc==SQLITE_OK ) rc = cipherDecrypt(f->pCodec, (u32)(iPage+1), f->pCodec->aIn, "the page");
  if( rc==SQLITE_OK ) memcpy(zBuf, f->pCodec->aIn + (iOfst - iPage*CIPHER_PAGE), (size_t)iAmt);
  else memset(zBuf, 0, (size_t)iAmt);
  return rc;
}

/* Is the WAL read at iOfst of iAmt bytes the page of a frame? */
static int cipherIsFramePage(int iAmt, i64 iOfst){
  i64 x = iOfst - CIPHER_WAL_HDR - CIPHER_FRAME_HDR;
  return iAmt==CIPHER_PAGE && x>=0 && x % (CIPHER_FRAME_HDR + CIPHER_PAGE)==0;
}

static int cipherRead(sqlite3_file *pFile, void *zBuf, int iAmt, sqlite3_int64 iOfst){
  CipherFile *f = (CipherFile*)pFile;
  sqlite3_file *pReal = CIPHER_REAL(f);
  CipherCodec *c = f->pCodec;
  int rc;
  if( f->eKind==CIPHER_MAIN ) return cipherReadMain(f, (u8*)zBuf, iAmt, iOfst);
  if( f->eKind==CIPHER_WAL && cipherIsFramePage(iAmt, iOfst) ){
    /* Frame header and page in one read: the page number is in the header. */
    char zWhere[64];
    rc = pReal->pMethods->xRead(pReal, c->aIn, CIPHER_FRAME_HDR + CIPHER_PAGE, iOfst - CIPHER_FRAME_HDR);
    if( rc==SQLITE_OK ){
      snprintf(zWhere, sizeof(zWhere), "WAL frame %lld",
               (long long)((iOfst - CIPHER_WAL_HDR) / (CIPHER_FRAME_HDR + CIPHER_PAGE)) + 1);
      rc = cipherDecrypt(c, sqlite3Get4byte(c->aIn), c->aIn + CIPHER_FRAME_HDR, zWhere);
    }
    if( rc==SQLITE_OK ) memcpy(zBuf, c->aIn + CIPHER_FRAME_HDR, CIPHER_PAGE);
    else memset(zBuf, 0, (size_t)iAmt);
    return rc;
  }
  rc = pReal->pMethods->xRead(pReal, zBuf, iAmt, iOfst);
  if( f->eKind==CIPHER_JOURNAL && iAmt==CIPHER_PAGE && iOfst>=4 ){
    u8 aPgno[4], *a = (u8*)zBuf;
    int i, nonzero = 0;
    if( rc!=SQLITE_OK ){ memset(zBuf, 0, (size_t)iAmt); return rc; }
    /* A page image that never reached the disk reads as zeros: hand those to
    ** the pager, whose journal checksum rejects them as the end of the
    ** journal (a torn record), as it would without encryption. */
    for(i=0; i<CIPHER_PAGE && !nonzero; i++) nonzero = a[i];
    if( !nonzero ) return SQLITE_OK;
    rc = pReal->pMethods->xRead(pReal, aPgno, 4, iOfst-4);
    if( rc==SQLITE_OK ) rc = cipherDecrypt(c, sqlite3Get4byte(aPgno), a, "its copy in the rollback journal");
    if( rc ) memset(zBuf, 0, (size_t)iAmt);
  }
  return rc;
}

static int cipherWriteJournal(CipherFile *f, const u8 *zBuf, int iAmt, i64 iOfst){
  sqlite3_file *pReal = CIPHER_REAL(f);
  int rc;
  if( iAmt==CIPHER_PAGE && f->iPgnoOff>=0 && iOfst==f->iPgnoOff+4 ){
    rc = cipherEncrypt(f->pCodec, f->pgno, zBuf, f->pCodec->aOut);
    if( rc==SQLITE_OK ) rc = pReal->pMethods->xWrite(pReal, f->pCodec->aOut, iAmt, iOfst);
    f->iPgnoOff = -1;
    f->iPageEnd = iOfst + iAmt;
    return rc;
  }
  if( iAmt==4 && iOfst!=f->iPageEnd ){           /* a page number (not the checksum after a page) */
    f->iPgnoOff = iOfst;
    f->pgno = sqlite3Get4byte(zBuf);
  }else{
    f->iPgnoOff = -1;
  }
  return pReal->pMethods->xWrite(pReal, zBuf, iAmt, iOfst);
}

static int cipherWrite(sqlite3_file *pFile, const void *zBuf, int iAmt, sqlite3_int64 iOfst){
  CipherFile *f = (CipherFile*)pFile;
  sqlite3_file *pReal = CIPHER_REAL(f);
  int rc = SQLITE_OK, i;
  if( f->eKind==CIPHER_JOURNAL ) return cipherWriteJournal(f, (const u8*)zBuf, iAmt, iOfst);
  if( f->eKind==CIPHER_WAL ){
    return pReal->pMethods->xWrite(pReal, zBuf, iAmt, iOfst);   /* pages come encrypted (the hook) */
  }
  /* The pager writes whole pages only; anything else would reach the disk
  ** in plaintext. */
  if( iOfst % CIPHER_PAGE!=0 || iAmt % CIPHER_PAGE!=0 ) return SQLITE_IOERR_WRITE;
  for(i=0; rc==SQLITE_OK && i<iAmt/CIPHER_PAGE; i++){
    i64 off = iOfst + (i64)i*CIPHER_PAGE;
    rc = cipherEncrypt(f->pCodec, (u32)(off/CIPHER_PAGE + 1), (const u8*)zBuf + (size_t)i*CIPHER_PAGE, f->pCodec->aOut);
    if( rc==SQLITE_OK ) rc = pReal->pMethods->xWrite(pReal, f->pCodec->aOut, CIPHER_PAGE, off);
  }
  return rc;
}

static int cipherFileControl(sqlite3_file *pFile, int op, void *pArg){
  sqlite3_file *pReal = WRAP_REAL(pFile);
  if( op==SQLITE_FCNTL_MMAP_SIZE ) return SQLITE_NOTFOUND;   /* a mapping would hold ciphertext */
  return pReal->pMethods->xFileControl(pReal, op, pArg);
}

static const sqlite3_io_methods cipherIo = {
  2,                               /* v2: shared memory for WAL, no mmap */
  cipherClose, cipherRead, cipherWrite, wrapTruncate, wrapSync, wrapFileSize,
  wrapLock, wrapUnlock, wrapCheckReservedLock, cipherFileControl,
  wrapSectorSize, wrapDeviceCharacteristics,
  wrapShmMap, wrapShmLock, wrapShmBarrier, wrapShmUnmap,
  0, 0
};

/* The bytes wal.c writes (and checksums) for page pPg: encrypted when its
** database is one of ours.  Installed as sqlite3AncWalPageHook. */
static void *cipherWalPage(PgHdr *pPg){
  sqlite3_file *fd = sqlite3PagerFile(pPg->pPager);
  CipherCodec *c;
  if( fd->pMethods!=&cipherIo ) return pPg->pData;
  c = ((CipherFile*)fd)->pCodec;
  if( cipherEncrypt(c, pPg->pgno, (const u8*)pPg->pData, c->aOut) ) return 0;
  return c->aOut;
}

/* ---------------------------------------------------------------------------
** Opening a database file: salt, keys, and the check of the key.
*/
static int cipherRefuse(CipherOpen *pOpen, int rc, const char *zWhy){
  snprintf(pOpen->zWhy, sizeof(pOpen->zWhy), "%s", zWhy);
  return rc;
}

static int cipherAttach(CipherFile *f, CipherOpen *pOpen){
  sqlite3_file *pReal = CIPHER_REAL(f);
  CipherCodec *c;
  u8 aSalt[CIPHER_SALT];
  i64 sz = 0;
  int rc, isRaw, hasSalt = 0;
  c = sqlite3_malloc(sizeof(*c));
  if( c==0 ) return SQLITE_NOMEM;
  memset(c, 0, sizeof(*c));
  f->pCodec = c;
  isRaw = cipherRawKey(pOpen->pKey, pOpen->nKey, c->aKey, aSalt, &hasSalt);
  rc = pReal->pMethods->xFileSize(pReal, &sz);
  if( rc ) return rc;
  if( sz==0 ){                                  /* a new file: its salt */
    if( hasSalt ) memcpy(c->aSalt, aSalt, CIPHER_SALT);
    else if( gCrypto.RAND_bytes(c->aSalt, CIPHER_SALT)!=1 ) return SQLITE_ERROR;
  }else{
    if( sz<CIPHER_PAGE ) return cipherRefuse(pOpen, SQLITE_NOTADB, "file is too short to be an encrypted database");
    rc = pReal->pMethods->xRead(pReal, c->aIn, CIPHER_PAGE, 0);
    if( rc ) return rc;
    if( memcmp(c->aIn, aPlainHeader, CIPHER_SALT)==0 ){
      return cipherRefuse(pOpen, SQLITE_NOTADB, "file is not encrypted, but a key was given");
    }
    if( hasSalt && memcmp(c->aIn, aSalt, CIPHER_SALT)!=0 ){
      return cipherRefuse(pOpen, SQLITE_NOTADB, "wrong key: the raw key's salt is not the file's");
    }
    memcpy(c->aSalt, c->aIn, CIPHER_SALT);
  }
  rc = cipherCodecKey(c, pOpen->pKey, pOpen->nKey, isRaw);
  cryptoWipe(aSalt, sizeof(aSalt));
  if( rc || sz==0 ) return rc;
  if( cipherPageAuthentic(c, 1, c->aIn) ) return SQLITE_OK;
  /* Page 1 fails: a wrong key, unless page 2 shows the key is right. */
  if( sz>=2*CIPHER_PAGE && pReal->pMethods->xRead(pReal, c->aIn, CIPHER_PAGE, CIPHER_PAGE)==SQLITE_OK
   && cipherPageAuthentic(c, 2, c->aIn) ){
    snprintf(tlsLog, sizeof(tlsLog), "database corruption at page 1: the page fails its authentication "
             "(HMAC): damaged or tampered with");
    return SQLITE_CORRUPT;
  }
  return cipherRefuse(pOpen, SQLITE_NOTADB, "wrong key, or not an encrypted database (SQLCipher 4 format)");
}

static int cipherOpen(sqlite3_vfs *pVfs, sqlite3_filename zName, sqlite3_file *pFile,
                      int flags, int *pOutFlags){
  CipherFile *f = (CipherFile*)pFile;
  sqlite3_vfs *pLower = WRAP_LOWER(pVfs);
  CipherOpen *pOpen = 0;
  int rc;
  memset(f, 0, sizeof(*f));
  f->w.pReal = (sqlite3_file*)((u8*)f + ROUND8(sizeof(CipherFile)));
  f->iPgnoOff = -1;
  if( zName && (flags & SQLITE_OPEN_MAIN_DB) ){
    const char *zPtr = sqlite3_uri_parameter(zName, CIPHER_URI_PARAM), *zWhy = 0;
    if( zPtr==0 ) return SQLITE_CANTOPEN;        /* only the shim's open gives keys */
    pOpen = (CipherOpen*)(uintptr_t)strtoull(zPtr, 0, 16);
    if( cryptoReady(&zWhy) ) return cipherRefuse(pOpen, SQLITE_CANTOPEN, zWhy);   /* before a file exists */
    f->eKind = CIPHER_MAIN;
  }else if( zName && (flags & (SQLITE_OPEN_MAIN_JOURNAL | SQLITE_OPEN_WAL)) ){
    sqlite3_file *pDb = sqlite3_database_file_object(zName);
    if( pDb==0 || pDb->pMethods!=&cipherIo ) return SQLITE_CANTOPEN;
    f->pCodec = ((CipherFile*)pDb)->pCodec;
    f->eKind = (flags & SQLITE_OPEN_WAL) ? CIPHER_WAL : CIPHER_JOURNAL;
  }else{
    return SQLITE_CANTOPEN;                     /* temporary files stay in memory */
  }
  rc = pLower->xOpen(pLower, zName, f->w.pReal, flags, pOutFlags);
  if( rc==SQLITE_OK && pOpen ) rc = cipherAttach(f, pOpen);
  if( rc ){
    if( f->w.pReal->pMethods ) f->w.pReal->pMethods->xClose(f->w.pReal);
    if( pOpen ) cipherCodecFree(f->pCodec);
    f->pCodec = 0;
    return rc;
  }
  f->w.base.pMethods = &cipherIo;
  return SQLITE_OK;
}

static int cipherDelete(sqlite3_vfs *pVfs, const char *zPath, int dirSync){
  return WRAP_LOWER(pVfs)->xDelete(WRAP_LOWER(pVfs), zPath, dirSync);
}

/* ---------------------------------------------------------------------------
** One cipher VFS per VFS below it, registered (never as the default) on
** first use: "ancdb-cipher" over the default VFS, "ancdb-cipher/NAME" over
** the VFS NAME (the fault VFS in tests).
*/
#define CIPHER_MAX_VFS 4
static CipherVfs aCipherVfs[CIPHER_MAX_VFS];
static int nCipherVfs = 0;
static pthread_mutex_t cipherVfsMu = PTHREAD_MUTEX_INITIALIZER;

static sqlite3_vfs *cipherVfsOver(sqlite3_vfs *pLower){
  sqlite3_vfs *pFound = 0;
  int i;
  pthread_mutex_lock(&cipherVfsMu);
  for(i=0; i<nCipherVfs && pFound==0; i++){
    if( aCipherVfs[i].base.pAppData==pLower ) pFound = &aCipherVfs[i].base;
  }
  if( pFound==0 && nCipherVfs<CIPHER_MAX_VFS && pLower->iVersion>=2 ){
    CipherVfs *cv = &aCipherVfs[nCipherVfs];
    static const sqlite3_vfs proto = {
      2, 0, 0, 0, 0, 0,
      cipherOpen, cipherDelete, wrapAccess, wrapFullPathname,
      0, 0, 0, 0,                  /* no extension loading */
      wrapRandomness, wrapSleep, wrapCurrentTime, wrapGetLastError,
      wrapCurrentTimeInt64, 0, 0, 0
    };
    cv->base = proto;
    if( pLower==sqlite3_vfs_find(0) ) snprintf(cv->zName, sizeof(cv->zName), "ancdb-cipher");
    else snprintf(cv->zName, sizeof(cv->zName), "ancdb-cipher/%s", pLower->zName);
    cv->base.zName = cv->zName;
    cv->base.pAppData = pLower;
    cv->base.szOsFile = (int)ROUND8(sizeof(CipherFile)) + pLower->szOsFile;
    cv->base.mxPathname = pLower->mxPathname;
    if( sqlite3_vfs_register(&cv->base, 0)==SQLITE_OK ){
      nCipherVfs++;
      pFound = &cv->base;
      sqlite3AncWalPageHook = cipherWalPage;
    }
  }
  pthread_mutex_unlock(&cipherVfsMu);
  return pFound;
}

/* ---------------------------------------------------------------------------
** The key of an open encrypted database, as raw key text (ancdb.h).
*/
ANCDB_API int32_t ancdb_key_export(ancdb_db h, char *zOut, int32_t nOut){
  static const char hex[] = "0123456789abcdef";
  AncDb *p;
  sqlite3_file *fd;
  CipherCodec *c;
  int rc, i;
  if( zOut==0 || nOut<2*(CIPHER_KEY+CIPHER_SALT)+4 ) return SQLITE_MISUSE;
  rc = ancDbEnter(h, &p);
  if( rc ) return rc;
  fd = sqlite3PagerFile(sqlite3BtreePager(p->pBt));
  if( fd->pMethods!=&cipherIo ){
    return ancDbLeave(p, ancSetErr(p, SQLITE_MISMATCH, "the database is not encrypted"));
  }
  c = ((CipherFile*)fd)->pCodec;
  zOut[0] = 'x'; zOut[1] = '\'';
  for(i=0; i<CIPHER_KEY+CIPHER_SALT; i++){
    u8 b = i<CIPHER_KEY ? c->aKey[i] : c->aSalt[i-CIPHER_KEY];
    zOut[2+2*i] = hex[b>>4];
    zOut[3+2*i] = hex[b & 15];
  }
  zOut[2+2*(CIPHER_KEY+CIPHER_SALT)] = '\'';
  zOut[3+2*(CIPHER_KEY+CIPHER_SALT)] = 0;
  return ancDbLeave(p, SQLITE_OK);
}

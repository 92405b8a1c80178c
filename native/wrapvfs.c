/*
** wrapvfs.c -- pass-through pieces shared by ANC-DB's VFS shims (the fault
** VFS and the cipher VFS), #included by ancdb.c before them.
**
** A shim's file object starts with a WrapFile (its sqlite3_file, then the
** wrapped file of the VFS below, allocated right after the shim's own
** object); a shim VFS keeps the VFS below in pAppData.  The calls here add
** nothing: each shim overrides only the calls it changes.
*/
typedef struct WrapFile WrapFile;
struct WrapFile {
  sqlite3_file base;             /* this shim's methods */
  sqlite3_file *pReal;           /* the file of the VFS below */
};

#define WRAP_REAL(pFile)  (((WrapFile*)(pFile))->pReal)
#define WRAP_LOWER(pVfs)  ((sqlite3_vfs*)(pVfs)->pAppData)

static int wrapTruncate(sqlite3_file *pFile, sqlite3_int64 size){
  return WRAP_REAL(pFile)->pMethods->xTruncate(WRAP_REAL(pFile), size);
}

static int wrapSync(sqlite3_file *pFile, int flags){
  return WRAP_REAL(pFile)->pMethods->xSync(WRAP_REAL(pFile), flags);
}

static int wrapFileSize(sqlite3_file *pFile, sqlite3_int64 *pSize){
  return WRAP_REAL(pFile)->pMethods->xFileSize(WRAP_REAL(pFile), pSize);
}

static int wrapLock(sqlite3_file *pFile, int eLock){
  return WRAP_REAL(pFile)->pMethods->xLock(WRAP_REAL(pFile), eLock);
}

static int wrapUnlock(sqlite3_file *pFile, int eLock){
  return WRAP_REAL(pFile)->pMethods->xUnlock(WRAP_REAL(pFile), eLock);
}

static int wrapCheckReservedLock(sqlite3_file *pFile, int *pResOut){
  return WRAP_REAL(pFile)->pMethods->xCheckReservedLock(WRAP_REAL(pFile), pResOut);
}

static int wrapSectorSize(sqlite3_file *pFile){
  return WRAP_REAL(pFile)->pMethods->xSectorSize(WRAP_REAL(pFile));
}

static int wrapDeviceCharacteristics(sqlite3_file *pFile){
  return WRAP_REAL(pFile)->pMethods->xDeviceCharacteristics(WRAP_REAL(pFile));
}

static int wrapShmMap(sqlite3_file *pFile, int iPg, int pgsz, int bExtend, void volatile **pp){
  return WRAP_REAL(pFile)->pMethods->xShmMap(WRAP_REAL(pFile), iPg, pgsz, bExtend, pp);
}

static int wrapShmLock(sqlite3_file *pFile, int ofst, int n, int flags){
  return WRAP_REAL(pFile)->pMethods->xShmLock(WRAP_REAL(pFile), ofst, n, flags);
}

static void wrapShmBarrier(sqlite3_file *pFile){
  WRAP_REAL(pFile)->pMethods->xShmBarrier(WRAP_REAL(pFile));
}

static int wrapShmUnmap(sqlite3_file *pFile, int deleteFlag){
  return WRAP_REAL(pFile)->pMethods->xShmUnmap(WRAP_REAL(pFile), deleteFlag);
}

/* VFS calls that touch no file. */
static int wrapAccess(sqlite3_vfs *pVfs, const char *zPath, int flags, int *pResOut){
  return WRAP_LOWER(pVfs)->xAccess(WRAP_LOWER(pVfs), zPath, flags, pResOut);
}

static int wrapFullPathname(sqlite3_vfs *pVfs, const char *zPath, int nOut, char *zOut){
  return WRAP_LOWER(pVfs)->xFullPathname(WRAP_LOWER(pVfs), zPath, nOut, zOut);
}

static int wrapRandomness(sqlite3_vfs *pVfs, int nByte, char *zOut){
  return WRAP_LOWER(pVfs)->xRandomness(WRAP_LOWER(pVfs), nByte, zOut);
}

static int wrapSleep(sqlite3_vfs *pVfs, int nMicro){
  return WRAP_LOWER(pVfs)->xSleep(WRAP_LOWER(pVfs), nMicro);
}

static int wrapCurrentTime(sqlite3_vfs *pVfs, double *pOut){
  return WRAP_LOWER(pVfs)->xCurrentTime(WRAP_LOWER(pVfs), pOut);
}

static int wrapGetLastError(sqlite3_vfs *pVfs, int n, char *zOut){
  return WRAP_LOWER(pVfs)->xGetLastError(WRAP_LOWER(pVfs), n, zOut);
}

static int wrapCurrentTimeInt64(sqlite3_vfs *pVfs, sqlite3_int64 *pOut){
  return WRAP_LOWER(pVfs)->xCurrentTimeInt64(WRAP_LOWER(pVfs), pOut);
}

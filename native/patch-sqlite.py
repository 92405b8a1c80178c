#!/usr/bin/env python3
"""Apply ANC-DB's source patches to the amalgamation, in place.

Each patch must match exactly once; anything else stops the build, because a
silent miss would link the SQL engine back in, or (patches 2-4) write WAL
frames whose checksums no SQLCipher reader accepts.  A patch whose result is
already present is skipped, so running twice is harmless.

1. sqlite3PagerCheckpoint() runs sqlite3_exec("PRAGMA table_list") to open the
   WAL when no read transaction ever did.  That single call drags in the parser
   and the VDBE.  The shim instead opens and closes a read transaction before it
   checkpoints, so the line is removed.
2-4. The bytes a WAL frame stores, and its checksum covers, come from
   sqlite3AncWalPage(): the page itself, unless a cipher layer installed
   sqlite3AncWalPageHook (native/ciphervfs.c), which returns the page
   encrypted.  SQLCipher checksums WAL frames over the ciphertext; a VFS alone
   only sees frames after wal.c checksummed the plaintext.  Used by the two
   places in wal.c that write page content: walWriteOneFrame() and the
   overwrite of a frame already in the log within one transaction.
5. verifyDbFile() (unix VFS) only reports a database file that was unlinked,
   hard-linked or renamed while open, through sqlite3_log() warnings, which the
   shim's log callback drops (it keeps corruption reports only).  It costs an
   fstat() and a stat() of the path at every open and every close: the cold
   path (open, one read, close) pays four system calls for nothing.
"""
import sys

HOOK = '''/* ANC-DB: what a WAL frame stores (and its checksum covers) for page pPg:
** the page itself, or what a cipher layer's hook makes of it (NULL: no
** memory). */
static void *(*sqlite3AncWalPageHook)(PgHdr*) = 0;
static void *sqlite3AncWalPage(PgHdr *pPg){
  return sqlite3AncWalPageHook ? sqlite3AncWalPageHook(pPg) : pPg->pData;
}

/*
** Write out a single frame of the WAL
*/
'''

PATCHES = [
    ('    sqlite3_exec(db, "PRAGMA table_list",0,0,0);\n',
     '    /* ANC-DB: removed sqlite3_exec("PRAGMA table_list"); the shim opens the WAL itself. */\n'),
    ('/*\n** Write out a single frame of the WAL\n*/\n', HOOK),
    ('  pData = pPage->pData;\n  walEncodeFrame(p->pWal, pPage->pgno, nTruncate, pData, aFrame);\n',
     '  if( (pData = sqlite3AncWalPage(pPage))==0 ) return SQLITE_NOMEM_BKPT;  /* ANC-DB */\n'
     '  walEncodeFrame(p->pWal, pPage->pgno, nTruncate, pData, aFrame);\n'),
    ('        pData = p->pData;\n        rc = sqlite3OsWrite(pWal->pWalFd, pData, szPage, iOff);\n',
     '        if( (pData = sqlite3AncWalPage(p))==0 ) return SQLITE_NOMEM_BKPT;  /* ANC-DB */\n'
     '        rc = sqlite3OsWrite(pWal->pWalFd, pData, szPage, iOff);\n'),
    ('  /* These verifications occurs for the main database only */\n'
     '  if( pFile->ctrlFlags & UNIXFILE_NOLOCK ) return;\n',
     '  /* ANC-DB: the checks below only log warnings, which the shim drops. */\n'
     '  return;\n'),
]

def main(path):
    src = open(path, encoding="utf-8").read()
    applied = 0
    for old, new in PATCHES:
        if src.count(new) == 1:
            continue  # already patched
        n = src.count(old)
        if n != 1:
            sys.exit(f"patch-sqlite: expected exactly one match of {old.strip()[:60]!r}, found {n}")
        src = src.replace(old, new)
        applied += 1
    if applied:
        open(path, "w", encoding="utf-8").write(src)
    print(f"patch-sqlite: {applied} of {len(PATCHES)} patch(es) applied to {path}")
    return 0

if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))

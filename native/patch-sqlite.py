#!/usr/bin/env python3
"""Apply ANC-DB's source patches to the amalgamation, in place.

Each patch must match exactly once; anything else stops the build, because a
silent miss would link the SQL engine back in (see ../shared notes).

1. sqlite3PagerCheckpoint() runs sqlite3_exec("PRAGMA table_list") to open the
   WAL when no read transaction ever did.  That single call drags in the parser
   and the VDBE.  The shim instead opens and closes a read transaction before it
   checkpoints, so the line is removed.
"""
import sys

PATCHES = [
    ('    sqlite3_exec(db, "PRAGMA table_list",0,0,0);\n',
     '    /* ANC-DB: removed sqlite3_exec("PRAGMA table_list"); the shim opens the WAL itself. */\n'),
]

def main(path):
    src = open(path, encoding="utf-8").read()
    if "ANC-DB: removed" in src:
        return 0  # already patched
    for old, new in PATCHES:
        n = src.count(old)
        if n != 1:
            sys.exit(f"patch-sqlite: expected exactly one match of {old.strip()!r}, found {n}")
        src = src.replace(old, new)
    open(path, "w", encoding="utf-8").write(src)
    print(f"patch-sqlite: {len(PATCHES)} patch(es) applied to {path}")
    return 0

if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))

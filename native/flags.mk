# Compile-time options of the SQLite core inside libancdb.so.  Read by the
# native build and by extract-tools/extract.py (so that `gcc -E` sees the same
# active #if blocks the compiler will).
#   OMIT_AUTOINIT    sqlite3_initialize() would register every SQL function;
#                    the shim runs the init steps it needs itself.
#   THREADSAFE=2     one handle per thread at a time; global mutexes stay on.
#   OMIT_DESERIALIZE drops the memdb VFS.
# WAL is kept: files in WAL mode must open.
SQLITE_DEFINES = \
  -DSQLITE_OMIT_AUTOINIT \
  -DSQLITE_THREADSAFE=2 \
  -DSQLITE_OMIT_SHARED_CACHE \
  -DSQLITE_DEFAULT_MEMSTATUS=0 \
  -DSQLITE_OMIT_LOAD_EXTENSION \
  -DSQLITE_OMIT_DEPRECATED \
  -DSQLITE_OMIT_DESERIALIZE \
  -DSQLITE_OMIT_PROGRESS_CALLBACK \
  -DSQLITE_DEFAULT_FOREIGN_KEYS=0 \
  -DSQLITE_DQS=0 \
  -DSQLITE_MAX_MMAP_SIZE=0x7fff0000 \
  -DSQLITE_DEFAULT_FILE_FORMAT=4 \
  -DSQLITE_ENABLE_CORRUPT_PGNO

OPT_CFLAGS  = -O2 -fPIC -fvisibility=hidden -ffunction-sections -fdata-sections
OPT_LDFLAGS = -shared -Wl,--gc-sections -Wl,--version-script=$(NATIVE_DIR)/ancdb.map -lpthread -lm -ldl

/*
** bench_floor.c -- the C floor of the ANC-DB benchmarks.
**
** The engine work ancdb-java does for each benchmarked operation, made
** straight through the shim (native/ancdb.h, libancdb.so) with no JVM: what
** the Java layers cost is ancdb-java's figure minus this one.  It runs on a
** copy of the kv data set written by ANC-DB (the benchmarks' prepared file),
** opened with the same settings as the Java stores (io.ancdb.bench.Config):
**   default: WAL, synchronous=FULL, normal locking, 2000-page cache (ANC-DB's defaults)
**   tuned:   WAL, synchronous=NORMAL, normal locking, cache > file, mmap
** and it makes the calls ancdb-java makes, the same in both:
**   - reads run on a reader connection of their own (opened like ancdb-java's
**     pooled readers: the writer's journal mode kept), each read transaction
**     begun with ancdb_read_begin and ended with ancdb_read_end(keep): the
**     snapshot stays open between reads and is reused while nothing
**     committed (ARCHITECTURE: kept snapshots);
**   - a range scan fetches its rows in one ancdb_cursor_fetch call, as
**     RowCursor does (a limit of 100 asks for exactly 100);
**   - writes run on the writer connection: begin write, seek each new key (it
**     must be absent), insert with the seek's hint, as WriteTx.insert does.
**     The reader's kept snapshot is let go first, as ancdb-java's pool lets an
**     idle one go after 100 ms.
** Every read checks its record exactly as the Java benchmarks do (all 100
** bytes of the value, regenerated from the key and version), so this floor
** does the same work.  Each result carries "work": the calls it made.
**
** Operations (avg time per op, microseconds, like JMH's avgt):
**   directRead       a random record: read_begin, ancdb_table_get, check, read_end(keep)
**   directReadInTx   the same inside one read transaction held open
**   rangeScan100     read_begin, cursor open, seek, one fetch of 100 rows, 100 checks, close, read_end(keep)
**   batchWrite1000   begin write, cursor, 1000 x (seek: must be absent, insert), commit
**   atomicWrite      the same for one record per transaction
**
** Usage: bench_floor <kv master file> <n records> <scratch dir> [warmup_s iters iter_s]
** Prints one JSON object on stdout: per result the JMH benchmark it mirrors
** ("mirrors"), the configuration, score and 99.9% error (null with one
** iteration), and its "work".
*/
#include "ancdb.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define VALUE_LEN 100
#define MAX_ITERS 64

static void die(const char *what, int rc) {
  char msg[256];
  ancdb_errstr(rc, msg, sizeof msg);
  fprintf(stderr, "bench_floor: %s: rc=%d (%s)\n", what, rc, msg);
  exit(1);
}
#define CHECK(call) do { int rc_ = (call); if (rc_ != ANCDB_OK) die(#call, rc_); } while (0)

static double now_s(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* --- the data set (io.ancdb.bench.Data, kv) ------------------------------------------ */

static uint64_t mix(uint64_t z) {
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}
static void put_be64(uint8_t *p, uint64_t v) { for (int i = 7; i >= 0; i--) { p[i] = (uint8_t)v; v >>= 8; } }
static void put_be32(uint8_t *p, uint32_t v) { for (int i = 3; i >= 0; i--) { p[i] = (uint8_t)v; v >>= 8; } }
static uint64_t get_be64(const uint8_t *p) { uint64_t v = 0; for (int i = 0; i < 8; i++) v = (v << 8) | p[i]; return v; }
static uint32_t get_be32(const uint8_t *p) { uint32_t v = 0; for (int i = 0; i < 4; i++) v = (v << 8) | p[i]; return v; }

static void make_value(uint8_t *v, int64_t key, int32_t version) {
  put_be64(v, (uint64_t)key);
  put_be32(v + 8, (uint32_t)version);
  uint64_t s = mix((uint64_t)key * 31 + (uint64_t)(int64_t)version);
  for (int i = 12; i < VALUE_LEN - 8; i += 8) { s = mix(s); put_be64(v + i, s); }
  put_be64(v + VALUE_LEN - 8, mix((uint64_t)key ^ ((uint64_t)(int64_t)version << 40)));
}

/* The whole value, as io.ancdb.bench.Data.checkValue: every byte regenerated from (key, version). */
static void check_value(int64_t key, const uint8_t *v, uint32_t len) {
  uint8_t want[VALUE_LEN];
  if (len == VALUE_LEN && (int64_t)get_be64(v) == key) {
    make_value(want, key, (int32_t)get_be32(v + 8));
    if (memcmp(want, v, VALUE_LEN) == 0) return;
  }
  fprintf(stderr, "bench_floor: wrong value for key %lld\n", (long long)key);
  exit(2);
}

/* --- SQLite records ------------------------------------------------------------------ */

static int get_varint(const uint8_t *p, uint64_t *v) {
  uint64_t x = 0;
  for (int i = 0; i < 8; i++) {
    x = (x << 7) | (p[i] & 0x7f);
    if (!(p[i] & 0x80)) { *v = x; return i + 1; }
  }
  *v = (x << 8) | p[8];
  return 9;
}

static uint32_t serial_len(uint64_t t) {
  static const uint32_t fixed[] = {0, 1, 2, 3, 4, 6, 8, 8, 0, 0, 0, 0};
  return t < 12 ? fixed[t] : (uint32_t)((t - 12) / 2);
}

/* Column i of record r (n bytes): its serial type and a pointer to its body. */
static const uint8_t *column(const uint8_t *r, uint32_t n, int i, uint64_t *type) {
  uint64_t hdr;
  int off = get_varint(r, &hdr);
  uint32_t body = (uint32_t)hdr;
  for (int c = 0; off < (int)hdr; c++) {
    uint64_t t;
    off += get_varint(r + off, &t);
    if (c == i) { *type = t; return body + serial_len(t) <= n ? r + body : NULL; }
    body += serial_len(t);
  }
  return NULL;
}

static int64_t column_int(const uint8_t *r, uint32_t n, int i) {
  uint64_t t;
  const uint8_t *p = column(r, n, i, &t);
  if (!p || t < 1 || t > 9 || t == 7) return -1;
  if (t == 8) return 0;
  if (t == 9) return 1;
  uint32_t len = serial_len(t);
  int64_t v = (int8_t)p[0];
  for (uint32_t k = 1; k < len; k++) v = (v << 8) | p[k];
  return v;
}

/* The kv record as ANC-DB writes it: [NULL (the rowid alias k), blob 100]. */
static int kv_record(uint8_t *out, const uint8_t *value) {
  uint64_t t = 12 + 2 * VALUE_LEN;      /* 212: a two-byte varint */
  out[0] = 4;                           /* header size */
  out[1] = 0;                           /* NULL */
  out[2] = (uint8_t)(0x80 | (t >> 7));
  out[3] = (uint8_t)(t & 0x7f);
  memcpy(out + 4, value, VALUE_LEN);
  return 4 + VALUE_LEN;
}

/* Checks a kv record read back for key: the value column is record key's value. */
static void check_record(int64_t key, const uint8_t *r, uint32_t n) {
  uint64_t t;
  const uint8_t *v = column(r, n, 1, &t);
  if (!v || t < 12 || (t & 1)) { fprintf(stderr, "bench_floor: malformed record %lld\n", (long long)key); exit(2); }
  check_value(key, v, serial_len(t));
}

/* Root page of table `name`, from sqlite_schema. */
static uint32_t table_root(ancdb_db db, const char *name) {
  uint8_t buf[8192];
  ancdb_cursor c;
  uint32_t root = 0;
  CHECK(ancdb_begin(db, 0, NULL));
  CHECK(ancdb_cursor_open(db, 1, 0, 0, &c));
  for (int rc = ancdb_cursor_first(c); rc == ANCDB_OK; rc = ancdb_cursor_next(c)) {
    uint32_t n;
    CHECK(ancdb_cursor_payload_size(c, &n));
    if (n > sizeof buf) continue;
    CHECK(ancdb_cursor_payload(c, 0, n, buf));
    uint64_t tt, tn;
    const uint8_t *type = column(buf, n, 0, &tt), *nm = column(buf, n, 1, &tn);
    if (type && nm && tt == 13 + 2 * 5 && memcmp(type, "table", 5) == 0
        && serial_len(tn) == strlen(name) && memcmp(nm, name, strlen(name)) == 0) {
      root = (uint32_t)column_int(buf, n, 3);
    }
  }
  CHECK(ancdb_cursor_close(c));
  CHECK(ancdb_commit(db));
  if (root == 0) { fprintf(stderr, "bench_floor: no table %s\n", name); exit(1); }
  return root;
}

/* --- the operations ------------------------------------------------------------------ */

#define FETCH_BUFFER (64 * 1024)   /* RowCursor's first fetch buffer (NativeCursor.MIN_FETCH_BUFFER) */

typedef struct {
  ancdb_db db;         /* the writer connection */
  ancdb_db rd;         /* the reader connection */
  uint32_t root;
  int64_t n;
  uint64_t rnd;
  int64_t next_fresh;
  int kept;            /* the reader's last read_end kept its snapshot */
  uint8_t buf[4096];
  uint64_t fetched[FETCH_BUFFER / 8];
} Ctx;

static uint64_t next_rnd(Ctx *c) {
  c->rnd ^= c->rnd >> 12; c->rnd ^= c->rnd << 25; c->rnd ^= c->rnd >> 27;
  return c->rnd * 0x2545F4914F6CDD1DULL;
}
static int64_t random_key(Ctx *c, int64_t span) { return 1 + (int64_t)(next_rnd(c) % (uint64_t)span); }

/* Database.beginRead on a pooled reader: a kept snapshot is reused while nothing committed. */
static void read_begin(Ctx *c) {
  CHECK(ancdb_read_begin(c->rd, NULL, NULL));
}

/* ReadTx.close: the reader keeps its snapshot for the next read when it may. */
static void read_end(Ctx *c) {
  CHECK(ancdb_read_end(c->rd, 1, &c->kept));
}

/* The pool's release of an idle reader's snapshot (so checkpoints are not held back). */
static void read_release(Ctx *c) {
  if (c->kept) { CHECK(ancdb_read_end(c->rd, 0, NULL)); c->kept = 0; }
}

/* Database.beginWrite on the writer connection. */
static void write_begin(Ctx *c) {
  CHECK(ancdb_begin(c->db, 1, NULL));
}

static void get_checked(Ctx *c, int64_t key) {
  int32_t len;
  int rc = ancdb_table_get(c->rd, c->root, key, c->buf, sizeof c->buf, &len);
  if (rc != ANCDB_OK) die("ancdb_table_get", rc);
  check_record(key, c->buf, (uint32_t)len);
}

static void op_direct_read(Ctx *c) {
  read_begin(c);
  get_checked(c, random_key(c, c->n));
  read_end(c);
}

static void op_direct_read_in_tx(Ctx *c) {
  get_checked(c, random_key(c, c->n));
}

/* RowCursor over ScanSpec.of("kv").from(from).limit(100): open, seek, one batch of 100, close. */
static void op_range_scan100(Ctx *c) {
  int64_t from = random_key(c, c->n - 100 + 1);
  ancdb_cursor cur;
  int32_t res, count = 0, done = 0, bytes = 0;
  read_begin(c);
  CHECK(ancdb_cursor_open(c->rd, c->root, 0, 0, &cur));
  int rc = ancdb_cursor_seek_rowid(cur, from, &res);
  if (rc == ANCDB_OK && res < 0) rc = ancdb_cursor_next(cur);
  if (rc != ANCDB_OK) die("seek", rc);
  CHECK(ancdb_cursor_fetch(cur, 0, 1, 100, INT64_MAX, c->fetched, sizeof c->fetched, &count, &done, &bytes));
  if (count != 100) { fprintf(stderr, "bench_floor: scan fetched %d records\n", count); exit(2); }
  const uint8_t *p = (const uint8_t *)c->fetched;
  for (int i = 0; i < count; i++) {
    int64_t k;
    int32_t na, nb;
    memcpy(&k, p, 8);                  /* host order, 8-byte aligned (ancdb.h) */
    memcpy(&na, p + 8, 4);
    memcpy(&nb, p + 12, 4);
    if (k != from + i) { fprintf(stderr, "bench_floor: scan out of order\n"); exit(2); }
    check_record(k, p + 16, (uint32_t)na);
    p += (16 + na + nb + 7) & ~7;
  }
  CHECK(ancdb_cursor_close(cur));
  read_end(c);
}

static void insert_fresh(Ctx *c, ancdb_cursor cur) {
  uint8_t value[VALUE_LEN], rec[VALUE_LEN + 8];
  int64_t key = c->next_fresh++;
  int32_t res;
  int rc = ancdb_cursor_seek_rowid(cur, key, &res);
  if (rc == ANCDB_OK && res == 0) { fprintf(stderr, "bench_floor: key %lld exists\n", (long long)key); exit(2); }
  make_value(value, key, 0);
  int len = kv_record(rec, value);
  CHECK(ancdb_cursor_insert_row(cur, key, rec, len));
}

static void write_records(Ctx *c, int count) {
  ancdb_cursor cur;
  write_begin(c);
  CHECK(ancdb_cursor_open(c->db, c->root, ANCDB_CURSOR_WRITE, 0, &cur));
  for (int i = 0; i < count; i++) insert_fresh(c, cur);
  CHECK(ancdb_cursor_close(cur));
  CHECK(ancdb_commit(c->db));
}

static void op_batch_write1000(Ctx *c) { write_records(c, 1000); }
static void op_atomic_write(Ctx *c) { write_records(c, 1); }

/* What each operation does (the same calls in both configurations): the "work" of its result. */
static const char *work(const char *op) {
  if (strcmp(op, "directRead") == 0)
    return "ancdb_read_begin (the kept snapshot reused while nothing committed) + ancdb_table_get + whole-value"
           " check + ancdb_read_end(keep), on a reader connection (as a pooled ReadTx)";
  if (strcmp(op, "directReadInTx") == 0)
    return "ancdb_table_get + whole-value check inside one read transaction held open";
  if (strcmp(op, "rangeScan100") == 0)
    return "ancdb_read_begin + cursor open + seek + one ancdb_cursor_fetch of 100 rows + 100 whole-value checks"
           " + cursor close + ancdb_read_end(keep) (as RowCursor with limit 100)";
  if (strcmp(op, "batchWrite1000") == 0)
    return "ancdb_begin(write) + cursor open + 1000 x (seek: must be absent, record built, insert with the seek's hint)"
           " + ancdb_commit on the writer connection (as WriteTx.insert)";
  return "ancdb_begin(write) + cursor open + seek (must be absent) + insert with the seek's hint + ancdb_commit"
         " on the writer connection (as WriteTx.insert)";
}

/* --- measurement --------------------------------------------------------------------- */

typedef struct { int warmup_s10, iters, iter_s10; } Plan;   /* tenths of seconds */

/* Student t, two-sided 99.9% (the 0.9995 quantile), by degrees of freedom: JMH's error is this
** confidence interval's half-width.  Exact to 3 decimals up to 30; beyond, the Cornish-Fisher
** expansion around the normal quantile (within 0.002 of the table at 30). */
static double t999(int df) {
  static const double t[] = {0, 636.619, 31.599, 12.924, 8.610, 6.869, 5.959, 5.408, 5.041, 4.781, 4.587,
                             4.437, 4.318, 4.221, 4.140, 4.073, 4.015, 3.965, 3.922, 3.883, 3.850,
                             3.819, 3.792, 3.768, 3.745, 3.725, 3.707, 3.690, 3.674, 3.659, 3.646};
  if (df <= 30) return t[df];
  double z = 3.2905, z3 = z * z * z, z5 = z3 * z * z;
  return z + (z3 + z) / (4.0 * df) + (5 * z5 + 16 * z3 + 3 * z) / (96.0 * df * df);
}

/* Runs op for about s seconds; returns microseconds per op. */
static double run_for(Ctx *c, void (*op)(Ctx *), double s) {
  long ops = 0;
  double t0 = now_s(), t = t0;
  while (t - t0 < s) {
    for (int i = 0; i < 16; i++) op(c);
    ops += 16;
    t = now_s();
  }
  return (t - t0) * 1e6 / (double)ops;
}

/* Measures op; name is the JMH benchmark it mirrors ("Reads.directRead"). */
static void measure(Ctx *c, const char *config, const char *name, void (*op)(Ctx *), const Plan *p, int *first) {
  double s[MAX_ITERS], sum = 0, var = 0;
  run_for(c, op, p->warmup_s10 / 10.0);
  for (int i = 0; i < p->iters; i++) { s[i] = run_for(c, op, p->iter_s10 / 10.0); sum += s[i]; }
  double mean = sum / p->iters;
  for (int i = 0; i < p->iters; i++) var += (s[i] - mean) * (s[i] - mean);
  double err = p->iters > 1 ? t999(p->iters - 1) * sqrt(var / (p->iters - 1)) / sqrt((double)p->iters) : NAN;
  char errText[32];                    /* unknown with one iteration: JSON null, never a zero error */
  if (isnan(err)) snprintf(errText, sizeof errText, "null");
  else snprintf(errText, sizeof errText, "%.4f", err);
  printf("%s\n    {\"mirrors\": \"io.ancdb.bench.%s\", \"config\": \"%s\", \"score\": %.4f, \"error\": %s,"
         " \"unit\": \"us/op\", \"iterations\": %d,\n     \"work\": \"%s\"}", *first ? "" : ",", name, config, mean,
         errText, p->iters, work(strchr(name, '.') + 1));
  *first = 0;
  fflush(stdout);
}

static void copy_file(const char *from, const char *to) {
  int in = open(from, O_RDONLY), out = open(to, O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (in < 0 || out < 0) { fprintf(stderr, "bench_floor: copy %s: %s\n", from, strerror(errno)); exit(1); }
  static char b[1 << 20];
  ssize_t r;
  while ((r = read(in, b, sizeof b)) > 0) {
    if (write(out, b, (size_t)r) != r) { fprintf(stderr, "bench_floor: write: %s\n", strerror(errno)); exit(1); }
  }
  close(in);
  close(out);
}

/* Removes a database file with its journal, WAL and shm files. */
static void remove_db(const char *path) {
  static const char *suffix[] = {"", "-journal", "-wal", "-shm"};
  char f[4200];
  for (int i = 0; i < 4; i++) {
    snprintf(f, sizeof f, "%s%s", path, suffix[i]);
    unlink(f);
  }
}

static void run_config(const char *master, int64_t n, const char *dir, int tuned, const Plan *p, int *first) {
  char path[4096];
  snprintf(path, sizeof path, "%s/floor-%s.db", dir, tuned ? "tuned" : "default");
  remove_db(path);
  copy_file(master, path);
  struct stat st;
  stat(path, &st);
  int64_t pages = st.st_size / 4096;
  uint32_t flags = ANCDB_OPEN_WAL | (tuned ? ANCDB_OPEN_SYNC_NORMAL : ANCDB_OPEN_SYNC_FULL);
  int32_t cache = tuned ? (int32_t)(pages + pages / 4 + 2048) : 2000;   /* io.ancdb.bench.Config */
  Ctx *c = calloc(1, sizeof *c);
  char err[256];
  /* tuned maps the file like io.ancdb.bench.Config.mmapBytes: size + 256 MiB, under SQLite's ceiling */
  int64_t mmap = tuned ? (int64_t)st.st_size + (256LL << 20) : 0;
  if (mmap > 0x7fff0000LL) mmap = 0x7fff0000LL;
  int rc = ancdb_open(path, flags, cache, 5000, mmap, err, sizeof err, &c->db);
  if (rc != ANCDB_OK) { fprintf(stderr, "bench_floor: open: %s\n", err); exit(1); }
  /* a reader as ancdb-java opens one (DatabaseOptions.nativeFlags(true)): the writer's journal mode kept */
  rc = ancdb_open(path, flags | ANCDB_OPEN_KEEP_JOURNAL, cache, 5000, mmap, err, sizeof err, &c->rd);
  if (rc != ANCDB_OK) { fprintf(stderr, "bench_floor: open reader: %s\n", err); exit(1); }
  c->root = table_root(c->db, "kv");
  c->n = n;
  c->rnd = mix(42) | 1;
  c->next_fresh = n + 1;
  const char *cfg = tuned ? "tuned" : "default";

  /* warm: every record once, in key order (as the Java trials do) */
  read_begin(c);
  for (int64_t k = 1; k <= n; k++) get_checked(c, k);
  read_end(c);

  measure(c, cfg, "Reads.directRead", op_direct_read, p, first);
  read_begin(c);
  measure(c, cfg, "Reads.directReadInTx", op_direct_read_in_tx, p, first);
  read_end(c);
  measure(c, cfg, "Reads.rangeScan100", op_range_scan100, p, first);
  read_release(c);
  measure(c, cfg, "Writes.batchWrite1000", op_batch_write1000, p, first);
  measure(c, cfg, "Writes.atomicWrite", op_atomic_write, p, first);
  CHECK(ancdb_close(c->rd));
  CHECK(ancdb_close(c->db));
  free(c);
  remove_db(path);
}

int main(int argc, char **argv) {
  if (argc != 4 && argc != 7) {
    fprintf(stderr, "usage: %s <kv master file> <n records> <scratch dir> [warmup_s iters iter_s]\n", argv[0]);
    return 1;
  }
  Plan p = {10, 3, 10};
  if (argc == 7) {
    p.warmup_s10 = (int)(atof(argv[4]) * 10);
    p.iters = atoi(argv[5]);
    p.iter_s10 = (int)(atof(argv[6]) * 10);
    if (p.iters < 1 || p.iters > MAX_ITERS) { fprintf(stderr, "bench_floor: 1..%d iterations\n", MAX_ITERS); return 1; }
  }
  int64_t n = atoll(argv[2]);
  int v = ancdb_version(), sv = ancdb_sqlite_version();
  printf("{\n  \"store\": \"c-floor\", \"records\": %lld, \"shim_version\": \"%d.%d.%d\","
         " \"sqlite_version\": \"%d.%d.%d\",\n  \"results\": [", (long long)n, v / 10000, v / 100 % 100, v % 100,
         sv / 1000000, sv / 1000 % 1000, sv % 1000);
  int first = 1;
  run_config(argv[1], n, argv[3], 0, &p, &first);
  run_config(argv[1], n, argv[3], 1, &p, &first);
  printf("\n  ],\n  \"work\": {\n    \"default\": \"%s\",\n    \"tuned\": \"%s\"\n  }\n}\n",
         "no JVM: the engine calls ancdb-java makes, through libancdb.so. WAL, synchronous=FULL, normal locking,"
         " 2000-page cache; a writer and a reader connection, the reader keeping its snapshot between reads",
         "no JVM: the engine calls ancdb-java makes, through libancdb.so. WAL, synchronous=NORMAL, normal locking,"
         " cache 1.25 x the file + 2048 pages, mmap the file + 256 MiB; a writer and a reader connection, the"
         " reader keeping its snapshot between reads");
  return 0;
}

#!/usr/bin/env python3
"""End-to-end run of the Python client against a live ANC-DB server.

    python3 test_e2e.py HOST:PORT [--token T]
    python3 test_e2e.py --stdio java -jar ancdb.jar stdio --db FILE

Defines the AgentMemory schema, batch-writes 1000 records, reads one,
range-scans on ``timestamp`` descending with a limit, updates, deletes,
commits one transaction and rolls back another (an exception inside
``with db.transaction()``), then prints one JSON summary line on stdout that
the Java test checks the file against with the sqlite3 shell.  Exit status 0
only if every check passed.
"""

import array
import json
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import anc_db  # noqa: E402

SCHEMA = "AgentMemory"
FIELDS = [
    {"name": "id", "type": "u64", "primary_key": True},
    {"name": "timestamp", "type": "i64", "indexed": True},
    {"name": "content", "type": "str", "compressed": True},
    {"name": "embedding", "type": "f32vec"},
    {"name": "tags", "type": "strlist", "indexed": True},
]
T0 = 1_700_000_000_000
N = 1000


def record(i):
    return {
        "id": i,
        "timestamp": T0 + i * 1000,
        "content": "memory #%d: the agent observed event %d" % (i, i * 7),
        "embedding": [i * 0.5, -1.0, 0.25, float(i % 10)],
        "tags": ["agent-%d" % (i % 3), "even" if i % 2 == 0 else "odd"],
    }


def check(cond, what):
    if not cond:
        raise AssertionError(what)


def rows_of(data):
    """A range scan's rows, whether the data is a list or a map holding one."""
    if isinstance(data, dict):
        for k in ("records", "rows", "items"):
            if k in data:
                return data[k]
    return data


def expect_status(status, fn, *args):
    try:
        fn(*args)
    except anc_db.AncDbError as e:
        check(e.status == status, "expected status %d, got %r (%s)" % (status, e.status, e))
        return e
    raise AssertionError("expected status %d, call succeeded" % status)


def run(db):
    summary = {}
    t = time.monotonic()
    schema_id = db.define_schema(SCHEMA, FIELDS)
    summary["schema_id"] = schema_id
    names = db.list_schemas()
    check(SCHEMA in json.dumps(names), "list_schemas lacks %s: %r" % (SCHEMA, names))

    db.batch_write(SCHEMA, [record(i) for i in range(1, N + 1)])
    check(db.last_meta is None or db.last_meta.get("rows_affected") in (None, N),
          "batch rows_affected: %r" % (db.last_meta,))
    summary["written"] = N

    r = db.read(SCHEMA, 42)
    exp = record(42)
    for f in ("id", "timestamp", "content", "tags"):
        check(r[f] == exp[f], "read 42 field %s: %r != %r" % (f, r[f], exp[f]))
    check([round(x, 4) for x in r["embedding"]] == exp["embedding"], "embedding %r" % (r["embedding"],))
    summary["vectors"] = vectors_as_bytes(db, r)

    rows = rows_of(db.range_scan(SCHEMA, index="timestamp", limit=10, order="desc"))
    ids = [row["id"] for row in rows]
    check(ids == list(range(N, N - 10, -1)), "scan desc ids %r" % (ids,))
    rows = rows_of(db.range_scan(SCHEMA, index="timestamp", start=T0 + 100_000, end=T0 + 104_000,
                                 limit=100, order="asc"))
    summary["bounded_scan_ids"] = [row["id"] for row in rows]
    check(summary["bounded_scan_ids"][:1] == [100] and len(rows) in (4, 5),
          "bounded scan %r" % (summary["bounded_scan_ids"],))
    summary["scan_desc_first"] = ids[0]
    summary["composite_newest"] = scan_prefixes_and_unsigned(db)

    db.update(SCHEMA, 42, {"content": "updated #42"})
    check(db.read(SCHEMA, 42)["content"] == "updated #42", "update not visible")

    db.delete(SCHEMA, 7)
    expect_status(anc_db.KEY_NOT_FOUND, db.read, SCHEMA, 7)
    expect_status(anc_db.CONSTRAINT_VIOLATION, db.write, SCHEMA, record(1))
    expect_status(anc_db.SCHEMA_NOT_FOUND, db.read, "NoSuchSchema", 1)
    # A misplaced option is refused, not ignored: on_conflict belongs in options.
    expect_status(anc_db.INVALID_COMMAND, db.request,
                  {"cmd": anc_db.ATOMIC_WRITE, "schema": SCHEMA, "record": record(1), "on_conflict": "replace"})

    # Committed transaction.
    with db.transaction():
        db.write(SCHEMA, record(2001))
        db.write(SCHEMA, record(2002))
    check(db.read(SCHEMA, 2001)["id"] == 2001, "committed tx write missing")

    # Rolled-back transaction: an exception inside the block leaves no trace.
    try:
        with db.transaction():
            db.write(SCHEMA, record(3001))
            db.update(SCHEMA, 1, {"content": "must not survive"})
            db.delete(SCHEMA, 2)
            raise RuntimeError("boom")
    except RuntimeError as e:
        check(str(e) == "boom", "wrong exception")
    else:
        raise AssertionError("exception swallowed by transaction()")
    expect_status(anc_db.KEY_NOT_FOUND, db.read, SCHEMA, 3001)
    check(db.read(SCHEMA, 1)["content"] == record(1)["content"], "rolled-back update visible")
    check(db.read(SCHEMA, 2)["id"] == 2, "rolled-back delete visible")

    stats = db.stats()
    check(isinstance(stats, dict), "stats: %r" % (stats,))

    summary.update({
        "ok": True,
        "schema": SCHEMA,
        "expected_count": N - 1 + 2,
        "deleted": 7,
        "absent_after_rollback": 3001,
        "sample": {"id": 42, "timestamp": T0 + 42 * 1000, "content": "updated #42",
                   "tags": record(42)["tags"]},
        "seconds": round(time.monotonic() - t, 3),
    })
    return summary


def vectors_as_bytes(db, read42):
    """The client asked for vectors as bytes (its default): they come back as float32 arrays (numpy when
    it is installed, else array('f')), exactly; float arrays go out as bytes; Hello "array" gives lists."""
    check(db.vectors == "bin", "the client did not ask for vectors as bytes: %r" % (db.vectors,))
    kind = "numpy" if anc_db._np is not None else "array"
    emb = read42["embedding"]
    check(kind == "numpy" and isinstance(emb, anc_db._np.ndarray) or isinstance(emb, array.array),
          "embedding came back as %r" % (type(emb),))
    check(list(emb) == record(42)["embedding"], "embedding values %r" % (list(emb),))

    db.define_schema("Vec", [{"name": "id", "type": "i64", "primary_key": True},
                             {"name": "v", "type": "f32vec"}, {"name": "q", "type": "i8vec"}])
    v = array.array("f", [0.1, -2.5, 3.0e38, float("inf")])
    q = array.array("f", [0.25, -1.0, 7.0])
    db.write("Vec", {"id": 1, "v": v, "q": q})                  # sent as bytes
    db.write("Vec", {"id": 2, "v": list(v), "q": list(q)})      # sent as arrays of floats
    one, two = db.read("Vec", 1), db.read("Vec", 2)
    check(list(one["v"]) == list(v) and list(two["v"]) == list(v), "f32vec %r %r" % (one["v"], two["v"]))
    check(list(one["q"]) == list(two["q"]), "i8vec %r %r" % (one["q"], two["q"]))
    check(all(abs(a - b) <= 8.0 / 255 for a, b in zip(one["q"], q)), "i8vec within its scale: %r" % (one["q"],))
    if anc_db._np is not None:
        db.write("Vec", {"id": 3, "v": anc_db._np.array([1.0, 2.0]), "q": anc_db._np.array([0.5])})
        check(list(db.read("Vec", 3)["v"]) == [1.0, 2.0], "numpy vector round trip")

    check(db.hello("array") == {"vectors": "array"}, "hello array")
    plain = db.read("Vec", 1)
    check(isinstance(plain["v"], list) and plain["v"] == list(v), "arrays after hello: %r" % (plain["v"],))
    check(plain["q"] == list(one["q"]), "i8vec as an array: the same dequantized floats")
    check(db.hello("bin") == {"vectors": "bin"}, "hello bin")
    return kind


def scan_prefixes_and_unsigned(db):
    """A composite index scanned by key prefix, and u64 keys across 2^63 in unsigned order."""
    db.define_schema("Chat", [
        {"name": "id", "type": "u64", "primary_key": True},
        {"name": "agent_id", "type": "str"},
        {"name": "ts", "type": "i64"},
    ], [["agent_id", "ts"]])
    agents = ["claude", "gpt", "llama"]
    db.batch_write("Chat", [{"id": i, "agent_id": agents[i % 3], "ts": (i * 37) % 101} for i in range(1, 101)])
    claude = sorted(((i * 37) % 101, i) for i in range(1, 101) if i % 3 == 0)
    newest = [i for _, i in reversed(claude)][:20]
    rows = db.range_scan("Chat", index="Chat_agent_id_ts", start=["claude"], end=["claude"], limit=20, order="desc")
    check([r["id"] for r in rows] == newest, "claude's newest 20: %r" % ([r["id"] for r in rows],))
    window = [i for t, i in claude if 10 <= t < 60]
    rows = db.range_scan("Chat", index="Chat_agent_id_ts", start=("claude", 10), end=("claude", 60),
                         end_inclusive=False)
    check([r["id"] for r in rows] == window, "claude between 10 and 60: %r" % ([r["id"] for r in rows],))

    keys = [1, 2, 2 ** 63, 2 ** 64 - 1]
    db.define_schema("U", [{"name": "id", "type": "u64", "primary_key": True},
                           {"name": "num", "type": "i64", "indexed": True}])
    db.batch_write("U", [{"id": k, "num": 5} for k in reversed(keys)])
    check([r["id"] for r in db.range_scan("U")] == keys, "u64 keys in unsigned order")
    check([r["id"] for r in db.range_scan("U", end=10)] == keys[:2], "u64 keys up to 10")
    check([r["id"] for r in db.range_scan("U", start=2 ** 63)] == keys[2:], "u64 keys from 2^63")
    check([r["id"] for r in db.range_scan("U", index="num", start=5, end=5, order="desc")] == keys[::-1],
          "index ties in unsigned key order")
    return newest


def main(argv):
    if len(argv) >= 2 and argv[1] == "--stdio":
        db = anc_db.connect_stdio(argv[2:])
    elif len(argv) in (2, 4) and (len(argv) == 2 or argv[2] == "--token"):
        db = anc_db.connect(argv[1], token=argv[3] if len(argv) == 4 else None)
    else:
        print(__doc__, file=sys.stderr)
        return 2
    try:
        summary = run(db)
    finally:
        db.close()
    if getattr(db, "returncode", None) not in (None, 0):
        raise AssertionError("stdio server exited with %r" % (db.returncode,))
    print(json.dumps(summary, sort_keys=True))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

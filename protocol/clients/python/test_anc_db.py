#!/usr/bin/env python3
"""Unit tests of anc_db.py against an in-process fake server (no JVM needed).

    python3 -m unittest -v test_anc_db     (from this directory)
"""

import array
import os
import socket
import struct
import sys
import threading
import unittest

import msgpack

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import anc_db  # noqa: E402


def ok(data=None, rows=0):
    return {"status": 0, "data": data, "meta": {"rows_affected": rows, "execution_time_us": 1}, "error": None}


def err(status, message):
    return {"status": status, "data": None, "meta": {"rows_affected": 0, "execution_time_us": 1}, "error": message}


class FakeServer:
    """Answers each request with handler(request); records the requests. Can dribble bytes."""

    def __init__(self, handler, dribble=False):
        self.requests = []
        self.handler = handler
        self.dribble = dribble
        self.client_sock, self.server_sock = socket.socketpair()
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self):
        unpacker = msgpack.Unpacker(raw=False)
        try:
            while True:
                chunk = self.server_sock.recv(4096)
                if not chunk:
                    return
                unpacker.feed(chunk)
                for req in unpacker:
                    self.requests.append(req)
                    resp = self.handler(req)
                    if resp is None:
                        self.server_sock.close()
                        return
                    data = msgpack.packb(resp, use_bin_type=True)
                    if self.dribble:
                        for i in range(len(data)):
                            self.server_sock.sendall(data[i:i + 1])
                    else:
                        self.server_sock.sendall(data)
        except OSError:
            pass

    def client(self):
        s = self.client_sock
        return anc_db.Client(s.sendall, s.recv, s.close, "fake")

    def stop(self):
        try:
            self.server_sock.close()
        except OSError:
            pass
        self.thread.join(5)


class ClientTest(unittest.TestCase):
    def serve(self, handler, dribble=False):
        srv = FakeServer(handler, dribble)
        self.addCleanup(srv.stop)
        db = srv.client()
        self.addCleanup(db.close)
        return srv, db

    def test_request_shapes(self):
        srv, db = self.serve(lambda r: ok({"echo": r["cmd"]}))
        db.read("S", 5)
        db.range_scan("S", index="ts", start=1, limit=3, order="desc")
        db.range_scan("S")
        db.write("S", {"id": 1}, on_conflict="replace")
        db.batch_write("S", [{"id": 1}, {"id": 2}])
        db.update("S", 1, {"n": 2})
        db.delete("S", 1)
        db.define_schema("S", [{"name": "id", "type": "u64", "primary_key": True}], [["a", "b"]])
        db.list_schemas()
        db.stats()
        db.range_scan("S", index="S_a_b", start=["x", 1], end=("x",), end_inclusive=False, order="desc")
        r = srv.requests
        self.assertEqual(r[0], {"cmd": 1, "schema": "S", "key": 5})
        self.assertEqual(r[1], {"cmd": 2, "schema": "S", "index": "ts", "range": {"start": 1},
                                "limit": 3, "order": "desc"})
        self.assertEqual(r[2], {"cmd": 2, "schema": "S", "order": "asc"})
        self.assertEqual(r[3], {"cmd": 3, "schema": "S", "record": {"id": 1}, "options": {"on_conflict": "replace"}})
        self.assertEqual(r[4]["cmd"], 4)
        self.assertEqual(r[4]["options"], {"on_conflict": "fail"})
        self.assertEqual(r[5], {"cmd": 5, "schema": "S", "key": 1, "delta": {"n": 2}})
        self.assertEqual(r[6], {"cmd": 6, "schema": "S", "key": 1})
        self.assertEqual(r[7]["composite_indexes"], [["a", "b"]])
        self.assertEqual([x["cmd"] for x in r[8:10]], [0x21, 0x22])
        # a key prefix (list or tuple) goes out as an array, the inclusive flags as given
        self.assertEqual(r[10], {"cmd": 2, "schema": "S", "index": "S_a_b", "order": "desc",
                                 "range": {"start": ["x", 1], "end": ["x"], "end_inclusive": False}})
        self.assertEqual(db.last_meta["rows_affected"], 0)

    def test_bytes_round_trip_as_bin(self):
        srv, db = self.serve(lambda r: ok(r["record"]))
        self.assertEqual(db.write("S", {"b": b"\x00\xff", "s": "é"}), {"b": b"\x00\xff", "s": "é"})

    def test_error_raises_with_status(self):
        _, db = self.serve(lambda r: err(3, "key not found"))
        with self.assertRaises(anc_db.AncDbError) as cm:
            db.read("S", 1)
        self.assertEqual(cm.exception.status, 3)
        self.assertEqual(cm.exception.message, "key not found")
        self.assertIn("KeyNotFound", str(cm.exception))

    def test_responses_split_across_reads(self):
        big = "x" * 200_000
        _, db = self.serve(lambda r: ok({"v": big, "k": r.get("key")}), dribble=False)
        for k in range(5):
            self.assertEqual(db.read("S", k), {"v": big, "k": k})
        _, db2 = self.serve(lambda r: ok([1, 2, {"k": r.get("key")}]), dribble=True)
        self.assertEqual(db2.read("S", 9), [1, 2, {"k": 9}])

    def test_transaction_commits(self):
        srv, db = self.serve(lambda r: ok())
        with db.transaction():
            db.write("S", {"id": 1})
        self.assertEqual([r["cmd"] for r in srv.requests], [0x10, 0x03, 0x11])

    def test_transaction_rolls_back_and_reraises(self):
        srv, db = self.serve(lambda r: ok())
        with self.assertRaises(KeyError):
            with db.transaction():
                db.write("S", {"id": 1})
                raise KeyError("boom")
        self.assertEqual([r["cmd"] for r in srv.requests], [0x10, 0x03, 0x12])

    def test_failed_rollback_does_not_hide_the_error(self):
        srv, db = self.serve(lambda r: err(1, "no tx") if r["cmd"] == 0x12 else ok())
        with self.assertRaises(ValueError):
            with db.transaction():
                raise ValueError("original")

    def test_server_error_inside_transaction_rolls_back(self):
        srv, db = self.serve(lambda r: err(4, "dup") if r["cmd"] == 3 else ok())
        with self.assertRaises(anc_db.AncDbError):
            with db.transaction():
                db.write("S", {"id": 1})
        self.assertEqual([r["cmd"] for r in srv.requests], [0x10, 0x03, 0x12])

    def test_server_closing_raises(self):
        _, db = self.serve(lambda r: None)
        with self.assertRaises(anc_db.AncDbError) as cm:
            db.read("S", 1)
        self.assertIsNone(cm.exception.status)

    def test_closed_client_refuses(self):
        _, db = self.serve(lambda r: ok())
        db.close()
        with self.assertRaises(anc_db.AncDbError):
            db.stats()

    def test_parse_address(self):
        self.assertEqual(anc_db._parse_address("127.0.0.1:7070"), ("127.0.0.1", 7070))
        self.assertEqual(anc_db._parse_address("[::1]:80"), ("::1", 80))
        self.assertEqual(anc_db._parse_address(":9"), ("127.0.0.1", 9))
        with self.assertRaises(ValueError):
            anc_db._parse_address("nohost")

    def test_connect_with_token_authenticates_first(self):
        listener = socket.socket()
        listener.bind(("127.0.0.1", 0))
        listener.listen(1)
        self.addCleanup(listener.close)
        seen = []

        def serve():
            conn, _ = listener.accept()
            with conn:
                unpacker = msgpack.Unpacker(raw=False)
                while True:
                    chunk = conn.recv(4096)
                    if not chunk:
                        return
                    unpacker.feed(chunk)
                    for req in unpacker:
                        seen.append(req)
                        good = req.get("cmd") != 0x30 or req.get("token") == "s3cret"
                        conn.sendall(msgpack.packb(ok() if good else err(6, "bad token")))

        t = threading.Thread(target=serve, daemon=True)
        t.start()
        db = anc_db.connect("127.0.0.1:%d" % listener.getsockname()[1], token="s3cret")
        db.stats()
        db.close()
        t.join(5)
        self.assertEqual(seen[0], {"cmd": 0x30, "token": "s3cret"})
        self.assertEqual(seen[1], {"cmd": 0x31, "vectors": "bin"})     # then Hello: vectors as bytes
        self.assertEqual(seen[2]["cmd"], 0x22)


F32 = struct.Struct("<3f")


class StoreTest(unittest.TestCase):
    """The calls of a store (serve --store): db handles, versions, expect_version, VersionConflict."""

    def serve(self, handler):
        srv = FakeServer(handler)
        self.addCleanup(srv.stop)
        db = srv.client()
        self.addCleanup(db.close)
        return srv, db

    def test_handles_carry_db_and_expect_version(self):
        def versioned(r):
            resp = ok(7)
            resp["meta"]["version"] = 4
            return resp
        srv, db = self.serve(versioned)
        pair = db.pair("globex", "acme")
        self.assertEqual(pair.name, "acme.globex")
        pair.write("Event", {"ts": 1}, expect_version=3)
        self.assertEqual(pair.version, 4)
        pair.read("Event", 7)
        pair.range_scan("Event", index="ts", limit=2, order="desc")
        pair.update("Event", 7, {"kind": "x"}, expect_version=4)
        pair.delete("Event", 7)
        pair.batch_write("Event", [{"ts": 2}])
        pair.begin(expect_version=5)
        pair.stats()
        db.database("ledger").list_schemas()
        db.range_scan("Event", db=["acme.globex", "acme.initech"], limit=5)
        db.range_scan("Event", db="acme.*")
        db.list_databases(glob="acme.*", after="acme.globex", limit=10)
        db.drop_database("ledger")
        db.define_schema("Event", [{"name": "id", "type": "u64", "primary_key": True}])
        r = srv.requests
        self.assertEqual(r[0], {"cmd": 3, "db": "acme.globex", "expect_version": 3, "schema": "Event",
                                "record": {"ts": 1}, "options": {"on_conflict": "fail"}})
        self.assertEqual(r[1], {"cmd": 1, "db": "acme.globex", "schema": "Event", "key": 7})
        self.assertEqual(r[2], {"cmd": 2, "db": "acme.globex", "schema": "Event", "index": "ts", "limit": 2,
                                "order": "desc"})
        self.assertEqual(r[3]["expect_version"], 4)
        self.assertEqual(r[4], {"cmd": 6, "db": "acme.globex", "schema": "Event", "key": 7})
        self.assertEqual(r[5]["db"], "acme.globex")
        self.assertEqual(r[6], {"cmd": 0x10, "db": "acme.globex", "expect_version": 5})
        self.assertEqual(r[7], {"cmd": 0x24, "db": "acme.globex"})
        self.assertEqual(r[8], {"cmd": 0x21, "db": "ledger"})
        self.assertEqual(r[9]["db"], ["acme.globex", "acme.initech"])
        self.assertEqual(r[10]["db"], "acme.*")
        self.assertEqual(r[11], {"cmd": 0x23, "glob": "acme.*", "after": "acme.globex", "limit": 10})
        self.assertEqual(r[12], {"cmd": 0x25, "db": "ledger"})
        self.assertNotIn("db", r[13])

    def test_a_stale_version_raises_version_conflict_with_the_current_version(self):
        _, db = self.serve(lambda r: {"status": 10, "data": {"current_version": 9},
                                      "meta": {"rows_affected": 0, "execution_time_us": 1},
                                      "error": "database \"acme.globex\" is at version 9, the write expected 3"})
        with self.assertRaises(anc_db.VersionConflict) as cm:
            db.pair("acme", "globex").write("Event", {"ts": 1}, expect_version=3)
        self.assertEqual(cm.exception.current_version, 9)
        self.assertEqual(cm.exception.status, anc_db.VERSION_CONFLICT)
        self.assertIsInstance(cm.exception, anc_db.AncDbError)

    def test_transaction_on_a_handle(self):
        srv, db = self.serve(lambda r: ok(None))
        with db.pair("acme", "globex").transaction(expect_version=2):
            db.write("Event", {"ts": 1})
        self.assertEqual([x["cmd"] for x in srv.requests], [0x10, 0x03, 0x11])
        self.assertEqual(srv.requests[0], {"cmd": 0x10, "db": "acme.globex", "expect_version": 2})

    def test_pair_name_is_canonical_and_checks_party_names(self):
        self.assertEqual(anc_db.pair_name("globex", "acme"), "acme.globex")
        self.assertEqual(anc_db.pair_name("acme", "globex"), "acme.globex")
        self.assertEqual(anc_db.pair_name("a-1", "a_1"), "a-1.a_1")
        for a, b in [("acme", "acme"), ("Acme", "globex"), ("ac.me", "globex"), ("", "globex"),
                     ("-acme", "globex"), ("acme-wal", "globex"), ("con", "globex"), ("x" * 61, "globex"),
                     ("acme", "glob\u0435x"), ("acme-mj0a", "globex"), (None, "globex")]:
            with self.assertRaises(ValueError, msg=(a, b)):
                anc_db.pair_name(a, b)


class VectorTest(unittest.TestCase):
    """Vectors as bytes: Hello, decoding by the schema's vector fields, packing float arrays as bytes."""

    def fake(self, records):
        """A server holding schema V (id, vec f32vec, q i8vec, raw bytes) that answers reads with
        ``records``; it sends vectors as bytes once the client's Hello asked for "bin"."""
        state = {"vectors": "array"}
        schema = {"id": 7, "name": "V", "composite_indexes": [], "fields": [
            {"name": "id", "type": "i64"}, {"name": "vec", "type": "f32vec"},
            {"name": "q", "type": "i8vec"}, {"name": "raw", "type": "bytes"}]}

        def handle(r):
            if r["cmd"] == anc_db.HELLO:
                state["vectors"] = r.get("vectors", state["vectors"])
                return ok({"vectors": state["vectors"]})
            if r["cmd"] == anc_db.LIST_SCHEMAS:
                return ok([schema])
            if r["cmd"] == anc_db.RANGE_SCAN:
                return ok(records)
            return ok(records[0])

        srv = FakeServer(handle)
        self.addCleanup(srv.stop)
        db = srv.client()
        self.addCleanup(db.close)
        return srv, db

    def stored(self):
        return {"id": 1, "vec": F32.pack(1.5, -2.0, 0.25), "q": F32.pack(0.0, 1.0, 2.0), "raw": b"\x01\x02"}

    def check_vector(self, got, want):
        if anc_db._np is not None:
            self.assertIsInstance(got, anc_db._np.ndarray)
            self.assertEqual(str(got.dtype), "float32")
        else:
            self.assertIsInstance(got, array.array)
            self.assertEqual(got.typecode, "f")
        self.assertEqual(list(got), want)

    def test_bin_vectors_come_back_as_float_arrays(self):
        srv, db = self.fake([self.stored(), self.stored()])
        self.assertEqual(db.hello("bin"), {"vectors": "bin"})
        self.assertEqual(db.vectors, "bin")
        rec = db.read("v", 1)                       # the schema by another case: learnt from ListSchemas
        self.check_vector(rec["vec"], [1.5, -2.0, 0.25])
        self.check_vector(rec["q"], [0.0, 1.0, 2.0])
        self.assertEqual(rec["raw"], b"\x01\x02")  # a bytes field stays bytes
        for row in db.range_scan(7):                # the schema by id
            self.check_vector(row["vec"], [1.5, -2.0, 0.25])
        self.check_vector(db.update("V", 1, {"id": 1})["vec"], [1.5, -2.0, 0.25])
        cmds = [r["cmd"] for r in srv.requests]
        self.assertEqual(cmds.count(anc_db.LIST_SCHEMAS), 1, cmds)   # learnt once

    def test_without_numpy_vectors_are_array_f(self):
        saved = anc_db._np
        anc_db._np = None
        try:
            _, db = self.fake([self.stored()])
            db.hello("bin")
            got = db.read("V", 1)["vec"]
            self.assertIsInstance(got, array.array)
            self.assertEqual(list(got), [1.5, -2.0, 0.25])
        finally:
            anc_db._np = saved

    def test_array_connections_leave_records_alone(self):
        raw = self.stored()
        srv, db = self.fake([dict(raw)])
        self.assertEqual(db.read("V", 1), raw)      # no Hello: nothing decoded, no ListSchemas
        self.assertNotIn(anc_db.LIST_SCHEMAS, [r["cmd"] for r in srv.requests])

    def test_float_arrays_are_sent_as_little_endian_bytes(self):
        srv, db = self.fake([self.stored()])
        db.write("V", {"id": 1, "vec": array.array("f", [1.5, -2.0, 0.25]), "q": array.array("d", [0.0, 1.0, 2.0]),
                       "l": [1.5]})
        sent = srv.requests[-1]["record"]
        self.assertEqual(sent["vec"], F32.pack(1.5, -2.0, 0.25))
        self.assertEqual(sent["q"], F32.pack(0.0, 1.0, 2.0))
        self.assertEqual(sent["l"], [1.5])          # a list stays an array of floats
        with self.assertRaises(TypeError):
            db.write("V", {"id": 2, "x": object()})

    @unittest.skipIf(anc_db._np is None, "numpy is not installed (optional)")
    def test_numpy_arrays_are_sent_as_little_endian_bytes(self):
        np = anc_db._np
        srv, db = self.fake([self.stored()])
        db.write("V", {"id": np.int64(1), "vec": np.array([1.5, -2.0, 0.25], dtype=">f8")})
        sent = srv.requests[-1]["record"]
        self.assertEqual(sent["vec"], F32.pack(1.5, -2.0, 0.25))
        self.assertEqual(sent["id"], 1)


if __name__ == "__main__":
    unittest.main()

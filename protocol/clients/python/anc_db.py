"""ANC-DB Python client: MessagePack requests over TCP or a subprocess's stdio.

Needs only the ``msgpack`` package (Debian: ``python3-msgpack``).

    import anc_db
    db = anc_db.connect("127.0.0.1:7070", token=None)
    db.define_schema("AgentMemory", [
        {"name": "id", "type": "u64", "primary_key": True},
        {"name": "timestamp", "type": "i64", "indexed": True},
        {"name": "content", "type": "str", "compressed": True},
    ])
    db.write("AgentMemory", {"id": 1, "timestamp": 1700000000, "content": "hello"})
    print(db.read("AgentMemory", 1))
    with db.transaction():
        db.update("AgentMemory", 1, {"content": "bye"})
    db.close()

Every request is one MessagePack map ``{"cmd": n, ...}``; every response a map
``{"status", "data", "meta", "error"}``.  A non-zero status is raised as
:class:`AncDbError` (``.status``, ``.message``); the ``meta`` of the last
response is kept in ``Client.last_meta``.

Vectors (``f32vec``/``i8vec`` fields): ``connect`` and ``connect_stdio`` ask
the server for them as bytes (Hello, ``vectors="bin"``: n little-endian
float32s) and hand them back as ``numpy.ndarray`` (float32) when numpy is
importable, else as ``array.array('f')``; ``vectors="array"`` keeps lists of
floats.  A vector may be given as a list, an ``array.array`` or a numpy
array: the latter two are sent as bytes.
"""

import array
import contextlib
import os
import socket
import subprocess
import sys

import msgpack

try:
    import numpy as _np
except ImportError:  # numpy is optional: vectors then come back as array('f')
    _np = None

__all__ = [
    "AncDbError", "Client", "connect", "connect_stdio",
    "OK", "INVALID_COMMAND", "SCHEMA_NOT_FOUND", "KEY_NOT_FOUND",
    "CONSTRAINT_VIOLATION", "TRANSACTION_CONFLICT", "UNAUTHORIZED",
    "LIMIT_EXCEEDED", "TRANSACTION_ABORTED", "INTERNAL", "VECTOR_TYPES",
]

# Status codes (public contract).
OK = 0
INVALID_COMMAND = 1
SCHEMA_NOT_FOUND = 2
KEY_NOT_FOUND = 3
CONSTRAINT_VIOLATION = 4
TRANSACTION_CONFLICT = 5
UNAUTHORIZED = 6
LIMIT_EXCEEDED = 7
TRANSACTION_ABORTED = 8
INTERNAL = 100

STATUS_NAMES = {
    OK: "OK", INVALID_COMMAND: "InvalidCommand", SCHEMA_NOT_FOUND: "SchemaNotFound",
    KEY_NOT_FOUND: "KeyNotFound", CONSTRAINT_VIOLATION: "ConstraintViolation",
    TRANSACTION_CONFLICT: "TransactionConflict", UNAUTHORIZED: "Unauthorized",
    LIMIT_EXCEEDED: "LimitExceeded", TRANSACTION_ABORTED: "TransactionAborted",
}

# Command codes (public contract).
DIRECT_READ = 0x01
RANGE_SCAN = 0x02
ATOMIC_WRITE = 0x03
BATCH_WRITE = 0x04
ATOMIC_UPDATE = 0x05
DELETE = 0x06
BEGIN_TX = 0x10
COMMIT_TX = 0x11
ROLLBACK_TX = 0x12
DEFINE_SCHEMA = 0x20
LIST_SCHEMAS = 0x21
STATS = 0x22
AUTH = 0x30
HELLO = 0x31

VECTOR_TYPES = ("f32vec", "i8vec")

_RECV_CHUNK = 65536


class AncDbError(Exception):
    """An error response (``status`` != 0) or a broken connection (``status`` None)."""

    def __init__(self, status, message):
        self.status = status
        self.message = message
        name = STATUS_NAMES.get(status, "Internal" if isinstance(status, int) and status >= 100 else None)
        prefix = "%s (%s)" % (name, status) if name else ("status %s" % status if status is not None else "connection")
        super().__init__("%s: %s" % (prefix, message))


class Client:
    """One connection: requests are sent and answered one at a time, in order.

    Not thread-safe: use one Client per thread.  ``send`` writes all bytes,
    ``recv`` returns some bytes (b"" at end of stream), ``closer`` releases
    the transport.
    """

    def __init__(self, send, recv, closer, description="connection"):
        self._send = send
        self._recv = recv
        self._closer = closer
        self._description = description
        self._unpacker = msgpack.Unpacker(raw=False, strict_map_key=False)
        self._closed = False
        self.last_meta = None
        # how the server sends this connection's vectors ("array" until a Hello says otherwise)
        self.vectors = "array"
        # schema name (lower case) or id -> names of its vector fields, to decode them when sent as bytes
        self._vector_fields = {}

    # --- transport ---------------------------------------------------------

    def request(self, req):
        """Sends one request map, returns the ``data`` of its response or raises AncDbError."""
        resp = self.raw_request(req)
        if not isinstance(resp, dict):
            raise AncDbError(None, "malformed response: %r" % (resp,))
        self.last_meta = resp.get("meta")
        status = resp.get("status")
        if status != OK:
            raise AncDbError(status, resp.get("error") or "")
        return resp.get("data")

    def raw_request(self, req):
        """Sends one request (any msgpack-able object), returns the whole decoded response."""
        if self._closed:
            raise AncDbError(None, "client is closed")
        self.send_bytes(msgpack.packb(req, use_bin_type=True, default=_pack_vector))
        return self.read_response()

    def send_bytes(self, data):
        """Writes raw bytes to the server (for tests of malformed input)."""
        try:
            self._send(data)
        except OSError as e:
            raise AncDbError(None, "send failed on %s: %s" % (self._description, e)) from e

    def read_response(self):
        """Reads the next whole response object from the stream."""
        while True:
            try:
                return next(self._unpacker)
            except StopIteration:
                pass
            try:
                chunk = self._recv(_RECV_CHUNK)
            except OSError as e:
                raise AncDbError(None, "receive failed on %s: %s" % (self._description, e)) from e
            if not chunk:
                raise AncDbError(None, "%s closed by the server" % self._description)
            self._unpacker.feed(chunk)

    def close(self):
        if not self._closed:
            self._closed = True
            self._closer()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
        return False

    # --- commands ----------------------------------------------------------

    def auth(self, token):
        return self.request({"cmd": AUTH, "token": token})

    def hello(self, vectors=None):
        """Sets how the server sends this connection's vectors: "bin" (bytes) or "array" (lists of
        floats); None changes nothing.  Returns the connection's options, e.g. ``{"vectors": "bin"}``."""
        req = {"cmd": HELLO}
        if vectors is not None:
            req["vectors"] = vectors
        options = self.request(req)
        if isinstance(options, dict):
            self.vectors = options.get("vectors", self.vectors)
        return options

    def define_schema(self, name, fields, composite_indexes=None):
        """Defines (or re-confirms) a schema; returns its id.

        ``fields``: ``[{"name", "type", "primary_key", "indexed", "compressed"}]``
        with type one of u64 i64 f64 bool str bytes f32vec i8vec strlist.
        """
        fields = list(fields)
        req = {"cmd": DEFINE_SCHEMA, "schema": name, "fields": fields}
        if composite_indexes:
            req["composite_indexes"] = [list(c) for c in composite_indexes]
        schema_id = self.request(req)
        self._remember(schema_id, name, fields)
        return schema_id

    def list_schemas(self):
        schemas = self.request({"cmd": LIST_SCHEMAS})
        for s in schemas if isinstance(schemas, list) else []:
            if isinstance(s, dict):
                self._remember(s.get("id"), s.get("name"), s.get("fields") or [])
        return schemas

    def stats(self):
        return self.request({"cmd": STATS})

    def write(self, schema, record, on_conflict="fail"):
        return self.request({"cmd": ATOMIC_WRITE, "schema": schema, "record": record,
                             "options": {"on_conflict": on_conflict}})

    def batch_write(self, schema, records, on_conflict="fail"):
        return self.request({"cmd": BATCH_WRITE, "schema": schema, "records": list(records),
                             "options": {"on_conflict": on_conflict}})

    def read(self, schema, key):
        return self._records(schema, self.request({"cmd": DIRECT_READ, "schema": schema, "key": key}))

    def range_scan(self, schema, index=None, start=None, end=None, limit=None, order="asc",
                   start_inclusive=None, end_inclusive=None):
        """Records of ``schema`` over its key or ``index``, in order.

        ``start``/``end`` are a value or a list (tuple) of values for the
        index's first fields, e.g. ``start=["claude"], end=["claude"]`` on an
        index over (agent_id, timestamp) is every "claude" record; the
        ``*_inclusive`` flags default to True on the server.
        """
        req = {"cmd": RANGE_SCAN, "schema": schema, "order": order}
        if index is not None:
            req["index"] = index
        rng = {}
        if start is not None:
            rng["start"] = start
        if end is not None:
            rng["end"] = end
        if start_inclusive is not None:
            rng["start_inclusive"] = start_inclusive
        if end_inclusive is not None:
            rng["end_inclusive"] = end_inclusive
        if rng:
            req["range"] = rng
        if limit is not None:
            req["limit"] = limit
        return self._records(schema, self.request(req))

    def update(self, schema, key, delta):
        return self._records(schema, self.request({"cmd": ATOMIC_UPDATE, "schema": schema, "key": key,
                                                   "delta": delta}))

    def delete(self, schema, key):
        return self.request({"cmd": DELETE, "schema": schema, "key": key})

    def begin(self):
        return self.request({"cmd": BEGIN_TX})

    def commit(self):
        return self.request({"cmd": COMMIT_TX})

    def rollback(self):
        return self.request({"cmd": ROLLBACK_TX})

    @contextlib.contextmanager
    def transaction(self):
        """``with db.transaction(): ...``: BeginTx, then CommitTx, or RollbackTx if the body raises."""
        self.begin()
        try:
            yield self
        except BaseException:
            try:
                self.rollback()
            except AncDbError:
                pass  # the body's exception is the one that matters
            raise
        self.commit()

    # --- vectors sent as bytes ---------------------------------------------

    def _remember(self, schema_id, name, fields):
        names = frozenset(f.get("name") for f in fields if isinstance(f, dict) and f.get("type") in VECTOR_TYPES)
        if isinstance(name, str):
            self._vector_fields[name.lower()] = names
        if isinstance(schema_id, int):
            self._vector_fields[schema_id] = names

    def _vector_names(self, schema):
        key = schema.lower() if isinstance(schema, str) else schema
        if key not in self._vector_fields:
            self.list_schemas()        # defined by another client: learn its fields once
        return self._vector_fields.get(key, frozenset())

    def _records(self, schema, data):
        """``data`` (a record or a list of them) with vector fields sent as bytes decoded."""
        if self.vectors != "bin" or data is None:
            return data
        names = self._vector_names(schema)
        if names:
            for rec in (data if isinstance(data, list) else [data]):
                for f in names:
                    v = rec.get(f)
                    if isinstance(v, bytes):
                        rec[f] = _unpack_vector(v)
        return data


def _unpack_vector(b):
    """n little-endian float32s: a float32 numpy array when numpy is there, else array('f')."""
    if _np is not None:
        return _np.frombuffer(b, dtype="<f4").astype(_np.float32)
    v = array.array("f")
    v.frombytes(b)
    if sys.byteorder == "big":
        v.byteswap()
    return v


def _pack_vector(obj):
    """msgpack's hook for what it cannot pack: float arrays as little-endian float32 bytes."""
    if isinstance(obj, array.array) and obj.typecode in "fd":
        v = obj if obj.typecode == "f" else array.array("f", obj)
        if sys.byteorder == "big":
            v = array.array("f", v)
            v.byteswap()
        return v.tobytes()
    if _np is not None and isinstance(obj, _np.ndarray):
        return obj.astype("<f4").tobytes()
    if _np is not None and isinstance(obj, _np.generic):
        return obj.item()
    raise TypeError("cannot send %r" % (type(obj),))


def _parse_address(address):
    if isinstance(address, tuple):
        return address
    host, sep, port = address.rpartition(":")
    if not sep:
        raise ValueError("address must be HOST:PORT, got %r" % (address,))
    if host.startswith("[") and host.endswith("]"):
        host = host[1:-1]
    return host or "127.0.0.1", int(port)


def connect(address="127.0.0.1:7070", token=None, timeout=30.0, vectors="bin"):
    """Connects over TCP to ``HOST:PORT``; authenticates first when ``token`` is given, then asks
    for ``vectors`` ("bin": vectors as bytes, handed back as arrays; "array": lists; None: no Hello)."""
    host, port = _parse_address(address)
    sock = socket.create_connection((host, port), timeout=timeout)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    client = Client(sock.sendall, sock.recv, sock.close, "%s:%d" % (host, port))
    return _greet(client, token, vectors)


def _greet(client, token, vectors):
    """Auth (when there is a token), then Hello (when ``vectors`` is given); closes the client on failure."""
    try:
        if token is not None:
            client.auth(token)
        if vectors is not None:
            client.hello(vectors)
    except BaseException:
        client.close()
        raise
    return client


def connect_stdio(argv, token=None, stderr=None, vectors="bin"):
    """Starts ``argv`` (e.g. ``["java", "-jar", "ancdb.jar", "stdio", "--db", FILE]``)
    and talks to it over its stdin/stdout (``vectors`` as for :func:`connect`).
    ``close()`` closes its stdin and waits for it to exit; the exit code is then
    in ``client.returncode``."""
    proc = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=stderr, bufsize=0)
    in_fd = proc.stdin.fileno()
    out_fd = proc.stdout.fileno()

    def send(data):
        view = memoryview(data)
        while view:
            n = os.write(in_fd, view)
            view = view[n:]

    def recv(n):
        return os.read(out_fd, n)

    def closer():
        try:
            proc.stdin.close()
        except OSError:
            pass
        try:
            client.returncode = proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            proc.kill()
            client.returncode = proc.wait()
        proc.stdout.close()

    client = Client(send, recv, closer, "stdio of %s" % argv[0])
    client.process = proc
    client.returncode = None
    return _greet(client, token, vectors)

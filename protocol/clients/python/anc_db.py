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

A server of a store (``serve --store DIR``) holds many files, each command
naming one (``db``): ``db.pair("acme", "globex")`` (the canonical pair file,
:func:`pair_name`) or ``db.database(name)`` is a handle whose calls carry it.
Every answer about a file tells its version (``handle.version``, also
``Client.last_meta["version"]``); writes and ``begin`` take
``expect_version=``, and a stale one raises :class:`VersionConflict`
carrying ``current_version``.

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
    "AncDbError", "VersionConflict", "Client", "Database", "connect", "connect_stdio", "pair_name",
    "DATABASE_NOT_FOUND", "VERSION_CONFLICT",
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
DATABASE_NOT_FOUND = 9
VERSION_CONFLICT = 10
INTERNAL = 100

STATUS_NAMES = {
    OK: "OK", INVALID_COMMAND: "InvalidCommand", SCHEMA_NOT_FOUND: "SchemaNotFound",
    KEY_NOT_FOUND: "KeyNotFound", CONSTRAINT_VIOLATION: "ConstraintViolation",
    TRANSACTION_CONFLICT: "TransactionConflict", UNAUTHORIZED: "Unauthorized",
    LIMIT_EXCEEDED: "LimitExceeded", TRANSACTION_ABORTED: "TransactionAborted",
    DATABASE_NOT_FOUND: "DatabaseNotFound", VERSION_CONFLICT: "VersionConflict",
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
LIST_DATABASES = 0x23
DATABASE_STATS = 0x24
DROP_DATABASE = 0x25
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


class VersionConflict(AncDbError):
    """Status 10: the write expected the file at another version; ``current_version`` is the file's."""

    def __init__(self, message, current_version):
        super().__init__(VERSION_CONFLICT, message)
        self.current_version = current_version


# --- names of pair files (the same rules as the Java io.ancdb.store.PairNames) ---

_MAX_PARTY = 60
_ALNUM = frozenset("abcdefghijklmnopqrstuvwxyz0123456789")
_PARTY_CHARS = _ALNUM | frozenset("_-")
_SIDE_SUFFIXES = ("-wal", "-shm", "-journal", "-wal2")
_DEVICES = frozenset(["con", "prn", "aux", "nul"] + ["com%d" % i for i in range(10)]
                     + ["lpt%d" % i for i in range(10)])


def _party_problem(p):
    """Why ``p`` is not a valid party name, or None (1-60 of a-z 0-9 _ -, alphanumeric at both ends...)."""
    if not isinstance(p, str) or not p:
        return "party name is empty"
    if len(p) > _MAX_PARTY:
        return "party name is longer than %d characters" % _MAX_PARTY
    for i, c in enumerate(p):
        if c not in _PARTY_CHARS:
            if "A" <= c <= "Z":
                return "party name %r has upper case: names are lower case (a-z)" % p
            return "party name %r has the character %r at %d; allowed: a-z 0-9 _ -" % (p, c, i)
    if p[0] not in _ALNUM or p[-1] not in _ALNUM:
        return "party name %r must begin and end with a letter or digit" % p
    for suffix in _SIDE_SUFFIXES:
        if p.endswith(suffix):
            return "party name %r ends in %s, the suffix of a SQLite side file" % (p, suffix)
    mj = p.rfind("-mj")
    if mj >= 0 and mj + 3 < len(p) and all(c in "0123456789abcdef" for c in p[mj + 3:]):
        return "party name %r ends like a SQLite super-journal (-mj + hex)" % p
    if p in _DEVICES:
        return "party name %r begins with the reserved device name %s" % (p, p)
    return None


def pair_name(a, b):
    """The canonical database name of the pair ``a``, ``b`` (in either order): the two party names
    in ASCII order joined by ".", as the server's ``PairNames.pair``. Raises ValueError for an
    invalid party name (1-60 characters of a-z 0-9 _ -, a letter or digit at both ends) or a
    party paired with itself."""
    for p in (a, b):
        why = _party_problem(p)
        if why is not None:
            raise ValueError(why)
    if a == b:
        raise ValueError("a pair needs two different parties, got %r twice" % (a,))
    return a + "." + b if a < b else b + "." + a


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
        if status == VERSION_CONFLICT:
            data = resp.get("data") or {}
            raise VersionConflict(resp.get("error") or "", data.get("current_version"))
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

    def define_schema(self, name, fields, composite_indexes=None, db=None):
        """Defines (or re-confirms) a schema; returns its id (in a store: of file ``db``; without
        ``db`` a store schema, every file's, and None: ids are per file).

        ``fields``: ``[{"name", "type", "primary_key", "indexed", "compressed"}]``
        with type one of u64 i64 f64 bool str bytes f32vec i8vec strlist.
        """
        fields = list(fields)
        req = _with(db, None, {"cmd": DEFINE_SCHEMA, "schema": name, "fields": fields})
        if composite_indexes:
            req["composite_indexes"] = [list(c) for c in composite_indexes]
        schema_id = self.request(req)
        self._remember(schema_id, name, fields)
        return schema_id

    def list_schemas(self, db=None):
        schemas = self.request(_with(db, None, {"cmd": LIST_SCHEMAS}))
        for s in schemas if isinstance(schemas, list) else []:
            if isinstance(s, dict):
                self._remember(s.get("id") if db is None else None, s.get("name"), s.get("fields") or [])
        return schemas

    def stats(self):
        return self.request({"cmd": STATS})

    def write(self, schema, record, on_conflict="fail", db=None, expect_version=None):
        return self.request(_with(db, expect_version, {"cmd": ATOMIC_WRITE, "schema": schema, "record": record,
                                                       "options": {"on_conflict": on_conflict}}))

    def batch_write(self, schema, records, on_conflict="fail", db=None, expect_version=None):
        return self.request(_with(db, expect_version, {"cmd": BATCH_WRITE, "schema": schema,
                                                       "records": list(records),
                                                       "options": {"on_conflict": on_conflict}}))

    def read(self, schema, key, db=None):
        return self._records(schema, self.request(_with(db, None, {"cmd": DIRECT_READ, "schema": schema,
                                                                   "key": key})))

    def range_scan(self, schema, index=None, start=None, end=None, limit=None, order="asc",
                   start_inclusive=None, end_inclusive=None, db=None):
        """Records of ``schema`` over its key or ``index``, in order.

        ``start``/``end`` are a value or a list (tuple) of values for the
        index's first fields, e.g. ``start=["claude"], end=["claude"]`` on an
        index over (agent_id, timestamp) is every "claude" record; the
        ``*_inclusive`` flags default to True on the server.  In a store,
        ``db`` is one file, or a list of names or a glob ("acme.*"): the
        files' rows merged by the index, one ``limit`` in all, each as
        ``{"db": name, "record": {...}}``.
        """
        req = _with(list(db) if isinstance(db, (list, tuple)) else db, None,
                    {"cmd": RANGE_SCAN, "schema": schema, "order": order})
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
        rows = self.request(req)
        if isinstance(db, (list, tuple)) or (isinstance(db, str) and ("*" in db or "?" in db)):
            if self.vectors == "bin" and isinstance(rows, list):
                for row in rows:
                    self._records(schema, row.get("record"))
            return rows
        return self._records(schema, rows)

    def update(self, schema, key, delta, db=None, expect_version=None):
        return self._records(schema, self.request(_with(db, expect_version, {
            "cmd": ATOMIC_UPDATE, "schema": schema, "key": key, "delta": delta})))

    def delete(self, schema, key, db=None, expect_version=None):
        return self.request(_with(db, expect_version, {"cmd": DELETE, "schema": schema, "key": key}))

    def begin(self, db=None, expect_version=None):
        return self.request(_with(db, expect_version, {"cmd": BEGIN_TX}))

    def commit(self):
        return self.request({"cmd": COMMIT_TX})

    def rollback(self):
        return self.request({"cmd": ROLLBACK_TX})

    @contextlib.contextmanager
    def transaction(self, db=None, expect_version=None):
        """``with db.transaction(): ...``: BeginTx, then CommitTx, or RollbackTx if the body raises."""
        self.begin(db, expect_version)
        try:
            yield self
        except BaseException:
            try:
                self.rollback()
            except AncDbError:
                pass  # the body's exception is the one that matters
            raise
        self.commit()

    # --- a store (serve --store) ---------------------------------------------

    @property
    def version(self):
        """The file version the last answer carried (``meta.version``), or None."""
        return (self.last_meta or {}).get("version")

    def database(self, name):
        """A handle on file ``name`` of the store: its calls carry ``db``."""
        return Database(self, name)

    def pair(self, a, b):
        """A handle on the pair file of parties ``a`` and ``b`` (:func:`pair_name`)."""
        return Database(self, pair_name(a, b))

    def list_databases(self, glob=None, after=None, limit=None):
        """One page of the store's names: ``{"names": [...], "next": name or None}`` (pass ``next`` as
        ``after`` for the next page)."""
        req = {"cmd": LIST_DATABASES}
        for k, v in (("glob", glob), ("after", after), ("limit", limit)):
            if v is not None:
                req[k] = v
        return self.request(req)

    def database_stats(self, name):
        """``{"name", "bytes", "wal_bytes", "version", "schemas"}`` of file ``name``."""
        return self.request({"cmd": DATABASE_STATS, "db": name})

    def drop_database(self, name):
        """Deletes file ``name`` of the store; True, or False when there was none (administrators)."""
        return self.request({"cmd": DROP_DATABASE, "db": name})

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


def _with(db, expect_version, req):
    """``req`` with ``db`` and ``expect_version`` when they are given."""
    if db is not None:
        req["db"] = db
    if expect_version is not None:
        req["expect_version"] = expect_version
    return req


class Database:
    """One file of a store, reached through a client: every call carries its ``db``.

    ``version`` is the file version of the last answer about it (``meta.version``).
    """

    def __init__(self, client, name):
        self.client = client
        self.name = name
        self.version = None

    def _call(self, method, *args, **kwargs):
        result = method(*args, db=self.name, **kwargs)
        self.version = self.client.version
        return result

    def define_schema(self, name, fields, composite_indexes=None):
        return self._call(self.client.define_schema, name, fields, composite_indexes)

    def list_schemas(self):
        return self._call(self.client.list_schemas)

    def write(self, schema, record, on_conflict="fail", expect_version=None):
        return self._call(self.client.write, schema, record, on_conflict, expect_version=expect_version)

    def batch_write(self, schema, records, on_conflict="fail", expect_version=None):
        return self._call(self.client.batch_write, schema, records, on_conflict, expect_version=expect_version)

    def read(self, schema, key):
        return self._call(self.client.read, schema, key)

    def range_scan(self, schema, **kwargs):
        return self._call(self.client.range_scan, schema, **kwargs)

    def update(self, schema, key, delta, expect_version=None):
        return self._call(self.client.update, schema, key, delta, expect_version=expect_version)

    def delete(self, schema, key, expect_version=None):
        return self._call(self.client.delete, schema, key, expect_version=expect_version)

    def begin(self, expect_version=None):
        return self._call(self.client.begin, expect_version=expect_version)

    def transaction(self, expect_version=None):
        """``with pair.transaction(expect_version=v): ...`` on this file."""
        return self.client.transaction(self.name, expect_version)

    def stats(self):
        """:meth:`Client.database_stats` of this file."""
        result = self.client.database_stats(self.name)
        self.version = self.client.version
        return result

    def __repr__(self):
        return "Database(%r)" % (self.name,)


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

#!/usr/bin/env python3
"""End-to-end run of the Python client's store calls against a live ``serve --store`` server.

    ANCDB_ADDRESS=HOST:PORT ADMIN_TOKEN=... ACME_TOKEN=... python3 test_store_e2e.py

The server serves a store with a token file holding ACME_TOKEN (party acme,
read-write) and ADMIN_TOKEN as --token.  Exercises pair()/database()
handles, versions, expect_version and VersionConflict, transactions on one
file, list_databases paging, database_stats, a cross-file range_scan,
drop_database and the refusals a party gets; prints one JSON summary line.
Exit status 0 only if every check passed.
"""

import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import anc_db  # noqa: E402

EVENT = [{"name": "id", "type": "u64", "primary_key": True},
         {"name": "ts", "type": "i64", "indexed": True},
         {"name": "kind", "type": "str"}]


def check(cond, what):
    if not cond:
        raise AssertionError(what)


def status_of(fn, *args, **kwargs):
    try:
        fn(*args, **kwargs)
    except anc_db.AncDbError as e:
        return e.status
    return 0


def main():
    address = os.environ["ANCDB_ADDRESS"]
    admin = anc_db.connect(address, token=os.environ["ADMIN_TOKEN"])
    acme = anc_db.connect(address, token=os.environ["ACME_TOKEN"])
    check(admin.define_schema("Event", EVENT) is None, "a store schema has no id")
    check([s["name"] for s in admin.list_schemas()] == ["Event"], "store schemas")

    names = []
    for other in ["globex", "hooli", "initech", "umbrella", "zeta"]:
        pair = acme.pair(other, "acme")
        check(pair.name == anc_db.pair_name("acme", other), "handle name")
        pair.write("Event", {"id": 1, "ts": len(names), "kind": "quote"}, expect_version=0)
        check(pair.version == 1, "first write makes version 1, got %r" % pair.version)
        names.append(pair.name)

    deal = acme.pair("acme", "globex")
    with deal.transaction(expect_version=1):
        acme.write("Event", {"id": 2, "ts": 10, "kind": "order"})
        acme.write("Event", {"id": 3, "ts": 11, "kind": "order"}, db=deal.name)
    check(acme.version == 2, "a transaction raises the version once, got %r" % acme.version)
    try:
        deal.update("Event", 1, {"kind": "late"}, expect_version=1)
        check(False, "a stale expect_version must raise")
    except anc_db.VersionConflict as e:
        check(e.current_version == 2 and e.status == anc_db.VERSION_CONFLICT, "conflict carries the version")
    check(deal.read("Event", 1)["kind"] == "quote", "nothing written by the refused update")
    check(deal.delete("Event", 3, expect_version=2) == 1 and deal.version == 3, "delete at the right version")

    page = acme.list_databases(limit=2)
    listed = list(page["names"])
    while page["next"] is not None:
        page = acme.list_databases(after=page["next"], limit=2)
        listed += page["names"]
    check(listed == sorted(names), "acme lists its pairs: %r" % listed)
    stats = deal.stats()
    check(stats["name"] == "acme.globex" and stats["version"] == 3 and stats["schemas"] == ["Event"], stats)

    rows = acme.range_scan("Event", db="acme.*", index="ts", order="desc", limit=3)
    check([(r["db"], r["record"]["ts"]) for r in rows] == [("acme.globex", 10), ("acme.zeta", 4),
                                                           ("acme.umbrella", 3)], rows)
    listed_rows = acme.range_scan("Event", db=["acme.hooli", "acme.initech"], index="ts")
    check([r["db"] for r in listed_rows] == ["acme.hooli", "acme.initech"], listed_rows)

    # refusals: another pair, a store-wide command, a missing file
    check(status_of(acme.pair("globex", "initech").read, "Event", 1) == anc_db.UNAUTHORIZED, "foreign pair")
    check(status_of(acme.drop_database, "acme.zeta") == anc_db.UNAUTHORIZED, "a party drops nothing")
    check(status_of(acme.define_schema, "Other", EVENT) == anc_db.UNAUTHORIZED, "a party defines no store schema")
    check(status_of(acme.pair("acme", "nobody").read, "Event", 1) == anc_db.DATABASE_NOT_FOUND, "missing file")
    check(acme.read("Event", 1, db="acme.hooli")["kind"] == "quote", "the connection goes on after refusals")

    check(admin.drop_database("acme.zeta") is True and admin.drop_database("acme.zeta") is False, "drop")
    check(status_of(acme.database_stats, "acme.zeta") == anc_db.DATABASE_NOT_FOUND, "dropped")
    admin.close()
    acme.close()
    print(json.dumps({"ok": True, "files": len(names) - 1}))


if __name__ == "__main__":
    main()

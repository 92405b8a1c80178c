package io.ancdb.reliability;

import io.ancdb.AncDbException;
import io.ancdb.CorruptionException;
import io.ancdb.Database;
import io.ancdb.DatabaseOptions.JournalMode;
import io.ancdb.KeyRange;
import io.ancdb.ReadTx;
import io.ancdb.Row;
import io.ancdb.RowCursor;
import io.ancdb.schema.IndexInfo;
import io.ancdb.schema.TableInfo;
import io.ancdb.typed.Definitions;
import io.ancdb.typed.RecordCursor;
import io.ancdb.typed.RecordMapper;
import io.ancdb.typed.RecordTable;
import io.ancdb.typed.TypedTable;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Uses a (possibly damaged) file the way an application would: open it, read
 * every table through its rowid and through each index, point reads, the
 * typed record table by key, by index and by tag, SQLite's b-tree check,
 * then a write transaction and the check again. The first failure ends the
 * read phase, the write phase runs anyway.
 */
final class CorruptProbe {
    /** How the file was received. */
    enum Verdict {
        /** Read back exactly as built; checks clean; writes worked. */
        INTACT,
        /** No error and clean checks, but different content (record bodies carry no checksum). */
        CHANGED_UNDETECTED,
        /** An exception with code CORRUPTION (102) or NOT_A_DATABASE (106). */
        CORRUPTION_REPORTED,
        /** No exception, but the integrity check listed problems. */
        INTEGRITY_REPORTED,
        /** Another AncDbException (code in {@link Outcome#code}). */
        OTHER_ANCDB_ERROR,
        /** An AncDbException with code INTERNAL (100): a bug by ANC-DB's own account. */
        INTERNAL_ERROR,
        /** Anything that is not an AncDbException: a bug. */
        BUG
    }

    /**
     * @param code   the AncDbException code name, or "-"
     * @param page   the page a CorruptionException named, 0 if none
     * @param detail the message (or the stack of a bug), on one line
     */
    record Outcome(Verdict verdict, String code, long page, String step, String detail) {
    }

    private CorruptProbe() {
    }

    /** A fingerprint of everything the read phase sees (compared with the template's). */
    static long fingerprint(Path file, JournalMode mode, boolean encrypted) {
        try (Database db = Database.open(file, CorruptTemplate.options(mode, encrypted))) {
            return db.readTx(tx -> readAll(db, tx));
        }
    }

    static Outcome probe(Path file, JournalMode mode, boolean encrypted, long expectedFingerprint) {
        String[] step = {"open"};
        Throwable failure = null;
        String integrity = "";
        long seen = 0;
        Database db = null;
        try {
            db = Database.open(file, CorruptTemplate.options(mode, encrypted));
            step[0] = "read";
            Database opened = db;
            seen = db.readTx(tx -> readAll(opened, tx));
            step[0] = "integrity check";
            integrity = db.integrityCheck();
        } catch (Throwable t) {
            failure = t;
        }
        if (db != null) {
            try {
                step[0] = failure == null ? "write" : step[0];
                write(db);
                if (failure == null && integrity.isEmpty()) {
                    step[0] = "integrity check after writes";
                    integrity = db.integrityCheck();
                }
            } catch (Throwable t) {
                failure = failure == null ? t : failure;
                if (!(t instanceof AncDbException)) {
                    failure = t;              // a bug in the write phase outranks an earlier error
                }
            }
            try {
                db.close();
            } catch (Throwable t) {
                failure = failure == null || !(t instanceof AncDbException) ? t : failure;
            }
        }
        return classify(failure, step[0], integrity, seen == expectedFingerprint);
    }

    static Outcome classify(Throwable failure, String step, String integrity, boolean same) {
        if (failure == null) {
            if (!integrity.isEmpty()) {
                return new Outcome(Verdict.INTEGRITY_REPORTED, "-", 0, "integrity check", oneLine(integrity));
            }
            return new Outcome(same ? Verdict.INTACT : Verdict.CHANGED_UNDETECTED, "-", 0, "-", "-");
        }
        if (!(failure instanceof AncDbException e)) {
            return new Outcome(Verdict.BUG, failure.getClass().getName(), 0, step, stack(failure));
        }
        long page = e instanceof CorruptionException c ? c.page() : 0;
        Verdict v = switch (e.errorCode()) {
            case CORRUPTION, NOT_A_DATABASE -> Verdict.CORRUPTION_REPORTED;
            case INTERNAL -> Verdict.INTERNAL_ERROR;
            default -> Verdict.OTHER_ANCDB_ERROR;
        };
        return new Outcome(v, e.errorCode().name(), page, step, v == Verdict.INTERNAL_ERROR ? stack(e) : oneLine(e.getMessage()));
    }

    /** Reads everything; returns a fingerprint of what was read. */
    private static long readAll(Database db, ReadTx tx) {
        long h = 17;
        List<TableInfo> tables = tx.catalog().tables().stream()
                .sorted(Comparator.comparing(TableInfo::name)).toList();
        for (TableInfo t : tables) {
            if (!t.writable()) {
                continue;                              // tag index tables are read through the typed API below
            }
            long rows = 0;
            try (RowCursor c = tx.scan(t.name())) {
                while (c.hasNext()) {
                    Row r = c.next();
                    h = h * 31 + r.rowid() * 7 + Arrays.deepHashCode(r.values());
                    if (rows++ % 13 == 0) {
                        Row again = tx.get(t.name(), r.rowid());
                        h = h * 31 + (again == null ? 0 : Arrays.deepHashCode(again.values()));
                    }
                }
            }
            for (IndexInfo idx : t.indexes()) {
                if (idx.multiValued()) {
                    continue;
                }
                try (RowCursor c = tx.scan(t.name(), KeyRange.onField(idx.name()))) {
                    while (c.hasNext()) {
                        h = h * 31 + c.next().rowid();
                    }
                }
            }
        }
        return h * 31 + readDocs(db, tx);
    }

    /** The Doc records as the file defines them, or null when the definition is gone. */
    private static RecordTable docs(Database db, ReadTx tx) {
        return Definitions.of(db).find(tx, "Doc");
    }

    private static long readDocs(Database db, ReadTx tx) {
        RecordTable docs = docs(db, tx);
        if (docs == null) {
            return 0;
        }
        long h = 0;
        for (KeyRange range : List.of(KeyRange.all(), KeyRange.onField("n").from(5L).to(20L),
                KeyRange.onField("tags").prefix("t3"))) {
            try (RecordCursor<Map<String, Object>> c = docs.scan(tx, range)) {
                while (c.hasNext()) {
                    h = h * 31 + c.next().hashCode();
                }
            }
        }
        for (int i = 0; i < 200; i += 17) {
            Map<String, Object> d = docs.get(tx, "doc-" + i);
            h = h * 31 + (d == null ? 0 : d.hashCode());
        }
        // and as Java records
        TypedTable<CorruptTemplate.Doc, String> typed = new TypedTable<>(docs, RecordMapper.of(CorruptTemplate.Doc.class),
                String.class);
        try (RecordCursor<CorruptTemplate.Doc> c = typed.scan(tx, KeyRange.all())) {
            while (c.hasNext()) {
                h = h * 31 + c.next().hashCode();
            }
        }
        CorruptTemplate.Doc d = typed.get(tx, "doc-150");
        return h * 31 + (d == null ? 0 : d.hashCode());
    }

    private static void write(Database db) {
        db.runWrite(tx -> {
            tx.put(CorruptTemplate.PEOPLE, 1000, 1000L, "fuzz", 42L, "bio", new byte[] {1, 2, 3});
            tx.update(CorruptTemplate.PEOPLE, 7, new Object[] {7L, "seven", 7L, "b", null});
            tx.delete(CorruptTemplate.PEOPLE, 3);
            tx.put(CorruptTemplate.ORDERS, 1000, 1000L, 1L, 2.5, "fuzz-note");
            tx.delete(CorruptTemplate.ORDERS, 5);
            RecordTable docs = docs(db, tx);
            if (docs != null) {
                docs.insert(tx, Map.of("key", "fuzz-doc", "n", 1L, "text", "t", "tags", List.of("x", "all")),
                        io.ancdb.OnConflict.REPLACE);
                docs.delete(tx, "doc-4");
            }
        });
    }

    private static String stack(Throwable t) {
        StringBuilder b = new StringBuilder(t.toString());
        StackTraceElement[] st = t.getStackTrace();
        for (int i = 0; i < Math.min(8, st.length); i++) {
            b.append(" at ").append(st[i]);
        }
        if (t.getCause() != null) {
            b.append(" caused by ").append(t.getCause());
        }
        return oneLine(b.toString());
    }

    private static String oneLine(String s) {
        String one = s == null ? "null" : s.replace('\n', ' ').replace('\r', ' ').replace('\t', ' ');
        return one.length() > 600 ? one.substring(0, 600) + "..." : one;
    }
}

package io.ancdb;

import io.ancdb.internal.NativeCursor;
import io.ancdb.internal.NativeDb;
import io.ancdb.record.RecordCodec;
import io.ancdb.schema.Catalog;
import io.ancdb.schema.DeclaredSchema;
import io.ancdb.schema.DefinedRecord;
import io.ancdb.schema.SchemaDeclarations;
import io.ancdb.schema.SchemaEntry;

import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;

/**
 * Reads a database's {@link Catalog} from its schema tables, in a connection's
 * open transaction: stateless, so {@link Database} keeps the caching and the
 * choice of connection and transaction.
 */
final class CatalogLoader {
    private CatalogLoader() {
    }

    /**
     * The catalog at schema cookie {@code cookie}, read in {@code conn}'s open
     * transaction: the rows of sqlite_schema and of ancdb_schemas, and what each
     * definition declares (the typed layer decodes each text once per process).
     * No table is built and no SQL text parsed here (see {@link Catalog}).
     */
    static Catalog load(NativeDb conn, int cookie) {
        List<SchemaEntry> entries = new ArrayList<>();
        try (NativeCursor cur = NativeCursor.open(conn, 1, false, 0)) {
            for (boolean ok = cur.first(); ok; ok = cur.next()) {
                Object[] v = decodeAt(cur, 5, "sqlite_schema", 1);
                if (v.length < 5) {
                    continue;
                }
                entries.add(new SchemaEntry(cur.rowid(), (String) v[0], (String) v[1], (String) v[2],
                        v[3] == null ? 0 : ((Long) v[3]).intValue(), (String) v[4]));
            }
        } catch (ClassCastException e) {
            throw CorruptionException.found("sqlite_schema holds a row of the wrong shape", 1);
        }
        SchemaEntry reg = Catalog.registry(entries);
        if (reg == null) {
            return Catalog.build(cookie, entries);
        }
        int root = reg.rootPage();
        List<DefinedRecord> records = new ArrayList<>();
        List<DeclaredSchema> declared = new ArrayList<>();
        try (NativeCursor cur = NativeCursor.open(conn, root, false, 0)) {
            for (boolean ok = cur.first(); ok; ok = cur.next()) {
                Object[] v = decodeAt(cur, 3, DefinedRecord.TABLE, root);
                if (v.length < 3 || !(v[1] instanceof String name) || !(v[2] instanceof String json)) {
                    throw CorruptionException.found("ancdb_schemas holds a row of the wrong shape", root);
                }
                DefinedRecord r = new DefinedRecord(cur.rowid(), name, json);
                records.add(r);
                try {
                    declared.add(Declarations.SERVICE.of(r));
                } catch (CorruptionException e) {
                    throw e.locatedIn("row " + cur.rowid() + " of " + DefinedRecord.TABLE, root);
                }
            }
        }
        return Catalog.build(cookie, entries, declared, records);
    }

    /**
     * The typed layer's answer to what a definition declares, found once. It
     * ships in this jar; without it a file holding definitions could be written
     * with its tag indexes left behind, so its absence is an error.
     */
    private static final class Declarations {
        static final SchemaDeclarations SERVICE = ServiceLoader.load(SchemaDeclarations.class)
                .findFirst().orElseThrow(() -> new AncDbException(ErrorCode.INTERNAL,
                        "no " + SchemaDeclarations.class.getName() + " service: the typed layer is missing"));
    }

    private static Object[] decodeAt(NativeCursor cur, int maxFields, String table, int root) {
        try {
            return RecordCodec.decode(cur.payload(), maxFields);
        } catch (CorruptionException e) {
            throw e.locatedIn("row " + cur.rowid() + " of " + table, root);
        }
    }
}

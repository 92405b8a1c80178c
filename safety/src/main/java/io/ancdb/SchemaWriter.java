package io.ancdb;

import io.ancdb.internal.NativeDb;
import io.ancdb.record.RecordCodec;
import io.ancdb.schema.DefinedRecord;
import io.ancdb.schema.IndexInfo;
import io.ancdb.schema.IndexSpec;
import io.ancdb.schema.Identifiers;
import io.ancdb.schema.SchemaEntry;
import io.ancdb.schema.TableInfo;
import io.ancdb.schema.TagIndex;
import io.ancdb.schema.TableSpec;

import java.util.List;

/**
 * The DDL of one write transaction: new b-trees and their {@code sqlite_schema}
 * rows with real {@code CREATE} text, the schema cookie bumped with each (so
 * other connections re-read the schema), and the transaction's catalog kept in
 * step.
 */
final class SchemaWriter {
    private static final int SCHEMA_ROOT = 1;
    private static final int META_SCHEMA_VERSION = 1;

    private final WriteTx tx;
    private final NativeDb conn;
    private final IndexUpkeep indexes;

    SchemaWriter(WriteTx tx, NativeDb conn, IndexUpkeep indexes) {
        this.tx = tx;
        this.conn = conn;
        this.indexes = indexes;
    }

    /** A table: a new b-tree plus its CREATE TABLE row in sqlite_schema. */
    TableInfo createTable(TableSpec spec) {
        requireNewName(spec.name());
        int root = conn.createBtree(false);
        addSchemaEntry("table", spec.name(), spec.name(), root, spec.createSql());
        return tx.catalog.table(spec.name());
    }

    /** An index over the existing rows; fails on duplicates for a UNIQUE index. */
    IndexInfo createIndex(IndexSpec spec) {
        requireNewName(spec.name());
        TableInfo t = tx.writableTable(spec.table());
        int[] pos = new int[spec.columns().size()];
        for (int i = 0; i < pos.length; i++) {
            pos[i] = t.spec().columnIndex(spec.columns().get(i));
            if (pos[i] < 0) {
                throw new InvalidArgumentException("table " + t.name() + " has no column " + spec.columns().get(i));
            }
        }
        int root = conn.createBtree(true);
        indexes.fill(t, new IndexInfo(spec, root, pos, true));
        addSchemaEntry("index", spec.name(), t.name(), root, spec.createSql());
        return indexNamed(t.name(), spec.name());
    }

    /**
     * A tag index on a JSON string-array column: a WITHOUT ROWID table (value, ref) filled from the
     * existing rows. The catalog keeps it among the table's indexes (the file
     * itself records it only as a table; see {@link IndexInfo#multiValued()}).
     */
    IndexInfo createTagIndex(TagIndex spec) {
        requireNewName(spec.name());
        TableInfo t = tx.writableTable(spec.table());
        int pos = t.spec().columnIndex(spec.column());
        if (pos < 0) {
            throw new InvalidArgumentException("table " + t.name() + " has no column " + spec.column());
        }
        int root = conn.createBtree(true);
        indexes.fill(t, new IndexInfo(new IndexSpec(spec.name(), t.name(), List.of(spec.column()), false), root,
                new int[] {pos}, true, true));
        addSchemaEntry("table", spec.name(), spec.name(), root, IndexInfo.multiValuedTableSql(spec.name()));
        tx.catalog = tx.catalog.withTagIndex(new TagIndex(t.name(), spec.name(), spec.column()));
        return indexNamed(t.name(), spec.name());
    }

    /**
     * A row of {@code ancdb_schemas} (created on first use) holding the text
     * of the record definition {@code name}; the catalog lists it from now on.
     */
    DefinedRecord addDefinition(String name, String text) {
        if (tx.catalog.find(DefinedRecord.TABLE) == null) {
            createTable(DefinedRecord.tableSpec());
        }
        long id = tx.insert(DefinedRecord.TABLE, null, name, text);
        DefinedRecord r = new DefinedRecord(id, name, text);
        tx.catalog = tx.catalog.withRecord(r);
        return r;
    }

    private IndexInfo indexNamed(String table, String name) {
        return tx.catalog.table(table).indexes().stream()
                .filter(i -> i.name().equals(name)).findFirst().orElseThrow();
    }

    private void requireNewName(String name) {
        if (Identifiers.isReserved(name)) {
            throw new InvalidArgumentException("names beginning with sqlite_ are reserved: " + name);
        }
        if (tx.catalog.nameTaken(name)) {
            throw new ConstraintViolationException("a table or index named " + name + " already exists");
        }
    }

    private void addSchemaEntry(String type, String name, String tblName, int root, String sql) {
        SchemaEntry e = new SchemaEntry(tx.catalog.maxRowid() + 1, type, name, tblName, root, sql);
        indexes.cursor(SCHEMA_ROOT, 0).insertRow(e.rowid(), RecordCodec.encode(e.values()));
        int cookie = conn.metaGet(META_SCHEMA_VERSION) + 1;   // tells other connections to re-read the schema
        conn.metaSet(META_SCHEMA_VERSION, cookie);
        tx.catalog = tx.catalog.with(e, cookie);
    }
}

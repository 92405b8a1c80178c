package io.ancdb.protocol;

import io.ancdb.OnConflict;
import io.ancdb.typed.RecordDefinition;

import java.util.List;
import java.util.Map;

/**
 * One request as {@link RequestDecoder} makes it out of the bytes of one
 * MessagePack value: a record per command ({@link Command} has the codes,
 * the README the wire form of each). A record is valid once built: required
 * parts are present and of the right wire type, and every limit is kept (a
 * batch's size included). What needs the schema itself (field names and
 * types, the sign of u64 values) is checked by the handler that resolves it.
 *
 * <p>Record values are plain Java values (null, Boolean, Long or BigInteger,
 * Double, String, byte[], List, Map with String keys); the fields of a schema
 * known while decoding arrive typed already (a vector as {@code float[]}).
 */
sealed interface Request {
    /** No {@code expect_version}: the write runs at whatever version the file is. */
    long ANY_VERSION = -1;

    /**
     * The database (file of the store) the request names, or null: none
     * (serve --db's one file; in store mode a store-wide command). A
     * cross-file RangeScan answers null here: it is routed on its own.
     */
    default String db() {
        return null;
    }

    /** The version the write expects the file at, or {@link #ANY_VERSION}. */
    default long expectVersion() {
        return ANY_VERSION;
    }

    /**
     * A schema named by a request: its {@code name} (String) or numeric
     * {@code id} (Long), and the committed schema when it was already cached
     * while decoding (else null: resolved in the command's transaction).
     */
    record SchemaRef(Object nameOrId, Schemas.Entry cached) {
    }

    /** 0x01: the record with this primary key. */
    record DirectRead(String db, SchemaRef schema, Object key) implements Request {
    }

    /**
     * 0x02: records in the order of the primary key or an index, between
     * optional bounds; {@code db} one name, or (store mode) {@code dbs} a list
     * of names or {@code pattern} a glob, whose rows are merged.
     */
    record RangeScan(String db, List<String> dbs, String pattern, SchemaRef schema, WireRange range)
            implements Request {
        /** True when the scan names several files (a list or a glob). */
        boolean acrossFiles() {
            return dbs != null || pattern != null;
        }
    }

    /** 0x03: one record written. */
    record AtomicWrite(String db, long expectVersion, SchemaRef schema, Map<String, Object> record,
                       OnConflict onConflict) implements Request {
    }

    /** 0x04: up to {@link Limits#maxBatch()} records written all or nothing. */
    record BatchWrite(String db, long expectVersion, SchemaRef schema, List<Map<String, Object>> records,
                      OnConflict onConflict)
            implements Request {
    }

    /** 0x05: some fields of one record changed. */
    record AtomicUpdate(String db, long expectVersion, SchemaRef schema, Object key, Map<String, Object> delta)
            implements Request {
    }

    /** 0x06: one record removed. */
    record Delete(String db, long expectVersion, SchemaRef schema, Object key) implements Request {
    }

    /** 0x10: a transaction on one database ({@code db} in store mode), at an expected version or any. */
    record BeginTx(String db, long expectVersion) implements Request {
    }

    /** 0x11. */
    record CommitTx() implements Request {
    }

    /** 0x12. */
    record RollbackTx() implements Request {
    }

    /** 0x20: a record definition, validated; in store mode of file {@code db}, or of the store (null). */
    record DefineSchema(String db, RecordDefinition definition) implements Request {
    }

    /** 0x21: the schemas of file {@code db}, or in store mode without it the store's. */
    record ListSchemas(String db) implements Request {
    }

    /** 0x22 (named so as not to be taken for the {@link Stats} it answers with). */
    record GetStats() implements Request {
    }

    /** 0x23: a page of the store's database names matching {@code glob} (null: all) after {@code after}. */
    record ListDatabases(String glob, String after, int limit) implements Request {
    }

    /** 0x24: size, WAL size, version and schemas of one database of the store. */
    record DatabaseStats(String db) implements Request {
    }

    /** 0x25: deletes one database of the store and its side files (administrators). */
    record DropDatabase(String db) implements Request {
    }

    /** 0x30: the token as sent (str or bin bytes), or null when absent or of another type. */
    record Auth(byte[] token) implements Request {
    }

    /** 0x31: the wire form the connection wants for vectors, or null to keep its current one. */
    record Hello(WireOptions.Vectors vectors) implements Request {
    }
}

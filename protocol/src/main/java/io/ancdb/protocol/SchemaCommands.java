package io.ancdb.protocol;

import io.ancdb.typed.FieldDef;
import io.ancdb.typed.RecordDefinition;
import io.ancdb.typed.RecordTable;
import org.msgpack.core.MessagePacker;

import java.io.IOException;
import java.util.List;

/**
 * DefineSchema and ListSchemas: record definitions of the target database;
 * in a store, of the file a request names, or without a {@code db} (outside
 * a transaction) of the store itself: the definitions every file gets.
 */
final class SchemaCommands {
    private static final byte[] K_ID = Response.str("id");
    private static final byte[] K_NAME = Response.str("name");
    private static final byte[] K_FIELDS = Response.str("fields");
    private static final byte[] K_COMPOSITE = Response.str("composite_indexes");
    private static final byte[] K_TYPE = Response.str("type");
    private static final byte[] K_PRIMARY_KEY = Response.str("primary_key");
    private static final byte[] K_INDEXED = Response.str("indexed");
    private static final byte[] K_COMPRESSED = Response.str("compressed");

    private final Transactions transactions;
    private final StoreDatabases store;

    SchemaCommands(Transactions transactions, Databases databases) {
        this.transactions = transactions;
        this.store = databases instanceof StoreDatabases s ? s : null;
    }

    /**
     * The schema's id: of the same definition when it exists, else of the one
     * written now. In a store outside a transaction: without {@code db} a
     * store schema (administrators; nil, ids are per file), with {@code db}
     * a schema of that file only (defining raises no version; the answer is
     * its id in that file).
     */
    void defineSchema(Request.DefineSchema request, SessionState session) throws IOException {
        RecordDefinition def = request.definition();
        if (store != null && !session.transaction.isOpen()) {
            if (request.db() == null) {
                store.as(session.principal).define(def);
                session.response.packer().packNil();
                return;
            }
            store.as(session.principal).define(request.db(), def);
            transactions.read(session, tx -> session.response.packer().packLong(
                    session.target.schemas().resolve(def.name(), tx).id()));
            return;
        }
        Schemas schemas = session.target.schemas();
        Schemas.Entry known = schemas.cached(def.name());
        if (known != null && known.def.equals(def)) {
            session.response.packer().packLong(known.id());
            return;
        }
        boolean autoCommit = !session.transaction.isOpen();
        long id = transactions.write(session, tx -> schemas.definitions().define(tx, def).id());
        if (autoCommit) {
            schemas.committed(id);
        }
        session.response.packer().packLong(id);
    }

    /**
     * [{id, name, fields [{name, type, primary_key, indexed, compressed}], composite_indexes}]; in a
     * store without {@code db} (outside a transaction) the store's schemas, with id nil.
     */
    void listSchemas(SessionState session) throws IOException {
        if (store != null && session.request.db() == null && !session.transaction.isOpen()) {
            List<RecordDefinition> defs = store.store().schemas();
            session.response.packer().packArrayHeader(defs.size());
            for (RecordDefinition def : defs) {
                packDefinition(session.response, null, def);
            }
            return;
        }
        transactions.read(session, tx -> {
            List<RecordTable> all = session.target.schemas().definitions().all(tx);
            session.response.packer().packArrayHeader(all.size());
            for (RecordTable t : all) {
                packDefinition(session.response, t.id(), t.definition());
            }
        });
    }

    private static void packDefinition(Response response, Long id, RecordDefinition def) throws IOException {
        MessagePacker p = response.packer();
        p.packMapHeader(4);
        response.key(K_ID);
        if (id == null) {
            p.packNil();
        } else {
            p.packLong(id);
        }
        response.key(K_NAME);
        p.packString(def.name());
        response.key(K_FIELDS);
        p.packArrayHeader(def.fields().size());
        for (FieldDef f : def.fields()) {
            packField(response, f);
        }
        response.key(K_COMPOSITE);
        p.packArrayHeader(def.compositeIndexes().size());
        for (List<String> ci : def.compositeIndexes()) {
            p.packArrayHeader(ci.size());
            for (String s : ci) {
                p.packString(s);
            }
        }
    }

    private static void packField(Response response, FieldDef f) throws IOException {
        MessagePacker p = response.packer();
        p.packMapHeader(5);
        response.key(K_NAME);
        p.packString(f.name());
        response.key(K_TYPE);
        p.packString(f.type().wireName());
        packFlag(response, K_PRIMARY_KEY, f.primaryKey());
        packFlag(response, K_INDEXED, f.indexed());
        packFlag(response, K_COMPRESSED, f.compressed());
    }

    private static void packFlag(Response response, byte[] key, boolean value) throws IOException {
        response.key(key);
        response.packer().packBoolean(value);
    }
}

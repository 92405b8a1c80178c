package io.ancdb.protocol;

import io.ancdb.typed.FieldDef;
import io.ancdb.typed.RecordDefinition;
import io.ancdb.typed.RecordTable;
import org.msgpack.core.MessagePacker;

import java.io.IOException;
import java.util.List;

/** DefineSchema and ListSchemas: record definitions of the target database. */
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

    SchemaCommands(Transactions transactions) {
        this.transactions = transactions;
    }

    /** The schema's id: of the same definition when it exists, else of the one written now. */
    void defineSchema(Request.DefineSchema request, SessionState session) throws IOException {
        RecordDefinition def = request.definition();
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

    /** [{id, name, fields [{name, type, primary_key, indexed, compressed}], composite_indexes}]. */
    void listSchemas(SessionState session) throws IOException {
        transactions.read(session, tx -> {
            List<RecordTable> all = session.target.schemas().definitions().all(tx);
            session.response.packer().packArrayHeader(all.size());
            for (RecordTable t : all) {
                packDefinition(session.response, t.id(), t.definition());
            }
        });
    }

    private static void packDefinition(Response response, long id, RecordDefinition def) throws IOException {
        MessagePacker p = response.packer();
        p.packMapHeader(4);
        response.key(K_ID);
        p.packLong(id);
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

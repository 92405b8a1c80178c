package io.ancdb.protocol;

import io.ancdb.typed.Inserted;

import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * AtomicWrite, BatchWrite, AtomicUpdate and Delete: each one atomic write
 * ({@link Transactions#write}); the response is written after it succeeded.
 */
final class WriteCommands {
    private final Transactions transactions;

    WriteCommands(Transactions transactions) {
        this.transactions = transactions;
    }

    /** What a write left for its response: the schema and the command's result. */
    private record Written<T>(Schemas.Entry schema, T result, long rows) {
    }

    void atomicWrite(Request.AtomicWrite request, SessionState session) throws IOException {
        Written<Inserted<Object>> w = transactions.write(session, tx -> {
            Schemas.Entry schema = session.target.schemas().resolve(request.schema(), tx);
            schema.checkUnsigned(request.record());
            Inserted<Object> done = schema.table.insert(tx, request.record(), request.onConflict());
            return new Written<>(schema, done, done.written() ? 1 : 0);
        });
        session.response.fieldValue(w.schema().pk(), w.result().key());
        session.rows(w.rows());
    }

    void batchWrite(Request.BatchWrite request, SessionState session) throws IOException {
        List<Map<String, Object>> records = request.records();
        Written<List<Inserted<Object>>> w = transactions.write(session, tx -> {
            Schemas.Entry schema = session.target.schemas().resolve(request.schema(), tx);
            for (Map<String, Object> r : records) {
                schema.checkUnsigned(r);
            }
            List<Inserted<Object>> done = schema.table.insertBatch(tx, records, request.onConflict());
            int written = 0;
            for (Inserted<Object> r : done) {
                written += r.written() ? 1 : 0;
            }
            return new Written<>(schema, done, written);
        });
        session.response.packer().packArrayHeader(w.result().size());
        for (Inserted<Object> r : w.result()) {
            session.response.fieldValue(w.schema().pk(), r.key());
        }
        session.rows(w.rows());
    }

    void atomicUpdate(Request.AtomicUpdate request, SessionState session) throws IOException {
        Written<Map<String, Object>> w = transactions.write(session, tx -> {
            Schemas.Entry schema = session.target.schemas().resolve(request.schema(), tx);
            schema.checkKey(request.key());
            schema.checkUnsigned(request.delta());
            return new Written<>(schema, schema.table.update(tx, request.key(), request.delta()), 1);
        });
        session.response.record(w.schema(), w.result());
        session.rows(w.rows());
    }

    void delete(Request.Delete request, SessionState session) throws IOException {
        boolean deleted = transactions.write(session, tx -> {
            Schemas.Entry schema = session.target.schemas().resolve(request.schema(), tx);
            schema.checkKey(request.key());
            return schema.table.delete(tx, request.key());
        });
        session.response.packer().packInt(deleted ? 1 : 0);
        session.rows(deleted ? 1 : 0);
    }
}

package io.ancdb.protocol;

import io.ancdb.typed.RecordCursor;

import java.io.IOException;
import java.util.Map;

/** DirectRead and RangeScan: records found in the target database, written straight into the response. */
final class ReadCommands {
    private final Transactions transactions;
    private final long maxResponseBytes;

    ReadCommands(Transactions transactions, Limits limits) {
        this.transactions = transactions;
        this.maxResponseBytes = limits.maxMessageBytes();
    }

    void directRead(Request.DirectRead request, SessionState session) throws IOException {
        transactions.read(session, tx -> {
            Schemas.Entry schema = session.target.schemas().resolve(request.schema(), tx);
            schema.checkKey(request.key());
            Map<String, Object> record = schema.table.get(tx, request.key());
            if (record == null) {
                throw new WireError(Status.KEY_NOT_FOUND, "no " + schema.name() + " record with key "
                        + schema.describeKey(request.key()));
            }
            session.response.record(schema, record);
            session.rowsTouched = 1;
        });
    }

    /** The records as one array, refused (status 7) as soon as the response would exceed the message limit. */
    void rangeScan(Request.RangeScan request, SessionState session) throws IOException {
        transactions.read(session, tx -> {
            Schemas.Entry schema = session.target.schemas().resolve(request.schema(), tx);
            Response response = session.response;
            int at = response.beginArray();
            int n = 0;
            try (RecordCursor<Map<String, Object>> c = schema.table.scan(tx, request.range().keyRange(schema, tx))) {
                while (c.hasNext()) {
                    response.record(schema, c.next());
                    n++;
                    checkSize(response, maxResponseBytes, n);
                }
            }
            response.endArray(at, n);
            session.rowsTouched = n;
        });
    }

    /** Refuses (status 7) a scan's response once it exceeds {@code max} bytes, {@code n} records in. */
    static void checkSize(Response response, long max, int n) {
        if (response.size() > max) {
            throw WireError.limit("the response would exceed " + max
                    + " bytes: narrow the range or give a smaller limit (" + n + " records so far)");
        }
    }
}

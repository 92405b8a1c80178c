package io.ancdb.protocol;

import io.ancdb.CommitStats;
import io.ancdb.ReadTx;
import org.msgpack.core.MessagePacker;

import java.io.IOException;

/** Stats, Auth and Hello: about the server and the session, not the data. */
final class AdminCommands {
    private final Counters counters;
    private final Authenticator authenticator;
    private final Databases databases;

    AdminCommands(Counters counters, Authenticator authenticator, Databases databases) {
        this.counters = counters;
        this.authenticator = authenticator;
        this.databases = databases;
    }

    /**
     * The counters with the size and schema count of the session's database
     * (its transaction's, or serve --db's file) and its commit figures; in a
     * store outside a transaction file_size 0, the number of store schemas
     * and no commits.
     */
    Stats snapshot(SessionState session) {
        ReadTx own = session == null ? null : session.transaction.ownedHere();
        Target target = session != null && session.transaction.isOpen() ? session.transaction.target()
                : databases.fixedTarget();
        if (target == null) {
            return counters.snapshot(0, ((StoreDatabases) databases).store().schemas().size(), new CommitStats(0, 0));
        }
        int schemas = (own != null ? own.catalog() : target.database().catalog()).records().size();
        return counters.snapshot(target.fileSize(), schemas, target.database().commitStats());
    }

    /** {requests, errors, rows, open_transactions, file_size, schemas, commits, transactions}. */
    void stats(SessionState session) throws IOException {
        Stats s = snapshot(session);
        MessagePacker p = session.response.packer();
        p.packMapHeader(8);
        entry(p, "requests", s.requests());
        entry(p, "errors", s.errors());
        entry(p, "rows", s.rows());
        entry(p, "open_transactions", s.openTransactions());
        entry(p, "file_size", s.fileSize());
        entry(p, "schemas", s.schemas());
        entry(p, "commits", s.commits());
        entry(p, "transactions", s.transactions());
    }

    private static void entry(MessagePacker p, String name, long value) throws IOException {
        p.packString(name);
        p.packLong(value);
    }

    /** A right token gives the session its principal; a wrong one, at any time, ends the session (status 6). */
    void auth(Request.Auth request, SessionState session) throws IOException {
        Principal principal = authenticator.authenticate(request.token());
        if (principal == null) {
            session.closeRequested = true;
            session.principal = Principal.NOBODY;
            throw new WireError(Status.UNAUTHORIZED, "unauthorized: wrong token");
        }
        session.principal = principal;
        session.response.packer().packNil();
    }

    /** Sets the session's wire options (those Hello names; the rest stay) and answers them all: {vectors}. */
    void hello(Request.Hello request, SessionState session) throws IOException {
        if (request.vectors() != null) {
            session.wireOptions(session.wireOptions().withVectors(request.vectors()));
        }
        MessagePacker p = session.response.packer();
        p.packMapHeader(1);
        p.packString("vectors");
        p.packString(session.wireOptions().vectors().wireName());
    }
}

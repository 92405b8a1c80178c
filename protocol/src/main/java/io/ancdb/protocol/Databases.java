package io.ancdb.protocol;

import io.ancdb.ReadTx;
import io.ancdb.WriteTx;

import java.time.Duration;

/**
 * Where the dispatcher finds the database a command names and begins the
 * command's transaction on it: serve --db's one file ({@link OneFile}), or
 * the files of a store ({@link StoreDatabases}) named by each request's
 * {@code db} and reached as the session's {@link Principal} may.
 */
sealed interface Databases permits OneFile, StoreDatabases {

    /** Refuses (status 1) what {@code request} asks that this kind of server cannot do, before it runs. */
    void admit(Request request);

    /** The target of a command before its transaction begins: the one file, or null for a store. */
    Target fixedTarget();

    /** The schema cache requests are decoded with (null: none, records decode untyped). */
    Schemas decodingSchemas();

    /** Begins a read of database {@code db} (null: serve --db's file) for {@code who}. */
    Begun<ReadTx> beginRead(String db, Principal who, Duration lockTimeout);

    /** Begins a write of {@code db} at {@code expectVersion} ({@link Request#ANY_VERSION}: any) for {@code who}. */
    Begun<WriteTx> beginWrite(String db, long expectVersion, Principal who, Duration lockTimeout);

    /** Another session driven by this same thread holds a transaction: waiting here would never end. */
    static WireError busyOnThisThread() {
        return new WireError(Status.TRANSACTION_CONFLICT, "another session on this thread holds a transaction"
                + " of this database: it must end before this request can run");
    }
}

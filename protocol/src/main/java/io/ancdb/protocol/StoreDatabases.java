package io.ancdb.protocol;

import io.ancdb.MisuseException;
import io.ancdb.ReadTx;
import io.ancdb.WriteTx;
import io.ancdb.store.GuardedStore;
import io.ancdb.store.Store;

import java.time.Duration;

/**
 * serve --store: the files of a {@link Store}, each command on the one its
 * {@code db} names, through a {@link GuardedStore} of the session's
 * principal, so every access is the store's one decision
 * ({@link io.ancdb.store.AccessPolicy}) and a refusal (status 6) reads the
 * same whether the file exists or not. The lock wait is the store's
 * ({@link io.ancdb.store.StoreOptions#fileOptions()}' busy timeout; the
 * server sets it to --lock-timeout).
 */
final class StoreDatabases implements Databases {
    private final Store store;

    StoreDatabases(Store store) {
        this.store = store;
    }

    Store store() {
        return store;
    }

    /** The store as {@code who} may use it. */
    GuardedStore as(Principal who) {
        return new GuardedStore(store, who.access());
    }

    @Override
    public void admit(Request request) {
        // what names no file: checked by the handlers (store-wide commands), and by beginRead / beginWrite
    }

    @Override
    public Target fixedTarget() {
        return null;
    }

    @Override
    public Schemas decodingSchemas() {
        return null;
    }

    @Override
    public Begun<ReadTx> beginRead(String db, Principal who, Duration lockTimeout) {
        GuardedStore guarded = as(who);
        try {
            return Begun.of(guarded.beginRead(required(db)));
        } catch (MisuseException e) {
            throw Databases.busyOnThisThread();
        }
    }

    @Override
    public Begun<WriteTx> beginWrite(String db, long expectVersion, Principal who, Duration lockTimeout) {
        GuardedStore guarded = as(who);
        try {
            return Begun.of(guarded.beginWrite(required(db), expectVersion));
        } catch (MisuseException e) {
            throw Databases.busyOnThisThread();
        }
    }

    /** {@code db}, which a command on data must name in store mode. */
    static String required(String db) {
        if (db == null) {
            throw WireError.invalid("this server serves a store (serve --store): the command must name its db");
        }
        return db;
    }
}

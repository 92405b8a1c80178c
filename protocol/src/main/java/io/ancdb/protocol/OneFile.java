package io.ancdb.protocol;

import io.ancdb.Database;
import io.ancdb.MisuseException;
import io.ancdb.ReadTx;
import io.ancdb.WriteTx;

import java.time.Duration;

/**
 * serve --db: one database file, which every command runs against. A
 * request naming a {@code db}, expecting a version or asking for the
 * store's commands is status 1: those belong to serve --store.
 */
final class OneFile implements Databases {
    private final Target target;

    OneFile(Database db) {
        this.target = Target.of(db);
    }

    @Override
    public void admit(Request request) {
        if (request.db() != null || (request instanceof Request.RangeScan r && r.acrossFiles())) {
            throw WireError.invalid("this server serves one file (serve --db): a request names no db");
        }
        if (request.expectVersion() != Request.ANY_VERSION) {
            throw WireError.invalid("expect_version needs a store (serve --store): this server's file has no version");
        }
        if (request instanceof Request.ListDatabases || request instanceof Request.DatabaseStats
                || request instanceof Request.DropDatabase) {
            throw WireError.invalid(Command.name(code(request)) + " needs a store (serve --store)");
        }
    }

    private static int code(Request request) {
        return switch (request) {
            case Request.ListDatabases _ -> Command.LIST_DATABASES;
            case Request.DatabaseStats _ -> Command.DATABASE_STATS;
            default -> Command.DROP_DATABASE;
        };
    }

    @Override
    public Target fixedTarget() {
        return target;
    }

    @Override
    public Schemas decodingSchemas() {
        return target.schemas();
    }

    @Override
    public Begun<ReadTx> beginRead(String db, Principal who, Duration lockTimeout) {
        try {
            return Begun.of(target.database().beginRead(target.readLevel(), lockTimeout), target);
        } catch (MisuseException e) {
            throw Databases.busyOnThisThread();
        }
    }

    @Override
    public Begun<WriteTx> beginWrite(String db, long expectVersion, Principal who, Duration lockTimeout) {
        try {
            return Begun.of(target.database().beginWrite(lockTimeout), target);
        } catch (MisuseException e) {
            throw Databases.busyOnThisThread();
        }
    }
}

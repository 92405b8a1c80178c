package io.ancdb.protocol;

import io.ancdb.KeyRange;
import io.ancdb.MisuseException;
import io.ancdb.store.FileRecord;
import io.ancdb.store.FileStats;
import io.ancdb.store.GuardedStore;
import io.ancdb.store.ListPage;
import io.ancdb.store.MergedScan;
import io.ancdb.typed.FieldDef;
import io.ancdb.typed.RecordDefinition;
import org.msgpack.core.MessagePacker;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Supplier;

/**
 * The commands of a store as a whole (serve --store): ListDatabases,
 * DatabaseStats, DropDatabase, and the RangeScan across files. Each goes
 * through the session principal's {@link GuardedStore}: a party lists and
 * scans only its own pairs, and a refused name is status 6 whether its file
 * exists or not.
 */
final class StoreCommands {
    private static final byte[] K_NAMES = Response.str("names");
    private static final byte[] K_NEXT = Response.str("next");
    private static final byte[] K_DB = Response.str("db");
    private static final byte[] K_RECORD = Response.str("record");

    private final StoreDatabases store;
    private final long maxResponseBytes;

    StoreCommands(StoreDatabases store, Limits limits) {
        this.store = store;
        this.maxResponseBytes = limits.maxMessageBytes();
    }

    /**
     * {@code open}'s result; a file this thread already holds in a transaction (another session of
     * the same thread) is status 5, as {@link Transactions} answers it, not a misuse.
     */
    private static <T> T onThisThread(Supplier<T> open) {
        try {
            return open.get();
        } catch (MisuseException e) {
            throw Databases.busyOnThisThread();
        }
    }

    /** {names: [...], next: the name to pass as after for the next page, or nil on the last page}. */
    void listDatabases(Request.ListDatabases request, SessionState session) throws IOException {
        ListPage page = store.as(session.principal).list(request.glob(), request.after(), request.limit());
        MessagePacker p = session.response.packer();
        p.packMapHeader(2);
        session.response.key(K_NAMES);
        p.packArrayHeader(page.names().size());
        for (String name : page.names()) {
            p.packString(name);
        }
        session.response.key(K_NEXT);
        if (page.next() == null) {
            p.packNil();
        } else {
            p.packString(page.next());
        }
        session.rows(page.names().size());
    }

    /** {name, bytes, wal_bytes, version, schemas: [names]}; meta.version is the version too. */
    void databaseStats(Request.DatabaseStats request, SessionState session) throws IOException {
        FileStats s = onThisThread(() -> store.as(session.principal).stats(request.db()));
        MessagePacker p = session.response.packer();
        p.packMapHeader(5);
        p.packString("name");
        p.packString(s.name());
        p.packString("bytes");
        p.packLong(s.bytes());
        p.packString("wal_bytes");
        p.packLong(s.walBytes());
        p.packString("version");
        p.packLong(s.version());
        p.packString("schemas");
        p.packArrayHeader(s.schemas().size());
        for (String name : s.schemas()) {
            p.packString(name);
        }
        session.version = s.version();
    }

    /** true when the file was dropped, false when there was none (administrators with read-write). */
    void dropDatabase(Request.DropDatabase request, SessionState session) throws IOException {
        boolean dropped = store.as(session.principal).drop(request.db());
        session.response.packer().packBoolean(dropped);
        session.rows(dropped ? 1 : 0);
    }

    /**
     * A RangeScan over several files (a list of names or a glob): their rows
     * merged by the scanned index, one limit over all, each as
     * {@code {db: name, record: {...}}}. The schema is named by name (ids are
     * per file). Refused (status 7) as soon as the response would exceed the
     * message limit.
     */
    void scan(Request.RangeScan request, SessionState session) throws IOException {
        if (!(request.schema().nameOrId() instanceof String schema)) {
            throw WireError.invalid("a RangeScan across databases names its schema by name (ids are per file)");
        }
        WireRange w = request.range();
        KeyRange range = new KeyRange(w.on(), w.start(), w.startInclusive(), w.end(), w.endInclusive(),
                w.descending(), w.limit(), null);
        GuardedStore guarded = store.as(session.principal);
        Response response = session.response;
        int at = response.beginArray();
        int n = 0;
        try (MergedScan rows = onThisThread(() -> request.dbs() != null ? guarded.scan(request.dbs(), schema, range)
                : guarded.scan(request.pattern(), schema, range))) {
            RecordDefinition def = rows.definition();
            List<FieldDef> fields = def == null ? List.of() : def.fields();
            byte[][] names = new byte[fields.size()][];
            for (int i = 0; i < names.length; i++) {
                names[i] = fields.get(i).name().getBytes(StandardCharsets.UTF_8);
            }
            MessagePacker p = response.packer();
            while (rows.hasNext()) {
                FileRecord r = rows.next();
                p.packMapHeader(2);
                response.key(K_DB);
                p.packString(r.db());
                response.key(K_RECORD);
                response.record(fields, names, r.record());
                n++;
                ReadCommands.checkSize(response, maxResponseBytes, n);
            }
        }
        response.endArray(at, n);
        session.rowsTouched = n;
    }
}

package io.ancdb.bench;

import io.ancdb.DatabaseOptions;
import io.ancdb.OnConflict;
import io.ancdb.store.PairNames;
import io.ancdb.store.StoreOptions;
import io.ancdb.typed.FieldDef;
import io.ancdb.typed.FieldType;
import io.ancdb.typed.RecordDefinition;
import org.sqlite.SQLiteConfig;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The USAGI-shaped data set of {@link StoreFiles}: {@code files} pair files
 * ("A-B-transaction" databases), each holding {@link #LOADED} rally events
 * (quote / order / answer, about 300 bytes, a timestamp index), built once
 * per engine into {@code <data root>/pairs-<engine>-<files>/} and copied for
 * every trial (as {@link Prepared} does for the single-file data sets).
 *
 * <p>An event of file {@code f} at timestamp {@code ts} is fully determined
 * by the two ({@link #kind}, {@link #body}), so a read checks every field of
 * every event it got, and that it came from the right file.
 */
final class PairFiles {
    /** Events every file holds before a trial starts (the last 20 are read). */
    static final int LOADED = 40;
    /** What the reads fetch: the newest events of a pair. */
    static final int LAST = 20;
    static final String SCHEMA = "Event";
    /** The ANC-DB definition; sqlite-jdbc gets the same table ({@link #DDL}). */
    static final RecordDefinition EVENT = RecordDefinition.of(SCHEMA, FieldDef.of("ts", FieldType.I64).asIndexed(),
            FieldDef.of("kind", FieldType.STR), FieldDef.of("body", FieldType.STR));
    /** What ANC-DB writes into sqlite_schema for {@link #EVENT} (checked by the smoke test). */
    static final List<String> DDL = List.of(
            "CREATE TABLE \"Event\"(\"id\" INTEGER PRIMARY KEY, \"ts\" INTEGER, \"kind\" TEXT, \"body\" TEXT)",
            "CREATE INDEX \"Event_ts\" ON \"Event\"(\"ts\")");
    static final String INSERT = "INSERT INTO Event(ts, kind, body) VALUES (?, ?, ?)";
    static final String LAST_EVENTS = "SELECT ts, kind, body FROM Event ORDER BY ts DESC LIMIT " + LAST;
    private static final String[] KINDS = {"quote", "order", "answer"};
    private static final int BODY_CHARS = 280;

    private PairFiles() {
    }

    public static void main(String[] args) {
        if (args.length == 3 && args[0].equals("copy") && List.of("ancdb", "sqlite").contains(args[1])) {
            System.out.println(copy(args[1], Integer.parseInt(args[2])).toAbsolutePath());
        } else if (args.length == 2 && args[0].equals("names")) {
            for (int i = 0; i < Integer.parseInt(args[1]); i++) {
                System.out.println(name(i));
            }
        } else {
            System.err.println("usage: PairFiles copy ancdb|sqlite FILES | PairFiles names FILES");
            System.exit(2);
        }
    }

    /** The name of pair file {@code i}: a canonical pair of two parties ({@code PairNames.pair}). */
    static String name(int i) {
        return PairNames.pair(String.format("buyer%05d", i), String.format("seller%05d", i));
    }

    static String kind(long ts) {
        return KINDS[(int) Long.remainderUnsigned(ts, KINDS.length)];
    }

    /** The event body of file {@code file} at {@code ts}: its file and timestamp, then filler from both. */
    static String body(int file, long ts) {
        StringBuilder b = new StringBuilder(BODY_CHARS).append(name(file)).append(' ').append(ts).append(' ');
        long x = Data.mix(ts * 1_000_003 + file);
        while (b.length() < BODY_CHARS) {
            b.append((char) ('a' + (int) Long.remainderUnsigned(x, 26)));
            x = Data.mix(x);
        }
        return b.toString();
    }

    /** The record ANC-DB inserts. */
    static Map<String, Object> event(int file, long ts) {
        Map<String, Object> m = new HashMap<>(4);
        m.put("ts", ts);
        m.put("kind", kind(ts));
        m.put("body", body(file, ts));
        return m;
    }

    /**
     * Checks the newest events of file {@code file} as read, newest first:
     * exactly {@link #LAST}, timestamps strictly descending, the newest at
     * {@code newest} when that is known (>0), every field as written.
     */
    static void checkLast(int file, long[] ts, String[] kinds, String[] bodies, int n, long newest) {
        if (n != LAST) {
            throw new IllegalStateException(name(file) + ": " + n + " events read, " + LAST + " expected");
        }
        if (newest > 0 && ts[0] != newest) {
            throw new IllegalStateException(name(file) + ": newest event at " + ts[0] + ", " + newest + " written");
        }
        for (int i = 0; i < n; i++) {
            if (i > 0 && ts[i] >= ts[i - 1]) {
                throw new IllegalStateException(name(file) + ": events out of order at " + ts[i]);
            }
            if (!kind(ts[i]).equals(kinds[i]) || !body(file, ts[i]).equals(bodies[i])) {
                throw new IllegalStateException(name(file) + ": event " + ts[i] + " is not the one written there");
            }
        }
    }

    /** The master data set of {@code engine} ("ancdb": a store directory; "sqlite": a directory of files). */
    static synchronized Path master(String engine, int files) {
        Path dir = Prepared.root().resolve("pairs-" + engine + "-" + files);
        Path db = dir.resolve("db");
        if (Files.exists(dir.resolve("done"))) {
            return db;
        }
        try {
            Prepared.deleteTree(dir);
            Files.createDirectories(db);
            long t0 = System.nanoTime();
            if (engine.equals("ancdb")) {
                buildAncdb(db, files);
            } else {
                buildSqlite(db, files);
            }
            Files.writeString(dir.resolve("done"), "built in " + (System.nanoTime() - t0) / 1_000_000 + " ms\n");
            return db;
        } catch (Exception e) {
            throw new IllegalStateException("building the " + engine + " pair files failed", e);
        }
    }

    /** A private copy of the master for one trial (the directory to open). */
    static Path copy(String engine, int files) {
        Path master = master(engine, files);
        try {
            Path trials = Files.createDirectories(Prepared.root().resolve("trials"));
            Path target = Files.createTempDirectory(trials, "pairs-" + engine + "-").resolve("db");
            try (Stream<Path> s = Files.walk(master)) {
                for (Path p : (Iterable<Path>) s::iterator) {
                    Path to = target.resolve(master.relativize(p).toString());
                    if (Files.isDirectory(p)) {
                        Files.createDirectories(to);
                    } else {
                        Files.copy(p, to, StandardCopyOption.COPY_ATTRIBUTES);
                    }
                }
            }
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The store's defaults, synchronous OFF: building is not what is measured. */
    private static void buildAncdb(Path dir, int files) {
        StoreOptions o = StoreOptions.defaults().withMaxOpen(64);
        o = o.withFileOptions(o.fileOptions().withSynchronous(DatabaseOptions.Synchronous.OFF));
        try (io.ancdb.store.Store store = io.ancdb.store.Store.open(dir, o)) {
            store.define(EVENT);
            for (int f = 0; f < files; f++) {
                int file = f;
                store.write(name(f), w -> {
                    for (long ts = 1; ts <= LOADED; ts++) {
                        w.records(SCHEMA).insert(w.tx(), event(file, ts), OnConflict.FAIL);
                    }
                });
            }
        }
    }

    private static void buildSqlite(Path dir, int files) throws SQLException {
        SQLiteConfig c = new SQLiteConfig();
        c.setJournalMode(SQLiteConfig.JournalMode.WAL);       // kept in the file: every later open is WAL
        c.setSynchronous(SQLiteConfig.SynchronousMode.OFF);
        for (int f = 0; f < files; f++) {
            try (Connection conn = DriverManager.getConnection(url(dir, f), c.toProperties())) {
                try (Statement s = conn.createStatement()) {
                    for (String sql : DDL) {
                        s.execute(sql);
                    }
                }
                conn.setAutoCommit(false);
                try (PreparedStatement ps = conn.prepareStatement(INSERT)) {
                    for (long ts = 1; ts <= LOADED; ts++) {
                        bind(ps, f, ts);
                        ps.addBatch();
                    }
                    ps.executeBatch();
                }
                conn.commit();
            }
        }
    }

    static String url(Path dir, int file) {
        return "jdbc:sqlite:" + dir.resolve(name(file) + ".db");
    }

    static void bind(PreparedStatement ps, int file, long ts) throws SQLException {
        ps.setLong(1, ts);
        ps.setString(2, kind(ts));
        ps.setString(3, body(file, ts));
    }
}

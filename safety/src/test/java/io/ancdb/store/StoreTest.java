package io.ancdb.store;

import io.ancdb.DatabaseOptions;
import io.ancdb.ErrorCode;
import io.ancdb.InvalidArgumentException;
import io.ancdb.SchemaMismatchException;
import io.ancdb.SchemaNotFoundException;
import io.ancdb.SqliteShell;
import io.ancdb.TransactionConflictException;
import io.ancdb.typed.FieldDef;
import io.ancdb.typed.FieldType;
import io.ancdb.typed.RecordDefinition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static io.ancdb.store.StoreFixtures.EVENT;
import static io.ancdb.store.StoreFixtures.events;
import static io.ancdb.store.StoreFixtures.insertEvent;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Store's file life cycle: lazy creation with the store's schemas, missing files, list, stats, drop. */
class StoreTest {
    @TempDir
    Path dir;

    @Test
    void aWriteCreatesTheFileWithTheStoreSchemasAndTheShellOpensIt() {
        String pair = PairNames.pair("globex", "acme");
        try (Store store = Store.open(dir, StoreFixtures.quick())) {
            store.define(EVENT);
            assertFalse(store.exists(pair));
            long v = store.write(pair, w -> insertEvent(w, 100, "quote", "10 t steel @ 500"));
            assertEquals(1, v);
            assertTrue(Files.isRegularFile(dir.resolve("acme.globex.db")));
            assertEquals(List.of("Event"), store.stats(pair).schemas());
            List<Map<String, Object>> rows = store.read(pair, StoreFixtures::events);
            assertEquals(1, rows.size());
            assertEquals("quote", rows.get(0).get("kind"));
        }
        Path file = dir.resolve("acme.globex.db");
        assertEquals("ok", SqliteShell.one(file, "PRAGMA integrity_check;"));
        assertEquals("100|quote", SqliteShell.one(file, "SELECT ts, kind FROM Event;"));
        assertEquals("1", SqliteShell.one(file, "PRAGMA user_version;"));
    }

    @Test
    void fileOptionsAStoreCannotHonourAreRefused() {
        DatabaseOptions files = StoreOptions.defaults().fileOptions();
        for (DatabaseOptions o : List.of(files.withExclusiveLocking(true), files.withCreate(false).withReadOnly(true),
                files.withRawKey(new byte[32]))) {
            InvalidArgumentException e = assertThrows(InvalidArgumentException.class,
                    () -> StoreOptions.defaults().withFileOptions(o));
            assertEquals(ErrorCode.INVALID_COMMAND, e.errorCode());
        }
    }

    @Test
    void readingAMissingNameIsDatabaseNotFoundAndCreatesNothing() {
        try (Store store = Store.open(dir, StoreFixtures.quick())) {
            store.define(EVENT);
            List<Path> before = StoreFixtures.tree(dir);
            DatabaseNotFoundException e = assertThrows(DatabaseNotFoundException.class, () -> store.beginRead("nobody.here"));
            assertEquals(ErrorCode.DATABASE_NOT_FOUND, e.errorCode());
            assertEquals(9, e.code());
            assertEquals("nobody.here", e.name());
            assertThrows(DatabaseNotFoundException.class, () -> store.stats("nobody.here"));
            assertThrows(DatabaseNotFoundException.class, () -> store.scan(List.of("nobody.here"), "Event",
                    io.ancdb.KeyRange.all()));
            assertEquals(before, StoreFixtures.tree(dir));
            assertEquals(0, store.openFiles());
        }
    }

    @Test
    void storeSchemasReachExistingFilesAtTheirNextWriteAndFilesKeepTheirOwn() {
        RecordDefinition note = RecordDefinition.of("Note", FieldDef.of("text", FieldType.STR));
        RecordDefinition own = RecordDefinition.of("Contract", FieldDef.of("terms", FieldType.STR));
        try (Store store = Store.open(dir, StoreFixtures.quick())) {
            store.define(EVENT);
            store.write("a.b", w -> insertEvent(w, 1, "quote", "x"));
            store.define("a.b", own);
            store.define(note);                                  // after a.b exists
            assertEquals(List.of("Event", "Contract"), store.stats("a.b").schemas());
            store.write("a.b", w -> w.records("Note").insert(w.tx(), Map.of("text", "hi"), io.ancdb.OnConflict.FAIL));
            assertEquals(List.of("Event", "Contract", "Note"), store.stats("a.b").schemas());
            store.write("c.d", w -> insertEvent(w, 1, "quote", "y"));
            assertEquals(List.of("Event", "Note"), store.stats("c.d").schemas());
            assertThrows(SchemaNotFoundException.class, () -> store.read("c.d", r -> r.records("Contract")));
            // a file's own schema may not clash with a store schema
            assertThrows(SchemaMismatchException.class, () -> store.define("c.d",
                    RecordDefinition.of("Note", FieldDef.of("other", FieldType.I64))));
        }
        // the store's schemas outlive the process: a new Store on the directory applies them
        try (Store again = Store.open(dir, StoreFixtures.quick())) {
            assertEquals(List.of(EVENT, note), again.schemas());
            again.write("e.f", w -> insertEvent(w, 2, "order", "z"));
            assertEquals(List.of("Event", "Note"), again.stats("e.f").schemas());
        }
    }

    @Test
    void aSchemaDefinedByAnotherStoreOnTheDirectoryIsSeenAtTheNextWrite() {
        try (Store one = Store.open(dir, StoreFixtures.quick()); Store two = Store.open(dir, StoreFixtures.quick())) {
            one.define(EVENT);
            two.write("a.b", w -> insertEvent(w, 1, "quote", "x"));   // two never defined Event itself
            assertEquals(List.of("Event"), two.stats("a.b").schemas());
        }
    }

    @Test
    void aFileIsNeverSeenWithoutItsSchemas() throws Exception {
        try (Store store = Store.open(dir, StoreFixtures.quick())) {
            store.define(EVENT);
            CompletableFuture<Void> creator = CompletableFuture.runAsync(() -> {
                for (int i = 0; i < 100; i++) {
                    store.write("n" + i, w -> insertEvent(w, 1, "quote", "x"));
                }
            });
            int seen = 0;
            while (!creator.isDone() || seen < 100) {
                Thread.yield();
                for (int i = seen; i < 100 && store.exists("n" + i); i++) {
                    // a file that exists has its schema, committed: at worst no event yet
                    assertTrue(store.read("n" + i, r -> events(r).size()) <= 1);
                    seen = i + 1;
                }
            }
            creator.get(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void twoStoresCreatingTheSameNamesEndWithOneFileEach() throws Exception {
        try (Store one = Store.open(dir, StoreFixtures.quick()); Store two = Store.open(dir, StoreFixtures.quick())) {
            one.define(EVENT);
            List<CompletableFuture<Void>> writers = new ArrayList<>();
            for (Store s : List.of(one, two)) {
                writers.add(CompletableFuture.runAsync(() -> {
                    for (int i = 0; i < 50; i++) {
                        s.write("n" + i, w -> insertEvent(w, 1, "quote", "x"));
                    }
                }));
            }
            for (CompletableFuture<Void> w : writers) {
                w.get(60, TimeUnit.SECONDS);
            }
            for (int i = 0; i < 50; i++) {
                assertEquals(2, StoreFixtures.count(one, "n" + i));
                assertEquals(2, two.stats("n" + i).version());
            }
            try (var left = Files.list(dir.resolve(StoreFiles.CREATING))) {
                assertEquals(0, left.count());
            }
        }
    }

    @Test
    void listPagesThroughNamesInOrderWithAPattern() {
        try (Store store = Store.open(dir, StoreFixtures.quick())) {
            store.define(EVENT);
            List<String> all = new ArrayList<>();
            for (int i = 0; i < 57; i++) {
                String n = PairNames.pair("acme", String.format("p%03d", i));
                all.add(n);
                store.write(n, w -> insertEvent(w, 1, "quote", "x"));
            }
            store.write("zeta.other", w -> insertEvent(w, 1, "quote", "x"));
            all.sort(null);
            List<String> seen = new ArrayList<>();
            String after = null;
            int pages = 0;
            do {
                ListPage page = store.list("acme.*", after, 10);
                seen.addAll(page.names());
                after = page.next();
                pages++;
            } while (after != null);
            assertEquals(all, seen);
            assertEquals(6, pages);
            assertEquals(List.of("acme.p007"), store.list("acme.p?07", null, 100).names());
            assertEquals(List.of("acme.p007", "acme.p017", "acme.p027", "acme.p037", "acme.p047"),
                    store.list("acme.p0?7", null, 100).names());
            assertEquals(58, store.list(null, null, 10_000).names().size());
            assertNull(store.list(null, null, 10_000).next());
            // the schema file and side files are never listed
            assertFalse(store.list(null, null, 10_000).names().stream().anyMatch(n -> n.startsWith(".")));
            assertEquals(ErrorCode.INVALID_COMMAND, assertThrows(io.ancdb.InvalidArgumentException.class,
                    () -> store.list("../*", null, 10)).errorCode());
            assertThrows(io.ancdb.InvalidArgumentException.class, () -> store.list(null, null, 0));
        }
    }

    @Test
    void dropDeletesTheFileAndItsSideFilesAndWaitsForTransactions() throws Exception {
        try (Store store = Store.open(dir, StoreFixtures.quick().withWaitTimeout(Duration.ofMillis(300)))) {
            store.define(EVENT);
            store.write("a.b", w -> insertEvent(w, 1, "quote", "x"));
            assertTrue(Files.exists(dir.resolve("a.b.db-wal")));        // open in WAL mode: side files exist
            CountDownLatch reading = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            CompletableFuture<Integer> reader = CompletableFuture.supplyAsync(() -> {
                try (FileRead r = store.beginRead("a.b")) {
                    reading.countDown();
                    await(release);
                    return events(r).size();
                }
            });
            assertTrue(reading.await(30, TimeUnit.SECONDS));
            TransactionConflictException busy = assertThrows(TransactionConflictException.class, () -> store.drop("a.b"));
            assertTrue(busy.getMessage().contains("in use"), busy.getMessage());
            assertTrue(Files.exists(dir.resolve("a.b.db")));
            release.countDown();
            assertEquals(1, reader.get(30, TimeUnit.SECONDS));
            assertTrue(store.drop("a.b"));
            for (String f : new String[] {"a.b.db", "a.b.db-wal", "a.b.db-shm", "a.b.db-journal"}) {
                assertFalse(Files.exists(dir.resolve(f)), f);
            }
            assertFalse(store.drop("a.b"));
            assertThrows(DatabaseNotFoundException.class, () -> store.beginRead("a.b"));
            // the name can be written again: a new, empty file at version 1
            assertEquals(1, store.write("a.b", w -> insertEvent(w, 2, "quote", "y")));
            assertEquals(1, store.read("a.b", StoreFixtures::events).size());
        }
    }

    private static void await(CountDownLatch l) {
        try {
            if (!l.await(30, TimeUnit.SECONDS)) {
                throw new AssertionError("latch timed out");
            }
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }
}

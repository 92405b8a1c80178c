package io.ancdb.protocol;

import io.ancdb.DatabaseOptions;
import io.ancdb.store.Store;
import io.ancdb.store.StoreOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.ancdb.protocol.Msg.map;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** ListDatabases (0x23), DatabaseStats (0x24), DropDatabase (0x25) on a store. */
class StoreCommandsTest {
    @TempDir
    Path dir;
    Store store;
    CommandDispatcher d;

    @BeforeEach
    void open() {
        store = Store.open(dir.resolve("store"), StoreOptions.withFiles(StoreOptions.defaults().fileOptions()
                .withSynchronous(DatabaseOptions.Synchronous.OFF)));
        d = new CommandDispatcher(store, Limits.defaults(), null, null);
        call(map("cmd", 0x20, "schema", "Event", "fields", StoreProtocolTest.EVENT)).ok();
        for (String name : List.of("acme.globex", "acme.initech", "globex.initech", "acme.hooli", "ledger")) {
            call(map("cmd", 0x03, "db", name, "schema", "Event", "record", map("ts", 1, "kind", "x"))).ok();
        }
    }

    @AfterEach
    void close() {
        d.close();
        store.close();
    }

    Msg.Resp call(Object request) {
        return Msg.resp(d.handle(Msg.pack(request)));
    }

    @Test
    void listDatabasesPagesThroughNamesInAsciiOrder() {
        Map<String, Object> all = call(map("cmd", 0x23)).ok().record();
        assertEquals(List.of("acme.globex", "acme.hooli", "acme.initech", "globex.initech", "ledger"), all.get("names"));
        assertNull(all.get("next"));
        List<Object> paged = new ArrayList<>();
        Object after = null;
        int pages = 0;
        do {
            Map<String, Object> page = call(map("cmd", 0x23, "glob", "acme.*", "after", after, "limit", 2)).ok()
                    .record();
            paged.addAll((List<?>) page.get("names"));
            after = page.get("next");
            pages++;
        } while (after != null);
        assertEquals(List.of("acme.globex", "acme.hooli", "acme.initech"), paged);
        assertEquals(2, pages);
        assertEquals(List.of("acme.initech", "globex.initech"),
                call(map("cmd", 0x23, "glob", "*.initech")).ok().record().get("names"));
        call(map("cmd", 0x23, "limit", 10_001)).fails(1);
        call(map("cmd", 0x23, "glob", "../*")).fails(1);
    }

    @Test
    void databaseStatsTellsSizeVersionAndSchemas() {
        call(map("cmd", 0x03, "db", "acme.globex", "schema", "Event", "record", map("ts", 2, "kind", "y"))).ok();
        Msg.Resp r = call(map("cmd", 0x24, "db", "acme.globex")).ok();
        Map<String, Object> s = r.record();
        assertEquals("acme.globex", s.get("name"));
        assertEquals(2L, s.get("version"));
        assertEquals(2L, r.meta().get("version"));
        assertEquals(List.of("Event"), s.get("schemas"));
        assertTrue((Long) s.get("bytes") >= 4096, s::toString);
        assertTrue(s.containsKey("wal_bytes"));
        call(map("cmd", 0x24, "db", "nobody.here")).fails(9);
        call(map("cmd", 0x24)).fails(1);
    }

    @Test
    void dropDatabaseDeletesTheFileAndItsSideFiles() {
        Path file = dir.resolve("store").resolve("ledger.db");
        assertTrue(Files.exists(file));
        Msg.Resp r = call(map("cmd", 0x25, "db", "ledger")).ok();
        assertEquals(Boolean.TRUE, r.data());
        assertEquals(1L, r.rowsAffected());
        assertFalse(Files.exists(file));
        assertFalse(Files.exists(dir.resolve("store").resolve("ledger.db-wal")));
        assertEquals(Boolean.FALSE, call(map("cmd", 0x25, "db", "ledger")).ok().data());
        call(map("cmd", 0x01, "db", "ledger", "schema", "Event", "key", 1)).fails(9);
    }
}

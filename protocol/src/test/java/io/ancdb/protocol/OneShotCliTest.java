package io.ancdb.protocol;

import io.ancdb.store.Store;
import io.ancdb.typed.FieldDef;
import io.ancdb.typed.FieldType;
import io.ancdb.typed.RecordDefinition;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code ancdb put / get / scan --store DIR ...}: JSON on stdout, the documented exit codes. */
class OneShotCliTest {
    @TempDir
    Path dir;
    Path store;

    record Run(int code, String out, String err) {
    }

    @BeforeEach
    void defineSchema() {
        store = dir.resolve("pairs");
        try (Store s = Store.open(store)) {
            s.define(RecordDefinition.of("Event", FieldDef.of("id", FieldType.U64).asPrimaryKey(),
                    FieldDef.of("ts", FieldType.I64).asIndexed(), FieldDef.of("kind", FieldType.STR),
                    FieldDef.of("raw", FieldType.BYTES)));
        }
    }

    Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(args, Map.of(), new PrintWriter(out, true), new PrintWriter(err, true));
        return new Run(code, out.toString().strip(), err.toString().strip());
    }

    Run put(String db, String json, String... more) {
        String[] base = {"put", "--store", store.toString(), "--db", db, "--schema", "Event", "--record", json};
        String[] all = java.util.Arrays.copyOf(base, base.length + more.length);
        System.arraycopy(more, 0, all, base.length, more.length);
        return run(all);
    }

    @Test
    void putThenGetWithVersions() {
        Run first = put("acme.globex", "{\"id\": 7, \"ts\": 1, \"kind\": \"quote\"}", "--expect-version", "0");
        assertEquals(0, first.code(), first::toString);
        assertEquals("{\"key\":7,\"version\":1}", first.out());
        Run generated = put("acme.globex", "{\"ts\": 2, \"kind\": \"order\"}");
        assertEquals(0, generated.code(), generated::toString);
        assertTrue(generated.out().matches("\\{\"key\":[0-9]+,\"version\":2}"), generated.out());

        Run got = run("get", "--store", store.toString(), "--db", "acme.globex", "--schema", "Event", "--key", "7");
        assertEquals(0, got.code(), got::toString);
        assertEquals("{\"record\":{\"id\":7,\"ts\":1,\"kind\":\"quote\",\"raw\":null},\"version\":2}", got.out());
        assertEquals(List.of("7|1|quote"), Msg.sqlite(store.resolve("acme.globex.db"),
                "SELECT id, ts, kind FROM Event WHERE id = 7;"));
    }

    @Test
    void exitCodesSayWhatWentWrong() {
        put("acme.globex", "{\"id\": 7, \"ts\": 1}");
        Run stale = put("acme.globex", "{\"ts\": 2}", "--expect-version", "0");
        assertEquals(10, stale.code(), stale::toString);
        assertEquals("{\"current_version\":1}", stale.out());
        assertTrue(stale.err().contains("VERSION_CONFLICT"), stale.err());
        assertEquals(4, put("acme.globex", "{\"id\": 7, \"ts\": 1}").code());
        assertEquals(3, run("get", "--store", store.toString(), "--db", "acme.globex", "--schema", "Event",
                "--key", "8").code());
        Run missing = run("get", "--store", store.toString(), "--db", "acme.initech", "--schema", "Event",
                "--key", "7");
        assertEquals(9, missing.code(), missing::toString);
        assertEquals("", missing.out());
        assertFalse(Files.exists(store.resolve("acme.initech.db")), "a read creates nothing");
        assertEquals(9, run("get", "--store", dir.resolve("nowhere").toString(), "--db", "a.b", "--schema", "Event",
                "--key", "1").code());
        assertFalse(Files.exists(dir.resolve("nowhere")));
        assertEquals(1, put("acme.globex", "[1, 2]").code());
        assertEquals(1, put("acme.globex", "{\"nope\": 1}").code());
        assertEquals(1, put("../x", "{\"ts\": 1}").code());
        assertEquals(1, run("put", "--store", store.toString(), "--db", "a.b", "--schema", "Nope", "--record", "{}")
                .code());
        assertEquals(2, run("put", "--store", store.toString(), "--db", "a.b", "--schema", "Event").code());
    }

    @Test
    void scanMergesFilesByTheIndex() {
        put("acme.globex", "{\"id\": 1, \"ts\": 10, \"kind\": \"a\"}");
        put("acme.initech", "{\"id\": 2, \"ts\": 30, \"kind\": \"b\"}");
        put("acme.globex", "{\"id\": 3, \"ts\": 20, \"kind\": \"c\"}");
        Run r = run("scan", "--store", store.toString(), "--db", "acme.*", "--schema", "Event", "--index", "ts",
                "--desc", "--limit", "2");
        assertEquals(0, r.code(), r::toString);
        assertEquals("[{\"db\":\"acme.initech\",\"record\":{\"id\":2,\"ts\":30,\"kind\":\"b\",\"raw\":null}},"
                + "{\"db\":\"acme.globex\",\"record\":{\"id\":3,\"ts\":20,\"kind\":\"c\",\"raw\":null}}]", r.out());
    }
}

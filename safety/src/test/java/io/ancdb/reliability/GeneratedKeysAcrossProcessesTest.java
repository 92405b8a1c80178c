package io.ancdb.reliability;

import io.ancdb.Database;
import io.ancdb.DatabaseOptions;
import io.ancdb.OnConflict;
import io.ancdb.TransactionConflictException;
import io.ancdb.typed.Definitions;
import io.ancdb.typed.FieldDef;
import io.ancdb.typed.FieldType;
import io.ancdb.typed.Inserted;
import io.ancdb.typed.RecordDefinition;
import io.ancdb.typed.RecordTable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two processes insert records with generated keys into one file at the same
 * time, both with the default machine id 0 and {@code REPLACE}: every record
 * of both must be there, under a key of its own (issue 10 item 5).
 */
class GeneratedKeysAcrossProcessesTest {
    static final RecordDefinition NOTE = RecordDefinition.of("Note", FieldDef.of("writer", FieldType.STR),
            FieldDef.of("n", FieldType.I64));
    /** WAL without a sync per commit: commits take microseconds, so both writers mint ids in the same ms. */
    static final DatabaseOptions WAL = DatabaseOptions.defaults().withJournalMode(DatabaseOptions.JournalMode.WAL)
            .withSynchronous(DatabaseOptions.Synchronous.NORMAL);
    static final int PER_WRITER = 3000;

    @TempDir
    Path dir;

    @Test
    void twoProcessesWithTheSameMachineIdKeepEveryRecord() throws Exception {
        Path file = dir.resolve("shared.db");
        try (Database db = Database.open(file, WAL)) {
            Definitions.of(db).define(NOTE);
        }
        ChildJvm jvm = ChildJvm.plain("96m");
        List<Process> children = new ArrayList<>();
        // Both start writing at the same moment, once their JVMs are up, so that their writes interleave.
        long startAt = System.currentTimeMillis() + 4000;
        for (String writer : List.of("left", "right")) {
            children.add(new ProcessBuilder(jvm.command(Writer.class.getName(), List.of(), file.toString(), writer,
                    Integer.toString(PER_WRITER), Long.toString(startAt)))
                    .redirectErrorStream(true)
                    .redirectOutput(dir.resolve(writer + ".log").toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start());
        }
        for (int i = 0; i < children.size(); i++) {
            Process p = children.get(i);
            boolean done = p.waitFor(240, TimeUnit.SECONDS);
            if (!done) {
                p.destroyForcibly().waitFor();
            }
            String log = ChildJvm.tail(dir.resolve(List.of("left", "right").get(i) + ".log"), 3000);
            assertTrue(done && p.exitValue() == 0, "writer " + i + " failed:\n" + log);
        }
        try (Database db = Database.open(file, WAL)) {
            RecordTable notes = Definitions.of(db).table("Note");
            Map<String, Integer> perWriter = new HashMap<>();
            db.runRead(tx -> {
                assertEquals(2L * PER_WRITER, notes.count(tx));
                try (var c = notes.scan(tx, io.ancdb.KeyRange.all())) {
                    c.forEachRemaining(r -> perWriter.merge((String) r.get("writer"), 1, Integer::sum));
                }
            });
            assertEquals(Map.of("left", PER_WRITER, "right", PER_WRITER), perWriter);
            assertEquals("", db.integrityCheck());
        }
    }

    /**
     * A child: {@code FILE WRITER N START_MS} waits for the wall clock to reach
     * START_MS, then inserts N records with generated keys, one transaction each.
     */
    public static final class Writer {
        public static void main(String[] args) throws InterruptedException {
            Path file = Path.of(args[0]);
            String writer = args[1];
            int n = Integer.parseInt(args[2]);
            long startAt = Long.parseLong(args[3]);
            try (Database db = Database.open(file, WAL)) {
                Thread.sleep(Math.max(0, startAt - System.currentTimeMillis()));
                RecordTable notes = Definitions.of(db).table("Note");
                for (int i = 0; i < n; i++) {
                    long k = i;
                    Inserted<Object> r;
                    while (true) {
                        try {
                            r = db.writeTx(tx -> notes.insert(tx, Map.of("writer", writer, "n", k),
                                    OnConflict.REPLACE));
                            break;
                        } catch (TransactionConflictException busy) {
                            // the other writer held the lock past the busy timeout: retry, as documented
                        }
                    }
                    if (!r.written()) {
                        throw new AssertionError("record " + i + " not written");
                    }
                }
            }
            System.out.println(writer + " done at " + System.currentTimeMillis());
        }
    }
}

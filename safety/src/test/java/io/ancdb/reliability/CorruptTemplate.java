package io.ancdb.reliability;

import io.ancdb.typed.Definitions;
import io.ancdb.Database;
import io.ancdb.DatabaseOptions;
import io.ancdb.DatabaseOptions.JournalMode;
import io.ancdb.schema.Column;
import io.ancdb.schema.IndexSpec;
import io.ancdb.schema.SqlType;
import io.ancdb.schema.TableSpec;
import io.ancdb.typed.Indexed;
import io.ancdb.typed.PrimaryKey;
import io.ancdb.typed.TypedTable;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

/**
 * The valid files the corruption fuzzer mutates: two plain tables with three
 * indexes (one UNIQUE), a typed record table with a string primary key, an
 * indexed field and a tag index, overflow pages and free pages. Built
 * deterministically (no clock, fixed seed). The WAL template keeps
 * uncheckpointed frames in its -wal file, so both files can be mutated.
 * Each is built twice: plaintext, and encrypted with {@link #KEY} (SQLCipher
 * 4 format).
 */
final class CorruptTemplate {
    static final String PEOPLE = "people";
    static final String ORDERS = "orders";
    /** The raw key of the encrypted templates. */
    static final byte[] KEY = EnvKey.fromSeed(0xC0DEL);

    /** A typed record: string key (UNIQUE index), indexed number, tag index. */
    record Doc(@PrimaryKey String key, @Indexed long n, String text, @Indexed List<String> tags) {
    }

    private CorruptTemplate() {
    }

    /** How a file opens ({@code encrypted}: with {@link #KEY}, a new DatabaseKey per open). */
    static DatabaseOptions options(JournalMode mode, boolean encrypted) {
        // synchronous OFF: the fuzzer is about malformed files, not durability
        return EnvKey.keyed(DatabaseOptions.defaults().withJournalMode(mode).withSynchronous(DatabaseOptions.Synchronous.OFF)
                .withMaxReaders(1).withBusyTimeout(java.time.Duration.ZERO), encrypted ? KEY : null);
    }

    /** The template file for {@code mode} in {@code dir} (a WAL template also has {@code <file>-wal}). */
    static Path file(Path dir, JournalMode mode, boolean encrypted) {
        return dir.resolve(mode.name().toLowerCase(java.util.Locale.ROOT) + (encrypted ? "-encrypted" : "") + ".db");
    }

    /** Builds the four templates in {@code dir}. */
    static void build(Path dir) throws IOException {
        build(dir, false);
        build(dir, true);
    }

    private static void build(Path dir, boolean encrypted) throws IOException {
        Files.createDirectories(dir);
        Path del = file(dir, JournalMode.DELETE, encrypted);
        try (Database db = Database.open(del, options(JournalMode.DELETE, encrypted))) {
            populate(db);
        }
        Path wal = file(dir, JournalMode.WAL, encrypted);
        Path scratch = dir.resolve("wal-scratch");
        Files.createDirectories(scratch);
        Path live = scratch.resolve("wal.db");
        try (Database db = Database.open(live, options(JournalMode.WAL, encrypted))) {
            populate(db);
        }                                   // closing checkpoints: the base data is in the database file
        try (Database db = Database.open(live, options(JournalMode.WAL, encrypted))) {
            // and these frames stay in the -wal file we copy (the next checkpoint is at close)
            db.runWrite(tx -> {
                for (long id = 1; id <= 300; id += 5) {
                    tx.update(PEOPLE, id, person(new Random(id * 7), id, "renamed-"));
                }
                for (long id = 401; id <= 450; id++) {
                    tx.insert(ORDERS, id, id % 300, id * 1.25, "note-" + id);
                }
            });
            Files.copy(live, wal);
            Files.copy(scratch.resolve("wal.db-wal"), dir.resolve(wal.getFileName() + "-wal"));
        }
        ChildJvm.deleteTree(scratch);
    }

    private static void populate(Database db) {
        db.runWrite(tx -> {
            tx.createTable(TableSpec.of(PEOPLE, Column.rowid("id"), new Column("name", "TEXT", false, true),
                    Column.of("age", SqlType.INTEGER), Column.of("bio", SqlType.TEXT), Column.of("photo", SqlType.BLOB)));
            tx.createIndex(new IndexSpec("people_name", PEOPLE, List.of("name"), false));
            tx.createIndex(new IndexSpec("people_age_name", PEOPLE, List.of("age", "name"), false));
            tx.createTable(TableSpec.of(ORDERS, Column.rowid("id"), Column.of("person", SqlType.INTEGER),
                    Column.of("total", SqlType.REAL), Column.of("note", SqlType.TEXT)));
            tx.createIndex(new IndexSpec("orders_note", ORDERS, List.of("note"), true));
            Random r = new Random(1);
            for (long id = 1; id <= 300; id++) {
                tx.insert(PEOPLE, person(r, id, "person-"));
            }
            for (long id = 1; id <= 400; id++) {
                tx.insert(ORDERS, id, id % 300, id * 1.25, "note-" + id);
            }
        });
        TypedTable<Doc, String> docs = Definitions.of(db).register(Doc.class, String.class);
        db.runWrite(tx -> {
            for (int i = 0; i < 200; i++) {
                docs.insert(tx, new Doc("doc-" + i, i % 37, "text of doc " + i + " ".repeat(i % 50),
                        List.of("t" + (i % 5), "all")));
            }
        });
        db.runWrite(tx -> {
            for (long id = 100; id <= 140; id++) {
                tx.delete(PEOPLE, id);                  // free pages for the freelist
            }
        });
    }

    private static Object[] person(Random r, long id, String prefix) {
        String bio = id % 20 == 0 ? "long bio ".repeat(400) : "bio " + id;      // some overflow chains
        byte[] photo = new byte[id % 10 == 0 ? 1500 : 20];
        r.nextBytes(photo);
        return new Object[] {id, prefix + id, (long) (r.nextInt(90)), bio, photo};
    }
}

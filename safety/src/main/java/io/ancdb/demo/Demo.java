package io.ancdb.demo;

import io.ancdb.Database;
import io.ancdb.Row;
import io.ancdb.RowCursor;
import io.ancdb.schema.Column;
import io.ancdb.schema.IndexSpec;
import io.ancdb.schema.SqlType;
import io.ancdb.schema.TableSpec;

import java.nio.file.Path;
import java.util.List;

/**
 * The README's demo: writes a small agent-memory table with an index through
 * SQLite's B-tree layer, reads it back, and says how to open the file with
 * the stock sqlite3 shell.
 */
public final class Demo {
    private Demo() {
    }

    public static void main(String[] args) {
        Path file = Path.of(args.length > 0 ? args[0] : "ancdb-demo.db");
        try (Database db = Database.open(file)) {
            if (db.catalog().find("memory") == null) {
                db.runWrite(tx -> {
                    tx.createTable(TableSpec.of("memory",
                            Column.rowid("id"),
                            Column.of("agent", SqlType.TEXT),
                            Column.of("ts", SqlType.INTEGER),
                            Column.of("content", SqlType.TEXT),
                            Column.of("score", SqlType.REAL)));
                    tx.createIndex(new IndexSpec("memory_by_agent_ts", "memory", List.of("agent", "ts"), false));
                });
            }
            long t0 = System.nanoTime();
            db.runWrite(tx -> {
                for (int i = 0; i < 1000; i++) {
                    tx.insert("memory", null, "agent-" + (i % 3), 1_700_000_000_000L + i,
                            "observation #" + i, i / 10.0);
                }
            });
            long us = (System.nanoTime() - t0) / 1000;
            db.runRead(tx -> {
                System.out.printf("wrote 1000 rows in one transaction (%d us); %d rows in table 'memory'%n",
                        us, tx.count("memory"));
                Row r = tx.get("memory", 42);
                System.out.println("row 42: " + r);
                System.out.println("last 3 rows:");
                try (RowCursor c = tx.scan("memory", Long.MIN_VALUE, Long.MAX_VALUE, true)) {
                    for (int i = 0; i < 3 && c.hasNext(); i++) {
                        System.out.println("  " + c.next());
                    }
                }
            });
            String check = db.integrityCheck();
            System.out.println("integrity check: " + (check.isEmpty() ? "ok" : check));
        }
        System.out.println();
        System.out.println("The file is a plain SQLite database. Try:");
        System.out.println("  sqlite3 " + file + " \"PRAGMA integrity_check; SELECT agent, count(*) FROM memory GROUP BY agent;\"");
    }
}

package io.ancdb.analytics;

import io.ancdb.OnConflict;
import io.ancdb.store.Store;
import io.ancdb.typed.FieldDef;
import io.ancdb.typed.FieldType;
import io.ancdb.typed.RecordDefinition;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Stores for the analytics tests, and the CLI run in-process. */
final class Fixtures {
    static final RecordDefinition EVENT = RecordDefinition.of("Event",
            FieldDef.of("id", FieldType.I64).asPrimaryKey(), FieldDef.of("ts", FieldType.I64).asIndexed(),
            FieldDef.of("kind", FieldType.STR), FieldDef.of("body", FieldType.STR).asCompressed());

    private Fixtures() {
    }

    /** A store with {@code files} pair files "p0.q", "p1.q"... of {@code rows} events each (ids 1..rows). */
    static void events(Path dir, int files, int rows) {
        try (Store store = Store.open(dir)) {
            store.define(EVENT);
            for (int f = 0; f < files; f++) {
                store.write(name(f), w -> {
                    for (int i = 1; i <= rows; i++) {
                        w.records("Event").insert(w.tx(), Map.of("id", (long) i, "ts", 1000L * i,
                                "kind", i % 2 == 0 ? "order" : "quote", "body", "body " + i), OnConflict.FAIL);
                    }
                });
            }
        }
    }

    static String name(int f) {
        return "p" + f + ".q";
    }

    /** The rows of {@code sql}, each as a list of its values' text. */
    static List<List<String>> rows(StoreAnalytics a, String sql) throws SQLException {
        List<List<String>> out = new ArrayList<>();
        try (Statement st = a.connection().createStatement(); ResultSet rs = st.executeQuery(sql)) {
            int n = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                List<String> r = new ArrayList<>();
                for (int i = 1; i <= n; i++) {
                    Object v = rs.getObject(i);
                    r.add(v == null ? null : ResultPrinter.text(v));
                }
                out.add(r);
            }
        }
        return out;
    }

    /** What one CLI run printed, and its exit code. */
    record Run(int exit, String out, String err) {
    }

    static Run cli(Map<String, String> env, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = Main.run(args, env == null ? new HashMap<>() : env, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}

package io.ancdb.analytics;

import io.ancdb.InvalidArgumentException;
import io.ancdb.store.StoreNames;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What an export directory holds: its schema, and for each database the
 * version and row count of the snapshot its partition was written from.
 * Kept in {@code OUT/_ancdb_export.tsv} (Spark, Hive and pandas skip files
 * beginning with {@code _}); replaced whole by a rename, so a crash leaves the
 * old manifest or the new one, and a partition written without its manifest
 * line is simply written again next time.
 *
 * <pre>
 * # ancdb export: schema Event
 * acme.globex	17	5120
 * </pre>
 */
final class ExportManifest {
    static final String FILE = "_ancdb_export.tsv";
    private static final String HEADER = "# ancdb export: schema ";

    record Entry(long version, long rows) {
    }

    private final Path out;
    private final String schema;
    private final Map<String, Entry> entries;

    private ExportManifest(Path out, String schema, Map<String, Entry> entries) {
        this.out = out;
        this.schema = schema;
        this.entries = entries;
    }

    /** The manifest of {@code out} for {@code schema} (empty when there is none yet). */
    static ExportManifest read(Path out, String schema) {
        Path f = out.resolve(FILE);
        Map<String, Entry> entries = new TreeMap<>();
        if (!Files.exists(f)) {
            return new ExportManifest(out, schema, entries);
        }
        try {
            List<String> lines = Files.readAllLines(f, StandardCharsets.UTF_8);
            if (lines.isEmpty() || !lines.getFirst().startsWith(HEADER)) {
                throw new InvalidArgumentException(f + " is not an ANC-DB export manifest");
            }
            String had = lines.getFirst().substring(HEADER.length());
            if (!had.equalsIgnoreCase(schema)) {
                throw new InvalidArgumentException(out + " holds an export of schema " + had + ", not " + schema
                        + ": export each schema to its own directory");
            }
            for (int i = 1; i < lines.size(); i++) {
                String[] w = lines.get(i).split("\t");
                if (w.length != 3 || !StoreNames.isValid(w[0])) {
                    throw new InvalidArgumentException(f + " line " + (i + 1) + " is damaged");
                }
                entries.put(w[0], new Entry(Long.parseLong(w[1]), Long.parseLong(w[2])));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + f, e);
        } catch (NumberFormatException e) {
            throw new InvalidArgumentException(f + " is damaged: " + e.getMessage());
        }
        return new ExportManifest(out, schema, entries);
    }

    Map<String, Entry> entries() {
        return Collections.unmodifiableMap(entries);
    }

    /** Each database's exported version (what {@link LoadOptions#skipAt} takes). */
    Map<String, Long> versions() {
        Map<String, Long> v = new TreeMap<>();
        entries.forEach((k, e) -> v.put(k, e.version()));
        return v;
    }

    void put(String db, long version, long rows) {
        entries.put(db, new Entry(version, rows));
    }

    void remove(String db) {
        entries.remove(db);
    }

    /** Writes the manifest: to a temporary file, synced, then renamed over the old one. */
    void write() {
        List<String> lines = new ArrayList<>();
        lines.add(HEADER + schema);
        entries.forEach((k, e) -> lines.add(k + "\t" + e.version() + "\t" + e.rows()));
        Path tmp = out.resolve(FILE + ".tmp");
        try {
            Files.write(tmp, lines, StandardCharsets.UTF_8);
            try (var ch = java.nio.channels.FileChannel.open(tmp, java.nio.file.StandardOpenOption.WRITE)) {
                ch.force(true);
            }
            Files.move(tmp, out.resolve(FILE), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + out.resolve(FILE), e);
        }
    }
}

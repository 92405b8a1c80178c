package io.ancdb.typed;

import io.ancdb.InvalidArgumentException;
import io.ancdb.TestSeeds;
import io.ancdb.schema.DdlParser;
import io.ancdb.schema.DeclaredSchema;
import io.ancdb.schema.DefinedRecord;
import io.ancdb.schema.IndexSpec;
import io.ancdb.schema.TagIndex;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What a definition declares ({@link DeclaredSchemas}) is what the catalog
 * uses instead of parsing the text ANC-DB wrote for it. That is sound only if
 * the parser reads that text back into the same specs: checked here for
 * random definitions (every field type, keys of every kind, composite and tag
 * indexes, names with quotes, spaces, brackets, commas and non-ASCII
 * letters). Seeded: {@code -Dancdb.declared.seed=N} replays a run.
 */
class DeclaredSchemasTest {
    private static final String NAME_CHARS = "abcXYZ_019 \"'(),.-éß字";

    @Test
    void theCanonicalTextParsesBackIntoTheDeclaredSpecs() {
        long seed = TestSeeds.seed("DeclaredSchemasTest", "ancdb.declared.seed", System.nanoTime());
        SplittableRandom rnd = new SplittableRandom(seed);
        int checked = 0;
        while (checked < 500) {
            RecordDefinition def = randomDefinition(rnd);
            if (def == null) {
                continue;
            }
            DeclaredSchema d = DeclaredSchemas.of(def);
            DdlParser.ParsedTable pt = parse(d.table().createSql(), DdlParser::parseTable, seed);
            assertEquals(d.table(), pt.spec(), "seed " + seed + ": " + d.table().createSql());
            assertTrue(pt.writable(), d.table().createSql());
            for (IndexSpec is : d.indexes()) {
                DdlParser.ParsedIndex pi = parse(is.createSql(), DdlParser::parseIndex, seed);
                assertEquals(is, pi.spec(), "seed " + seed + ": " + is.createSql());
                assertTrue(pi.maintainable(), is.createSql());
            }
            List<String> tagNames = d.tagIndexes().stream().map(TagIndex::name).toList();
            List<String> all = new ArrayList<>(d.indexes().stream().map(IndexSpec::name).toList());
            all.addAll(tagNames);
            assertEquals(def.toIndexSpecs().size(), all.size(), "every index is plain or a tag index");
            checked++;
        }
    }

    @Test
    void aDefinitionTextIsDecodedOncePerProcessAndADamagedOneNeverCached() {
        RecordDefinition def = RecordDefinition.of("Cached", FieldDef.of("tags", FieldType.STRLIST).asIndexed());
        DefinedRecord row = new DefinedRecord(1, "Cached", DefinitionJson.encode(def));
        DeclaredSchema first = new DeclaredSchemas().of(row);
        assertSame(first, new DeclaredSchemas().of(new DefinedRecord(9, "Cached", row.json())), "same text: decoded once");
        assertEquals(List.of(new TagIndex("Cached", "Cached_tags", "tags")), first.tagIndexes());
        DefinedRecord damaged = new DefinedRecord(2, "Bad", "{\"name\":");
        for (int i = 0; i < 2; i++) {
            assertThrows(io.ancdb.CorruptionException.class, () -> new DeclaredSchemas().of(damaged));
        }
    }

    /** {@code parser} applied to {@code sql}; a failure names the text and the seed. */
    private static <T> T parse(String sql, java.util.function.Function<String, T> parser, long seed) {
        try {
            return parser.apply(sql);
        } catch (RuntimeException e) {
            throw new AssertionError("seed " + seed + ": the parser cannot read " + sql, e);
        }
    }

    /** A random valid definition, or null when the draw broke a rule. */
    private static RecordDefinition randomDefinition(SplittableRandom rnd) {
        FieldType[] types = FieldType.values();
        Set<String> used = new HashSet<>();
        used.add("id");                                       // the implicit key's name
        String table = name(rnd, used);
        List<FieldDef> fields = new ArrayList<>();
        int n = 1 + rnd.nextInt(7);
        int pk = rnd.nextInt(3) == 0 ? -1 : rnd.nextInt(n);  // -1: the implicit id
        for (int i = 0; i < n; i++) {
            FieldType t = types[rnd.nextInt(types.length)];
            boolean key = i == pk;
            boolean compressed = !key && t.compressible() && rnd.nextInt(3) == 0;
            boolean indexed = !key && !compressed && !t.isVector() && rnd.nextBoolean();
            try {
                fields.add(new FieldDef(name(rnd, used), t, key, indexed, compressed));
            } catch (InvalidArgumentException e) {
                return null;                                  // e.g. a vector drawn as the key
            }
        }
        List<List<String>> composites = new ArrayList<>();
        if (n >= 2 && rnd.nextBoolean()) {
            composites.add(List.of(fields.get(0).name(), fields.get(1).name()));
        }
        try {
            return new RecordDefinition(table, fields, composites);
        } catch (InvalidArgumentException e) {
            return null;                                      // an unindexable composite, a name too long
        }
    }

    private static String name(SplittableRandom rnd, Set<String> used) {
        while (true) {
            StringBuilder b = new StringBuilder();
            int len = 1 + rnd.nextInt(12);
            for (int i = 0; i < len; i++) {
                b.append(NAME_CHARS.charAt(rnd.nextInt(NAME_CHARS.length())));
            }
            String s = b.toString();
            if (!s.isBlank() && !s.toLowerCase(Locale.ROOT).startsWith("sqlite_") && used.add(s.toLowerCase(Locale.ROOT))) {
                return s;
            }
        }
    }
}

package io.ancdb.schema;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Quoted names may hold anything printable: brackets, commas and doubled quotes are part of the name. */
class DdlParserTest {
    @Test
    void bracketsAndCommasInsideQuotedNamesArePartOfTheName() {
        DdlParser.ParsedTable t = DdlParser.parseTable(
                "CREATE TABLE \"a(b\"(\"x)y\" INTEGER, \"p\"\",q\" TEXT NOT NULL, [r)s] REAL, PRIMARY KEY(\"x)y\"))");
        assertEquals("a(b", t.spec().name());
        assertEquals(List.of(new Column("x)y", "INTEGER", true, false), new Column("p\",q", "TEXT", false, true),
                new Column("r)s", "REAL", false, false)), t.spec().columns());
        assertTrue(t.writable());
    }

    @Test
    void anIndexOnAColumnWhoseNameEndsInAQuote() {
        DdlParser.ParsedIndex i = DdlParser.parseIndex("CREATE INDEX \"i \"\"\" ON \"t\"(\"c)\"\"\", \"d\")");
        assertEquals(new IndexSpec("i \"", "t", List.of("c)\"", "d"), false), i.spec());
        assertTrue(i.maintainable());
    }
}

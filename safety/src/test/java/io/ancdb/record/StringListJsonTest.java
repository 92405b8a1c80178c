package io.ancdb.record;

import io.ancdb.InvalidArgumentException;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

public class StringListJsonTest {
    public static final List<String> TRICKY = List.of(
            "plain", "", "with \"quotes\"", "back\\slash", "new\nline", "tab\tcr\r", "\u0000nul\u001f\u007f",
            "emoji \uD83D\uDE00 and \u00e9\u4e2d", "slash / ", "lone \uD800 high", "lone \uDC00 low",
            "\u2028\u2029", "[\"not\",\"nested\"]", "\\u0041");

    StringListJsonTest() {
    }

    @Test
    void encodesExactly() {
        assertEquals("[]", StringListJson.encode(List.of()));
        assertEquals("[\"a\",\"b\"]", StringListJson.encode(List.of("a", "b")));
        assertEquals("[\"q\\\"b\\\\n\\nt\\tc\\u0001\\u001F\"]", StringListJson.encode(List.of("q\"b\\n\nt\tc\u0001\u001f")));
        assertEquals("[\"\uD83D\uDE00\"]", StringListJson.encode(List.of("\uD83D\uDE00")));
        assertEquals("[\"\\uD800x\"]", StringListJson.encode(List.of("\uD800x")));
        assertEquals("[\"\\b\\f\"]", StringListJson.encode(List.of("\b\f")));
    }

    @Test
    void roundTripsTrickyStrings() {
        assertEquals(TRICKY, StringListJson.parse(StringListJson.encode(TRICKY)));
        assertEquals(List.of(), StringListJson.parse(StringListJson.encode(List.of())));
    }

    @Test
    void parsesForeignJson() {
        assertEquals(List.of("a", "b"), StringListJson.parse(" [ \"a\" ,\n\t\"b\" ] "));
        assertEquals(List.of(), StringListJson.parse("[ ]"));
        assertEquals(List.of("\uD83D\uDE00", "A/", "\u00e9"),
                StringListJson.parse("[\"\\uD83D\\uDE00\",\"\\u0041\\/\",\"\\u00E9\"]"));
    }

    @Test
    void rejectsMalformedAndNonStringElements() {
        for (String bad : Arrays.asList("", "[", "]", "[\"a\"", "[\"a\",]", "[,\"a\"]", "[1]", "[\"a\",null]",
                "[true]", "[[\"a\"]]", "[{}]", "\"a\"", "[\"a\"] x", "[\"a\"][]", "[\"\\x\"]", "[\"\\u12\"]",
                "[\"\\u12G4\"]", "[\"\\u\u0661\u0662\u0663\u0664\"]", "[\"raw\nnewline\"]", "[\"unterminated]",
                "{\"a\":\"b\"}", "[\"a\" \"b\"]")) {
            InvalidArgumentException e = assertThrows(InvalidArgumentException.class, () -> StringListJson.parse(bad),
                    bad);
            assertEquals(1, e.code());
        }
    }

    @Test
    void rejectsNullElementOnEncode() {
        assertThrows(InvalidArgumentException.class, () -> StringListJson.encode(Arrays.asList("a", null)));
    }
}

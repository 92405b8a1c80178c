package io.ancdb.record;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import io.ancdb.InvalidArgumentException;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * JSON text for arrays of strings, RFC 8259: the stored form of a {@code strlist}
 * field and of the column a tag index reads, so SQLite's json functions
 * ({@code json_each}, {@code ->>}) read it. Jackson's streaming core writes and
 * reads it; this class fixes the exact text.
 *
 * <p>Writing: {@code ["a","b"]} with no whitespace; {@code "} and {@code \}
 * are escaped as {@code \"} and {@code \\}; control characters as {@code \b
 * \f \n \r \t} or <code>&#92;u00XX</code> (upper-case hex); an unpaired surrogate as
 * <code>&#92;uXXXX</code> (so it survives UTF-8 storage); every other character,
 * {@code /} and U+2028 included, is written as itself.
 *
 * <p>Reading: any valid JSON array whose elements are all strings (whitespace
 * allowed, all escapes including surrogate pairs <code>&#92;uD83D&#92;uDE00</code>);
 * anything else — another element type, nesting, trailing text, a trailing
 * comma, a raw control character in a string, a bad escape — is rejected.
 */
public final class StringListJson {
    /**
     * Jackson's defaults are strict JSON (no comments, single quotes, trailing
     * commas or raw control characters); its limit on one string's length is
     * lifted because a stored list is bounded by the record size, not by JSON.
     */
    static final JsonFactory JSON = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxStringLength(Integer.MAX_VALUE).build())
            .build();

    private StringListJson() {
    }

    /** The JSON array text of {@code values} (no null elements). */
    public static String encode(List<String> values) {
        Objects.requireNonNull(values, "values");
        StringWriter out = new StringWriter(2 + values.size() * 8);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartArray();
            for (int i = 0; i < values.size(); i++) {
                String s = values.get(i);
                if (s == null) {
                    throw new InvalidArgumentException("a string list cannot contain null (element " + i + ")");
                }
                g.writeString(s);
            }
            g.writeEndArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);     // a StringWriter does not fail
        }
        return escapeLoneSurrogates(out.toString());
    }

    /**
     * {@code json} with each unpaired surrogate written as <code>&#92;uXXXX</code>.
     * Jackson copies surrogates as they are, and UTF-8 storage would turn an
     * unpaired one into '?'. Surrogates appear only inside string literals of
     * the generated text, so escaping them there keeps it valid JSON.
     */
    static String escapeLoneSurrogates(String json) {
        StringBuilder sb = null;
        int n = json.length();
        for (int i = 0; i < n; i++) {
            char c = json.charAt(i);
            if (!Character.isSurrogate(c)) {
                if (sb != null) {
                    sb.append(c);
                }
                continue;
            }
            boolean paired = Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(json.charAt(i + 1));
            if (sb == null) {
                sb = new StringBuilder(n + 12).append(json, 0, i);
            }
            if (paired) {
                sb.append(c).append(json.charAt(++i));
            } else {
                sb.append(String.format(Locale.ROOT, "\\u%04X", (int) c));
            }
        }
        return sb == null ? json : sb.toString();
    }

    /**
     * The strings of JSON array {@code json}, as an unmodifiable list.
     *
     * @throws InvalidArgumentException when {@code json} is not a JSON array of strings
     */
    public static List<String> parse(String json) {
        Objects.requireNonNull(json, "json");
        try {
            return parseOrThrow(json);
        } catch (MalformedJson e) {
            throw new InvalidArgumentException("not a JSON array of strings: " + e.getMessage());
        }
    }

    /** Thrown by {@link #parseOrThrow}; the message says what and where. */
    public static final class MalformedJson extends RuntimeException {
        private static final long serialVersionUID = 1L;

        MalformedJson(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * As {@link #parse}, for callers that report malformed text as something
     * else (corruption of a stored value, say).
     */
    public static List<String> parseOrThrow(String json) {
        requireAsciiHexEscapes(json);
        try (JsonParser p = JSON.createParser(json)) {
            if (p.nextToken() != JsonToken.START_ARRAY) {
                throw malformed("expected [", p);
            }
            List<String> out = new ArrayList<>();
            for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
                if (t != JsonToken.VALUE_STRING) {
                    throw malformed(t == null ? "unexpected end" : "expected a string element", p);
                }
                out.add(p.getText());
            }
            if (p.nextToken() != null) {
                throw malformed("unexpected text after the array", p);
            }
            return List.copyOf(out);
        } catch (JsonProcessingException e) {
            throw new MalformedJson(e.getOriginalMessage()
                    + (e.getLocation() == null ? "" : " at offset " + e.getLocation().getCharOffset()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);     // reading a String does not fail
        }
    }

    /**
     * Refuses a <code>&#92;u</code> escape whose four digits are not ASCII hex digits.
     * Jackson (2.22) reads only the low byte of each digit, so it takes
     * <code>&#92;u&#1633;&#1634;&#1635;&#1636;</code> (Arabic-Indic digits) for an escape; SQLite's
     * {@code json_valid} says 0 to that text, and so must we.
     */
    private static void requireAsciiHexEscapes(String json) {
        for (int i = json.indexOf('\\'); i >= 0 && i + 1 < json.length(); i = json.indexOf('\\', i + 2)) {
            if (json.charAt(i + 1) != 'u') {
                continue;                                   // \\ \" \n ...: Jackson checks the rest
            }
            for (int k = i + 2; k < i + 6; k++) {
                if (k >= json.length() || Character.digit(json.charAt(k), 16) < 0 || json.charAt(k) > 'f') {
                    throw new MalformedJson("bad \\u escape at offset " + i);
                }
            }
        }
    }

    private static MalformedJson malformed(String what, JsonParser p) {
        return new MalformedJson(what + " at offset " + p.currentTokenLocation().getCharOffset());
    }
}

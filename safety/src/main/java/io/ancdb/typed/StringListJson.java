package io.ancdb.typed;

import io.ancdb.InvalidArgumentException;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * JSON text for arrays of strings (the STRLIST storage form), RFC 8259.
 *
 * <p>Writing: {@code ["a","b"]} with no whitespace; {@code "} and {@code \}
 * are escaped as {@code \"} and {@code \\}; control characters as {@code \b
 * \f \n \r \t} or <code>&#92;u00XX</code>; an unpaired surrogate as <code>&#92;uXXXX</code> (so
 * it survives UTF-8 storage); every other character is written as itself.
 *
 * <p>Reading: any valid JSON array whose elements are all strings (whitespace
 * allowed, all escapes including surrogate pairs <code>&#92;uD83D&#92;uDE00</code>);
 * anything else — another element type, nesting, trailing text, a raw control
 * character in a string, a bad escape — is rejected.
 */
public final class StringListJson {
    private StringListJson() {
    }

    /** The JSON array text of {@code values} (no null elements). */
    public static String encode(List<String> values) {
        Objects.requireNonNull(values, "values");
        StringBuilder sb = new StringBuilder(2 + values.size() * 8);
        sb.append('[');
        for (int i = 0; i < values.size(); i++) {
            String s = values.get(i);
            if (s == null) {
                throw new InvalidArgumentException("a string list cannot contain null (element " + i + ")");
            }
            if (i > 0) {
                sb.append(',');
            }
            appendQuoted(sb, s);
        }
        return sb.append(']').toString();
    }

    /** Appends {@code s} as a JSON string literal. */
    public static void appendQuoted(StringBuilder sb, String s) {
        sb.append('"');
        int n = s.length();
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\b' -> sb.append("\\b");
                case '\f' -> sb.append("\\f");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20) {
                        hex(sb, c);
                    } else if (Character.isHighSurrogate(c)) {
                        if (i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                            sb.append(c).append(s.charAt(++i));
                        } else {
                            hex(sb, c);
                        }
                    } else if (Character.isLowSurrogate(c)) {
                        hex(sb, c);                                    // unpaired
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
    }

    private static void hex(StringBuilder sb, char c) {
        sb.append("\\u");
        String h = Integer.toHexString(c).toUpperCase(java.util.Locale.ROOT);
        sb.append("0".repeat(4 - h.length())).append(h);
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
    static final class MalformedJson extends RuntimeException {
        private static final long serialVersionUID = 1L;

        MalformedJson(String message) {
            super(message, null, false, false);
        }
    }

    static List<String> parseOrThrow(String json) {
        Parser p = new Parser(json);
        p.ws();
        p.expect('[');
        List<String> out = new ArrayList<>();
        p.ws();
        if (p.peek() == ']') {
            p.pos++;
        } else {
            while (true) {
                p.ws();
                out.add(p.string());
                p.ws();
                char c = p.next();
                if (c == ']') {
                    break;
                }
                if (c != ',') {
                    throw p.error("expected , or ]");
                }
            }
        }
        p.ws();
        if (p.pos != json.length()) {
            throw p.error("unexpected text after the array");
        }
        return List.copyOf(out);
    }

    private static final class Parser {
        final String s;
        int pos;

        Parser(String s) {
            this.s = s;
        }

        MalformedJson error(String what) {
            return new MalformedJson(what + " at offset " + pos);
        }

        char peek() {
            if (pos >= s.length()) {
                throw error("unexpected end");
            }
            return s.charAt(pos);
        }

        char next() {
            char c = peek();
            pos++;
            return c;
        }

        void expect(char c) {
            if (peek() != c) {
                throw error("expected " + c);
            }
            pos++;
        }

        static int hexDigit(char c) {
            if (c >= '0' && c <= '9') {
                return c - '0';
            }
            if (c >= 'a' && c <= 'f') {
                return c - 'a' + 10;
            }
            if (c >= 'A' && c <= 'F') {
                return c - 'A' + 10;
            }
            return -1;
        }

        void ws() {
            while (pos < s.length()) {
                char c = s.charAt(pos);
                if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
                    return;
                }
                pos++;
            }
        }

        String string() {
            if (peek() != '"') {
                throw error("expected a string element");
            }
            pos++;
            StringBuilder sb = new StringBuilder();
            while (true) {
                char c = next();
                if (c == '"') {
                    return sb.toString();
                }
                if (c < 0x20) {
                    throw error("raw control character in a string");
                }
                if (c != '\\') {
                    sb.append(c);
                    continue;
                }
                char e = next();
                switch (e) {
                    case '"' -> sb.append('"');
                    case '\\' -> sb.append('\\');
                    case '/' -> sb.append('/');
                    case 'b' -> sb.append('\b');
                    case 'f' -> sb.append('\f');
                    case 'n' -> sb.append('\n');
                    case 'r' -> sb.append('\r');
                    case 't' -> sb.append('\t');
                    case 'u' -> {
                        if (pos + 4 > s.length()) {
                            throw error("truncated \\u escape");
                        }
                        int v = 0;
                        for (int k = 0; k < 4; k++) {
                            int d = hexDigit(s.charAt(pos + k));
                            if (d < 0) {
                                throw error("bad \\u escape");
                            }
                            v = v * 16 + d;
                        }
                        pos += 4;
                        sb.append((char) v);                  // pairs of \\u escapes form surrogate pairs
                    }
                    default -> {
                        pos--;
                        throw error("bad escape \\" + e);
                    }
                }
            }
        }
    }
}

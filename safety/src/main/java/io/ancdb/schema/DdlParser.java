package io.ancdb.schema;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Reads back the CREATE TABLE / CREATE INDEX text of sqlite_schema: enough
 * of SQLite's grammar to learn column names, declared types, the INTEGER
 * PRIMARY KEY, and plain column indexes. Anything it does not understand
 * (WITHOUT ROWID, expression or partial indexes, COLLATE, DESC) is reported
 * as not maintainable, so the table stays readable but is never written.
 */
public final class DdlParser {
    /** Statements parsed so far in this process (tests: which catalog paths parse). */
    private static final java.util.concurrent.atomic.LongAdder PARSED = new java.util.concurrent.atomic.LongAdder();
    private final String s;
    private int p;

    private DdlParser(String sql) {
        this.s = sql;
    }

    /** Result of parsing a CREATE TABLE. */
    public record ParsedTable(TableSpec spec, boolean writable) {
    }

    /** Result of parsing a CREATE INDEX. */
    public record ParsedIndex(IndexSpec spec, boolean maintainable) {
    }

    /** Statements parsed so far in this process (diagnostics for tests). */
    static long parsedStatements() {
        return PARSED.sum();
    }

    public static ParsedTable parseTable(String sql) {
        PARSED.increment();
        DdlParser d = new DdlParser(sql);
        d.expectWord("CREATE");
        boolean writable = true;
        String w = d.word();
        if (w.equals("TEMP") || w.equals("TEMPORARY")) {
            w = d.word();
        }
        if (!w.equals("TABLE")) {
            throw new IllegalArgumentException("not a CREATE TABLE: " + sql);
        }
        d.skipIfNotExists();
        String name = d.qualifiedName();
        DdlParser b = d.group();
        List<Column> cols = new ArrayList<>();
        List<String> pkCols = new ArrayList<>();
        while (true) {
            List<String> tokens = b.definition();
            if (tokens.isEmpty()) {
                break;
            }
            String first = tokens.get(0).toUpperCase(Locale.ROOT);
            if (first.equals("CONSTRAINT") || first.equals("PRIMARY") || first.equals("UNIQUE")
                    || first.equals("CHECK") || first.equals("FOREIGN")) {
                if (first.equals("PRIMARY")) {
                    pkCols.addAll(parenNames(tokens));
                }
                if (b.last == ')') {
                    break;
                }
                continue;
            }
            String colName = unquote(tokens.get(0));
            StringBuilder type = new StringBuilder();
            int i = 1;
            while (i < tokens.size() && isTypeToken(tokens.get(i))) {
                type.append(type.length() > 0 && !tokens.get(i).startsWith("(") ? " " : "").append(tokens.get(i));
                i++;
            }
            String upperRest = String.join(" ", tokens.subList(i, tokens.size())).toUpperCase(Locale.ROOT);
            boolean pk = upperRest.contains("PRIMARY KEY");
            boolean desc = upperRest.contains("PRIMARY KEY DESC");
            boolean notNull = upperRest.contains("NOT NULL");
            boolean ipk = pk && !desc && type.toString().equalsIgnoreCase("INTEGER");
            cols.add(new Column(colName, type.toString(), ipk, notNull));
            if (b.last == ')') {
                break;
            }
        }
        String tail = d.s.substring(Math.min(d.p, d.s.length())).toUpperCase(Locale.ROOT);
        if (tail.contains("WITHOUT")) {
            writable = false;                      // WITHOUT ROWID: a different b-tree layout
        }
        if (pkCols.size() == 1) {                  // PRIMARY KEY(x) on an INTEGER column
            for (int i = 0; i < cols.size(); i++) {
                Column c = cols.get(i);
                if (Identifiers.key(c.name()).equals(Identifiers.key(pkCols.get(0)))
                        && c.declType().equalsIgnoreCase("INTEGER")) {
                    cols.set(i, new Column(c.name(), c.declType(), true, c.notNull()));
                }
            }
        }
        return new ParsedTable(new TableSpec(name, cols), writable);
    }

    public static ParsedIndex parseIndex(String sql) {
        PARSED.increment();
        DdlParser d = new DdlParser(sql);
        d.expectWord("CREATE");
        String w = d.word();
        boolean unique = false;
        if (w.equals("UNIQUE")) {
            unique = true;
            w = d.word();
        }
        if (!w.equals("INDEX")) {
            throw new IllegalArgumentException("not a CREATE INDEX: " + sql);
        }
        d.skipIfNotExists();
        String name = d.qualifiedName();
        d.expectWord("ON");
        String table = d.qualifiedName();
        DdlParser b = d.group();
        List<String> cols = new ArrayList<>();
        boolean maintainable = true;
        while (true) {
            List<String> tokens = b.definition();
            if (tokens.size() != 1 || tokens.get(0).startsWith("(")) {
                maintainable = false;              // COLLATE, DESC, expressions
            }
            if (!tokens.isEmpty()) {
                cols.add(unquote(tokens.get(0)));
            }
            if (b.last == ')' || tokens.isEmpty()) {
                break;
            }
        }
        if (!d.s.substring(Math.min(d.p, d.s.length())).isBlank()) {
            maintainable = false;                  // partial index (WHERE ...)
        }
        return new ParsedIndex(new IndexSpec(name, table, cols, unique), maintainable);
    }

    // --- a tiny tokenizer -------------------------------------------------------

    private char last;   // the delimiter that ended the last definition: ',' or ')'

    private void ws() {
        while (p < s.length()) {
            char c = s.charAt(p);
            if (Character.isWhitespace(c)) {
                p++;
            } else if (s.startsWith("--", p)) {
                int e = s.indexOf('\n', p);
                p = e < 0 ? s.length() : e + 1;
            } else if (s.startsWith("/*", p)) {
                int e = s.indexOf("*/", p + 2);
                p = e < 0 ? s.length() : e + 2;
            } else {
                return;
            }
        }
    }

    /** Next token: a quoted name, a parenthesised group, a word, or one symbol. */
    private String token() {
        ws();
        if (p >= s.length()) {
            return "";
        }
        char c = s.charAt(p);
        int start = p;
        if (isQuote(c)) {
            skipQuoted();
            return s.substring(start, p);
        }
        if (c == '(') {
            int depth = 0;
            while (p < s.length()) {
                char d = s.charAt(p);
                if (isQuote(d)) {
                    skipQuoted();              // a bracket inside a quoted name is not one
                    continue;
                }
                p++;
                if (d == '(') {
                    depth++;
                } else if (d == ')' && --depth == 0) {
                    break;
                }
            }
            return s.substring(start, p);
        }
        if (Character.isLetterOrDigit(c) || c == '_' || c == '$' || c > 127) {
            while (p < s.length()) {
                char d = s.charAt(p);
                if (Character.isLetterOrDigit(d) || d == '_' || d == '$' || d > 127) {
                    p++;
                } else {
                    break;
                }
            }
            return s.substring(start, p);
        }
        p++;
        return String.valueOf(c);
    }

    private static boolean isQuote(char c) {
        return c == '"' || c == '`' || c == '\'' || c == '[';
    }

    /** Moves past the quoted name or string at {@link #p} (a doubled quote inside it is part of it). */
    private void skipQuoted() {
        char close = s.charAt(p) == '[' ? ']' : s.charAt(p);
        p++;
        while (p < s.length()) {
            if (s.charAt(p) == close) {
                if (close != ']' && p + 1 < s.length() && s.charAt(p + 1) == close) {
                    p += 2;
                    continue;
                }
                p++;
                return;
            }
            p++;
        }
    }

    private String word() {
        return token().toUpperCase(Locale.ROOT);
    }

    private void expectWord(String w) {
        String t = word();
        if (!t.equals(w)) {
            throw new IllegalArgumentException("expected " + w + " at '" + t + "' in: " + s);
        }
    }

    /** The next token must be a parenthesised group: a parser over its inside. */
    private DdlParser group() {
        String t = token();
        if (!t.startsWith("(") || !t.endsWith(")")) {
            throw new IllegalArgumentException("expected '(' at '" + t + "' in: " + s);
        }
        return new DdlParser(t.substring(1, t.length() - 1));
    }

    private void skipIfNotExists() {
        int save = p;
        if (word().equals("IF")) {
            expectWord("NOT");
            expectWord("EXISTS");
        } else {
            p = save;
        }
    }

    private String qualifiedName() {
        String n = unquote(token());
        int save = p;
        if (token().equals(".")) {
            return unquote(token());
        }
        p = save;
        return n;
    }

    /** Tokens up to the next top-level ',' or ')'; sets {@link #last}. */
    private List<String> definition() {
        List<String> out = new ArrayList<>();
        while (true) {
            String t = token();
            if (t.isEmpty()) {
                last = ')';
                return out;
            }
            if (t.equals(",") || t.equals(")")) {
                last = t.charAt(0);
                return out;
            }
            out.add(t);
        }
    }

    private static boolean isTypeToken(String t) {
        if (t.startsWith("(")) {
            return true;
        }
        String u = t.toUpperCase(Locale.ROOT);
        return !(u.equals("PRIMARY") || u.equals("NOT") || u.equals("NULL") || u.equals("UNIQUE")
                || u.equals("CHECK") || u.equals("DEFAULT") || u.equals("COLLATE") || u.equals("REFERENCES")
                || u.equals("CONSTRAINT") || u.equals("GENERATED") || u.equals("AS"))
                && (Character.isLetter(t.charAt(0)));
    }

    /** The first name of each comma-separated part of the first group in {@code tokens}: PRIMARY KEY(a, b DESC). */
    private static List<String> parenNames(List<String> tokens) {
        for (String t : tokens) {
            if (t.startsWith("(")) {
                DdlParser inside = new DdlParser(t.substring(1, t.length() - 1));
                List<String> names = new ArrayList<>();
                while (true) {
                    List<String> part = inside.definition();
                    if (!part.isEmpty()) {
                        names.add(unquote(part.get(0)));
                    }
                    if (inside.last == ')') {
                        return names;
                    }
                }
            }
        }
        return List.of();
    }

    static String unquote(String t) {
        if (t.length() >= 2) {
            char c = t.charAt(0);
            if (c == '"' || c == '`' || c == '\'') {
                return t.substring(1, t.length() - 1).replace(String.valueOf(c) + c, String.valueOf(c));
            }
            if (c == '[') {
                return t.substring(1, t.length() - 1);
            }
        }
        return t;
    }
}

package io.ancdb.analytics;

import java.io.PrintStream;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.sql.Array;
import java.sql.Blob;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;

/**
 * Writes a query result: an aligned table (the default: every row is read
 * first to size the columns), CSV (RFC 4180, header row first) or JSON lines
 * (one object per row; lists as arrays, BLOBs as base64 strings, numbers as
 * numbers, non-finite floats as strings). CSV and JSON stream row by row.
 */
public final class ResultPrinter {
    /** The output formats of {@code sql --format}. */
    public enum Format { TABLE, CSV, JSON }

    private ResultPrinter() {
    }

    /** Prints {@code rs} to {@code out}; returns the number of rows. */
    public static long print(ResultSet rs, Format format, PrintStream out) throws SQLException {
        ResultSetMetaData md = rs.getMetaData();
        int n = md.getColumnCount();
        String[] names = new String[n];
        for (int i = 0; i < n; i++) {
            names[i] = md.getColumnLabel(i + 1);
        }
        long rows = switch (format) {
            case TABLE -> table(rs, names, out);
            case CSV -> csv(rs, names, out);
            case JSON -> json(rs, names, out);
        };
        out.flush();
        return rows;
    }

    private static long table(ResultSet rs, String[] names, PrintStream out) throws SQLException {
        int n = names.length;
        int[] width = new int[n];
        boolean[] right = new boolean[n];
        List<String[]> rows = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            width[i] = names[i].length();
        }
        while (rs.next()) {
            String[] r = new String[n];
            for (int i = 0; i < n; i++) {
                Object v = rs.getObject(i + 1);
                right[i] |= v instanceof Number;
                r[i] = v == null ? "NULL" : text(v);
                width[i] = Math.max(width[i], r[i].length());
            }
            rows.add(r);
        }
        out.println(tableLine(names, width, right));
        StringBuilder rule = new StringBuilder();
        for (int i = 0; i < n; i++) {
            rule.append(i == 0 ? "" : "-+-").append("-".repeat(width[i]));
        }
        out.println(rule);
        for (String[] r : rows) {
            out.println(tableLine(r, width, right));
        }
        out.println("(" + rows.size() + (rows.size() == 1 ? " row)" : " rows)"));
        return rows.size();
    }

    private static String tableLine(String[] cells, int[] width, boolean[] right) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < cells.length; i++) {
            if (i > 0) {
                sb.append(" | ");
            }
            String pad = " ".repeat(width[i] - cells[i].length());
            sb.append(right[i] ? pad + cells[i] : i == cells.length - 1 ? cells[i] : cells[i] + pad);
        }
        return sb.toString();
    }

    private static long csv(ResultSet rs, String[] names, PrintStream out) throws SQLException {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < names.length; i++) {
            sb.append(i == 0 ? "" : ",").append(csvField(names[i]));
        }
        out.print(sb.append("\r\n"));
        long rows = 0;
        while (rs.next()) {
            sb.setLength(0);
            for (int i = 0; i < names.length; i++) {
                Object v = rs.getObject(i + 1);
                sb.append(i == 0 ? "" : ",").append(v == null ? "" : csvField(text(v)));
            }
            out.print(sb.append("\r\n"));
            rows++;
        }
        return rows;
    }

    private static String csvField(String s) {
        if (s.indexOf(',') < 0 && s.indexOf('"') < 0 && s.indexOf('\n') < 0 && s.indexOf('\r') < 0) {
            return s;
        }
        return '"' + s.replace("\"", "\"\"") + '"';
    }

    private static long json(ResultSet rs, String[] names, PrintStream out) throws SQLException {
        StringBuilder sb = new StringBuilder();
        long rows = 0;
        while (rs.next()) {
            sb.setLength(0);
            sb.append('{');
            for (int i = 0; i < names.length; i++) {
                if (i > 0) {
                    sb.append(',');
                }
                jsonString(sb, names[i]);
                sb.append(':');
                jsonValue(sb, rs.getObject(i + 1));
            }
            out.println(sb.append('}'));
            rows++;
        }
        return rows;
    }

    private static void jsonValue(StringBuilder sb, Object v) throws SQLException {
        if (v == null) {
            sb.append("null");
        } else if (v instanceof Boolean b) {
            sb.append(b);
        } else if (v instanceof Double || v instanceof Float) {
            double d = ((Number) v).doubleValue();
            if (Double.isFinite(d)) {
                sb.append(v);
            } else {
                jsonString(sb, v.toString());
            }
        } else if (v instanceof Number num) {
            sb.append(num instanceof BigDecimal bd ? bd.toPlainString() : num.toString());
        } else if (v instanceof Array a) {
            sb.append('[');
            Object[] items = (Object[]) a.getArray();
            for (int i = 0; i < items.length; i++) {
                if (i > 0) {
                    sb.append(',');
                }
                jsonValue(sb, items[i]);
            }
            sb.append(']');
        } else {
            jsonString(sb, text(v));
        }
    }

    private static void jsonString(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
    }

    /** A value as text: lists as [a, b], BLOBs as base64, numbers in full. */
    static String text(Object v) throws SQLException {
        if (v instanceof Array a) {
            Object[] items = (Object[]) a.getArray();
            StringBuilder sb = new StringBuilder("[");
            for (int i = 0; i < items.length; i++) {
                sb.append(i == 0 ? "" : ", ").append(items[i] == null ? "NULL" : text(items[i]));
            }
            return sb.append(']').toString();
        }
        if (v instanceof Blob b) {
            return Base64.getEncoder().encodeToString(b.getBytes(1, (int) b.length()));
        }
        if (v instanceof byte[] b) {
            return Base64.getEncoder().encodeToString(b);
        }
        if (v instanceof ByteBuffer bb) {
            byte[] b = new byte[bb.remaining()];
            bb.duplicate().get(b);
            return Base64.getEncoder().encodeToString(b);
        }
        if (v instanceof BigDecimal d) {
            return d.toPlainString();
        }
        if (v instanceof BigInteger || v instanceof Number) {
            return v.toString();
        }
        return v.toString();
    }
}

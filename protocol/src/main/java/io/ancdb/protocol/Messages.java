package io.ancdb.protocol;

import java.util.regex.Pattern;

/**
 * Error messages as sent on the wire: no file paths, no memory addresses or
 * identity hashes, no Java class names, at most {@link #MAX} characters.
 */
final class Messages {
    private Messages() {
    }

    static final int MAX = 1000;
    private static final int CLIP = 80;

    private static final Pattern UNIX_PATH = Pattern.compile("(?<![\\w.])(?:~|\\.{1,2})?(?:/[^\\s/'\"`:;,()\\[\\]{}]+){2,}/?");
    private static final Pattern WINDOWS_PATH = Pattern.compile("\\b[A-Za-z]:\\\\[^\\s'\"`]*");
    private static final Pattern HEX_ADDRESS = Pattern.compile("\\b0x[0-9a-fA-F]{6,}\\b");
    private static final Pattern IDENTITY = Pattern.compile("(?<=[\\w$])@[0-9a-f]{4,16}\\b");
    private static final Pattern JAVA_TYPE = Pattern.compile("\\b(?:java|javax|jdk|sun|io\\.ancdb|org\\.msgpack)(?:\\.[\\w$]+)+(?:\\[\\])?");

    /** {@code message} fit for a response's {@code error}. */
    static String sanitize(String message) {
        if (message == null || message.isBlank()) {
            return "error";
        }
        String m = message;
        if (m.length() > 4 * MAX) {
            m = m.substring(0, 4 * MAX);
        }
        m = m.replace("java.lang.String", "str").replace("java.lang.Long", "int").replace("java.lang.Integer", "int")
             .replace("java.math.BigInteger", "int").replace("java.lang.Double", "float")
             .replace("java.lang.Boolean", "bool").replace("java.util.ArrayList", "array")
             .replace("java.util.HashMap", "map").replace("java.util.LinkedHashMap", "map")
             .replace("byte[]", "bin").replace("float[]", "array");
        m = JAVA_TYPE.matcher(m).replaceAll("value");
        m = UNIX_PATH.matcher(m).replaceAll("<path>");
        m = WINDOWS_PATH.matcher(m).replaceAll("<path>");
        m = HEX_ADDRESS.matcher(m).replaceAll("<address>");
        m = IDENTITY.matcher(m).replaceAll("");
        if (m.length() > MAX) {
            m = m.substring(0, MAX - 3) + "...";
        }
        return m;
    }

    /** A client-supplied string shortened for quoting in a message. */
    static String clip(String s) {
        if (s == null) {
            return "null";
        }
        return s.length() <= CLIP ? s : s.substring(0, CLIP) + "...";
    }
}

package io.ancdb.protocol;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Pattern;

/**
 * Checks the error message of every response for what the server must never
 * tell a client: the database's path or file name, memory addresses or
 * native handles, Java identity hashes, class names or stack traces. Keeps
 * the first offenders for the report.
 */
final class WireErrorAudit {
    private static final Pattern POINTER = Pattern.compile("0x[0-9a-fA-F]{6,}|address");
    private static final Pattern IDENTITY = Pattern.compile("[\\w$]@[0-9a-f]{4,16}\\b");
    private static final Pattern JAVA = Pattern.compile(
            "\\b(?:java|javax|jdk|sun|io\\.ancdb|org\\.msgpack)\\.[\\w$]|Exception\\b|Error\\b|\\bat [\\w$.]+\\(");

    private final List<String> secrets;
    private final List<String> offenders = new CopyOnWriteArrayList<>();
    private final java.util.concurrent.atomic.LongAdder checked = new java.util.concurrent.atomic.LongAdder();

    /** @param secrets strings no error may contain: the data directory, the database file name, ... */
    WireErrorAudit(List<String> secrets) {
        this.secrets = List.copyOf(secrets);
    }

    /** Audits one error message; returns the reason it leaks, or null. */
    String check(String error) {
        if (error == null) {
            return null;
        }
        checked.increment();
        String why = null;
        for (String s : secrets) {
            if (error.contains(s)) {
                why = "names '" + s + "'";
            }
        }
        if (why == null && POINTER.matcher(error).find()) {
            why = "looks like a pointer";
        } else if (why == null && IDENTITY.matcher(error).find()) {
            why = "has an identity hash";
        } else if (why == null && JAVA.matcher(error).find()) {
            why = "names a Java class or frame";
        }
        if (why != null && offenders.size() < 20) {
            offenders.add(why + ": " + error);
        }
        return why;
    }

    /** Error messages audited so far. */
    long checked() {
        return checked.sum();
    }

    List<String> offenders() {
        return List.copyOf(offenders);
    }
}

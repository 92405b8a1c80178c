package io.ancdb.protocol;

/** Placeholder entry point until the transports land (issue: protocol). */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        System.err.println("usage: java -jar ancdb.jar (serve --db FILE --port N | stdio --db FILE | demo [FILE])");
        System.exit(2);
    }
}

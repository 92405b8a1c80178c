package io.ancdb.protocol;

/**
 * Whom a session acts for, which decides the requests it may send. Today a
 * session has not authenticated yet or has full access; a party with read or
 * read-write rights on some databases would be one more case here.
 */
enum Principal {
    /** Has not authenticated on a server with a token: may send Auth, and Hello (it touches no data). */
    NOBODY,
    /** Authenticated with the server's token, or on a server without one: may send anything. */
    ADMIN;

    boolean mayRun(Request request) {
        return this == ADMIN || request instanceof Request.Auth || request instanceof Request.Hello;
    }
}

package io.ancdb.protocol;

/**
 * Whom a session acts for: nobody yet (the server wants a token first), an
 * administrator (the server's {@code --token}, or a server without tokens),
 * or whom a line of a store's token file names: a party or an administrator,
 * read or read-write. What it may do to which file of a store is the store's
 * {@link io.ancdb.store.AccessPolicy}'s decision, taken on {@link #access()}.
 */
final class Principal {
    /** Has not authenticated on a server with a token: may send Auth, and Hello (it touches no data). */
    static final Principal NOBODY = new Principal(null);
    /** Authenticated with the server's token, or on a server without one: may send anything. */
    static final Principal ADMIN = new Principal(io.ancdb.store.Principal.admin(true));

    private final io.ancdb.store.Principal access;

    private Principal(io.ancdb.store.Principal access) {
        this.access = access;
    }

    /** The session of a store token (see {@link io.ancdb.store.TokenFile}). */
    static Principal of(io.ancdb.store.Principal access) {
        return new Principal(access);
    }

    /** Whom the store's access policy sees (null for {@link #NOBODY}). */
    io.ancdb.store.Principal access() {
        return access;
    }

    boolean mayRun(Request request) {
        return this != NOBODY || request instanceof Request.Auth || request instanceof Request.Hello;
    }

    @Override
    public String toString() {
        return this == NOBODY ? "nobody" : access.toString();
    }
}

package io.ancdb.protocol;

/**
 * What the command handlers read and change of one session: whom it acts
 * for, its transaction, its wire options and response encoder, and, for the
 * request being handled, the database it targets and its row counts. Touched
 * only by the thread holding the session's lock.
 */
final class SessionState {
    final Response response = new Response();
    final OpenTransaction transaction;
    Principal principal;
    /** The session refused to go on: the transport sends this response and closes the connection. */
    volatile boolean closeRequested;
    /** The database of the request being handled. */
    Target target;
    /** The response's {@code meta.rows_affected}. */
    long rowsAffected;
    /** Records read or written by the request (the dispatcher's {@code rows} counter). */
    long rowsTouched;

    private WireOptions wireOptions = WireOptions.DEFAULT;

    SessionState(Principal principal, Counters counters) {
        this.principal = principal;
        this.transaction = new OpenTransaction(counters);
    }

    void startRequest() {
        target = null;
        rowsAffected = 0;
        rowsTouched = 0;
    }

    WireOptions wireOptions() {
        return wireOptions;
    }

    /** Sets how this session's responses encode values (the encoder follows). */
    void wireOptions(WireOptions options) {
        wireOptions = options;
        response.vectorsAsBin(options.vectors() == WireOptions.Vectors.BIN);
    }

    /** Records written (or, for a read, returned): both counts. */
    void rows(long n) {
        rowsAffected = n;
        rowsTouched = n;
    }
}

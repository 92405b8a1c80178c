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
    /** The request being handled. */
    Request request;
    /** The database of the request being handled (null in store mode until its transaction begins). */
    Target target;
    /** The file's version for the answer's {@code meta.version}, or Begun.NO_VERSION (no meta.version). */
    long version = Begun.NO_VERSION;
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
        request = null;
        target = null;
        version = Begun.NO_VERSION;
        rowsAffected = 0;
        rowsTouched = 0;
    }

    /** The request runs on {@code target}, whose file is (or a write makes it) at {@code version}. */
    void on(Target target, long version) {
        this.target = target;
        this.version = version;
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

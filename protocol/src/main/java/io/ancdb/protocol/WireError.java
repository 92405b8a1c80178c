package io.ancdb.protocol;

/** A request refused by the protocol layer with a status; no stack trace (it is control flow). */
final class WireError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    final int status;

    WireError(int status, String message) {
        super(message, null, false, false);
        this.status = status;
    }

    static WireError invalid(String message) {
        return new WireError(Status.INVALID_COMMAND, message);
    }

    static WireError limit(String message) {
        return new WireError(Status.LIMIT_EXCEEDED, message);
    }
}

package io.ancdb.store;

import io.ancdb.AncDbException;
import io.ancdb.ErrorCode;

/**
 * The principal may not do this to this database (code 6). The message is
 * the same for every refusal, so it says nothing about whether the file
 * exists.
 */
public class UnauthorizedException extends AncDbException {
    private static final long serialVersionUID = 1L;

    public UnauthorizedException() {
        super(ErrorCode.UNAUTHORIZED, "not authorized");
    }
}

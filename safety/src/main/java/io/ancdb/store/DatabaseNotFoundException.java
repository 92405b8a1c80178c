package io.ancdb.store;

import io.ancdb.AncDbException;
import io.ancdb.ErrorCode;

/** A read, stats or scan named a database the store does not hold (code 9). Reads never create a file. */
public class DatabaseNotFoundException extends AncDbException {
    private static final long serialVersionUID = 1L;

    private final String name;

    public DatabaseNotFoundException(String name) {
        super(ErrorCode.DATABASE_NOT_FOUND, "no database named " + StoreNames.quoted(name) + " in the store");
        this.name = name;
    }

    /** The name that was looked for. */
    public String name() {
        return name;
    }
}

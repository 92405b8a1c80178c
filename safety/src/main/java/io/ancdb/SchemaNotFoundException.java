package io.ancdb;

/** No table or schema has the given name (code 2). */
public class SchemaNotFoundException extends AncDbException {
    private static final long serialVersionUID = 1L;

    public SchemaNotFoundException(String message) {
        super(ErrorCode.SCHEMA_NOT_FOUND, message);
    }

    public SchemaNotFoundException(int nativeCode, String message) {
        super(ErrorCode.SCHEMA_NOT_FOUND, nativeCode, message, null);
    }
}

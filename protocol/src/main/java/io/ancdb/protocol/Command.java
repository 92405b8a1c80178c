package io.ancdb.protocol;

/** The command codes of a request's {@code cmd} (public wire contract). */
public final class Command {
    private Command() {
    }

    /** schema, key → the record (status 3 when there is none). */
    public static final int DIRECT_READ = 0x01;
    /** schema, index?, range {start?, end?, start_inclusive?, end_inclusive?}?, limit?, order? → list of records. */
    public static final int RANGE_SCAN = 0x02;
    /** schema, record, options {on_conflict}? → the primary key. */
    public static final int ATOMIC_WRITE = 0x03;
    /** schema, records (at most Limits.maxBatch), options? → list of primary keys. */
    public static final int BATCH_WRITE = 0x04;
    /** schema, key, delta {field: value} → the updated record. */
    public static final int ATOMIC_UPDATE = 0x05;
    /** schema, key → 0 or 1 (rows deleted). */
    public static final int DELETE = 0x06;
    public static final int BEGIN_TX = 0x10;
    public static final int COMMIT_TX = 0x11;
    public static final int ROLLBACK_TX = 0x12;
    /** schema (name), fields [...], composite_indexes [[...]]? → numeric schema id. */
    public static final int DEFINE_SCHEMA = 0x20;
    /** → list of definitions. */
    public static final int LIST_SCHEMAS = 0x21;
    /** → map of counters. */
    public static final int STATS = 0x22;
    /** glob?, after?, limit? → {names, next} (store mode). */
    public static final int LIST_DATABASES = 0x23;
    /** db → {name, bytes, wal_bytes, version, schemas} (store mode). */
    public static final int DATABASE_STATS = 0x24;
    /** db → true (dropped) or false (there was none); administrators (store mode). */
    public static final int DROP_DATABASE = 0x25;
    /** token → nil. */
    public static final int AUTH = 0x30;
    /** vectors "array"/"bin"? → the connection's wire options {vectors}; allowed before Auth. */
    public static final int HELLO = 0x31;

    /** "DirectRead", ... or null for an unknown code. */
    public static String name(long cmd) {
        return switch ((int) Math.max(Math.min(cmd, Integer.MAX_VALUE), -1)) {
            case DIRECT_READ -> "DirectRead";
            case RANGE_SCAN -> "RangeScan";
            case ATOMIC_WRITE -> "AtomicWrite";
            case BATCH_WRITE -> "BatchWrite";
            case ATOMIC_UPDATE -> "AtomicUpdate";
            case DELETE -> "Delete";
            case BEGIN_TX -> "BeginTx";
            case COMMIT_TX -> "CommitTx";
            case ROLLBACK_TX -> "RollbackTx";
            case DEFINE_SCHEMA -> "DefineSchema";
            case LIST_SCHEMAS -> "ListSchemas";
            case STATS -> "Stats";
            case LIST_DATABASES -> "ListDatabases";
            case DATABASE_STATS -> "DatabaseStats";
            case DROP_DATABASE -> "DropDatabase";
            case AUTH -> "Auth";
            case HELLO -> "Hello";
            default -> null;
        };
    }
}

package io.ancdb;

/**
 * How a read transaction relates to concurrent writers. Every read
 * transaction reads one consistent, committed snapshot of the file, fixed
 * when it begins; the levels differ in what they wait for and exclude.
 * Write transactions are always serializable: there is one writer at a time.
 */
public enum IsolationLevel {
    /**
     * The default. Reads the last committed state and keeps that snapshot to
     * the end (so it is in fact repeatable-read); never sees uncommitted data.
     * In WAL mode under normal locking it takes no lock in this process:
     * readers run in parallel and never wait for the writer. In DELETE mode
     * or under exclusive locking it waits while this process's writer holds
     * the write lock (there a reader's file lock would stop the writer's
     * commit, or readers share the writer's connection).
     */
    READ_COMMITTED,
    /**
     * Excludes writers for the life of the transaction: it takes the
     * exclusive lock, so no write of this process commits while it runs (and
     * in DELETE journal mode SQLite's shared file lock keeps other processes'
     * writers from committing too).
     */
    SERIALIZABLE,
    /**
     * WAL mode only: does not wait for (or block) this process's writer and
     * reads the last committed snapshot while a write is in progress; under
     * normal locking that is what READ_COMMITTED does too. SQLite never
     * exposes uncommitted pages without its shared cache, so this level gives
     * non-blocking reads, not dirty reads. Refused in DELETE mode or under
     * exclusive locking, where a reader cannot run beside the writer.
     */
    READ_UNCOMMITTED
}

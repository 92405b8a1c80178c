package io.ancdb.protocol;

/**
 * Counters of a {@link CommandDispatcher} since it was created (the Stats
 * command returns the same as a map).
 *
 * @param requests         requests handled (all sessions, errors included)
 * @param errors           responses with a non-zero status
 * @param rows             records read plus records written
 * @param openTransactions sessions with a BeginTx not yet committed or rolled back
 * @param fileSize         bytes of the database file (0 if it cannot be read)
 * @param schemas          record schemas defined in the file
 */
public record Stats(long requests, long errors, long rows, int openTransactions, long fileSize, int schemas) {
}

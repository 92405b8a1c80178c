package io.ancdb.protocol;

/**
 * Counters of a {@link CommandDispatcher} since it was created, and of its
 * database's commits since it was opened (the Stats command returns the
 * same as a map).
 *
 * @param requests         requests handled (all sessions, errors included)
 * @param errors           responses with a non-zero status
 * @param rows             records read plus records written
 * @param openTransactions sessions with a BeginTx not yet committed or rolled back
 * @param fileSize         bytes of the database file (0 if it cannot be read)
 * @param schemas          record schemas defined in the file
 * @param commits          commits of write transactions since the database was opened
 *                         ({@link io.ancdb.Database#commitStats()}: writes of other users of it count too)
 * @param transactions     write transactions those commits made durable: more than commits when
 *                         writes shared commits (group commit)
 */
public record Stats(long requests, long errors, long rows, int openTransactions, long fileSize, int schemas,
                    long commits, long transactions) {
}

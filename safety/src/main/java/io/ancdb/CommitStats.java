package io.ancdb;

/**
 * What a database's write transactions committed so far ({@link Database#commitStats()}).
 *
 * @param commits      commits of the writer connection (each one sync of the journal or WAL at
 *                     synchronous FULL)
 * @param transactions write transactions those commits made durable: each {@code writeTx} /
 *                     {@code runWrite} call and each {@code beginWrite} transaction that committed.
 *                     Above {@code commits} when group commit shared commits.
 */
public record CommitStats(long commits, long transactions) {
    /** What committed between {@code earlier} and these figures. */
    public CommitStats since(CommitStats earlier) {
        return new CommitStats(commits - earlier.commits, transactions - earlier.transactions);
    }

    /** Transactions per commit (0 before the first commit). */
    public double transactionsPerCommit() {
        return commits == 0 ? 0 : (double) transactions / commits;
    }
}

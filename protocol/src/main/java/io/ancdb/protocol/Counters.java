package io.ancdb.protocol;

import io.ancdb.CommitStats;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/** A dispatcher's counters since it was created, shared by its sessions (see {@link Stats}). */
final class Counters {
    private final LongAdder requests = new LongAdder();
    private final LongAdder errors = new LongAdder();
    private final LongAdder rows = new LongAdder();
    private final AtomicInteger openTransactions = new AtomicInteger();

    void request() {
        requests.increment();
    }

    void error() {
        errors.increment();
    }

    void rows(long n) {
        rows.add(n);
    }

    void transactionBegun() {
        openTransactions.incrementAndGet();
    }

    void transactionEnded() {
        openTransactions.decrementAndGet();
    }

    Stats snapshot(long fileSize, int schemas, CommitStats commits) {
        return new Stats(requests.sum(), errors.sum(), rows.sum(), openTransactions.get(), fileSize, schemas,
                commits.commits(), commits.transactions());
    }
}

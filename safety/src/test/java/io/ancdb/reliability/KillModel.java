package io.ancdb.reliability;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What the {@code items} table must hold after transaction {@link #txn()} of
 * {@link KillWorkload}: the transactions replayed in memory. Only moves
 * forward; a file is compared with the model advanced to the transaction
 * number the file claims.
 */
final class KillModel {
    private final long seed;
    private TreeMap<Long, Object[]> rows = new TreeMap<>();
    private long txn = -1;          // -1: not even the schema

    KillModel(long seed) {
        this.seed = seed;
    }

    long txn() {
        return txn;
    }

    SortedMap<Long, Object[]> rows() {
        return java.util.Collections.unmodifiableSortedMap(rows);
    }

    /** Replays transactions {@code txn()+1 .. n}. */
    void advanceTo(long n) {
        if (n < txn) {
            throw new IllegalArgumentException("the model cannot go back from " + txn + " to " + n);
        }
        while (txn < n) {
            txn++;
            if (txn >= 1) {
                apply(txn);
            }
        }
    }

    private void apply(long i) {
        Deque<TreeMap<Long, Object[]>> saved = new ArrayDeque<>();   // rows as of each open savepoint
        for (KillWorkload.Op op : KillWorkload.txn(seed, i)) {
            switch (op) {
                case KillWorkload.Op.Put p -> rows.put(p.key(), p.values());
                case KillWorkload.Op.Update u -> rows.computeIfPresent(u.key(), (k, old) -> u.values());
                case KillWorkload.Op.Delete d -> rows.remove(d.key());
                case KillWorkload.Op.Savepoint s -> saved.push(new TreeMap<>(rows));   // rows are never mutated in place
                case KillWorkload.Op.EndSavepoint e -> {
                    TreeMap<Long, Object[]> before = saved.pop();
                    if (e.rollback()) {
                        rows = before;
                    }
                }
            }
        }
    }
}

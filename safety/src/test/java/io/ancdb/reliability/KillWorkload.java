package io.ancdb.reliability;

import io.ancdb.WriteTx;
import io.ancdb.schema.Column;
import io.ancdb.schema.IndexSpec;
import io.ancdb.schema.SqlType;
import io.ancdb.schema.TableSpec;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The transactions of the kill -9 loop. Transaction {@code i}'s operations
 * are a pure function of {@code (seed, i)}, so the child that runs them and
 * the parent that checks the file after a kill agree on what every
 * transaction number means without talking about content.
 *
 * <p>Schema (transaction 0): {@code items(id INTEGER PRIMARY KEY, grp
 * INTEGER, name TEXT, code TEXT, payload BLOB)} with the index
 * {@code items_by_group(grp, name)} and the UNIQUE index
 * {@code items_by_code(code)}; {@code meta(id INTEGER PRIMARY KEY, txn
 * INTEGER)} whose row 1 holds the number of the last committed transaction,
 * written by every transaction.
 */
final class KillWorkload {
    static final String ITEMS = "items";
    static final String META = "meta";
    static final String BY_GROUP = "items_by_group";
    static final String BY_CODE = "items_by_code";
    static final long META_ROW = 1;
    /** Keys are 1..KEYS, so puts, updates and deletes keep hitting existing rows. */
    static final int KEYS = 400;

    /** One step of a transaction. */
    sealed interface Op {
        /** Insert or replace row {@code key}. */
        record Put(long key, Object[] values) implements Op {
        }

        /** Replace row {@code key} if it exists (else nothing). */
        record Update(long key, Object[] values) implements Op {
        }

        /** Delete row {@code key} if it exists. */
        record Delete(long key) implements Op {
        }

        /** Open savepoint {@code name}. */
        record Savepoint(String name) implements Op {
        }

        /** End savepoint {@code name}: undo its changes first when {@code rollback}. */
        record EndSavepoint(String name, boolean rollback) implements Op {
        }
    }

    private KillWorkload() {
    }

    static TableSpec itemsSpec() {
        return TableSpec.of(ITEMS, Column.rowid("id"), new Column("grp", "INTEGER", false, true),
                new Column("name", "TEXT", false, true), new Column("code", "TEXT", false, true),
                Column.of("payload", SqlType.BLOB));
    }

    /** Transaction 0: the schema and the meta row. */
    static void createSchema(WriteTx tx) {
        tx.createTable(itemsSpec());
        tx.createIndex(new IndexSpec(BY_GROUP, ITEMS, List.of("grp", "name"), false));
        tx.createIndex(new IndexSpec(BY_CODE, ITEMS, List.of("code"), true));
        tx.createTable(TableSpec.of(META, Column.rowid("id"), new Column("txn", "INTEGER", false, true)));
        tx.put(META, META_ROW, META_ROW, 0L);
    }

    /** The operations of transaction {@code i >= 1} (the meta update is implied, see {@link #run}). */
    static List<Op> txn(long seed, long i) {
        SplittableRandom r = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + i);
        List<Op> ops = new ArrayList<>();
        int shape = r.nextInt(100);
        if (shape < 12) {
            int n = 40 + r.nextInt(120);                       // a batch: many pages in one commit
            for (int j = 0; j < n; j++) {
                ops.add(rowOp(r, i, j));
            }
        } else if (shape < 16) {
            long from = 1 + r.nextInt(KEYS);                   // a range delete: frees pages
            for (long k = from; k < from + 30 && k <= KEYS; k++) {
                ops.add(new Op.Delete(k));
            }
        } else {
            int n = 1 + r.nextInt(6);
            for (int j = 0; j < n; j++) {
                ops.add(rowOp(r, i, j));
            }
        }
        if (r.nextInt(4) == 0) {
            savepoint(r, i, ops, "sp", 100, r.nextInt(8) == 0);
        }
        return ops;
    }

    /** A savepoint section, rolled back two times in three; optionally with a nested one. */
    private static void savepoint(SplittableRandom r, long i, List<Op> ops, String name, int opBase, boolean nest) {
        ops.add(new Op.Savepoint(name));
        int n = 1 + r.nextInt(10);
        for (int j = 0; j < n; j++) {
            ops.add(rowOp(r, i, opBase + j));
        }
        if (nest) {
            savepoint(r, i, ops, name + "_inner", opBase + 50, false);
        }
        ops.add(new Op.EndSavepoint(name, r.nextInt(3) != 0));
    }

    private static Op rowOp(SplittableRandom r, long i, int j) {
        long key = 1 + r.nextInt(KEYS);
        int kind = r.nextInt(10);
        if (kind < 5) {
            return new Op.Put(key, row(r, key, i, j));
        }
        if (kind < 8) {
            return new Op.Update(key, row(r, key, i, j));
        }
        return new Op.Delete(key);
    }

    /** Row values; {@code code} starts with the key, so it is unique across rows. */
    private static Object[] row(SplittableRandom r, long key, long i, int j) {
        long grp = r.nextInt(20);
        String name = "n" + r.nextInt(50) + "-" + i;
        String code = "k" + key + "/" + i + "/" + j;
        int len = r.nextInt(15) == 0 ? 2000 + r.nextInt(10_000) : 16 + r.nextInt(300);   // some overflow chains
        byte[] payload = new byte[len];
        r.nextBytes(payload);
        return new Object[] {key, grp, name, code, payload};
    }

    /** Runs transaction {@code i}'s operations and the meta update inside {@code tx}. */
    static void run(WriteTx tx, long seed, long i) {
        for (Op op : txn(seed, i)) {
            switch (op) {
                case Op.Put p -> tx.put(ITEMS, p.key(), p.values());
                case Op.Update u -> tx.update(ITEMS, u.key(), u.values());
                case Op.Delete d -> tx.delete(ITEMS, d.key());
                case Op.Savepoint s -> tx.savepoint(s.name());
                case Op.EndSavepoint e -> {
                    if (e.rollback()) {
                        tx.rollbackTo(e.name());
                    }
                    tx.release(e.name());
                }
            }
        }
        tx.put(META, META_ROW, META_ROW, i);
    }
}

package io.ancdb.reliability;

import io.ancdb.ConstraintViolationException;
import io.ancdb.OnConflict;
import io.ancdb.WriteTx;
import io.ancdb.schema.Column;
import io.ancdb.schema.IndexSpec;
import io.ancdb.schema.SqlType;
import io.ancdb.schema.TableSpec;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The writes of the group-commit kill -9 lanes: many threads of a child, each
 * making one {@code writeTx} call after another. Operation {@code (gen, t, i)}
 * (child {@code gen}, its thread {@code t}, the thread's {@code i}-th call)
 * is a pure function of the seed and those numbers, so the parent that
 * checks a file after a kill knows what every operation wrote without being
 * told: 1 to 4 rows under keys no other operation uses, and a fate. Most
 * commit; some throw after writing all their rows, some end with a row whose
 * unique code is taken (a constraint violation after their other rows): those
 * must leave nothing behind.
 *
 * <p>Schema: {@code ops(id INTEGER PRIMARY KEY, op TEXT, code TEXT, payload
 * BLOB)}, the UNIQUE index {@code ops_by_code(code)} and {@code ops_by_op(op)};
 * row 1 holds the code every DUPLICATE operation collides with.
 */
final class GroupKillWorkload {
    static final String OPS = "ops";
    static final String BY_CODE = "ops_by_code";
    static final String BY_OP = "ops_by_op";
    static final long TAKEN_ROW = 1;
    static final String TAKEN = "taken";
    /** Writer threads per child. */
    static final int THREADS = 8;

    enum Fate { COMMIT, THROW, DUPLICATE }

    /** One operation: the rows it writes ({@code [id, op, code, payload]}) and how it ends. */
    record Op(String name, Fate fate, List<Object[]> rows) {
    }

    /** The failure a THROW operation raises after its writes. */
    static final class Planned extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Planned(String op) {
            super("operation " + op + " gives up after writing, as planned", null, false, false);
        }
    }

    private GroupKillWorkload() {
    }

    static TableSpec spec() {
        return TableSpec.of(OPS, Column.rowid("id"), Column.of("op", SqlType.TEXT), Column.of("code", SqlType.TEXT),
                Column.of("payload", SqlType.BLOB));
    }

    static void createSchema(WriteTx tx) {
        tx.createTable(spec());
        tx.createIndex(new IndexSpec(BY_CODE, OPS, List.of("code"), true));
        tx.createIndex(new IndexSpec(BY_OP, OPS, List.of("op"), false));
        tx.insert(OPS, TAKEN_ROW, new Object[] {TAKEN_ROW, "schema", TAKEN, new byte[0]}, OnConflict.FAIL);
    }

    static String name(long gen, int thread, long index) {
        return gen + "/" + thread + "/" + index;
    }

    /** Operation {@code (gen, thread, index)}; keys: gen below 2^20, index below 2^21. */
    static Op op(long seed, long gen, int thread, long index) {
        SplittableRandom r = new SplittableRandom(seed * 0x9E3779B97F4A7C15L ^ (gen << 32) ^ ((long) thread << 24) ^ index);
        String name = name(gen, thread, index);
        int fate = r.nextInt(100);
        int n = 1 + r.nextInt(4);
        List<Object[]> rows = new ArrayList<>(n);
        for (int j = 0; j < n; j++) {
            long id = 16 + ((gen * THREADS + thread) << 24 | index << 3 | j);
            int len = r.nextInt(12) == 0 ? 2000 + r.nextInt(6000) : 16 + r.nextInt(300);   // some overflow chains
            byte[] payload = new byte[len];
            r.nextBytes(payload);
            rows.add(new Object[] {id, name, "c" + id, payload});
        }
        return new Op(name, fate < 80 ? Fate.COMMIT : fate < 90 ? Fate.THROW : Fate.DUPLICATE, rows);
    }

    /** Runs {@code op} in {@code tx}: every row, then its fate. */
    static void run(WriteTx tx, Op op) {
        for (Object[] row : op.rows()) {
            tx.insert(OPS, (Long) row[0], row, OnConflict.FAIL);
        }
        switch (op.fate()) {
            case COMMIT -> {
            }
            case THROW -> throw new Planned(op.name());
            case DUPLICATE -> {
                long id = (Long) op.rows().getFirst()[0] + 7;      // a key of its own; the code is taken
                tx.insert(OPS, id, new Object[] {id, op.name(), TAKEN, new byte[0]}, OnConflict.FAIL);
            }
        }
    }

    /** Whether {@code e} is how {@code op} was planned to fail. */
    static boolean plannedFailure(Op op, RuntimeException e) {
        return op.fate() == Fate.THROW && e instanceof Planned
                || op.fate() == Fate.DUPLICATE && e instanceof ConstraintViolationException;
    }
}

package io.ancdb;

import io.ancdb.DatabaseOptions.JournalMode;
import io.ancdb.schema.Column;
import io.ancdb.schema.IndexSpec;
import io.ancdb.schema.SqlType;
import io.ancdb.schema.TableSpec;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Many threads, each making many single-operation {@code writeTx} calls of
 * random kinds (some fail on purpose: unique-constraint violations, a
 * function that throws after writing, an overdrawn transfer that throws
 * between its two writes), against a serial model. Every function records
 * when it ran (turns run one at a time, so that is the serial order); the
 * model replays the calls in that order, each all-or-nothing, and must agree
 * with every call's outcome (its result or its exception class) and with
 * the final table row by row. So every successful call is there exactly
 * once, every failed call left nothing, and every call saw the state the
 * calls before it left (isolation). Each function also checks that it runs
 * on its caller's thread. Seeded: {@code -Dancdb.seed=N}.
 */
class GroupCommitModelTest {
    private static final String ACCT = "acct";
    private static final int THREADS = 8;
    private static final int CALLS = 60;
    private static final int HOT = 12;          // accounts 1..HOT exist from the start: transfers meet there
    private static final int TAGS = 150;        // tags are drawn from a small space: some collide
    private static final long START = 100;

    @TempDir
    Path dir;

    static Stream<Arguments> runs() {
        return TestSeeds.seeds(11, 12).boxed().flatMap(seed -> Stream.of(
                Arguments.of(seed, JournalMode.WAL, true),
                Arguments.of(seed, JournalMode.DELETE, true),
                Arguments.of(seed, JournalMode.WAL, false)));    // the model itself, on commits of their own
    }

    /** What one call may do; both the database and the model answer it. */
    interface Store {
        Object[] get(long id);

        void insert(long id, Object[] row);

        void update(long id, Object[] row);

        void delete(long id);
    }

    /** The failure a transfer throws after its first write when the payer cannot pay. */
    static final class Overdrawn extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Overdrawn() {
            super("overdrawn", null, false, false);
        }
    }

    /** A function that throws after writing, on purpose. */
    static final class GivesUp extends RuntimeException {
        private static final long serialVersionUID = 1L;

        GivesUp() {
            super("gives up", null, false, false);
        }
    }

    /** One call: a pure function of its random numbers and what the store holds. */
    record Call(int thread, int index, int kind, long a, long b, long amount, int[] tags) {
        static Call random(SplittableRandom r, int thread, int index) {
            int[] tags = new int[1 + r.nextInt(3)];
            for (int i = 0; i < tags.length; i++) {
                tags[i] = r.nextInt(TAGS);
            }
            return new Call(thread, index, r.nextInt(100), 1 + r.nextInt(HOT), 1 + r.nextInt(HOT),
                    1 + r.nextInt(60), tags);
        }

        /** A key no other call inserts under. */
        long ownId(int j) {
            return 1_000 + ((long) thread * CALLS + index) * 4 + j;
        }

        /** Runs the call against {@code s}; its result (compared with the model's). */
        Object apply(Store s) {
            if (kind < 30) {                       // open 1-3 accounts: all-or-nothing on a tag collision
                for (int j = 0; j < tags.length; j++) {
                    s.insert(ownId(j), row(ownId(j), (long) thread, START, "t" + tags[j]));
                }
                return (long) tags.length;
            }
            if (kind < 60) {                       // transfer between hot accounts: credit first, then debit
                Object[] from = s.get(a);
                Object[] to = s.get(b);
                if (from == null || to == null || a == b) {
                    return "no transfer";
                }
                s.update(b, row(b, to[1], (Long) to[2] + amount, to[3]));
                if ((Long) from[2] < amount) {
                    throw new Overdrawn();         // after a write: the credit must vanish too
                }
                s.update(a, row(a, from[1], (Long) from[2] - amount, from[3]));
                return (Long) from[2] - amount;
            }
            if (kind < 70) {                       // retag a hot account: may collide
                Object[] r = s.get(a);
                s.update(a, row(a, r[1], r[2], "t" + tags[0]));
                return r[3];
            }
            if (kind < 80) {                       // close an account some call may have opened
                long id = 1_000 + (a * 7919 + b * 104_729 + amount) % ((long) THREADS * CALLS * 4);
                Object[] r = s.get(id);
                if (r != null) {
                    s.delete(id);
                }
                return r == null ? "absent" : r[3];
            }
            if (kind < 90) {                       // bump the counter (account 0): read, then write
                Object[] c = s.get(0);
                s.update(0, row(0, c[1], (Long) c[2] + 1, c[3]));
                return (Long) c[2] + 1;
            }
            s.insert(ownId(0), row(ownId(0), (long) thread, amount, "x" + ownId(0)));   // writes, then throws
            throw new GivesUp();
        }
    }

    static Object[] row(long id, Object owner, Object bal, Object tag) {
        return new Object[] {id, owner, bal, tag};
    }

    /** The database as a Store, through a call's transaction. */
    record DbStore(WriteTx tx) implements Store {
        public Object[] get(long id) {
            Row r = tx.get(ACCT, id);
            return r == null ? null : r.values();
        }

        public void insert(long id, Object[] row) {
            tx.insert(ACCT, id, row, OnConflict.FAIL);
        }

        public void update(long id, Object[] row) {
            if (!tx.update(ACCT, id, row)) {
                throw new IllegalStateException("no account " + id);
            }
        }

        public void delete(long id) {
            tx.delete(ACCT, id);
        }
    }

    /** The model as a Store: rows by id, with the unique tag rule. */
    static final class ModelStore implements Store {
        final TreeMap<Long, Object[]> rows;

        ModelStore(TreeMap<Long, Object[]> rows) {
            this.rows = new TreeMap<>(rows);
        }

        public Object[] get(long id) {
            return rows.get(id);
        }

        public void insert(long id, Object[] row) {
            if (rows.containsKey(id)) {
                throw new ConstraintViolationException("rowid " + id);
            }
            checkTag(id, row);
            rows.put(id, row);
        }

        public void update(long id, Object[] row) {
            if (!rows.containsKey(id)) {
                throw new IllegalStateException("no account " + id);
            }
            checkTag(id, row);
            rows.put(id, row);
        }

        public void delete(long id) {
            rows.remove(id);
        }

        private void checkTag(long id, Object[] row) {
            for (Map.Entry<Long, Object[]> e : rows.entrySet()) {
                if (e.getKey() != id && row[3].equals(e.getValue()[3])) {
                    throw new ConstraintViolationException("tag " + row[3]);
                }
            }
        }
    }

    /** What a call returned or threw. */
    record Outcome(Object result, Class<?> failure) {
        static Outcome of(Call c, Store s) {
            try {
                return new Outcome(c.apply(s), null);
            } catch (RuntimeException e) {
                return new Outcome(null, e.getClass());
            }
        }
    }

    @ParameterizedTest(name = "seed {0}, {1}, group commit {2}")
    @MethodSource("runs")
    void concurrentCallsEqualTheSerialModel(long seed, JournalMode mode, boolean group) throws Exception {
        TestSeeds.announce("GroupCommitModelTest " + mode + (group ? "" : " without group commit"),
                TestSeeds.PROPERTY, seed);
        Path file = dir.resolve("model-" + seed + "-" + mode + "-" + group + ".db");
        TreeMap<Long, Object[]> initial = new TreeMap<>();
        initial.put(0L, row(0, -1L, 0L, "counter"));
        for (long id = 1; id <= HOT; id++) {
            initial.put(id, row(id, -1L, START, "hot" + id));
        }
        Call[][] calls = new Call[THREADS][CALLS];
        for (int t = 0; t < THREADS; t++) {
            SplittableRandom r = new SplittableRandom(seed * 1_000_003L + t);
            for (int i = 0; i < CALLS; i++) {
                calls[t][i] = Call.random(r, t, i);
            }
        }
        Outcome[][] got = new Outcome[THREADS][CALLS];
        ConcurrentLinkedQueue<Call> order = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<String> wrongThread = new ConcurrentLinkedQueue<>();
        CommitStats stats;
        try (Database db = Database.open(file, DatabaseOptions.defaults().withJournalMode(mode).withGroupCommit(group))) {
            db.runWrite(tx -> {
                tx.createTable(TableSpec.of(ACCT, Column.rowid("id"), Column.of("owner", SqlType.INTEGER),
                        Column.of("bal", SqlType.INTEGER), Column.of("tag", SqlType.TEXT)));
                tx.createIndex(new IndexSpec("acct_tag", ACCT, List.of("tag"), true));
                initial.forEach((id, row) -> tx.insert(ACCT, id, row, OnConflict.FAIL));
            });
            CommitStats before = db.commitStats();
            ThreadLocal<Integer> caller = new ThreadLocal<>();
            CountDownLatch go = new CountDownLatch(1);
            try (ExecutorService pool = Executors.newFixedThreadPool(THREADS)) {
                List<Future<?>> workers = new ArrayList<>();
                for (int t = 0; t < THREADS; t++) {
                    int thread = t;
                    workers.add(pool.submit(() -> {
                        caller.set(thread);
                        go.await();
                        for (Call c : calls[thread]) {
                            try {
                                got[thread][c.index()] = new Outcome(db.writeTx(tx -> {
                                    order.add(c);
                                    if (!Objects.equals(caller.get(), thread)) {
                                        wrongThread.add("call " + thread + "/" + c.index() + " ran on " + caller.get());
                                    }
                                    return c.apply(new DbStore(tx));
                                }), null);
                            } catch (RuntimeException e) {
                                got[thread][c.index()] = new Outcome(null, e.getClass());
                            }
                        }
                        return null;
                    }));
                }
                go.countDown();
                for (Future<?> w : workers) {
                    GroupLatch.outcome(w);
                }
            }
            stats = db.commitStats().since(before);
            assertEquals(List.of(), List.copyOf(wrongThread));
            assertEquals(THREADS * CALLS, order.size(), "every call ran once");

            // replay in the order the turns ran: each call all-or-nothing
            TreeMap<Long, Object[]> model = initial;
            int kept = 0;
            List<String> mismatches = new ArrayList<>();
            for (Call c : order) {
                ModelStore s = new ModelStore(model);
                Outcome want = Outcome.of(c, s);
                Outcome have = got[c.thread()][c.index()];
                if (!Objects.equals(want, have)) {
                    mismatches.add("call " + c.thread() + "/" + c.index() + " (kind " + c.kind() + "): model "
                            + want + ", database " + have);
                }
                if (want.failure() == null) {
                    model = s.rows;
                    kept++;
                }
            }
            assertEquals(List.of(), mismatches.subList(0, Math.min(10, mismatches.size())),
                    mismatches.size() + " calls disagree with the model; the first 10:");
            assertEquals(kept, stats.transactions(), "every successful call, and only those, committed");
            assertTrue(kept > THREADS * CALLS / 3 && kept < THREADS * CALLS, "calls of both outcomes: " + kept);

            TreeMap<Long, Object[]> expected = model;
            List<String> rowDiffs = db.readTx(tx -> {
                List<String> d = new ArrayList<>();
                TreeMap<Long, Object[]> left = new TreeMap<>(expected);
                try (RowCursor cur = tx.scan(ACCT)) {
                    cur.forEachRemaining(r -> {
                        Object[] w = left.remove(r.rowid());
                        if (!Arrays.equals(w, r.values())) {
                            d.add("row " + r.rowid() + ": " + Arrays.toString(r.values()) + ", model "
                                    + Arrays.toString(w));
                        }
                    });
                }
                left.keySet().forEach(id -> d.add("row " + id + " missing"));
                return d;
            });
            assertEquals(List.of(), rowDiffs);
            assertEquals("", db.integrityCheck());
        }
        System.out.println("GroupCommitModelTest " + mode + (group ? "" : " without group commit") + ": "
                + stats.transactions() + " writes kept in " + stats.commits() + " commits ("
                + String.format("%.2f", stats.transactionsPerCommit()) + " per commit)");
        if (!group) {
            assertEquals(stats.transactions(), stats.commits(), "without group commit every write commits alone");
        }
        assertEquals(List.of("ok", "ok"), SqliteShell.lines(file,
                "PRAGMA integrity_check; SELECT CASE WHEN (SELECT count(*) FROM acct) = "
                        + "(SELECT count(*) FROM acct INDEXED BY acct_tag WHERE tag > '') THEN 'ok' ELSE 'index' END;"));
    }
}

package io.ancdb.analytics;

import java.io.PrintStream;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A progress line on standard error, redrawn in place ({@code \r}) five
 * times a second once the work has taken more than a second (short work
 * prints nothing): units done, of how many when known, the rate, and the
 * time left. Counters are atomic: the loading threads add to them.
 */
final class Progress implements AutoCloseable {
    private static final long SHOW_AFTER_NANOS = 1_000_000_000L;

    private final PrintStream out;
    private final String what;
    private final long total;
    private final String unit;
    private final AtomicLong done = new AtomicLong();
    private final AtomicLong rows = new AtomicLong();
    private final long start = System.nanoTime();
    private final ScheduledExecutorService ticker;
    private volatile boolean shown;

    /**
     * @param out   where to draw (null: nowhere)
     * @param what  the label, e.g. "loading"
     * @param total the units to do (files, rows), or 0 when unknown
     * @param unit  their name ("files", "rows")
     */
    Progress(PrintStream out, String what, long total, String unit) {
        this.out = out;
        this.what = what;
        this.total = total;
        this.unit = unit;
        if (out == null) {
            ticker = null;
            return;
        }
        ticker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "ancdb-progress");
            t.setDaemon(true);
            return t;
        });
        ticker.scheduleAtFixedRate(this::draw, SHOW_AFTER_NANOS, 200_000_000L, TimeUnit.NANOSECONDS);
    }

    /** One more unit done (a file), carrying {@code n} rows. */
    void unitDone() {
        done.incrementAndGet();
    }

    /** {@code n} more rows (the unit when counting rows). */
    void rows(long n) {
        rows.addAndGet(n);
    }

    long rowCount() {
        return rows.get();
    }

    private void draw() {
        shown = true;
        out.print("\r" + line() + "   ");
        out.flush();
    }

    String line() {
        double secs = Math.max(1e-9, (System.nanoTime() - start) / 1e9);
        long r = rows.get();
        long d = unit.equals("rows") ? r : done.get();
        StringBuilder sb = new StringBuilder(what).append(": ");
        if (total > 0) {
            int width = 24;
            int filled = (int) Math.min(width, width * d / total);
            sb.append('[').append("#".repeat(filled)).append(" ".repeat(width - filled)).append("] ")
                    .append(d).append('/').append(total).append(' ').append(unit);
        } else {
            sb.append(d).append(' ').append(unit);
        }
        if (!unit.equals("rows")) {
            sb.append(", ").append(r).append(" rows");
        }
        sb.append(String.format(Locale.ROOT, ", %.0f rows/s", r / secs));
        if (total > 0 && d > 0 && d < total) {
            long eta = Math.round(secs / d * (total - d));
            sb.append(String.format(Locale.ROOT, ", ETA %d:%02d", eta / 60, eta % 60));
        }
        return sb.toString();
    }

    /** Stops drawing; a drawn line is finished with its final state. */
    @Override
    public void close() {
        if (ticker == null) {
            return;
        }
        ticker.shutdownNow();
        try {
            ticker.awaitTermination(1, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (shown) {
            out.println("\r" + line() + "   ");
            out.flush();
        }
    }
}

package io.ancdb.analytics.bench;

import java.util.List;
import java.util.Locale;

/**
 * One measured figure: its trials, their mean and the half-width of the
 * 99.9% confidence interval (Student's t over the trials), as the JMH
 * reports of {@code benchmarks/} give it. A figure whose error is wider than
 * 15% of its mean is UNRELIABLE, and so is every target resting on it.
 */
record Figure(String name, String unit, List<Double> trials) {
    static final double RELIABLE = 0.15;
    /** t(0.9995, n - 1) for n - 1 = 1 .. 10. */
    private static final double[] T = {636.62, 31.60, 12.92, 8.61, 6.87, 5.96, 5.41, 5.04, 4.78, 4.59};

    double mean() {
        return trials.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
    }

    /** The 99.9% error (half-width); infinite with one trial. */
    double error() {
        int n = trials.size();
        if (n < 2) {
            return Double.POSITIVE_INFINITY;
        }
        double m = mean();
        double ss = 0;
        for (double t : trials) {
            ss += (t - m) * (t - m);
        }
        double t = n - 1 <= T.length ? T[n - 2] : 3.29;
        return t * Math.sqrt(ss / (n - 1)) / Math.sqrt(n);
    }

    boolean reliable() {
        return error() <= RELIABLE * Math.abs(mean());
    }

    String row() {
        double e = error();
        return String.format(Locale.ROOT, "| %s | %s %s | %s | %d | %s |", name, fmt(mean()), unit,
                Double.isInfinite(e) ? "n/a" : "±" + fmt(e) + " (" + Math.round(100 * e / mean()) + "%)",
                trials.size(), reliable() ? "reliable" : "UNRELIABLE");
    }

    static String fmt(double v) {
        if (Math.abs(v) >= 1000) {
            return String.format(Locale.ROOT, "%,.0f", v);
        }
        return String.format(Locale.ROOT, "%.3g", v);
    }
}

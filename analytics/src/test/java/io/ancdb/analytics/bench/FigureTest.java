package io.ancdb.analytics.bench;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The benchmark report's arithmetic: mean, the 99.9% error by Student's t, and the 15% reliability rule. */
class FigureTest {
    @Test
    void errorIsStudentsHalfWidthAndFifteenPercentDecidesReliability() {
        // sd = sqrt(2 / 4), / sqrt(5), x t(0.9995, 4) = 8.61
        Figure steady = new Figure("steady", "s", List.of(100.0, 101.0, 99.0, 100.0, 100.0));
        assertEquals(100.0, steady.mean(), 1e-9);
        assertEquals(8.61 * Math.sqrt(0.5) / Math.sqrt(5), steady.error(), 1e-9);
        assertTrue(steady.reliable());
        assertEquals("| steady | 100 s | ±2.72 (3%) | 5 | reliable |", steady.row());

        // two trials: t(0.9995, 1) = 636.62, sd = sqrt(2), / sqrt(2) = 1
        Figure two = new Figure("two", "rows/s", List.of(10.0, 12.0));
        assertEquals(636.62, two.error(), 1e-9);
        assertFalse(two.reliable());
        assertEquals("| two | 11.0 rows/s | ±637 (5787%) | 2 | UNRELIABLE |", two.row());
        // the same spread on a large mean is within 15%
        assertTrue(new Figure("big", "rows/s", List.of(10_000.0, 10_002.0)).reliable());

        Figure one = new Figure("one", "s", List.of(3.0));
        assertEquals(Double.POSITIVE_INFINITY, one.error());
        assertFalse(one.reliable());
        assertEquals("| one | 3.00 s | n/a | 1 | UNRELIABLE |", one.row());

        // beyond the table: the normal quantile 3.29
        Figure many = new Figure("many", "s", List.of(1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 3.0));
        double sd = Math.sqrt((11 * Math.pow(1.0 / 6, 2) + Math.pow(3.0 - 7.0 / 6, 2)) / 11);
        assertEquals(3.29 * sd / Math.sqrt(12), many.error(), 1e-9);
    }
}

package io.ancdb.bench.report;

import io.ancdb.bench.Config;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.style.Styler;

import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** One PNG bar chart per operation: a group of bars per store, one bar per configuration, with error bars. */
final class Charts {
    private static final Color DEFAULT_COLOR = new Color(0x8DA0CB);
    private static final Color TUNED_COLOR = new Color(0x1B5E9E);
    private static final Color STOCK_COLOR = new Color(0xBBBBBB);

    private Charts() {
    }

    /** Writes {@code file} (".png" is added by xchart) for the results of one (shape, op). */
    static void write(Path file, String title, List<Result> results) throws IOException {
        List<String> stores = Markdown.stores(results);
        String unit = results.getFirst().unit();
        CategoryChart chart = new CategoryChartBuilder().width(900).height(480).title(title)
                .xAxisTitle("store").yAxisTitle(unit + (results.getFirst().higherIsBetter() ? " (higher is better)"
                        : " (lower is better)")).build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
        chart.getStyler().setErrorBarsColor(Color.DARK_GRAY);
        chart.getStyler().setLabelsVisible(true);
        chart.getStyler().setLabelsFontColorAutomaticEnabled(false);
        chart.getStyler().setLabelsFontColor(Color.BLACK);
        chart.getStyler().setYAxisDecimalPattern("#,##0.##");
        chart.getStyler().setDecimalPattern(results.getFirst().score() >= 100 ? "#,##0" : "#,##0.##");
        for (Config c : Config.values()) {
            String config = c.id();
            List<String> x = new ArrayList<>();
            List<Double> y = new ArrayList<>();
            List<Double> e = new ArrayList<>();
            for (String store : stores) {
                Result r = results.stream().filter(q -> q.store().equals(store) && q.config().equals(config))
                        .findFirst().orElse(null);
                x.add(store);
                y.add(r == null ? 0.0 : r.score());
                e.add(r == null || Double.isNaN(r.error()) ? 0.0 : r.error());
            }
            if (y.stream().allMatch(v -> v == 0.0)) {
                continue;
            }
            chart.addSeries(config, x, y, e).setFillColor(switch (c) {
                case DEFAULT -> DEFAULT_COLOR;
                case TUNED -> TUNED_COLOR;
                case STOCK -> STOCK_COLOR;
            });
        }
        BitmapEncoder.saveBitmap(chart, file.toString(), BitmapEncoder.BitmapFormat.PNG);
    }
}

package org.symphonyrl.trainer;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * {@code returns.png}: evaluation mean (with ± one standard deviation as error bars) and every training
 * episode's return against the step, drawn by XChart, headless, and replaced atomically so a reader
 * never sees half an image. Episodes cut short (episodes.csv's {@code cut} column: the end of the run, a
 * stop, a lost connection, an emergency stop, a bad value) are not ordinary returns: they are drawn apart,
 * as orange crosses.
 */
final class LearningCurve {

    static final String FILE = "returns.png";

    private LearningCurve() {
    }

    static void draw(Path history, Path episodes, Path png) throws IOException {
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
        XYChart chart = chart(history, episodes, "Returns — " + png.getParent().getFileName());
        if (chart == null) {
            return;
        }
        byte[] bytes = BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG);
        PrivateFiles.writeAtomically(png, bytes);
    }

    /** The chart of the two logs, or null while both are empty. */
    static XYChart chart(Path history, Path episodes, String title) throws IOException {
        XYChart chart = new XYChartBuilder().width(900).height(500).title(title)
                .xAxisTitle("environment step").yAxisTitle("return").build();
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.InsideSE);

        List<double[]> all = columns(episodes, "step", "return", "cut");
        List<double[]> training = all.stream().filter(r -> r[2] == 0).toList();
        List<double[]> cut = all.stream().filter(r -> r[2] != 0).toList();
        if (!training.isEmpty()) {
            XYSeries s = chart.addSeries("training episode", xs(training), ys(training));
            s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
            s.setMarker(SeriesMarkers.CIRCLE);
            s.setMarkerColor(new Color(150, 150, 150, 120));
        }
        if (!cut.isEmpty()) {
            XYSeries s = chart.addSeries("episode cut short (not a full return)", xs(cut), ys(cut));
            s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
            s.setMarker(SeriesMarkers.CROSS);
            s.setMarkerColor(new Color(230, 120, 0));
        }
        List<double[]> evaluation = columns(history, "step", "eval_mean", "eval_std");
        if (!evaluation.isEmpty()) {
            double[] std = evaluation.stream().mapToDouble(r -> r[2]).toArray();
            XYSeries s = chart.addSeries("evaluation mean ± std", xs(evaluation), ys(evaluation), std);
            s.setLineColor(new Color(200, 40, 40));
            s.setMarkerColor(new Color(200, 40, 40));
            s.setLineStyle(new BasicStroke(2f));
        }
        return all.isEmpty() && evaluation.isEmpty() ? null : chart;
    }

    /**
     * Renders a one-point chart to memory and throws it away. Java2D and ImageIO register a JVM shutdown
     * hook when first used, which is refused once the JVM is shutting down; a run stopped with Ctrl-C before
     * its first evaluation could then not draw its curve. Rendering once at the start avoids that.
     */
    static void warmUp() {
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
        XYChart chart = new XYChartBuilder().width(16).height(16).build();
        chart.addSeries("warm-up", new double[] {0}, new double[] {0});
        try {
            BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /**
     * The named columns of every complete row of a CSV file with a header, as numbers; a text cell counts
     * as 1 if it is not empty, 0 if it is; a column the file lacks (an older file) is 0 throughout.
     */
    private static List<double[]> columns(Path csv, String... names) throws IOException {
        List<double[]> rows = new ArrayList<>();
        if (!Files.exists(csv)) {
            return rows;
        }
        List<String> lines = Files.readAllLines(csv);
        if (lines.isEmpty()) {
            return rows;
        }
        List<String> header = List.of(lines.get(0).split(",", -1));
        int[] cols = java.util.Arrays.stream(names).mapToInt(header::indexOf).toArray();
        for (int i = 1; i < lines.size(); i++) {
            String[] cells = lines.get(i).split(",", -1);
            if (cells.length != header.size()) {
                continue; // a row cut short by a kill
            }
            double[] row = new double[cols.length];
            try {
                for (int c = 0; c < cols.length; c++) {
                    row[c] = cols[c] < 0 ? 0 : number(cells[cols[c]]);
                }
            } catch (NumberFormatException partialRow) {
                continue;
            }
            rows.add(row);
        }
        return rows;
    }

    private static double number(String cell) {
        if (cell.isEmpty()) {
            return 0;
        }
        char c = cell.charAt(0);
        return Character.isDigit(c) || c == '-' || c == '.' ? Double.parseDouble(cell) : 1;
    }

    private static double[] xs(List<double[]> rows) {
        return rows.stream().mapToDouble(r -> r[0]).toArray();
    }

    private static double[] ys(List<double[]> rows) {
        return rows.stream().mapToDouble(r -> r[1]).toArray();
    }
}

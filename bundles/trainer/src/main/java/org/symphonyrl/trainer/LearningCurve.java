package org.symphonyrl.trainer;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
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
 * never sees half an image.
 */
final class LearningCurve {

    static final String FILE = "returns.png";

    private LearningCurve() {
    }

    static void draw(Path history, Path episodes, Path png) throws IOException {
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
        XYChart chart = new XYChartBuilder().width(900).height(500).title("Returns — " + png.getParent().getFileName())
                .xAxisTitle("environment step").yAxisTitle("return").build();
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.InsideSE);

        List<double[]> training = columns(episodes, 1, 2);
        if (!training.isEmpty()) {
            XYSeries s = chart.addSeries("training episode", xs(training), ys(training));
            s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
            s.setMarker(SeriesMarkers.CIRCLE);
            s.setMarkerColor(new Color(150, 150, 150, 120));
        }
        List<double[]> evaluation = columns(history, 0, 1, 2);
        if (!evaluation.isEmpty()) {
            double[] std = evaluation.stream().mapToDouble(r -> r[2]).toArray();
            XYSeries s = chart.addSeries("evaluation mean ± std", xs(evaluation), ys(evaluation), std);
            s.setLineColor(new Color(200, 40, 40));
            s.setMarkerColor(new Color(200, 40, 40));
            s.setLineStyle(new BasicStroke(2f));
        }
        if (training.isEmpty() && evaluation.isEmpty()) {
            return;
        }
        byte[] bytes = BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG);
        Path temp = png.resolveSibling(FILE + ".tmp");
        Files.write(temp, bytes);
        Files.move(temp, png, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
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

    /** The given numeric columns of every complete row of a CSV file with a header. */
    private static List<double[]> columns(Path csv, int... cols) throws IOException {
        List<double[]> rows = new ArrayList<>();
        if (!Files.exists(csv)) {
            return rows;
        }
        List<String> lines = Files.readAllLines(csv);
        for (int i = 1; i < lines.size(); i++) {
            String[] cells = lines.get(i).split(",", -1);
            double[] row = new double[cols.length];
            try {
                for (int c = 0; c < cols.length; c++) {
                    row[c] = Double.parseDouble(cells[cols[c]]);
                }
            } catch (RuntimeException partialRow) {
                continue;
            }
            rows.add(row);
        }
        return rows;
    }

    private static double[] xs(List<double[]> rows) {
        return rows.stream().mapToDouble(r -> r[0]).toArray();
    }

    private static double[] ys(List<double[]> rows) {
        return rows.stream().mapToDouble(r -> r[1]).toArray();
    }
}

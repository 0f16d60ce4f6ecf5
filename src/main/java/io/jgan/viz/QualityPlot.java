package io.jgan.viz;

import io.jgan.AtomicFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * {@code quality.png}: sample-quality curves over training, drawn with XChart; curves of two scales
 * (a distance that falls, a score that rises) on a left and a right axis. NaN points are left out.
 *
 * <pre>{@code
 * QualityPlot.write(Path.of("quality.png"), "dcgan", new double[] {10, 20}, "FID", Map.of("fid", new double[] {80, 45}),
 *     "score", Map.of("score", new double[] {6.1, 7.9}));
 * }</pre>
 */
public final class QualityPlot {
  private QualityPlot() {}

  /**
   * @param epochs x values
   * @param left curves on the left axis, each as long as {@code epochs}
   * @param right curves on the right axis
   */
  public static void write(Path file, String title, double[] epochs, String leftTitle, Map<String, double[]> left,
      String rightTitle, Map<String, double[]> right) {
    XYChart chart = chart(title, epochs, leftTitle, left, rightTitle, right);
    if (chart.getSeriesMap().isEmpty()) {
      return;
    }
    AtomicFiles.write(file, temp -> Files.write(temp, BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG)));
  }

  /** The chart {@link #write} draws: a series per curve with a finite point, on its axis group (0 left, 1 right). */
  static XYChart chart(String title, double[] epochs, String leftTitle, Map<String, double[]> left, String rightTitle,
      Map<String, double[]> right) {
    System.setProperty("java.awt.headless", "true");
    XYChart chart = new XYChartBuilder().width(LossPlot.WIDTH).height(LossPlot.HEIGHT).title(title).xAxisTitle("epoch")
        .build();
    chart.setYAxisGroupTitle(0, leftTitle);
    chart.setYAxisGroupTitle(1, rightTitle);
    chart.getStyler().setYAxisGroupPosition(1, Styler.YAxisPosition.Right);
    chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
    add(chart, epochs, left, 0);
    add(chart, epochs, right, 1);
    return chart;
  }

  private static void add(XYChart chart, double[] x, Map<String, double[]> curves, int group) {
    curves.forEach((name, y) -> {
      int n = 0;
      for (double v : y) {
        n += Double.isFinite(v) ? 1 : 0;
      }
      if (n == 0) {
        return;
      }
      double[] xs = new double[n];
      double[] ys = new double[n];
      for (int i = 0, k = 0; i < y.length; i++) {
        if (Double.isFinite(y[i])) {
          xs[k] = x[i];
          ys[k++] = y[i];
        }
      }
      XYSeries s = chart.addSeries(name, xs, ys);
      s.setMarker(SeriesMarkers.CIRCLE);
      s.setYAxisGroup(group);
    });
  }
}

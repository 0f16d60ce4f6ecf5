package io.jgan.viz;

import io.jgan.AtomicFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * {@code losses.png}: the loss curves of a run, drawn with XChart (as seed 001's {@code plotLoss}
 * draws its curves with matplotlib). Long runs are averaged into at most {@link #MAX_POINTS}
 * buckets per curve, which keeps each redraw cheap and smooths the per-step noise.
 *
 * <pre>{@code
 * LossPlot.write(Path.of("losses.png"), "dcgan", new long[] {1, 2, 3}, List.of("d_loss", "g_loss"),
 *     List.of(new float[] {1.4f, 1.2f, 1.1f}, new float[] {0.7f, 0.9f, 1.0f}));
 * }</pre>
 */
public final class LossPlot {
  public static final int WIDTH = 900;
  public static final int HEIGHT = 500;
  /** Points per curve at most. */
  public static final int MAX_POINTS = 2000;

  private LossPlot() {}

  /**
   * @param steps x values (training steps)
   * @param series one curve per name, each as long as {@code steps}
   */
  public static void write(Path file, String title, long[] steps, List<String> names, List<float[]> series) {
    System.setProperty("java.awt.headless", "true");
    XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title).xAxisTitle("step").yAxisTitle("value").build();
    chart.getStyler().setMarkerSize(0);
    int buckets = Math.min(MAX_POINTS, Math.max(1, steps.length));
    for (int s = 0; s < names.size(); s++) {
      double[][] xy = bucketMeans(steps, series.get(s), buckets);
      if (xy[0].length > 0) {
        chart.addSeries(names.get(s), xy[0], xy[1]).setMarker(SeriesMarkers.NONE);
      }
    }
    if (chart.getSeriesMap().isEmpty()) {
      return;
    }
    AtomicFiles.write(file, temp -> {
      byte[] png = BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG);
      Files.write(temp, png);
    });
  }

  /** x and y averaged over consecutive buckets of about equal size; NaN and infinite values skipped. */
  static double[][] bucketMeans(long[] steps, float[] values, int buckets) {
    List<double[]> points = new ArrayList<>();
    int n = steps.length;
    for (int b = 0; b < buckets; b++) {
      int from = (int) ((long) n * b / buckets);
      int to = (int) ((long) n * (b + 1) / buckets);
      double sx = 0, sy = 0;
      int count = 0;
      for (int i = from; i < to; i++) {
        if (Float.isFinite(values[i])) {
          sx += steps[i];
          sy += values[i];
          count++;
        }
      }
      if (count > 0) {
        points.add(new double[] {sx / count, sy / count});
      }
    }
    double[][] xy = new double[2][points.size()];
    for (int i = 0; i < points.size(); i++) {
      xy[0][i] = points.get(i)[0];
      xy[1][i] = points.get(i)[1];
    }
    return xy;
  }
}

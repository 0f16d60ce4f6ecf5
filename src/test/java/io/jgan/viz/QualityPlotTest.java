package io.jgan.viz;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;

/** quality.png: a curve per metric, on the left or right axis, NaN epochs left out; nothing to draw, no file. */
class QualityPlotTest {
  @TempDir Path dir;

  private static final double[] EPOCHS = {1, 2, 3, 4};

  @Test
  void curvesKeepTheirFinitePointsOnTheirAxis() throws Exception {
    Map<String, double[]> left = new LinkedHashMap<>();
    left.put("frechet", new double[] {90, Double.NaN, 40, 20});
    left.put("never", new double[] {Double.NaN, Double.NaN, Double.NaN, Double.NaN});
    Map<String, double[]> right = Map.of("score", new double[] {2, 4, Double.POSITIVE_INFINITY, 8});
    XYChart chart = QualityPlot.chart("run", EPOCHS, "distance", left, "score", right);
    assertEquals("run", chart.getTitle());
    assertEquals("epoch", chart.getXAxisTitle());
    assertEquals("distance", chart.getYAxisGroupTitle(0));
    assertEquals("score", chart.getYAxisGroupTitle(1));
    assertEquals(List.of("frechet", "score"), List.copyOf(chart.getSeriesMap().keySet()), "an all-NaN curve is no series");
    XYSeries frechet = chart.getSeriesMap().get("frechet");
    assertArrayEquals(new double[] {1, 3, 4}, frechet.getXData());
    assertArrayEquals(new double[] {90, 40, 20}, frechet.getYData());
    assertEquals(0, frechet.getYAxisGroup());
    XYSeries score = chart.getSeriesMap().get("score");
    assertArrayEquals(new double[] {1, 2, 4}, score.getXData());
    assertArrayEquals(new double[] {2, 4, 8}, score.getYData());
    assertEquals(1, score.getYAxisGroup());

    Path png = dir.resolve("quality.png");
    QualityPlot.write(png, "run", EPOCHS, "distance", left, "score", right);
    BufferedImage image = ImageIO.read(png.toFile());
    assertEquals(LossPlot.WIDTH, image.getWidth());
    assertEquals(LossPlot.HEIGHT, image.getHeight());
  }

  @Test
  void nothingFiniteWritesNoFile() {
    Path png = dir.resolve("quality.png");
    double[] none = {Double.NaN, Double.NaN, Double.NaN, Double.NaN};
    QualityPlot.write(png, "run", EPOCHS, "distance", Map.of("frechet", none), "score", Map.of("score", none));
    assertFalse(Files.exists(png));
  }
}

package io.jgan.viz;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jgan.BadInputException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LossCsvTest {
  @TempDir Path dir;

  @Test
  void writesExactRowsAndDropsRowsAfterTheRestoredStepOnResume() throws Exception {
    Path file = dir.resolve("losses.csv");
    try (LossCsv csv = new LossCsv(file, List.of("d_loss", "g_loss"), 0)) {
      csv.append(1, 1, new float[] {1.25f, 0.5f});
      csv.append(2, 1, new float[] {0.1f, 3f});
      csv.append(3, 2, new float[] {Float.NaN, 1e-8f});
    }
    assertEquals(List.of("step,epoch,d_loss,g_loss", "1,1,1.25,0.5", "2,1,0.1,3.0", "3,2,NaN,1.0E-8"),
        Files.readAllLines(file));
    // Resumed from a checkpoint at step 2: step 3 is trained again.
    try (LossCsv csv = new LossCsv(file, List.of("d_loss", "g_loss"), 2)) {
      csv.append(3, 2, new float[] {0.75f, 2f});
    }
    assertEquals(List.of("step,epoch,d_loss,g_loss", "1,1,1.25,0.5", "2,1,0.1,3.0", "3,2,0.75,2.0"), Files.readAllLines(file));
    List<LossCsv.Row> rows = LossCsv.read(file);
    assertEquals(3, rows.size());
    assertEquals(0.75f, rows.get(2).values()[0]);
  }

  @Test
  void refusesAnotherHeader() throws Exception {
    Path file = dir.resolve("losses.csv");
    Files.writeString(file, "step,epoch,critic_loss\n");
    BadInputException e = assertThrows(BadInputException.class, () -> new LossCsv(file, List.of("d_loss"), 0));
    assertTrue(e.getMessage().contains("expected the header 'step,epoch,d_loss', got 'step,epoch,critic_loss'"), e.getMessage());
  }

  @Test
  void plotIsWrittenAndNotFlat() throws Exception {
    Path png = dir.resolve("losses.png");
    long[] steps = new long[5000];
    float[] d = new float[5000], g = new float[5000];
    for (int i = 0; i < steps.length; i++) {
      steps[i] = i + 1;
      d[i] = (float) Math.exp(-i / 1000.0);
      g[i] = (float) (1 + Math.sin(i / 300.0));
    }
    LossPlot.write(png, "test", steps, List.of("d_loss", "g_loss"), List.of(d, g));
    var img = javax.imageio.ImageIO.read(png.toFile());
    assertEquals(LossPlot.WIDTH, img.getWidth());
    assertEquals(LossPlot.HEIGHT, img.getHeight());
    java.util.Set<Integer> colours = new java.util.HashSet<>();
    for (int y = 0; y < img.getHeight(); y += 7) {
      for (int x = 0; x < img.getWidth(); x += 7) {
        colours.add(img.getRGB(x, y));
      }
    }
    assertTrue(colours.size() > 5, "a chart, not a flat image: " + colours.size() + " colours");
    double[][] xy = LossPlot.bucketMeans(new long[] {1, 2, 3, 4}, new float[] {1, 3, Float.NaN, 5}, 2);
    assertEquals(1.5, xy[0][0]);
    assertEquals(2.0, xy[1][0]); // (1 + 3) / 2
    assertEquals(4.0, xy[0][1]); // NaN skipped
    assertEquals(5.0, xy[1][1]);
    // A bucket of NaN and infinity only is left out rather than drawn as a point.
    double[][] gap = LossPlot.bucketMeans(new long[] {1, 2, 3, 4, 5, 6}, new float[] {1, 3, Float.NaN, Float.POSITIVE_INFINITY, 5, 7}, 3);
    assertArrayEquals(new double[] {1.5, 5.5}, gap[0]);
    assertArrayEquals(new double[] {2.0, 6.0}, gap[1]);
  }

  @Test
  void aPlotOfNothingFiniteWritesNoFile() {
    Path png = dir.resolve("losses.png");
    LossPlot.write(png, "test", new long[] {1, 2}, List.of("d_loss"), List.of(new float[] {Float.NaN, Float.NaN}));
    assertFalse(Files.exists(png));
  }

  @Test
  void eachRowIsOnDiskAsSoonAsItIsAppended() throws Exception {
    // A kill after a step must not lose its row: append flushes, before close.
    Path file = dir.resolve("losses.csv");
    try (LossCsv csv = new LossCsv(file, List.of("d_loss"), 0)) {
      csv.append(1, 1, new float[] {0.25f});
      assertEquals(List.of("step,epoch,d_loss", "1,1,0.25"), Files.readAllLines(file));
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> csv.append(2, 1, new float[] {1, 2}));
      assertEquals("expected 1 values, got 2", e.getMessage());
    }
    assertEquals(List.of("d_loss"), LossCsv.metricNames(file));
    List<LossCsv.Row> rows = LossCsv.read(file);
    assertEquals(1, rows.size());
    assertEquals(1, rows.get(0).step());
    assertEquals(1, rows.get(0).epoch());
    assertArrayEquals(new float[] {0.25f}, rows.get(0).values());
  }

  @Test
  void malformedRowsAreNamedByLine() throws Exception {
    Path file = dir.resolve("losses.csv");
    String longRow = "3,1," + "9".repeat(100);
    Files.writeString(file, "step,epoch,d_loss\n1,1,0.5\n2,x,0.5\n" + longRow + "\n");
    BadInputException resume = assertThrows(BadInputException.class, () -> new LossCsv(file, List.of("d_loss"), 5));
    assertEquals(file + " line 3: expected step,epoch,values..., got '2,x,0.5'", resume.getMessage());
    Files.writeString(file, "step,epoch,d_loss\n1,1,0.5\n\n" + longRow + "x\n");
    BadInputException read = assertThrows(BadInputException.class, () -> LossCsv.read(file));
    assertEquals(file + " line 4: expected step,epoch,values..., got '" + (longRow + "x").substring(0, 80) + "...'",
        read.getMessage());
    Files.writeString(file, "");
    BadInputException empty = assertThrows(BadInputException.class, () -> LossCsv.metricNames(file));
    assertEquals(file + ": expected a header line, got an empty file", empty.getMessage());
  }
}

package io.jgan.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jgan.viz.EventFiles;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.proto.Event;
import org.tensorflow.proto.Summary;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TUint8;

/**
 * What a run leaves for its users, checked on one real 3-step dcgan-mnist run: the TensorBoard
 * event file, losses.csv and losses.png, export (and its reload in Java), generate from the run
 * and from the export, and info.
 */
class OutputsTest {
  @TempDir static Path dir;
  static Path run;

  @BeforeAll
  static void train() {
    run = dir.resolve("run");
    CommandLineTest.Outcome o = CommandLineTest.run("train", "--epochs", "1", "--steps-per-epoch", "3", "--batch-size", "16",
        "--threads", "2", "--run-dir", run.toString());
    assertEquals(0, o.status(), o.err());
  }

  @Test
  void lossesCsvHasOneRowPerStepWithTheLoggedMetrics() throws Exception {
    List<String> lines = Files.readAllLines(run.resolve("losses.csv"));
    assertEquals("step,epoch,d_loss,g_loss,d_real,d_fake", lines.get(0));
    assertEquals(4, lines.size());
    for (int i = 1; i <= 3; i++) {
      String[] cells = lines.get(i).split(",");
      assertEquals(Integer.toString(i), cells[0]);
      assertEquals("1", cells[1]);
      for (int c = 2; c < 6; c++) {
        assertTrue(Float.isFinite(Float.parseFloat(cells[c])), lines.get(i));
      }
      float dReal = Float.parseFloat(cells[4]);
      assertTrue(dReal > 0 && dReal < 1, "mean D(x) is a probability: " + dReal);
    }
    BufferedImage plot = ImageIO.read(run.resolve("losses.png").toFile());
    assertEquals(900, plot.getWidth());
  }

  @Test
  void eventFileHoldsScalarsHistogramsSampleImageAndGraph() throws Exception {
    List<Event> events = EventFiles.read(run.resolve("logs"));
    Map<String, Float> scalarsAtStep1 = new HashMap<>();
    int histograms = 0;
    boolean image = false;
    boolean graph = false;
    for (Event e : events) {
      graph |= !e.getGraphDef().isEmpty();
      for (Summary.Value v : e.getSummary().getValueList()) {
        if (v.hasHisto()) {
          histograms++;
        } else if (v.hasImage()) {
          image = true;
          assertTrue(v.getImage().getHeight() > 0);
        } else if (e.getStep() == 1) {
          scalarsAtStep1.put(v.getTag(), v.getSimpleValue());
        }
      }
    }
    // The scalars logged at step 1 are the first row of losses.csv.
    String[] first = Files.readAllLines(run.resolve("losses.csv")).get(1).split(",");
    assertEquals(Float.parseFloat(first[2]), scalarsAtStep1.get("d_loss"));
    assertEquals(Float.parseFloat(first[3]), scalarsAtStep1.get("g_loss"));
    assertEquals(Float.parseFloat(first[4]), scalarsAtStep1.get("d_real"));
    assertEquals(Float.parseFloat(first[5]), scalarsAtStep1.get("d_fake"));
    // At step 1, one histogram per variable of both networks: G has 4 kernels and 3 BatchNorms of 4
    // variables (16), D 3 kernels and 3 biases (6).
    assertEquals(16 + 6, histograms);
    assertTrue(image, "the sample grid as an image");
    assertTrue(graph, "the graph");
  }

  @Test
  void exportReloadsInJavaWithTheSameImagesAndRefusesToOverwrite() throws Exception {
    Path model = dir.resolve("model");
    CommandLineTest.Outcome o = CommandLineTest.run("export", "--run-dir", run.toString(), "--out", model.toString());
    assertEquals(0, o.status(), o.err());
    assertTrue(Files.isRegularFile(model.resolve("saved_model.pb")));
    assertTrue(Files.isRegularFile(model.resolve("jgan-export.json")));

    CommandLineTest.Outcome again = CommandLineTest.run("export", "--run-dir", run.toString(), "--out", model.toString());
    assertEquals(2, again.status());
    assertTrue(again.err().contains("already exists; give --overwrite to replace it"), again.err());
    assertEquals(0, CommandLineTest.run("export", "--run-dir", run.toString(), "--out", model.toString(), "--overwrite").status());

    // Generate from the run and from the model with the same seed: identical pixels.
    Path fromRun = dir.resolve("run.png");
    Path fromModel = dir.resolve("model.png");
    assertEquals(0, CommandLineTest.run("generate", "--run-dir", run.toString(), "--seed", "5", "--out", fromRun.toString()).status());
    assertEquals(0, CommandLineTest.run("generate", "--model", model.toString(), "--seed", "5", "--out", fromModel.toString()).status());
    assertArrayEquals(pixels(fromRun), pixels(fromModel));

    // Writing over an earlier grid says which file it replaced and what it held (nothing replaced silently).
    java.awt.image.BufferedImage earlier = javax.imageio.ImageIO.read(fromModel.toFile());
    long earlierBytes = Files.size(fromModel);
    CommandLineTest.Outcome regenerated = CommandLineTest.run("generate", "--model", model.toString(), "--seed", "6", "--out",
        fromModel.toString());
    assertEquals(0, regenerated.status(), regenerated.err());
    assertTrue(regenerated.out().contains("Wrote " + fromModel + " (16 images, seed 6); replaced what was there: a "
        + earlier.getWidth() + "x" + earlier.getHeight() + " PNG image (" + earlierBytes + " bytes, written "), regenerated.out());

    // The uint8 signature is the float one mapped by x * 127.5 + 127.5, rounded and clamped.
    try (SavedModelBundle bundle = SavedModelBundle.load(model.toString(), "serve");
         TFloat32 z = TFloat32.tensorOf(Shape.of(2, 100), DataBuffers.of(new float[200], true, false))) {
      try (Result f = bundle.function("serving_default").call(Map.of("latents", (Tensor) z));
           Result u = bundle.function("generate_uint8").call(Map.of("latents", (Tensor) z))) {
        TFloat32 images = (TFloat32) f.get("images").orElseThrow();
        TUint8 bytes = (TUint8) u.get("images").orElseThrow();
        assertEquals(Shape.of(2, 28, 28, 1), images.shape());
        for (int y = 0; y < 28; y += 7) {
          float v = images.getFloat(0, y, y, 0);
          assertTrue(v >= -1 && v <= 1);
          int expected = (int) Math.min(255, Math.max(0, Math.floor(v * 127.5 + 127.5 + 0.5)));
          assertEquals(expected, bytes.getByte(0, y, y, 0) & 0xFF);
        }
      }
    }
  }

  @Test
  void sameSeedSameImagesOtherSeedOtherImages() throws Exception {
    Path a = dir.resolve("a.png"), b = dir.resolve("b.png"), c = dir.resolve("c.png");
    assertEquals(0, CommandLineTest.run("generate", "--run-dir", run.toString(), "--seed", "7", "--out", a.toString()).status());
    assertEquals(0, CommandLineTest.run("generate", "--run-dir", run.toString(), "--seed", "7", "--out", b.toString()).status());
    assertEquals(0, CommandLineTest.run("generate", "--run-dir", run.toString(), "--seed", "8", "--out", c.toString()).status());
    assertArrayEquals(pixels(a), pixels(b));
    assertFalse(java.util.Arrays.equals(pixels(a), pixels(c)));
  }

  @Test
  void separateAndInterpolate() throws Exception {
    Path sep = dir.resolve("sep/img.png");
    Files.createDirectories(sep.getParent());
    assertEquals(0, CommandLineTest.run("generate", "--run-dir", run.toString(), "--count", "3", "--separate", "--out",
        sep.toString()).status());
    for (int i = 1; i <= 3; i++) {
      assertTrue(Files.isRegularFile(sep.resolveSibling(String.format("img_%04d.png", i))));
    }
    Path gif = dir.resolve("walk.gif");
    CommandLineTest.Outcome o = CommandLineTest.run("generate", "--run-dir", run.toString(), "--count", "3", "--interpolate",
        "4", "--out", gif.toString());
    assertEquals(0, o.status(), o.err());
    assertTrue(o.out().contains("9 frames through 3 latent points"), o.out()); // (3 - 1) * 4 + 1
  }

  @Test
  void infoDescribesTheRun() {
    CommandLineTest.Outcome o = CommandLineTest.run("info", "--run-dir", run.toString());
    assertEquals(0, o.status(), o.err());
    assertTrue(o.out().contains("Preset: dcgan-mnist"), o.out());
    assertTrue(o.out().contains("Settings: seed 42, 1 epochs, batch 16, 3 steps per epoch"), o.out());
    assertTrue(o.out().contains("Progress: 1 of 1 epochs done, 3 steps (latest checkpoint ckpt-1)"), o.out());
    assertTrue(o.out().contains("Last losses (step 3, epoch 1): d_loss "), o.out());
    assertTrue(o.out().contains("ckpt-1 "), o.out());
    assertTrue(o.out().contains("(latest)"), o.out());
  }

  @Test
  void generateOptionErrors() {
    assertEquals(2, CommandLineTest.run("generate", "--run-dir", run.toString(), "--model", "x").status());
    CommandLineTest.Outcome o = CommandLineTest.run("generate", "--run-dir", run.toString(), "--label", "1");
    assertEquals(2, o.status());
    assertTrue(o.err().contains("--label: dcgan-mnist is not conditional"), o.err());
    assertEquals(2, CommandLineTest.run("generate", "--run-dir", run.toString(), "--grid", "--separate").status());
  }

  private static int[] pixels(Path png) throws Exception {
    BufferedImage img = ImageIO.read(png.toFile());
    return img.getRaster().getPixels(0, 0, img.getWidth(), img.getHeight(), (int[]) null);
  }
}

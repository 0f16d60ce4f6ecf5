package io.jgan.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jgan.BadInputException;
import io.jgan.PixelScale;
import io.jgan.cli.Main;
import io.jgan.run.TrainConfig;
import io.jgan.train.graph.InferenceGraph;
import io.jgan.train.loop.RunDirectory;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;

/**
 * The Java API on a model exported by the command line: a conditional cwgan-gp (10 MNIST classes,
 * 64x64 RGB, latents of 32) trained 2 steps and exported. Expected images come from the training
 * code's own inference graph restored from the run's checkpoint, not from the export.
 */
class GeneratorTest {
  @TempDir static Path dir;
  static Path run;
  static Path model;

  @BeforeAll
  static void trainAndExport() {
    run = dir.resolve("run");
    model = dir.resolve("model");
    cli("train", "--preset", "cwgan-gp", "--dataset", "mnist", "--epochs", "1", "--steps-per-epoch", "2", "--batch-size",
        "8", "--threads", "2", "--run-dir", run.toString());
    cli("export", "--run-dir", run.toString(), "--out", model.toString());
  }

  @Test
  void describesTheModel() {
    try (Generator g = Generator.load(model)) {
      assertEquals("cwgan-gp", g.preset());
      assertEquals(32, g.latentDim());
      assertEquals(10, g.classes());
      assertArrayEquals(new int[] {64, 64, 3}, g.imageShape());
    }
  }

  @Test
  void imagesAreTheRunsGeneratorOnTheSameLatentsAndLabels() throws Exception {
    int[] labels = {0, 3, 9, 3, 1};
    float[][] z = new float[labels.length][32];
    java.util.Random random = new java.util.Random(5);
    for (float[] row : z) {
      for (int j = 0; j < row.length; j++) {
        row[j] = (float) random.nextGaussian();
      }
    }
    Images images;
    try (Generator g = Generator.load(model)) {
      images = g.generate(z, labels);
    }
    assertEquals(labels.length, images.count());
    float[] expected = runGenerator(z, labels);
    int size = 64 * 64 * 3;
    double worst = 0;
    for (int i = 0; i < labels.length; i++) {
      float[] got = images.pixels(i);
      for (int k = 0; k < size; k++) {
        worst = Math.max(worst, Math.abs(got[k] - expected[i * size + k]));
      }
    }
    // The same TensorFlow kernels on the same float32 weights and inputs, in two graphs: equal up to
    // the order of float32 sums a kernel may pick, far below 1e-5 for outputs in [-1, 1].
    assertTrue(worst <= 1e-5, "largest difference from the run's generator: " + worst);
  }

  @Test
  void aLabelIsUsedAndASeedGivesTheLatentsItNames() {
    try (Generator g = Generator.load(model)) {
      float[][] z = g.latents(3, 11);
      assertEquals(3, z.length);
      assertFalse(java.util.Arrays.equals(z[0], z[1]), "three different latent vectors");
      assertArrayEquals(z[2], g.latents(3, 11)[2], "the same seed, the same latents");
      Images sevens = g.generate(3, 11, 7);
      Images twos = g.generate(3, 11, 2);
      assertArrayEquals(g.generate(z, new int[] {7, 7, 7}).pixels(1), sevens.pixels(1));
      assertFalse(java.util.Arrays.equals(sevens.pixels(1), twos.pixels(1)), "the label changes the image");
      // Unlabelled calls cycle through the classes, as the generate command does.
      assertArrayEquals(g.generate(z, new int[] {0, 1, 2}).pixels(2), g.generate(3, 11).pixels(2));
    }
  }

  @Test
  void sameImagesAsTheGenerateCommandForTheSameSeed() throws Exception {
    Path out = dir.resolve("cli.png");
    cli("generate", "--model", model.toString(), "--count", "4", "--seed", "3", "--separate", "--out", out.toString());
    try (Generator g = Generator.load(model)) {
      Images images = g.generate(4, 3);
      for (int i = 0; i < 4; i++) {
        BufferedImage png = ImageIO.read(dir.resolve(String.format("cli_%04d.png", i + 1)).toFile());
        int zoom = (png.getWidth() - 4) / 64; // one image per file, zoomed, a 2-pixel frame
        int[] bytes = images.bytes(i);
        for (int y = 0; y < 64; y += 9) {
          for (int x = 0; x < 64; x += 7) {
            int rgb = png.getRGB(2 + x * zoom, 2 + y * zoom);
            int at = (y * 64 + x) * 3;
            assertEquals(bytes[at], (rgb >> 16) & 0xFF, "image " + i + " red at " + y + "," + x);
            assertEquals(bytes[at + 2], rgb & 0xFF, "image " + i + " blue at " + y + "," + x);
          }
        }
      }
    }
  }

  @Test
  void pngsHaveTheImagesSizeAndGridsHoldThemAll() throws Exception {
    try (Generator g = Generator.load(model)) {
      Images images = g.generate(5, 1);
      Path one = dir.resolve("one.png");
      images.writePng(4, one);
      BufferedImage png = ImageIO.read(one.toFile());
      assertEquals(64, png.getWidth());
      assertEquals(64, png.getHeight());
      int[] bytes = images.bytes(4);
      assertEquals(bytes[(10 * 64 + 20) * 3 + 1], (png.getRGB(20, 10) >> 8) & 0xFF);
      BufferedImage grid = images.grid(); // 5 images: 2 rows of 3
      assertTrue(grid.getWidth() > grid.getHeight(), grid.getWidth() + "x" + grid.getHeight());
    }
  }

  /** The committed model, judged through the API and through the evaluate command: the same report. */
  @Test
  void evaluateGivesTheEvaluateCommandsReport() throws Exception {
    Path json = dir.resolve("evaluation.json");
    cli("evaluate", "--model", "savedmodels/dcgan-mnist", "--count", "200", "--seed", "4", "--out", json.toString());
    com.google.gson.JsonObject expected = com.google.gson.JsonParser.parseString(Files.readString(json))
        .getAsJsonObject().getAsJsonObject("samples");
    try (Generator g = Generator.load(Path.of("savedmodels/dcgan-mnist"))) {
      io.jgan.eval.QualityMetrics got = g.evaluate(io.jgan.data.RealData.DIR, 200, 4).samples();
      assertEquals(200, got.count());
      assertEquals(expected.get("classifierScore").getAsDouble(), got.classifierScore());
      assertEquals(expected.get("frechetDistance").getAsDouble(), got.frechetDistance());
      assertEquals(expected.get("kid").getAsDouble(), got.kid());
      assertTrue(got.classifierScore() >= 1 && got.classifierScore() <= 10, "a classifier score of 10 classes");
    }
  }

  @Test
  void badInputsAreNamed() {
    Path nothing = dir.resolve("no-model");
    BadInputException missing = assertThrows(BadInputException.class, () -> Generator.load(nothing));
    assertTrue(missing.getMessage().startsWith(nothing + ": expected a SavedModel directory"), missing.getMessage());
    try (Generator g = Generator.load(model)) {
      IllegalArgumentException shortRow = assertThrows(IllegalArgumentException.class,
          () -> g.generate(new float[][] {new float[32], new float[3]}, new int[] {0, 0}));
      assertEquals("latents[1]: expected 32 values, got 3", shortRow.getMessage());
      IllegalArgumentException noLabels = assertThrows(IllegalArgumentException.class,
          () -> g.generate(new float[][] {new float[32]}));
      assertTrue(noLabels.getMessage().contains("is conditional with 10 classes: expected generate(latents, labels)"),
          noLabels.getMessage());
      RuntimeException badLabel = assertThrows(RuntimeException.class, () -> g.generate(2, 0, 10));
      assertTrue(badLabel.getMessage().contains("10"), badLabel.getMessage());
      assertThrows(IndexOutOfBoundsException.class, () -> g.generate(2, 0).pixels(2));
    }
  }

  /** G(z, y) of the run's latest checkpoint through the training code's inference graph, in [-1, 1]. */
  private static float[] runGenerator(float[][] z, int[] labels) throws Exception {
    RunDirectory runDir = new RunDirectory(run);
    TrainConfig config = TrainConfig.fromJson(Files.readString(runDir.config()), runDir.config().toString());
    float[] flat = new float[z.length * z[0].length];
    float[] oneHot = new float[labels.length * 10];
    for (int i = 0; i < z.length; i++) {
      System.arraycopy(z[i], 0, flat, i * z[i].length, z[i].length);
      oneHot[i * 10 + labels[i]] = 1;
    }
    try (InferenceGraph graph = new InferenceGraph(config.presetDefinition(), config.classes(), config.seed(), false);
         Session s = graph.openSession(1);
         TFloat32 zt = TFloat32.tensorOf(Shape.of(z.length, z[0].length), DataBuffers.of(flat, true, false));
         TFloat32 yt = TFloat32.tensorOf(Shape.of(labels.length, 10), DataBuffers.of(oneHot, true, false))) {
      graph.restore(s, runDir.checkpointManager(0).latest().orElseThrow());
      try (TFloat32 images = graph.inference().generate(s, zt, yt)) {
        float[] out = new float[(int) images.shape().size()];
        images.copyTo(DataBuffers.of(out, false, false));
        if (config.presetDefinition().pixelScale() != PixelScale.TANH) {
          for (int k = 0; k < out.length; k++) {
            out[k] = 2 * out[k] - 1;
          }
        }
        return out;
      }
    }
  }

  static void cli(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
    int status = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    assertEquals(0, status, String.join(" ", args) + ":\n" + out.toString(StandardCharsets.UTF_8)
        + err.toString(StandardCharsets.UTF_8));
  }
}

package io.jgan.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jgan.InvalidSettingException;
import io.jgan.PixelScale;
import io.jgan.data.ArraySource;
import io.jgan.data.ImageSet;
import io.jgan.gan.Gan;
import io.jgan.gan.Losses;
import io.jgan.gan.Plan;
import io.jgan.gan.Preset;
import io.jgan.gan.Steps;
import io.jgan.train.TinyGan;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.ndarray.Shape;

/**
 * {@code Training.data(Images)}: a program's labelled images train as the same values given as arrays
 * (pixels / 255 computed here, as numpy's {@code astype("float32") / 255.0}), with their labels, at the
 * run's batch size and seed; images that cannot be the GAN's data are refused before the run directory exists.
 */
class TrainingImagesTest {
  static final int COUNT = 10;
  static final int CLASSES = 3;

  @TempDir Path dir;

  /** A conditional 4x4x1 GAN whose data is in [0, 1]: 10 images, batches of 4 (3 steps an epoch), 2 epochs. */
  private static final Preset TINY = TinyGan.conditional();
  private static final Gan GAN = TINY.gan().toBuilder().pixelScale(PixelScale.UNIT)
      .step(Steps.alternating(Losses.nonSaturating())).build();
  private static final Plan PLAN = TINY.plan().toBuilder().epochs(2).evalEvery(0).build();

  /** Image i's pixel p is (37 i + 11 p) mod 256; its label is i mod 3. */
  private static ImageSet images(int height, int width) {
    byte[] pixels = new byte[COUNT * height * width];
    for (int i = 0; i < pixels.length; i++) {
      int image = i / (height * width);
      pixels[i] = (byte) ((37 * image + 11 * (i % (height * width))) % 256);
    }
    int[] labels = new int[COUNT];
    for (int i = 0; i < COUNT; i++) {
      labels[i] = i % CLASSES;
    }
    return new ImageSet("test-digits", COUNT, height, width, 1, pixels, labels, CLASSES);
  }

  private List<Map<String, Double>> metrics(Training.Builder run, String name) {
    List<Map<String, Double>> seen = new ArrayList<>();
    run.runDir(dir.resolve(name)).out(new PrintStream(OutputStream.nullOutputStream()))
        .callback(new Callback() {
          @Override
          public void onStep(RunState state, long globalStep, Map<String, Double> metrics) {
            seen.add(Map.copyOf(metrics));
          }
        })
        .train();
    return seen;
  }

  @Test
  void imagesTrainAsTheirPixelsOver255WithTheirLabels() {
    ImageSet set = images(4, 4);
    float[] unit = new float[set.pixels().length];
    for (int i = 0; i < unit.length; i++) {
      unit[i] = (set.pixels()[i] & 0xff) / 255f;
    }
    List<Map<String, Double>> fromImages = metrics(Training.of(GAN, PLAN).data(set), "images");
    List<Map<String, Double>> fromArrays = metrics(Training.of(GAN, PLAN)
        .data(ArraySource.flat(unit, Shape.of(4, 4, 1)).labels(set.labels(), CLASSES)), "arrays");
    assertEquals(2 * 3, fromImages.size(), "2 epochs of ceil(10 / 4) steps");
    assertEquals(fromArrays, fromImages);

    // The labels reach the networks: other labels, other losses.
    int[] shifted = new int[COUNT];
    for (int i = 0; i < COUNT; i++) {
      shifted[i] = (set.labels()[i] + 1) % CLASSES;
    }
    List<Map<String, Double>> otherLabels = metrics(Training.of(GAN, PLAN)
        .data(ArraySource.flat(unit, Shape.of(4, 4, 1)).labels(shifted, CLASSES)), "other-labels");
    assertNotEquals(fromImages.get(0), otherLabels.get(0));
  }

  @Test
  void refusesImagesOfAnotherShapeOrWithoutLabelsForAConditionalGan() {
    Path runDir = dir.resolve("refused");
    InvalidSettingException shape = assertThrows(InvalidSettingException.class,
        () -> Training.of(GAN, PLAN).data(images(5, 4)).runDir(runDir).train());
    assertTrue(shape.getMessage().contains("test-digits: expected images of [4, 4, 1] (the image shape of tiny), got 5x4x1"),
        shape.getMessage());
    InvalidSettingException labels = assertThrows(InvalidSettingException.class,
        () -> Training.of(GAN, PLAN).data(images(4, 4).withLabels(null, 0)).runDir(runDir).train());
    assertTrue(labels.getMessage().contains("tiny is class-conditional: expected labelled images, got unlabelled ones"),
        labels.getMessage());
    assertFalse(Files.exists(runDir), "the run directory was created");
  }
}

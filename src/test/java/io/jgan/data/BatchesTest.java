package io.jgan.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.jgan.PixelScale;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;

/**
 * Batches as the train step gets them: each the images of its slice of the epoch's shuffled order,
 * scaled as the tutorial scales pixels, with one-hot labels for a conditional run; the last batch
 * of an epoch is short. No TensorFlow session: the tensors are read back directly.
 */
class BatchesTest {
  /** Seven 1x2 RGB images, labelled image % 3; pixel bytes distinct per image. */
  private static ImageSet labelled() {
    byte[] pixels = new byte[7 * 2 * 3];
    for (int i = 0; i < pixels.length; i++) {
      pixels[i] = (byte) (i * 6);
    }
    int[] labels = new int[7];
    Arrays.setAll(labels, i -> i % 3);
    return new ImageSet("seven", 7, 1, 2, 3, pixels, labels, 3);
  }

  private static float[] read(TFloat32 t) {
    float[] out = new float[(int) t.shape().size()];
    t.copyTo(DataBuffers.of(out, false, false));
    return out;
  }

  @Test
  void eachBatchHoldsItsSliceOfTheShuffledOrderScaledWithOneHotLabels() {
    ImageSet images = labelled();
    Batches batches = new Batches(images, PixelScale.TANH, 3, 11, 3);
    assertEquals(3, batches.stepsPerEpoch(), "ceil(7 / 3)");
    int[] order = batches.order(2);
    assertArrayEquals(new int[] {0, 1, 2, 3, 4, 5, 6}, Arrays.stream(order.clone()).sorted().toArray(), "a permutation");
    for (int step = 0; step < 3; step++) {
      try (Batch batch = batches.batch(2, step)) {
        int size = step < 2 ? 3 : 1; // the last batch holds what is left
        assertArrayEquals(new long[] {size, 1, 2, 3}, batch.images().shape().asArray());
        assertArrayEquals(new long[] {size, 3}, batch.labels().shape().asArray());
        float[] values = read((TFloat32) batch.images());
        float[] labels = read((TFloat32) batch.labels());
        for (int k = 0; k < size; k++) {
          int image = order[step * 3 + k];
          for (int p = 0; p < 6; p++) {
            int pixel = (image * 6 + p) * 6 & 0xFF;
            assertEquals((pixel - 127.5f) / 127.5f, values[k * 6 + p], 1e-7f, "step " + step + ", image " + image);
          }
          float[] oneHot = new float[3];
          oneHot[image % 3] = 1;
          assertArrayEquals(oneHot, Arrays.copyOfRange(labels, k * 3, k * 3 + 3), "label of image " + image);
        }
      }
    }
    assertEquals("expected a step in [0, 3), got 3",
        assertThrows(IllegalArgumentException.class, () -> batches.batch(2, 3)).getMessage());
    assertEquals("expected a step in [0, 3), got -1",
        assertThrows(IllegalArgumentException.class, () -> batches.batch(2, -1)).getMessage());
  }

  @Test
  void theOrderIsKeyedOnSeedAndEpoch() {
    Batches a = new Batches(labelled(), PixelScale.UNIT, 7, 11);
    int[] epoch0 = a.order(0).clone();
    assertNotEquals(Arrays.toString(epoch0), Arrays.toString(a.order(1)), "another epoch, another order");
    assertArrayEquals(epoch0, a.order(0), "the same epoch again");
    assertArrayEquals(epoch0, new Batches(labelled(), PixelScale.UNIT, 2, 11).order(0), "the batch size plays no part");
    assertNotEquals(Arrays.toString(epoch0), Arrays.toString(new Batches(labelled(), PixelScale.UNIT, 7, 12).order(0)));
    try (Batch one = a.batch(0, 0)) {
      assertEquals(1, a.stepsPerEpoch());
      assertNull(one.labels(), "unconditional batches carry no labels");
      assertEquals(((labelled().pixel(epoch0[0], 0, 0, 0)) / 255f), read((TFloat32) one.images())[0], 1e-7f);
    }
  }

  @Test
  void aBatchSizeThatDividesTheCountGivesFullBatches() {
    byte[] pixels = new byte[8];
    assertEquals(2, new Batches(new ImageSet("eight", 8, 1, 1, 1, pixels, null, 0), PixelScale.TANH, 4, 1).stepsPerEpoch());
    assertEquals(8, new Batches(new ImageSet("eight", 8, 1, 1, 1, pixels, null, 0), PixelScale.TANH, 1, 1).stepsPerEpoch());
  }

  @Test
  void impossibleBatchesAreRefused() {
    ImageSet unlabelled = new ImageSet("two", 2, 1, 1, 1, new byte[2], null, 0);
    assertEquals("expected a positive batch size, got 0",
        assertThrows(IllegalArgumentException.class, () -> new Batches(unlabelled, PixelScale.TANH, 0, 1)).getMessage());
    assertEquals("two: expected labels of 3 classes, got none",
        assertThrows(IllegalArgumentException.class, () -> new Batches(unlabelled, PixelScale.TANH, 1, 1, 3)).getMessage());
    ImageSet twoClasses = unlabelled.withLabels(new int[] {0, 1}, 2);
    assertEquals("two: expected labels of 3 classes, got 2 classes",
        assertThrows(IllegalArgumentException.class, () -> new Batches(twoClasses, PixelScale.TANH, 1, 1, 3)).getMessage());
  }
}

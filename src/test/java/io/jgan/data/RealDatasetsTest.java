package io.jgan.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Loads the real MNIST and Fashion-MNIST files (fetched by {@code scripts/fetch-data.sh} if
 * missing) and checks facts published about them, not values this code produced: sizes, first
 * labels, class counts, and the mean pixel behind the usual normalisation constants (MNIST mean
 * 0.1307, Fashion-MNIST 0.2860, as fractions of 255).
 */
class RealDatasetsTest {

  /** Mean pixel of MNIST train: 0.13066047 * 255. */
  private static final double MNIST_TRAIN_MEAN = 33.31842;
  /** Mean pixel of Fashion-MNIST train: 0.28604060 * 255. */
  private static final double FASHION_TRAIN_MEAN = 72.94035;
  private static final double MEAN_TOLERANCE = 0.01;

  @BeforeAll
  static void fetch() {
    RealData.ensure(Dataset.MNIST, Dataset.FASHION_MNIST);
  }

  private static int[] firstLabels(ImageSet set, int n) {
    return Arrays.copyOf(set.labels(), n);
  }

  private static int[] classCounts(ImageSet set) {
    int[] counts = new int[set.numClasses()];
    for (int label : set.labels()) {
      counts[label]++;
    }
    return counts;
  }

  private static double meanPixel(ImageSet set) {
    long sum = 0;
    for (byte pixel : set.pixels()) {
      sum += pixel & 0xff;
    }
    return (double) sum / set.pixels().length;
  }

  private static void assertShape(ImageSet set, int count) {
    assertEquals(count, set.count());
    assertEquals(28, set.height());
    assertEquals(28, set.width());
    assertEquals(1, set.channels());
    assertEquals(10, set.numClasses());
  }

  @Test
  void loadsMnistTrain() {
    ImageSet train = Dataset.MNIST.load(RealData.DIR, true);
    assertShape(train, 60_000);
    assertArrayEquals(new int[] {5, 0, 4, 1, 9, 2, 1, 3}, firstLabels(train, 8));
    assertArrayEquals(
        new int[] {5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949},
        classCounts(train));
    assertEquals(MNIST_TRAIN_MEAN, meanPixel(train), MEAN_TOLERANCE);
  }

  @Test
  void loadsFashionMnistTrain() {
    ImageSet train = Dataset.FASHION_MNIST.load(RealData.DIR, true);
    assertShape(train, 60_000);
    assertArrayEquals(new int[] {9, 0, 0, 3, 0, 2, 7, 2}, firstLabels(train, 8));
    int[] sixThousandEach = new int[10];
    Arrays.fill(sixThousandEach, 6000);
    assertArrayEquals(sixThousandEach, classCounts(train));
    assertEquals(FASHION_TRAIN_MEAN, meanPixel(train), MEAN_TOLERANCE);
  }

  @Test
  void loadsBothTestSplits() {
    ImageSet mnist = Dataset.MNIST.load(RealData.DIR, false);
    assertShape(mnist, 10_000);
    assertArrayEquals(new int[] {7, 2, 1, 0, 4, 1, 4, 9}, firstLabels(mnist, 8));
    ImageSet fashion = Dataset.FASHION_MNIST.load(RealData.DIR, false);
    assertShape(fashion, 10_000);
    assertArrayEquals(new int[] {9, 2, 1, 1, 6, 1, 4, 6}, firstLabels(fashion, 8));
  }
}

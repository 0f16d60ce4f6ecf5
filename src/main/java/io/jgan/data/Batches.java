package io.jgan.data;

import io.jgan.PixelScale;
import java.util.SplittableRandom;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;

/**
 * Cuts an image set into shuffled batches, epoch by epoch, as
 * {@code tf.data.Dataset.from_tensor_slices(x).shuffle(len(x)).batch(b)} does: every epoch visits
 * every example once in a fresh uniform order, and the last batch keeps the remainder
 * (60,000 / 256 gives 234 batches of 256 and one of 96).
 *
 * <p>An epoch's order is a permutation keyed on (seed, epoch), so batch {@code k} of epoch
 * {@code e} is the same whether the run went straight through or was resumed there.
 */
public final class Batches {
  private final ImageSet images;
  private final PixelScale scale;
  private final int batchSize;
  private final long seed;
  private final int classes;
  private long cachedEpoch = -1;
  private int[] cachedOrder;

  /** Unlabelled batches. */
  public Batches(ImageSet images, PixelScale scale, int batchSize, long seed) {
    this(images, scale, batchSize, seed, 0);
  }

  /**
   * @param classes when positive, each batch also carries the images' labels one-hot [b, classes]
   */
  public Batches(ImageSet images, PixelScale scale, int batchSize, long seed, int classes) {
    if (batchSize <= 0) {
      throw new IllegalArgumentException("expected a positive batch size, got " + batchSize);
    }
    if (images.count() == 0) {
      throw new IllegalArgumentException(images.name() + ": expected at least one image, got none");
    }
    if (classes > 0 && (images.labels() == null || images.numClasses() != classes)) {
      throw new IllegalArgumentException(images.name() + ": expected labels of " + classes + " classes, got "
          + (images.labels() == null ? "none" : images.numClasses() + " classes"));
    }
    this.images = images;
    this.scale = scale;
    this.batchSize = batchSize;
    this.seed = seed;
    this.classes = classes;
  }

  /** Batches in a full epoch: ceil(count / batchSize). */
  public int stepsPerEpoch() {
    return (images.count() + batchSize - 1) / batchSize;
  }

  public ImageSet images() {
    return images;
  }

  /** The images of batch {@code step} of epoch {@code epoch}, scaled: [b, h, w, c], with one-hot labels if labelled. */
  public Batch batch(long epoch, int step) {
    if (step < 0 || step >= stepsPerEpoch()) {
      throw new IllegalArgumentException("expected a step in [0, " + stepsPerEpoch() + "), got " + step);
    }
    int[] order = order(epoch);
    int from = step * batchSize;
    int to = Math.min(from + batchSize, images.count());
    int size = images.imageSize();
    float[] values = new float[(to - from) * size];
    byte[] pixels = images.pixels();
    for (int i = from; i < to; i++) {
      int src = order[i] * size;
      int dst = (i - from) * size;
      for (int p = 0; p < size; p++) {
        values[dst + p] = scale.toInput(pixels[src + p] & 0xFF);
      }
    }
    Shape shape = Shape.of(to - from, images.height(), images.width(), images.channels());
    TFloat32 labels = null;
    if (classes > 0) {
      float[] oneHot = new float[(to - from) * classes];
      for (int i = from; i < to; i++) {
        oneHot[(i - from) * classes + images.labels()[order[i]]] = 1f;
      }
      labels = TFloat32.tensorOf(Shape.of(to - from, classes), DataBuffers.of(oneHot, true, false));
    }
    return new Batch(TFloat32.tensorOf(shape, DataBuffers.of(values, true, false)), labels);
  }

  /** The visiting order of an epoch: a Fisher-Yates permutation keyed on (seed, epoch). */
  public int[] order(long epoch) {
    if (epoch != cachedEpoch) {
      cachedOrder = permutation(images.count(), seed, epoch);
      cachedEpoch = epoch;
    }
    return cachedOrder;
  }

  static int[] permutation(int n, long seed, long epoch) {
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    SplittableRandom random = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + epoch);
    for (int i = n - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int t = order[i];
      order[i] = order[j];
      order[j] = t;
    }
    return order;
  }
}

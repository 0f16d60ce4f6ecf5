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
 * {@code e} is the same whether the run went straight through or was resumed there, and whether
 * the images are held in memory or read from a cache on disk ({@link Images#read}).
 *
 * <p>Not thread-safe (an epoch's order is kept for the next batch): one thread asks at a time,
 * as {@link Prefetcher}'s single worker does.
 *
 * <pre>{@code
 * ImageSet train = Dataset.MNIST.load(Path.of("data"), true);
 * Batches batches = new Batches(train, PixelScale.TANH, 256, 42);   // shuffled on seed 42 each epoch
 * Batch first = batches.batch(0, 0);
 * }</pre>
 */
public final class Batches implements BatchSource {
  private final Images images;
  private final PixelScale scale;
  /** {@code scale.toInput(v)} for every byte value v: the same floats, looked up. */
  private final float[] inputs = new float[256];
  private final int batchSize;
  private final long seed;
  private final int classes;
  private long cachedEpoch = -1;
  private int[] cachedOrder;

  /** Unlabelled batches. */
  public Batches(Images images, PixelScale scale, int batchSize, long seed) {
    this(images, scale, batchSize, seed, 0);
  }

  /**
   * @param classes when positive, each batch also carries the images' labels one-hot [b, classes]
   */
  public Batches(Images images, PixelScale scale, int batchSize, long seed, int classes) {
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
    for (int v = 0; v < inputs.length; v++) {
      inputs[v] = scale.toInput(v);
    }
  }

  /** Batches in a full epoch: ceil(count / batchSize). */
  @Override
  public int stepsPerEpoch() {
    return (images.count() + batchSize - 1) / batchSize;
  }

  public Images images() {
    return images;
  }

  /** The classes of the one-hot labels each batch carries; 0 when it carries none. */
  @Override
  public int classes() {
    return classes;
  }

  @Override
  public String describe() {
    return String.format(java.util.Locale.ROOT, "%s, %d images of %dx%dx%d%s, batches of %d shuffled on seed %d",
        images.name(), images.count(), images.height(), images.width(), images.channels(),
        classes > 0 ? ", " + classes + " classes" : "", batchSize, seed);
  }

  /** The images of batch {@code step} of epoch {@code epoch}, scaled: [b, h, w, c], with one-hot labels if labelled. */
  @Override
  public Batch batch(long epoch, int step) {
    if (step < 0 || step >= stepsPerEpoch()) {
      throw new IllegalArgumentException("expected a step in [0, " + stepsPerEpoch() + "), got " + step);
    }
    int[] order = order(epoch);
    int from = step * batchSize;
    int to = Math.min(from + batchSize, images.count());
    int size = images.imageSize();
    byte[] pixels = new byte[size];
    float[] values = new float[size];
    // Image by image into the tensor: no array of the whole batch besides the tensor itself.
    TFloat32 batch = TFloat32.tensorOf(Shape.of(to - from, images.height(), images.width(), images.channels()));
    TFloat32 labels = null;
    try {
      for (int i = from; i < to; i++) {
        images.read(order[i], pixels, 0);
        for (int p = 0; p < size; p++) {
          values[p] = inputs[pixels[p] & 0xFF];
        }
        batch.get(i - from).copyFrom(DataBuffers.of(values, true, false));
      }
      if (classes > 0) {
        float[] oneHot = new float[(to - from) * classes];
        for (int i = from; i < to; i++) {
          oneHot[(i - from) * classes + images.label(order[i])] = 1f;
        }
        labels = TFloat32.tensorOf(Shape.of(to - from, classes), DataBuffers.of(oneHot, true, false));
      }
    } catch (RuntimeException e) {
      batch.close();
      throw e;
    }
    return new Batch(batch, labels);
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

package io.jgan.data;

import java.util.Objects;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.ndarray.buffer.FloatDataBuffer;
import org.tensorflow.types.TFloat32;

/**
 * Your own data, held in memory, as shuffled batches: {@code count} examples of one shape
 * (vectors, images, sequences: any fixed shape), optionally with an integer class label each.
 * It is {@code tf.data.Dataset.from_tensor_slices((x, y)).shuffle(len(x)).batch(b)} on the JVM:
 * every epoch visits every example once in a fresh order, the last batch keeps the remainder
 * (1,000 examples in batches of 64 give 15 batches of 64 and one of 40).
 *
 * <p>An epoch's order is the permutation {@link Batches} uses for images, keyed on (seed, epoch),
 * so batch {@code k} of epoch {@code e} is the same whether the run went straight through or was
 * resumed there. Values are fed as given, in float32 (no pixel scaling: scale them yourself, e.g. to
 * [-1, 1] for a tanh generator); labels become one-hot rows [b, classes] in float32, as
 * {@link Batches} gives them to conditional models.
 *
 * <pre>{@code
 * float[][] points = ...;                              // 1,000 points of 2 coordinates
 * BatchSource data = ArraySource.rows(points)          // examples of shape [2]
 *     .batchSize(64)
 *     .seed(42)
 *     .build();
 *
 * BatchSource digits = ArraySource.flat(pixels, Shape.of(28, 28, 1))   // pixels.length = n * 784
 *     .labels(classes, 10)                                              // one-hot [b, 10]
 *     .batchSize(128)
 *     .build();
 * try (Batch batch = digits.batch(epoch, step)) {
 *   // batch.images(): [128, 28, 28, 1]; batch.labels(): [128, 10]
 * }
 * }</pre>
 *
 * <p>Thread-safe: any number of threads may ask for batches (an epoch's order is computed once
 * and shared).
 */
public final class ArraySource implements BatchSource {
  /** Examples per batch unless set: Keras's {@code Model.fit} default. */
  public static final int BATCH_SIZE_DEFAULT = 32;
  /** The shuffle seed unless set. */
  public static final long SEED_DEFAULT = 0;

  private final float[] values;
  private final Shape exampleShape;
  private final int exampleSize;
  private final int count;
  private final int[] labels;
  private final int classes;
  private final int batchSize;
  private final long seed;
  private volatile EpochOrder cached;

  /** One epoch's visiting order, cached whole so that threads never see a half-updated pair. */
  private record EpochOrder(long epoch, int[] order) {}

  private ArraySource(Builder b) {
    this.values = b.values;
    this.exampleShape = b.exampleShape;
    this.exampleSize = b.exampleSize;
    this.count = b.count;
    this.labels = b.labels;
    this.classes = b.classes;
    this.batchSize = b.batchSize;
    this.seed = b.seed;
  }

  /**
   * Examples given as rows, each of shape [d] (every row the same length d). The rows are copied.
   *
   * @param rows {@code n >= 1} rows of {@code d >= 1} finite values
   * @return a builder of batches of shape [b, d]
   */
  public static Builder rows(float[][] rows) {
    Objects.requireNonNull(rows, "rows");
    if (rows.length == 0 || rows[0] == null || rows[0].length == 0) {
      throw new IllegalArgumentException("ArraySource: expected at least one row of at least one value, got "
          + (rows.length == 0 ? "no rows" : rows[0] == null ? "null for row 0" : "an empty row 0"));
    }
    return rows(rows, Shape.of(rows[0].length));
  }

  /**
   * Examples given as rows, each holding one example of {@code exampleShape} in row-major order
   * (a 28 x 28 x 1 image as 784 values). The rows are copied.
   *
   * @param rows {@code n >= 1} rows of {@code exampleShape.size()} finite values each
   * @param exampleShape the shape of one example, every dimension known and positive
   * @return a builder of batches of shape [b, ...exampleShape]
   */
  public static Builder rows(float[][] rows, Shape exampleShape) {
    Objects.requireNonNull(rows, "rows");
    int size = checkShape(exampleShape);
    if (rows.length == 0) {
      throw new IllegalArgumentException("ArraySource: expected at least one row, got none");
    }
    long total = (long) rows.length * size;
    if (total > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException("ArraySource: expected at most " + (Integer.MAX_VALUE - 8)
          + " values in all (one Java array holds them), got " + rows.length + " rows of " + size);
    }
    float[] flat = new float[(int) total];
    for (int i = 0; i < rows.length; i++) {
      if (rows[i] == null || rows[i].length != size) {
        throw new IllegalArgumentException("ArraySource: expected rows of " + size + " values (an example of shape "
            + exampleShape + "), got " + (rows[i] == null ? "null" : rows[i].length + " values") + " in row " + i);
      }
      System.arraycopy(rows[i], 0, flat, i * size, size);
    }
    return new Builder(flat, exampleShape, size);
  }

  /**
   * Examples given as one array, example after example, each of {@code exampleShape} in row-major
   * order. The array is shared, not copied (it may be most of the heap): do not modify it while
   * the source is in use.
   *
   * @param values {@code n * exampleShape.size()} finite values, {@code n >= 1}
   * @param exampleShape the shape of one example, every dimension known and positive
   * @return a builder of batches of shape [b, ...exampleShape]
   */
  public static Builder flat(float[] values, Shape exampleShape) {
    Objects.requireNonNull(values, "values");
    int size = checkShape(exampleShape);
    if (values.length == 0 || values.length % size != 0) {
      throw new IllegalArgumentException("ArraySource: expected a positive multiple of " + size
          + " values (examples of shape " + exampleShape + "), got " + values.length);
    }
    return new Builder(values, exampleShape, size);
  }

  private static int checkShape(Shape exampleShape) {
    Objects.requireNonNull(exampleShape, "exampleShape");
    if (exampleShape.isUnknown() || exampleShape.hasUnknownDimension()) {
      throw new IllegalArgumentException("ArraySource: expected an example shape with every dimension known, got "
          + exampleShape);
    }
    for (long d : exampleShape.asArray()) {
      if (d <= 0) {
        throw new IllegalArgumentException("ArraySource: expected an example shape of positive dimensions, got "
            + exampleShape);
      }
    }
    if (exampleShape.size() > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException("ArraySource: expected an example of at most " + (Integer.MAX_VALUE - 8)
          + " values, got " + exampleShape.size() + " (" + exampleShape + ")");
    }
    return (int) exampleShape.size();
  }

  /**
   * The rest of an {@link ArraySource}: labels, batch size and seed, each checked as it is given.
   *
   * <pre>{@code
   * ArraySource source = ArraySource.rows(points).labels(classes, 3).batchSize(64).seed(7).build();
   * }</pre>
   */
  public static final class Builder {
    private final float[] values;
    private final Shape exampleShape;
    private final int exampleSize;
    private final int count;
    private int[] labels;
    private int classes;
    private int batchSize = BATCH_SIZE_DEFAULT;
    private long seed = SEED_DEFAULT;

    private Builder(float[] values, Shape exampleShape, int exampleSize) {
      for (int i = 0; i < values.length; i++) {
        if (!Float.isFinite(values[i])) {
          throw new IllegalArgumentException("ArraySource: expected finite values, got " + values[i] + " at value "
              + (i % exampleSize) + " of example " + (i / exampleSize));
        }
      }
      this.values = values;
      this.exampleShape = exampleShape;
      this.exampleSize = exampleSize;
      this.count = values.length / exampleSize;
    }

    /**
     * One class label per example; each batch then carries them one-hot, [b, classes]. The labels
     * are copied.
     *
     * @param labels one per example, each in [0, classes)
     * @param classes how many classes, positive
     * @return this builder
     */
    public Builder labels(int[] labels, int classes) {
      Objects.requireNonNull(labels, "labels");
      if (classes <= 0) {
        throw new IllegalArgumentException("ArraySource: expected a positive number of classes, got " + classes);
      }
      if (labels.length != count) {
        throw new IllegalArgumentException("ArraySource: expected " + count + " labels (one per example), got "
            + labels.length);
      }
      for (int i = 0; i < labels.length; i++) {
        if (labels[i] < 0 || labels[i] >= classes) {
          throw new IllegalArgumentException("ArraySource: expected labels in [0, " + classes + "), got " + labels[i]
              + " for example " + i);
        }
      }
      this.labels = labels.clone();
      this.classes = classes;
      return this;
    }

    /**
     * Examples per batch; the last batch of an epoch keeps the remainder.
     *
     * @param batchSize positive (larger than the number of examples gives one batch of all of them)
     * @return this builder
     */
    public Builder batchSize(int batchSize) {
      if (batchSize <= 0) {
        throw new IllegalArgumentException("ArraySource: expected a positive batch size, got " + batchSize);
      }
      this.batchSize = batchSize;
      return this;
    }

    /**
     * The seed of the shuffles: with the epoch, it decides each epoch's order.
     *
     * @param seed any value
     * @return this builder
     */
    public Builder seed(long seed) {
      this.seed = seed;
      return this;
    }

    /**
     * The source.
     *
     * @return a source of the examples given, in batches as set
     */
    public ArraySource build() {
      return new ArraySource(this);
    }
  }

  /**
   * Batches in a full epoch.
   *
   * @return ceil(count / batchSize)
   */
  @Override
  public int stepsPerEpoch() {
    return (count + batchSize - 1) / batchSize;
  }

  /**
   * The examples of batch {@code step} of epoch {@code epoch}, in that epoch's order.
   *
   * @param epoch non-negative
   * @param step in [0, stepsPerEpoch())
   * @return [b, ...exampleShape] float32 values as given, with one-hot labels [b, classes] if labelled;
   *     the caller closes it
   */
  @Override
  public Batch batch(long epoch, int step) {
    if (epoch < 0) {
      throw new IllegalArgumentException("ArraySource: expected a non-negative epoch, got " + epoch);
    }
    if (step < 0 || step >= stepsPerEpoch()) {
      throw new IllegalArgumentException("ArraySource: expected a step in [0, " + stepsPerEpoch() + "), got " + step);
    }
    int[] order = orderOf(epoch);
    int from = step * batchSize;
    int to = Math.min(from + batchSize, count);
    long[] dims = new long[exampleShape.numDimensions() + 1];
    dims[0] = to - from;
    System.arraycopy(exampleShape.asArray(), 0, dims, 1, exampleShape.numDimensions());
    FloatDataBuffer all = DataBuffers.of(values, true, false);
    TFloat32 examples = TFloat32.tensorOf(Shape.of(dims));
    TFloat32 oneHot = null;
    try {
      // Example by example into the tensor: no copy of the batch besides the tensor itself.
      for (int i = from; i < to; i++) {
        examples.get(i - from).copyFrom(all.slice((long) order[i] * exampleSize, exampleSize));
      }
      if (labels != null) {
        float[] rows = new float[(to - from) * classes];
        for (int i = from; i < to; i++) {
          rows[(i - from) * classes + labels[order[i]]] = 1f;
        }
        oneHot = TFloat32.tensorOf(Shape.of(to - from, classes), DataBuffers.of(rows, true, false));
      }
    } catch (RuntimeException e) {
      examples.close();
      throw e;
    }
    return new Batch(examples, oneHot);
  }

  /**
   * The order in which epoch {@code epoch} visits the examples: batch {@code k} holds examples
   * {@code order[k * batchSize]}, ... of it.
   *
   * @param epoch non-negative
   * @return a permutation of [0, count), keyed on (seed, epoch) as {@link Batches} keys it; a copy
   */
  public int[] order(long epoch) {
    if (epoch < 0) {
      throw new IllegalArgumentException("ArraySource: expected a non-negative epoch, got " + epoch);
    }
    return orderOf(epoch).clone();
  }

  private int[] orderOf(long epoch) {
    EpochOrder c = cached;
    if (c == null || c.epoch() != epoch) {
      c = new EpochOrder(epoch, Batches.permutation(count, seed, epoch));
      cached = c;
    }
    return c.order();
  }

  /**
   * How many examples.
   *
   * @return the number of examples, at least 1
   */
  public int count() {
    return count;
  }

  /**
   * The shape of one example.
   *
   * @return every dimension of one example, without the batch dimension
   */
  public Shape exampleShape() {
    return exampleShape;
  }

  /**
   * How many classes the labels range over.
   *
   * @return the class count; 0 when unlabelled
   */
  public int classes() {
    return classes;
  }

  /**
   * Examples per full batch.
   *
   * @return the batch size
   */
  public int batchSize() {
    return batchSize;
  }

  /**
   * The seed of the shuffles.
   *
   * @return the seed
   */
  public long seed() {
    return seed;
  }

  @Override
  public String describe() {
    return String.format(java.util.Locale.ROOT, "%d examples of %s%s, batches of %d shuffled on seed %d", count(),
        exampleShape(), classes() > 0 ? ", " + classes() + " classes" : "", batchSize(), seed());
  }

  @Override
  public String toString() {
    return "ArraySource[" + count + " examples of " + exampleShape + (labels == null ? ", unlabelled" : ", " + classes
        + " classes") + ", batches of " + batchSize + ", seed " + seed + "]";
  }
}

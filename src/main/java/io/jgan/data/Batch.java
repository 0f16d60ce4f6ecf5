package io.jgan.data;

import org.tensorflow.types.family.TFloating;

/**
 * One batch of real examples, already scaled for the network: float32 when training, float64 when
 * the parity checks feed Python's batches to a float64 graph.
 *
 * <pre>{@code
 * try (Batch batch = source.batch(epoch, step)) {
 *   long n = batch.size();   // batch.images(): [n, 28, 28, 1]
 * }
 * }</pre>
 *
 * @param images the examples: [batch, height, width, channels] for images, [batch, ...shape] for
 *     any other examples ({@link ArraySource})
 * @param labels one-hot class labels [batch, classes] for conditional presets, else null
 */
public record Batch(TFloating images, TFloating labels) implements AutoCloseable {
  /**
   * How many examples the batch holds.
   *
   * @return the first dimension of {@code images}
   */
  public long size() {
    return images.shape().size(0);
  }

  @Override
  public void close() {
    images.close();
    if (labels != null) {
      labels.close();
    }
  }
}

package io.jgan.nn;

import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.family.TFloating;

/**
 * Keras {@code UpSampling2D(size=(2, 2))} with its default {@code interpolation="nearest"}: each
 * pixel of an NHWC image becomes a block of rows x cols copies, [h, w, c] to [h * rows, w * cols, c].
 *
 * <pre>{@code
 * Functional.Node up = f.apply(new UpSampling2D(), h);          // [8, 8, 64] -> [16, 16, 64]
 * Functional.Node wide = f.apply(new UpSampling2D().size(1, 3), h); // [8, 8, 64] -> [8, 24, 64]
 * }</pre>
 *
 * <p>Computed as Keras 3 computes nearest upsampling, not with {@code ResizeNearestNeighbor} but
 * with {@code ops.repeat} along the height, then along the width ({@code tf.repeat}: ExpandDims,
 * Tile, Reshape). Besides being Keras's ops, this matters for WGAN-GP and R1 penalties: the
 * gradient of ResizeNearestNeighbor ({@code ResizeNearestNeighborGrad}) has no gradient in
 * TensorFlow's C++ registry, so a critic using it could not be differentiated twice; Tile's
 * gradient (Reshape and Sum) can. Bilinear and the other interpolations are not offered.
 */
public final class UpSampling2D implements Layer {
  /** Keras's default size, (2, 2). */
  public static final int SIZE_DEFAULT = 2;

  private int rows = SIZE_DEFAULT;
  private int cols = SIZE_DEFAULT;
  private long[] inputDims;

  /**
   * Keras {@code size=(factor, factor)}; default 2.
   *
   * @param factor the height and width multiplier
   * @return this layer
   */
  public UpSampling2D size(int factor) {
    return size(factor, factor);
  }

  /**
   * Keras {@code size=(rows, cols)}.
   *
   * @param rows the height multiplier
   * @param cols the width multiplier
   * @return this layer
   */
  public UpSampling2D size(int rows, int cols) {
    if (inputDims != null) {
      throw new IllegalStateException("UpSampling2D is already built: configure it before building its network");
    }
    KernelLayer.requirePositive("row factor", rows);
    KernelLayer.requirePositive("column factor", cols);
    this.rows = rows;
    this.cols = cols;
    return this;
  }

  @Override
  public String kind() {
    return "UpSampling2D";
  }

  @Override
  public Shape build(Shape in, WeightFactory.LayerScope weights) {
    if (in.numDimensions() != 3) {
      throw new IllegalArgumentException("UpSampling2D expected an image input [height, width, channels], got " + in);
    }
    inputDims = in.asArray();
    return Shape.of(in.get(0) * rows, in.get(1) * cols, in.get(2));
  }

  @Override
  public <T extends TFloating> Operand<T> call(Ops tf, Operand<T> x, CallContext ctx) {
    long[] dims = inputDims.clone();
    Operand<T> y = repeat(tf, x, rows, 1, dims); // [b, h * rows, w, c]
    return repeat(tf, y, cols, 2, dims);         // [b, h * rows, w * cols, c]
  }

  /** {@code tf.repeat(x, times, axis)} for a scalar {@code times}; updates {@code dims} (without the batch). */
  private static <T extends TFloating> Operand<T> repeat(Ops tf, Operand<T> x, int times, int axis, long[] dims) {
    Operand<T> expanded = tf.expandDims(x, tf.constant(axis + 1)); // a new axis of 1 after `axis`
    int[] multiples = {1, 1, 1, 1, 1};
    multiples[axis + 1] = times;
    Operand<T> tiled = tf.tile(expanded, tf.constant(multiples));
    dims[axis - 1] *= times;
    return tf.reshape(tiled, tf.constant(new long[] {-1, dims[0], dims[1], dims[2]}));
  }

  @Override
  public String describe() {
    return "size=(" + rows + ", " + cols + ")";
  }
}

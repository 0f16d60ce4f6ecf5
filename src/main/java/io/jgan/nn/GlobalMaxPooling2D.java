package io.jgan.nn;

import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Max;
import org.tensorflow.types.family.TFloating;

/**
 * Keras {@code GlobalMaxPooling2D()}: the largest value of each channel over the height and width
 * of an NHWC image, [h, w, c] to [c] ({@code reduce_max} over axes 1 and 2); with
 * {@link #keepDims()} (Keras {@code keepdims=True}) to [1, 1, c]. Its gradient goes to the maximum
 * (split equally between tied maxima, as TensorFlow's gradient of {@code Max}). keras-io's
 * conditional GAN discriminator ends in it before its {@code Dense(1)}.
 *
 * <pre>{@code
 * Functional.Node pooled = f.apply(new GlobalMaxPooling2D(), features); // [7, 7, 128] -> [128]
 * }</pre>
 */
public final class GlobalMaxPooling2D implements Layer {
  private boolean keepDims;
  private boolean built;

  /**
   * Keras {@code keepdims=True}: the output keeps the pooled axes, [1, 1, c]; default [c].
   *
   * @return this layer
   */
  public GlobalMaxPooling2D keepDims() {
    if (built) {
      throw new IllegalStateException("GlobalMaxPooling2D is already built: configure it before building its network");
    }
    keepDims = true;
    return this;
  }

  @Override
  public String kind() {
    return "GlobalMaxPooling2D";
  }

  @Override
  public Shape build(Shape in, WeightFactory.LayerScope weights) {
    if (in.numDimensions() != 3) {
      throw new IllegalArgumentException("GlobalMaxPooling2D expected an image input [height, width, channels], got " + in);
    }
    built = true;
    return keepDims ? Shape.of(1, 1, in.get(2)) : Shape.of(in.get(2));
  }

  @Override
  public <T extends TFloating> Operand<T> call(Ops tf, Operand<T> x, CallContext ctx) {
    return tf.max(x, tf.constant(new int[] {1, 2}), Max.keepDims(keepDims));
  }

  @Override
  public String describe() {
    return keepDims ? "keepdims" : "";
  }
}

package io.jgan.nn;

import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.family.TFloating;

/**
 * Keras {@code Flatten()}: [batch, d1, d2, ...] to [batch, d1 * d2 * ...] in row-major (NHWC) order.
 *
 * <pre>{@code
 * Sequential d = new Sequential("discriminator", Shape.of(28, 28, 1))
 *     .add(new Conv2d(64, 5).strides(2).padding(Padding.SAME)).add(new Flatten()).add(new Dense(1));   // [12544] -> [1]
 * }</pre>
 */
public final class Flatten implements Layer {
  private long size;

  @Override
  public String kind() {
    return "Flatten";
  }

  @Override
  public Shape build(Shape in, WeightFactory.LayerScope weights) {
    size = in.size();
    return Shape.of(size);
  }

  @Override
  public <T extends TFloating> Operand<T> call(Ops tf, Operand<T> x, CallContext ctx) {
    return tf.reshape(x, tf.constant(new long[] {-1, size}));
  }
}

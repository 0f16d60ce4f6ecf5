package io.jgan.nn;

import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.family.TFloating;

/**
 * Keras {@code Reshape(target_shape)}: [batch, ...] to [batch, target_shape...].
 *
 * <pre>{@code
 * Sequential g = new Sequential("generator", Shape.of(100))
 *     .add(new Dense(7 * 7 * 256)).add(new Reshape(7, 7, 256));   // [12544] -> [7, 7, 256]
 * }</pre>
 */
public final class Reshape implements Layer {
  private final long[] target;

  public Reshape(long... target) {
    for (long d : target) {
      if (d <= 0) {
        throw new IllegalArgumentException("expected positive target dimensions, got " + java.util.Arrays.toString(target));
      }
    }
    this.target = target.clone();
  }

  @Override
  public String kind() {
    return "Reshape";
  }

  @Override
  public Shape build(Shape in, WeightFactory.LayerScope weights) {
    Shape out = Shape.of(target);
    if (in.size() != out.size()) {
      throw new IllegalArgumentException("Reshape expected an input of " + out.size() + " elements for " + out + ", got " + in + " (" + in.size() + ")");
    }
    return out;
  }

  @Override
  public <T extends TFloating> Operand<T> call(Ops tf, Operand<T> x, CallContext ctx) {
    long[] withBatch = new long[target.length + 1];
    withBatch[0] = -1;
    System.arraycopy(target, 0, withBatch, 1, target.length);
    return tf.reshape(x, tf.constant(withBatch));
  }

  @Override
  public String describe() {
    return Shape.of(target).toString();
  }
}

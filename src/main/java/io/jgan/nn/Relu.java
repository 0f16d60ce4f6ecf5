package io.jgan.nn;

import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.family.TFloating;

/**
 * Keras {@code ReLU()}: max(x, 0).
 *
 * <pre>{@code
 * Sequential g = new Sequential("generator", Shape.of(100)).add(new Dense(128)).add(new Relu());
 * }</pre>
 */
public final class Relu implements Layer {
  @Override
  public String kind() {
    return "ReLU";
  }

  @Override
  public Shape build(Shape in, WeightFactory.LayerScope weights) {
    return in;
  }

  @Override
  public <T extends TFloating> Operand<T> call(Ops tf, Operand<T> x, CallContext ctx) {
    return tf.nn.relu(x);
  }
}

package io.jgan.nn;

import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.family.TFloating;

/**
 * Keras {@code Dense(units)}: {@code y = activation(x . kernel + bias)} with kernel [in, units] and
 * bias [units]. Takes a batch of vectors [batch, in]. {@code activation}, {@code noBias} and
 * {@code kernelInitializer} as in Keras, each named (see {@link KernelLayer}).
 *
 * <pre>{@code
 * Dense hidden = new Dense(256).activation(Activation.RELU);                          // [784] -> [256]
 * Dense logit = new Dense(1).kernelInitializer(Initializers.tf1XavierNormal());    // [256] -> [1]
 * }</pre>
 */
public final class Dense extends KernelLayer<Dense> {
  public Dense(int units) {
    super("number of units", units);
  }

  @Override
  public String kind() {
    return "Dense";
  }

  @Override
  public Shape build(Shape in, WeightFactory.LayerScope weights) {
    if (in.numDimensions() != 1) {
      throw new IllegalArgumentException("Dense expected a vector input [features], got " + in + "; add a Flatten first");
    }
    // Keras 3 Dense keeps its kernel as self._kernel (for LoRA), so checkpoints track "_kernel".
    createWeights(weights, "_kernel", Shape.of(in.size(0), outputs));
    return Shape.of(outputs);
  }

  @Override
  public <T extends TFloating> Operand<T> call(Ops tf, Operand<T> x, CallContext ctx) {
    return biasAndActivation(tf, tf.linalg.matMul(x, kernel(tf, ctx, x.type())), ctx);
  }

  @Override
  public String describe() {
    return "units=" + outputs + biasAndActivationDescription();
  }
}

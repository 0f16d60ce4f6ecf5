package io.jgan.nn;

import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Keras {@code Dense(units, activation, use_bias)}: {@code y = activation(x . kernel + bias)} with
 * kernel [in, units] and bias [units]. Takes a batch of vectors [batch, in].
 */
public final class Dense implements Layer {
  private final int units;
  private final Activation activation;
  private final boolean useBias;
  private final Initializer kernelInit;
  private Weight kernel;
  private Weight bias;

  public Dense(int units, Activation activation, boolean useBias, Initializer kernelInit) {
    if (units <= 0) {
      throw new IllegalArgumentException("expected a positive number of units, got " + units);
    }
    this.units = units;
    this.activation = activation;
    this.useBias = useBias;
    this.kernelInit = kernelInit;
  }

  /** Keras defaults: linear, with bias, glorot-uniform kernel. */
  public Dense(int units) {
    this(units, Activation.LINEAR, true, Initializers.glorotUniform());
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
    kernel = weights.create("kernel", "_kernel", Shape.of(in.size(0), units), kernelInit, true);
    if (useBias) {
      bias = weights.create("bias", Shape.of(units), Initializers.zeros(), true);
    }
    return Shape.of(units);
  }

  @Override
  public Operand<TFloat32> call(Ops tf, Operand<TFloat32> x, CallContext ctx) {
    Operand<TFloat32> y = tf.linalg.matMul(x, kernel.variable());
    if (useBias) {
      y = tf.nn.biasAdd(y, bias.variable());
    }
    return activation.apply(tf, y);
  }

  @Override
  public List<Weight> weights() {
    List<Weight> list = new ArrayList<>();
    list.add(kernel);
    if (useBias) {
      list.add(bias);
    }
    return list;
  }

  @Override
  public String describe() {
    return "units=" + units + (useBias ? "" : ", no bias") + (activation == Activation.LINEAR ? "" : ", " + activation);
  }
}

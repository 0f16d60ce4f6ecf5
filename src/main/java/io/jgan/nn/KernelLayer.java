package io.jgan.nn;

import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.family.TFloating;

/**
 * What Keras's Dense, Conv2D and Conv2DTranspose share: a kernel, an optional zero-initialized
 * bias of one value per output unit or filter, and an activation after both:
 * {@code y = activation(op(x, kernel) + bias)}. Subclasses supply {@code op} and the kernel shape.
 */
abstract class KernelLayer implements Layer {
  /** Units (Dense) or filters (convolutions): the last dimension of the output and the bias size. */
  protected final int outputs;
  protected final boolean useBias;
  protected final Activation activation;
  private final Initializer kernelInit;
  protected Weight kernel;
  private Weight bias;

  KernelLayer(String outputsName, int outputs, boolean useBias, Activation activation, Initializer kernelInit) {
    requirePositive(outputsName, outputs);
    this.outputs = outputs;
    this.useBias = useBias;
    this.activation = activation;
    this.kernelInit = kernelInit;
  }

  static void requirePositive(String what, int value) {
    if (value <= 0) {
      throw new IllegalArgumentException("expected a positive " + what + ", got " + value);
    }
  }

  /**
   * Creates the kernel (tracked in checkpoints as {@code trackableName}: Keras 3 Dense and Conv2D
   * say {@code _kernel}, Conv2DTranspose {@code kernel}) and the bias.
   */
  protected void createWeights(WeightFactory.LayerScope weights, String trackableName, Shape kernelShape) {
    kernel = weights.create("kernel", trackableName, kernelShape, kernelInit, true);
    if (useBias) {
      bias = weights.create("bias", Shape.of(outputs), Initializers.zeros(), true);
    }
  }

  /** Adds the bias (if any) to {@code y = op(x, kernel)} and applies the activation. */
  protected <T extends TFloating> Operand<T> biasAndActivation(Ops tf, Operand<T> y) {
    Operand<T> out = useBias ? tf.nn.biasAdd(y, bias.as(y.type())) : y;
    return activation.apply(tf, out);
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

  /** ", no bias" and the activation, for {@link #describe()}. */
  protected String biasAndActivationDescription() {
    return (useBias ? "" : ", no bias") + (activation == Activation.LINEAR ? "" : ", " + activation);
  }
}

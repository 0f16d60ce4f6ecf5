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
 *
 * <p>Configured as Keras's keyword arguments are, each by name and with Keras's default
 * ({@code use_bias=True}, {@code activation=None}, {@code kernel_initializer="glorot_uniform"}):
 * {@code new Dense(784).activation(Activation.TANH)}, {@code new Conv2d(64, 4).noBias()}; the
 * configuration is fixed once the layer is built.
 *
 * @param <L> the concrete layer, so each setter returns it
 */
abstract class KernelLayer<L extends KernelLayer<L>> implements Layer {
  /** Units (Dense) or filters (convolutions): the last dimension of the output and the bias size. */
  protected final int outputs;
  protected boolean useBias = true;
  protected Activation activation = Activation.LINEAR;
  private Initializer kernelInit = Initializers.glorotUniform();
  protected Weight kernel;
  private Weight bias;

  KernelLayer(String outputsName, int outputs) {
    requirePositive(outputsName, outputs);
    this.outputs = outputs;
  }

  /** The activation after the bias (Keras {@code activation=}); default linear. */
  public L activation(Activation a) {
    requireNotBuilt();
    activation = java.util.Objects.requireNonNull(a);
    return self();
  }

  /** No bias (Keras {@code use_bias=False}). */
  public L noBias() {
    requireNotBuilt();
    useBias = false;
    return self();
  }

  /** The kernel's initializer (Keras {@code kernel_initializer=}); default glorot-uniform. */
  public L kernelInitializer(Initializer init) {
    requireNotBuilt();
    kernelInit = java.util.Objects.requireNonNull(init);
    return self();
  }

  @SuppressWarnings("unchecked")
  private L self() {
    return (L) this;
  }

  protected void requireNotBuilt() {
    if (kernel != null) {
      throw new IllegalStateException(kind() + " is already built: configure it before adding it to a network's build");
    }
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

  /** The pass's read of the kernel, in the input's type. */
  protected <T extends TFloating> Operand<T> kernel(Ops tf, CallContext ctx, Class<T> type) {
    return ctx.read(tf, kernel, type);
  }

  /** Adds the bias (if any) to {@code y = op(x, kernel)} and applies the activation. */
  protected <T extends TFloating> Operand<T> biasAndActivation(Ops tf, Operand<T> y, CallContext ctx) {
    Operand<T> out = useBias ? tf.nn.biasAdd(y, ctx.read(tf, bias, y.type())) : y;
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

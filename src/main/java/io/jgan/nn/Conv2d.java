package io.jgan.nn;

import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Keras {@code Conv2D(filters, kernel_size, strides, padding, use_bias, activation)} on NHWC
 * images; kernel [k, k, in_channels, filters]. Output size per {@link Padding#convOutput}.
 */
public final class Conv2d implements Layer {
  private final int filters;
  private final int kernelSize;
  private final int stride;
  private final Padding padding;
  private final boolean useBias;
  private final Activation activation;
  private final Initializer kernelInit;
  private Weight kernel;
  private Weight bias;

  public Conv2d(int filters, int kernelSize, int stride, Padding padding, boolean useBias,
      Activation activation, Initializer kernelInit) {
    ConvChecks.positive("filters", filters);
    ConvChecks.positive("kernel size", kernelSize);
    ConvChecks.positive("stride", stride);
    this.filters = filters;
    this.kernelSize = kernelSize;
    this.stride = stride;
    this.padding = padding;
    this.useBias = useBias;
    this.activation = activation;
    this.kernelInit = kernelInit;
  }

  @Override
  public String kind() {
    return "Conv2D";
  }

  @Override
  public Shape build(Shape in, WeightFactory.LayerScope weights) {
    ConvChecks.image("Conv2D", in);
    // Keras 3 Conv2D keeps its kernel as self._kernel (for LoRA), so checkpoints track "_kernel".
    kernel = weights.create("kernel", "_kernel", Shape.of(kernelSize, kernelSize, in.size(2), filters), kernelInit, true);
    if (useBias) {
      bias = weights.create("bias", Shape.of(filters), Initializers.zeros(), true);
    }
    return Shape.of(
        padding.convOutput(in.size(0), kernelSize, stride),
        padding.convOutput(in.size(1), kernelSize, stride),
        filters);
  }

  @Override
  public Operand<TFloat32> call(Ops tf, Operand<TFloat32> x, CallContext ctx) {
    Operand<TFloat32> y =
        tf.nn.conv2d(x, kernel.variable(), List.of(1L, (long) stride, (long) stride, 1L), padding.tfName());
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
    return ConvChecks.describe(filters, kernelSize, stride, padding, useBias, activation);
  }
}

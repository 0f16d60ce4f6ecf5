package io.jgan.nn;

import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * Keras {@code Conv2DTranspose(filters, kernel_size, strides, padding, use_bias, activation)}: the
 * gradient of a convolution with respect to its input ({@code Conv2DBackpropInput}, what
 * {@code tf.nn.conv2d_transpose} runs). Kernel [k, k, filters, in_channels] (output channels
 * before input channels, as Keras stores it). Output size per {@link Padding#transposeOutput}.
 */
public final class Conv2dTranspose implements Layer {
  private final int filters;
  private final int kernelSize;
  private final int stride;
  private final Padding padding;
  private final boolean useBias;
  private final Activation activation;
  private final Initializer kernelInit;
  private Weight kernel;
  private Weight bias;
  private long outHeight;
  private long outWidth;

  public Conv2dTranspose(int filters, int kernelSize, int stride, Padding padding, boolean useBias,
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
    return "Conv2DTranspose";
  }

  @Override
  public Shape build(Shape in, WeightFactory.LayerScope weights) {
    ConvChecks.image("Conv2DTranspose", in);
    kernel = weights.create("kernel", Shape.of(kernelSize, kernelSize, filters, in.size(2)), kernelInit, true);
    if (useBias) {
      bias = weights.create("bias", Shape.of(filters), Initializers.zeros(), true);
    }
    outHeight = padding.transposeOutput(in.size(0), kernelSize, stride);
    outWidth = padding.transposeOutput(in.size(1), kernelSize, stride);
    return Shape.of(outHeight, outWidth, filters);
  }

  @Override
  public Operand<TFloat32> call(Ops tf, Operand<TFloat32> x, CallContext ctx) {
    // The output shape is [batch, outHeight, outWidth, filters] with the batch taken from x.
    Operand<TInt32> batch = tf.reshape(tf.stridedSlice(tf.shape(x), tf.constant(new int[] {0}),
        tf.constant(new int[] {1}), tf.constant(new int[] {1})), tf.constant(new int[] {1}));
    Operand<TInt32> outputShape = tf.concat(List.of(batch,
        tf.constant(new int[] {(int) outHeight, (int) outWidth, filters})), tf.constant(0));
    Operand<TFloat32> y = tf.nn.conv2dBackpropInput(outputShape, kernel.variable(), x,
        List.of(1L, (long) stride, (long) stride, 1L), padding.tfName());
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

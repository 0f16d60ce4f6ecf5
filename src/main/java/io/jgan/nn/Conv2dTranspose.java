package io.jgan.nn;

import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.family.TFloating;

/**
 * Keras {@code Conv2DTranspose(filters, kernel_size)}, configured as {@link Conv2d} is: the
 * gradient of a convolution with respect to its input ({@code Conv2DBackpropInput}, what
 * {@code tf.nn.conv2d_transpose} runs). Kernel [k, k, filters, in_channels] (output channels
 * before input channels, as Keras stores it). Output size per {@link Padding#transposeOutput}.
 *
 * <pre>{@code
 * Conv2dTranspose up = new Conv2dTranspose(64, 5).strides(2).padding(Padding.SAME).noBias();   // [7, 7, c] -> [14, 14, 64]
 * Conv2dTranspose out = new Conv2dTranspose(1, 5).strides(2).padding(Padding.SAME).activation(Activation.TANH);
 * }</pre>
 */
public final class Conv2dTranspose extends ConvLayer<Conv2dTranspose> {
  private long outHeight;
  private long outWidth;

  public Conv2dTranspose(int filters, int kernelSize) {
    super(filters, kernelSize);
  }

  @Override
  public String kind() {
    return "Conv2DTranspose";
  }

  @Override
  public Shape build(Shape in, WeightFactory.LayerScope weights) {
    requireImage(in);
    createWeights(weights, "kernel", Shape.of(kernelSize, kernelSize, outputs, in.size(2)));
    outHeight = padding.transposeOutput(in.size(0), kernelSize, stride);
    outWidth = padding.transposeOutput(in.size(1), kernelSize, stride);
    return Shape.of(outHeight, outWidth, outputs);
  }

  @Override
  public <T extends TFloating> Operand<T> call(Ops tf, Operand<T> x, CallContext ctx) {
    // The output shape is [batch, outHeight, outWidth, filters] with the batch taken from x.
    Operand<TInt32> batch = tf.reshape(tf.stridedSlice(tf.shape(x), tf.constant(new int[] {0}),
        tf.constant(new int[] {1}), tf.constant(new int[] {1})), tf.constant(new int[] {1}));
    Operand<TInt32> outputShape = tf.concat(List.of(batch,
        tf.constant(new int[] {(int) outHeight, (int) outWidth, outputs})), tf.constant(0));
    Operand<T> y = tf.nn.conv2dBackpropInput(outputShape, kernel(tf, ctx, x.type()), x,
        List.of(1L, (long) stride, (long) stride, 1L), padding.tfName());
    return biasAndActivation(tf, y, ctx);
  }
}

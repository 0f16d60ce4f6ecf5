package io.jgan.nn;

import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.family.TFloating;

/**
 * Keras {@code Conv2D(filters, kernel_size)} on NHWC images, with {@code strides}, {@code padding},
 * {@code noBias}, {@code activation} and {@code kernelInitializer} named as Keras names them;
 * kernel [k, k, in_channels, filters]. Output size per {@link Padding#convOutput}.
 *
 * <pre>{@code
 * Conv2d conv = new Conv2d(64, 5).strides(2).padding(Padding.SAME);   // [28, 28, 1] -> [14, 14, 64]
 * Conv2d init = new Conv2d(128, 4).kernelInitializer(Initializers.normal(0.02)).noBias();
 * }</pre>
 */
public final class Conv2d extends ConvLayer<Conv2d> {
  public Conv2d(int filters, int kernelSize) {
    super(filters, kernelSize);
  }

  @Override
  public String kind() {
    return "Conv2D";
  }

  @Override
  public Shape build(Shape in, WeightFactory.LayerScope weights) {
    requireImage(in);
    // Keras 3 Conv2D keeps its kernel as self._kernel (for LoRA), so checkpoints track "_kernel".
    createWeights(weights, "_kernel", Shape.of(kernelSize, kernelSize, in.size(2), outputs));
    return Shape.of(
        padding.convOutput(in.size(0), kernelSize, stride),
        padding.convOutput(in.size(1), kernelSize, stride),
        outputs);
  }

  @Override
  public <T extends TFloating> Operand<T> call(Ops tf, Operand<T> x, CallContext ctx) {
    return biasAndActivation(tf,
        tf.nn.conv2d(x, kernel(tf, ctx, x.type()), List.of(1L, (long) stride, (long) stride, 1L), padding.tfName()), ctx);
  }
}

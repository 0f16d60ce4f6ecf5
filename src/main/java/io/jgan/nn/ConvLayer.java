package io.jgan.nn;

import org.tensorflow.ndarray.Shape;

/** Conv2D and Conv2DTranspose: square kernels and strides over NHWC images. */
abstract class ConvLayer extends KernelLayer {
  protected final int kernelSize;
  protected final int stride;
  protected final Padding padding;

  ConvLayer(int filters, int kernelSize, int stride, Padding padding, boolean useBias, Activation activation,
      Initializer kernelInit) {
    super("filters", filters, useBias, activation, kernelInit);
    requirePositive("kernel size", kernelSize);
    requirePositive("stride", stride);
    this.kernelSize = kernelSize;
    this.stride = stride;
    this.padding = padding;
  }

  /** Fails unless {@code in} is one image [height, width, channels]. */
  protected void requireImage(Shape in) {
    if (in.numDimensions() != 3) {
      throw new IllegalArgumentException(kind() + " expected an image input [height, width, channels], got " + in);
    }
  }

  @Override
  public String describe() {
    return "filters=" + outputs + ", kernel=" + kernelSize + ", strides=" + stride + ", " + padding
        + biasAndActivationDescription();
  }
}

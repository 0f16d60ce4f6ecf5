package io.jgan.nn;

import org.tensorflow.ndarray.Shape;

/**
 * Conv2D and Conv2DTranspose: square kernels and strides over NHWC images; Keras's defaults
 * {@code strides=1}, {@code padding="valid"}.
 */
abstract class ConvLayer<L extends ConvLayer<L>> extends KernelLayer<L> {
  protected final int kernelSize;
  protected int stride = 1;
  protected Padding padding = Padding.VALID;

  ConvLayer(int filters, int kernelSize) {
    super("filters", filters);
    requirePositive("kernel size", kernelSize);
    this.kernelSize = kernelSize;
  }

  /** Keras {@code strides=}; default 1. */
  @SuppressWarnings("unchecked")
  public L strides(int s) {
    requireNotBuilt();
    requirePositive("stride", s);
    stride = s;
    return (L) this;
  }

  /** Keras {@code padding=}; default valid. */
  @SuppressWarnings("unchecked")
  public L padding(Padding p) {
    requireNotBuilt();
    padding = java.util.Objects.requireNonNull(p);
    return (L) this;
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

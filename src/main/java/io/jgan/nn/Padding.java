package io.jgan.nn;

/**
 * Keras "same" and "valid" padding, with the output-size formulas Keras uses.
 *
 * <p>Convolution: same gives ceil(in / stride), valid gives floor((in - kernel) / stride) + 1.
 * Transposed convolution (Keras {@code deconv_output_length} without output padding): same gives
 * in * stride, valid gives in * stride + max(kernel - stride, 0).
 *
 * <pre>{@code
 * Conv2d conv = new Conv2d(64, 5).strides(2).padding(Padding.SAME);
 * long side = Padding.SAME.convOutput(28, 5, 2);    // 14
 * long valid = Padding.VALID.convOutput(28, 5, 2);  // 12
 * }</pre>
 */
public enum Padding {
  SAME,
  VALID;

  /** The TensorFlow op attribute value. */
  public String tfName() {
    return name();
  }

  public long convOutput(long in, int kernel, int stride) {
    if (this == SAME) {
      return (in + stride - 1) / stride;
    }
    if (in < kernel) {
      throw new IllegalArgumentException(
          "expected an input of at least the kernel size " + kernel + " for valid padding, got " + in);
    }
    return (in - kernel) / stride + 1;
  }

  public long transposeOutput(long in, int kernel, int stride) {
    return this == SAME ? in * stride : in * stride + Math.max(kernel - stride, 0);
  }

  @Override
  public String toString() {
    return name().toLowerCase();
  }
}

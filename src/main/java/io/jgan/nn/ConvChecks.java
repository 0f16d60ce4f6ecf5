package io.jgan.nn;

import org.tensorflow.ndarray.Shape;

/** Argument checks and descriptions shared by the convolution layers. */
final class ConvChecks {
  private ConvChecks() {}

  static void positive(String what, int value) {
    if (value <= 0) {
      throw new IllegalArgumentException("expected a positive " + what + ", got " + value);
    }
  }

  static void image(String layer, Shape in) {
    if (in.numDimensions() != 3) {
      throw new IllegalArgumentException(layer + " expected an image input [height, width, channels], got " + in);
    }
  }

  static String describe(int filters, int kernel, int stride, Padding padding, boolean useBias, Activation activation) {
    return "filters=" + filters + ", kernel=" + kernel + ", strides=" + stride + ", " + padding
        + (useBias ? "" : ", no bias") + (activation == Activation.LINEAR ? "" : ", " + activation);
  }
}

package io.jgan.nn;

import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.family.TFloating;

/**
 * Keras {@code LeakyReLU(negative_slope)}: x for x >= 0, slope * x otherwise. Keras 3's default slope is 0.3.
 *
 * <pre>{@code
 * Layer keras = new LeakyRelu();        // Keras's default slope, 0.3
 * Layer dcgan = new LeakyRelu(0.2f);
 * }</pre>
 */
public final class LeakyRelu implements Layer {
  /** Keras 3 default ({@code LeakyReLU()}); note PyTorch and the DCGAN paper use 0.2. */
  public static final float NEGATIVE_SLOPE_DEFAULT = 0.3f;

  private final float negativeSlope;

  public LeakyRelu(float negativeSlope) {
    if (!(negativeSlope >= 0)) {
      throw new IllegalArgumentException("expected a non-negative slope, got " + negativeSlope);
    }
    this.negativeSlope = negativeSlope;
  }

  /** The slope for x < 0 (a float32 op attribute, as TensorFlow defines it). */
  public float negativeSlope() {
    return negativeSlope;
  }

  public LeakyRelu() {
    this(NEGATIVE_SLOPE_DEFAULT);
  }

  @Override
  public String kind() {
    return "LeakyReLU";
  }

  @Override
  public Shape build(Shape in, WeightFactory.LayerScope weights) {
    return in;
  }

  @Override
  public <T extends TFloating> Operand<T> call(Ops tf, Operand<T> x, CallContext ctx) {
    return tf.nn.leakyRelu(x, org.tensorflow.op.nn.LeakyRelu.alpha(negativeSlope));
  }

  @Override
  public String describe() {
    return "negative_slope=" + negativeSlope;
  }
}

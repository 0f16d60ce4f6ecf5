package io.jgan.nn;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.family.TFloating;

/**
 * Keras's activation functions by name: the {@code activation=} argument of Dense and the
 * convolutions ({@code new Dense(256).activation(Activation.RELU)}), and the function of an
 * {@link ActivationLayer} ({@code Activation.TANH.layer()}, Keras {@code Activation("tanh")}).
 * Each is computed with the ops Keras 3's TensorFlow backend uses, with Keras's default arguments:
 *
 * <ul>
 *   <li>{@link #LINEAR}: x. {@link #RELU}: max(x, 0). {@link #TANH}. {@link #SIGMOID}: 1 / (1 + e^-x).
 *   <li>{@link #LEAKY_RELU}: x for x >= 0, 0.2 x otherwise ({@code keras.activations.leaky_relu}'s
 *       default slope is 0.2, while the {@link LeakyRelu} layer's is 0.3).
 *   <li>{@link #ELU}: x for x > 0, e^x - 1 otherwise (alpha 1). {@link #SELU}: scale * elu_alpha(x)
 *       with alpha 1.67326... and scale 1.05070... (Klambauer et al. 2017).
 *   <li>{@link #SOFTPLUS}: log(1 + e^x). {@link #SOFTSIGN}: x / (1 + |x|).
 *   <li>{@link #SILU} (swish): x * sigmoid(x). {@link #GELU}: Keras's default {@code approximate=False},
 *       {@code 0.5 x (1 + erf(x / sqrt(2)))}, in {@code tf.nn.gelu}'s order of operations and with its
 *       sqrt(2) rounded to float32 even in float64 (so 1.7e-8 off in the argument, as Keras is).
 *   <li>{@link #EXPONENTIAL}: e^x. {@link #SOFTMAX}: e^x / sum(e^x) over the last axis.
 * </ul>
 *
 * <p>Second-order gradients (a WGAN-GP or R1 penalty through the critic): TensorFlow's C++
 * registry has none for the gradients of Relu, Tanh, Sigmoid, Elu, Selu, Softplus and Softsign
 * (see TFJAVA-NOTES), so RELU, TANH, SIGMOID, SILU (through its sigmoid), ELU, SELU, SOFTPLUS and
 * SOFTSIGN cannot sit in a critic that is differentiated twice; LINEAR, LEAKY_RELU, GELU,
 * EXPONENTIAL and SOFTMAX can.
 *
 * <pre>{@code
 * Dense out = new Dense(784).activation(Activation.TANH);   // inside the layer, as Keras
 * ActivationLayer sigmoid = Activation.SIGMOID.layer();      // a layer of its own
 * }</pre>
 */
public enum Activation {
  /** Keras {@code "linear"}: x (the default of Dense and the convolutions). */
  LINEAR,
  /** Keras {@code "relu"}: max(x, 0). */
  RELU,
  /** Keras {@code "tanh"}. */
  TANH,
  /** Keras {@code "sigmoid"}: 1 / (1 + e^-x). */
  SIGMOID,
  /** Keras {@code "leaky_relu"}: x for x >= 0, 0.2 x otherwise. */
  LEAKY_RELU,
  /** Keras {@code "elu"}: x for x > 0, e^x - 1 otherwise. */
  ELU,
  /** Keras {@code "selu"}: scale * elu_alpha(x), alpha 1.67326..., scale 1.05070.... */
  SELU,
  /** Keras {@code "softplus"}: log(1 + e^x). */
  SOFTPLUS,
  /** Keras {@code "softsign"}: x / (1 + |x|). */
  SOFTSIGN,
  /** Keras {@code "silu"} (swish): x * sigmoid(x). */
  SILU,
  /** Keras {@code "gelu"} with its default {@code approximate=False}: 0.5 x (1 + erf(x / sqrt(2))). */
  GELU,
  /** Keras {@code "exponential"}: e^x. */
  EXPONENTIAL,
  /** Keras {@code "softmax"} over the last axis: e^x / sum(e^x). */
  SOFTMAX;

  /** The default slope of {@code keras.activations.leaky_relu}. */
  public static final float LEAKY_RELU_SLOPE_DEFAULT = 0.2f;

  /**
   * The sqrt(2) of {@code tf.nn.gelu}, rounded to float32 in every type: TensorFlow writes
   * {@code math_ops.cast(1.4142135623730951, features.dtype)}, and the Python float becomes a
   * float32 tensor before the cast, so even a float64 GELU divides by 1.41421353816986083984375.
   */
  static final double GELU_SQRT2 = (float) 1.4142135623730951;

  /**
   * The function applied to {@code x}.
   *
   * @param <T> float32 or float64
   * @param tf where to add the ops
   * @param x any tensor
   * @return the activation of each element ({@link #SOFTMAX}: of each last-axis row), x's shape
   */
  public <T extends TFloating> Operand<T> apply(Ops tf, Operand<T> x) {
    return switch (this) {
      case LINEAR -> x;
      case RELU -> tf.nn.relu(x);
      case TANH -> tf.math.tanh(x);
      case SIGMOID -> tf.math.sigmoid(x);
      case LEAKY_RELU -> tf.nn.leakyRelu(x, org.tensorflow.op.nn.LeakyRelu.alpha(LEAKY_RELU_SLOPE_DEFAULT));
      case ELU -> tf.nn.elu(x);
      case SELU -> tf.nn.selu(x);
      case SOFTPLUS -> tf.math.softplus(x);
      case SOFTSIGN -> tf.nn.softsign(x);
      // tf.nn.silu: features * sigmoid(beta * features) with beta = 1, which leaves x unchanged.
      case SILU -> tf.math.mul(x, tf.math.sigmoid(x));
      // tf.nn.gelu(approximate=False): 0.5 * features * (1.0 + erf(features / cast(1.4142135623730951))).
      case GELU -> tf.math.mul(tf.math.mul(FloatTypes.constant(tf, 0.5, x.type()), x),
          tf.math.add(FloatTypes.constant(tf, 1.0, x.type()),
              tf.math.erf(tf.math.div(x, FloatTypes.constant(tf, GELU_SQRT2, x.type())))));
      case EXPONENTIAL -> tf.math.exp(x);
      case SOFTMAX -> tf.nn.softmax(x);
    };
  }

  /**
   * This function as a layer of its own.
   *
   * @return a new Keras {@code Activation(name)} layer
   */
  public ActivationLayer layer() {
    return new ActivationLayer(this);
  }

  /** The Keras name, e.g. {@code leaky_relu}. */
  @Override
  public String toString() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}

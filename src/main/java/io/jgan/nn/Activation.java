package io.jgan.nn;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.family.TFloating;

/** The {@code activation=} argument of Keras Dense and Conv layers. */
public enum Activation {
  LINEAR,
  RELU,
  TANH,
  SIGMOID;

  public <T extends TFloating> Operand<T> apply(Ops tf, Operand<T> x) {
    return switch (this) {
      case LINEAR -> x;
      case RELU -> tf.nn.relu(x);
      case TANH -> tf.math.tanh(x);
      case SIGMOID -> tf.math.sigmoid(x);
    };
  }

  @Override
  public String toString() {
    return name().toLowerCase();
  }
}

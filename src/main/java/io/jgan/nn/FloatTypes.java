package io.jgan.nn;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TFloat64;
import org.tensorflow.types.family.TFloating;

/**
 * The floating-point types a network can be built in: float32, what users train with, and
 * float64, in which the parity checks compare whole training steps with Python to 1e-9 (where
 * float32 rounding noise, grown through a few ill-conditioned GAN steps, would hide a wrong
 * convention).
 *
 * <p>Constants follow Python's rules: a hyperparameter is a double (Python's float) rounded once
 * to the tensor's type, as {@code tf.convert_to_tensor(0.99, dtype)} does.
 *
 * <pre>{@code
 * Operand<T> weight = FloatTypes.constant(tf, 0.1, s.dtype());   // 0.1 in the step's float type
 * String name = FloatTypes.name(TFloat64.class);
 * }</pre>
 */
public final class FloatTypes {
  private FloatTypes() {}

  /** {@code value} as a scalar constant of {@code type}, rounded once from the double. */
  @SuppressWarnings("unchecked")
  public static <T extends TFloating> Operand<T> constant(Ops tf, double value, Class<T> type) {
    if (type == TFloat32.class) {
      return (Operand<T>) tf.constant((float) value);
    }
    if (type == TFloat64.class) {
      return (Operand<T>) tf.constant(value);
    }
    throw unsupported(type);
  }

  /** Fails unless {@code type} is float32 or float64. */
  public static <T extends TFloating> Class<T> require(Class<T> type) {
    if (type != TFloat32.class && type != TFloat64.class) {
      throw unsupported(type);
    }
    return type;
  }

  /** {@code float32} or {@code float64}, as TensorFlow and NumPy name them. */
  public static String name(Class<? extends TFloating> type) {
    return type == TFloat64.class ? "float64" : type == TFloat32.class ? "float32" : type.getSimpleName();
  }

  /** The operand itself, typed as {@code type} once its dtype has been checked. */
  @SuppressWarnings("unchecked")
  public static <T extends TFloating> Operand<T> as(Operand<?> operand, Class<T> type, String what) {
    if (operand.type() != type) {
      throw new IllegalArgumentException(what + ": expected " + name(type) + ", got " + operand.type().getSimpleName());
    }
    return (Operand<T>) operand;
  }

  private static IllegalArgumentException unsupported(Class<?> type) {
    return new IllegalArgumentException("expected float32 or float64, got " + type.getSimpleName());
  }
}

package io.jgan.nn;

import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TInt64;
import org.tensorflow.types.family.TFloating;

/**
 * Creates a variable's initial value. Seeded through {@code key}, so the same run seed always
 * gives the same initial weights (Keras 3 initializers are seeded stateless ops too; their exact
 * numbers are not reproduced, which is why parity tests import weights instead).
 *
 * <pre>{@code
 * Initializer init = Initializers.normal(0.02);   // the DCGAN paper's N(0, 0.02)
 * Dense dense = new Dense(256).kernelInitializer(init);
 * }</pre>
 */
@FunctionalInterface
public interface Initializer {
  /**
   * @param shape the variable's shape
   * @param key a [2] int64 stateless-random key unique to this variable
   * @param type the variable's type (float32 or float64)
   */
  <T extends TFloating> Operand<T> create(Ops tf, Shape shape, Operand<TInt64> key, Class<T> type);
}

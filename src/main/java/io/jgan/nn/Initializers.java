package io.jgan.nn;

import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TInt64;
import org.tensorflow.types.family.TFloating;

/**
 * The initializers the seed tutorials use, with the formulas they come from.
 *
 * <pre>{@code
 * Dense hidden = new Dense(128).kernelInitializer(Initializers.tf1XavierNormal());
 * Conv2d conv = new Conv2d(64, 5).kernelInitializer(Initializers.normal(0.02));
 * }</pre>
 */
public final class Initializers {
  private Initializers() {}

  /** Keras {@code glorot_uniform}, the default kernel initializer: U(-l, l), l = sqrt(6 / (fan_in + fan_out)). */
  public static Initializer glorotUniform() {
    return new Initializer() {
      @Override
      public <T extends TFloating> Operand<T> create(Ops tf, Shape shape, Operand<TInt64> key, Class<T> type) {
        long[] fans = fans(shape);
        double limit = Math.sqrt(6.0 / (fans[0] + fans[1]));
        Operand<T> unit = RandomSource.uniform(tf, tf.constant(shape.asArray()), key, type); // [0, 1)
        return tf.math.mul(tf.math.sub(tf.math.mul(unit, FloatTypes.constant(tf, 2, type)), FloatTypes.constant(tf, 1, type)),
            FloatTypes.constant(tf, limit, type));
      }
    };
  }

  /**
   * Keras {@code RandomUniform(minval, maxval)}: U(minval, maxval), drawn as
   * {@code unit * (maxval - minval) + minval} from a unit draw in [0, 1) (as
   * {@code tf.random.stateless_uniform}). Keras's {@code "uniform"}, Embedding's default, is
   * U(-0.05, 0.05) ({@link #EMBEDDINGS_LIMIT}).
   *
   * @param minval the lower bound, included
   * @param maxval the upper bound, excluded; above minval
   * @return the initializer
   */
  public static Initializer randomUniform(double minval, double maxval) {
    if (!(minval < maxval)) {
      throw new IllegalArgumentException("expected minval < maxval, got " + minval + " and " + maxval);
    }
    return new Initializer() {
      @Override
      public <T extends TFloating> Operand<T> create(Ops tf, Shape shape, Operand<TInt64> key, Class<T> type) {
        Operand<T> unit = RandomSource.uniform(tf, tf.constant(shape.asArray()), key, type); // [0, 1)
        return tf.math.add(tf.math.mul(unit, FloatTypes.constant(tf, maxval - minval, type)),
            FloatTypes.constant(tf, minval, type));
      }
    };
  }

  /** The bound of Keras's {@code "uniform"} initializer, {@code RandomUniform(-0.05, 0.05)}. */
  public static final double EMBEDDINGS_LIMIT = 0.05;

  /** Keras {@code RandomNormal(mean=0, stddev)}; the DCGAN paper's N(0, 0.02). */
  public static Initializer normal(double stddev) {
    if (!(stddev > 0)) {
      throw new IllegalArgumentException("expected a positive stddev, got " + stddev);
    }
    return scaledNormal(shape -> stddev);
  }

  /**
   * Seed 004's {@code xavier_init}: N(0, 1 / sqrt(in_dim / 2)) with {@code in_dim = shape[0]}
   * (for a Dense kernel [in, out] that is He-normal, despite the name).
   */
  public static Initializer tf1XavierNormal() {
    return scaledNormal(shape -> 1.0 / Math.sqrt(shape.size(0) / 2.0));
  }

  /** All zeros (Keras default for biases and beta; BatchNorm moving mean). */
  public static Initializer zeros() {
    return filled(0);
  }

  /** All ones (BatchNorm gamma and moving variance). */
  public static Initializer ones() {
    return filled(1);
  }

  /** N(0, stddev(shape)). */
  private static Initializer scaledNormal(java.util.function.ToDoubleFunction<Shape> stddev) {
    return new Initializer() {
      @Override
      public <T extends TFloating> Operand<T> create(Ops tf, Shape shape, Operand<TInt64> key, Class<T> type) {
        return tf.math.mul(RandomSource.normal(tf, tf.constant(shape.asArray()), key, type),
            FloatTypes.constant(tf, stddev.applyAsDouble(shape), type));
      }
    };
  }

  private static Initializer filled(double value) {
    return new Initializer() {
      @Override
      public <T extends TFloating> Operand<T> create(Ops tf, Shape shape, Operand<TInt64> key, Class<T> type) {
        return tf.fill(tf.constant(shape.asArray()), FloatTypes.constant(tf, value, type));
      }
    };
  }

  /**
   * Keras {@code compute_fans}: a Dense kernel [in, out] has fans (in, out); a convolution kernel
   * [kh, kw, a, b] has fans (a * kh * kw, b * kh * kw) (for Conv2DTranspose, whose kernel is
   * [kh, kw, out, in], Keras reads them the same way).
   */
  static long[] fans(Shape shape) {
    int rank = shape.numDimensions();
    if (rank == 1) {
      return new long[] {shape.size(0), shape.size(0)};
    }
    if (rank == 2) {
      return new long[] {shape.size(0), shape.size(1)};
    }
    long receptiveField = 1;
    for (int i = 0; i < rank - 2; i++) {
      receptiveField *= shape.size(i);
    }
    return new long[] {shape.size(rank - 2) * receptiveField, shape.size(rank - 1) * receptiveField};
  }
}

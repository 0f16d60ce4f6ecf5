package io.jgan.nn;

import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TInt64;
import org.tensorflow.types.family.TFloating;

/**
 * Keras {@code Dropout(rate)}: in training, {@code x * (1 / (1 - rate))} where a uniform draw is
 * {@code >= rate}, 0 elsewhere, as {@code tf.nn.experimental.stateless_dropout} computes it (the
 * scale worked out in double precision, then rounded to the input's type); identity in inference.
 * The keep-mask is drawn from the step's {@link RandomSource}, so a resumed run drops the same
 * units, and is registered on the {@link CallContext} so a parity run can feed Python's.
 *
 * <pre>{@code
 * Sequential d = new Sequential("discriminator", Shape.of(784))
 *     .add(new Dense(256)).add(new LeakyRelu(0.2f)).add(new Dropout(0.3)).add(new Dense(1));
 * }</pre>
 */
public final class Dropout implements Layer {
  private final double rate;

  public Dropout(double rate) {
    if (!(rate >= 0 && rate < 1)) {
      throw new IllegalArgumentException("expected a dropout rate in [0, 1), got " + rate);
    }
    this.rate = rate;
  }

  /** The share of units dropped in training. */
  public double rate() {
    return rate;
  }

  @Override
  public String kind() {
    return "Dropout";
  }

  @Override
  public Shape build(Shape in, WeightFactory.LayerScope weights) {
    return in;
  }

  @Override
  public <T extends TFloating> Operand<T> call(Ops tf, Operand<T> x, CallContext ctx) {
    if (!ctx.isTraining() || rate == 0) {
      return x;
    }
    Class<T> type = x.type();
    RandomSource random = ctx.random();
    Operand<T> uniform = RandomSource.uniform(tf, tf.shape(x, TInt64.class), random.key(tf, random.newStream()), type);
    Operand<T> keep = tf.dtypes.cast(tf.math.greaterEqual(uniform, FloatTypes.constant(tf, rate, type)), type);
    ctx.addDropoutKeepMask(keep);
    return tf.math.mul(tf.math.mul(x, FloatTypes.constant(tf, 1.0 / (1.0 - rate), type)), keep);
  }

  @Override
  public String describe() {
    return "rate=" + rate;
  }
}

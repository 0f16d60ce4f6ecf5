package io.jgan.nn;

import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Keras {@code Dropout(rate)}: in training, {@code x / (1 - rate)} where a uniform draw is
 * {@code >= rate}, 0 elsewhere (as {@code tf.nn.experimental.stateless_dropout}); identity in
 * inference. The keep-mask is drawn from the step's {@link RandomSource}, so a resumed run drops
 * the same units, and is registered on the {@link CallContext} so a parity run can feed Python's.
 */
public final class Dropout implements Layer {
  private final float rate;

  public Dropout(float rate) {
    if (!(rate >= 0 && rate < 1)) {
      throw new IllegalArgumentException("expected a dropout rate in [0, 1), got " + rate);
    }
    this.rate = rate;
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
  public Operand<TFloat32> call(Ops tf, Operand<TFloat32> x, CallContext ctx) {
    if (!ctx.isTraining() || rate == 0f) {
      return x;
    }
    RandomSource random = ctx.random();
    Operand<TFloat32> uniform = RandomSource.uniform(tf, tf.shape(x, org.tensorflow.types.TInt64.class),
        random.key(tf, random.newStream()));
    Operand<TFloat32> keep = tf.dtypes.cast(tf.math.greaterEqual(uniform, tf.constant(rate)), TFloat32.class);
    ctx.addDropoutKeepMask(keep);
    float scale = (float) (1.0 / (1.0 - rate));
    return tf.math.mul(tf.math.mul(x, tf.constant(scale)), keep);
  }

  @Override
  public String describe() {
    return "rate=" + rate;
  }
}

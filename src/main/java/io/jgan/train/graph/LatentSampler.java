package io.jgan.train.graph;

import io.jgan.gan.LatentPrior;
import io.jgan.nn.FloatTypes;
import io.jgan.nn.RandomSource;
import java.util.List;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;
import org.tensorflow.types.family.TFloating;

/**
 * Latent vectors keyed on (seed, stream, counter), drawn with TensorFlow's stateless random ops in a
 * graph of their own: the same key gives the same vectors whether they feed a training run's
 * generator or an exported SavedModel.
 */
public final class LatentSampler implements AutoCloseable {
  private final Graph graph = new Graph();
  private final Session session;
  private final Placeholder<TInt64> key;
  private final Placeholder<TInt64> count;
  private final Operand<TFloat32> noise;

  public LatentSampler(LatentPrior prior, int latentDim) {
    Ops tf = Ops.create(graph);
    key = tf.placeholder(TInt64.class, Placeholder.shape(Shape.of(2)));
    count = tf.placeholder(TInt64.class, Placeholder.shape(Shape.scalar()));
    noise = latentNoise(tf, prior, latentDim, count, key, TFloat32.class);
    session = new Session(graph);
  }

  /** Latent vectors [count, latentDim] of {@code type} from {@code prior}, drawn from the [2] int64 {@code key}. */
  static <T extends TFloating> Operand<T> latentNoise(Ops ops, LatentPrior prior, int latentDim, Operand<TInt64> count,
      Operand<TInt64> key, Class<T> type) {
    Operand<TInt64> shape = ops.stack(List.of(count, ops.constant((long) latentDim)));
    if (prior == LatentPrior.NORMAL) {
      return RandomSource.normal(ops, shape, key, type);
    }
    // U(-1, 1) from U(0, 1).
    return ops.math.sub(ops.math.mul(RandomSource.uniform(ops, shape, key, type), FloatTypes.constant(ops, 2, type)),
        FloatTypes.constant(ops, 1, type));
  }

  /** {@code n} latent vectors keyed on (seed, stream, counter). */
  public TFloat32 sample(long seed, int stream, long counter, int n) {
    try (TInt64 k = TInt64.vectorOf(RandomSource.mix(seed, stream), counter);
         TInt64 c = TInt64.scalarOf(n);
         Result r = session.runner().feed(key, k).feed(count, c).fetch(noise).run()) {
      TFloat32 out = TFloat32.tensorOf(r.get(0).shape());
      ((TFloat32) r.get(0)).copyTo(out);
      return out;
    }
  }

  @Override
  public void close() {
    session.close();
    graph.close();
  }
}

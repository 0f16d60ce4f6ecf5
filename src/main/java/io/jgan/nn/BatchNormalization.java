package io.jgan.nn;

import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Sum;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;
import org.tensorflow.types.family.TFloating;

/**
 * Keras 3 {@code BatchNormalization(momentum, epsilon)} over the last axis.
 *
 * <p>Training: {@code mean = E[x]}, {@code var = E[(x - mean)^2]} (biased, as
 * {@code tf.nn.moments}) over every axis but the last, the batch included; the moving statistics
 * become {@code moving * momentum + batch * (1 - momentum)}. Inference uses the moving statistics.
 * Both normalise as {@code tf.nn.batch_normalization} does:
 * {@code inv = rsqrt(var + epsilon) * gamma; y = x * inv + (beta - mean * inv)}.
 *
 * <p>Written out rather than with {@code FusedBatchNormV3}, which returns the unbiased variance and
 * has no second-order gradient.
 *
 * <pre>{@code
 * Sequential g = new Sequential("generator", Shape.of(100))
 *     .add(new Dense(7 * 7 * 256).noBias()).add(new BatchNormalization()).add(new LeakyRelu());
 * BatchNormalization dcgan = new BatchNormalization(0.9, 1e-5);   // momentum, epsilon
 * }</pre>
 */
public final class BatchNormalization implements Layer {
  /** Keras 3 default momentum. */
  public static final double MOMENTUM_DEFAULT = 0.99;
  /** Keras 3 default epsilon. */
  public static final double EPSILON_DEFAULT = 1e-3;

  private final double momentum;
  private final double epsilon;
  private Weight gamma;
  private Weight beta;
  private Weight movingMean;
  private Weight movingVariance;
  private int rank;
  private long channelCount;

  public BatchNormalization(double momentum, double epsilon) {
    if (!(momentum >= 0 && momentum < 1)) {
      throw new IllegalArgumentException("expected a momentum in [0, 1), got " + momentum);
    }
    if (!(epsilon > 0)) {
      throw new IllegalArgumentException("expected a positive epsilon, got " + epsilon);
    }
    this.momentum = momentum;
    this.epsilon = epsilon;
  }

  /** The weight of the old moving statistics in each update. */
  public double momentum() {
    return momentum;
  }

  /** Added to the variance before its square root. */
  public double epsilon() {
    return epsilon;
  }

  /** Keras defaults: momentum 0.99, epsilon 1e-3. */
  public BatchNormalization() {
    this(MOMENTUM_DEFAULT, EPSILON_DEFAULT);
  }

  @Override
  public String kind() {
    return "BatchNormalization";
  }

  @Override
  public Shape build(Shape in, WeightFactory.LayerScope weights) {
    rank = in.numDimensions() + 1; // with the batch axis
    channelCount = in.size(in.numDimensions() - 1);
    Shape channels = Shape.of(channelCount);
    gamma = weights.create("gamma", channels, Initializers.ones(), true);
    beta = weights.create("beta", channels, Initializers.zeros(), true);
    movingMean = weights.create("moving_mean", channels, Initializers.zeros(), false);
    movingVariance = weights.create("moving_variance", channels, Initializers.ones(), false);
    return in;
  }

  @Override
  public <T extends TFloating> Operand<T> call(Ops tf, Operand<T> x, CallContext ctx) {
    Class<T> type = x.type();
    Operand<T> mean;
    Operand<T> variance;
    if (ctx.isTraining()) {
      int[] axes = new int[rank - 1];
      for (int i = 0; i < axes.length; i++) {
        axes[i] = i;
      }
      var axesOp = tf.constant(axes);
      Operand<T> keptMean;
      Operand<T> keptVariance;
      CrossReplica replicas = ctx.crossReplica();
      if (replicas != null && replicas.syncBatchNorm()) {
        Operand<T>[] moments = globalMoments(tf, x, axesOp, replicas);
        keptMean = moments[0];
        keptVariance = moments[1];
      } else {
        var keepDims = org.tensorflow.op.math.Mean.keepDims(true);
        keptMean = tf.math.mean(x, axesOp, keepDims);
        // As tf.nn.moments: the variance's gradient does not flow back through the mean.
        keptVariance = tf.math.mean(tf.math.squaredDifference(x, tf.stopGradient(keptMean)), axesOp, keepDims);
      }
      var channels = tf.constant(new long[] {-1});
      mean = tf.reshape(keptMean, channels);
      variance = tf.reshape(keptVariance, channels);
      updateMovingStatistic(tf, ctx, movingMean.as(type), mean);
      updateMovingStatistic(tf, ctx, movingVariance.as(type), variance);
    } else {
      mean = ctx.read(tf, movingMean, type);
      variance = ctx.read(tf, movingVariance, type);
    }
    Operand<T> inv = tf.math.mul(tf.math.rsqrt(tf.math.add(variance, FloatTypes.constant(tf, epsilon, type))),
        ctx.read(tf, gamma, type));
    return tf.math.add(tf.math.mul(x, inv), tf.math.sub(ctx.read(tf, beta, type), tf.math.mul(mean, inv)));
  }

  /**
   * The mean and (biased) variance over the global batch of a data-parallel step, [1, ..., 1, c]
   * each: the same two passes as {@code tf.nn.moments} on one device, each sum taken over the
   * replica's rows and then over the replicas by an all-reduce. The first all-reduce carries the
   * channel sums and the replica's element count (replicas may hold different numbers of rows);
   * the second the sums of squared deviations from the global mean. Keras's
   * {@code synchronized=True} computes E[x^2] - E[x]^2 in one round instead, which cancels
   * catastrophically when the mean is large against the spread; two rounds keep the single-device
   * formula, so a synchronised run matches a one-device run of the global batch to rounding.
   */
  @SuppressWarnings("unchecked")
  private <T extends TFloating> Operand<T>[] globalMoments(Ops tf, Operand<T> x, Operand<TInt32> axes,
      CrossReplica replicas) {
    Class<T> type = x.type();
    var keepDims = Sum.keepDims(true);
    // Elements per channel in this replica: size(x) / channels, an integer, so exact in floating point.
    Operand<T> count = tf.reshape(tf.math.div(tf.dtypes.cast(tf.size(x, TInt64.class), type),
        FloatTypes.constant(tf, channelCount, type)), tf.constant(new long[] {1})); // [1]
    List<Operand<T>> sums = replicas.sum(tf, List.of(tf.sum(x, axes, keepDims), count));
    Operand<T> totalCount = sums.get(1);
    Operand<T> mean = tf.math.div(sums.get(0), totalCount); // [1, ..., 1, c]
    // As tf.nn.moments: the variance's gradient does not flow back through the mean.
    Operand<T> squares = tf.sum(tf.math.squaredDifference(x, tf.stopGradient(mean)), axes, keepDims);
    Operand<T> variance = tf.math.div(replicas.sum(tf, List.of(squares)).get(0), totalCount);
    return new Operand[] {mean, variance};
  }

  private <T extends TFloating> void updateMovingStatistic(Ops tf, CallContext ctx, ResourceVariable<T> moving,
      Operand<T> batchValue) {
    Class<T> type = batchValue.type();
    Operand<T> current = ctx.currentState(tf, moving);
    // Keras: moving * momentum + value * (1.0 - momentum), the Python floats rounded to the variable's type.
    Operand<T> updated = tf.math.add(
        tf.math.mul(current, FloatTypes.constant(tf, momentum, type)),
        tf.math.mul(tf.stopGradient(batchValue), FloatTypes.constant(tf, 1.0 - momentum, type)));
    ctx.updateState(moving, updated);
  }

  @Override
  public List<Weight> weights() {
    return List.of(gamma, beta, movingMean, movingVariance);
  }

  @Override
  public String describe() {
    return "momentum=" + momentum + ", epsilon=" + epsilon;
  }
}

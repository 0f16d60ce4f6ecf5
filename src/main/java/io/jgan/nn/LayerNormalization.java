package io.jgan.nn;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.math.Mean;
import org.tensorflow.types.family.TFloating;

/**
 * Keras 3 {@code LayerNormalization(axis=-1, epsilon=1e-3, center=True, scale=True)} (Ba et al.
 * 2016): each example is normalised over {@code axis} alone, in training and inference alike
 * (there are no moving statistics), then scaled by {@code gamma} and shifted by {@code beta}, one
 * of each per position of the normalised axes (initially ones and zeros).
 *
 * <pre>{@code
 * new LayerNormalization()                            // over the last axis, epsilon 1e-3
 * new LayerNormalization().axis(1, 2, 3).noCenter()   // over a whole [h, w, c] image, no beta
 * }</pre>
 *
 * <p>The formula and order of operations of Keras 3's {@code ops.layer_normalization} on the
 * TensorFlow backend, so that float64 results agree to the last bits:
 * <pre>
 * mean     = reduce_mean(x, axes, keepdims)                                  (tf.nn.moments)
 * variance = reduce_mean(squared_difference(x, stop_gradient(mean)), axes, keepdims)
 * inv      = rsqrt(variance + epsilon) * gamma
 * out      = x * inv + (-mean * inv + beta)
 * </pre>
 * The variance is the biased one; as in {@code tf.nn.moments}, its gradient does not flow back
 * through the mean (which leaves the total gradient unchanged, since the squared deviations'
 * derivative with respect to the mean sums to zero).
 *
 * <p>Second-order gradients: TensorFlow has no gradient for {@code RsqrtGrad}, so Keras's
 * {@code rsqrt} alone would make a critic with layer normalisation (Gulrajani et al.'s
 * recommendation for WGAN-GP) impossible to differentiate twice. Here {@code inv} takes its value
 * from {@code rsqrt} and its gradient from {@code pow(v, -0.5)}:
 * {@code rsqrt(v) + (p - stop_gradient(p))} with {@code p = pow(v, -0.5)}, whose second term is
 * exactly 0, so the output is Keras's bit for bit while Pow's gradient can be differentiated again.
 */
public final class LayerNormalization implements Layer {
  /** Keras 3's default epsilon. */
  public static final double EPSILON_DEFAULT = 1e-3;

  private int[] axes = {-1};
  private double epsilon = EPSILON_DEFAULT;
  private boolean center = true;
  private boolean scale = true;
  private Weight gamma;
  private Weight beta;
  private boolean built;
  /** The normalised axes, with the batch axis 0 counted, ascending. */
  private int[] resolved;
  /** gamma and beta reshaped to broadcast against [batch, ...] (null when they need no reshape). */
  private long[] broadcastShape;

  /**
   * Keras {@code axis=}; default -1, the last.
   *
   * @param axes the axes to normalise over, counted with the batch axis 0 (which cannot be one of
   *     them), negative from the end
   * @return this layer
   */
  public LayerNormalization axis(int... axes) {
    requireNotBuilt();
    if (axes.length == 0) {
      throw new IllegalArgumentException("expected at least one axis, got none");
    }
    for (int a : axes) {
      if (a == 0) {
        throw new IllegalArgumentException("expected axes other than the batch axis 0, got " + Arrays.toString(axes));
      }
    }
    this.axes = axes.clone();
    return this;
  }

  /**
   * Keras {@code epsilon=}; default 1e-3.
   *
   * @param epsilon added to the variance; positive
   * @return this layer
   */
  public LayerNormalization epsilon(double epsilon) {
    requireNotBuilt();
    if (!(epsilon > 0)) {
      throw new IllegalArgumentException("expected a positive epsilon, got " + epsilon);
    }
    this.epsilon = epsilon;
    return this;
  }

  /**
   * Keras {@code center=False}: no {@code beta}.
   *
   * @return this layer
   */
  public LayerNormalization noCenter() {
    requireNotBuilt();
    center = false;
    return this;
  }

  /**
   * Keras {@code scale=False}: no {@code gamma}.
   *
   * @return this layer
   */
  public LayerNormalization noScale() {
    requireNotBuilt();
    scale = false;
    return this;
  }

  private void requireNotBuilt() {
    if (built) {
      throw new IllegalStateException("LayerNormalization is already built: configure it before building its network");
    }
  }

  @Override
  public String kind() {
    return "LayerNormalization";
  }

  @Override
  public Shape build(Shape in, WeightFactory.LayerScope weights) {
    int rank = in.numDimensions() + 1; // with the batch
    int[] sorted = new int[axes.length];
    for (int i = 0; i < axes.length; i++) {
      int a = axes[i] < 0 ? axes[i] + rank : axes[i];
      if (a < 1 || a >= rank) {
        throw new IllegalArgumentException("LayerNormalization expected axes in [" + (1 - rank) + ", -1] or [1, "
            + (rank - 1) + "] for an input of shape " + in + " (rank " + rank + " with the batch), got "
            + Arrays.toString(axes));
      }
      sorted[i] = a;
    }
    Arrays.sort(sorted);
    for (int i = 1; i < sorted.length; i++) {
      if (sorted[i] == sorted[i - 1]) {
        throw new IllegalArgumentException("LayerNormalization expected distinct axes, got " + Arrays.toString(axes));
      }
    }
    resolved = sorted;
    long[] paramDims = new long[sorted.length];
    long[] broadcast = new long[rank];
    Arrays.fill(broadcast, 1);
    for (int i = 0; i < sorted.length; i++) {
      paramDims[i] = in.get(sorted[i] - 1);
      broadcast[sorted[i]] = paramDims[i];
    }
    // As Keras's _broadcast: only a normalisation over the last axis alone broadcasts gamma as it is.
    broadcastShape = sorted.length == 1 && sorted[0] == rank - 1 ? null : broadcast;
    Shape params = Shape.of(paramDims);
    if (scale) {
      gamma = weights.create("gamma", params, Initializers.ones(), true);
    }
    if (center) {
      beta = weights.create("beta", params, Initializers.zeros(), true);
    }
    built = true;
    return in;
  }

  @Override
  public <T extends TFloating> Operand<T> call(Ops tf, Operand<T> x, CallContext ctx) {
    Class<T> type = x.type();
    var axesOp = tf.constant(resolved);
    var keepDims = Mean.keepDims(true);
    Operand<T> mean = tf.math.mean(x, axesOp, keepDims);
    Operand<T> variance = tf.math.mean(tf.math.squaredDifference(x, tf.stopGradient(mean)), axesOp, keepDims);
    Operand<T> shifted = tf.math.add(variance, FloatTypes.constant(tf, epsilon, type));
    Operand<T> pow = tf.math.pow(shifted, FloatTypes.constant(tf, -0.5, type));
    Operand<T> inv = tf.math.add(tf.stopGradient(tf.math.rsqrt(shifted)), tf.math.sub(pow, tf.stopGradient(pow)));
    if (scale) {
      inv = tf.math.mul(inv, broadcast(tf, ctx.read(tf, gamma, type)));
    }
    Operand<T> res = tf.math.mul(tf.math.neg(mean), inv);
    if (center) {
      res = tf.math.add(res, broadcast(tf, ctx.read(tf, beta, type)));
    }
    return tf.math.add(tf.math.mul(x, inv), res);
  }

  private <T extends TFloating> Operand<T> broadcast(Ops tf, Operand<T> parameter) {
    return broadcastShape == null ? parameter : tf.reshape(parameter, tf.constant(broadcastShape));
  }

  @Override
  public List<Weight> weights() {
    List<Weight> list = new ArrayList<>();
    if (scale) {
      list.add(gamma);
    }
    if (center) {
      list.add(beta);
    }
    return list;
  }

  @Override
  public String describe() {
    return "axis=" + (axes.length == 1 ? Integer.toString(axes[0]) : Arrays.toString(axes)) + ", epsilon=" + epsilon
        + (center ? "" : ", no beta") + (scale ? "" : ", no gamma");
  }
}

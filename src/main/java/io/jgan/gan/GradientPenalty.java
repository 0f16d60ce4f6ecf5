package io.jgan.gan;

import io.jgan.nn.FloatTypes;
import io.jgan.nn.RandomSource;
import io.jgan.nn.Tape;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TInt64;
import org.tensorflow.types.family.TFloating;

/**
 * The WGAN-GP gradient penalty (Gulrajani et al. 2017, "Improved Training of Wasserstein GANs"):
 * {@code E[(||grad_x D(x_hat)||_2 - 1)^2]} with {@code x_hat = real + alpha (fake - real)}, one
 * alpha per example, uniform in [0, 1] in the paper; {@link #normalAlpha()} draws it from N(0, 1) as
 * seed 003 does (a known bug, kept for parity runs). Reported as {@code gradient_penalty}; the
 * alphas are the random tensor {@code alpha}.
 *
 * <p>The critic is differentiated twice: once here for grad_x D(x_hat) and again when the critic's
 * loss is differentiated for its update. That works in graph mode because the first gradient is
 * seeded explicitly ({@link Tape}) and every op of the seed critics (Conv2D, BiasAdd, LeakyReLU,
 * dropout mask multiply, Reshape, ConcatV2) has a second-order gradient in TensorFlow 2.18 (not
 * BatchNorm, Tanh, Sigmoid or ReLU: a critic built of those fails to build). The norm is
 * {@code sqrt(sum(g^2))} exactly as seed 003 and the paper's code compute it: an epsilon inside
 * the square root (as some ports add) moved the float64 parity by 2e-9.
 *
 * <pre>{@code
 * GradientPenalty gp = Losses.gradientPenalty(10);   // WGAN-GP's lambda = 10
 * GanStep step = Steps.criticFirst(5, Losses.wasserstein().withPenalty(gp));
 * }</pre>
 *
 * @param weight lambda, the penalty's weight in the critic's loss
 * @param normal alphas from N(0, 1) (seed 003) instead of U(0, 1) (the paper)
 */
public record GradientPenalty(double weight, boolean normal) implements Penalty {
  public GradientPenalty {
    if (!(weight > 0)) {
      throw new IllegalArgumentException("gradient penalty: expected a weight > 0, got " + weight);
    }
  }

  /** The same penalty with seed 003's alphas drawn from N(0, 1). */
  public GradientPenalty normalAlpha() {
    return new GradientPenalty(weight, true);
  }

  @Override
  public String metricName() {
    return "gradient_penalty";
  }

  @Override
  public <T extends TFloating> Operand<T> compute(LossInputs<T> in) {
    Ops tf = in.tf();
    Class<T> type = in.type();
    int rank = in.realImages().shape().numDimensions();
    long[] ones = new long[rank - 1];
    java.util.Arrays.fill(ones, 1L);
    Operand<TInt64> alphaShape = tf.concat(List.of(tf.reshape(in.realCount(), tf.constant(new long[] {1})),
        tf.constant(ones)), tf.constant(0)); // [n, 1, ..., 1]: one alpha per example
    Operand<TInt64> key = in.random().key(tf, in.random().newStream());
    Operand<T> alpha = in.random().named("alpha", tf.identity(normal ? RandomSource.normal(tf, alphaShape, key, type)
        : RandomSource.uniform(tf, alphaShape, key, type)));
    return penalty(tf, in.critic(), in.realImages(), tf.stopGradient(in.fakeImages()), alpha, type);
  }

  /**
   * The penalty itself, for a given {@code alpha} [n, 1, ..., 1].
   *
   * @param critic D as a function of images (labels, if any, already bound)
   * @return the scalar penalty (not yet multiplied by its weight)
   */
  public static <T extends TFloating> Operand<T> penalty(Ops tf, java.util.function.Function<Operand<T>, Operand<T>> critic,
      Operand<T> real, Operand<T> fake, Operand<T> alpha, Class<T> type) {
    Operand<T> interpolated = tf.math.add(real, tf.math.mul(alpha, tf.math.sub(fake, real)));
    Operand<T> scores = critic.apply(interpolated);
    Operand<T> grads = Tape.gradients(tf, scores, List.of(interpolated), type).get(0);
    Operand<T> norm = tf.math.sqrt(Losses.squaredNorms(tf, grads));
    Operand<T> deviation = tf.math.sub(norm, FloatTypes.constant(tf, 1.0, type));
    return tf.math.mean(tf.math.square(deviation), tf.constant(0));
  }
}

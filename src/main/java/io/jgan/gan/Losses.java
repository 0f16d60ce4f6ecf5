package io.jgan.gan;

import static io.jgan.gan.CrossEntropy.meanOfAll;

import io.jgan.nn.FloatTypes;
import io.jgan.nn.RandomSource;
import io.jgan.nn.Tape;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.ReduceSum;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;
import org.tensorflow.types.family.TFloating;

/**
 * The GAN objectives, as TF-GAN's {@code tfgan.losses} catalogue names them; each is a
 * {@link GanLoss} any step of {@link Steps} takes. With D's outputs {@code D(x)} on real images and
 * {@code D(G(z))} on generated ones (means over the batch):
 *
 * <table>
 *   <caption>The catalogue</caption>
 *   <tr><th>loss</th><th>discriminator minimises</th><th>generator minimises</th><th>paper</th></tr>
 *   <tr><td>{@link #nonSaturating()}</td><td>BCE(1, D(x)) + BCE(0, D(G(z)))</td><td>BCE(1, D(G(z)))</td>
 *       <td>Goodfellow et al. 2014, the heuristic every seed tutorial uses</td></tr>
 *   <tr><td>{@link #minimax()}</td><td>the same</td><td>-BCE(0, D(G(z))) = log(1 - D(G(z)))</td>
 *       <td>Goodfellow et al. 2014, the game as analysed</td></tr>
 *   <tr><td>{@link #leastSquares()}</td><td>(D(x) - 1)^2 / 2 + D(G(z))^2 / 2</td><td>(D(G(z)) - 1)^2 / 2</td>
 *       <td>Mao et al. 2017 (LSGAN, a = 0, b = c = 1)</td></tr>
 *   <tr><td>{@link #hinge()}</td><td>max(0, 1 - D(x)) + max(0, 1 + D(G(z)))</td><td>-D(G(z))</td>
 *       <td>Lim and Ye 2017; Miyato et al. 2018</td></tr>
 *   <tr><td>{@link #wasserstein()}</td><td>D(G(z)) - D(x)</td><td>-D(G(z))</td><td>Arjovsky et al. 2017</td></tr>
 * </table>
 *
 * <p>and the penalties added to the discriminator's loss with {@link GanLoss#withPenalty}:
 * {@link #gradientPenalty} (WGAN-GP, Gulrajani et al. 2017) and {@link #r1} (Mescheder et al. 2018).
 * For example seed 003's WGAN-GP objective: {@code Losses.wasserstein().withPenalty(Losses.gradientPenalty(10))}.
 *
 * <pre>{@code
 * GanStep dcgan = Steps.simultaneous(Losses.nonSaturating());
 * GanStep wganGp = Steps.criticFirst(5, Losses.wasserstein().withPenalty(Losses.gradientPenalty(10)));
 * GanStep r1 = Steps.alternating(Losses.nonSaturating().withPenalty(Losses.r1(10)));
 * }</pre>
 */
public final class Losses {
  /** The paper's gradient penalty weight lambda (seed 003's {@code gp_weight}). */
  public static final double GRADIENT_PENALTY_WEIGHT_DEFAULT = 10.0;

  private Losses() {}

  /**
   * The seed tutorials' objective: binary cross-entropy from logits, real target 1, fake 0, D's two
   * terms summed; G minimises BCE(1, D(G(z))). Variants by {@link Bce}'s named methods, e.g. seed
   * 001's {@code nonSaturating().onProbabilities().realLabel(0.9)}.
   */
  public static Bce nonSaturating() {
    return new Bce(true, 1, 0, false, false);
  }

  /** The original minimax game: as {@link #nonSaturating()}, but G minimises log(1 - D(G(z))), which saturates. */
  public static Bce minimax() {
    return new Bce(true, 1, 0, false, true);
  }

  /** Least squares on D's raw outputs (no sigmoid): LSGAN with targets 1 (real) and 0 (fake). */
  public static GanLoss leastSquares() {
    return ScoreLoss.LEAST_SQUARES;
  }

  /** Hinge on D's raw outputs. */
  public static GanLoss hinge() {
    return ScoreLoss.HINGE;
  }

  /** The Wasserstein critic loss; add {@link #gradientPenalty} for WGAN-GP. */
  public static GanLoss wasserstein() {
    return new Wasserstein();
  }

  /**
   * WGAN-GP's penalty {@code E[(||grad_x D(x_hat)||_2 - 1)^2]}, {@code x_hat = x + alpha (G(z) - x)}, one
   * alpha per example drawn uniform in [0, 1] as the paper does; {@link GradientPenalty#normalAlpha()}
   * keeps seed 003's N(0, 1) draw (a known bug) for parity runs.
   */
  public static GradientPenalty gradientPenalty(double weight) {
    return new GradientPenalty(weight, false);
  }

  /**
   * R1 (Mescheder et al. 2018): {@code gamma / 2 * E[||grad_x D(x)||^2]} on real images only, with
   * D's outputs of the pass; reported as {@code r1_penalty}.
   */
  public static Penalty r1(double gamma) {
    if (!(gamma > 0)) {
      throw new IllegalArgumentException("R1: expected a gamma > 0, got " + gamma);
    }
    return new Penalty() {
      @Override
      public String metricName() {
        return "r1_penalty";
      }

      @Override
      public double weight() {
        return gamma / 2;
      }

      @Override
      public <T extends TFloating> Operand<T> compute(LossInputs<T> in) {
        Ops tf = in.tf();
        Operand<T> grads = Tape.gradients(tf, in.realScores(), List.of(in.realImages()), in.type()).get(0);
        return tf.math.mean(squaredNorms(tf, grads), tf.constant(0));
      }
    };
  }

  /** Per example, the sum of squares over every axis but the batch: [n]. */
  static <T extends TFloating> Operand<T> squaredNorms(Ops tf, Operand<T> x) {
    int rank = x.shape().numDimensions();
    if (rank < 2) {
      throw new IllegalArgumentException("expected a batch [n, ...] of rank 2 or more, got shape " + x.shape());
    }
    int[] axes = new int[rank - 1];
    for (int i = 0; i < axes.length; i++) {
      axes[i] = i + 1;
    }
    return tf.reduceSum(tf.math.square(x), tf.constant(axes), ReduceSum.keepDims(false));
  }

  /**
   * Targets shaped like {@code output}. Built from {@code Fill(Shape(output))}: Shape has no
   * gradient to follow, whereas {@code OnesLike(output)} lies on the gradient path and has none.
   */
  static <T extends TFloating> Operand<T> filled(Ops tf, Operand<T> output, double value) {
    return tf.fill(tf.shape(output), FloatTypes.constant(tf, value, output.type()));
  }

  /**
   * Binary cross-entropy, in the variants the seed tutorials use; metrics {@code d_loss, g_loss,
   * d_real, d_fake} (the last two D's mean belief, as a probability, that its inputs are real).
   *
   * @param fromLogits D outputs logits (seed 000) rather than sigmoid probabilities (seeds 001, 003)
   * @param realLabel the real target, 1 (0.9 for one-sided label smoothing)
   * @param labelNoise seed 003's noisy labels: real + noise * U(0,1), fake - noise * U(0,1); 0 for none
   * @param averageTerms D's loss is (real + fake) / 2 instead of real + fake
   * @param minimax G minimises log(1 - D(G(z))) instead of BCE(1, D(G(z)))
   */
  public record Bce(boolean fromLogits, double realLabel, double labelNoise, boolean averageTerms, boolean minimax)
      implements GanLoss {
    public Bce {
      if (!(realLabel > 0 && realLabel <= 1)) {
        throw new IllegalArgumentException("expected a real label in (0, 1], got " + realLabel);
      }
      if (!(labelNoise >= 0 && labelNoise < 1)) {
        throw new IllegalArgumentException("expected label noise in [0, 1), got " + labelNoise);
      }
    }

    /** D ends in a sigmoid: its outputs are probabilities (Keras {@code BinaryCrossentropy()}). */
    public Bce onProbabilities() {
      return new Bce(false, realLabel, labelNoise, averageTerms, minimax);
    }

    /** One-sided label smoothing: real targets {@code label} (seed 001: 0.9). */
    public Bce realLabel(double label) {
      return new Bce(fromLogits, label, labelNoise, averageTerms, minimax);
    }

    /** Seed 003's noisy labels: real targets 1 + noise * U(0,1), fake -noise * U(0,1). */
    public Bce labelNoise(double noise) {
      return new Bce(fromLogits, realLabel, noise, averageTerms, minimax);
    }

    /** D's loss as the mean of its real and fake terms (seed 003) instead of their sum. */
    public Bce averaged() {
      return new Bce(fromLogits, realLabel, labelNoise, true, minimax);
    }

    @Override
    public List<String> metricNames() {
      return List.of("d_loss", GENERATOR_LOSS, "d_real", "d_fake");
    }

    @Override
    public <T extends TFloating> Map<String, Operand<T>> discriminator(LossInputs<T> in) {
      Ops tf = in.tf();
      Class<T> type = in.type();
      Operand<T> realTargets = filled(tf, in.realScores(), realLabel);
      Operand<T> fakeTargets = filled(tf, in.fakeScores(), 0);
      if (labelNoise > 0) {
        realTargets = tf.math.add(realTargets, scaledUniform(tf, in.realCount(), in.random(), "real_label_noise", type));
        fakeTargets = tf.math.sub(fakeTargets, scaledUniform(tf, in.fakeCount(), in.random(), "fake_label_noise", type));
      }
      Operand<T> real = bce(tf, realTargets, in.realScores());
      Operand<T> fake = bce(tf, fakeTargets, in.fakeScores());
      if (averageTerms) {
        // (real + fake) / 2 as real / 2 + fake / 2: halving is exact, so the same value to the last bit.
        real = tf.math.div(real, FloatTypes.constant(tf, 2, type));
        fake = tf.math.div(fake, FloatTypes.constant(tf, 2, type));
      }
      Map<String, Operand<T>> metrics = new LinkedHashMap<>();
      // AddN, not Add: the same sum, but its gradient passes dy to both terms as it is, where Add's
      // (TensorFlow's C++ gradient) reads Shape(real) and Shape(fake) to undo broadcasting, so the real
      // images' branch of D's gradient would wait for the fake branch's forward pass (G, then D(G(z))),
      // which Python's tape, knowing the shapes, does not. See docs/performance.md.
      metrics.put("d_loss", tf.math.addN(List.of(real, fake)));
      metrics.put("d_real", meanProbability(tf, in.realScores()));
      metrics.put("d_fake", meanProbability(tf, in.fakeScores()));
      return metrics;
    }

    @Override
    public <T extends TFloating> Operand<T> generator(Ops tf, Operand<T> fakeScores) {
      if (minimax) {
        return tf.math.neg(bce(tf, filled(tf, fakeScores, 0), fakeScores));
      }
      return bce(tf, filled(tf, fakeScores, 1), fakeScores); // the real target 1, not the smoothed label
    }

    /**
     * D's loss on one mixed batch, as seed 001's {@code discriminator.train_on_batch(X, yDis)}: the
     * first {@code realCount} rows real with target {@code realLabel}, the next {@code fakeCount}
     * fake with target 0; BCE averaged over all rows.
     */
    @Override
    public <T extends TFloating> Map<String, Operand<T>> mixedBatch(LossInputs<T> in, Operand<T> scores,
        Operand<TInt32> realCount, int fakeCount) {
      if (labelNoise > 0 || averageTerms) {
        throw new UnsupportedOperationException("a mixed batch: expected neither label noise nor averaged terms, got "
            + this);
      }
      Ops tf = in.tf();
      Class<T> type = scores.type();
      Operand<TInt32> realShape = tf.concat(List.of(realCount, tf.constant(new int[] {1})), tf.constant(0));
      Operand<T> targets = tf.concat(List.of(
          tf.fill(realShape, FloatTypes.constant(tf, realLabel, type)),
          tf.fill(tf.constant(new int[] {fakeCount, 1}), FloatTypes.constant(tf, 0, type))), tf.constant(0));
      Map<String, Operand<T>> metrics = new LinkedHashMap<>();
      metrics.put("d_loss", bce(tf, targets, scores));
      metrics.put("d_real", meanProbability(tf, in.realScores()));
      metrics.put("d_fake", meanProbability(tf, in.fakeScores()));
      return metrics;
    }

    /** D's mean belief that its inputs are real, as a probability (for logs). */
    private <T extends TFloating> Operand<T> meanProbability(Ops tf, Operand<T> output) {
      return meanOfAll(tf, fromLogits ? tf.math.sigmoid(output) : output);
    }

    private <T extends TFloating> Operand<T> bce(Ops tf, Operand<T> targets, Operand<T> output) {
      return fromLogits ? CrossEntropy.bceFromLogits(tf, targets, output) : CrossEntropy.bceOnProbabilities(tf, targets, output);
    }

    /** noise * U(0, 1) of shape [count, 1] (the U(0, 1) draw is what a parity run overrides). */
    private <T extends TFloating> Operand<T> scaledUniform(Ops tf, Operand<TInt64> count, RandomSource random, String name,
        Class<T> type) {
      Operand<TInt64> shape = tf.stack(List.of(count, tf.constant(1L)));
      Operand<T> unit = random.named(name, tf.identity(RandomSource.uniform(tf, shape, random.key(tf, random.newStream()), type)));
      return tf.math.mul(unit, FloatTypes.constant(tf, labelNoise, type));
    }
  }
}

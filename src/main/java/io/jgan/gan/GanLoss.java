package io.jgan.gan;

import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.family.TFloating;

/**
 * A GAN objective: what the discriminator (critic) minimises and what the generator minimises,
 * as functions of D's outputs, as TF-GAN's {@code gan_loss} splits them. The catalogue is
 * {@link Losses} (minimax and non-saturating cross-entropy, least squares, hinge, Wasserstein, with
 * the gradient penalty or R1 added by {@link #withPenalty}); implement this interface for a loss of
 * your own and give it to any step of {@link Steps}:
 *
 * <pre>{@code
 * GanLoss softplus = new GanLoss() {
 *   public List<String> metricNames() { return List.of("d_loss", "g_loss"); }
 *   public <T extends TFloating> Map<String, Operand<T>> discriminator(LossInputs<T> in) {
 *     Ops tf = in.tf();   // softplus(-D(x)) + softplus(D(G(z))), averaged
 *     return Map.of("d_loss", tf.math.add(CrossEntropy.meanOfAll(tf, tf.math.softplus(tf.math.neg(in.realScores()))),
 *         CrossEntropy.meanOfAll(tf, tf.math.softplus(in.fakeScores()))));
 *   }
 *   public <T extends TFloating> Operand<T> generator(Ops tf, Operand<T> fakeScores) {
 *     return CrossEntropy.meanOfAll(tf, tf.math.softplus(tf.math.neg(fakeScores)));
 *   }
 * };
 * }</pre>
 */
public interface GanLoss {
  /**
   * Every metric the step reports, in the order of a run's {@code losses.csv}: the discriminator's
   * loss first (e.g. {@code d_loss}, {@code critic_loss}), the generator's ({@link #GENERATOR_LOSS}),
   * and the others {@link #discriminator} returns.
   */
  List<String> metricNames();

  /** The name of the generator's loss among the metrics. */
  String GENERATOR_LOSS = "g_loss";

  /**
   * The discriminator's loss and its other metrics, by name ({@link #metricNames} minus
   * {@link #GENERATOR_LOSS}); the first entry is the loss D minimises, each a scalar.
   */
  <T extends TFloating> Map<String, Operand<T>> discriminator(LossInputs<T> in);

  /** What the generator minimises, from D's outputs on its images [n, 1]: a scalar. */
  <T extends TFloating> Operand<T> generator(Ops tf, Operand<T> fakeScores);

  /**
   * The discriminator's metrics (as {@link #discriminator}) when D is trained on one mixed batch
   * {@code concat([real; fake])} (seed 001's {@code discriminator.train_on_batch}): {@code scores}
   * [realCount + fakeCount, 1] are D's outputs on it, the first {@code realCount} rows real, and
   * {@code in}'s real and fake scores the two halves of it. Only losses that can say what a mixed
   * batch means implement it.
   */
  default <T extends TFloating> Map<String, Operand<T>> mixedBatch(LossInputs<T> in, Operand<T> scores,
      Operand<TInt32> realCount, int fakeCount) {
    throw new UnsupportedOperationException(getClass().getSimpleName() + " has no mixed-batch form: expected a "
        + "cross-entropy loss for a step that trains D on [real; fake] in one call");
  }

  /** This loss with {@code penalty} added to the discriminator's (e.g. {@link Losses#gradientPenalty}). */
  default GanLoss withPenalty(Penalty penalty) {
    return new Penalized(this, penalty);
  }
}

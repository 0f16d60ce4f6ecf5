package io.jgan.gan;

import org.tensorflow.Operand;
import org.tensorflow.types.family.TFloating;

/**
 * A regulariser of the discriminator added to its loss with a weight: {@code d_loss + weight *
 * penalty}, the penalty reported as its own metric ({@link #metricName}). The gradient penalty of
 * WGAN-GP and R1 are in {@link Losses}.
 *
 * <pre>{@code
 * Penalty r1 = Losses.r1(10);   // gamma = 10, on real images
 * GanLoss loss = Losses.nonSaturating().withPenalty(r1);
 * }</pre>
 */
public interface Penalty {
  /** The metric the unweighted penalty is reported as, e.g. {@code gradient_penalty}. */
  String metricName();

  /** The weight it is added with (lambda, gamma / 2). */
  double weight();

  /** The unweighted penalty of one discriminator pass, a scalar. */
  <T extends TFloating> Operand<T> compute(LossInputs<T> in);
}

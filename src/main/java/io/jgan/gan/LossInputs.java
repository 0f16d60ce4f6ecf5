package io.jgan.gan;

import io.jgan.nn.RandomSource;
import java.util.function.Function;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TInt64;
import org.tensorflow.types.family.TFloating;

/**
 * What a {@link GanLoss} sees of one discriminator (critic) pass: D's outputs on real and generated
 * images, the images themselves, D as a function of images (for penalties that differentiate it),
 * and the random source for draws the loss makes (label noise, penalty alphas).
 *
 * <pre>
 *   realScores = D(real) [n, 1]    fakeScores = D(fake) [m, 1]    critic(x) = D(x) in the same pass
 * </pre>
 *
 * <pre>{@code
 * Operand<T> dLoss = Losses.nonSaturating().discriminator(new LossInputs<>(tf, realScores, fakeScores, real, fake,
 *     x -> s.discriminate(tf, x, null, pass), s.random(), StepBuilder.batchOf(tf, real),
 *     StepBuilder.batchOf(tf, real))).get("d_loss");
 * }</pre>
 *
 * @param tf where the loss's ops are built
 * @param realScores D's outputs on the real batch, [realCount, 1]
 * @param fakeScores D's outputs on the generated batch, [fakeCount, 1]
 * @param realImages the real batch [n, h, w, c]
 * @param fakeImages the generated batch, outside the generator's gradient
 * @param critic D (with the batch's labels, if any, bound) in the same pass, for penalties
 * @param random the step's random source: a loss's draws take new streams of it
 * @param realCount, fakeCount the two batch sizes as scalars that do not depend on any weight (a
 *     random op whose shape came from D's output would lie on the gradient path, where it has no
 *     gradient)
 * @param <T> float32 (training) or float64 (the parity checks)
 */
public record LossInputs<T extends TFloating>(Ops tf, Operand<T> realScores, Operand<T> fakeScores,
    Operand<T> realImages, Operand<T> fakeImages, Function<Operand<T>, Operand<T>> critic, RandomSource random,
    Operand<TInt64> realCount, Operand<TInt64> fakeCount) {
  /** The type of every tensor here. */
  public Class<T> type() {
    return realScores.type();
  }
}

package io.jgan.train;

import io.jgan.nn.RandomSource;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;

/**
 * The original GAN objective as binary cross-entropy, in the variants the seed tutorials use.
 *
 * <p>Discriminator: BCE(real labels, D(x)) and BCE(fake labels, D(G(z))), summed (seed 000) or
 * averaged (seed 003). Generator (the non-saturating form): BCE(1, D(G(z))).
 *
 * @param fromLogits D outputs logits (seed 000) rather than sigmoid probabilities (seed 003)
 * @param realLabel the real target, 1 (0.9 for one-sided label smoothing)
 * @param labelNoise seed 003's noisy labels: real + noise * U(0,1), fake - noise * U(0,1); 0 for none
 * @param averageDiscriminatorTerms (real + fake) / 2 instead of real + fake
 */
public record BceGanLoss(boolean fromLogits, float realLabel, float labelNoise, boolean averageDiscriminatorTerms) {
  /** Seed 000: from logits, labels 1 and 0, D loss = real + fake. */
  public static final BceGanLoss TUTORIAL = new BceGanLoss(true, 1f, 0f, false);

  /**
   * D's loss on its outputs for real and generated images, [realCount, 1] and [fakeCount, 1]. The
   * counts must not depend on the weights (take them from the input placeholder and the latent
   * batch): the label noise is drawn with that shape, and a random op whose shape came from D's
   * output would lie on the gradient path, where it has no gradient.
   */
  public Operand<TFloat32> discriminator(Ops tf, Operand<TFloat32> realOutput, Operand<TFloat32> fakeOutput,
      RandomSource random, Operand<TInt64> realCount, Operand<TInt64> fakeCount) {
    Operand<TFloat32> realTargets = filled(tf, realOutput, realLabel);
    Operand<TFloat32> fakeTargets = filled(tf, fakeOutput, 0f);
    if (labelNoise > 0) {
      realTargets = tf.math.add(realTargets, scaledUniform(tf, realCount, random, "real_label_noise"));
      fakeTargets = tf.math.sub(fakeTargets, scaledUniform(tf, fakeCount, random, "fake_label_noise"));
    }
    Operand<TFloat32> total = tf.math.add(bce(tf, realTargets, realOutput), bce(tf, fakeTargets, fakeOutput));
    return averageDiscriminatorTerms ? tf.math.div(total, tf.constant(2f)) : total;
  }

  /**
   * D's loss on one mixed batch, as seed 001's {@code discriminator.train_on_batch(X, yDis)}:
   * {@code outputs} is D of concat([real, fake]), the first {@code realCount} rows real with target
   * {@code realLabel}, the next {@code fakeCount} fake with target 0; BCE averaged over all rows.
   */
  public Operand<TFloat32> mixedBatch(Ops tf, Operand<TFloat32> outputs, Operand<org.tensorflow.types.TInt32> realCount,
      int fakeCount) {
    Operand<org.tensorflow.types.TInt32> realShape = tf.concat(List.of(realCount, tf.constant(new int[] {1})), tf.constant(0));
    Operand<TFloat32> targets = tf.concat(List.of(
        tf.fill(realShape, tf.constant(realLabel)),
        tf.fill(tf.constant(new int[] {fakeCount, 1}), tf.constant(0f))), tf.constant(0));
    return bce(tf, targets, outputs);
  }

  /** G's loss: D should call its images real (target 1, not the smoothed real label). */
  public Operand<TFloat32> generator(Ops tf, Operand<TFloat32> fakeOutput) {
    return bce(tf, filled(tf, fakeOutput, 1f), fakeOutput);
  }

  /**
   * Targets shaped like {@code output}. Built from {@code Fill(Shape(output))}: Shape has no
   * gradient to follow, whereas {@code OnesLike(output)} lies on the gradient path and has none.
   */
  static Operand<TFloat32> filled(Ops tf, Operand<TFloat32> output, float value) {
    return tf.fill(tf.shape(output), tf.constant(value));
  }

  /** D's mean belief that its inputs are real, as a probability (for logs). */
  public Operand<TFloat32> meanProbability(Ops tf, Operand<TFloat32> output) {
    return Losses.meanOfAll(tf, fromLogits ? tf.math.sigmoid(output) : output);
  }

  private Operand<TFloat32> bce(Ops tf, Operand<TFloat32> targets, Operand<TFloat32> output) {
    return fromLogits ? Losses.bceFromLogits(tf, targets, output) : Losses.bceOnProbabilities(tf, targets, output);
  }

  /** noise * U(0, 1) of shape [count, 1] (the U(0, 1) draw is what a parity run overrides). */
  private Operand<TFloat32> scaledUniform(Ops tf, Operand<TInt64> count, RandomSource random, String name) {
    Operand<TInt64> shape = tf.stack(List.of(count, tf.constant(1L)));
    Operand<TFloat32> unit = random.named(name, tf.identity(RandomSource.uniform(tf, shape, random.key(tf, random.newStream()))));
    return tf.math.mul(unit, tf.constant(labelNoise));
  }
}

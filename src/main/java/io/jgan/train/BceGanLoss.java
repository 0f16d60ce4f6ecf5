package io.jgan.train;

import io.jgan.nn.FloatTypes;
import io.jgan.nn.RandomSource;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;
import org.tensorflow.types.family.TFloating;

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
public record BceGanLoss(boolean fromLogits, double realLabel, double labelNoise, boolean averageDiscriminatorTerms) {
  /** Seed 000: from logits, labels 1 and 0, D loss = real + fake. */
  public static final BceGanLoss TUTORIAL = new BceGanLoss(true, 1, 0, false);

  /**
   * D's loss on its outputs for real and generated images, [realCount, 1] and [fakeCount, 1]. The
   * counts must not depend on the weights (take them from the input placeholder and the latent
   * batch): the label noise is drawn with that shape, and a random op whose shape came from D's
   * output would lie on the gradient path, where it has no gradient.
   */
  public <T extends TFloating> Operand<T> discriminator(Ops tf, Operand<T> realOutput, Operand<T> fakeOutput,
      RandomSource random, Operand<TInt64> realCount, Operand<TInt64> fakeCount) {
    Class<T> type = realOutput.type();
    Operand<T> realTargets = filled(tf, realOutput, realLabel);
    Operand<T> fakeTargets = filled(tf, fakeOutput, 0);
    if (labelNoise > 0) {
      realTargets = tf.math.add(realTargets, scaledUniform(tf, realCount, random, "real_label_noise", type));
      fakeTargets = tf.math.sub(fakeTargets, scaledUniform(tf, fakeCount, random, "fake_label_noise", type));
    }
    Operand<T> real = bce(tf, realTargets, realOutput);
    Operand<T> fake = bce(tf, fakeTargets, fakeOutput);
    if (averageDiscriminatorTerms) {
      // (real + fake) / 2 as real / 2 + fake / 2: halving is exact, so the same value to the last bit.
      real = tf.math.div(real, FloatTypes.constant(tf, 2, type));
      fake = tf.math.div(fake, FloatTypes.constant(tf, 2, type));
    }
    // AddN, not Add: the same sum, but its gradient passes dy to both terms as it is, where Add's
    // (TensorFlow's C++ gradient) reads Shape(real) and Shape(fake) to undo broadcasting, so the real
    // images' branch of D's gradient would wait for the fake branch's forward pass (G, then D(G(z))),
    // which Python's tape, knowing the shapes, does not. See docs/performance.md.
    return tf.math.addN(List.of(real, fake));
  }

  /**
   * D's loss on one mixed batch, as seed 001's {@code discriminator.train_on_batch(X, yDis)}:
   * {@code outputs} is D of concat([real, fake]), the first {@code realCount} rows real with target
   * {@code realLabel}, the next {@code fakeCount} fake with target 0; BCE averaged over all rows.
   */
  public <T extends TFloating> Operand<T> mixedBatch(Ops tf, Operand<T> outputs, Operand<TInt32> realCount, int fakeCount) {
    Class<T> type = outputs.type();
    Operand<TInt32> realShape = tf.concat(List.of(realCount, tf.constant(new int[] {1})), tf.constant(0));
    Operand<T> targets = tf.concat(List.of(
        tf.fill(realShape, FloatTypes.constant(tf, realLabel, type)),
        tf.fill(tf.constant(new int[] {fakeCount, 1}), FloatTypes.constant(tf, 0, type))), tf.constant(0));
    return bce(tf, targets, outputs);
  }

  /** G's loss: D should call its images real (target 1, not the smoothed real label). */
  public <T extends TFloating> Operand<T> generator(Ops tf, Operand<T> fakeOutput) {
    return bce(tf, filled(tf, fakeOutput, 1), fakeOutput);
  }

  /**
   * Targets shaped like {@code output}. Built from {@code Fill(Shape(output))}: Shape has no
   * gradient to follow, whereas {@code OnesLike(output)} lies on the gradient path and has none.
   */
  static <T extends TFloating> Operand<T> filled(Ops tf, Operand<T> output, double value) {
    return tf.fill(tf.shape(output), FloatTypes.constant(tf, value, output.type()));
  }

  /** D's mean belief that its inputs are real, as a probability (for logs). */
  public <T extends TFloating> Operand<T> meanProbability(Ops tf, Operand<T> output) {
    return Losses.meanOfAll(tf, fromLogits ? tf.math.sigmoid(output) : output);
  }

  private <T extends TFloating> Operand<T> bce(Ops tf, Operand<T> targets, Operand<T> output) {
    return fromLogits ? Losses.bceFromLogits(tf, targets, output) : Losses.bceOnProbabilities(tf, targets, output);
  }

  /** noise * U(0, 1) of shape [count, 1] (the U(0, 1) draw is what a parity run overrides). */
  private <T extends TFloating> Operand<T> scaledUniform(Ops tf, Operand<TInt64> count, RandomSource random, String name,
      Class<T> type) {
    Operand<TInt64> shape = tf.stack(List.of(count, tf.constant(1L)));
    Operand<T> unit = random.named(name, tf.identity(RandomSource.uniform(tf, shape, random.key(tf, random.newStream()), type)));
    return tf.math.mul(unit, FloatTypes.constant(tf, labelNoise, type));
  }
}

package io.jgan.train;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * The GAN losses of the seed tutorials, as stateless functions of their inputs (Keras 3 / TF
 * formulas). Each returns a scalar: the mean over every element.
 */
public final class Losses {
  /** Keras {@code backend.epsilon()}, the clip of probabilities in binary cross-entropy. */
  public static final float KERAS_EPSILON = 1e-7f;

  private Losses() {}

  /**
   * Binary cross-entropy from logits, as {@code tf.nn.sigmoid_cross_entropy_with_logits}:
   * {@code max(x, 0) - x * z + log(1 + exp(-|x|))}, averaged (Keras
   * {@code BinaryCrossentropy(from_logits=True)}).
   */
  public static Operand<TFloat32> bceFromLogits(Ops tf, Operand<TFloat32> labels, Operand<TFloat32> logits) {
    Operand<TFloat32> zeros = BceGanLoss.filled(tf, logits, 0f);
    var nonNegative = tf.math.greaterEqual(logits, zeros);
    Operand<TFloat32> reluLogits = tf.select(nonNegative, logits, zeros);
    Operand<TFloat32> negAbsLogits = tf.select(nonNegative, tf.math.neg(logits), logits);
    Operand<TFloat32> perElement = tf.math.add(
        tf.math.sub(reluLogits, tf.math.mul(logits, labels)),
        tf.math.log1p(tf.math.exp(negAbsLogits)));
    return meanOfAll(tf, perElement);
  }

  /**
   * Binary cross-entropy on probabilities, as Keras 3's TensorFlow backend computes it: when the
   * probabilities are the direct output of a {@code Sigmoid} op (a {@code Dense(1, activation=
   * "sigmoid")} discriminator, seed 001), Keras takes that op's input as logits and uses the
   * stable logits formula; otherwise {@code p = clip(p, 1e-7, 1 - 1e-7)},
   * {@code -(z log p + (1 - z) log(1 - p))}, averaged (seed 003, whose sigmoid is followed by a
   * Flatten).
   */
  public static Operand<TFloat32> bceOnProbabilities(Ops tf, Operand<TFloat32> labels, Operand<TFloat32> probabilities) {
    if (probabilities.op() instanceof org.tensorflow.GraphOperation op && op.type().equals("Sigmoid")) {
      @SuppressWarnings("unchecked")
      Operand<TFloat32> logits = (Operand<TFloat32>) op.input(0);
      return bceFromLogits(tf, labels, logits);
    }
    return clippedBce(tf, labels, probabilities);
  }

  /** Keras's formula on probabilities, clipped to [1e-7, 1 - 1e-7] (no logits shortcut). */
  public static Operand<TFloat32> clippedBce(Ops tf, Operand<TFloat32> labels, Operand<TFloat32> probabilities) {
    Operand<TFloat32> p = tf.math.minimum(
        tf.math.maximum(probabilities, tf.constant(KERAS_EPSILON)), tf.constant(1f - KERAS_EPSILON));
    Operand<TFloat32> one = tf.constant(1f);
    Operand<TFloat32> logLikelihood = tf.math.add(
        tf.math.mul(labels, tf.math.log(p)),
        tf.math.mul(tf.math.sub(one, labels), tf.math.log(tf.math.sub(one, p))));
    return meanOfAll(tf, tf.math.neg(logLikelihood));
  }

  /** The mean of every element of {@code x} (a scalar). */
  public static Operand<TFloat32> meanOfAll(Ops tf, Operand<TFloat32> x) {
    return tf.math.mean(tf.reshape(x, tf.constant(new long[] {-1})), tf.constant(0));
  }
}

package io.jgan.gan;

import io.jgan.nn.FloatTypes;
import org.tensorflow.GraphOperation;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.family.TFloating;

/**
 * The cross-entropies of the seed tutorials and the judges, as stateless functions of their inputs (Keras 3 / TF
 * formulas), in the inputs' floating type. Each returns a scalar: the mean over every element.
 *
 * <pre>{@code
 * Operand<T> dLoss = tf.math.add(CrossEntropy.bceFromLogits(tf, 1, realScores),
 *     CrossEntropy.bceFromLogits(tf, 0, fakeScores));
 * Operand<T> l1 = CrossEntropy.meanOfAll(tf, tf.math.abs(tf.math.sub(real, fake)));
 * }</pre>
 */
public final class CrossEntropy {
  /** Keras {@code backend.epsilon()}, the clip of probabilities in binary cross-entropy. */
  public static final double KERAS_EPSILON = 1e-7;

  private CrossEntropy() {}

  /**
   * Binary cross-entropy from logits, as {@code tf.nn.sigmoid_cross_entropy_with_logits}:
   * {@code max(x, 0) - x * z + log(1 + exp(-|x|))}, averaged (Keras
   * {@code BinaryCrossentropy(from_logits=True)}).
   */
  public static <T extends TFloating> Operand<T> bceFromLogits(Ops tf, Operand<T> labels, Operand<T> logits) {
    Operand<T> zeros = Losses.filled(tf, logits, 0);
    var nonNegative = tf.math.greaterEqual(logits, zeros);
    Operand<T> reluLogits = tf.select(nonNegative, logits, zeros);
    Operand<T> negAbsLogits = tf.select(nonNegative, tf.math.neg(logits), logits);
    Operand<T> perElement = tf.math.add(
        tf.math.sub(reluLogits, tf.math.mul(logits, labels)),
        tf.math.log1p(tf.math.exp(negAbsLogits)));
    return meanOfAll(tf, perElement);
  }

  /**
   * {@link #bceFromLogits(Ops, Operand, Operand)} of every logit against one {@code label} (Keras
   * {@code BinaryCrossentropy(from_logits=True)(label * ones_like(logits), logits)}), the targets made
   * from the logits' shape outside the gradient: the building block of a {@link GanLoss} of your own,
   * e.g. keras-io's conditional GAN, whose discriminator learns fake = 1 and real = 0:
   *
   * <pre>{@code
   * Operand<T> dLoss = tf.math.add(CrossEntropy.bceFromLogits(tf, 1, in.fakeScores()),
   *     CrossEntropy.bceFromLogits(tf, 0, in.realScores()));
   * }</pre>
   *
   * @param label the target of every element, e.g. 1 or 0 (0.9 for a smoothed real label), in the logits' type
   */
  public static <T extends TFloating> Operand<T> bceFromLogits(Ops tf, double label, Operand<T> logits) {
    return bceFromLogits(tf, Losses.filled(tf, logits, label), logits);
  }

  /**
   * Binary cross-entropy on probabilities, as Keras 3's TensorFlow backend computes it: when the
   * probabilities are the direct output of a {@code Sigmoid} op (a {@code Dense(1, activation=
   * "sigmoid")} discriminator, seed 001), Keras takes that op's input as logits and uses the
   * stable logits formula; otherwise {@code p = clip(p, 1e-7, 1 - 1e-7)},
   * {@code -(z log p + (1 - z) log(1 - p))}, averaged (seed 003, whose sigmoid is followed by a
   * Flatten).
   */
  public static <T extends TFloating> Operand<T> bceOnProbabilities(Ops tf, Operand<T> labels, Operand<T> probabilities) {
    if (probabilities.op() instanceof GraphOperation op && op.type().equals("Sigmoid")) {
      Operand<T> logits = FloatTypes.as(op.input(0), probabilities.type(), "the sigmoid's input");
      return bceFromLogits(tf, labels, logits);
    }
    return clippedBce(tf, labels, probabilities);
  }

  /**
   * Keras's formula on probabilities, clipped to [1e-7, 1 - 1e-7] (no logits shortcut); both bounds
   * are Python floats ({@code 1.0 - epsilon} computed in double) rounded to the tensor's type.
   */
  public static <T extends TFloating> Operand<T> clippedBce(Ops tf, Operand<T> labels, Operand<T> probabilities) {
    Class<T> type = probabilities.type();
    Operand<T> p = tf.math.minimum(
        tf.math.maximum(probabilities, FloatTypes.constant(tf, KERAS_EPSILON, type)),
        FloatTypes.constant(tf, 1.0 - KERAS_EPSILON, type));
    Operand<T> one = FloatTypes.constant(tf, 1, type);
    Operand<T> logLikelihood = tf.math.add(
        tf.math.mul(labels, tf.math.log(p)),
        tf.math.mul(tf.math.sub(one, labels), tf.math.log(tf.math.sub(one, p))));
    return meanOfAll(tf, tf.math.neg(logLikelihood));
  }

  /**
   * Categorical cross-entropy from logits, as Keras {@code CategoricalCrossentropy(from_logits=True)}
   * and {@code tf.nn.softmax_cross_entropy_with_logits}: per example
   * {@code -sum_k y_k log softmax(x)_k = logsumexp(x) - sum_k y_k x_k}, averaged over the batch.
   * {@code labels} are one-hot (or any distribution) [n, classes], {@code logits} [n, classes].
   * TensorFlow's fused op computes it stably (the max logit subtracted first) and has a gradient.
   */
  public static <T extends TFloating> Operand<T> softmaxCrossEntropyFromLogits(Ops tf, Operand<T> labels,
      Operand<T> logits) {
    return meanOfAll(tf, tf.nn.softmaxCrossEntropyWithLogits(logits, labels).loss());
  }

  /** The mean of every element of {@code x} (a scalar). */
  public static <T extends TFloating> Operand<T> meanOfAll(Ops tf, Operand<T> x) {
    return tf.math.mean(tf.reshape(x, tf.constant(new long[] {-1})), tf.constant(0));
  }
}

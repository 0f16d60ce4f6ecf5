package io.jgan.gan;

import static io.jgan.gan.CrossEntropy.meanOfAll;

import io.jgan.nn.FloatTypes;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.family.TFloating;

/**
 * The losses on D's raw outputs (scores, no sigmoid) of {@link Losses#leastSquares()} and
 * {@link Losses#hinge()}; metrics {@code d_loss, g_loss, d_real, d_fake}, the last two D's mean
 * score on real and generated images.
 */
enum ScoreLoss implements GanLoss {
  /** D: (D(x) - 1)^2 / 2 + D(G(z))^2 / 2; G: (D(G(z)) - 1)^2 / 2 (Mao et al. 2017). */
  LEAST_SQUARES {
    @Override
    <T extends TFloating> Operand<T> discriminatorLoss(Ops tf, Operand<T> real, Operand<T> fake) {
      Operand<T> half = FloatTypes.constant(tf, 0.5, real.type());
      Operand<T> one = FloatTypes.constant(tf, 1, real.type());
      return tf.math.mul(half, tf.math.add(meanOfAll(tf, tf.math.square(tf.math.sub(real, one))),
          meanOfAll(tf, tf.math.square(fake))));
    }

    @Override
    public <T extends TFloating> Operand<T> generator(Ops tf, Operand<T> fakeScores) {
      Operand<T> one = FloatTypes.constant(tf, 1, fakeScores.type());
      return tf.math.mul(FloatTypes.constant(tf, 0.5, fakeScores.type()),
          meanOfAll(tf, tf.math.square(tf.math.sub(fakeScores, one))));
    }
  },

  /** D: max(0, 1 - D(x)) + max(0, 1 + D(G(z))); G: -D(G(z)) (Lim and Ye 2017). */
  HINGE {
    @Override
    <T extends TFloating> Operand<T> discriminatorLoss(Ops tf, Operand<T> real, Operand<T> fake) {
      Operand<T> one = FloatTypes.constant(tf, 1, real.type());
      return tf.math.add(meanOfAll(tf, tf.nn.relu(tf.math.sub(one, real))),
          meanOfAll(tf, tf.nn.relu(tf.math.add(one, fake))));
    }

    @Override
    public <T extends TFloating> Operand<T> generator(Ops tf, Operand<T> fakeScores) {
      return tf.math.neg(meanOfAll(tf, fakeScores));
    }
  };

  abstract <T extends TFloating> Operand<T> discriminatorLoss(Ops tf, Operand<T> real, Operand<T> fake);

  @Override
  public List<String> metricNames() {
    return List.of("d_loss", GENERATOR_LOSS, "d_real", "d_fake");
  }

  @Override
  public <T extends TFloating> Map<String, Operand<T>> discriminator(LossInputs<T> in) {
    Ops tf = in.tf();
    Map<String, Operand<T>> metrics = new LinkedHashMap<>();
    metrics.put("d_loss", discriminatorLoss(tf, in.realScores(), in.fakeScores()));
    metrics.put("d_real", meanOfAll(tf, in.realScores()));
    metrics.put("d_fake", meanOfAll(tf, in.fakeScores()));
    return metrics;
  }
}

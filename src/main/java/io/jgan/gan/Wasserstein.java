package io.jgan.gan;

import static io.jgan.gan.CrossEntropy.meanOfAll;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.family.TFloating;

/**
 * The Wasserstein critic loss (Arjovsky et al. 2017): the critic minimises
 * {@code mean D(G(z)) - mean D(x)} ({@code critic_loss}), the generator {@code -mean D(G(z))};
 * {@code wasserstein} reports the estimate {@code mean D(x) - mean D(G(z))}.
 */
final class Wasserstein implements GanLoss {
  @Override
  public List<String> metricNames() {
    return List.of("critic_loss", "wasserstein", GENERATOR_LOSS);
  }

  @Override
  public <T extends TFloating> Map<String, Operand<T>> discriminator(LossInputs<T> in) {
    Ops tf = in.tf();
    Operand<T> loss = tf.math.sub(meanOfAll(tf, in.fakeScores()), meanOfAll(tf, in.realScores()));
    Map<String, Operand<T>> metrics = new LinkedHashMap<>();
    metrics.put("critic_loss", loss);
    metrics.put("wasserstein", tf.math.neg(loss));
    return metrics;
  }

  @Override
  public <T extends TFloating> Operand<T> generator(Ops tf, Operand<T> fakeScores) {
    return tf.math.neg(meanOfAll(tf, fakeScores));
  }
}

package io.jgan.gan;

import io.jgan.nn.FloatTypes;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.family.TFloating;

/**
 * A loss with a penalty added to the discriminator's: {@code d_loss + weight * penalty}; the
 * unweighted penalty is reported under its own name, listed just before {@code g_loss}. Made by
 * {@link GanLoss#withPenalty}.
 *
 * <pre>{@code
 * GanLoss loss = Losses.wasserstein().withPenalty(Losses.gradientPenalty(10));   // a Penalized
 * List<String> metrics = loss.metricNames();
 * }</pre>
 *
 * @param base the loss penalised
 * @param penalty what is added to its discriminator loss
 */
public record Penalized(GanLoss base, Penalty penalty) implements GanLoss {
  public Penalized {
    if (base.metricNames().contains(penalty.metricName())) {
      throw new IllegalArgumentException("expected one " + penalty.metricName() + " penalty, got it twice");
    }
  }

  @Override
  public List<String> metricNames() {
    List<String> names = new ArrayList<>(base.metricNames());
    names.add(names.indexOf(GENERATOR_LOSS), penalty.metricName());
    return names;
  }

  @Override
  public <T extends TFloating> Map<String, Operand<T>> discriminator(LossInputs<T> in) {
    Map<String, Operand<T>> baseMetrics = base.discriminator(in);
    Ops tf = in.tf();
    Operand<T> value = penalty.compute(in);
    Map<String, Operand<T>> metrics = new LinkedHashMap<>();
    boolean first = true;
    for (Map.Entry<String, Operand<T>> e : baseMetrics.entrySet()) {
      metrics.put(e.getKey(), first
          ? tf.math.add(e.getValue(), tf.math.mul(value, FloatTypes.constant(tf, penalty.weight(), in.type())))
          : e.getValue());
      first = false;
    }
    metrics.put(penalty.metricName(), value);
    return metrics;
  }

  @Override
  public <T extends TFloating> Operand<T> generator(Ops tf, Operand<T> fakeScores) {
    return base.generator(tf, fakeScores);
  }
}

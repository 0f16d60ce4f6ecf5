package io.jgan.gan;

import java.util.List;
import org.tensorflow.op.core.Placeholder;

/**
 * A {@link GanStep} as built into a graph: its session runs ({@link Phase}s) in order, the metrics
 * they report, and the placeholders its batch is fed into.
 *
 * <pre>{@code
 * return new BuiltStep(List.copyOf(metrics.keySet()),
 *     List.of(new Phase("both", 0, true, metrics, update, random)), real, null);
 * }</pre>
 *
 * @param metricNames the metrics of one step, in report order; each reported by a phase (a later
 *     phase's value of a name replaces an earlier one's: WGAN-GP reports its last critic iteration)
 * @param phases the session runs of one step, in order
 * @param realImages the batch placeholder
 * @param labels its one-hot labels' placeholder, or null for an unconditional step
 */
public record BuiltStep(List<String> metricNames, List<Phase> phases, Placeholder<?> realImages, Placeholder<?> labels) {
  public BuiltStep {
    metricNames = List.copyOf(metricNames);
    phases = List.copyOf(phases);
    for (String name : metricNames) {
      if (phases.stream().noneMatch(p -> p.metrics().containsKey(name))) {
        throw new IllegalArgumentException("metric " + name + ": expected a phase that reports it, got none");
      }
    }
  }
}

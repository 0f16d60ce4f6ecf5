package io.jgan.training;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What a {@link Callback} sees of a run: where it writes, how far it is, its latest metrics.
 *
 * <pre>{@code
 * public void onStep(RunState run, long step, Map<String, Double> metrics) {
 *   System.out.println(run.runDir() + " epoch " + run.epoch() + ": " + run.lastMetrics());
 * }
 * }</pre>
 */
public interface RunState {
  /** The run directory. */
  Path runDir();

  /** Steps done in all (before this process too). */
  long globalStep();

  /** Epochs completed. */
  long epoch();

  /** The names of the step's metrics, in {@code losses.csv}'s order. */
  List<String> metricNames();

  /** The last step's metrics by name; empty before the first step. */
  Map<String, Double> lastMetrics();
}

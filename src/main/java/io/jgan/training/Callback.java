package io.jgan.training;

import java.util.Map;

/**
 * What a program hears of a run as it goes, for its own logging, plots or early stopping (Keras's
 * callbacks, DJL's TrainingListener); every method has an empty default. Throwing from one stops
 * the run with that exception (the latest checkpoint stays the latest).
 *
 * <pre>{@code
 * Training.of(gan).callback(new Callback() {
 *   public void onEpochEnd(RunState run, long epoch, double seconds) {
 *     System.out.printf("epoch %d: %s%n", epoch, run.lastMetrics());
 *   }
 * }).train();
 * }</pre>
 */
public interface Callback {
  /** Before the first step of this process (fresh or resumed). */
  default void onTrainStart(RunState run) {}

  /** After each step, with its metrics by name (e.g. {@code d_loss}, {@code g_loss}). */
  default void onStep(RunState run, long globalStep, Map<String, Double> metrics) {}

  /** After epoch {@code epoch} (1-based) completed in {@code seconds}. */
  default void onEpochEnd(RunState run, long epoch, double seconds) {}

  /** After the last step (also when the run was asked to stop and has saved). */
  default void onTrainEnd(RunState run) {}
}

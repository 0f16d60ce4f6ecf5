package io.jgan.train.loop;

/**
 * Side effects of training (progress output, sample grids, checkpoints, logs) live here, outside
 * the training loop. Every method has an empty default.
 */
public interface TrainingListener {
  /** Before the first step of this process (fresh or resumed). */
  default void onTrainStart(TrainingRun run) {}

  default void onEpochStart(TrainingRun run, long epoch, int steps) {}

  /** After each step, with the step's metrics (names in {@link TrainingRun#metricNames()}). */
  default void onStep(TrainingRun run, long globalStep, int stepInEpoch, float[] metrics) {}

  /**
   * Whether {@link #onStep} for step {@code globalStep} reads the session's state (weights, a sample
   * grid, a checkpoint). The trainer runs several steps per session run ({@link Trainer#withStepsPerRun})
   * only where no listener reads the state after any but the last of them: the steps inside such a
   * run are reported when the session is already past them. The default, yes, is always safe.
   */
  default boolean readsStateAfter(TrainingRun run, long globalStep) {
    return true;
  }

  /** After epoch {@code epoch} (1-based, as the tutorial prints it) completed in {@code seconds}. */
  default void onEpochEnd(TrainingRun run, long epoch, double seconds) {}

  /** After the last epoch. */
  default void onTrainEnd(TrainingRun run) {}

  /**
   * Instead of {@link #onTrainEnd} when the run was asked to stop ({@link StopRequest}) after the
   * step it has just finished: save what must not be lost, close what is open.
   */
  default void onStop(TrainingRun run) {}
}

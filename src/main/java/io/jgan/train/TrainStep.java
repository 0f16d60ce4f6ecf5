package io.jgan.train;

import io.jgan.data.Batch;
import java.util.List;
import org.tensorflow.Session;

/**
 * One training step of a GAN (the tutorial's {@code train_step}), built into the graph once and
 * run once per batch.
 */
public interface TrainStep {
  /** Names of the values {@link #run} returns, in order: losses first, e.g. {@code d_loss, g_loss, d_real, d_fake}. */
  List<String> metricNames();

  /**
   * Runs one step on {@code batch} at global step {@code step} (which keys this step's noise and
   * dropout) and returns the metrics, computed before the update, as the tutorial's losses are.
   */
  float[] run(Session session, Batch batch, long step);

  /** Builds a preset's train step into a {@link GanGraph}. */
  @FunctionalInterface
  interface Factory {
    TrainStep build(GanGraph graph);
  }
}

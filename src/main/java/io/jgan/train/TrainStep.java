package io.jgan.train;

import io.jgan.data.Batch;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.Tensor;

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
  default float[] run(Session session, Batch batch, long step) {
    return run(session, batch, step, run -> Map.of());
  }

  /**
   * As {@link #run(Session, Batch, long)}, with some of the step's tensors replaced by fed values
   * (see {@link #overridable()}): a parity run feeds Python's noise and dropout masks this way.
   * A step may be several session runs (D then G; WGAN-GP's critic iterations then G);
   * {@code overrides} gives the replacements for run 0, 1, ... in that order.
   */
  float[] run(Session session, Batch batch, long step, IntFunction<Map<Operand<?>, Tensor>> overrides);

  /** Session runs per step: 1 for the DCGAN tutorial's step, 2 for D then G, n_critic + 1 for WGAN-GP. */
  default int runsPerStep() {
    return 1;
  }

  /**
   * The step's random tensors by name, in a stable order, that a parity run may override:
   * {@code noise} (the latent batch) and {@code dropout_0}, {@code dropout_1}, ... (D's dropout
   * keep-masks in call order), plus whatever else a step draws.
   */
  default Map<String, Operand<?>> overridable() {
    return Map.of();
  }

  /** Builds a preset's train step into a {@link GanGraph}. */
  @FunctionalInterface
  interface Factory {
    TrainStep build(GanGraph graph);
  }
}

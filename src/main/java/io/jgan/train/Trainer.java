package io.jgan.train;

import io.jgan.data.Batch;
import io.jgan.data.BatchSource;
import java.util.List;

/**
 * The training loop: epochs of shuffled batches, one {@link TrainStep} per batch, listeners for
 * everything else; it stops after the run's {@link Schedule}: its epochs or, if set, its number of
 * steps. Resumes from any {@link Progress} (epoch and step within it): batches and noise are keyed
 * on (seed, epoch, step), so a resumed run continues exactly where it stopped.
 */
public final class Trainer {
  private final TrainingRun run;
  private final BatchSource batches;
  private final List<TrainingListener> listeners;
  private final StopRequest stop;

  public Trainer(TrainingRun run, BatchSource batches, List<TrainingListener> listeners) {
    this(run, batches, listeners, new StopRequest());
  }

  /** @param stop checked before every step: once requested, the run stops where it is (see {@link StopRequest}) */
  public Trainer(TrainingRun run, BatchSource batches, List<TrainingListener> listeners, StopRequest stop) {
    this.run = run;
    this.batches = batches;
    this.listeners = List.copyOf(listeners);
    this.stop = stop;
  }

  /**
   * Trains until the schedule's end, or until a stop is requested; returns where the run stands
   * (a stopped run has called {@link TrainingListener#onStop} instead of {@code onTrainEnd}).
   */
  public Progress train() {
    stop.setTraining(true);
    try {
      return loop();
    } finally {
      stop.setTraining(false);
    }
  }

  private Progress loop() {
    TrainStep step = run.graph().trainStep();
    int stepsPerEpoch = run.stepsPerEpoch();
    listeners.forEach(l -> l.onTrainStart(run));
    Progress at = run.progress();
    long maxSteps = run.schedule().maxSteps();
    boolean stopped = false;
    epochs:
    for (long epoch = at.epoch(); epoch < run.schedule().epochs(); epoch++) {
      long started = System.nanoTime();
      int first = epoch == at.epoch() ? (int) at.stepInEpoch() : 0;
      for (TrainingListener l : listeners) {
        l.onEpochStart(run, epoch + 1, stepsPerEpoch);
      }
      for (int s = first; s < stepsPerEpoch; s++) {
        long globalStep = run.progress().globalStep();
        if (maxSteps > 0 && globalStep >= maxSteps) {
          break epochs; // seed 004 counts iterations, not epochs
        }
        if (stop.isRequested()) {
          stopped = true; // after the step that was running when the signal came
          break epochs;
        }
        float[] metrics;
        try (Batch batch = batches.batch(epoch, s)) {
          metrics = toFloat(step.run(run.session(), batch, globalStep));
        }
        requireFinite(metrics, globalStep + 1, epoch + 1);
        run.advance(new Progress(globalStep + 1, epoch, s + 1), metrics);
        for (TrainingListener l : listeners) {
          l.onStep(run, globalStep + 1, s + 1, metrics);
        }
      }
      run.advance(new Progress(run.progress().globalStep(), epoch + 1, 0), run.lastMetrics());
      double seconds = (System.nanoTime() - started) / 1e9;
      for (TrainingListener l : listeners) {
        l.onEpochEnd(run, epoch + 1, seconds);
      }
    }
    if (stopped) {
      listeners.forEach(l -> l.onStop(run));
    } else {
      listeners.forEach(l -> l.onTrainEnd(run));
    }
    return run.progress();
  }

  /** The metrics of a float32 graph, narrowed back exactly to the float32 values they were. */
  private static float[] toFloat(double[] metrics) {
    float[] out = new float[metrics.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = (float) metrics[i];
    }
    return out;
  }

  /** Stops the run at the first NaN or infinite metric, before any listener sees the step. */
  private void requireFinite(float[] metrics, long step, long epoch) {
    for (int i = 0; i < metrics.length; i++) {
      if (!Float.isFinite(metrics[i])) {
        throw new DivergedException(step, "training diverged at step " + step + " (epoch " + epoch + "): "
            + run.metricNames().get(i) + " is " + metrics[i] + "; stopped before logging or checkpointing it");
      }
    }
  }
}

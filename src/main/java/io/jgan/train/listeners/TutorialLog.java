package io.jgan.train.listeners;

import io.jgan.gan.StepLog;
import io.jgan.train.loop.TrainingListener;
import io.jgan.train.loop.TrainingRun;

/** Prints a tutorial's own periodic log line (seeds 002 and 004) with the D and G losses. */
public final class TutorialLog implements TrainingListener {
  private final StepLog log;

  public TutorialLog(StepLog log) {
    this.log = log;
  }

  @Override
  public void onStep(TrainingRun run, long globalStep, int stepInEpoch, float[] metrics) {
    if (globalStep % log.every() == 0) {
      int d = run.metricNames().indexOf("d_loss");
      int g = run.metricNames().indexOf("g_loss");
      run.out().println(log.format(globalStep, metrics[d], metrics[g]));
    }
  }

  /** Prints the metrics it is given, never the session's state. */
  @Override
  public boolean readsStateAfter(TrainingRun run, long globalStep) {
    return false;
  }
}

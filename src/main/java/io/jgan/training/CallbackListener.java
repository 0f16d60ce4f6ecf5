package io.jgan.training;

import io.jgan.train.loop.TrainingListener;
import io.jgan.train.loop.TrainingRun;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A program's {@link Callback} as one of the run's listeners. */
final class CallbackListener implements TrainingListener {
  private final Callback callback;

  CallbackListener(Callback callback) {
    this.callback = callback;
  }

  /** A view of {@code run} that changes as it goes. */
  private static RunState state(TrainingRun run) {
    return new RunState() {
      @Override public Path runDir() { return run.directory().root(); }
      @Override public long globalStep() { return run.progress().globalStep(); }
      @Override public long epoch() { return run.progress().epoch(); }
      @Override public List<String> metricNames() { return run.metricNames(); }
      @Override public Map<String, Double> lastMetrics() { return byName(run, run.lastMetrics()); }
    };
  }

  private static Map<String, Double> byName(TrainingRun run, float[] metrics) {
    Map<String, Double> named = new LinkedHashMap<>();
    if (metrics != null) {
      for (int i = 0; i < metrics.length; i++) {
        named.put(run.metricNames().get(i), (double) metrics[i]);
      }
    }
    return named;
  }

  @Override
  public void onTrainStart(TrainingRun run) {
    callback.onTrainStart(state(run));
  }

  @Override
  public void onStep(TrainingRun run, long globalStep, int stepInEpoch, float[] metrics) {
    callback.onStep(state(run), globalStep, byName(run, metrics));
  }

  /** A callback reads only the metrics, which every step reports: it never keeps steps from sharing a session run. */
  @Override
  public boolean readsStateAfter(TrainingRun run, long globalStep) {
    return false;
  }

  @Override
  public void onEpochEnd(TrainingRun run, long epoch, double seconds) {
    callback.onEpochEnd(state(run), epoch, seconds);
  }

  @Override
  public void onTrainEnd(TrainingRun run) {
    callback.onTrainEnd(state(run));
  }

  @Override
  public void onStop(TrainingRun run) {
    callback.onTrainEnd(state(run));
  }
}

package io.jgan.train.listeners;

import io.jgan.train.loop.TrainingListener;
import io.jgan.train.loop.TrainingRun;
import io.jgan.viz.LossCsv;
import io.jgan.viz.LossPlot;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes every step's metrics to {@code losses.csv} and redraws {@code losses.png} after every epoch
 * and at the end. The plot shows the losses (probabilities such as mean D(x) stay in the CSV and
 * TensorBoard).
 */
public final class LossLog implements TrainingListener {
  public static final String CSV = "losses.csv";
  public static final String PNG = "losses.png";

  private LossCsv csv;
  private final List<Long> steps = new ArrayList<>();
  private final List<float[]> rows = new ArrayList<>();

  @Override
  public void onTrainStart(TrainingRun run) {
    Path file = run.directory().resolve(CSV);
    long restored = run.progress().globalStep();
    csv = new LossCsv(file, run.metricNames(), restored);
    if (restored > 0 && Files.exists(file)) {
      for (LossCsv.Row row : LossCsv.read(file)) {
        steps.add(row.step());
        rows.add(row.values());
      }
    }
  }

  @Override
  public void onStep(TrainingRun run, long globalStep, int stepInEpoch, float[] metrics) {
    long epoch = run.progress().epoch() + 1;
    csv.append(globalStep, epoch, metrics);
    steps.add(globalStep);
    rows.add(metrics.clone());
  }

  /** Writes the metrics it is given, never the session's state. */
  @Override
  public boolean readsStateAfter(TrainingRun run, long globalStep) {
    return false;
  }

  @Override
  public void onEpochEnd(TrainingRun run, long epoch, double seconds) {
    plot(run);
  }

  @Override
  public void onTrainEnd(TrainingRun run) {
    plot(run);
    csv.close();
  }

  @Override
  public void onStop(TrainingRun run) {
    onTrainEnd(run);
  }

  private void plot(TrainingRun run) {
    List<String> names = new ArrayList<>();
    List<float[]> series = new ArrayList<>();
    List<String> metrics = run.metricNames();
    for (int m = 0; m < metrics.size(); m++) {
      String name = metrics.get(m);
      if (name.equals("d_real") || name.equals("d_fake")) {
        continue; // probabilities, not losses
      }
      float[] values = new float[rows.size()];
      for (int i = 0; i < rows.size(); i++) {
        values[i] = rows.get(i)[m];
      }
      names.add(name);
      series.add(values);
    }
    long[] x = steps.stream().mapToLong(Long::longValue).toArray();
    LossPlot.write(run.directory().resolve(PNG), run.graph().spec().name() + " losses", x, names, series);
  }
}

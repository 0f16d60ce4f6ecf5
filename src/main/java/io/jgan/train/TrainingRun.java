package io.jgan.train;

import io.jgan.store.GanCheckpoint;
import org.tensorflow.types.TFloat32;
import java.io.PrintStream;
import java.util.List;
import org.tensorflow.Session;

/**
 * What listeners see of a run in progress: its graph and session, configuration, directory and
 * where it stands.
 */
public final class TrainingRun {
  private final GanGraph<TFloat32> graph;
  private final Session session;
  private final TrainConfig config;
  private final RunDirectory directory;
  private final PrintStream out;
  private final int stepsPerEpoch;
  private GanCheckpoint.Progress progress;
  private float[] lastMetrics;

  public TrainingRun(GanGraph<TFloat32> graph, Session session, TrainConfig config, RunDirectory directory, PrintStream out,
      int stepsPerEpoch, GanCheckpoint.Progress progress) {
    this.graph = graph;
    this.session = session;
    this.config = config;
    this.directory = directory;
    this.out = out;
    this.stepsPerEpoch = stepsPerEpoch;
    this.progress = progress;
  }

  public GanGraph<TFloat32> graph() { return graph; }
  public Session session() { return session; }
  public TrainConfig config() { return config; }
  public RunDirectory directory() { return directory; }
  /** Where human-readable output goes. */
  public PrintStream out() { return out; }
  /** Steps in each epoch of this run (the --steps-per-epoch cap applied). */
  public int stepsPerEpoch() { return stepsPerEpoch; }
  public List<String> metricNames() { return graph.trainStep().metricNames(); }
  /** Where the run stands: steps done, the current epoch (0-based) and steps done in it. */
  public GanCheckpoint.Progress progress() { return progress; }
  /** The metrics of the latest step, or null before the first. */
  public float[] lastMetrics() { return lastMetrics; }

  void advance(GanCheckpoint.Progress next, float[] metrics) {
    this.progress = next;
    this.lastMetrics = metrics;
  }
}

package io.jgan.train.loop;

import io.jgan.train.graph.Progress;
import io.jgan.train.graph.Schedule;
import io.jgan.train.graph.TrainingGraph;
import java.io.PrintStream;
import java.util.List;
import org.tensorflow.Session;
import org.tensorflow.types.TFloat32;

/**
 * What listeners see of a run in progress: its graph and session, directory, schedule and where
 * it stands.
 */
public final class TrainingRun {
  private final TrainingGraph<TFloat32> graph;
  private final Session session;
  private final RunDirectory directory;
  private final PrintStream out;
  private final Schedule schedule;
  private Progress progress;
  private float[] lastMetrics;

  public TrainingRun(TrainingGraph<TFloat32> graph, Session session, RunDirectory directory, PrintStream out,
      Schedule schedule, Progress progress) {
    this.graph = graph;
    this.session = session;
    this.directory = directory;
    this.out = out;
    this.schedule = schedule;
    this.progress = progress;
  }

  public TrainingGraph<TFloat32> graph() { return graph; }
  public Session session() { return session; }
  public RunDirectory directory() { return directory; }
  /** Where human-readable output goes. */
  public PrintStream out() { return out; }
  public Schedule schedule() { return schedule; }
  /** Steps in each epoch of this run (the --steps-per-epoch cap applied). */
  public int stepsPerEpoch() { return schedule.stepsPerEpoch(); }
  public List<String> metricNames() { return graph.trainStep().metricNames(); }
  /** Where the run stands: steps done, the current epoch (0-based) and steps done in it. */
  public Progress progress() { return progress; }
  /** The metrics of the latest step, or null before the first. */
  public float[] lastMetrics() { return lastMetrics; }

  void advance(Progress next, float[] metrics) {
    this.progress = next;
    this.lastMetrics = metrics;
  }
}

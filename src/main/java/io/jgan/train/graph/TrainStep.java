package io.jgan.train.graph;

import io.jgan.data.Batch;
import io.jgan.gan.BuiltStep;
import io.jgan.gan.GanStep;
import io.jgan.gan.Phase;
import io.jgan.nn.RandomSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.proto.RunMetadata;
import org.tensorflow.proto.RunOptions;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TFloat64;
import org.tensorflow.types.TInt64;

/**
 * One training step of a GAN (the tutorial's {@code train_step}), built into the graph once as
 * {@link Phase}s (one session run each: D then G, or n critic iterations then G) by a
 * {@link io.jgan.gan.GanStep} and run once per
 * batch by {@link #run}, the one place that feeds the step number, the sub-step, the batch and its
 * labels, and collects the metrics by name.
 */
public final class TrainStep {
  private final List<String> metricNames;
  private final List<Phase> phases;
  private final Operand<TInt64> step;
  private final Operand<TInt64> substep;
  private final Placeholder<?> realImages;
  private final Placeholder<?> labels;
  private final BatchFeed batchFeed;
  private final StopVote stopVote;

  /**
   * How the worker processes of a multi-worker run agree to stop after the same step: phase
   * {@code phase} of each step takes this process's vote in {@code feed} (1 when asked to stop, 0
   * by default) and gives the mean of all the votes in {@code agreed}, the same in every process.
   */
  public record StopVote(Operand<?> feed, Operand<?> agreed, int phase) {}

  /**
   * @param metricNames the metrics {@link #run} returns, in order; each must be reported by a phase
   *     (a later phase's value of a name replaces an earlier one's: WGAN-GP reports its last critic
   *     iteration)
   * @param step, substep the random source's counters, fed on every run
   * @param realImages the batch placeholder; {@code labels} its one-hot labels, or null
   */
  TrainStep(List<String> metricNames, List<Phase> phases, Operand<TInt64> step, Operand<TInt64> substep,
      Placeholder<?> realImages, Placeholder<?> labels) {
    this(metricNames, phases, step, substep, realImages, labels, null);
  }

  /**
   * As above, with {@code batchFeed} deciding how a batch reaches the graph (null: into
   * {@code realImages} and {@code labels}); a data-parallel step splits it among its towers.
   */
  TrainStep(List<String> metricNames, List<Phase> phases, Operand<TInt64> step, Operand<TInt64> substep,
      Placeholder<?> realImages, Placeholder<?> labels, BatchFeed batchFeed) {
    this(metricNames, phases, step, substep, realImages, labels, batchFeed, null);
  }

  /** As above, with the vote of the worker processes that run this step together, or null. */
  TrainStep(List<String> metricNames, List<Phase> phases, Operand<TInt64> step, Operand<TInt64> substep,
      Placeholder<?> realImages, Placeholder<?> labels, BatchFeed batchFeed, StopVote stopVote) {
    this.stopVote = stopVote;
    this.batchFeed = batchFeed != null ? batchFeed : (batch, owned) -> {
      Map<Operand<?>, Tensor> feeds = new HashMap<>();
      feeds.put(realImages, batch.images());
      if (labels != null) {
        feeds.put(labels, batch.labels());
      }
      return feeds;
    };
    this.metricNames = List.copyOf(metricNames);
    this.phases = List.copyOf(phases);
    this.step = step;
    this.substep = substep;
    this.realImages = realImages;
    this.labels = labels;
    for (String name : metricNames) {
      if (phases.stream().noneMatch(p -> p.metrics().containsKey(name))) {
        throw new IllegalArgumentException("metric " + name + ": expected a phase that reports it, got none");
      }
    }
  }

  /** The step {@code built} by a {@link io.jgan.gan.GanStep}, its draws keyed on {@code random}'s step and sub-step. */
  static TrainStep of(BuiltStep built, RandomSource random) {
    return new TrainStep(built.metricNames(), built.phases(), random.step(), random.substep(), built.realImages(),
        built.labels());
  }

  /** Names of the values {@link #run} returns, in order: losses first, e.g. {@code d_loss, g_loss, d_real, d_fake}. */
  public List<String> metricNames() {
    return metricNames;
  }

  /** The session runs of one step, in order. */
  public List<Phase> phases() {
    return phases;
  }

  /** The stop vote of a multi-worker step, or null in one process. */
  public StopVote stopVote() {
    return stopVote;
  }

  /** The batch placeholder. */
  Placeholder<?> realImages() {
    return realImages;
  }

  /** The one-hot labels placeholder, or null for an unconditional step. */
  Placeholder<?> labels() {
    return labels;
  }

  /**
   * Runs one step on {@code batch} at global step {@code step} (which keys this step's noise and
   * dropout) and returns the metrics, computed before the update, as the tutorial's losses are
   * (float32 values widened exactly to double in a float32 graph).
   */
  public double[] run(Session session, Batch batch, long stepNumber) {
    return run(session, batch, stepNumber, Hooks.NONE);
  }

  /** As {@link #run(Session, Batch, long)}, with {@code hooks} replacing or observing tensors of each phase. */
  public double[] run(Session session, Batch batch, long stepNumber, Hooks hooks) {
    if (labels != null && batch.labels() == null) {
      throw new IllegalArgumentException("a conditional step needs one-hot labels with its batch, got none");
    }
    Map<String, Double> reported = new HashMap<>();
    List<Tensor> owned = new ArrayList<>();
    try (TInt64 stepTensor = TInt64.scalarOf(stepNumber)) {
      Map<Operand<?>, Tensor> batchFeeds = batchFeed.feeds(batch, owned);
      for (int i = 0; i < phases.size(); i++) {
        Phase phase = phases.get(i);
        try (TInt64 substepTensor = TInt64.scalarOf(phase.substep())) {
          Session.Runner runner = session.runner().feed(step, stepTensor).feed(substep, substepTensor);
          if (phase.feedsBatch()) {
            batchFeeds.forEach(runner::feed);
          }
          hooks.replacements(i, phase).forEach(runner::feed);
          List<String> names = new ArrayList<>(phase.metrics().keySet());
          names.forEach(n -> runner.fetch(phase.metrics().get(n)));
          List<Operand<?>> observed = hooks.observe(i, phase);
          observed.forEach(runner::fetch);
          RunOptions options = hooks.options(i, phase);
          runner.addTarget(phase.update());
          if (options != null) {
            runner.setOptions(options);
          }
          try (Result r = options == null ? runner.run() : runner.runAndFetchMetadata()) {
            for (int k = 0; k < names.size(); k++) {
              reported.put(names.get(k), scalar(r.get(k)));
            }
            if (!observed.isEmpty()) {
              List<Tensor> values = new ArrayList<>();
              for (int k = 0; k < observed.size(); k++) {
                values.add(r.get(names.size() + k));
              }
              hooks.observed(i, phase, values);
            }
            if (options != null) {
              int index = i;
              r.getMetadata().ifPresent(m -> hooks.metadata(index, phase, m));
            }
          }
        }
      }
    } finally {
      owned.forEach(Tensor::close);
    }
    double[] out = new double[metricNames.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = reported.get(metricNames.get(i));
    }
    return out;
  }

  /** The value of a scalar float32 or float64 metric. */
  public static double scalar(Tensor t) {
    return t instanceof TFloat32 f ? f.getFloat() : ((TFloat64) t).getDouble();
  }

  /**
   * What a parity run or a test does to each phase's session run: replace some of its tensors
   * (Python's noise and dropout masks) and fetch others besides the metrics.
   */
  public interface Hooks {
    Hooks NONE = new Hooks() {};

    /** Tensors fed in place of the phase's own, e.g. {@code phase.randomTensors().get("noise")} to Python's draw. */
    default Map<Operand<?>, Tensor> replacements(int index, Phase phase) {
      return Map.of();
    }

    /** Extra tensors to fetch in the phase's run. */
    default List<Operand<?>> observe(int index, Phase phase) {
      return List.of();
    }

    /** The values of {@link #observe}'s tensors, valid only during this call. */
    default void observed(int index, Phase phase, List<Tensor> values) {}

    /**
     * Options of the phase's session run, e.g. a full trace for a profile (the benchmarks' step profiler);
     * null (the default) runs it without options or metadata.
     */
    default RunOptions options(int index, Phase phase) {
      return null;
    }

    /** The metadata of a run given {@link #options} (its step stats, partition graphs). */
    default void metadata(int index, Phase phase, RunMetadata metadata) {}
  }

  /** How one step's batch reaches the graph. */
  interface BatchFeed {
    /** The tensors to feed for {@code batch}, by the operand they replace; those it allocates go into {@code owned}. */
    Map<Operand<?>, Tensor> feeds(Batch batch, List<Tensor> owned);
  }
}

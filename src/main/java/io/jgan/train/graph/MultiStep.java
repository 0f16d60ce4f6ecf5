package io.jgan.train.graph;

import io.jgan.data.Batch;
import io.jgan.gan.Phase;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.op.Op;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TInt64;

/**
 * Several training steps in one session run, as Keras's {@code steps_per_execution}: the train step
 * built {@code k} times into the graph ({@link TrainingGraph#multiStep}), copy {@code j} keyed on step
 * {@code first + j} (its noise and dropout drawn from the same streams and counters as the single
 * step's), fed its own batch, and ordered after copy {@code j - 1}'s updates, all of its phases in
 * order. The {@code k} steps of one run are therefore the {@code k} single steps, bit for bit
 * ({@code MultiStepTest}); what it saves is the per-run cost (feeding, fetching, the executor's
 * start) of {@code k - 1} runs, or {@code 2k - 1} for a two-phase step. Every copy's metrics come
 * back, so losses and logs are still written per step.
 */
public final class MultiStep {
  private final List<TrainStep> copies;
  private final Placeholder<TInt64> firstStep;
  /** Per copy, per metric name: the operand to fetch (the last phase reporting it). */
  private final List<List<Operand<?>>> fetches = new ArrayList<>();
  private final List<Op> targets = new ArrayList<>();

  MultiStep(List<TrainStep> copies, Placeholder<TInt64> firstStep) {
    this.copies = List.copyOf(copies);
    this.firstStep = firstStep;
    for (TrainStep copy : copies) {
      List<Operand<?>> metrics = new ArrayList<>();
      for (String name : copy.metricNames()) {
        Operand<?> reported = null;
        for (Phase phase : copy.phases()) {
          if (phase.metrics().containsKey(name)) {
            reported = phase.metrics().get(name); // a later phase's value replaces an earlier one's
          }
        }
        metrics.add(reported);
      }
      fetches.add(metrics);
      copy.phases().forEach(p -> targets.add(p.update()));
    }
  }

  /**
   * Why {@code step} cannot be unrolled into one session run, or null if it can: every phase must
   * be its own ops (WGAN-GP's critic iterations are one set of ops run n times with different
   * sub-steps) and all phases must run at one sub-step.
   */
  static String unsupported(TrainStep step) {
    Set<Object> updates = new HashSet<>();
    for (Phase phase : step.phases()) {
      if (!updates.add(phase.update())) {
        return "its step runs phase '" + phase.name() + "''s ops more than once (critic iterations); "
            + "expected each phase to be built once";
      }
      if (phase.substep() != step.phases().get(0).substep()) {
        return "its phases run at different sub-steps";
      }
    }
    return null;
  }

  /** Steps per session run. */
  public int steps() {
    return copies.size();
  }

  public List<String> metricNames() {
    return copies.get(0).metricNames();
  }

  /**
   * Runs steps {@code first, ..., first + steps() - 1}, step {@code first + j} on {@code batches.get(j)},
   * and returns each step's metrics ({@link #metricNames()} order), as {@link TrainStep#run} would
   * have returned them one by one.
   */
  public double[][] run(Session session, List<Batch> batches, long first) {
    if (batches.size() != copies.size()) {
      throw new IllegalArgumentException("expected " + copies.size() + " batches, one per step, got " + batches.size());
    }
    Session.Runner runner = session.runner();
    try (TInt64 firstTensor = TInt64.scalarOf(first)) {
      runner.feed(firstStep, firstTensor);
      for (int j = 0; j < copies.size(); j++) {
        TrainStep copy = copies.get(j);
        Batch batch = batches.get(j);
        runner.feed(copy.realImages(), batch.images());
        if (copy.labels() != null) {
          if (batch.labels() == null) {
            throw new IllegalArgumentException("a conditional step needs one-hot labels with its batch, got none");
          }
          runner.feed(copy.labels(), batch.labels());
        }
        fetches.get(j).forEach(runner::fetch);
      }
      targets.forEach(runner::addTarget);
      double[][] out = new double[copies.size()][];
      try (Result r = runner.run()) {
        int index = 0;
        for (int j = 0; j < copies.size(); j++) {
          out[j] = new double[fetches.get(j).size()];
          for (int m = 0; m < out[j].length; m++) {
            out[j][m] = TrainStep.scalar(r.get(index++));
          }
        }
      }
      return out;
    }
  }
}

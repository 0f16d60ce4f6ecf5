package io.jgan.train.loop;

import io.jgan.data.Batch;
import io.jgan.data.BatchSource;
import io.jgan.gan.Phase;
import io.jgan.train.graph.MultiStep;
import io.jgan.train.graph.Progress;
import io.jgan.train.graph.Schedule;
import io.jgan.train.graph.TrainStep;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.Tensor;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TFloat64;

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
  private MultiStep multiStep;
  /** Whether the last {@link #train} stopped on request (its own or, among workers, another's). */
  private boolean stopped;

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
   * Runs {@code multiStep.steps()} steps per session run wherever that many fit before the epoch's
   * end and the step limit and no listener reads the session's state after any but the last of them
   * ({@link TrainingListener#readsStateAfter}); single steps elsewhere. The result is the same, bit for
   * bit: the unrolled steps are the single steps (see {@link MultiStep}); listeners still see every
   * step's metrics, after the session run that computed them.
   *
   * @param multiStep from {@code run.graph().multiStep(k)}, built before the session opened; null for single steps
   */
  public Trainer withStepsPerRun(MultiStep multiStep) {
    this.multiStep = multiStep;
    return this;
  }

  /**
   * Trains until the schedule's end, or until a stop is requested; returns where the run stands
   * (a stopped run has called {@link TrainingListener#onStop} instead of {@code onTrainEnd}).
   */
  public Progress train() {
    stop.setTraining(true);
    TrainStep.StopVote vote = run.graph().trainStep().stopVote();
    try (VoteHooks votes = vote == null ? null : new VoteHooks(vote)) {
      return loop(votes);
    } finally {
      stop.setTraining(false);
    }
  }

  /** @param votes how this worker process votes to stop with the others, or null alone */
  private Progress loop(VoteHooks votes) {
    TrainStep step = run.graph().trainStep();
    int stepsPerEpoch = run.stepsPerEpoch();
    listeners.forEach(l -> l.onTrainStart(run));
    Progress at = run.progress();
    long maxSteps = run.schedule().maxSteps();
    stopped = false;
    // Worker processes stop together: each votes in every step and all stop after the step in
    // which any voted (a worker asked to stop runs that one step more, so the others are not left
    // waiting for it). Alone, a process stops before its next step.
    epochs:
    for (long epoch = at.epoch(); epoch < run.schedule().epochs(); epoch++) {
      long started = System.nanoTime();
      int first = epoch == at.epoch() ? (int) at.stepInEpoch() : 0;
      for (TrainingListener l : listeners) {
        l.onEpochStart(run, epoch + 1, stepsPerEpoch);
      }
      for (int s = first; s < stepsPerEpoch; ) {
        long globalStep = run.progress().globalStep();
        if (maxSteps > 0 && globalStep >= maxSteps) {
          break epochs; // seed 004 counts iterations, not epochs
        }
        if (votes == null ? stop.isRequested() : votes.agreed) {
          stopped = true; // after the step (or the steps of the session run) running when the signal came
          break epochs;
        }
        int k = stepsInNextRun(globalStep, s, stepsPerEpoch, maxSteps);
        double[][] metrics = new double[k][];
        List<Batch> batch = new ArrayList<>(k);
        try {
          for (int j = 0; j < k; j++) {
            batch.add(batches.batch(epoch, s + j));
          }
          if (votes != null) {
            metrics[0] = step.run(run.session(), batch.get(0), globalStep, votes.asking(stop.isRequested()));
          } else if (k == 1) {
            metrics[0] = step.run(run.session(), batch.get(0), globalStep);
          } else {
            metrics = multiStep.run(run.session(), batch, globalStep);
          }
        } finally {
          batch.forEach(Batch::close);
        }
        for (int j = 0; j < k; j++, s++) {
          float[] m = toFloat(metrics[j]);
          requireFinite(m, globalStep + j + 1, epoch + 1);
          run.advance(new Progress(globalStep + j + 1, epoch, s + 1), m);
          for (TrainingListener l : listeners) {
            l.onStep(run, globalStep + j + 1, s + 1, m);
          }
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

  /** Whether the last {@link #train} stopped on request rather than at the schedule's end. */
  public boolean stopped() {
    return stopped;
  }

  /** Feeds this process's stop vote to a multi-worker step and reads whether any worker voted. */
  private static final class VoteHooks implements TrainStep.Hooks, AutoCloseable {
    private final TrainStep.StopVote vote;
    /** The two votes, made once for the run: 0 (go on) and 1 (stop). */
    private final Tensor goOn;
    private final Tensor stop;
    private boolean asked;
    /** Whether any worker voted to stop in the last step run. */
    boolean agreed;

    VoteHooks(TrainStep.StopVote vote) {
      this.vote = vote;
      boolean float32 = vote.feed().type() == TFloat32.class;
      this.goOn = float32 ? TFloat32.scalarOf(0f) : TFloat64.scalarOf(0);
      this.stop = float32 ? TFloat32.scalarOf(1f) : TFloat64.scalarOf(1);
    }

    /** These hooks for the next step, in which this process votes {@code asked}. */
    VoteHooks asking(boolean asked) {
      this.asked = asked;
      return this;
    }

    @Override
    public Map<Operand<?>, Tensor> replacements(int index, Phase phase) {
      return index == vote.phase() ? Map.of(vote.feed(), asked ? stop : goOn) : Map.of();
    }

    @Override
    public List<Operand<?>> observe(int index, Phase phase) {
      return index == vote.phase() ? List.of(vote.agreed()) : List.of();
    }

    @Override
    public void observed(int index, Phase phase, List<Tensor> values) {
      agreed = TrainStep.scalar(values.get(0)) > 0;
    }

    @Override
    public void close() {
      goOn.close();
      stop.close();
    }
  }

  /** 1, or the multi-step's steps if they all fit here and no listener reads the state inside them. */
  private int stepsInNextRun(long globalStep, int stepInEpoch, int stepsPerEpoch, long maxSteps) {
    if (multiStep == null) {
      return 1;
    }
    int k = multiStep.steps();
    if (stepInEpoch + k > stepsPerEpoch || (maxSteps > 0 && globalStep + k > maxSteps)) {
      return 1;
    }
    for (long inside = globalStep + 1; inside < globalStep + k; inside++) {
      for (TrainingListener l : listeners) {
        if (l.readsStateAfter(run, inside)) {
          return 1;
        }
      }
    }
    return k;
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

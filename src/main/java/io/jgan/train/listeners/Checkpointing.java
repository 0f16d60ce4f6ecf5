package io.jgan.train.listeners;

import io.jgan.store.CheckpointManager;
import io.jgan.train.loop.DivergedException;
import io.jgan.train.loop.TrainingListener;
import io.jgan.train.loop.TrainingRun;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * Saves the run's checkpoints:
 * <ul>
 *   <li>the tutorial's, every {@code checkpointEvery} epochs and after the last one (its
 *       {@code if (epoch + 1) % 15 == 0: checkpoint.save(...)}, plus a final save so no epoch is
 *       lost), numbered by {@code save_counter} as {@code tf.train.Checkpoint.save} numbers them;
 *   <li>an interim one whenever {@code checkpointMinutes} have passed since the last save, so that
 *       the work at risk is bounded in time whatever the preset's schedule, and one at the step a
 *       stopped run reached ({@link #onStop}). Interim checkpoints take no number and replace each
 *       other (see {@link CheckpointManager}).
 * </ul>
 * Every checkpoint holds the run's configuration. Refuses to save weights or optimizer slots
 * holding NaN or infinity ({@link DivergedException}).
 */
public final class Checkpointing implements TrainingListener {
  /** Minutes between interim checkpoints unless {@code --checkpoint-minutes} says otherwise. */
  public static final double MINUTES_DEFAULT = 10;

  private final CheckpointManager manager;
  private final int checkpointEvery;
  private final double checkpointMinutes;
  private final String configJson;
  private final LongSupplier clock;
  private long saveCounter;
  private long lastSavedStep = -1;
  private boolean lastWasNumbered;
  private long lastSaveNanos;

  /**
   * @param checkpointEvery epochs between the tutorial's checkpoints
   * @param checkpointMinutes minutes between interim checkpoints; 0 for none
   * @param configJson the run's configuration, saved in every checkpoint
   * @param saveCounter the save counter of the checkpoint the run resumed from (0 for a fresh run)
   */
  public Checkpointing(CheckpointManager manager, int checkpointEvery, double checkpointMinutes, String configJson,
      long saveCounter) {
    this(manager, checkpointEvery, checkpointMinutes, configJson, saveCounter, System::nanoTime);
  }

  /** The same with a clock of nanoseconds, for tests. */
  Checkpointing(CheckpointManager manager, int checkpointEvery, double checkpointMinutes, String configJson,
      long saveCounter, LongSupplier clock) {
    if (checkpointEvery <= 0) {
      throw new IllegalArgumentException("expected a positive checkpoint interval, got " + checkpointEvery);
    }
    if (!(checkpointMinutes >= 0)) {
      throw new IllegalArgumentException("expected minutes between checkpoints >= 0, got " + checkpointMinutes);
    }
    this.manager = manager;
    this.checkpointEvery = checkpointEvery;
    this.checkpointMinutes = checkpointMinutes;
    this.configJson = configJson;
    this.saveCounter = saveCounter;
    this.clock = clock;
  }

  @Override
  public void onTrainStart(TrainingRun run) {
    lastSaveNanos = clock.getAsLong();
  }

  @Override
  public void onStep(TrainingRun run, long globalStep, int stepInEpoch, float[] metrics) {
    if (intervalPassed()) {
      saveInterim(run, String.format(Locale.ROOT, "%.3g minutes since the last checkpoint", checkpointMinutes));
    }
  }

  /** An interim checkpoint once its minutes have passed (the step that follows saves it). */
  @Override
  public boolean readsStateAfter(TrainingRun run, long globalStep) {
    return intervalPassed();
  }

  private boolean intervalPassed() {
    return checkpointMinutes > 0 && clock.getAsLong() - lastSaveNanos >= (long) (checkpointMinutes * 60e9);
  }

  @Override
  public void onEpochEnd(TrainingRun run, long epoch, double seconds) {
    if (epoch % checkpointEvery == 0 || epoch == run.schedule().epochs()) {
      saveNumbered(run);
    }
  }

  @Override
  public void onTrainEnd(TrainingRun run) {
    if (run.progress().globalStep() != lastSavedStep || !lastWasNumbered) {
      saveNumbered(run);
    }
  }

  /** A stopped run: the step it reached, unless a checkpoint of that very step exists already. */
  @Override
  public void onStop(TrainingRun run) {
    if (run.progress().globalStep() != lastSavedStep) {
      saveInterim(run, "the run was stopped");
    }
  }

  private void saveNumbered(TrainingRun run) {
    requireFinite(run, CheckpointManager.PREFIX + "-" + (saveCounter + 1));
    long number = saveCounter + 1;
    Path saved = manager.save(number, prefix ->
        run.graph().save(run.session(), prefix, number, run.progress(), configJson));
    saveCounter = number;
    saved(run, true);
    run.out().println("Saved checkpoint " + saved);
  }

  private void saveInterim(TrainingRun run, String why) {
    long step = run.progress().globalStep();
    requireFinite(run, CheckpointManager.INTERIM_PREFIX + "-" + step);
    // The save counter stays that of the last numbered checkpoint: the next one takes the next number.
    Path saved = manager.saveInterim(step, prefix ->
        run.graph().save(run.session(), prefix, saveCounter, run.progress(), configJson));
    saved(run, false);
    run.out().println("Saved interim checkpoint " + saved + " (" + why + ")");
  }

  private void saved(TrainingRun run, boolean numbered) {
    lastSavedStep = run.progress().globalStep();
    lastWasNumbered = numbered;
    lastSaveNanos = clock.getAsLong();
  }

  /** A checkpoint holding NaN must never become the latest: check every saved float first. */
  private static void requireFinite(TrainingRun run, String name) {
    List<String> bad = run.graph().nonFiniteVariables(run.session());
    if (!bad.isEmpty()) {
      long step = run.progress().globalStep();
      throw new DivergedException(step, "training diverged by step " + step + ": NaN or infinity in "
          + String.join(", ", bad.subList(0, Math.min(5, bad.size()))) + (bad.size() > 5 ? " and " + (bad.size() - 5) + " more" : "")
          + "; not saving checkpoint " + name);
    }
  }
}

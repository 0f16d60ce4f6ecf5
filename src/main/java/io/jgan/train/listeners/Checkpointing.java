package io.jgan.train.listeners;

import io.jgan.store.CheckpointManager;
import io.jgan.train.TrainingListener;
import io.jgan.train.TrainingRun;
import java.nio.file.Path;

/**
 * Saves a checkpoint every {@code checkpointEvery} epochs and after the last one (the tutorial's
 * {@code if (epoch + 1) % 15 == 0: checkpoint.save(...)}, plus a final save so no epoch is lost).
 * Numbered by {@code save_counter} as {@code tf.train.Checkpoint.save} numbers them. Refuses to
 * save weights or optimizer slots holding NaN or infinity ({@link io.jgan.train.DivergedException}).
 */
public final class Checkpointing implements TrainingListener {
  private final CheckpointManager manager;
  private long saveCounter;
  private long lastSavedStep = -1;

  /** @param saveCounter the save counter of the checkpoint the run resumed from (0 for a fresh run) */
  public Checkpointing(CheckpointManager manager, long saveCounter) {
    this.manager = manager;
    this.saveCounter = saveCounter;
  }

  @Override
  public void onEpochEnd(TrainingRun run, long epoch, double seconds) {
    if (epoch % run.config().checkpointEvery() == 0 || epoch == run.config().epochs()) {
      save(run);
    }
  }

  @Override
  public void onTrainEnd(TrainingRun run) {
    if (run.progress().globalStep() != lastSavedStep) {
      save(run);
    }
  }

  private void save(TrainingRun run) {
    // A checkpoint holding NaN must never become the latest: check every saved float first.
    java.util.List<String> bad = run.graph().checkpoint().nonFiniteVariables(run.session());
    if (!bad.isEmpty()) {
      long step = run.progress().globalStep();
      throw new io.jgan.train.DivergedException(step, "training diverged by step " + step + ": NaN or infinity in "
          + String.join(", ", bad.subList(0, Math.min(5, bad.size()))) + (bad.size() > 5 ? " and " + (bad.size() - 5) + " more" : "")
          + "; not saving checkpoint " + CheckpointManager.PREFIX + "-" + (saveCounter + 1));
    }
    long number = saveCounter + 1;
    Path saved = manager.save(number, prefix ->
        run.graph().checkpoint().save(run.session(), prefix, number, run.progress(), run.config().toJson()));
    saveCounter = number;
    lastSavedStep = run.progress().globalStep();
    run.out().println("Saved checkpoint " + saved);
  }
}

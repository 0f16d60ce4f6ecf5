package io.jgan.train.listeners;

import io.jgan.store.CheckpointManager;
import io.jgan.train.DivergedException;
import io.jgan.train.TrainingListener;
import io.jgan.train.TrainingRun;
import java.nio.file.Path;
import java.util.List;

/**
 * Saves a checkpoint every {@code checkpointEvery} epochs and after the last one (the tutorial's
 * {@code if (epoch + 1) % 15 == 0: checkpoint.save(...)}, plus a final save so no epoch is lost).
 * Numbered by {@code save_counter} as {@code tf.train.Checkpoint.save} numbers them, each holding
 * the run's configuration. Refuses to save weights or optimizer slots holding NaN or infinity
 * ({@link DivergedException}).
 */
public final class Checkpointing implements TrainingListener {
  private final CheckpointManager manager;
  private final int checkpointEvery;
  private final String configJson;
  private long saveCounter;
  private long lastSavedStep = -1;

  /**
   * @param checkpointEvery epochs between checkpoints (the tutorial's interval)
   * @param configJson the run's configuration, saved in every checkpoint
   * @param saveCounter the save counter of the checkpoint the run resumed from (0 for a fresh run)
   */
  public Checkpointing(CheckpointManager manager, int checkpointEvery, String configJson, long saveCounter) {
    if (checkpointEvery <= 0) {
      throw new IllegalArgumentException("expected a positive checkpoint interval, got " + checkpointEvery);
    }
    this.manager = manager;
    this.checkpointEvery = checkpointEvery;
    this.configJson = configJson;
    this.saveCounter = saveCounter;
  }

  @Override
  public void onEpochEnd(TrainingRun run, long epoch, double seconds) {
    if (epoch % checkpointEvery == 0 || epoch == run.schedule().epochs()) {
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
    List<String> bad = run.graph().nonFiniteVariables(run.session());
    if (!bad.isEmpty()) {
      long step = run.progress().globalStep();
      throw new DivergedException(step, "training diverged by step " + step + ": NaN or infinity in "
          + String.join(", ", bad.subList(0, Math.min(5, bad.size()))) + (bad.size() > 5 ? " and " + (bad.size() - 5) + " more" : "")
          + "; not saving checkpoint " + CheckpointManager.PREFIX + "-" + (saveCounter + 1));
    }
    long number = saveCounter + 1;
    Path saved = manager.save(number, prefix ->
        run.graph().save(run.session(), prefix, number, run.progress(), configJson));
    saveCounter = number;
    lastSavedStep = run.progress().globalStep();
    run.out().println("Saved checkpoint " + saved);
  }
}

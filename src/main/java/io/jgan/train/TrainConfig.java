package io.jgan.train;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonParseException;
import io.jgan.BadInputException;
import io.jgan.models.Preset;
import io.jgan.models.Presets;

/**
 * What a run was started with: its preset and every value the command line may change. Written
 * as {@code config.json} in the run directory and inside every checkpoint, so {@code generate}
 * and {@code export} need nothing but the run directory.
 *
 * @param preset the preset's name
 * @param seed the run seed (initial weights, noise, dropout, shuffling)
 * @param epochs total epochs of the run
 * @param batchSize examples per step
 * @param stepsPerEpoch cap on steps per epoch for quick runs; 0 for a full pass over the data
 * @param checkpointEvery a checkpoint every this many epochs (and at the end)
 * @param keep checkpoints kept (0: all)
 * @param threads TensorFlow threads (0: TensorFlow's default)
 */
public record TrainConfig(String preset, long seed, int epochs, int batchSize, int stepsPerEpoch,
    int checkpointEvery, int keep, int threads) {
  /** Seed used when none is given. */
  public static final long SEED_DEFAULT = 42;
  /** Checkpoints kept by default, as tf.train.CheckpointManager's common max_to_keep. */
  public static final int KEEP_DEFAULT = 5;

  private static final Gson GSON = new GsonBuilder().setPrettyPrinting().create();

  public TrainConfig {
    positive("--epochs", epochs, 0);
    positive("--batch-size", batchSize, 1);
    positive("--steps-per-epoch", stepsPerEpoch, 0);
    positive("--checkpoint-every", checkpointEvery, 1);
    positive("--keep", keep, 0);
    positive("--threads", threads, 0);
  }

  /** The preset's own values with seed 42. */
  public static TrainConfig defaults(Preset p) {
    return new TrainConfig(p.name(), SEED_DEFAULT, p.epochs(), p.batchSize(), 0, p.checkpointEvery(), KEEP_DEFAULT, 0);
  }

  public Preset presetDefinition() {
    return Presets.get(preset);
  }

  public String toJson() {
    return GSON.toJson(this);
  }

  /** Parses {@code config.json} (or a checkpoint's copy); {@code source} names it in errors. */
  public static TrainConfig fromJson(String json, String source) {
    try {
      TrainConfig c = GSON.fromJson(json, TrainConfig.class);
      if (c == null || c.preset() == null) {
        throw new BadInputException(source + ": expected a run configuration with a preset, got " + (c == null ? "nothing" : "no preset"));
      }
      Presets.get(c.preset());
      return c;
    } catch (JsonParseException | IllegalArgumentException e) {
      throw new BadInputException(source + ": not a valid run configuration: " + e.getMessage(), e);
    }
  }

  private static void positive(String option, long value, long min) {
    if (value < min) {
      throw new IllegalArgumentException(option + ": expected an integer >= " + min + ", got " + value);
    }
  }
}

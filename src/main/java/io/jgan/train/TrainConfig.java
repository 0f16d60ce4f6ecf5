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
 * @param maxSteps stop after this many steps in total, whatever the epoch; 0 for no limit
 * @param dataset {@code mnist}, {@code fashion-mnist}, or {@code folder} for an image folder
 * @param data the image folder, when {@code dataset} is {@code folder}
 * @param labelCsv a CelebA-format attribute CSV giving the folder's labels (conditional presets)
 * @param label the CSV attribute used as the class label
 * @param classes classes of a conditional run (0 when unconditional)
 * @param gpAlpha WGAN-GP interpolation weights: {@code uniform} (the paper) or {@code normal} (the seed's bug)
 * @param device {@code cpu} or {@code gpu}
 * @param skipBadImages train on the good images of a folder that has undecodable ones
 */
public record TrainConfig(String preset, long seed, int epochs, int batchSize, int stepsPerEpoch,
    int checkpointEvery, int keep, int threads, long maxSteps, String dataset, String data, String labelCsv,
    String label, int classes, String gpAlpha, String device, boolean skipBadImages) {
  /** Seed used when none is given. */
  public static final long SEED_DEFAULT = 42;
  /** Checkpoints kept by default, as tf.train.CheckpointManager's common max_to_keep. */
  public static final int KEEP_DEFAULT = 5;
  /** The {@code dataset} value of an image-folder run. */
  public static final String FOLDER = "folder";
  /** The WGAN-GP paper's interpolation weights; {@code normal} keeps seed 003's bug. */
  public static final String GP_ALPHA_DEFAULT = "uniform";
  public static final String DEVICE_DEFAULT = "cpu";

  private static final Gson GSON = new GsonBuilder().setPrettyPrinting().create();

  public TrainConfig {
    positive("--epochs", epochs, 0);
    positive("--batch-size", batchSize, 1);
    positive("--steps-per-epoch", stepsPerEpoch, 0);
    positive("--checkpoint-every", checkpointEvery, 1);
    positive("--keep", keep, 0);
    positive("--threads", threads, 0);
    positive("--steps", maxSteps, 0);
    positive("classes", classes, 0);
    if (gpAlpha != null && !gpAlpha.equals("uniform") && !gpAlpha.equals("normal")) {
      throw new IllegalArgumentException("--gp-alpha: expected uniform or normal, got " + gpAlpha);
    }
    if (device != null && !device.equals("cpu") && !device.equals("gpu")) {
      throw new IllegalArgumentException("--device: expected cpu or gpu, got " + device);
    }
  }

  /** A run of a preset's IDX dataset with no data options (the DCGAN tutorial's kind of run). */
  public TrainConfig(String preset, long seed, int epochs, int batchSize, int stepsPerEpoch, int checkpointEvery,
      int keep, int threads) {
    this(preset, seed, epochs, batchSize, stepsPerEpoch, checkpointEvery, keep, threads, 0, null, null, null, null, 0,
        null, null, false);
  }

  /** The preset's own values with seed 42. */
  public static TrainConfig defaults(Preset p) {
    return new TrainConfig(p.name(), SEED_DEFAULT, p.epochs(), p.batchSize(), 0, p.checkpointEvery(), KEEP_DEFAULT, 0,
        p.maxSteps(), p.data().folderByDefault() ? FOLDER : p.data().dataset().dirName(), null, null,
        p.data().defaultLabel(), 0, GP_ALPHA_DEFAULT, DEVICE_DEFAULT, false);
  }

  /** The same run with {@code classes} set (known once the data is loaded). */
  public TrainConfig withClasses(int n) {
    return new TrainConfig(preset, seed, epochs, batchSize, stepsPerEpoch, checkpointEvery, keep, threads, maxSteps,
        dataset, data, labelCsv, label, n, gpAlpha, device, skipBadImages);
  }

  /** True when WGAN-GP alphas should be drawn as seed 003 does (normal), false for the paper's uniform. */
  public boolean normalGpAlpha() {
    return "normal".equals(gpAlpha);
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

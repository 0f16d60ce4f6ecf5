package io.jgan.run;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import io.jgan.BadInputException;
import io.jgan.gan.Preset;
import io.jgan.presets.Presets;
import io.jgan.train.listeners.Checkpointing;
import java.util.ArrayList;
import java.util.List;

/**
 * What a run was started with: its preset and every value the command line may change. Written
 * as {@code config.json} in the run directory and inside every checkpoint, so {@code generate}
 * and {@code export} need nothing but the run directory.
 *
 * <p>The one place where options are bounded (the compact constructor, each message naming the
 * option) and merged ({@link #with}: a preset's defaults, or a saved run, with the values a
 * command line gave).
 *
 * @param preset the preset's name
 * @param seed the run seed (initial weights, noise, dropout, shuffling)
 * @param epochs total epochs of the run
 * @param batchSize examples per step
 * @param stepsPerEpoch cap on steps per epoch for quick runs; 0 for a full pass over the data
 * @param checkpointEvery a checkpoint every this many epochs (and at the end)
 * @param checkpointMinutes an interim checkpoint when this many minutes have passed since the last
 *     save; 0 for none (absent in configurations written before it existed: the default)
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
    int checkpointEvery, Double checkpointMinutes, int keep, int threads, long maxSteps, String dataset, String data, String labelCsv,
    String label, int classes, String gpAlpha, String device, boolean skipBadImages) {
  /** Seed used when none is given. */
  public static final long SEED_DEFAULT = 42;
  /** Checkpoints kept by default, as tf.train.CheckpointManager's common max_to_keep. */
  public static final int KEEP_DEFAULT = 5;
  /** The {@code dataset} value of an image-folder run. */
  public static final String FOLDER = "folder";
  /** The {@code dataset} value of a run on a program's own batches. */
  public static final String CUSTOM = "custom";
  /** The WGAN-GP paper's interpolation weights; {@code normal} keeps seed 003's bug. */
  public static final String GP_ALPHA_DEFAULT = "uniform";
  public static final List<String> GP_ALPHAS = List.of("uniform", "normal");
  public static final String DEVICE_DEFAULT = "cpu";
  public static final List<String> DEVICES = List.of("cpu", "gpu");

  private static final Gson GSON = new GsonBuilder().setPrettyPrinting().create();

  public TrainConfig {
    if (checkpointMinutes == null) {
      checkpointMinutes = Checkpointing.MINUTES_DEFAULT;
    }
    if (!(checkpointMinutes >= 0) || checkpointMinutes.isInfinite()) {
      throw new IllegalArgumentException("--checkpoint-minutes: expected a number >= 0, got " + checkpointMinutes);
    }
    atLeast("--epochs", epochs, 1);
    atLeast("--batch-size", batchSize, 1);
    atLeast("--steps-per-epoch", stepsPerEpoch, 0);
    atLeast("--checkpoint-every", checkpointEvery, 1);
    atLeast("--keep", keep, 0);
    atLeast("--threads", threads, 0);
    atLeast("--steps", maxSteps, 0);
    atLeast("classes", classes, 0);
    oneOf("--gp-alpha", gpAlpha, GP_ALPHAS);
    oneOf("--device", device, DEVICES);
  }

  /**
   * Values a command line gave; null where it gave none.
   *
   * @param dataset an IDX dataset name, or {@link #FOLDER} when {@code data} is given
   */
  public record Overrides(String preset, Long seed, Integer epochs, Integer batchSize, Integer stepsPerEpoch,
      Integer checkpointEvery, Double checkpointMinutes, Integer keep, Integer threads, Long maxSteps, String dataset, String data,
      String labelCsv, String label, String gpAlpha, String device, boolean skipBadImages) {}

  /** The preset's own values with seed 42. */
  public static TrainConfig defaults(Preset p) {
    return new TrainConfig(p.name(), SEED_DEFAULT, p.epochs(), p.batchSize(), 0, p.checkpointEvery(),
        Checkpointing.MINUTES_DEFAULT, KEEP_DEFAULT, 0,
        p.maxSteps(), p.data().folderByDefault() ? FOLDER : p.data().dataset().dirName(), null, null,
        p.data().defaultLabel(), 0, GP_ALPHA_DEFAULT, DEVICE_DEFAULT, false);
  }

  /**
   * This configuration with every value {@code o} gives replacing its own (the preset is not
   * changed here; see {@link #resumedWith}).
   *
   * @throws IllegalArgumentException naming the option, for a value out of its bounds
   */
  public TrainConfig with(Overrides o) {
    return new TrainConfig(preset, or(o.seed(), seed), or(o.epochs(), epochs), or(o.batchSize(), batchSize),
        or(o.stepsPerEpoch(), stepsPerEpoch), or(o.checkpointEvery(), checkpointEvery),
        or(o.checkpointMinutes(), checkpointMinutes), or(o.keep(), keep),
        or(o.threads(), threads), or(o.maxSteps(), maxSteps), or(o.dataset(), dataset), or(o.data(), data),
        or(o.labelCsv(), labelCsv), or(o.label(), label), classes, or(o.gpAlpha(), gpAlpha), or(o.device(), device),
        o.skipBadImages() || skipBadImages);
  }

  /**
   * The configuration of this saved run resumed with a new command line: values that may change
   * between sessions (epochs, steps, checkpoint intervals, keep, threads, device) are taken from it;
   * those that define the run (preset, seed, batch size, data, label, GP alphas) must be absent or
   * equal.
   *
   * @throws IllegalArgumentException naming the first option that differs from the saved run
   */
  public TrainConfig resumedWith(Overrides o) {
    List<String> fixed = new ArrayList<>();
    mustMatch(fixed, "preset", o.preset(), preset);
    mustMatch(fixed, "seed", o.seed(), seed);
    mustMatch(fixed, "batch-size", o.batchSize(), batchSize);
    mustMatch(fixed, "dataset", o.data() != null ? null : o.dataset(), dataset);
    mustMatch(fixed, "data", o.data(), data);
    mustMatch(fixed, "label-csv", o.labelCsv(), labelCsv);
    mustMatch(fixed, "label", o.label(), label);
    mustMatch(fixed, "gp-alpha", o.gpAlpha(), gpAlpha);
    if (!fixed.isEmpty()) {
      throw new IllegalArgumentException(fixed.get(0));
    }
    return with(o);
  }

  private static void mustMatch(List<String> problems, String option, Object given, Object saved) {
    if (given != null && !given.equals(saved)) {
      problems.add("--" + option + " " + given + " differs from the run being resumed (" + saved + ")");
    }
  }

  /** The same run with {@code classes} set (known once the data is loaded). */
  public TrainConfig withClasses(int n) {
    return new TrainConfig(preset, seed, epochs, batchSize, stepsPerEpoch, checkpointEvery, checkpointMinutes, keep,
        threads, maxSteps,
        dataset, data, labelCsv, label, n, gpAlpha, device, skipBadImages);
  }

  /** True when WGAN-GP alphas should be drawn as seed 003 does (normal), false for the paper's uniform. */
  public boolean normalGpAlpha() {
    return "normal".equals(gpAlpha);
  }

  /**
   * The catalogue preset this run trained (for the commands that rebuild a run's networks from its
   * directory: generate, export, info); a run of a program's own GAN has none.
   */
  public Preset presetDefinition() {
    if (!Presets.names().contains(preset)) {
      throw new BadInputException("the run trained " + preset + ", a GAN of a program and not a preset ("
          + String.join(", ", Presets.names()) + "): the program that trained it can export it (Training.exportTo), "
          + "and 'generate --model' reads the export");
    }
    return Presets.get(preset);
  }

  public String toJson() {
    return GSON.toJson(this);
  }

  /**
   * Parses {@code config.json} (or a checkpoint's copy); {@code source} names it in errors. A value out
   * of its bounds (a hand-edited file) is an error naming the file and the option, as on the command
   * line.
   */
  public static TrainConfig fromJson(String json, String source) {
    String invalid = source + ": not a valid run configuration: ";
    JsonElement tree;
    try {
      tree = JsonParser.parseString(json);
    } catch (JsonParseException e) {
      throw new BadInputException(invalid + e.getMessage(), e);
    }
    if (tree.isJsonNull()) {
      throw new BadInputException(source + ": expected a run configuration with a preset, got nothing");
    }
    if (!tree.isJsonObject() || !tree.getAsJsonObject().has("preset") || tree.getAsJsonObject().get("preset").isJsonNull()) {
      String found = tree.isJsonObject() ? "no preset" : "'" + abbreviate(tree.toString()) + "'";
      throw new BadInputException(source + ": expected a run configuration with a preset, got " + found);
    }
    TrainConfig c;
    try {
      c = GSON.fromJson(tree, TrainConfig.class);
    } catch (JsonParseException | IllegalArgumentException e) {
      throw new BadInputException(invalid + e.getMessage(), e);
    } catch (RuntimeException e) {
      // Gson wraps what the record's constructor throws for a value out of its bounds.
      if (e.getCause() instanceof IllegalArgumentException bound) {
        throw new BadInputException(invalid + bound.getMessage(), e);
      }
      throw e;
    }
    // The preset's name is not looked up here: a program's own GAN runs under its own name.
    return c;
  }

  private static String abbreviate(String s) {
    return s.length() > 60 ? s.substring(0, 60) + "..." : s;
  }

  private static <V> V or(V given, V fallback) {
    return given != null ? given : fallback;
  }

  private static void atLeast(String option, long value, long min) {
    if (value < min) {
      throw new IllegalArgumentException(option + ": expected an integer >= " + min + ", got " + value);
    }
  }

  private static void oneOf(String option, String value, List<String> allowed) {
    if (value != null && !allowed.contains(value)) {
      throw new IllegalArgumentException(option + ": expected one of " + String.join(", ", allowed) + ", got '" + value + "'");
    }
  }
}

package io.jgan.cli;

import io.jgan.AtomicFiles;
import io.jgan.BadInputException;
import io.jgan.api.SampleQuality;
import io.jgan.data.Dataset;
import io.jgan.eval.Evaluation;
import io.jgan.eval.QualityLog;
import io.jgan.run.ExportInfo;
import io.jgan.run.TrainConfig;
import io.jgan.train.loop.RunDirectory;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Options;

/**
 * {@code evaluate}: how good a generator's samples are, as numbers (TF-GAN's {@code mnist_score} and
 * {@code mnist_frechet_distance}, torch-fidelity's KID): N samples from a run's latest checkpoint or
 * an exported model, judged by a digit or garment classifier ({@code savedmodels/judge-DATASET}),
 * against the dataset's test set; the same for N real training images as the ceiling. Printed, and
 * written as JSON: {@value #RUN_FILE} in the run directory, or {@code MODEL-evaluation.json} beside
 * a model directory.
 */
public final class EvaluateCommand extends Command {
  public static final String RUN_FILE = "evaluation.json";
  public static final String MODEL_SUFFIX = "-evaluation.json";
  public static final long SEED_DEFAULT = 0;
  /** Where the judges are: savedmodels/judge-DATASET. */
  public static final String JUDGE_PREFIX = SampleQuality.JUDGE_PREFIX;

  record Settings(Path runDir, Path model, int count, long seed, Path judge, Dataset dataset, Path dataDir, int threads,
      Path out, boolean overwrite, boolean everyCheckpoint) {}

  @Override
  public String name() {
    return "evaluate";
  }

  @Override
  public String summary() {
    return "measure sample quality (classifier score, Frechet distance, KID, class shares) of a run or a model";
  }

  @Override
  protected Options options() {
    return new Options()
        .addOption(valued("run-dir", "DIR", "evaluate this run's latest checkpoint"))
        .addOption(valued("model", "DIR", "evaluate a SavedModel written by export (e.g. savedmodels/dcgan-mnist)"))
        .addOption(valued("count", "N", "samples to judge, and real images for the ceiling (default "
            + Evaluation.COUNT_DEFAULT + ")"))
        .addOption(valued("seed", "N", "seed of the samples' latent vectors and of the KID subsets (default " + SEED_DEFAULT + ")"))
        .addOption(valued("judge", "DIR", "the classifier SavedModel that judges (default " + JUDGE_PREFIX
            + "DATASET for the run's dataset)"))
        .addOption(valued("dataset", "NAME", "which judge applies, for runs on an image folder written by export-images ("
            + Dataset.names() + ")"))
        .addOption(valued("data-dir", "DIR", "where the IDX datasets are (fetched if missing; default " + Dataset.DEFAULT_DATA_DIR + ")"))
        .addOption(valued("threads", "N", "TensorFlow threads, 0 for TensorFlow's choice (default 0)"))
        .addOption(valued("out", "FILE", "the JSON to write (default " + RUN_FILE + " in the run directory, or MODEL"
            + MODEL_SUFFIX + " beside the model)"))
        .addOption(flag("overwrite", "replace an existing evaluation at --out (otherwise it is kept and the command refuses)"))
        .addOption(flag("every-checkpoint", "with --run-dir: the run's quality curve (" + QualityLog.CSV + ", "
            + QualityLog.PNG + ") from each of its numbered checkpoints, as train --eval-every 1 writes it"));
  }

  static Settings parse(CommandLine line) {
    boolean fromRun = line.hasOption("run-dir");
    boolean fromModel = line.hasOption("model");
    if (fromRun == fromModel) {
      throw new UsageException("expected exactly one of --run-dir DIR or --model DIR, got " + (fromRun ? "both" : "neither"));
    }
    Dataset dataset = null;
    if (line.hasOption("dataset")) {
      try {
        dataset = Dataset.parse(line.getOptionValue("dataset"));
      } catch (BadInputException e) {
        throw new UsageException("--dataset: " + e.getMessage());
      }
    }
    Path runDir = fromRun ? Path.of(line.getOptionValue("run-dir")) : null;
    Path model = fromModel ? Path.of(line.getOptionValue("model")) : null;
    Path out = line.hasOption("out") ? Path.of(line.getOptionValue("out"))
        : fromRun ? runDir.resolve(RUN_FILE)
        : model.toAbsolutePath().normalize().resolveSibling(model.toAbsolutePath().normalize().getFileName() + MODEL_SUFFIX);
    return new Settings(runDir, model, intOption(line, "count", 2, Evaluation.COUNT_DEFAULT),
        longOption(line, "seed", Long.MIN_VALUE, SEED_DEFAULT),
        line.hasOption("judge") ? Path.of(line.getOptionValue("judge")) : null, dataset,
        Path.of(line.getOptionValue("data-dir", Dataset.DEFAULT_DATA_DIR)), intOption(line, "threads", 0, 0), out,
        line.hasOption("overwrite"), line.hasOption("every-checkpoint"));
  }

  @Override
  protected int execute(CommandLine line, PrintStream out, PrintStream err) throws IOException {
    Settings s = parse(line);
    if (s.everyCheckpoint()) {
      if (s.runDir() == null) {
        throw new UsageException("--every-checkpoint: expected --run-dir DIR, got --model");
      }
      return QualityCurve.write(s.runDir(), s.dataDir(), s.threads(), out);
    }
    if (Files.exists(s.out()) && !s.overwrite()) {
      // An evaluation is a result the user keeps (savedmodels/NAME-evaluation.json ships with a model).
      throw new UsageException("--out: " + s.out() + " already exists (" + heldEvaluation(s.out()) + "); give --out FILE "
          + "to write elsewhere, or --overwrite to replace it");
    }
    long started = System.nanoTime();
    try (GenerateCommand.Source source = s.runDir() != null ? GenerateCommand.runSource(s.runDir(), out, false)
        : GenerateCommand.modelSource(s.model(), out)) {
      TrainConfig config = s.runDir() != null ? GenerateCommand.readConfig(new RunDirectory(s.runDir()))
          : ExportInfo.read(s.model()).config();
      Path judgeDir = s.judge() != null ? s.judge() : SampleQuality.judgeFor(judgeDataset(config, s));
      String what = s.runDir() != null ? s.runDir().toString() : s.model().toString();
      Evaluation.Report report = SampleQuality.measure(source::generate, source.info(), source.classes(),
          source.scale(), config, judgeDir, s.dataDir(), s.count(), s.seed(), s.threads(), what);
      out.print(Evaluation.format(report));
      AtomicFiles.writeString(s.out(), report.toJson());
      out.printf(Locale.ROOT, "Wrote %s (%.1f s)%n", s.out(), (System.nanoTime() - started) / 1e9);
    }
    return OK;
  }

  /** What an existing evaluation file holds, in words: its source, count, seed and judge, or what else it is. */
  static String heldEvaluation(Path file) {
    try {
      com.google.gson.JsonObject json = com.google.gson.JsonParser.parseString(Files.readString(file)).getAsJsonObject();
      return "an evaluation of " + json.get("source").getAsString() + ": " + json.get("count").getAsInt() + " samples, seed "
          + json.get("seed").getAsLong() + ", judged by " + json.get("judge").getAsString();
    } catch (IOException | RuntimeException e) {
      return "not an evaluation this command wrote: " + Replacing.describe(file);
    }
  }

  /** The judge's dataset: --dataset, else the run's own (an IDX dataset); a folder run must say. */
  static Dataset judgeDataset(TrainConfig config, Settings s) {
    if (s.dataset() != null) {
      return s.dataset();
    }
    if (TrainConfig.FOLDER.equals(config.dataset())) {
      throw new UsageException("the run trained on the image folder " + config.data() + ": expected --dataset "
          + Dataset.names().replace(", ", "|") + " (for a folder written by export-images) or --judge DIR, got neither");
    }
    return Dataset.parse(config.dataset());
  }
}

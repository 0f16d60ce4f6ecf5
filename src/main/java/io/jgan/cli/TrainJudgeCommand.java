package io.jgan.cli;

import io.jgan.BadInputException;
import io.jgan.api.SampleQuality;
import io.jgan.data.DataFetcher;
import io.jgan.data.Dataset;
import io.jgan.data.ImageSet;
import io.jgan.eval.JudgeInfo;
import io.jgan.eval.JudgeTraining;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Locale;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Options;

/**
 * {@code train-judge}: trains the digit or garment classifier that {@code evaluate} judges samples
 * with ({@link io.jgan.eval.JudgeNetwork}) on the dataset's training set, and exports it as a
 * SavedModel with its {@value JudgeInfo#FILE}.
 */
public final class TrainJudgeCommand extends Command {
  /** Where judges go: savedmodels/judge-DATASET. */
  public static final String OUT_PREFIX = SampleQuality.JUDGE_PREFIX;

  record Settings(Dataset dataset, Path out, JudgeTraining.Settings training, Path dataDir, boolean overwrite) {}

  @Override
  public String name() {
    return "train-judge";
  }

  @Override
  public String summary() {
    return "train the classifier that evaluate judges samples with (MNIST or Fashion-MNIST) and export it";
  }

  @Override
  protected Options options() {
    return new Options()
        .addOption(valued("dataset", "NAME", Dataset.names() + " (required)"))
        .addOption(valued("out", "DIR", "the SavedModel to write (default " + OUT_PREFIX + "DATASET)"))
        .addOption(valued("epochs", "N", "passes over the 60,000 training images (default " + JudgeTraining.EPOCHS_DEFAULT + ")"))
        .addOption(valued("batch-size", "N", "examples per step (default " + JudgeTraining.BATCH_SIZE_DEFAULT + ")"))
        .addOption(valued("seed", "N", "seed of initial weights, dropout and shuffling (default " + JudgeTraining.SEED_DEFAULT + ")"))
        .addOption(valued("threads", "N", "TensorFlow threads, 0 for TensorFlow's choice (default 0)"))
        .addOption(valued("data-dir", "DIR", "where the IDX datasets are (fetched if missing; default " + Dataset.DEFAULT_DATA_DIR + ")"))
        .addOption(flag("overwrite", "replace an existing model at --out"));
  }

  static Settings parse(CommandLine line) {
    if (!line.hasOption("dataset")) {
      throw new UsageException("--dataset: expected one of " + Dataset.names() + ", got none");
    }
    Dataset dataset;
    try {
      dataset = Dataset.parse(line.getOptionValue("dataset"));
    } catch (BadInputException e) {
      throw new UsageException("--dataset: " + e.getMessage());
    }
    JudgeTraining.Settings training = new JudgeTraining.Settings(
        intOption(line, "epochs", 1, JudgeTraining.EPOCHS_DEFAULT),
        intOption(line, "batch-size", 1, JudgeTraining.BATCH_SIZE_DEFAULT),
        JudgeTraining.LEARNING_RATE_DEFAULT,
        longOption(line, "seed", Long.MIN_VALUE, JudgeTraining.SEED_DEFAULT),
        intOption(line, "threads", 0, 0));
    return new Settings(dataset, Path.of(line.getOptionValue("out", OUT_PREFIX + dataset.dirName())), training,
        Path.of(line.getOptionValue("data-dir", Dataset.DEFAULT_DATA_DIR)), line.hasOption("overwrite"));
  }

  @Override
  protected int execute(CommandLine line, PrintStream out, PrintStream err) {
    Settings s = parse(line);
    if (java.nio.file.Files.exists(s.out()) && !s.overwrite()) {
      throw new BadInputException(s.out() + ": already exists; give --overwrite to replace it");
    }
    DataFetcher.ensurePresent(s.dataset(), s.dataDir());
    ImageSet train = s.dataset().load(s.dataDir(), true);
    ImageSet test = s.dataset().load(s.dataDir(), false);
    long started = System.nanoTime();
    JudgeInfo info = JudgeTraining.train(s.dataset(), train, test, s.training(), s.out(), s.overwrite(), out);
    out.printf(Locale.ROOT, "Wrote %s: test accuracy %.4f on the %d %s test images (%.0f s)%n", s.out(),
        info.testAccuracy(), test.count(), s.dataset(), (System.nanoTime() - started) / 1e9);
    return OK;
  }
}

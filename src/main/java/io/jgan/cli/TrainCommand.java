package io.jgan.cli;

import io.jgan.BadInputException;
import io.jgan.data.Batches;
import io.jgan.data.Dataset;
import io.jgan.data.ImageSet;
import io.jgan.models.Preset;
import io.jgan.models.Presets;
import io.jgan.nn.RandomSource;
import io.jgan.store.CheckpointManager;
import io.jgan.store.GanCheckpoint;
import io.jgan.train.GanGraph;
import io.jgan.train.RunDirectory;
import io.jgan.train.TrainConfig;
import io.jgan.train.TrainingData;
import io.jgan.train.Devices;
import io.jgan.train.Trainer;
import io.jgan.train.DivergedException;
import io.jgan.train.RunLock;
import io.jgan.train.TrainingListener;
import io.jgan.train.TrainingRun;
import io.jgan.train.listeners.Checkpointing;
import io.jgan.train.listeners.ConsoleProgress;
import io.jgan.train.listeners.SampleGrids;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Options;
import org.tensorflow.Session;
import org.tensorflow.types.TFloat32;

/**
 * {@code train}: trains a preset, resuming from the run directory's latest checkpoint unless
 * {@code --fresh}. Everything the command line names is checked before anything is written.
 */
public final class TrainCommand extends Command {
  /** Where runs go unless --run-dir says otherwise: runs/PRESET. */
  public static final String RUNS_DIR = "runs";

  /** The parsed command line. Null fields were not given. */
  record Settings(String preset, Integer epochs, Integer stepsPerEpoch, Integer batchSize, Path runDir, Long seed,
      Integer checkpointEvery, Integer keep, Integer threads, boolean fresh, Path dataDir, Long steps, String dataset,
      Path data, Path labelCsv, String label, String gpAlpha, String device, boolean skipBadImages, boolean fallback) {}

  @Override
  public String name() {
    return "train";
  }

  @Override
  public String summary() {
    return "train a preset (default " + Presets.DEFAULT + "), resuming its run directory's latest checkpoint";
  }

  @Override
  protected Options options() {
    return new Options()
        .addOption(valued("preset", "NAME", "one of " + String.join(", ", Presets.names()) + " (default " + Presets.DEFAULT + ")"))
        .addOption(valued("epochs", "N", "epochs in total (default: the preset's)"))
        .addOption(valued("steps-per-epoch", "N", "cap each epoch at N steps, for quick runs (default: a full pass)"))
        .addOption(valued("batch-size", "N", "examples per step (default: the preset's)"))
        .addOption(valued("run-dir", "DIR", "where grids, checkpoints and logs go (default " + RUNS_DIR + "/PRESET)"))
        .addOption(valued("seed", "N", "seed of weights, noise, dropout and shuffling (default " + TrainConfig.SEED_DEFAULT + ")"))
        .addOption(valued("checkpoint-every", "N", "save a checkpoint every N epochs and at the end (default: the preset's)"))
        .addOption(valued("keep", "N", "checkpoints to keep, 0 for all (default " + TrainConfig.KEEP_DEFAULT + ")"))
        .addOption(valued("threads", "N", "TensorFlow threads, 0 for TensorFlow's choice (default 0)"))
        .addOption(valued("data-dir", "DIR", "where the IDX datasets are (fetched if missing; default " + Dataset.DEFAULT_DATA_DIR + ")"))
        .addOption(valued("steps", "N", "stop after N steps in total (default: the preset's, e.g. gan-tf1's 10000)"))
        .addOption(valued("dataset", "NAME", "train on " + Dataset.names() + " instead of the preset's data (cwgan-gp: conditioned on its classes)"))
        .addOption(valued("data", "DIR", "an image folder (dcgan-lego, wgan-gp, cwgan-gp); make one with export-images"))
        .addOption(valued("label-csv", "FILE", "CelebA-format attribute CSV for the folder's labels (cwgan-gp)"))
        .addOption(valued("label", "NAME", "the CSV attribute used as the class label (cwgan-gp, default Blond_Hair)"))
        .addOption(valued("gp-alpha", "DIST", "WGAN-GP interpolation weights: uniform (the paper, default) or normal (the seed's bug)"))
        .addOption(valued("device", "D", "cpu (default) or gpu; falls back to cpu with a warning when no GPU is usable"))
        .addOption(flag("skip-bad-images", "train on a folder's decodable images, listing the others, instead of stopping"))
        .addOption(flag("fallback", "when the latest checkpoint cannot be restored (damaged, NaN), resume from the newest one that can"))
        .addOption(flag("fresh", "start over even if the run directory has checkpoints (old files are moved to an archive folder)"));
  }

  static Settings parse(CommandLine line) {
    String preset = line.getOptionValue("preset");
    if (preset != null) {
      try {
        Presets.get(preset);
      } catch (BadInputException e) {
        throw new UsageException("--preset: " + e.getMessage());
      }
    }
    return new Settings(preset,
        line.hasOption("epochs") ? intOption(line, "epochs", 1, 0) : null,
        line.hasOption("steps-per-epoch") ? intOption(line, "steps-per-epoch", 1, 0) : null,
        line.hasOption("batch-size") ? intOption(line, "batch-size", 1, 0) : null,
        line.hasOption("run-dir") ? Path.of(line.getOptionValue("run-dir")) : null,
        line.hasOption("seed") ? longOption(line, "seed", Long.MIN_VALUE, 0) : null,
        line.hasOption("checkpoint-every") ? intOption(line, "checkpoint-every", 1, 0) : null,
        line.hasOption("keep") ? intOption(line, "keep", 0, 0) : null,
        line.hasOption("threads") ? intOption(line, "threads", 0, 0) : null,
        line.hasOption("fresh"),
        Path.of(line.getOptionValue("data-dir", Dataset.DEFAULT_DATA_DIR)),
        line.hasOption("steps") ? longOption(line, "steps", 1, 0) : null,
        datasetOption(line),
        line.hasOption("data") ? Path.of(line.getOptionValue("data")) : null,
        line.hasOption("label-csv") ? Path.of(line.getOptionValue("label-csv")) : null,
        line.getOptionValue("label"),
        choice(line, "gp-alpha", "uniform", "normal"),
        choice(line, "device", "cpu", "gpu"),
        line.hasOption("skip-bad-images"),
        line.hasOption("fallback"));
  }

  private static String datasetOption(CommandLine line) {
    String name = line.getOptionValue("dataset");
    if (name == null) {
      return null;
    }
    try {
      return Dataset.parse(name).dirName();
    } catch (BadInputException e) {
      throw new UsageException("--dataset: " + e.getMessage());
    }
  }

  private static String choice(CommandLine line, String option, String... allowed) {
    String v = line.getOptionValue(option);
    if (v != null && !java.util.Arrays.asList(allowed).contains(v)) {
      throw new UsageException("--" + option + ": expected one of " + String.join(", ", allowed) + ", got '" + v + "'");
    }
    return v;
  }

  @Override
  protected int execute(CommandLine line, PrintStream out, PrintStream err) throws IOException {
    Settings s = parse(line);
    String presetName = s.preset() != null ? s.preset() : Presets.DEFAULT;
    RunDirectory run = new RunDirectory(s.runDir() != null ? s.runDir() : Path.of(RUNS_DIR, presetName));
    CheckpointManager checkpoints = run.checkpointManager(TrainConfig.KEEP_DEFAULT);
    boolean resume = !s.fresh() && checkpoints.hasAnyCheckpoint();

    TrainConfig config;
    List<Path> candidates = List.of();
    if (resume) {
      candidates = resumeCandidates(checkpoints, s.fallback());
      config = resumedConfig(run, s);
    } else {
      config = newConfig(Presets.get(presetName), s);
    }
    Preset preset = config.presetDefinition();
    checkpoints = run.checkpointManager(config.keep());

    // Data first: a missing or malformed dataset must fail before the run directory is touched.
    TrainingData.Loaded data = TrainingData.load(preset, config, s.dataDir(), out);
    ImageSet images = data.images();
    if (resume && config.classes() != data.classes()) {
      throw new BadInputException(run.config() + ": the run was trained with " + config.classes()
          + " classes, but its data now has " + data.classes());
    }
    config = config.withClasses(data.classes());
    Batches batches = new Batches(images, preset.pixelScale(), config.batchSize(), config.seed(), data.classes());
    int stepsPerEpoch = config.stepsPerEpoch() > 0
        ? Math.min(config.stepsPerEpoch(), batches.stepsPerEpoch()) : batches.stepsPerEpoch();
    boolean gpu = Devices.resolve(config.device(), out);

    // Everything given has been checked; from here on the run directory is written, by one trainer only.
    try (RunLock lock = RunLock.acquire(run.root())) {
      if (s.fresh()) {
        archive(run, out);
      }
      checkpoints.cleanStaleTemporaries();
      io.jgan.AtomicFiles.removeTemporaries(run.root()); // grids, losses, config.json cut short by a kill
      return train(run, s, config, candidates, data, batches, stepsPerEpoch, gpu, checkpoints, out);
    }
  }

  private int train(RunDirectory run, Settings s, TrainConfig config, List<Path> candidates, TrainingData.Loaded data,
      Batches batches, int stepsPerEpoch, boolean gpu, CheckpointManager checkpoints, PrintStream out) {
    Preset preset = config.presetDefinition();
    boolean resume = !candidates.isEmpty();

    out.println("Preset " + preset.name() + ": " + preset.tutorial());
    out.printf(Locale.ROOT, "Data: %s; %d steps per epoch of up to %d%n", data.description(), stepsPerEpoch,
        config.batchSize());
    out.println("Run directory: " + run.root());

    try (GanGraph<TFloat32> graph = GanGraph.float32(preset, config.seed(), config.batchSize(), config.classes(), config.normalGpAlpha());
         Session session = graph.openSession(config.threads(), gpu)) {
      GanCheckpoint.Progress progress;
      long saveCounter;
      if (resume) {
        GanCheckpoint.Header header = restoreNewestUsable(graph, session, candidates, s.fallback(), out);
        progress = header.progress();
        saveCounter = header.saveCounter();
      } else {
        graph.initialize(session);
        progress = GanCheckpoint.Progress.START;
        saveCounter = 0;
        out.print(graph.generator().summary());
        out.print(graph.discriminator().summary());
        printProbe(graph, session, out);
      }
      io.jgan.AtomicFiles.writeString(run.config(), config.toJson());
      if (progress.epoch() >= config.epochs() || (config.maxSteps() > 0 && progress.globalStep() >= config.maxSteps())) {
        out.println("Nothing to do: the run has already trained " + progress.epoch() + " of " + config.epochs()
            + " epochs, " + progress.globalStep() + " steps (give a larger --epochs or --steps to continue)");
        return OK;
      }
      TrainingRun trainingRun = new TrainingRun(graph, session, config, run, out, stepsPerEpoch, progress);
      GanCheckpoint.Progress end;
      try {
        end = new Trainer(trainingRun, batches, listeners(preset, checkpoints, saveCounter)).train();
      } catch (DivergedException e) {
        throw new DivergedException(e.step(), e.getMessage() + "; the latest checkpoint is still "
            + checkpoints.latest().map(Path::toString).orElse("none (nothing was saved)"));
      }
      out.println("Last step: " + ConsoleProgress.format(trainingRun, trainingRun.lastMetrics()));
      out.printf(Locale.ROOT, "Peak resident memory: %.0f MB%n", io.jgan.train.Memory.peakResidentBytes() / 1e6);
      out.printf(Locale.ROOT, "Done: %d epochs, %d steps. Run directory: %s%n", end.epoch(), end.globalStep(), run.root());
    }
    return OK;
  }

  /**
   * The checkpoints to try, in order: the state file's latest; with {@code --fallback}, every
   * complete checkpoint on disk, newest first (even when the state file itself is damaged).
   */
  private static List<Path> resumeCandidates(CheckpointManager checkpoints, boolean fallback) {
    if (fallback) {
      List<Path> onDisk = checkpoints.completeOnDisk();
      if (onDisk.isEmpty()) {
        throw new BadInputException(checkpoints.directory() + ": expected at least one complete checkpoint (ckpt-N.index and "
            + "ckpt-N.data-00000-of-00001) to fall back to, found none; refusing to start over on top of the files there "
            + "(use --fresh to archive them and start over)");
      }
      return onDisk;
    }
    Optional<Path> latest = checkpoints.latest();
    if (latest.isEmpty()) {
      throw new BadInputException(checkpoints.directory() + ": holds checkpoint files but no '" + CheckpointManager.STATE_FILE
          + "' state file naming the latest; refusing to start over on top of them (--fallback resumes from the newest "
          + "complete one, --fresh archives them and starts over)");
    }
    return List.of(latest.get());
  }

  /**
   * Restores the first candidate that reads cleanly and holds only finite values. Without
   * {@code --fallback} there is one candidate and its failure is the error.
   */
  private static GanCheckpoint.Header restoreNewestUsable(GanGraph<TFloat32> graph, Session session, List<Path> candidates,
      boolean fallback, PrintStream out) {
    for (int i = 0; ; i++) {
      Path prefix = candidates.get(i);
      try {
        GanCheckpoint.Header header = graph.checkpoint().restore(session, prefix, GanCheckpoint.ALL);
        List<String> bad = graph.checkpoint().nonFiniteVariables(session);
        if (!bad.isEmpty()) {
          throw new BadInputException(prefix + ": expected finite values, got NaN or infinity in " + String.join(", ", bad));
        }
        GanCheckpoint.Progress p = header.progress();
        out.printf(Locale.ROOT, "Resumed from %s: epoch %d done, step %d%n", prefix, p.epoch(), p.globalStep());
        return header;
      } catch (BadInputException e) {
        if (!fallback) {
          throw new BadInputException(e.getMessage() + " (--fallback resumes from the newest checkpoint that restores)", e);
        }
        if (i + 1 == candidates.size()) {
          throw new BadInputException("--fallback: no checkpoint restores; the last tried: " + e.getMessage(), e);
        }
        out.println("--fallback: skipping " + prefix + ": " + e.getMessage());
      }
    }
  }

  /** Everything a run does besides training, in the order it happens after each step and epoch. */
  private static List<TrainingListener> listeners(Preset preset, CheckpointManager checkpoints, long saveCounter) {
    List<TrainingListener> listeners = new ArrayList<>();
    listeners.add(new ConsoleProgress(System.console() != null));
    listeners.add(new SampleGrids(preset.samples()));
    if (preset.stepLog() != null) {
      listeners.add(new io.jgan.train.listeners.TutorialLog(preset.stepLog()));
    }
    listeners.add(new io.jgan.train.listeners.LossLog());
    listeners.add(new io.jgan.train.listeners.TensorBoardLog(io.jgan.train.listeners.TensorBoardLog.EVERY_DEFAULT));
    listeners.add(new Checkpointing(checkpoints, saveCounter));
    return listeners;
  }

  /** The tutorial prints D's output for one untrained G sample before training (label 0 if conditional). */
  private static void printProbe(GanGraph<TFloat32> graph, Session session, PrintStream out) {
    try (TFloat32 z = graph.sampleLatents(session, graph.seed(), RandomSource.STREAM_PROBE, 0, 1);
         TFloat32 label = graph.conditional() ? graph.oneHot(0) : null;
         TFloat32 image = graph.generate(session, z, label);
         TFloat32 decision = graph.discriminate(session, image, label)) {
      out.printf(Locale.ROOT, "Discriminator output on an untrained generator sample: %.8g%n", decision.getFloat(0, 0));
    }
  }

  private static TrainConfig newConfig(Preset preset, Settings s) {
    TrainConfig d = TrainConfig.defaults(preset);
    String dataset = s.dataset() != null ? s.dataset() : s.data() != null ? TrainConfig.FOLDER : d.dataset();
    if (s.dataset() != null && s.data() != null) {
      throw new UsageException("--dataset and --data: expected one source of images, got both");
    }
    if (s.labelCsv() != null && !preset.data().conditional()) {
      throw new UsageException("--label-csv: preset " + preset.name() + " is not conditional (cwgan-gp is)");
    }
    try {
      return new TrainConfig(preset.name(),
          s.seed() != null ? s.seed() : d.seed(),
          s.epochs() != null ? s.epochs() : d.epochs(),
          s.batchSize() != null ? s.batchSize() : d.batchSize(),
          s.stepsPerEpoch() != null ? s.stepsPerEpoch() : d.stepsPerEpoch(),
          s.checkpointEvery() != null ? s.checkpointEvery() : d.checkpointEvery(),
          s.keep() != null ? s.keep() : d.keep(),
          s.threads() != null ? s.threads() : d.threads(),
          s.steps() != null ? s.steps() : d.maxSteps(),
          dataset,
          s.data() != null ? s.data().toString() : null,
          s.labelCsv() != null ? s.labelCsv().toString() : null,
          s.label() != null ? s.label() : d.label(),
          0,
          s.gpAlpha() != null ? s.gpAlpha() : d.gpAlpha(),
          s.device() != null ? s.device() : d.device(),
          s.skipBadImages());
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage());
    }
  }

  /**
   * The configuration of the run being resumed, with the values that may change between sessions
   * (epochs, steps per epoch, checkpoint interval, keep, threads) taken from the command line. The
   * preset, seed and batch size define the run: changing them would not resume it.
   */
  private static TrainConfig resumedConfig(RunDirectory run, Settings s) throws IOException {
    if (!Files.exists(run.config())) {
      throw new BadInputException(run.config() + ": missing, but " + run.checkpoints()
          + " has checkpoints; cannot tell which preset and seed to resume (use --fresh to start over)");
    }
    TrainConfig saved = TrainConfig.fromJson(Files.readString(run.config(), StandardCharsets.UTF_8), run.config().toString());
    mustMatch("preset", s.preset(), saved.preset(), run);
    mustMatch("seed", s.seed(), saved.seed(), run);
    mustMatch("batch-size", s.batchSize(), saved.batchSize(), run);
    mustMatch("dataset", s.dataset(), saved.dataset(), run);
    mustMatch("data", s.data() == null ? null : s.data().toString(), saved.data(), run);
    mustMatch("label-csv", s.labelCsv() == null ? null : s.labelCsv().toString(), saved.labelCsv(), run);
    mustMatch("label", s.label(), saved.label(), run);
    mustMatch("gp-alpha", s.gpAlpha(), saved.gpAlpha(), run);
    try {
      return new TrainConfig(saved.preset(), saved.seed(),
          s.epochs() != null ? s.epochs() : saved.epochs(), saved.batchSize(),
          s.stepsPerEpoch() != null ? s.stepsPerEpoch() : saved.stepsPerEpoch(),
          s.checkpointEvery() != null ? s.checkpointEvery() : saved.checkpointEvery(),
          s.keep() != null ? s.keep() : saved.keep(),
          s.threads() != null ? s.threads() : saved.threads(),
          s.steps() != null ? s.steps() : saved.maxSteps(),
          saved.dataset(), saved.data(), saved.labelCsv(), saved.label(), saved.classes(), saved.gpAlpha(),
          s.device() != null ? s.device() : saved.device(),
          s.skipBadImages() || saved.skipBadImages());
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage());
    }
  }

  private static void mustMatch(String option, Object given, Object saved, RunDirectory run) {
    if (given != null && !given.equals(saved)) {
      throw new UsageException("--" + option + " " + given + " differs from the run being resumed in " + run.root()
          + " (" + saved + "); use the same value, another --run-dir, or --fresh to start over");
    }
  }

  /** --fresh over an existing run: its files move to archive-TIMESTAMP/ inside the run directory. */
  private static void archive(RunDirectory run, PrintStream out) throws IOException {
    List<Path> entries;
    try (var list = Files.list(run.root())) {
      entries = list.filter(p -> !p.getFileName().toString().startsWith("archive-")
          && !p.getFileName().toString().equals(RunLock.FILE_NAME)).toList();
    }
    if (entries.isEmpty()) {
      return;
    }
    Path archive = run.root().resolve("archive-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
    Files.createDirectories(archive);
    for (Path p : entries) {
      Files.move(p, archive.resolve(p.getFileName()));
    }
    out.println("--fresh: moved the previous run's " + entries.size() + " files to " + archive);
  }
}

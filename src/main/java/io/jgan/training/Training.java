package io.jgan.training;

import io.jgan.AtomicFiles;
import io.jgan.BadInputException;
import io.jgan.InvalidSettingException;
import io.jgan.data.ArraySource;
import io.jgan.data.BatchSource;
import io.jgan.data.Batches;
import io.jgan.data.Dataset;
import io.jgan.data.Images;
import io.jgan.data.Prefetcher;
import io.jgan.eval.QualityLog;
import io.jgan.gan.Gan;
import io.jgan.gan.Plan;
import io.jgan.gan.Preset;
import io.jgan.run.Devices;
import io.jgan.run.Memory;
import io.jgan.run.RunLock;
import io.jgan.run.TrainConfig;
import io.jgan.run.TrainingData;
import io.jgan.store.CheckpointManager;
import io.jgan.train.distributed.Cluster;
import io.jgan.train.distributed.Failures;
import io.jgan.train.distributed.Replication;
import io.jgan.train.distributed.TrustBoundary;
import io.jgan.train.distributed.WorkersLostException;
import io.jgan.train.graph.MultiStep;
import io.jgan.train.graph.Probe;
import io.jgan.train.graph.Progress;
import io.jgan.train.graph.SavedRun;
import io.jgan.train.graph.Schedule;
import io.jgan.train.graph.TrainingGraph;
import io.jgan.train.listeners.Checkpointing;
import io.jgan.train.listeners.ConsoleProgress;
import io.jgan.train.listeners.LossLog;
import io.jgan.train.listeners.SampleGrids;
import io.jgan.train.listeners.TensorBoardLog;
import io.jgan.train.listeners.TutorialLog;
import io.jgan.train.loop.DivergedException;
import io.jgan.train.loop.RunDirectory;
import io.jgan.train.loop.StopRequest;
import io.jgan.train.loop.Trainer;
import io.jgan.train.loop.TrainingListener;
import io.jgan.train.loop.TrainingRun;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.types.TFloat32;

/**
 * A training run, from start or resumed: the one place where a run is put together, for the
 * command line's {@code train} and for programs alike. Everything a preset run has, a program's own
 * GAN gets the same way: progress on the console, sample grids and their GIF, {@code losses.csv} and
 * its plot, TensorBoard, checkpoints (TF2 object-based, every {@code checkpointEvery} epochs, an
 * interim one every {@code checkpointMinutes} and on a stop), exact resume (running the same
 * program again continues where the run stopped, bit for bit), a graceful Ctrl-C or SIGTERM (the
 * step in progress finishes and is saved), sample quality where a judge fits the data, and an export.
 *
 * <pre>{@code
 * Training.Result result = Training.of(gan)          // or Training.of(Presets.get("dcgan-mnist"))
 *     .dataset(Dataset.MNIST)
 *     .batchSize(64).epochs(20)
 *     .runDir(Path.of("runs/my-gan"))
 *     .exportTo(Path.of("models/my-gan"))
 *     .train();
 * }</pre>
 *
 * <p>Settings not given keep the preset's values (a program's GAN gets {@link Plan}'s defaults) or,
 * when the run directory holds a run, that run's: a resumed run must be given the same GAN, seed,
 * batch size and data (an {@link InvalidSettingException} names the first that differs), and may be
 * given new epochs, steps, intervals, threads. Every setting is checked before the run directory is
 * touched; problems with files are {@link BadInputException}s naming the file.
 */
public final class Training {
  /** Where runs go unless {@link Builder#runDir} says otherwise: runs/NAME. */
  public static final String RUNS_DIR = "runs";

  private Training() {}

  /** A run of a catalogue preset (its defaults: data, batch size, epochs, samples, evaluation). */
  public static Builder of(Preset preset) {
    return new Builder(preset);
  }

  /** A run of a program's own GAN, with {@link Plan#defaults()}' batch size, epochs and samples until set. */
  public static Builder of(Gan gan) {
    return new Builder(Preset.of(gan, Plan.defaults()));
  }

  /** A run of a program's own GAN with its own plan (batch size, epochs, samples, evaluation interval). */
  public static Builder of(Gan gan, Plan plan) {
    return new Builder(Preset.of(gan, plan));
  }

  /** How a run ended (its errors are exceptions). */
  public record Result(Path runDir, Progress end, boolean stopped, Optional<Path> latestCheckpoint, Path export) {
    /** Whether the run did not train at all: it had already reached its end. */
    public boolean nothingToDo() {
      return end == null;
    }
  }

  /** The run's settings; each method names one, and {@link #train} runs it. */
  public static final class Builder {
    private final Preset preset;
    private Long seed;
    private Integer epochs;
    private Integer batchSize;
    private Integer stepsPerEpoch;
    private Integer checkpointEvery;
    private Double checkpointMinutes;
    private Integer keep;
    private Integer threads;
    private Long steps;
    private String dataset;
    private String folder;
    private String labelCsv;
    private String label;
    private String gpAlpha;
    private String device;
    private boolean skipBadImages;
    private Path runDir;
    private boolean fresh;
    private boolean fallback;
    private Path dataDir = Path.of(Dataset.DEFAULT_DATA_DIR);
    private Path cacheDir;
    private Integer evalEvery;
    private Integer stepsPerRun;
    private int replicas = 1;
    private boolean syncBatchNorm;
    private Cluster cluster;
    private float workerTimeout = Replication.TIMEOUT_DEFAULT_SECONDS;
    private BatchSource source;
    private ArraySource.Builder arrays;
    private Images images;
    private final List<Callback> callbacks = new ArrayList<>();
    private Path exportTo;
    private PrintStream out = System.out;
    private java.util.function.Function<Path, String> resumeCommand;

    private Builder(Preset preset) {
      this.preset = preset;
    }

    /** Seed of the initial weights, noise, dropout and shuffling (default {@value TrainConfig#SEED_DEFAULT}). */
    public Builder seed(long value) { seed = value; return this; }
    /** Epochs in total (raise it to continue a finished run). */
    public Builder epochs(int value) { epochs = value; return this; }
    /** Stop after this many steps in total, whatever the epoch (0: no limit). */
    public Builder steps(long value) { steps = value; return this; }
    /** Examples per step. */
    public Builder batchSize(int value) { batchSize = value; return this; }
    /** Cap each epoch at this many steps, for quick runs (0: a full pass). */
    public Builder stepsPerEpoch(int value) { stepsPerEpoch = value; return this; }
    /** A numbered checkpoint every this many epochs, and at the end. */
    public Builder checkpointEvery(int epochsBetween) { checkpointEvery = epochsBetween; return this; }
    /** Also an interim checkpoint when this many minutes have passed since the last save (0: never). */
    public Builder checkpointMinutes(double minutes) { checkpointMinutes = minutes; return this; }
    /** Numbered checkpoints kept (0: all). */
    public Builder keep(int count) { keep = count; return this; }
    /** TensorFlow threads (0: TensorFlow's choice). */
    public Builder threads(int count) { threads = count; return this; }
    /** {@code cpu} or {@code gpu} (falls back to the CPU, saying so, when no GPU is usable). */
    public Builder device(String name) { device = name; return this; }
    /** Train on an IDX dataset (fetched into the data directory if missing), converted to the GAN's image shape; the last data given wins. */
    public Builder dataset(Dataset value) { dataset = value.dirName(); folder = null; programData(null, null, null); return this; }
    /** Train on a folder of images (decoded once into a cache), converted to the GAN's image shape; the last data given wins. */
    public Builder imageFolder(Path dir) { folder = dir.toString(); dataset = TrainConfig.FOLDER; programData(null, null, null); return this; }
    /** A conditional GAN's labels for an image folder: a CelebA-format CSV and the attribute (1/-1) giving the class. */
    public Builder labels(Path csv, String attribute) { labelCsv = csv.toString(); label = attribute; return this; }
    /** Train on a folder's decodable images, listing the others, instead of stopping. */
    public Builder skipBadImages() { skipBadImages = true; return this; }
    /**
     * Train on a program's own batches (already scaled as the networks take them), e.g. an
     * {@code io.jgan.data.ArraySource}; no judge measures their quality.
     */
    public Builder data(BatchSource batches) { return programData(batches, null, null); }
    /**
     * Train on a program's own arrays, e.g. {@code ArraySource.rows(points)}: batched at the run's
     * batch size and shuffled every epoch on the run's seed, so a resumed run sees the same batches.
     */
    public Builder data(ArraySource.Builder rows) { return programData(null, rows, null); }

    /**
     * Train on these images, e.g. both splits of a dataset ({@code Dataset.MNIST.loadAll(dir)}): scaled as the
     * GAN's {@link io.jgan.PixelScale} says, batched at the run's batch size and shuffled every epoch on its
     * seed as {@link #dataset} batches a dataset's; a class-conditional GAN gets their labels, one-hot. They
     * must have the GAN's image shape; no judge measures their quality.
     *
     * <pre>{@code
     * Training.of(gan, plan).data(Dataset.MNIST.loadAll(Path.of("data"))).train();   // 70,000 digits
     * }</pre>
     */
    public Builder data(Images labelledOrNot) { return programData(null, null, java.util.Objects.requireNonNull(labelledOrNot)); }

    /** The one kind of a program's data a run trains on (the last given wins); all null: a dataset or folder. */
    private Builder programData(BatchSource batches, ArraySource.Builder rows, Images given) {
      source = batches;
      arrays = rows;
      images = given;
      if (batches != null || rows != null || given != null) {
        dataset = TrainConfig.CUSTOM;
        folder = null;
      }
      return this;
    }
    /** Seed 003's gradient-penalty alphas from N(0, 1) ({@code normal}) instead of the paper's U(0, 1) ({@code uniform}). */
    public Builder gpAlpha(String distribution) { gpAlpha = distribution; return this; }
    /** Where the run writes (default runs/NAME); a run there is resumed. */
    public Builder runDir(Path dir) { runDir = dir; return this; }
    /** Start over even if the run directory holds a run (its files move to an archive folder). */
    public Builder fresh() { fresh = true; return this; }
    /** When the latest checkpoint cannot be restored (damaged, NaN), resume from the newest one that can. */
    public Builder fallback() { fallback = true; return this; }
    /** Where the IDX datasets are (default {@value Dataset#DEFAULT_DATA_DIR}). */
    public Builder dataDir(Path dir) { dataDir = dir; return this; }
    /** Where decoded image folders are kept (default DATA-DIR/cache). */
    public Builder cacheDir(Path dir) { cacheDir = dir; return this; }
    /** Measure sample quality every this many epochs (0: never; only runs on MNIST or Fashion-MNIST have a judge). */
    public Builder evalEvery(int epochsBetween) { evalEvery = epochsBetween; return this; }
    /** Training steps per TensorFlow session run (Keras's steps_per_execution): the same results bit for bit. */
    public Builder stepsPerRun(int count) { stepsPerRun = count; return this; }
    /** Data-parallel replicas, one device each, their gradients averaged by an all-reduce. */
    public Builder replicas(int count) { replicas = count; return this; }
    /** With replicas: BatchNorm normalises with the whole batch's statistics. */
    public Builder syncBatchNorm() { syncBatchNorm = true; return this; }
    /**
     * One worker of a multi-worker run. Its addresses must pass the {@link TrustBoundary} (checked
     * here) unless {@code unsafeAllowPublic}.
     */
    public Builder cluster(Cluster workers, boolean unsafeAllowPublic) {
      try {
        TrustBoundary.check(workers, unsafeAllowPublic);
      } catch (IllegalArgumentException e) {
        throw new InvalidSettingException(e.getMessage());
      }
      cluster = workers;
      return this;
    }
    /** With a cluster: seconds a worker waits for the others at a step before the run stops with an error. */
    public Builder workerTimeout(float seconds) { workerTimeout = seconds; return this; }
    /** Called as the run goes (your own logging, early stopping by exception, ...). */
    public Builder callback(Callback callback) { callbacks.add(callback); return this; }
    /** After training, export the generator as a SavedModel there (replacing what an earlier run exported). */
    public Builder exportTo(Path dir) { exportTo = dir; return this; }
    /** Where the run reports (default System.out). */
    public Builder out(PrintStream stream) { out = stream; return this; }
    /**
     * The command that resumes the run, given its directory, printed after a graceful stop
     * (default: none; the report says to run the same program again with that directory).
     */
    public Builder resumeCommand(java.util.function.Function<Path, String> command) { resumeCommand = command; return this; }

    /**
     * The common options of a training program's command line, applied over what the program set:
     * {@code --run-dir DIR}, {@code --epochs N}, {@code --steps N}, {@code --steps-per-epoch N},
     * {@code --batch-size N}, {@code --seed N}, {@code --threads N}, {@code --export DIR}, {@code --fresh},
     * and {@code --data DIR} (train on that image folder, as {@link #imageFolder}; {@code train --data}'s name).
     * A program passes its {@code main} arguments, so that it can be run briefly ({@code --steps 3}),
     * elsewhere or on other images without changing its code:
     *
     * <pre>{@code
     * Training.of(gan, plan).imageFolder(Path.of("data/faces")).commandLine(args).train();
     * // java MyGan.java --data data/other-faces --steps 100 --run-dir runs/try
     * }</pre>
     *
     * @throws InvalidSettingException naming an unknown option or a bad value
     */
    public Builder commandLine(String... args) {
      org.apache.commons.cli.Options options = new org.apache.commons.cli.Options();
      for (String valued : new String[] {"run-dir", "epochs", "steps", "steps-per-epoch", "batch-size", "seed", "threads",
          "export", "data"}) {
        options.addOption(org.apache.commons.cli.Option.builder().longOpt(valued).hasArg().build());
      }
      options.addOption(org.apache.commons.cli.Option.builder().longOpt("fresh").build());
      org.apache.commons.cli.CommandLine line;
      try {
        line = new org.apache.commons.cli.DefaultParser().parse(options, args);
      } catch (org.apache.commons.cli.ParseException e) {
        throw new InvalidSettingException(e.getMessage() + "; expected options among --run-dir, --epochs, --steps, "
            + "--steps-per-epoch, --batch-size, --seed, --threads, --export, --data, --fresh");
      }
      if (!line.getArgList().isEmpty()) {
        throw new InvalidSettingException("expected options only, got '" + line.getArgList().get(0) + "'");
      }
      if (line.hasOption("run-dir")) runDir(Path.of(line.getOptionValue("run-dir")));
      if (line.hasOption("epochs")) epochs((int) number(line, "epochs"));
      if (line.hasOption("steps")) steps(number(line, "steps"));
      if (line.hasOption("steps-per-epoch")) stepsPerEpoch((int) number(line, "steps-per-epoch"));
      if (line.hasOption("batch-size")) batchSize((int) number(line, "batch-size"));
      if (line.hasOption("seed")) seed(number(line, "seed"));
      if (line.hasOption("threads")) threads((int) number(line, "threads"));
      if (line.hasOption("export")) exportTo(Path.of(line.getOptionValue("export")));
      if (line.hasOption("data")) imageFolder(Path.of(line.getOptionValue("data")));
      if (line.hasOption("fresh")) fresh();
      return this;
    }

    private static long number(org.apache.commons.cli.CommandLine line, String option) {
      String raw = line.getOptionValue(option);
      try {
        return Long.parseLong(raw.strip());
      } catch (NumberFormatException e) {
        throw new InvalidSettingException("--" + option + ": expected an integer, got '" + raw + "'");
      }
    }

    /** Trains: resumes the run directory's run, or starts one; returns how it ended. */
    public Result train() {
      try {
        return new Run(this).execute();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    TrainConfig.Overrides overrides() {
      return new TrainConfig.Overrides(null, seed, epochs, batchSize, stepsPerEpoch, checkpointEvery, checkpointMinutes,
          keep, threads, steps, dataset, folder, labelCsv, label, gpAlpha, device, skipBadImages);
    }

    /** Whether this process writes the run's outputs: always in one process, the chief's task among workers. */
    boolean writesOutputs() {
      return cluster == null || cluster.chief();
    }
  }

  /** One execution of a run: what {@link Builder#train} does, in order. */
  private static final class Run {
    private final Builder s;
    private final Preset preset;
    private final PrintStream out;

    Run(Builder settings) {
      this.s = settings;
      this.preset = settings.preset;
      this.out = settings.out;
    }

    Result execute() throws IOException {
      RunDirectory run = new RunDirectory(s.runDir != null ? s.runDir : Path.of(RUNS_DIR, preset.name()));
      CheckpointManager checkpoints = run.checkpointManager(TrainConfig.KEEP_DEFAULT);
      boolean resume = !s.fresh && checkpoints.hasAnyCheckpoint();
      if ((s.source != null || s.arrays != null || s.images != null) && s.replicas > 1) {
        throw new InvalidSettingException("replicas with a program's own batches: expected 1 replica, got " + s.replicas);
      }

      TrainConfig config;
      List<Path> candidates = List.of();
      if (resume) {
        candidates = resumeCandidates(checkpoints, s.fallback);
        config = resumedConfig(run);
      } else {
        config = newConfig();
      }
      checkpoints = run.checkpointManager(config.keep());
      // A replicated step runs one step per session run whatever the preset's default.
      int stepsPerRun = s.stepsPerRun != null ? s.stepsPerRun : s.replicas > 1 ? 1 : preset.stepsPerRun();
      if (stepsPerRun > 1 && !preset.trainStep().unrollable()) {
        throw new InvalidSettingException("--steps-per-run: " + preset.name() + " runs its critic phase several times per "
            + "step and cannot run several steps per session run; expected 1, got " + stepsPerRun);
      }

      // Data first: a missing or malformed dataset must fail before the run directory is touched.
      BatchSource given = s.arrays != null ? s.arrays.batchSize(config.batchSize()).seed(config.seed()).build()
          : s.images != null ? imageBatches(s.images, config) : s.source;
      try (TrainingData.Loaded data = given != null ? null : TrainingData.load(preset, config, s.dataDir, s.cacheDir, out)) {
        int classes = data != null ? data.classes() : given.classes();
        if (resume && config.classes() != classes) {
          throw new BadInputException(run.config() + ": the run was trained with " + config.classes()
              + " classes, but its data now has " + classes);
        }
        config = config.withClasses(classes);
        BatchSource batches = given != null ? given
            : new Batches(data.images(), preset.pixelScale(), config.batchSize(), config.seed(), data.classes());
        int stepsPerEpoch = config.stepsPerEpoch() > 0
            ? Math.min(config.stepsPerEpoch(), batches.stepsPerEpoch()) : batches.stepsPerEpoch();
        boolean gpu = Devices.resolve(config.device(), out);
        Replication replication = replication(gpu, config, data, stepsPerEpoch);
        String description = data != null ? data.description() : given.describe();

        // Everything given has been checked; from here on the run directory is written, by one trainer
        // only. Another worker of a multi-worker run reads it (to resume) and writes nothing: no lock.
        try (RunLock lock = s.writesOutputs() ? RunLock.acquire(run.root()) : null;
             // The next session run's batches are built while one runs: twice its steps ahead.
             Prefetcher prefetched = new Prefetcher(batches, stepsPerEpoch,
                 Math.max(Prefetcher.DEFAULT_DEPTH, 2 * stepsPerRun))) {
          if (s.writesOutputs()) {
            if (s.fresh) {
              archive(run);
            }
            checkpoints.cleanStaleTemporaries();
            AtomicFiles.removeTemporaries(run.root()); // grids, losses, config.json cut short by a kill
          }
          return train(run, config, candidates, description, prefetched, stepsPerEpoch, gpu, replication, checkpoints,
              stepsPerRun);
        }
      }
    }

    private Result train(RunDirectory run, TrainConfig config, List<Path> candidates, String data, BatchSource batches,
        int stepsPerEpoch, boolean gpu, Replication replication, CheckpointManager checkpoints, int stepsPerRun) {
      boolean resume = !candidates.isEmpty();
      out.println((preset.tutorial() != null ? "Preset " + preset.name() + ": " + preset.tutorial() : "GAN " + preset.name()));
      out.printf(Locale.ROOT, "Data: %s; %d steps per epoch of up to %d%n", data, stepsPerEpoch, config.batchSize());
      out.println("Run directory: " + run.root());
      if (replication != null) {
        out.println(replication.describe(config.batchSize()));
      }
      if (s.cluster != null) {
        out.println("Cluster: " + s.cluster.describe() + "; workers " + String.join(", ", s.cluster.addresses())
            + (s.writesOutputs() ? "; this worker writes the run's files" : "; the chief writes the run's files, this worker none")
            + "; a step waits at most " + (int) replication.timeoutSeconds() + " s for the others (--worker-timeout)");
      }

      GracefulStop.install(System.err);
      StopRequest stop = GracefulStop.STOP;
      try (TrainingGraph<TFloat32> graph = TrainingGraph.float32(preset, config.seed(), config.batchSize(), config.classes(),
               config.normalGpAlpha(), replication);
           Session session = graph.openSession(config.threads(), gpu)) {
        // Built before the first session run (TensorFlow extends the session's graph on its next run).
        MultiStep multiStep = stepsPerRun > 1 ? graph.multiStep(stepsPerRun) : null;
        Progress progress;
        long saveCounter;
        if (resume) {
          SavedRun saved = restoreNewestUsable(graph, session, candidates);
          progress = saved.progress();
          saveCounter = saved.saveCounter();
        } else {
          graph.initialize(session);
          progress = Progress.START;
          saveCounter = 0;
          out.print(graph.networks().generator().summary());
          out.print(graph.networks().discriminator().summary());
          // The tutorial prints D's output for one untrained G sample before training.
          out.printf(Locale.ROOT, "Discriminator output on an untrained generator sample: %.8g%n",
              Probe.discriminatorOutput(graph.inference(), session, config.seed()));
        }
        Schedule schedule = new Schedule(config.epochs(), stepsPerEpoch, config.maxSteps());
        graph.verifySameStart(session, progress, schedule);
        if (s.writesOutputs()) {
          AtomicFiles.writeString(run.config(), config.toJson());
        }
        if (schedule.isDone(progress)) {
          out.println("Nothing to do: the run has already trained " + progress.epoch() + " of " + config.epochs()
              + " epochs, " + progress.globalStep() + " steps (give a larger --epochs or --steps to continue)");
          return new Result(run.root(), null, false, checkpoints.latest(), export(graph, session, config));
        }
        TrainingRun trainingRun = new TrainingRun(graph, session, run, out, schedule, progress);
        Progress end;
        Trainer trainer;
        List<TrainingListener> listeners = s.writesOutputs() ? listeners(config, checkpoints, saveCounter)
            : new ArrayList<>(List.of(new ConsoleProgress(System.console() != null)));
        s.callbacks.forEach(c -> listeners.add(new CallbackListener(c)));
        try {
          trainer = new Trainer(trainingRun, batches, listeners, stop).withStepsPerRun(multiStep);
          end = trainer.train();
        } catch (DivergedException e) {
          throw new DivergedException(e.step(), e.getMessage() + "; the latest checkpoint is still "
              + checkpoints.latest().map(Path::toString).orElse("none (nothing was saved)"));
        } catch (org.tensorflow.exceptions.TensorFlowException | IllegalArgumentException | IllegalStateException e) {
          if (s.cluster == null) {
            throw e;
          }
          // TensorFlow's errors surface as these (InvalidArgument is an IllegalArgumentException).
          WorkersLostException lost = Failures.lost(s.cluster, "step " + (trainingRun.progress().globalStep() + 1), e);
          throw new WorkersLostException(lost.getMessage() + "; the chief's latest checkpoint is "
              + checkpoints.latest().map(Path::toString).orElse("none (nothing was saved)")
              + "; start every worker again (the same --cluster, --run-dir) to resume from it", e);
        }
        if (trainingRun.lastMetrics() != null) {
          out.println("Last step: " + ConsoleProgress.format(trainingRun, trainingRun.lastMetrics()));
        }
        out.printf(Locale.ROOT, "Peak resident memory: %.0f MB%n", Memory.peakResidentBytes() / 1e6);
        if (trainer.stopped()) {
          String by = stop.isRequested() ? "SIG" + stop.signal()
              : "another worker's request (SIGINT or SIGTERM)"; // only among workers
          out.printf(Locale.ROOT, "Stopped by %s at step %d (epoch %d of %d, %d of %d steps done in it); latest checkpoint %s%n",
              by, end.globalStep(), end.epoch() + 1, config.epochs(), end.stepInEpoch(), stepsPerEpoch,
              s.writesOutputs() ? checkpoints.latest().map(Path::toString).orElse("none") : "the chief's");
          out.println(s.cluster != null ? "Resume by starting every worker again with the same --cluster and --run-dir"
              : s.resumeCommand != null ? "Resume with: " + s.resumeCommand.apply(run.root())
              : "Resume by running the same program again with the run directory " + run.root());
          return new Result(run.root(), end, true, checkpoints.latest(), null);
        }
        out.printf(Locale.ROOT, "Done: %d epochs, %d steps. Run directory: %s%n", end.epoch(), end.globalStep(), run.root());
        return new Result(run.root(), end, false, checkpoints.latest(), export(graph, session, config));
      }
    }

    /** A program's images as the run's batches: the GAN's image shape and pixel scale, labels for a conditional GAN. */
    private BatchSource imageBatches(Images images, TrainConfig config) {
      Shape shape = preset.imageShape();
      if (shape.numDimensions() != 3 || images.height() != shape.size(0) || images.width() != shape.size(1)
          || images.channels() != shape.size(2)) {
        throw new InvalidSettingException(images.name() + ": expected images of " + shape + " (the image shape of "
            + preset.name() + "), got " + images.height() + "x" + images.width() + "x" + images.channels());
      }
      boolean conditional = preset.conditioning() != Gan.Conditioning.NONE;
      if (conditional && !images.labelled()) {
        throw new InvalidSettingException(images.name() + ": " + preset.name() + " is class-conditional: expected "
            + "labelled images, got unlabelled ones");
      }
      return new Batches(images, preset.pixelScale(), config.batchSize(), config.seed(),
          conditional ? images.numClasses() : 0);
    }

    /** The generator as a SavedModel at {@link Builder#exportTo}, if asked for (the chief's only). */
    private Path export(TrainingGraph<TFloat32> graph, Session session, TrainConfig config) {
      if (s.exportTo == null || !s.writesOutputs()) {
        return null;
      }
      Exports.write(graph, session, config, preset, s.exportTo);
      out.println("Exported the generator to " + s.exportTo);
      return s.exportTo;
    }

    /** Data-parallel replicas and worker processes: their devices, checked against the batches they split; null for one. */
    private Replication replication(boolean gpu, TrainConfig config, TrainingData.Loaded data, int stepsPerEpoch) {
      if (s.replicas < 2 && s.cluster == null) {
        return null;
      }
      if (gpu && !Devices.gpusUsable(s.replicas)) {
        throw new InvalidSettingException("--replicas " + s.replicas + " --device gpu: expected " + s.replicas
            + " usable GPUs, got fewer");
      }
      Replication r = s.cluster != null
          ? Replication.multiWorker(s.cluster, s.replicas, s.syncBatchNorm, gpu, s.workerTimeout)
          : Replication.local(s.replicas, s.syncBatchNorm, gpu);
      String problem = r.splitProblem(config.batchSize(), data.images().count(), stepsPerEpoch);
      if (problem != null) {
        throw new InvalidSettingException((s.cluster != null ? "--cluster of " + s.cluster.size() + " workers, " : "")
            + "--replicas " + s.replicas + ": " + problem);
      }
      return r;
    }

    /**
     * The checkpoints to try, in order: the state file's latest; with {@code fallback}, every
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
     * {@code fallback} there is one candidate and its failure is the error.
     */
    private SavedRun restoreNewestUsable(TrainingGraph<TFloat32> graph, Session session, List<Path> candidates) {
      for (int i = 0; ; i++) {
        Path prefix = candidates.get(i);
        try {
          SavedRun saved = graph.restore(session, prefix, TrainingGraph.ALL);
          List<String> bad = graph.nonFiniteVariables(session);
          if (!bad.isEmpty()) {
            throw new BadInputException(prefix + ": expected finite values, got NaN or infinity in " + String.join(", ", bad));
          }
          Progress p = saved.progress();
          out.printf(Locale.ROOT, "Resumed from %s: epoch %d done, step %d%n", prefix, p.epoch(), p.globalStep());
          return saved;
        } catch (BadInputException e) {
          if (!s.fallback) {
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
    private List<TrainingListener> listeners(TrainConfig config, CheckpointManager checkpoints, long saveCounter) {
      List<TrainingListener> listeners = new ArrayList<>();
      listeners.add(new ConsoleProgress(System.console() != null));
      listeners.add(new SampleGrids(preset.samples()));
      if (preset.stepLog() != null) {
        listeners.add(new TutorialLog(preset.stepLog()));
      }
      listeners.add(new LossLog());
      listeners.add(new TensorBoardLog(TensorBoardLog.EVERY_DEFAULT, preset.samples()));
      listeners.add(new Checkpointing(checkpoints, config.checkpointEvery(), config.checkpointMinutes(), config.toJson(),
          saveCounter));
      // Sample quality after the checkpoint, so a slow or failing evaluation never delays a save.
      int every = s.evalEvery != null ? s.evalEvery : preset.evalEvery();
      QualityLog quality = QualityLog.forRun(config.dataset(), config.classes(), every, s.dataDir, config.threads());
      if (quality != null) {
        listeners.add(quality);
      } else if (s.evalEvery != null && s.evalEvery > 0) {
        out.println("--eval-every: no judge applies to a run on an image folder or a program's own data; use 'evaluate "
            + "--dataset NAME' afterwards");
      }
      return listeners;
    }

    /** A new run: the preset's defaults with the values given. */
    private TrainConfig newConfig() {
      TrainConfig.Overrides o = s.overrides();
      if (o.labelCsv() != null && !preset.data().conditional()) {
        throw new InvalidSettingException("--label-csv: " + preset.name() + " is not conditional (cwgan-gp is)");
      }
      try {
        return TrainConfig.defaults(preset).with(o);
      } catch (IllegalArgumentException e) {
        throw new InvalidSettingException(e.getMessage());
      }
    }

    /**
     * The configuration of the run being resumed, with the values that may change between sessions
     * taken from the settings (see {@link TrainConfig#resumedWith}); it must be a run of this GAN.
     */
    private TrainConfig resumedConfig(RunDirectory run) throws IOException {
      if (!Files.exists(run.config())) {
        throw new BadInputException(run.config() + ": missing, but " + run.checkpoints()
            + " has checkpoints; cannot tell which GAN and seed to resume (use --fresh to start over)");
      }
      TrainConfig saved = TrainConfig.fromJson(Files.readString(run.config(), StandardCharsets.UTF_8), run.config().toString());
      if (!saved.preset().equals(preset.name())) {
        throw new InvalidSettingException(run.root() + " holds a run of " + saved.preset() + ", expected one of "
            + preset.name() + "; use another run directory, or --fresh to start over there");
      }
      try {
        return saved.resumedWith(s.overrides());
      } catch (IllegalArgumentException e) {
        throw new InvalidSettingException(e.getMessage().replace(" differs from the run being resumed (",
            " differs from the run being resumed in " + run.root() + " (")
            + (e.getMessage().contains("differs") ? "; use the same value, another --run-dir, or --fresh to start over" : ""));
      }
    }

    /** --fresh over an existing run: its files move to archive-TIMESTAMP/ inside the run directory. */
    private void archive(RunDirectory run) throws IOException {
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
}

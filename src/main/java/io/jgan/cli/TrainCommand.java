package io.jgan.cli;

import io.jgan.BadInputException;
import io.jgan.data.BatchSource;
import io.jgan.data.Batches;
import io.jgan.data.Dataset;
import io.jgan.data.Prefetcher;
import io.jgan.eval.QualityLog;
import io.jgan.presets.Preset;
import io.jgan.presets.Presets;
import io.jgan.run.Devices;
import io.jgan.run.Memory;
import io.jgan.run.RunLock;
import io.jgan.run.TrainConfig;
import io.jgan.run.TrainingData;
import io.jgan.store.CheckpointManager;
import io.jgan.train.DivergedException;
import io.jgan.train.MultiStep;
import io.jgan.train.Probe;
import io.jgan.train.Progress;
import io.jgan.train.RunDirectory;
import io.jgan.train.SavedRun;
import io.jgan.train.Schedule;
import io.jgan.train.Trainer;
import io.jgan.train.TrainingGraph;
import io.jgan.train.TrainingListener;
import io.jgan.train.TrainingRun;
import io.jgan.train.distributed.Cluster;
import io.jgan.train.distributed.Failures;
import io.jgan.train.distributed.Replication;
import io.jgan.train.distributed.TrustBoundary;
import io.jgan.train.distributed.WorkersLostException;
import io.jgan.train.listeners.Checkpointing;
import io.jgan.train.listeners.ConsoleProgress;
import io.jgan.train.listeners.LossLog;
import io.jgan.train.listeners.SampleGrids;
import io.jgan.train.listeners.TensorBoardLog;
import io.jgan.train.listeners.TutorialLog;
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

  /**
   * The parsed command line: the configuration values it gives (null where it gives none) and
   * what concerns this invocation only.
   */
  record Settings(TrainConfig.Overrides overrides, Path runDir, boolean fresh, Path dataDir, Path cacheDir,
      boolean fallback, Integer evalEvery, Integer stepsPerRun, int replicas, boolean syncBatchNorm, Cluster cluster,
      float workerTimeout) {
    /** Whether this process writes the run's outputs: always in one process, the chief's task among workers. */
    boolean writesOutputs() {
      return cluster == null || cluster.chief();
    }
  }

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
        .addOption(valued("steps-per-epoch", "N", "cap each epoch at N steps, for quick runs (0 or default: a full pass)"))
        .addOption(valued("batch-size", "N", "examples per step (default: the preset's)"))
        .addOption(valued("run-dir", "DIR", "where grids, checkpoints and logs go (default " + RUNS_DIR + "/PRESET)"))
        .addOption(valued("seed", "N", "seed of weights, noise, dropout and shuffling (default " + TrainConfig.SEED_DEFAULT + ")"))
        .addOption(valued("checkpoint-every", "N", "save a checkpoint every N epochs and at the end (default: the preset's)"))
        .addOption(valued("checkpoint-minutes", "M", "also save an interim checkpoint when M minutes have passed since the "
            + "last save, 0 for never (default " + (int) Checkpointing.MINUTES_DEFAULT + ")"))
        .addOption(valued("keep", "N", "checkpoints to keep, 0 for all (default " + TrainConfig.KEEP_DEFAULT + ")"))
        .addOption(valued("threads", "N", "TensorFlow threads, 0 for TensorFlow's choice (default 0)"))
        .addOption(valued("data-dir", "DIR", "where the IDX datasets are (fetched if missing; default " + Dataset.DEFAULT_DATA_DIR + ")"))
        .addOption(valued("steps", "N", "stop after N steps in total, 0 for no limit (default: the preset's, e.g. gan-tf1's 10000)"))
        .addOption(valued("dataset", "NAME", "train on " + Dataset.names() + " instead of the preset's data (cwgan-gp: conditioned on its classes)"))
        .addOption(valued("data", "DIR", "an image folder (dcgan-lego, wgan-gp, cwgan-gp); make one with export-images"))
        .addOption(valued("cache-dir", "DIR", "where image folders are kept decoded, reused by later runs (default DATA-DIR/"
            + TrainingData.CACHE_DIR + ")"))
        .addOption(valued("label-csv", "FILE", "CelebA-format attribute CSV for the folder's labels (cwgan-gp)"))
        .addOption(valued("label", "NAME", "the CSV attribute used as the class label (cwgan-gp, default Blond_Hair)"))
        .addOption(valued("gp-alpha", "DIST", "WGAN-GP interpolation weights: uniform (the paper, default) or normal (the seed's bug)"))
        .addOption(valued("device", "D", "cpu (default) or gpu; falls back to cpu with a warning when no GPU is usable"))
        .addOption(flag("skip-bad-images", "train on a folder's decodable images, listing the others, instead of stopping"))
        .addOption(flag("fallback", "when the latest checkpoint cannot be restored (damaged, NaN), resume from the newest one that can"))
        .addOption(flag("fresh", "start over even if the run directory has checkpoints (old files are moved to an archive folder)"))
        .addOption(valued("steps-per-run", "N", "training steps per TensorFlow session run, unrolled in the graph as "
            + "Keras's steps_per_execution; the same results bit for bit (default: the preset's, e.g. gan-tf1's)"))
        .addOption(valued("eval-every", "N", "measure sample quality every N epochs into metrics.csv, 0 for never (default: "
            + "the preset's, for runs on mnist or fashion-mnist)"))
        .addOption(valued("replicas", "N", "data-parallel replicas, one device each (virtual CPU devices; GPUs with --device "
            + "gpu): the batch is split among them and their gradients averaged by an all-reduce before one update (default 1)"))
        .addOption(flag("sync-bn", "with --replicas: BatchNorm normalises with the whole batch's statistics (all-reduced) "
            + "instead of each replica's own"))
        .addOption(valued("cluster", "HOST:PORT,...", "train with several worker processes, one per address (start one "
            + "per address, each with its --task; TF_CONFIG in tf.distribute's format does the same): the batch is split "
            + "among all their replicas; worker 0, the chief, writes the run's files"))
        .addOption(valued("task", "I", "with --cluster: this process's index among the addresses (0 is the chief)"))
        .addOption(valued("worker-timeout", "S", "with --cluster: seconds a worker waits for the others at a step before "
            + "the run stops with an error (default " + Replication.TIMEOUT_DEFAULT_SECONDS + ")"))
        .addOption(flag(TrustBoundary.UNSAFE_FLAG.substring(2), "with --cluster: accept worker addresses outside loopback, "
            + "private, link-local and carrier-grade NAT ranges. TensorFlow's server has no authentication and listens on "
            + "every interface: pass this only if a firewall keeps everyone but the workers from their ports"));
  }

  /** Parses the values; their bounds are checked in one place, {@link TrainConfig}. */
  static Settings parse(CommandLine line) {
    String preset = line.getOptionValue("preset");
    if (preset != null) {
      try {
        Presets.get(preset);
      } catch (BadInputException e) {
        throw new UsageException("--preset: " + e.getMessage());
      }
    }
    String dataset = datasetOption(line);
    if (dataset != null && line.hasOption("data")) {
      throw new UsageException("--dataset and --data: expected one source of images, got both");
    }
    TrainConfig.Overrides overrides = new TrainConfig.Overrides(preset,
        longValue(line, "seed"),
        intValue(line, "epochs"),
        intValue(line, "batch-size"),
        intValue(line, "steps-per-epoch"),
        intValue(line, "checkpoint-every"),
        doubleValue(line, "checkpoint-minutes"),
        intValue(line, "keep"),
        intValue(line, "threads"),
        longValue(line, "steps"),
        line.hasOption("data") ? TrainConfig.FOLDER : dataset,
        line.getOptionValue("data"),
        line.getOptionValue("label-csv"),
        line.getOptionValue("label"),
        line.getOptionValue("gp-alpha"),
        line.getOptionValue("device"),
        line.hasOption("skip-bad-images"));
    int replicas = intOption(line, "replicas", 1, 1);

    Integer stepsPerRun = line.hasOption("steps-per-run") ? intOption(line, "steps-per-run", 1, 1) : null;
    if (replicas > 1 && stepsPerRun != null && stepsPerRun > 1) {
      // Each unrolled copy would need its own towers and all-reduces; not built.
      throw new UsageException("--steps-per-run with --replicas: expected --steps-per-run 1 for a replicated step "
          + "(several steps per session run are not built for replicas), got --steps-per-run " + stepsPerRun
          + " --replicas " + replicas);
    }
    Cluster cluster = cluster(line);
    if (line.hasOption("sync-bn") && replicas < 2 && (cluster == null || cluster.size() < 2)) {
      throw new UsageException("--sync-bn: expected --replicas 2 or more to synchronise BatchNorm across, got --replicas "
          + replicas);
    }
    if (line.hasOption("worker-timeout") && cluster == null) {
      throw new UsageException("--worker-timeout: expected --cluster (or TF_CONFIG) as well; it applies to worker processes");
    }
    int workerTimeout = line.hasOption("worker-timeout") ? intOption(line, "worker-timeout", 1, Replication.TIMEOUT_DEFAULT_SECONDS)
        : Replication.TIMEOUT_DEFAULT_SECONDS;
    if (cluster != null && stepsPerRun != null && stepsPerRun > 1) {
      throw new UsageException("--steps-per-run with --cluster: expected --steps-per-run 1 for a replicated step, got "
          + stepsPerRun);
    }
    return new Settings(overrides,
        line.hasOption("run-dir") ? Path.of(line.getOptionValue("run-dir")) : null,
        line.hasOption("fresh"),
        Path.of(line.getOptionValue("data-dir", Dataset.DEFAULT_DATA_DIR)),
        line.hasOption("cache-dir") ? Path.of(line.getOptionValue("cache-dir")) : null,
        line.hasOption("fallback"),
        line.hasOption("eval-every") ? intOption(line, "eval-every", 0, 0) : null,
        stepsPerRun,
        replicas,
        line.hasOption("sync-bn"),
        cluster,
        workerTimeout);
  }

  /** {@code --cluster A,B --task I}, or the {@code TF_CONFIG} environment variable; null for one process. */
  private static Cluster cluster(CommandLine line) {
    String tfConfig = System.getenv(Cluster.TF_CONFIG);
    boolean unsafe = line.hasOption(TrustBoundary.UNSAFE_FLAG.substring(2));
    try {
      Cluster cluster = null;
      if (line.hasOption("cluster")) {
        if (!line.hasOption("task")) {
          throw new UsageException("--cluster: expected --task I as well, this process's index among the addresses");
        }
        cluster = Cluster.parse(line.getOptionValue("cluster"), intOption(line, "task", 0, -1));
      } else if (line.hasOption("task")) {
        throw new UsageException("--task: expected --cluster as well");
      } else if (tfConfig != null && !tfConfig.isBlank()) {
        cluster = Cluster.fromTfConfig(tfConfig, "the " + Cluster.TF_CONFIG + " environment variable");
      }
      if (cluster == null && unsafe) {
        throw new UsageException(TrustBoundary.UNSAFE_FLAG + ": expected --cluster (or TF_CONFIG) as well; it applies to "
            + "worker addresses");
      }
      if (cluster != null) {
        TrustBoundary.check(cluster, unsafe); // before any server starts
      }
      return cluster;
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage());
    }
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

  @Override
  protected int execute(CommandLine line, PrintStream out, PrintStream err) throws IOException {
    Settings s = parse(line);
    String presetName = s.overrides().preset() != null ? s.overrides().preset() : Presets.DEFAULT;
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
    // A replicated step runs one step per session run whatever the preset's default.
    int stepsPerRun = s.stepsPerRun() != null ? s.stepsPerRun() : s.replicas() > 1 ? 1 : preset.stepsPerRun();
    if (stepsPerRun > 1 && !preset.trainStep().unrollable()) {
      throw new UsageException("--steps-per-run: preset " + preset.name() + " runs its critic phase several times per step "
          + "and cannot run several steps per session run; expected 1, got " + stepsPerRun);
    }

    // Data first: a missing or malformed dataset must fail before the run directory is touched.
    try (TrainingData.Loaded data = TrainingData.load(preset, config, s.dataDir(), s.cacheDir(), out)) {
      if (resume && config.classes() != data.classes()) {
        throw new BadInputException(run.config() + ": the run was trained with " + config.classes()
            + " classes, but its data now has " + data.classes());
      }
      config = config.withClasses(data.classes());
      Batches batches = new Batches(data.images(), preset.pixelScale(), config.batchSize(), config.seed(), data.classes());
      int stepsPerEpoch = config.stepsPerEpoch() > 0
          ? Math.min(config.stepsPerEpoch(), batches.stepsPerEpoch()) : batches.stepsPerEpoch();
      boolean gpu = Devices.resolve(config.device(), out);
      Replication replication = replication(s, gpu, config, data, stepsPerEpoch);

      // Everything given has been checked; from here on the run directory is written, by one trainer
      // only. Another worker of a multi-worker run reads it (to resume) and writes nothing: no lock.
      try (RunLock lock = s.writesOutputs() ? RunLock.acquire(run.root()) : null;
           // The next session run's batches are built while one runs: twice its steps ahead.
           Prefetcher prefetched = new Prefetcher(batches, stepsPerEpoch, Math.max(Prefetcher.DEFAULT_DEPTH, 2 * stepsPerRun))) {
        if (s.writesOutputs()) {
          if (s.fresh()) {
            archive(run, out);
          }
          checkpoints.cleanStaleTemporaries();
          io.jgan.AtomicFiles.removeTemporaries(run.root()); // grids, losses, config.json cut short by a kill
        }
        return train(run, s, config, candidates, data, prefetched, stepsPerEpoch, gpu, replication, checkpoints,
            stepsPerRun, out);
      }
    }
  }

  private int train(RunDirectory run, Settings s, TrainConfig config, List<Path> candidates, TrainingData.Loaded data,
      BatchSource batches, int stepsPerEpoch, boolean gpu, Replication replication, CheckpointManager checkpoints,
      int stepsPerRun, PrintStream out) {
    Preset preset = config.presetDefinition();
    boolean resume = !candidates.isEmpty();

    out.println("Preset " + preset.name() + ": " + preset.tutorial());
    out.printf(Locale.ROOT, "Data: %s; %d steps per epoch of up to %d%n", data.description(), stepsPerEpoch,
        config.batchSize());
    out.println("Run directory: " + run.root());
    if (replication != null) {
      out.println(describe(replication, config.batchSize()));
    }
    if (s.cluster() != null) {
      out.println("Cluster: " + s.cluster().describe() + "; workers " + String.join(", ", s.cluster().addresses())
          + (s.writesOutputs() ? "; this worker writes the run's files" : "; the chief writes the run's files, this worker none")
          + "; a step waits at most " + (int) replication.timeoutSeconds() + " s for the others (--worker-timeout)");
    }

    try (TrainingGraph<TFloat32> graph = TrainingGraph.float32(preset, config.seed(), config.batchSize(), config.classes(),
             config.normalGpAlpha(), replication);
         Session session = graph.openSession(config.threads(), gpu)) {
      // Built before the first session run (TensorFlow extends the session's graph on its next run).
      MultiStep multiStep = stepsPerRun > 1 ? graph.multiStep(stepsPerRun) : null;
      Progress progress;
      long saveCounter;
      if (resume) {
        SavedRun saved = restoreNewestUsable(graph, session, candidates, s.fallback(), out);
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
        io.jgan.AtomicFiles.writeString(run.config(), config.toJson());
      }
      if (schedule.isDone(progress)) {
        out.println("Nothing to do: the run has already trained " + progress.epoch() + " of " + config.epochs()
            + " epochs, " + progress.globalStep() + " steps (give a larger --epochs or --steps to continue)");
        return OK;
      }
      TrainingRun trainingRun = new TrainingRun(graph, session, run, out, schedule, progress);
      Progress end;
      Trainer trainer;
      List<TrainingListener> listeners = s.writesOutputs() ? listeners(preset, config, checkpoints, saveCounter, s, out)
          : List.of(new ConsoleProgress(System.console() != null));
      try {
        trainer = new Trainer(trainingRun, batches, listeners, Signals.STOP).withStepsPerRun(multiStep);
        end = trainer.train();
      } catch (DivergedException e) {
        throw new DivergedException(e.step(), e.getMessage() + "; the latest checkpoint is still "
            + checkpoints.latest().map(Path::toString).orElse("none (nothing was saved)"));
      } catch (org.tensorflow.exceptions.TensorFlowException | IllegalArgumentException | IllegalStateException e) {
        if (s.cluster() == null) {
          throw e;
        }
        // TensorFlow's errors surface as these (InvalidArgument is an IllegalArgumentException).
        WorkersLostException lost = Failures.lost(s.cluster(), "step " + (trainingRun.progress().globalStep() + 1), e);
        throw new WorkersLostException(lost.getMessage() + "; the chief's latest checkpoint is "
            + checkpoints.latest().map(Path::toString).orElse("none (nothing was saved)")
            + "; start every worker again (the same --cluster, --run-dir) to resume from it", e);
      }
      if (trainingRun.lastMetrics() != null) {
        out.println("Last step: " + ConsoleProgress.format(trainingRun, trainingRun.lastMetrics()));
      }
      out.printf(Locale.ROOT, "Peak resident memory: %.0f MB%n", Memory.peakResidentBytes() / 1e6);
      if (trainer.stopped()) {
        String by = Signals.STOP.isRequested() ? "SIG" + Signals.STOP.signal()
            : "another worker's request (SIGINT or SIGTERM)"; // only among workers
        out.printf(Locale.ROOT, "Stopped by %s at step %d (epoch %d of %d, %d of %d steps done in it); latest checkpoint %s%n",
            by, end.globalStep(), end.epoch() + 1, config.epochs(), end.stepInEpoch(), stepsPerEpoch,
            s.writesOutputs() ? checkpoints.latest().map(Path::toString).orElse("none") : "the chief's");
        out.println(s.cluster() == null ? "Resume with: mvn exec:java -Dexec.args=\"train --run-dir " + run.root() + "\""
            : "Resume by starting every worker again with the same --cluster and --run-dir");
        return Signals.STOP.exitStatus(); // 143 (SIGTERM's) for a worker stopped by another's request
      }
      out.printf(Locale.ROOT, "Done: %d epochs, %d steps. Run directory: %s%n", end.epoch(), end.globalStep(), run.root());
    }
    return OK;
  }

  /**
   * {@code --replicas} and {@code --sync-bn}: the devices of the replicas, checked against the
   * batches they split; null for one replica.
   */
  private static Replication replication(Settings s, boolean gpu, TrainConfig config, TrainingData.Loaded data,
      int stepsPerEpoch) {
    if (s.replicas() < 2 && s.cluster() == null) {
      return null;
    }
    if (gpu && !Devices.gpusUsable(s.replicas())) {
      throw new UsageException("--replicas " + s.replicas() + " --device gpu: expected " + s.replicas()
          + " usable GPUs, got fewer");
    }
    Replication r = s.cluster() != null
        ? Replication.multiWorker(s.cluster(), s.replicas(), s.syncBatchNorm(), gpu, s.workerTimeout())
        : Replication.local(s.replicas(), s.syncBatchNorm(), gpu);
    String problem = r.splitProblem(config.batchSize(), data.images().count(), stepsPerEpoch);
    if (problem != null) {
      throw new UsageException((s.cluster() != null ? "--cluster of " + s.cluster().size() + " workers, " : "")
          + "--replicas " + s.replicas() + ": " + problem);
    }
    return r;
  }

  /** The line that says how the step is replicated: devices, each replica's share, BatchNorm. */
  private static String describe(Replication r, int batchSize) {
    int n = r.totalReplicas();
    int fewest = batchSize / n;
    int most = (batchSize + n - 1) / n;
    return String.format(Locale.ROOT, "Replicas: %d%s on %s, %s examples each per step; BatchNorm statistics %s", n,
        r.multiWorker() ? " in all, " + r.localReplicas() + " in this worker" : "",
        String.join(", ", r.devices().stream().map(Object::toString).toList()),
        fewest == most ? Integer.toString(fewest) : fewest + " to " + most,
        r.syncBatchNorm() ? "of the whole batch (--sync-bn)" : "per replica, replica 0's kept");
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
  private static SavedRun restoreNewestUsable(TrainingGraph<TFloat32> graph, Session session, List<Path> candidates,
      boolean fallback, PrintStream out) {
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
  private static List<TrainingListener> listeners(Preset preset, TrainConfig config, CheckpointManager checkpoints,
      long saveCounter, Settings s, PrintStream out) {
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
    QualityLog quality = QualityLog.forRun(preset.name(), config.dataset(), config.classes(), s.evalEvery(), s.dataDir(),
        config.threads());
    if (quality != null) {
      listeners.add(quality);
    } else if (s.evalEvery() != null && s.evalEvery() > 0) {
      out.println("--eval-every: no judge applies to a run on an image folder; use 'evaluate --dataset NAME' afterwards");
    }
    return listeners;
  }

  /** A new run: the preset's defaults with the command line's values. */
  private static TrainConfig newConfig(Preset preset, Settings s) {
    TrainConfig.Overrides o = s.overrides();
    if (o.labelCsv() != null && !preset.data().conditional()) {
      throw new UsageException("--label-csv: preset " + preset.name() + " is not conditional (cwgan-gp is)");
    }
    try {
      return TrainConfig.defaults(preset).with(o);
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage());
    }
  }

  /**
   * The configuration of the run being resumed, with the values that may change between sessions
   * taken from the command line (see {@link TrainConfig#resumedWith}).
   */
  private static TrainConfig resumedConfig(RunDirectory run, Settings s) throws IOException {
    if (!Files.exists(run.config())) {
      throw new BadInputException(run.config() + ": missing, but " + run.checkpoints()
          + " has checkpoints; cannot tell which preset and seed to resume (use --fresh to start over)");
    }
    TrainConfig saved = TrainConfig.fromJson(Files.readString(run.config(), StandardCharsets.UTF_8), run.config().toString());
    try {
      return saved.resumedWith(s.overrides());
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage().replace(" differs from the run being resumed (",
          " differs from the run being resumed in " + run.root() + " (")
          + (e.getMessage().contains("differs") ? "; use the same value, another --run-dir, or --fresh to start over" : ""));
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

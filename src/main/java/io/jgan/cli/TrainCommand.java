package io.jgan.cli;

import io.jgan.BadInputException;
import io.jgan.data.Dataset;
import io.jgan.gan.Preset;
import io.jgan.presets.Presets;
import io.jgan.run.TrainConfig;
import io.jgan.run.TrainingData;
import io.jgan.train.distributed.Cluster;
import io.jgan.train.distributed.Replication;
import io.jgan.train.distributed.TrustBoundary;
import io.jgan.train.listeners.Checkpointing;
import io.jgan.train.loop.RunDirectory;
import io.jgan.training.GracefulStop;
import io.jgan.training.Training;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Options;

/**
 * {@code train}: trains a preset, resuming from the run directory's latest checkpoint unless
 * {@code --fresh}: parses the options into a {@link Training}, which does the rest (and checks
 * everything given before anything is written).
 */
public final class TrainCommand extends Command {
  /** Where runs go unless --run-dir says otherwise: runs/PRESET. */
  public static final String RUNS_DIR = Training.RUNS_DIR;

  /**
   * The parsed command line: the configuration values it gives (null where it gives none) and
   * what concerns this invocation only.
   */
  record Settings(TrainConfig.Overrides overrides, Path runDir, boolean fresh, Path dataDir, Path cacheDir,
      boolean fallback, Integer evalEvery, Integer stepsPerRun, int replicas, boolean syncBatchNorm, Cluster cluster,
      boolean unsafePublicCluster, float workerTimeout) {}

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
        line.hasOption(TrustBoundary.UNSAFE_FLAG.substring(2)),
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
    Training.Builder training = Training.of(preset(s)).out(out)
        .resumeCommand(root -> "mvn exec:java -Dexec.args=\"train --run-dir " + root + "\"");
    TrainConfig.Overrides o = s.overrides();
    if (o.seed() != null) training.seed(o.seed());
    if (o.epochs() != null) training.epochs(o.epochs());
    if (o.batchSize() != null) training.batchSize(o.batchSize());
    if (o.stepsPerEpoch() != null) training.stepsPerEpoch(o.stepsPerEpoch());
    if (o.checkpointEvery() != null) training.checkpointEvery(o.checkpointEvery());
    if (o.checkpointMinutes() != null) training.checkpointMinutes(o.checkpointMinutes());
    if (o.keep() != null) training.keep(o.keep());
    if (o.threads() != null) training.threads(o.threads());
    if (o.maxSteps() != null) training.steps(o.maxSteps());
    if (o.data() != null) training.imageFolder(Path.of(o.data()));
    else if (o.dataset() != null) training.dataset(Dataset.parse(o.dataset()));
    if (o.labelCsv() != null) training.labels(Path.of(o.labelCsv()), o.label());
    else if (o.label() != null) throw new UsageException("--label: expected --label-csv FILE as well");
    if (o.gpAlpha() != null) training.gpAlpha(o.gpAlpha());
    if (o.device() != null) training.device(o.device());
    if (o.skipBadImages()) training.skipBadImages();
    if (s.runDir() != null) training.runDir(s.runDir());
    if (s.fresh()) training.fresh();
    if (s.fallback()) training.fallback();
    training.dataDir(s.dataDir());
    if (s.cacheDir() != null) training.cacheDir(s.cacheDir());
    if (s.evalEvery() != null) training.evalEvery(s.evalEvery());
    if (s.stepsPerRun() != null) training.stepsPerRun(s.stepsPerRun());
    training.replicas(s.replicas());
    if (s.syncBatchNorm()) training.syncBatchNorm();
    if (s.cluster() != null) training.cluster(s.cluster(), s.unsafePublicCluster()).workerTimeout(s.workerTimeout());
    Training.Result result = training.train();
    // 143 (SIGTERM's) for a worker stopped by another's request
    return result.stopped() ? GracefulStop.STOP.exitStatus() : OK;
  }

  /**
   * The preset to train: {@code --preset}; else the one the run directory holds (a run resumed
   * with {@code --run-dir} alone); else the default.
   */
  private static Preset preset(Settings s) throws IOException {
    if (s.overrides().preset() != null) {
      return Presets.get(s.overrides().preset());
    }
    if (s.runDir() != null && !s.fresh()) {
      RunDirectory run = new RunDirectory(s.runDir());
      if (Files.exists(run.config())) {
        return TrainConfig.fromJson(Files.readString(run.config(), StandardCharsets.UTF_8), run.config().toString())
            .presetDefinition();
      }
    }
    return Presets.get(Presets.DEFAULT);
  }
}

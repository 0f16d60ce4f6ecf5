package io.jgan.cli;

import io.jgan.BadInputException;
import io.jgan.models.Preset;
import io.jgan.nn.RandomSource;
import io.jgan.store.CheckpointManager;
import io.jgan.store.GanCheckpoint;
import io.jgan.train.GanGraph;
import io.jgan.train.RunDirectory;
import io.jgan.train.TrainConfig;
import io.jgan.viz.Samples;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Options;
import org.tensorflow.Session;
import org.tensorflow.types.TFloat32;

/**
 * {@code generate}: the tutorial's non-training mode. Restores the latest checkpoint of a run,
 * prints D's output on a generated sample, and writes a grid of new samples.
 */
public final class GenerateCommand extends Command {
  /** The tutorial's {@code num_examples_to_generate}. */
  public static final int COUNT_DEFAULT = 16;
  public static final long SEED_DEFAULT = 0;
  public static final String OUT_DEFAULT = "generated.png";

  record Settings(Path runDir, int count, long seed, Path out) {}

  @Override
  public String name() {
    return "generate";
  }

  @Override
  public String summary() {
    return "write a grid of samples from a run's latest checkpoint";
  }

  @Override
  protected Options options() {
    return new Options()
        .addOption(valued("run-dir", "DIR", "the run to sample from (required)"))
        .addOption(valued("count", "N", "how many images (default " + COUNT_DEFAULT + ")"))
        .addOption(valued("seed", "N", "seed of the latent vectors; the same seed gives the same images (default " + SEED_DEFAULT + ")"))
        .addOption(valued("out", "FILE", "the PNG to write (default RUN_DIR/" + OUT_DEFAULT + ")"));
  }

  static Settings parse(CommandLine line) {
    if (!line.hasOption("run-dir")) {
      throw new UsageException("--run-dir: expected the run directory to sample from, got none");
    }
    Path runDir = Path.of(line.getOptionValue("run-dir"));
    return new Settings(runDir,
        intOption(line, "count", 1, COUNT_DEFAULT),
        longOption(line, "seed", Long.MIN_VALUE, SEED_DEFAULT),
        line.hasOption("out") ? Path.of(line.getOptionValue("out")) : runDir.resolve(OUT_DEFAULT));
  }

  @Override
  protected int execute(CommandLine line, PrintStream out, PrintStream err) throws IOException {
    Settings s = parse(line);
    RunDirectory run = new RunDirectory(s.runDir());
    if (!Files.isDirectory(run.root())) {
      throw new BadInputException(run.root() + ": expected a run directory, found nothing there");
    }
    CheckpointManager checkpoints = run.checkpointManager(0);
    Path latest = checkpoints.latest().orElseThrow(() -> new BadInputException(
        run.checkpoints() + ": expected a checkpoint (train first), found none"));
    TrainConfig config = readConfig(run);
    Preset preset = config.presetDefinition();
    try (GanGraph graph = new GanGraph(preset, config.seed(), config.batchSize(), config.classes());
         Session session = graph.openSession(config.threads())) {
      // Explicitly partial: the optimizers' state is not needed to sample.
      graph.checkpoint().restore(session, latest, GanCheckpoint.NETWORKS);
      out.println("Restored " + latest);
      int[] labels = new int[s.count()];
      for (int i = 0; i < labels.length; i++) {
        labels[i] = graph.conditional() ? i % graph.classes() : 0; // conditional: cycle through the classes
      }
      try (TFloat32 z = graph.sampleLatents(session, s.seed(), RandomSource.STREAM_GENERATE, 0, s.count());
           TFloat32 oneHot = graph.conditional() ? graph.oneHot(labels) : null;
           TFloat32 images = graph.generate(session, z, oneHot);
           TFloat32 decision = graph.discriminate(session, images, oneHot)) {
        out.println("After training:");
        out.printf(Locale.ROOT, "Discriminator output on the first generated sample: %.8g%n", decision.getFloat(0, 0));
        int[] grid = Samples.gridFor(s.count());
        Samples.writeGrid(images, preset.pixelScale(), grid[0], grid[1], s.out());
        out.println("Wrote " + s.out() + " (" + s.count() + " images, seed " + s.seed() + ")");
      }
    }
    return OK;
  }

  /** The run's configuration: config.json, or the copy inside the latest checkpoint. */
  static TrainConfig readConfig(RunDirectory run) throws IOException {
    if (!Files.exists(run.config())) {
      throw new BadInputException(run.config() + ": expected the run's configuration, found nothing there");
    }
    return TrainConfig.fromJson(Files.readString(run.config(), StandardCharsets.UTF_8), run.config().toString());
  }
}

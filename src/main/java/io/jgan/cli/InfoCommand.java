package io.jgan.cli;

import io.jgan.BadInputException;
import io.jgan.gan.Preset;
import io.jgan.run.TrainConfig;
import io.jgan.store.CheckpointManager;
import io.jgan.train.graph.Progress;
import io.jgan.train.graph.SavedRun;
import io.jgan.train.listeners.LossLog;
import io.jgan.train.loop.RunDirectory;
import io.jgan.viz.LossCsv;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Options;

/** {@code info}: what a run is and where it stands, without changing anything. */
public final class InfoCommand extends Command {
  @Override
  public String name() {
    return "info";
  }

  @Override
  public String summary() {
    return "print a run's preset and settings, progress, last losses and checkpoints";
  }

  @Override
  protected Options options() {
    return new Options().addOption(valued("run-dir", "DIR", "the run to describe (required)"));
  }

  @Override
  protected int execute(CommandLine line, PrintStream out, PrintStream err) throws IOException {
    if (!line.hasOption("run-dir")) {
      throw new UsageException("--run-dir: expected the run directory to describe, got none");
    }
    RunDirectory run = new RunDirectory(Path.of(line.getOptionValue("run-dir")));
    if (!Files.isDirectory(run.root())) {
      throw new BadInputException(run.root() + ": expected a run directory, found nothing there");
    }
    TrainConfig config = GenerateCommand.readConfig(run);
    Preset preset = config.presetDefinition();
    out.println("Run: " + run.root());
    out.println("Preset: " + preset.name() + " (" + preset.tutorial() + ")");
    out.printf(Locale.ROOT, "Settings: seed %d, %d epochs%s, batch %d, %s per epoch, checkpoint every %d epochs, keep %s, threads %s%n",
        config.seed(), config.epochs(), config.maxSteps() > 0 ? " or " + config.maxSteps() + " steps" : "",
        config.batchSize(), config.stepsPerEpoch() > 0 ? config.stepsPerEpoch() + " steps" : "a full pass",
        config.checkpointEvery(), config.keep() == 0 ? "all" : Integer.toString(config.keep()),
        config.threads() == 0 ? "TensorFlow's default" : Integer.toString(config.threads()));
    out.println("Data: " + (TrainConfig.FOLDER.equals(config.dataset()) ? "image folder " + config.data() : config.dataset())
        + (config.classes() > 0 ? ", " + config.classes() + " classes" + (config.label() != null && config.labelCsv() != null
            ? " (" + config.label() + " from " + config.labelCsv() + ")" : "") : ""));

    CheckpointManager checkpoints = run.checkpointManager(0);
    var latest = checkpoints.latest();
    if (latest.isEmpty()) {
      out.println("Progress: no checkpoint yet");
    } else {
      Progress progress = SavedRun.read(latest.get()).progress(); // the header only: no model is built
      out.printf(Locale.ROOT, "Progress: %d of %d epochs done, %d steps (latest checkpoint %s)%n",
          progress.epoch(), config.epochs(), progress.globalStep(), latest.get().getFileName());
    }
    Path losses = run.resolve(LossLog.CSV);
    if (Files.exists(losses)) {
      List<LossCsv.Row> rows = LossCsv.read(losses);
      if (!rows.isEmpty()) {
        LossCsv.Row last = rows.get(rows.size() - 1);
        List<String> names = LossCsv.metricNames(losses);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < names.size(); i++) {
          sb.append(i == 0 ? "" : ", ").append(names.get(i)).append(' ')
              .append(String.format(Locale.ROOT, "%.4f", last.values()[i]));
        }
        out.printf(Locale.ROOT, "Last losses (step %d, epoch %d): %s%n", last.step(), last.epoch(), sb);
      }
    }
    List<Path> kept = checkpoints.kept();
    out.println("Checkpoints (" + kept.size() + ") in " + run.checkpoints() + ":");
    for (Path prefix : kept) {
      long bytes = Files.size(CheckpointManager.index(prefix)) + Files.size(CheckpointManager.data(prefix));
      Instant time = Files.getLastModifiedTime(CheckpointManager.index(prefix)).toInstant();
      out.printf(Locale.ROOT, "  %-10s %8.1f MB  %s%s%n", prefix.getFileName(), bytes / 1e6, time,
          latest.isPresent() && latest.get().equals(prefix) ? "  (latest)" : "");
    }
    return OK;
  }
}

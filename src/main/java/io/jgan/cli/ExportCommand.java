package io.jgan.cli;

import io.jgan.BadInputException;
import io.jgan.run.ExportInfo;
import io.jgan.run.TrainConfig;
import io.jgan.store.CheckpointManager;
import io.jgan.train.graph.GeneratorExport;
import io.jgan.train.graph.InferenceGraph;
import io.jgan.train.loop.RunDirectory;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Options;
import org.tensorflow.Session;

/**
 * {@code export}: a run's generator, from its latest checkpoint, as a SavedModel (see
 * {@link GeneratorExport}), with {@value ExportInfo#FILE} beside it. Builds the generator only.
 * {@code --model} writes an earlier export again with this version's graph.
 */
public final class ExportCommand extends Command {
  /** Exactly one of {@code runDir} (a run's latest checkpoint) and {@code model} (an earlier export) is set. */
  record Settings(Path runDir, Path model, Path out, boolean overwrite) {}

  @Override
  public String name() {
    return "export";
  }

  @Override
  public String summary() {
    return "write a run's generator as a TensorFlow SavedModel (serving_default and generate_uint8)";
  }

  @Override
  protected Options options() {
    return new Options()
        .addOption(valued("run-dir", "DIR", "the run to export, from its latest checkpoint"))
        .addOption(valued("model", "DIR", "instead of --run-dir: an earlier export, written again with this version's "
            + "graph (the same weights)"))
        .addOption(valued("out", "DIR", "the SavedModel directory to write, e.g. savedmodels/NAME (required)"))
        .addOption(flag("overwrite", "replace an existing model at --out"));
  }

  static Settings parse(CommandLine line) {
    if (line.hasOption("run-dir") == line.hasOption("model")) {
      throw new UsageException("--run-dir or --model: expected one, the run or the earlier export to write, got "
          + (line.hasOption("model") ? "both" : "neither"));
    }
    if (!line.hasOption("out")) {
      throw new UsageException("--out: expected the SavedModel directory to write, got none");
    }
    return new Settings(line.hasOption("run-dir") ? Path.of(line.getOptionValue("run-dir")) : null,
        line.hasOption("model") ? Path.of(line.getOptionValue("model")) : null,
        Path.of(line.getOptionValue("out")), line.hasOption("overwrite"));
  }

  @Override
  protected int execute(CommandLine line, PrintStream out, PrintStream err) throws IOException {
    Settings s = parse(line);
    if (Files.exists(s.out()) && !s.overwrite()) {
      throw new UsageException("--out: " + s.out() + " already exists; give --overwrite to replace it");
    }
    if (s.model() != null) {
      ExportInfo info = ExportInfo.read(s.model());
      try (InferenceGraph graph = new InferenceGraph(info.preset(), info.classes(), info.config().seed(), false)) {
        GeneratorExport.reexport(graph, s.model(), s.out(), s.overwrite(), Map.of(ExportInfo.FILE, info.toJson()));
      }
      out.println("Exported the generator of " + s.model() + " again to " + s.out());
      return OK;
    }
    RunDirectory run = new RunDirectory(s.runDir());
    CheckpointManager checkpoints = run.checkpointManager(0);
    Path latest = checkpoints.latest().orElseThrow(() -> new BadInputException(
        run.checkpoints() + ": expected a checkpoint (train first), found none"));
    TrainConfig config = GenerateCommand.readConfig(run);
    var preset = config.presetDefinition();
    try (InferenceGraph graph = new InferenceGraph(preset, config.classes(), config.seed(), false);
         Session session = graph.openSession(config.threads())) {
      graph.restore(session, latest); // the generator is all a SavedModel holds
      ExportInfo info = ExportInfo.of(config, preset);
      GeneratorExport.export(graph, session, s.out(), s.overwrite(), Map.of(ExportInfo.FILE, info.toJson()));
    }
    out.println("Exported the generator of " + latest + " to " + s.out());
    return OK;
  }
}

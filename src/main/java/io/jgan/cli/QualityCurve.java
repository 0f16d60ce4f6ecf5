package io.jgan.cli;

import io.jgan.BadInputException;
import io.jgan.eval.QualityLog;
import io.jgan.gan.Preset;
import io.jgan.run.TrainConfig;
import io.jgan.store.CheckpointManager;
import io.jgan.train.graph.Progress;
import io.jgan.train.graph.SavedRun;
import io.jgan.train.graph.Schedule;
import io.jgan.train.graph.TrainingGraph;
import io.jgan.train.loop.RunDirectory;
import io.jgan.train.loop.TrainingRun;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import org.tensorflow.Session;
import org.tensorflow.types.TFloat32;

/**
 * {@code evaluate --run-dir DIR --every-checkpoint}: the quality curve of a run trained without
 * {@code --eval-every} (or before it existed), from its numbered checkpoints: each is restored into
 * the training graph, as a resumed run would be, and judged by the same {@link QualityLog} that
 * {@code train --eval-every 1} runs, oldest first, so {@value QualityLog#CSV} and
 * {@value QualityLog#PNG} end as that run would have written them for those epochs (and a later
 * {@code train} on the directory appends to them).
 */
final class QualityCurve {
  private QualityCurve() {}

  static int write(Path dir, Path dataDir, int threads, PrintStream out) throws java.io.IOException {
    RunDirectory run = new RunDirectory(dir);
    TrainConfig config = GenerateCommand.readConfig(run);
    Path csv = run.root().resolve(QualityLog.CSV);
    if (Files.exists(csv)) {
      throw new BadInputException(csv + ": expected none (--every-checkpoint writes it from the checkpoints, and would "
          + "drop rows whose checkpoints were not kept); move it away first");
    }
    Preset preset = config.presetDefinition();
    if (QualityLog.forRun(config.dataset(), config.classes(), 1, dataDir, threads) == null) {
      throw new UsageException("--every-checkpoint: the run trained on an image folder (" + config.data()
          + "); no judge applies");
    }
    List<Path> numbered = run.checkpointManager(0).completeOnDisk().stream()
        .filter(p -> !CheckpointManager.isInterim(p))
        .sorted(Comparator.comparingLong(QualityCurve::number)).toList();
    if (numbered.isEmpty()) {
      throw new BadInputException(run.checkpoints() + ": expected numbered checkpoints, found none");
    }
    for (Path checkpoint : numbered) {
      try (TrainingGraph<TFloat32> graph = TrainingGraph.float32(preset, config.seed(), config.batchSize(),
               config.classes(), config.normalGpAlpha());
           Session session = graph.openSession(threads, false)) {
        SavedRun saved = graph.restore(session, checkpoint, TrainingGraph.ALL);
        Progress p = saved.progress();
        int stepsPerEpoch = (int) Math.max(1, p.epoch() > 0 ? p.globalStep() / p.epoch() : p.globalStep());
        TrainingRun at = new TrainingRun(graph, session, run, out, new Schedule(config.epochs(), stepsPerEpoch,
            config.maxSteps()), p);
        // As a run resumed from this checkpoint (a log of its own, reading the rows so far from the
        // file): those rows are kept, this epoch's is computed.
        QualityLog log = QualityLog.forRun(config.dataset(), config.classes(), 1, dataDir, threads);
        log.onTrainStart(at);
        log.onTrainEnd(at);
      }
    }
    out.println("Wrote " + csv + " and " + run.root().resolve(QualityLog.PNG) + " (" + numbered.size() + " checkpoints)");
    return Command.OK;
  }

  private static long number(Path prefix) {
    String name = prefix.getFileName().toString();
    return Long.parseLong(name.substring(name.lastIndexOf('-') + 1));
  }
}

package io.jgan.training;

import io.jgan.gan.GanSpec;
import io.jgan.run.ExportInfo;
import io.jgan.run.TrainConfig;
import io.jgan.train.graph.GeneratorExport;
import io.jgan.train.graph.TrainingGraph;
import java.nio.file.Path;
import java.util.Map;
import org.tensorflow.Session;
import org.tensorflow.types.TFloat32;

/** A run's generator as a SavedModel with its {@value ExportInfo#FILE}, written at the end of the run. */
final class Exports {
  private Exports() {}

  /** Writes the generator of {@code graph} (its weights in {@code session}) to {@code dir}, replacing an earlier export there. */
  static void write(TrainingGraph<TFloat32> graph, Session session, TrainConfig config, GanSpec gan, Path dir) {
    ExportInfo info = ExportInfo.of(config, gan);
    GeneratorExport.export(graph, session, dir, true, Map.of(ExportInfo.FILE, info.toJson()));
  }
}

package io.jgan.bench;

import io.jgan.data.Batch;
import io.jgan.data.Batches;
import io.jgan.data.Dataset;
import io.jgan.presets.Preset;
import io.jgan.presets.Presets;
import io.jgan.run.Memory;
import io.jgan.run.TrainConfig;
import io.jgan.run.TrainingData;
import io.jgan.train.TrainStep;
import io.jgan.train.TrainingGraph;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import org.tensorflow.Session;
import org.tensorflow.types.TFloat32;

/**
 * Times a preset's training step on real data: {@code warmup} untimed steps, then {@code steps}
 * timed ones (each a full session run with batch assembly, as in training), and prints the median
 * and spread of seconds per step, images per second and the process's peak resident memory.
 *
 * <p>{@code java ... io.jgan.bench.TrainStepBenchmark [preset] [batch] [warmup] [steps] [threads] [folder]}
 * (folder presets without a folder train on MNIST upscaled to their size),
 * normally through {@code scripts/bench/step-time.sh}.
 */
public final class TrainStepBenchmark {
  private TrainStepBenchmark() {}

  public static void main(String[] args) {
    String presetName = args.length > 0 ? args[0] : Presets.DEFAULT;
    Preset preset = Presets.get(presetName);
    int batch = args.length > 1 ? Integer.parseInt(args[1]) : preset.batchSize();
    int warmup = args.length > 2 ? Integer.parseInt(args[2]) : 5;
    int steps = args.length > 3 ? Integer.parseInt(args[3]) : 30;
    int threads = args.length > 4 ? Integer.parseInt(args[4]) : 0;
    Path dataDir = Path.of(Dataset.DEFAULT_DATA_DIR);
    String folder = args.length > 5 ? args[5] : null;
    // An image folder when one is given; folder presets read MNIST upscaled when none is.
    String dataset = folder != null ? TrainConfig.FOLDER
        : preset.data().folderByDefault() ? Dataset.MNIST.dirName() : null;
    TrainConfig config = TrainConfig.defaults(preset).with(new TrainConfig.Overrides(null, null, null, batch, null, null,
        null, null, threads, null, dataset, folder, null, null, null, null, folder != null));
    TrainingData.Loaded data = TrainingData.load(preset, config, dataDir, null, System.out);
    Batches batches = new Batches(data.images(), preset.pixelScale(), batch, 1, data.classes());
    double[] seconds = new double[steps];
    double stepFlops;
    try (TrainingGraph<TFloat32> graph = TrainingGraph.float32(preset, 1, batch, data.classes(), false);
         Session session = graph.openSession(threads, false)) {
      stepFlops = FlopCount.stepFlops(graph, batch);
      graph.initialize(session);
      TrainStep step = graph.trainStep();
      for (int i = 0; i < warmup + steps; i++) {
        long start = System.nanoTime();
        try (Batch b = batches.batch(0, i % (batches.stepsPerEpoch() - 1))) {
          step.run(session, b, i);
        }
        if (i >= warmup) {
          seconds[i - warmup] = (System.nanoTime() - start) / 1e9;
        }
      }
    }
    double[] sorted = seconds.clone();
    Arrays.sort(sorted);
    double median = sorted[steps / 2];
    System.out.printf(Locale.ROOT, "preset %s, batch %d, threads %s, %d warm-up + %d timed steps%n", presetName, batch,
        threads == 0 ? "TensorFlow default" : Integer.toString(threads), warmup, steps);
    System.out.printf(Locale.ROOT, "seconds per step: median %.4f, min %.4f, max %.4f (p90 %.4f)%n", median, sorted[0],
        sorted[steps - 1], sorted[(int) (steps * 0.9)]);
    System.out.printf(Locale.ROOT, "images per second: %.1f%n", batch / median);
    System.out.printf(Locale.ROOT, "step FLOPs (from the layer shapes, G + D(real) + D(fake), forward and backward): %.1f GFLOP;"
        + " achieved %.1f GFLOP/s%n", stepFlops / 1e9, stepFlops / median / 1e9);
    System.out.printf(Locale.ROOT, "peak resident memory: %.0f MB%n", Memory.peakResidentBytes() / 1e6);
  }
}

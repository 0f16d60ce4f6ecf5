package io.jgan.bench;

import io.jgan.data.Batch;
import io.jgan.data.BatchSource;
import io.jgan.data.Batches;
import io.jgan.data.Dataset;
import io.jgan.data.Prefetcher;
import io.jgan.gan.Preset;
import io.jgan.presets.Presets;
import io.jgan.run.Memory;
import io.jgan.run.TrainConfig;
import io.jgan.run.TrainingData;
import io.jgan.train.distributed.Cluster;
import io.jgan.train.distributed.ClusterServer;
import io.jgan.train.distributed.Replication;
import io.jgan.train.distributed.TrustBoundary;
import io.jgan.train.graph.MultiStep;
import io.jgan.train.graph.TrainStep;
import io.jgan.train.graph.TrainingGraph;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.tensorflow.Session;
import org.tensorflow.types.TFloat32;

/**
 * Times a preset's training step on real data: {@code warmup} untimed steps, then {@code steps}
 * timed ones, and prints the median and spread of seconds per step, images per second, the step's
 * FLOPs ({@link FlopCount}) and the rate they are done at, and the process's peak resident memory.
 * As in training, batches are assembled on the prefetch thread ({@link Prefetcher}) while the
 * session runs, and {@code stepsPerRun} steps run per session run ({@link MultiStep}; each timed
 * sample is then one session run, divided by its steps).
 *
 * <p>{@code java ... io.jgan.bench.TrainStepBenchmark [preset] [batch] [warmup] [steps] [threads] [folder|-] [stepsPerRun] [inline|-] [replicas]}
 * (folder presets without a folder train on MNIST upscaled to their size; stepsPerRun 0 or left out is
 * the preset's; {@code inline} assembles each batch in the timed step instead, as this benchmark did
 * before training prefetched; {@code replicas} above 1 splits each batch among that many towers on
 * virtual CPU devices, as {@code train --replicas}; {@code cluster task}: this process is worker {@code task}
 * of {@code cluster} (HOST:PORT,...), as {@code train --cluster --task}, each worker started alike),
 * normally through {@code scripts/bench/step-time.sh} or {@code scripts/bench/run.sh}.
 * The last line, {@code RESULT key=value ...}, is what {@code run.sh} reads.
 */
public final class TrainStepBenchmark {
  private TrainStepBenchmark() {}

  public static void main(String[] args) {
    run(args);
    if (ClusterServer.started()) {
      System.exit(0); // past the server, which TensorFlow cannot stop
    }
  }

  private static void run(String[] args) {
    String presetName = args.length > 0 ? args[0] : Presets.DEFAULT;
    Preset preset = Presets.get(presetName);
    int batch = args.length > 1 ? Integer.parseInt(args[1]) : preset.batchSize();
    int warmup = args.length > 2 ? Integer.parseInt(args[2]) : 5;
    int steps = args.length > 3 ? Integer.parseInt(args[3]) : 30;
    int threads = args.length > 4 ? Integer.parseInt(args[4]) : 0;
    Path dataDir = Path.of(Dataset.DEFAULT_DATA_DIR);
    String folder = args.length > 5 && !args[5].equals("-") ? args[5] : null;
    int k = args.length > 6 && Integer.parseInt(args[6]) > 0 ? Integer.parseInt(args[6]) : preset.stepsPerRun();
    boolean inline = args.length > 7 && args[7].equals("inline");
    int replicas = args.length > 8 ? Integer.parseInt(args[8]) : 1;
    Cluster cluster = args.length > 10 ? Cluster.parse(args[9], Integer.parseInt(args[10])) : null;
    if (cluster != null) {
      TrustBoundary.check(cluster, false); // as train --cluster: no public addresses
    }
    if (replicas > 1 && k > 1) {
      throw new IllegalArgumentException("expected 1 step per session run with " + replicas + " replicas, got " + k);
    }
    // An image folder when one is given; folder presets read MNIST upscaled when none is.
    String dataset = folder != null ? TrainConfig.FOLDER
        : preset.data().folderByDefault() ? Dataset.MNIST.dirName() : null;
    TrainConfig config = TrainConfig.defaults(preset).with(new TrainConfig.Overrides(null, null, null, batch, null, null,
        null, null, threads, null, dataset, folder, null, null, null, null, folder != null));
    TrainingData.Loaded data = TrainingData.load(preset, config, dataDir, null, System.out);
    Batches batches = new Batches(data.images(), preset.pixelScale(), batch, 1, data.classes());
    // Full batches only (the last, smaller one is left out), in whole session runs of k steps.
    int perEpoch = (batches.stepsPerEpoch() - 1) / k * k;
    if (perEpoch < k) {
      throw new IllegalArgumentException("expected at least " + (k + 1) + " batches of " + batch + " in the data, got "
          + batches.stepsPerEpoch());
    }
    int runs = (warmup + k - 1) / k + (steps + k - 1) / k;
    int warmupRuns = (warmup + k - 1) / k;
    double[] seconds = new double[runs - warmupRuns];
    double stepFlops;
    Replication replication = cluster != null
        ? Replication.multiWorker(cluster, replicas, false, false, Replication.TIMEOUT_DEFAULT_SECONDS)
        : Replication.local(replicas, false, false);
    try (TrainingGraph<TFloat32> graph = TrainingGraph.float32(preset, 1, batch, data.classes(), false, replication);
         Prefetcher prefetched = new Prefetcher(batches, perEpoch, Math.max(Prefetcher.DEFAULT_DEPTH, 2 * k))) {
      stepFlops = FlopCount.stepFlops(graph, batch);
      MultiStep multi = k > 1 ? graph.multiStep(k) : null;
      try (Session session = graph.openSession(threads, false)) {
        graph.initialize(session);
        graph.verifySameStart(session, io.jgan.train.graph.Progress.START, new io.jgan.train.graph.Schedule(1, perEpoch, 0));
        TrainStep step = graph.trainStep();
        long global = 0;
        for (int r = 0; r < runs; r++) {
          long start = System.nanoTime();
          List<Batch> run = new ArrayList<>(k);
          try {
            for (int j = 0; j < k; j++, global++) {
              BatchSource source = inline ? batches : prefetched;
              run.add(source.batch(global / perEpoch, (int) (global % perEpoch)));
            }
            if (multi == null) {
              step.run(session, run.get(0), global - 1);
            } else {
              multi.run(session, run, global - k);
            }
          } finally {
            run.forEach(Batch::close);
          }
          if (r >= warmupRuns) {
            seconds[r - warmupRuns] = (System.nanoTime() - start) / 1e9 / k;
          }
        }
      }
    }
    double[] sorted = seconds.clone();
    Arrays.sort(sorted);
    int n = sorted.length;
    double median = n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    double p90 = sorted[Math.min(n - 1, (int) (n * 0.9))];
    System.out.printf(Locale.ROOT, "preset %s, batch %d, threads %s, %d warm-up + %d timed steps, %d per session run, "
        + "batches %s, %d replica%s%s%n", presetName, batch, threads == 0 ? "TensorFlow default" : Integer.toString(threads),
        warmupRuns * k, n * k, k, inline ? "assembled in the timed step" : "prefetched", replicas, replicas == 1 ? "" : "s",
        cluster == null ? "" : " in this process, " + cluster.describe());
    System.out.printf(Locale.ROOT, "seconds per step: median %.4f, min %.4f, max %.4f (p90 %.4f)%n", median, sorted[0],
        sorted[n - 1], p90);
    System.out.printf(Locale.ROOT, "images per second: %.1f%n", batch / median);
    System.out.printf(Locale.ROOT, "step FLOPs (FlopCount: the convolutions and matrix products of the step's passes): "
        + "%.3f GFLOP; achieved %.1f GFLOP/s%n", stepFlops / 1e9, stepFlops / median / 1e9);
    System.out.printf(Locale.ROOT, "peak resident memory: %.0f MB%n", Memory.peakResidentBytes() / 1e6);
    System.out.printf(Locale.ROOT, "RESULT side=java preset=%s batch=%d threads=%d steps_per_run=%d replicas=%d workers=%d task=%d batches=%s steps=%d median_s=%.6f "
        + "min_s=%.6f max_s=%.6f p90_s=%.6f images_per_s=%.2f gflop=%.4f gflops=%.2f peak_mb=%.0f%n", presetName, batch,
        threads, k, replicas, cluster == null ? 1 : cluster.size(), cluster == null ? 0 : cluster.task(), inline ? "inline" : "prefetched", n * k, median, sorted[0], sorted[n - 1], p90, batch / median, stepFlops / 1e9,
        stepFlops / median / 1e9, Memory.peakResidentBytes() / 1e6);
  }
}

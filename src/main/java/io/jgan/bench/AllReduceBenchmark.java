package io.jgan.bench;

import io.jgan.gan.Preset;
import io.jgan.nn.Weight;
import io.jgan.presets.Presets;
import io.jgan.train.distributed.Cluster;
import io.jgan.train.distributed.ClusterServer;
import io.jgan.train.distributed.Collectives;
import io.jgan.train.distributed.Replication;
import io.jgan.train.distributed.TrustBoundary;
import io.jgan.train.graph.Sessions;
import io.jgan.train.graph.TrainingGraph;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * The communication of one data-parallel training step, alone: the all-reduces a replicated step
 * of {@code preset} does, one of the discriminator's gradients and one of the generator's (one
 * float32 vector each, as {@link Collectives#allReduce} packs them), between two replicas either on
 * two virtual CPU devices of this process or in two worker processes on loopback. What it prints
 * is the time a step spends exchanging gradients rather than computing; the step's other
 * all-reduces (its few metrics) are a few floats each.
 *
 * <p>{@code java ... io.jgan.bench.AllReduceBenchmark PRESET WARMUP REPEATS [CLUSTER TASK]}: without a
 * cluster, two replicas in this process; with one, this process is worker {@code TASK} (start every
 * worker alike). Prints {@code RESULT side=allreduce ...} for {@code scripts/bench/scaling.sh}.
 */
public final class AllReduceBenchmark {
  private AllReduceBenchmark() {}

  public static void main(String[] args) {
    Preset preset = Presets.get(args[0]);
    int warmup = Integer.parseInt(args[1]);
    int repeats = Integer.parseInt(args[2]);
    Cluster cluster = args.length > 4 ? Cluster.parse(args[3], Integer.parseInt(args[4])) : null;
    if (cluster != null) {
      TrustBoundary.check(cluster, false); // as train --cluster: no public addresses
    }
    long[] floats = gradientFloats(preset);
    Replication replication = cluster != null
        ? Replication.multiWorker(cluster, 1, false, false, Replication.TIMEOUT_DEFAULT_SECONDS)
        : Replication.local(2, false, false);
    double[] seconds = new double[repeats];
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      List<Op> ends = new ArrayList<>();
      for (int local = 0; local < replication.localReplicas(); local++) {
        Ops dev = tf.withDevice(replication.device(local)).withSubScope("replica_" + (replication.firstReplica() + local));
        Collectives.InstanceKeys keys = new Collectives.InstanceKeys();
        Op previous = null;
        for (long n : floats) {
          // The gradients of one phase, then the next phase's: one after the other, as in a step.
          Ops phase = previous == null ? dev : dev.withControlDependencies(List.of(previous));
          Operand<TFloat32> gradients = phase.fill(phase.constant(new long[] {n}), phase.constant(1f));
          Operand<TFloat32> mean = Collectives.allReduce(phase, List.of(gradients), replication.group(), keys.next(),
              Collectives.Reduction.MEAN).get(0);
          previous = phase.withControlDependencies(List.of(mean)).noOp();
        }
        ends.add(previous);
      }
      Op step = tf.withControlDependencies(ends).noOp();
      // One thread per replica: 2 in one process, 1 in each worker.
      try (Session s = Sessions.open(g, replication.localReplicas(), false, replication.cpuDevices(), cluster)) {
        for (int i = 0; i < warmup + repeats; i++) {
          long start = System.nanoTime();
          s.run(step);
          if (i >= warmup) {
            seconds[i - warmup] = (System.nanoTime() - start) / 1e9;
          }
        }
      }
    }
    Arrays.sort(seconds);
    double median = seconds[repeats / 2];
    long total = Arrays.stream(floats).sum();
    String mode = cluster != null ? "workers" : "replicas";
    System.out.printf(Locale.ROOT, "all-reduce of one step's gradients (%s floats in %d all-reduces, %.2f MB), 2 %s: "
        + "median %.3f ms, min %.3f ms over %d%n", total, floats.length, total * 4 / 1e6, mode, median * 1e3,
        seconds[0] * 1e3, repeats);
    System.out.printf(Locale.ROOT, "RESULT side=allreduce preset=%s mode=%s members=2 floats=%d median_ms=%.4f min_ms=%.4f%n",
        preset.name(), mode, total, median * 1e3, seconds[0] * 1e3);
    if (ClusterServer.started()) {
      System.exit(0); // past the server, which TensorFlow cannot stop
    }
  }

  /** Floats in the discriminator's and the generator's gradients: their trainable weights' sizes. */
  static long[] gradientFloats(Preset preset) {
    try (TrainingGraph<TFloat32> g = TrainingGraph.float32(preset, 1, 2, preset.data().conditional() ? 10 : 0, false)) {
      return new long[] {size(g.networks().discriminator().trainableWeights()),
          size(g.networks().generator().trainableWeights())};
    }
  }

  private static long size(List<Weight> weights) {
    long n = 0;
    for (Weight w : weights) {
      n += w.shape().size();
    }
    return n;
  }
}

package io.jgan.bench;

import java.util.Locale;
import org.tensorflow.Graph;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;
import org.tensorflow.proto.ConfigProto;

/**
 * What this CPU does on dense float32 work through TensorFlow: an n x n MatMul (2 n^3 FLOPs),
 * timed after warm-up: the median and spread of {@code repeats} runs. {@code java ... io.jgan.bench.MatMulBenchmark [n] [threads] [repeats]}.
 */
public final class MatMulBenchmark {
  private MatMulBenchmark() {}

  public static void main(String[] args) {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 4096;
    int threads = args.length > 1 ? Integer.parseInt(args[1]) : 0;
    int repeats = args.length > 2 ? Integer.parseInt(args[2]) : 5;
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      var a = tf.random.statelessRandomUniform(tf.constant(new long[] {n, n}), tf.constant(new long[] {1, 2}));
      var b = tf.random.statelessRandomUniform(tf.constant(new long[] {n, n}), tf.constant(new long[] {3, 4}));
      var av = tf.variable(a);
      var bv = tf.variable(b);
      var product = tf.reduceSum(tf.linalg.matMul(av, bv), tf.constant(new int[] {0, 1}));
      ConfigProto.Builder config = ConfigProto.newBuilder();
      if (threads > 0) {
        config.setIntraOpParallelismThreads(threads).setInterOpParallelismThreads(threads);
      }
      try (Session s = new Session(g, config.build())) {
        s.initialize();
        try (Result r = s.runner().fetch(product).run()) { // warm-up
          r.get(0);
        }
        double[] seconds = new double[repeats];
        for (int i = 0; i < repeats; i++) {
          long start = System.nanoTime();
          try (Result r = s.runner().fetch(product).run()) {
            r.get(0);
          }
          seconds[i] = (System.nanoTime() - start) / 1e9;
        }
        double[] sorted = seconds.clone();
        java.util.Arrays.sort(sorted);
        double median = repeats % 2 == 1 ? sorted[repeats / 2] : (sorted[repeats / 2 - 1] + sorted[repeats / 2]) / 2;
        double flops = 2.0 * n * n * n;
        System.out.printf(Locale.ROOT, "matmul %dx%d float32, %d repeats: median %.3f s (min %.3f, max %.3f), %.1f GFLOP/s "
            + "(best %.1f)%n", n, n, repeats, median, sorted[0], sorted[repeats - 1], flops / median / 1e9, flops / sorted[0] / 1e9);
        System.out.printf(Locale.ROOT, "RESULT side=java what=matmul n=%d threads=%d repeats=%d median_s=%.6f min_s=%.6f "
            + "max_s=%.6f gflops=%.2f best_gflops=%.2f%n", n, threads, repeats, median, sorted[0], sorted[repeats - 1],
            flops / median / 1e9, flops / sorted[0] / 1e9);
      }
    }
  }
}

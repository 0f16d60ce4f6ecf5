package io.jgan.bench;

import java.util.Locale;
import org.tensorflow.Graph;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;
import org.tensorflow.proto.ConfigProto;

/**
 * What this CPU does on dense float32 work through TensorFlow: an n x n MatMul (2 n^3 FLOPs),
 * timed after warm-up. {@code java ... io.jgan.bench.MatMulBenchmark [n] [threads] [repeats]}.
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
        long start = System.nanoTime();
        for (int i = 0; i < repeats; i++) {
          try (Result r = s.runner().fetch(product).run()) {
            r.get(0);
          }
        }
        double seconds = (System.nanoTime() - start) / 1e9 / repeats;
        System.out.printf(Locale.ROOT, "matmul %dx%d float32: %.3f s, %.1f GFLOP/s%n", n, n, seconds,
            2.0 * n * n * n / seconds / 1e9);
      }
    }
  }
}

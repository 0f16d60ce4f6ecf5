package io.jgan.bench;

import java.util.Arrays;
import java.util.Locale;
import org.tensorflow.Graph;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TInt64;

/**
 * The fixed cost of one session run from Java, what running several training steps per run can
 * save: a scalar fed, one Add, a scalar fetched, {@code runs} times per repetition.
 * {@code java ... io.jgan.bench.SessionRunBenchmark [runs] [repeats]}; {@code python_bench.py call}
 * times a {@code tf.function} call the same way.
 */
public final class SessionRunBenchmark {
  private SessionRunBenchmark() {}

  public static void main(String[] args) {
    int runs = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
    int repeats = args.length > 1 ? Integer.parseInt(args[1]) : 5;
    double[] micros = new double[repeats];
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      Placeholder<TInt64> x = tf.placeholder(TInt64.class);
      var y = tf.math.add(x, tf.constant(1L));
      try (Session s = new Session(g)) {
        long sum = 0;
        for (int rep = -1; rep < repeats; rep++) { // rep -1: warm-up
          long start = System.nanoTime();
          for (int i = 0; i < runs; i++) {
            try (TInt64 in = TInt64.scalarOf(i); Result r = s.runner().feed(x, in).fetch(y).run()) {
              sum += ((TInt64) r.get(0)).getLong();
            }
          }
          if (rep >= 0) {
            micros[rep] = (System.nanoTime() - start) / 1e3 / runs;
          }
        }
        double[] sorted = micros.clone();
        Arrays.sort(sorted);
        System.out.printf(Locale.ROOT, "java session run (a scalar fed, one Add, a scalar fetched), %d runs x %d: median %.1f us,"
            + " min %.1f, max %.1f (checksum %d)%n", runs, repeats, sorted[repeats / 2], sorted[0], sorted[repeats - 1], sum);
      }
    }
  }
}

package io.jgan.eval;

import io.jgan.train.graph.Sessions;
import java.util.SplittableRandom;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.linalg.MatMul;
import org.tensorflow.types.TFloat64;

/**
 * The kernel distance (KID, Binkowski et al. 2018) between two feature sets, as torch-fidelity
 * computes it: for each of several random subsets of {@code m} rows of each set, the unbiased
 * estimate of the squared maximum mean discrepancy
 * <pre>
 *   MMD^2 = (sum_{i != j} k(x_i, x_j) + sum_{i != j} k(y_i, y_j)) / (m (m - 1)) - 2 sum_{i, j} k(x_i, y_j) / m^2
 * </pre>
 * with the cubic polynomial kernel {@code k(x, y) = (x . y / d + 1)^3}; reported as the mean and
 * the standard deviation (divisor the number of subsets, as {@code numpy.std}) over the subsets.
 * Subsets are drawn without replacement, keyed on a seed.
 *
 * <p>The three m x m kernel matrices of a subset are 3 m^2 d multiply-adds (0.4 G for m = 1000,
 * d = 128), so they are computed by TensorFlow's float64 matrix product in a small graph of their
 * own; the sums and the estimate are float64 throughout.
 */
public final class KernelDistance implements AutoCloseable {
  /** torch-fidelity's defaults: 100 subsets of 1000. */
  public static final int SUBSETS_DEFAULT = 100;
  public static final int SUBSET_SIZE_DEFAULT = 1000;

  /** Mean and standard deviation of MMD^2 over {@code subsets} subsets of {@code subsetSize} rows. */
  public record Result(double mean, double std, int subsets, int subsetSize) {}

  private final Graph graph = new Graph();
  private final Session session;
  private final Placeholder<TFloat64> x;
  private final Placeholder<TFloat64> y;
  private final Operand<TFloat64> sumXX;
  private final Operand<TFloat64> sumYY;
  private final Operand<TFloat64> sumXY;

  /** @param threads TensorFlow threads, 0 for TensorFlow's default */
  public KernelDistance(int threads) {
    try {
      Ops tf = Ops.create(graph);
      x = tf.placeholder(TFloat64.class, Placeholder.shape(Shape.of(-1, -1)));
      y = tf.placeholder(TFloat64.class, Placeholder.shape(Shape.of(-1, -1)));
      sumXX = offDiagonalSum(tf, x);
      sumYY = offDiagonalSum(tf, y);
      sumXY = tf.reduceSum(kernel(tf, tf.linalg.matMul(x, y, MatMul.transposeB(true)), x), tf.constant(new int[] {0, 1}));
      session = Sessions.open(graph, threads, false);
    } catch (RuntimeException e) {
      graph.close();
      throw e;
    }
  }

  /** (dot / d + 1)^3, d the number of columns of {@code features}. */
  private static Operand<TFloat64> kernel(Ops tf, Operand<TFloat64> dot, Operand<TFloat64> features) {
    Operand<TFloat64> d = tf.dtypes.cast(tf.gather(tf.shape(features), tf.constant(1), tf.constant(0)), TFloat64.class);
    return tf.math.pow(tf.math.add(tf.math.div(dot, d), tf.constant(1.0)), tf.constant(3.0));
  }

  /** sum_{i != j} k(a_i, a_j): the whole kernel matrix's sum minus its diagonal k(a_i, a_i). */
  private static Operand<TFloat64> offDiagonalSum(Ops tf, Operand<TFloat64> a) {
    Operand<TFloat64> all = tf.reduceSum(kernel(tf, tf.linalg.matMul(a, a, MatMul.transposeB(true)), a),
        tf.constant(new int[] {0, 1}));
    Operand<TFloat64> diagonal = tf.reduceSum(kernel(tf, tf.reduceSum(tf.math.mul(a, a), tf.constant(1)), a),
        tf.constant(0));
    return tf.math.sub(all, diagonal);
  }

  /**
   * KID between {@code a} and {@code b} [n][d] over {@code subsets} subsets of
   * {@code min(subsetSize, na, nb)} rows, drawn with {@link #subsets} keyed on {@code seed}.
   */
  public Result between(double[][] a, double[][] b, int subsets, int subsetSize, long seed) {
    int[][][] pair = subsetPair(a.length, b.length, subsets, subsetSize, seed);
    return between(a, b, pair[0], pair[1]);
  }

  /**
   * The subsets {@link #between(double[][], double[][], int, int, long)} uses: {@code count} of
   * {@code min(size, na, nb)} rows of a set of {@code na} rows (keyed on {@code seed}) and of one
   * of {@code nb} rows (keyed on {@code seed + 1}).
   */
  public static int[][][] subsetPair(int na, int nb, int count, int size, long seed) {
    int m = Math.min(size, Math.min(na, nb));
    return new int[][][] {subsets(na, count, m, seed), subsets(nb, count, m, seed + 1)};
  }

  /** KID over given subsets: row indices [subsets][m] of {@code a} and of {@code b}. */
  public Result between(double[][] a, double[][] b, int[][] subsetsA, int[][] subsetsB) {
    if (subsetsA.length == 0 || subsetsA.length != subsetsB.length) {
      throw new IllegalArgumentException("expected the same positive number of subsets of both sets, got "
          + subsetsA.length + " and " + subsetsB.length);
    }
    int m = subsetsA[0].length;
    if (m < 2) {
      throw new IllegalArgumentException("expected subsets of at least 2 rows, got " + m);
    }
    double[] values = new double[subsetsA.length];
    for (int s = 0; s < values.length; s++) {
      try (TFloat64 xs = rows(a, subsetsA[s]);
           TFloat64 ys = rows(b, subsetsB[s]);
           org.tensorflow.Result r = session.runner().feed(x, xs).feed(y, ys).fetch(sumXX).fetch(sumYY).fetch(sumXY).run()) {
        values[s] = mmd2(((TFloat64) r.get(0)).getDouble(), ((TFloat64) r.get(1)).getDouble(),
            ((TFloat64) r.get(2)).getDouble(), m);
      }
    }
    double mean = 0;
    for (double v : values) {
      mean += v;
    }
    mean /= values.length;
    double var = 0;
    for (double v : values) {
      var += (v - mean) * (v - mean);
    }
    return new Result(mean, Math.sqrt(var / values.length), values.length, m);
  }

  /** The unbiased MMD^2 from the off-diagonal sums of k(x, x) and k(y, y) and the full sum of k(x, y). */
  static double mmd2(double offDiagonalXX, double offDiagonalYY, double sumXY, int m) {
    return (offDiagonalXX + offDiagonalYY) / ((double) m * (m - 1)) - 2 * sumXY / ((double) m * m);
  }

  private static TFloat64 rows(double[][] set, int[] indices) {
    int d = set[0].length;
    double[] values = new double[indices.length * d];
    for (int i = 0; i < indices.length; i++) {
      System.arraycopy(set[indices[i]], 0, values, i * d, d);
    }
    return TFloat64.tensorOf(Shape.of(indices.length, d), DataBuffers.of(values, true, false));
  }

  /**
   * {@code count} subsets of {@code size} distinct indices in [0, n), each a partial Fisher-Yates
   * shuffle, keyed on {@code seed} (as {@code numpy.random.choice(n, size, replace=False)} draws one).
   */
  public static int[][] subsets(int n, int count, int size, long seed) {
    if (size > n || size <= 0 || count <= 0) {
      throw new IllegalArgumentException("expected " + count + " subsets of 1 to " + n + " rows, got a size of " + size);
    }
    SplittableRandom random = new SplittableRandom(seed);
    int[] pool = new int[n];
    int[][] out = new int[count][size];
    for (int s = 0; s < count; s++) {
      for (int i = 0; i < n; i++) {
        pool[i] = i;
      }
      for (int i = 0; i < size; i++) {
        int j = i + random.nextInt(n - i);
        int t = pool[i];
        pool[i] = pool[j];
        pool[j] = t;
        out[s][i] = pool[i];
      }
    }
    return out;
  }

  @Override
  public void close() {
    session.close();
    graph.close();
  }
}

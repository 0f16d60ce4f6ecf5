package io.jgan.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * KID: the TensorFlow path against a brute-force double loop of the unbiased MMD^2 formula, a set
 * against itself (zero within the spread over subsets), two different sets (far from zero), and
 * the subsets (distinct indices, reproducible).
 */
class KernelDistanceTest {
  /** The estimator written out pair by pair: k(x, y) = (x . y / d + 1)^3. */
  static double bruteForceMmd2(double[][] x, double[][] y) {
    int m = x.length;
    int d = x[0].length;
    double xx = 0, yy = 0, xy = 0;
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < m; j++) {
        if (i != j) {
          xx += Math.pow(dot(x[i], x[j]) / d + 1, 3);
          yy += Math.pow(dot(y[i], y[j]) / d + 1, 3);
        }
        xy += Math.pow(dot(x[i], y[j]) / d + 1, 3);
      }
    }
    return (xx + yy) / (m * (m - 1.0)) - 2 * xy / ((double) m * m);
  }

  static double dot(double[] a, double[] b) {
    double s = 0;
    for (int k = 0; k < a.length; k++) {
      s += a[k] * b[k];
    }
    return s;
  }

  static double[][] pick(double[][] rows, int[] indices) {
    double[][] out = new double[indices.length][];
    for (int i = 0; i < indices.length; i++) {
      out[i] = rows[indices[i]];
    }
    return out;
  }

  @Test
  void eachSubsetIsTheUnbiasedEstimateWrittenOutPairByPair() {
    double[][] a = FrechetDistanceTest.features(300, 12, 5);
    double[][] b = FrechetDistanceTest.features(250, 12, 6);
    int[][] sa = KernelDistance.subsets(a.length, 3, 60, 1);
    int[][] sb = KernelDistance.subsets(b.length, 3, 60, 2);
    double[] expected = new double[3];
    double mean = 0;
    for (int s = 0; s < 3; s++) {
      expected[s] = bruteForceMmd2(pick(a, sa[s]), pick(b, sb[s]));
      mean += expected[s] / 3;
    }
    double var = 0;
    for (double e : expected) {
      var += (e - mean) * (e - mean) / 3;
    }
    try (KernelDistance kid = new KernelDistance(0)) {
      KernelDistance.Result r = kid.between(a, b, sa, sb);
      // Sums of 3600 kernel values of size ~10: float64 rounding near 1e-12 of the sums.
      double scale = Math.abs(bruteForceMmd2(pick(a, sa[0]), pick(a, sa[0]))) + Math.abs(mean) + 1;
      assertEquals(mean, r.mean(), 1e-10 * scale);
      assertEquals(Math.sqrt(var), r.std(), 1e-10 * scale);
      assertEquals(3, r.subsets());
      assertEquals(60, r.subsetSize());
    }
  }

  @Test
  void aSetAgainstItselfIsZeroWithinItsSpread() {
    double[][] a = FrechetDistanceTest.features(2000, 16, 7);
    try (KernelDistance kid = new KernelDistance(0)) {
      KernelDistance.Result same = kid.between(a, a, 20, 500, 11);
      assertTrue(Math.abs(same.mean()) < same.std(), "KID of a set with itself: " + same);
      double[][] shifted = new double[a.length][];
      for (int i = 0; i < a.length; i++) {
        shifted[i] = a[i].clone();
        shifted[i][0] += 1.0;
      }
      KernelDistance.Result different = kid.between(a, shifted, 20, 500, 11);
      assertTrue(different.mean() > 3 * different.std() && different.mean() > 10 * Math.abs(same.mean()),
          "KID of a shifted set: " + different + " vs itself " + same);
    }
  }

  @Test
  void subsetsAreDistinctIndicesAndReproducible() {
    int[][] s = KernelDistance.subsets(50, 4, 50, 3);
    for (int[] subset : s) {
      Set<Integer> seen = new HashSet<>();
      for (int i : subset) {
        assertTrue(i >= 0 && i < 50 && seen.add(i));
      }
    }
    assertEquals(java.util.Arrays.deepToString(s), java.util.Arrays.deepToString(KernelDistance.subsets(50, 4, 50, 3)));
  }
}

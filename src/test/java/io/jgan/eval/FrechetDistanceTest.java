package io.jgan.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;

/**
 * The Frechet distance against closed forms, all in float64: a set against itself, a shifted copy
 * (same covariance: the distance is the squared shift), commuting (diagonal) covariances, and a
 * non-commuting 2x2 pair through the identity tr sqrt(M) = sqrt(tr M + 2 sqrt(det M)) for a 2x2 M
 * with positive eigenvalues.
 */
class FrechetDistanceTest {
  /** Rows of correlated Gaussian-ish features: z A + m, z uniform, so the covariance is full. */
  static double[][] features(int n, int d, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    double[][] mix = new double[d][d];
    for (int i = 0; i < d; i++) {
      for (int j = 0; j < d; j++) {
        mix[i][j] = r.nextDouble(-1, 1);
      }
    }
    double[][] out = new double[n][d];
    for (int i = 0; i < n; i++) {
      double[] z = new double[d];
      for (int k = 0; k < d; k++) {
        z[k] = r.nextDouble(-1, 1);
      }
      for (int j = 0; j < d; j++) {
        double v = 0.5 * j;
        for (int k = 0; k < d; k++) {
          v += z[k] * mix[k][j];
        }
        out[i][j] = v;
      }
    }
    return out;
  }

  static double trace(DMatrixRMaj m) {
    double t = 0;
    for (int i = 0; i < m.numRows; i++) {
      t += m.get(i, i);
    }
    return t;
  }

  @Test
  void aSetAgainstItselfIsZero() {
    double[][] x = features(2000, 32, 1);
    FrechetDistance.Gaussian g = FrechetDistance.fit(x);
    double fid = FrechetDistance.between(g, g);
    // Tr(S) + Tr(S) - 2 Tr(sqrt(S S)): each term about Tr(S); float64 eigenvalues are exact to ~1e-15 of the largest.
    assertEquals(0, fid, 1e-10 * trace(g.covariance()), "FID of a set with itself");
  }

  @Test
  void aShiftedCopyIsTheSquaredShift() {
    double[][] x = features(3000, 24, 2);
    double[] shift = new double[24];
    double expected = 0;
    SplittableRandom r = new SplittableRandom(3);
    for (int k = 0; k < shift.length; k++) {
      shift[k] = r.nextDouble(-2, 2);
      expected += shift[k] * shift[k]; // ||m1 - m2||^2: for N(m1, S) and N(m2, S) the Frechet distance
    }
    double[][] y = new double[x.length][];
    for (int i = 0; i < x.length; i++) {
      y[i] = x[i].clone();
      for (int k = 0; k < shift.length; k++) {
        y[i][k] += shift[k];
      }
    }
    double fid = FrechetDistance.between(x, y);
    // The covariances agree to rounding of x + shift (1e-16 relative); the trace terms cancel to ~1e-12.
    assertEquals(expected, fid, 1e-9 * (expected + trace(FrechetDistance.fit(x).covariance())));
  }

  @Test
  void diagonalCovariancesGiveTheSumOfSquaredStandardDeviationDifferences() {
    double[] varA = {4, 1, 0.25, 9, 0};
    double[] varB = {1, 1, 1, 16, 2.25};
    double[] meanA = {0, 1, 2, 3, 4};
    double[] meanB = {1, 1, 0, 3, 5};
    double expected = 0;
    for (int k = 0; k < varA.length; k++) {
      double sa = Math.sqrt(varA[k]), sb = Math.sqrt(varB[k]);
      expected += (meanA[k] - meanB[k]) * (meanA[k] - meanB[k]) + (sa - sb) * (sa - sb);
    }
    double fid = FrechetDistance.between(gaussian(meanA, diagonal(varA)), gaussian(meanB, diagonal(varB)));
    assertEquals(expected, fid, 1e-12 * expected);
  }

  @Test
  void nonCommutingCovariancesMatchTheTwoByTwoClosedForm() {
    // S1 = [[2, 1], [1, 2]], S2 = [[3, 0], [0, 0.5]]: S1 S2 = [[6, 0.5], [3, 1]], det(S1 S2) = 3 * 1.5 = 4.5.
    DMatrixRMaj s1 = new DMatrixRMaj(new double[][] {{2, 1}, {1, 2}});
    DMatrixRMaj s2 = new DMatrixRMaj(new double[][] {{3, 0}, {0, 0.5}});
    double traceOfProduct = 6 + 1;
    double traceOfRoot = Math.sqrt(traceOfProduct + 2 * Math.sqrt(4.5));
    double expected = 1 * 1 + 4 + 3.5 - 2 * traceOfRoot; // ||(1, 0)||^2 + Tr S1 + Tr S2 - 2 Tr sqrt(S1 S2)
    double fid = FrechetDistance.between(gaussian(new double[] {1, 0}, s1), gaussian(new double[] {0, 0}, s2));
    assertEquals(expected, fid, 1e-13);
  }

  @Test
  void aSingularCovarianceIsNoProblem() {
    // A feature that never fires (all zero) makes S singular; the symmetric route still agrees
    // with the diagonal closed form.
    double[] varA = {0, 1, 4};
    double[] varB = {0, 4, 4};
    double fid = FrechetDistance.between(gaussian(new double[3], diagonal(varA)), gaussian(new double[3], diagonal(varB)));
    assertEquals(1.0, fid, 1e-13);
    assertTrue(fid >= 0);
  }

  private static FrechetDistance.Gaussian gaussian(double[] mean, DMatrixRMaj cov) {
    return new FrechetDistance.Gaussian(mean, cov, 100);
  }

  private static DMatrixRMaj diagonal(double[] values) {
    DMatrixRMaj m = new DMatrixRMaj(values.length, values.length);
    for (int i = 0; i < values.length; i++) {
      m.set(i, i, values[i]);
    }
    return m;
  }

  @Test
  void fitIsTheMeanAndUnbiasedCovarianceWorkedByHand() {
    // Rows (1, 2), (3, 6), (5, 4): mean (3, 4); centred (-2, -2), (0, 2), (2, 0); sums of products
    // xx 8, xy 4, yy 8, over n - 1 = 2.
    FrechetDistance.Gaussian g = FrechetDistance.fit(new double[][] {{1, 2}, {3, 6}, {5, 4}});
    assertArrayEquals(new double[] {3, 4}, g.mean(), 0.0);
    assertArrayEquals(new double[] {4, 2, 2, 4}, g.covariance().getData(), 0.0);
    assertEquals(3, g.count());
    // Two rows are enough: (0, 0) and (2, 2) have covariance [[2, 2], [2, 2]].
    assertArrayEquals(new double[] {2, 2, 2, 2}, FrechetDistance.fit(new double[][] {{0, 0}, {2, 2}}).covariance().getData(), 0.0);
    IllegalArgumentException one = assertThrows(IllegalArgumentException.class,
        () -> FrechetDistance.fit(new double[][] {{1, 2}}));
    assertEquals("expected at least 2 feature rows for a covariance, got 1", one.getMessage());
  }
}

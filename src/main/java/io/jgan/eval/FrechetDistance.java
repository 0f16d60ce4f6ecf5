package io.jgan.eval;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;

/**
 * The Frechet distance between two sets of features, each summarised as a Gaussian (Heusel et al.
 * 2017, FID; TF-GAN's {@code frechet_classifier_distance}, here with the judge's features):
 * {@code ||m1 - m2||^2 + Tr(S1) + Tr(S2) - 2 Tr((S1 S2)^(1/2))}, with the sample means and the
 * unbiased covariances (divisor n - 1, as {@code numpy.cov}).
 *
 * <p>{@code Tr((S1 S2)^(1/2))} is computed stably in float64 from symmetric matrices only: with
 * {@code R = S1^(1/2)} (eigendecomposition of S1, negative rounding noise in its eigenvalues set
 * to 0), {@code R S2 R} is symmetric positive semi-definite and similar to {@code S1 S2}, so the
 * trace is the sum of the square roots of its eigenvalues. No non-symmetric square root (Schur
 * form, complex parts) is needed, and a singular S1 (a feature that never fires) is no problem.
 */
public final class FrechetDistance {
  private FrechetDistance() {}

  /** The mean and unbiased covariance of n feature rows of dimension d (n >= 2). */
  public record Gaussian(double[] mean, DMatrixRMaj covariance, int count) {
    public int dimension() {
      return mean.length;
    }
  }

  /** Mean and covariance of the rows of {@code features} [n][d]; two passes (mean, then centred products). */
  public static Gaussian fit(double[][] features) {
    int n = features.length;
    if (n < 2) {
      throw new IllegalArgumentException("expected at least 2 feature rows for a covariance, got " + n);
    }
    int d = features[0].length;
    double[] mean = new double[d];
    for (double[] row : features) {
      for (int k = 0; k < d; k++) {
        mean[k] += row[k];
      }
    }
    for (int k = 0; k < d; k++) {
      mean[k] /= n;
    }
    DMatrixRMaj centred = new DMatrixRMaj(n, d);
    for (int i = 0; i < n; i++) {
      for (int k = 0; k < d; k++) {
        centred.unsafe_set(i, k, features[i][k] - mean[k]);
      }
    }
    DMatrixRMaj cov = new DMatrixRMaj(d, d);
    CommonOps_DDRM.multTransA(centred, centred, cov);
    CommonOps_DDRM.scale(1.0 / (n - 1), cov);
    return new Gaussian(mean, cov, n);
  }

  /** The Frechet distance between the Gaussians of two feature sets. */
  public static double between(double[][] a, double[][] b) {
    return between(fit(a), fit(b));
  }

  public static double between(Gaussian a, Gaussian b) {
    int d = a.dimension();
    if (b.dimension() != d) {
      throw new IllegalArgumentException("expected features of the same size, got " + d + " and " + b.dimension());
    }
    double meanTerm = 0;
    for (int k = 0; k < d; k++) {
      double diff = a.mean()[k] - b.mean()[k];
      meanTerm += diff * diff;
    }
    double traces = CommonOps_DDRM.trace(a.covariance()) + CommonOps_DDRM.trace(b.covariance());
    return meanTerm + traces - 2 * traceOfSquareRootOfProduct(a.covariance(), b.covariance());
  }

  /** Tr((S1 S2)^(1/2)) = sum of sqrt(eigenvalues of S1^(1/2) S2 S1^(1/2)), for symmetric PSD S1, S2. */
  static double traceOfSquareRootOfProduct(DMatrixRMaj s1, DMatrixRMaj s2) {
    DMatrixRMaj root = symmetricSquareRoot(s1);
    DMatrixRMaj tmp = new DMatrixRMaj(s1.numRows, s1.numCols);
    DMatrixRMaj product = new DMatrixRMaj(s1.numRows, s1.numCols);
    CommonOps_DDRM.mult(root, s2, tmp);
    CommonOps_DDRM.mult(tmp, root, product);
    symmetrise(product);
    double trace = 0;
    for (double lambda : eigenvalues(product)) {
      trace += Math.sqrt(Math.max(0, lambda));
    }
    return trace;
  }

  /** V diag(sqrt(max(lambda, 0))) V^T of a symmetric matrix. */
  static DMatrixRMaj symmetricSquareRoot(DMatrixRMaj s) {
    int d = s.numRows;
    EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(d, true, true);
    DMatrixRMaj copy = s.copy();
    symmetrise(copy);
    if (!eig.decompose(copy)) {
      throw new ArithmeticException("eigendecomposition of a " + d + "x" + d + " covariance did not converge");
    }
    DMatrixRMaj root = new DMatrixRMaj(d, d);
    for (int j = 0; j < d; j++) {
      double lambda = eig.getEigenvalue(j).getReal();
      double w = Math.sqrt(Math.max(0, lambda));
      DMatrixRMaj v = eig.getEigenVector(j);
      if (w == 0 || v == null) {
        continue;
      }
      for (int r = 0; r < d; r++) {
        double vr = v.get(r, 0) * w;
        for (int c = 0; c < d; c++) {
          root.add(r, c, vr * v.get(c, 0));
        }
      }
    }
    return root;
  }

  static double[] eigenvalues(DMatrixRMaj symmetric) {
    int d = symmetric.numRows;
    EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(d, false, true);
    if (!eig.decompose(symmetric.copy())) {
      throw new ArithmeticException("eigendecomposition of a " + d + "x" + d + " matrix did not converge");
    }
    double[] out = new double[d];
    for (int j = 0; j < d; j++) {
      out[j] = eig.getEigenvalue(j).getReal();
    }
    return out;
  }

  private static void symmetrise(DMatrixRMaj m) {
    for (int r = 0; r < m.numRows; r++) {
      for (int c = r + 1; c < m.numCols; c++) {
        double v = 0.5 * (m.get(r, c) + m.get(c, r));
        m.set(r, c, v);
        m.set(c, r, v);
      }
    }
  }
}

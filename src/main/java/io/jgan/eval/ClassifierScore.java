package io.jgan.eval;

/**
 * The classifier score (the Inception score of Salimans et al. 2016 with the judge in place of
 * Inception, as TF-GAN's {@code classifier_score} / {@code mnist_score}):
 * {@code exp(E_x KL(p(y|x) || p(y)))}, with {@code p(y|x) = softmax(logits(x))} and
 * {@code p(y)} the mean of p(y|x) over the whole set (one split, as TF-GAN computes it). It is 1
 * when every sample gets the same prediction and the number of classes when each is classified
 * with certainty and the classes are equally frequent. Computed in float64 from log-softmax.
 */
public final class ClassifierScore {
  private ClassifierScore() {}

  /** The score of logits [n][classes]. */
  public static double of(double[][] logits) {
    int n = logits.length;
    if (n == 0) {
      throw new IllegalArgumentException("expected at least one row of logits, got none");
    }
    int k = logits[0].length;
    double[][] logP = new double[n][];
    double[] marginal = new double[k];
    for (int i = 0; i < n; i++) {
      logP[i] = logSoftmax(logits[i]);
      for (int c = 0; c < k; c++) {
        marginal[c] += Math.exp(logP[i][c]);
      }
    }
    double[] logMarginal = new double[k];
    for (int c = 0; c < k; c++) {
      logMarginal[c] = Math.log(marginal[c] / n);
    }
    double kl = 0;
    for (int i = 0; i < n; i++) {
      double row = 0;
      for (int c = 0; c < k; c++) {
        double p = Math.exp(logP[i][c]);
        if (p > 0) {
          row += p * (logP[i][c] - logMarginal[c]);
        }
      }
      kl += row;
    }
    return Math.exp(kl / n);
  }

  /** log softmax of one row, with the maximum subtracted first. */
  static double[] logSoftmax(double[] logits) {
    double max = Double.NEGATIVE_INFINITY;
    for (double v : logits) {
      max = Math.max(max, v);
    }
    double sum = 0;
    for (double v : logits) {
      sum += Math.exp(v - max);
    }
    double log = max + Math.log(sum);
    double[] out = new double[logits.length];
    for (int c = 0; c < logits.length; c++) {
      out[c] = logits[c] - log;
    }
    return out;
  }

  /** The judge's class (argmax of the logits; the first on a tie) of each row. */
  public static int[] predictions(double[][] logits) {
    int[] out = new int[logits.length];
    for (int i = 0; i < logits.length; i++) {
      int best = 0;
      for (int c = 1; c < logits[i].length; c++) {
        if (logits[i][c] > logits[i][best]) {
          best = c;
        }
      }
      out[i] = best;
    }
    return out;
  }

  /** The share of each class among {@code predictions} (mode coverage). */
  public static double[] shares(int[] predictions, int classes) {
    double[] out = new double[classes];
    for (int p : predictions) {
      out[p] += 1;
    }
    for (int c = 0; c < classes; c++) {
      out[c] /= predictions.length;
    }
    return out;
  }
}

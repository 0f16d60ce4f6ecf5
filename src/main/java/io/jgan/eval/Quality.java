package io.jgan.eval;

/**
 * Computes {@link QualityMetrics} of judged images against a {@link Reference}: the classifier
 * score and class shares from the logits; the Frechet distance and KID from the features; for a
 * conditional GAN whose classes are the judge's, the label accuracy and the per-class Frechet
 * distance.
 */
public final class Quality {
  private Quality() {}

  /** How KID is estimated. */
  public record KidSettings(int subsets, int subsetSize, long seed) {
    public KidSettings {
      if (subsets <= 0 || subsetSize < 2) {
        throw new IllegalArgumentException("expected a positive number of KID subsets of at least 2 rows, got "
            + subsets + " of " + subsetSize);
      }
    }
  }

  /**
   * @param samples the judge's outputs on the images
   * @param requested the class each image was asked for (conditional GANs whose classes are the
   *     judge's, or real images' labels), or null
   * @param reference the real images to compare with, or null (no distances)
   * @param kid where KID is computed; null: KID is not computed
   */
  public static QualityMetrics measure(Judge.Outputs samples, int[] requested, int classes, Reference reference,
      KernelDistance kid, KidSettings kidSettings) {
    double[][] logits = samples.logits();
    int[] predicted = ClassifierScore.predictions(logits);
    double score = ClassifierScore.of(logits);
    double[] shares = ClassifierScore.shares(predicted, classes);
    Double fid = null;
    Double kidMean = null;
    Double kidStd = null;
    Integer subsets = null;
    Integer subsetSize = null;
    if (reference != null) {
      fid = FrechetDistance.between(FrechetDistance.fit(samples.features()), reference.gaussian());
    }
    if (reference != null && kid != null) {
      KernelDistance.Result k = kid.between(samples.features(), reference.outputs().features(), kidSettings.subsets(),
          kidSettings.subsetSize(), kidSettings.seed());
      kidMean = k.mean();
      kidStd = k.std();
      subsets = k.subsets();
      subsetSize = k.subsetSize();
    }
    Double accuracy = null;
    double[] perClass = null;
    if (requested != null) {
      int right = 0;
      for (int i = 0; i < predicted.length; i++) {
        right += predicted[i] == requested[i] ? 1 : 0;
      }
      accuracy = right / (double) predicted.length;
      if (reference != null) {
        perClass = new double[classes];
        for (int c = 0; c < classes; c++) {
          double[][] rows = Reference.rowsOfClass(samples.features(), requested, c);
          perClass[c] = rows.length < 2 ? Double.NaN
              : FrechetDistance.between(FrechetDistance.fit(rows), reference.gaussianOfClass(c));
        }
      }
    }
    return new QualityMetrics(samples.count(), score, fid, kidMean, kidStd, subsets, subsetSize, shares, accuracy,
        perClass);
  }
}

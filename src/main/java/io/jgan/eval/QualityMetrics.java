package io.jgan.eval;

/**
 * The sample-quality numbers of one set of images against a judge's reference set; a value the
 * setting cannot give is null (no reference set: no distances; an unconditional GAN: no label
 * accuracy).
 *
 * @param count images judged
 * @param classifierScore exp(E_x KL(p(y|x) || p(y))) ({@link ClassifierScore}); 1 to the number of classes
 * @param frechetDistance Frechet distance of the judge's features to the reference set's ({@link FrechetDistance})
 * @param kid mean unbiased MMD^2 with the cubic kernel over subsets ({@link KernelDistance})
 * @param kidStd its standard deviation over the subsets
 * @param kidSubsets how many subsets
 * @param kidSubsetSize rows per subset
 * @param classShares share of each class among the judge's predictions (mode coverage)
 * @param labelAccuracy conditional GANs: share of samples the judge assigns the class they were asked for
 * @param perClassFrechetDistance conditional GANs: per class, the Frechet distance of the samples asked
 *     for that class to the reference images of that class
 */
public record QualityMetrics(int count, double classifierScore, Double frechetDistance, Double kid, Double kidStd,
    Integer kidSubsets, Integer kidSubsetSize, double[] classShares, Double labelAccuracy,
    double[] perClassFrechetDistance) {

  /** The smallest class share: 0 when a class is never produced (a dropped mode). */
  public double minClassShare() {
    double min = 1;
    for (double s : classShares) {
      min = Math.min(min, s);
    }
    return min;
  }
}

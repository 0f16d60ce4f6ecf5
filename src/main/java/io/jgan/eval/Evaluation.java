package io.jgan.eval;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import io.jgan.data.ImageSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One evaluation of a generator: N samples judged against the judge's reference set, and the same
 * metrics for N real training images (brought to the generator's image shape first) as the
 * ceiling; printed as a table and kept as JSON.
 */
public final class Evaluation {
  /** Samples judged by default, as TF-GAN and torch-fidelity evaluate (10,000). */
  public static final int COUNT_DEFAULT = 10_000;
  private static final Gson GSON = new GsonBuilder().setPrettyPrinting().serializeSpecialFloatingPointValues().create();

  private Evaluation() {}

  /**
   * What an evaluation found.
   *
   * @param source the run directory or model evaluated
   * @param preset its preset
   * @param judge the judge's directory
   * @param reference the real set the distances are measured against, or null (a judge without one)
   * @param count samples (and real images) judged
   * @param seed seed of the samples' latents and of the subsets
   * @param classNames the judge's classes, in order of {@code classShares}
   * @param samples the generator's metrics
   * @param realTrainingImages the same for real training images (the ceiling), or null
   * @param notMeasured what this setting cannot measure, and why
   */
  public record Report(String source, String preset, String judge, String reference, int count, long seed,
      List<String> classNames, QualityMetrics samples, QualityMetrics realTrainingImages, List<String> notMeasured) {
    public String toJson() {
      return GSON.toJson(this);
    }
  }

  /**
   * @param reference the judge's reference set (its dataset's test set), or null
   * @param training the real training set for the ceiling (unconverted), or null
   * @param labelsMatchJudge whether a conditional GAN's classes are the judge's (cwgan-gp on --dataset
   *     mnist with the MNIST judge), so the label accuracy and per-class distances mean something
   */
  public static Report run(Judging.Generator generator, Judging.GeneratorSpec spec, Judge judge, Reference reference,
      ImageSet training, boolean labelsMatchJudge, int count, long seed, int threads, String source, String preset) {
    List<String> notMeasured = new ArrayList<>();
    if (reference == null) {
      notMeasured.add("Frechet distance and KID: the judge " + judge.directory() + " names no reference set ("
          + JudgeInfo.FILE + " with its dataset)");
    }
    if (spec.classes() > 0 && !labelsMatchJudge) {
      notMeasured.add("label accuracy and per-class Frechet distance: the run's " + spec.classes()
          + " classes are not the judge's");
    }
    Quality.KidSettings kid = new Quality.KidSettings(KernelDistance.SUBSETS_DEFAULT, KernelDistance.SUBSET_SIZE_DEFAULT,
        seed);
    try (KernelDistance kernel = reference == null ? null : new KernelDistance(threads)) {
      Judging.Judged samples = Judging.samples(generator, spec, judge, count, seed);
      QualityMetrics sampleMetrics = Quality.measure(samples.outputs(),
          labelsMatchJudge ? samples.requested() : null, judge.classes(), reference, kernel, kid);
      QualityMetrics real = null;
      if (training != null) {
        int n = Math.min(count, training.count());
        Judging.Judged realImages = Judging.realImages(training, n, seed, spec.imageShape(), judge);
        real = Quality.measure(realImages.outputs(), realImages.requested(), judge.classes(), reference, kernel, kid);
      } else {
        notMeasured.add("the real-data ceiling: no labelled training set of the judge's dataset");
      }
      List<String> names = judge.info() != null ? judge.info().classNames() : null;
      return new Report(source, preset, judge.directory().toString(), reference == null ? null : reference.name(), count,
          seed, names, sampleMetrics, real, notMeasured);
    }
  }

  /** The report as a table: one column for the samples, one for the real images. */
  public static String format(Report r) {
    StringBuilder sb = new StringBuilder();
    sb.append(String.format(Locale.ROOT, "Sample quality of %s (%s): %d samples, seed %d%n", r.source(), r.preset(),
        r.count(), r.seed()));
    sb.append(String.format(Locale.ROOT, "Judge %s; reference: %s%n", r.judge(),
        r.reference() == null ? "none" : r.reference()));
    QualityMetrics s = r.samples();
    QualityMetrics c = r.realTrainingImages();
    sb.append(String.format(Locale.ROOT, "  %-30s %20s %32s%n", "", "samples", "real training images (ceiling)"));
    row(sb, "classifier score", fmt(s.classifierScore(), 4), c == null ? "-" : fmt(c.classifierScore(), 4));
    row(sb, "Frechet distance", fmt(s.frechetDistance(), 4), c == null ? "-" : fmt(c.frechetDistance(), 4));
    row(sb, "KID (mean +- std over subsets)", kid(s), c == null ? "-" : kid(c));
    if (s.labelAccuracy() != null || (c != null && c.labelAccuracy() != null)) {
      row(sb, "label accuracy", fmt(s.labelAccuracy(), 4), c == null ? "-" : fmt(c.labelAccuracy(), 4));
    }
    row(sb, "smallest class share", fmt(s.minClassShare(), 4), c == null ? "-" : fmt(c.minClassShare(), 4));
    for (int k = 0; k < s.classShares().length; k++) {
      String name = r.classNames() != null ? r.classNames().get(k) : Integer.toString(k);
      row(sb, "  share of class " + name, fmt(s.classShares()[k], 4), c == null ? "-" : fmt(c.classShares()[k], 4));
    }
    if (s.perClassFrechetDistance() != null) {
      for (int k = 0; k < s.perClassFrechetDistance().length; k++) {
        String name = r.classNames() != null ? r.classNames().get(k) : Integer.toString(k);
        row(sb, "  Frechet distance of class " + name, fmt(s.perClassFrechetDistance()[k], 4),
            c == null || c.perClassFrechetDistance() == null ? "-" : fmt(c.perClassFrechetDistance()[k], 4));
      }
    }
    for (String n : r.notMeasured()) {
      sb.append("Not measured: ").append(n).append(System.lineSeparator());
    }
    return sb.toString();
  }

  private static void row(StringBuilder sb, String name, String samples, String ceiling) {
    sb.append(String.format(Locale.ROOT, "  %-30s %20s %32s%n", name, samples, ceiling));
  }

  private static String kid(QualityMetrics m) {
    return m.kid() == null ? "-" : String.format(Locale.ROOT, "%.6f +- %.6f", m.kid(), m.kidStd());
  }

  private static String fmt(Double v, int digits) {
    return v == null ? "-" : String.format(Locale.ROOT, "%." + digits + "f", v);
  }
}

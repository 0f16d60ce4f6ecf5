package io.jgan.api;

import io.jgan.PixelScale;
import io.jgan.data.DataFetcher;
import io.jgan.data.Dataset;
import io.jgan.data.ImageSet;
import io.jgan.eval.Evaluation;
import io.jgan.eval.Judge;
import io.jgan.eval.JudgeInfo;
import io.jgan.eval.Judging;
import io.jgan.eval.Reference;
import io.jgan.gan.GeneratorInfo;
import io.jgan.run.TrainConfig;
import java.nio.file.Path;

/**
 * Sample quality of a generator as the {@code evaluate} command measures it (classifier score,
 * Frechet distance, KID, class shares, with real training images as the ceiling), for the command
 * and for {@link Generator#evaluate}: one implementation behind both.
 *
 * <pre>{@code
 * Path judge = SampleQuality.judgeFor(Dataset.MNIST);   // savedmodels/judge-mnist
 * }</pre>
 */
public final class SampleQuality {
  /** Where the committed judges are, relative to the repository: {@code savedmodels/judge-DATASET}. */
  public static final String JUDGE_PREFIX = "savedmodels/judge-";

  private SampleQuality() {}

  /** The judge that applies to a dataset: {@code savedmodels/judge-mnist}, ... */
  public static Path judgeFor(Dataset dataset) {
    return Path.of(JUDGE_PREFIX + dataset.dirName());
  }

  /**
   * Judges {@code count} samples of {@code generator} (latents keyed on {@code seed}) with the judge
   * in {@code judgeDir}, against its dataset's test set from {@code dataDir} (fetched if missing).
   *
   * @param config the configuration the generator was trained with (its dataset decides whether
   *     a conditional GAN's labels are the judge's classes)
   * @param source what is evaluated, for the report
   */
  public static Evaluation.Report measure(Judging.Generator generator, GeneratorInfo gan, int classes, PixelScale scale,
      TrainConfig config, Path judgeDir, Path dataDir, int count, long seed, int threads, String source) {
    try (Judge judge = Judge.load(judgeDir, threads)) {
      JudgeInfo info = judge.info();
      Reference reference = null;
      ImageSet training = null;
      Dataset judged = null;
      if (info != null) {
        judged = info.datasetValue();
        DataFetcher.ensurePresent(judged, dataDir);
        ImageSet test = judged.load(dataDir, false);
        training = judged.load(dataDir, true);
        reference = Reference.of(judge, test);
      }
      boolean labelsMatch = classes > 0 && judged != null && !TrainConfig.FOLDER.equals(config.dataset())
          && Dataset.parse(config.dataset()) == judged && classes == judge.classes();
      Judging.GeneratorSpec spec = new Judging.GeneratorSpec(gan.latentPrior(), gan.latentDim(), classes, scale,
          gan.imageShape().asArray());
      return Evaluation.run(generator, spec, judge, reference, training, labelsMatch, count, seed, threads, source,
          gan.name());
    }
  }
}

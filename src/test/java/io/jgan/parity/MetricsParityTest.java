package io.jgan.parity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.jgan.PixelScale;
import io.jgan.data.Dataset;
import io.jgan.data.ImageSet;
import io.jgan.data.RealData;
import io.jgan.eval.Judge;
import io.jgan.eval.Judging;
import io.jgan.eval.KernelDistance;
import io.jgan.eval.Quality;
import io.jgan.eval.QualityMetrics;
import io.jgan.eval.Reference;
import io.jgan.gan.LatentPrior;
import io.jgan.train.graph.Tensors;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;

/**
 * The sample-quality metrics of {@code evaluate} against numpy and scipy ({@code scripts/parity/metrics.py}):
 * the committed MNIST judge's outputs on 600 samples of {@code savedmodels/dcgan-mnist} and on 2,000
 * labelled real training images, against the 10,000 test images, go to Python as .npy files with
 * the KID subsets; Python computes the classifier score (TF-GAN's formula), the Frechet distance
 * (scipy.linalg.sqrtm), KID (torch-fidelity's estimator), the class shares, the label accuracy and
 * the per-class Frechet distance, which must equal Java's to {@value #TOLERANCE} relative (the Frechet
 * distance relative to the size of its terms, see {@link #frechet}). Python
 * TensorFlow also runs the judge SavedModel on the same sample images, which must give Java's
 * features and logits to {@value #JUDGE_TOLERANCE} (float32 kernels, relative to the largest value).
 *
 * <p>As {@link ParityTest}: skipped loudly when the pinned Python cannot be installed, a failure
 * when {@value ParityTest#REQUIRE} is set (CI).
 */
class MetricsParityTest {
  /** float64 on both sides: rounding is ~1e-13 of these values; a wrong formula is off by far more. */
  static final double TOLERANCE = 1e-6;
  /** The same float32 network in two TensorFlow builds (oneDNN on or off): rounding of ~1e-6 of the values. */
  static final double JUDGE_TOLERANCE = 1e-4;
  static final int SAMPLES = 600;
  static final int REAL = 2000;

  @Test
  void javaMetricsEqualNumpyAndScipyOnTheSameJudgeOutputs(@TempDir Path work) throws Exception {
    Path root = Path.of("").toAbsolutePath();
    Path judgeDir = root.resolve("savedmodels/judge-mnist");
    Path data = RealData.ensure(Dataset.MNIST);
    ImageSet test = Dataset.MNIST.load(data, false);
    ImageSet train = Dataset.MNIST.load(data, true);
    Quality.KidSettings kidSettings = new Quality.KidSettings(10, 500, 3);
    QualityMetrics samples;
    QualityMetrics real;
    try (Judge judge = Judge.load(judgeDir, 0);
         SavedModelBundle generator = SavedModelBundle.load(root.resolve("savedmodels/dcgan-mnist").toString(), "serve");
         KernelDistance kid = new KernelDistance(0)) {
      Reference reference = Reference.of(judge, test);
      Judging.GeneratorSpec spec = new Judging.GeneratorSpec(LatentPrior.NORMAL, 100, 0, PixelScale.TANH,
          new long[] {28, 28, 1});
      Judging.Judged judgedSamples = Judging.samples((latents, labels) -> {
        try (Result r = generator.function("serving_default").call(Map.<String, Tensor>of("latents", latents))) {
          return Tensors.copy(r.get("images").orElseThrow());
        }
      }, spec, judge, SAMPLES, 0);
      Judging.Judged judgedReal = Judging.realImages(train, REAL, 1, new long[] {28, 28, 1}, judge);
      samples = Quality.measure(judgedSamples.outputs(), null, 10, reference, kid, kidSettings);
      real = Quality.measure(judgedReal.outputs(), judgedReal.requested(), 10, reference, kid, kidSettings);

      write(work, "reference_features", reference.outputs().features());
      Npy.write(work.resolve("reference_labels.npy"), new long[] {test.count()}, toDouble(test.labels()));
      writeSet(work, "samples", judgedSamples, reference, kidSettings);
      writeSet(work, "real", judgedReal, reference, kidSettings);
      try (TFloat32 inputs = TFloat32.tensorOf(Shape.of(SAMPLES, 28, 28, 1), DataBuffers.of(judgedSamples.inputs(), true, false))) {
        Npy.write(work.resolve("judge_inputs.npy"), inputs);
      }
    }

    JsonObject python = runPython(root, work, judgeDir);
    JsonObject judgeDifference = python.getAsJsonObject("judgeRelativeDifference");
    assertTrue(judgeDifference.get("features").getAsDouble() <= JUDGE_TOLERANCE, "judge features: " + judgeDifference);
    assertTrue(judgeDifference.get("logits").getAsDouble() <= JUDGE_TOLERANCE, "judge logits: " + judgeDifference);
    compare("samples", samples, python.getAsJsonObject("samples"));
    compare("real", real, python.getAsJsonObject("real"));
    // The check can fail: the committed generator's samples are still far further from the test set than real images.
    assertTrue(samples.frechetDistance() > 10 * real.frechetDistance(), samples + " vs " + real);
  }

  private static void compare(String set, QualityMetrics java, JsonObject python) {
    List<String> rows = new ArrayList<>();
    check(rows, set + " classifier score", java.classifierScore(), python.get("classifierScore").getAsDouble());
    frechet(rows, set + " Frechet distance", java.frechetDistance(), python.get("frechetDistanceEigh").getAsDouble(),
        python.get("frechetDistance").getAsDouble(), python.get("frechetScale").getAsDouble());
    check(rows, set + " KID", java.kid(), python.get("kid").getAsDouble());
    check(rows, set + " KID std", java.kidStd(), python.get("kidStd").getAsDouble());
    JsonArray shares = python.getAsJsonArray("classShares");
    for (int c = 0; c < shares.size(); c++) {
      assertEquals(shares.get(c).getAsDouble(), java.classShares()[c], 0.0, set + " share of class " + c);
    }
    if (python.has("labelAccuracy")) {
      assertEquals(python.get("labelAccuracy").getAsDouble(), java.labelAccuracy(), 0.0, set + " label accuracy");
      JsonArray sqrtm = python.getAsJsonArray("perClassFrechetDistance");
      JsonArray eigh = python.getAsJsonArray("perClassFrechetDistanceEigh");
      JsonArray scale = python.getAsJsonArray("perClassFrechetScale");
      for (int c = 0; c < sqrtm.size(); c++) {
        frechet(rows, set + " Frechet distance of class " + c, java.perClassFrechetDistance()[c],
            eigh.get(c).getAsDouble(), sqrtm.get(c).getAsDouble(), scale.get(c).getAsDouble());
      }
    }
    rows.forEach(System.out::println);
    rows.stream().filter(r -> r.endsWith("FAIL")).findFirst().ifPresent(r -> fail(String.join("\n", rows)));
  }

  /**
   * The Frechet distance against scipy.linalg.sqrtm of S1 S2 (pytorch-fid's way) and numpy's symmetric
   * route (eigh on LAPACK, as Java computes it on EJML), each to {@value #TOLERANCE} of the size of its
   * terms, ||m1 - m2||^2 + Tr S1 + Tr S2. The distance is a difference of those terms, and Tr sqrt(.)
   * is not smooth at a zero eigenvalue (a judge feature that never fires makes the covariances
   * singular): an eigenvalue rounded to 1e-13 instead of 0 adds its square root, 3e-7. So any two
   * float64 routes (these three included) agree to ~1e-9 of the terms, which for nearby sets is up
   * to ~1e-6 of the distance itself; a wrong formula (a covariance divisor, a missing factor 2) is
   * off by 1e-3 of the terms or more.
   */
  private static void frechet(List<String> rows, String what, double javaValue, double eigh, double sqrtm, double scale) {
    for (String route : new String[] {"eigh", "sqrtm"}) {
      double python = route.equals("eigh") ? eigh : sqrtm;
      double ofScale = Math.abs(javaValue - python) / scale;
      rows.add(String.format(Locale.ROOT, "%-44s java %.12g python %.12g relative %.2e, of the terms %.2e %s",
          what + " (" + route + ")", javaValue, python, Math.abs(javaValue - python) / Math.abs(python), ofScale,
          ofScale <= TOLERANCE ? "PASS" : "FAIL"));
    }
  }

  private static void check(List<String> rows, String what, double javaValue, double python) {
    double relative = Math.abs(javaValue - python) / Math.abs(python);
    rows.add(String.format(Locale.ROOT, "%-44s java %.12g python %.12g relative %.2e %s", what, javaValue, python,
        relative, relative <= TOLERANCE ? "PASS" : "FAIL"));
  }

  private static void writeSet(Path work, String name, Judging.Judged judged, Reference reference,
      Quality.KidSettings kid) {
    write(work, name + "_features", judged.outputs().features());
    write(work, name + "_logits", judged.outputs().logits());
    if (judged.requested() != null) {
      Npy.write(work.resolve(name + "_requested.npy"), new long[] {judged.requested().length}, toDouble(judged.requested()));
    }
    // The subsets Quality.measure drew (KernelDistance.subsetPair with the same arguments).
    int[][][] pair = KernelDistance.subsetPair(judged.outputs().count(), reference.outputs().count(), kid.subsets(),
        kid.subsetSize(), kid.seed());
    write(work, name + "_kid_a", toDouble(pair[0]));
    write(work, name + "_kid_b", toDouble(pair[1]));
  }

  private static void write(Path work, String name, double[][] rows) {
    int n = rows.length, d = rows[0].length;
    double[] flat = new double[n * d];
    for (int i = 0; i < n; i++) {
      System.arraycopy(rows[i], 0, flat, i * d, d);
    }
    Npy.write(work.resolve(name + ".npy"), new long[] {n, d}, flat);
  }

  private static double[] toDouble(int[] values) {
    double[] out = new double[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = values[i];
    }
    return out;
  }

  private static double[][] toDouble(int[][] values) {
    double[][] out = new double[values.length][];
    for (int i = 0; i < values.length; i++) {
      out[i] = toDouble(values[i]);
    }
    return out;
  }

  /** setup.sh (exit 3: Python cannot be installed), then metrics.py; its JSON. */
  private static JsonObject runPython(Path root, Path work, Path judgeDir) throws IOException, InterruptedException {
    Path interpreter = ParityVenv.python(work, "numpy, scipy", "metrics");
    Path output = work.resolve("metrics.json");
    ProcessBuilder builder = new ProcessBuilder(interpreter.toString(),
        root.resolve("scripts/parity/metrics.py").toString(), "--work", work.toString(), "--sets", "samples,real",
        "--judge", judgeDir.toString()).redirectOutput(output.toFile()).redirectError(work.resolve("metrics.err").toFile());
    builder.environment().put("TF_CPP_MIN_LOG_LEVEL", "2");
    Process python = builder.start();
    assertTrue(python.waitFor(10, TimeUnit.MINUTES), "metrics.py did not finish");
    assertEquals(0, python.exitValue(), "metrics.py failed:\n" + Files.readString(work.resolve("metrics.err")));
    return JsonParser.parseString(Files.readString(output, StandardCharsets.UTF_8)).getAsJsonObject();
  }
}

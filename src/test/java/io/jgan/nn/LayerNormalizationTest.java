package io.jgan.nn;

import static io.jgan.nn.Float64Testing.assertClose;
import static io.jgan.nn.Float64Testing.buildError;
import static io.jgan.nn.Float64Testing.values;
import static io.jgan.nn.Float64Testing.apply;
import static io.jgan.nn.Float64Testing.single;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat64;

/**
 * LayerNormalization in float64 against the textbook formula written here,
 * {@code (x - mean) / sqrt(var + epsilon) * gamma + beta} with the biased variance over the
 * normalised axes of each example. Keras computes {@code x * inv + (-mean * inv + beta)}, the same
 * value rounded differently: for the values here (|x| <= 1, |inv| <= ~3) the two differ by a few
 * ulps of the terms, so 1e-13.
 */
class LayerNormalizationTest {
  private static final double TOLERANCE = 1e-13;

  @Test
  void defaultsNormaliseTheLastAxisWithEpsilonOneThousandthAndUnitGamma() {
    // One example [1, 3]: mean 2, biased variance 1, so (x - 2) / sqrt(1 + 1e-3).
    double expected = 1 / Math.sqrt(1.001);
    LayerNormalization layer = new LayerNormalization();
    Sequential net = single(layer, Shape.of(2));
    try (Graph g = new Graph(); org.tensorflow.Session s = new org.tensorflow.Session(g)) {
      Ops tf = Ops.create(g);
      net.build(tf, 1, TFloat64.class);
      net.initOps().forEach(s::run);
      double[] y = Float64Testing.run(s, net.call(tf, Float64Testing.constant(tf, Shape.of(1, 2), new double[] {1, 3}),
          CallContext.inference()));
      assertClose(new double[] {-expected, expected}, y, TOLERANCE, "defaults");
    }
    assertEquals(List.of("gamma", "beta"), layer.weights().stream().map(Weight::name).toList());
    assertEquals(List.of("gamma", "beta"), layer.weights().stream().map(Weight::trackableName).toList());
    assertTrue(layer.weights().stream().allMatch(Weight::trainable));
  }

  @Test
  void lastAxisMatchesTheFormula() {
    int n = 3, c = 5;
    double[] x = values(n * c, 31, 1), gamma = values(c, 32, 2), beta = values(c, 33, 1);
    double[] expected = normalise(x, n, c, gamma, beta, 1e-3);
    assertClose(expected, apply(single(new LayerNormalization(), Shape.of(c)), List.of(x), List.of(gamma, beta)),
        TOLERANCE, "axis -1");
  }

  @Test
  void severalAxesShareOneMeanAndGammaPerPosition() {
    // [2, 3, 2] images normalised over height and width (axes 1 and 2): per example and channel,
    // 6 values; gamma and beta are [2, 3], one per pixel position.
    int n = 2, h = 2, w = 3, c = 2;
    double[] x = values(n * h * w * c, 34, 1), gamma = values(h * w, 35, 2), beta = values(h * w, 36, 1);
    double eps = 0.01;
    double[] expected = new double[x.length];
    for (int b = 0; b < n; b++) {
      for (int ch = 0; ch < c; ch++) {
        double mean = 0, var = 0;
        for (int p = 0; p < h * w; p++) {
          mean += x[(b * h * w + p) * c + ch];
        }
        mean /= h * w;
        for (int p = 0; p < h * w; p++) {
          var += Math.pow(x[(b * h * w + p) * c + ch] - mean, 2);
        }
        var /= h * w;
        for (int p = 0; p < h * w; p++) {
          int i = (b * h * w + p) * c + ch;
          expected[i] = (x[i] - mean) / Math.sqrt(var + eps) * gamma[p] + beta[p];
        }
      }
    }
    LayerNormalization layer = new LayerNormalization().axis(2, 1).epsilon(eps);
    assertClose(expected, apply(single(layer, Shape.of(h, w, c)), List.of(x), List.of(gamma, beta)), TOLERANCE,
        "axes (1, 2)");
    assertEquals(Shape.of(h, w), layer.weights().get(0).shape());
  }

  @Test
  void withoutCenterOrScaleThereIsNoBetaOrGamma() {
    int n = 2, c = 4;
    double[] x = values(n * c, 37, 1), gamma = values(c, 38, 2), beta = values(c, 39, 1);
    LayerNormalization noCenter = new LayerNormalization().noCenter();
    assertClose(normalise(x, n, c, gamma, null, 1e-3),
        apply(single(noCenter, Shape.of(c)), List.of(x), List.of(gamma)), TOLERANCE, "no center");
    assertEquals(List.of("gamma"), noCenter.weights().stream().map(Weight::name).toList());
    LayerNormalization noScale = new LayerNormalization().noScale();
    assertClose(normalise(x, n, c, null, beta, 1e-3),
        apply(single(noScale, Shape.of(c)), List.of(x), List.of(beta)), TOLERANCE, "no scale");
    assertEquals(List.of("beta"), noScale.weights().stream().map(Weight::name).toList());
  }

  @Test
  void gradientsMatchCentralDifferences() {
    GradientCheck.firstOrder(single(new LayerNormalization(), Shape.of(5)), List.of(values(15, 41, 1)),
        List.of(values(5, 42, 2), values(5, 43, 1)), "axis -1");
    GradientCheck.firstOrder(single(new LayerNormalization().axis(1, 2), Shape.of(2, 2, 2)), List.of(values(16, 44, 1)),
        List.of(values(4, 45, 2), values(4, 46, 1)), "axes (1, 2)");
  }

  @Test
  void canBeDifferentiatedTwiceForAGradientPenalty() {
    GradientCheck.secondOrder(single(new LayerNormalization(), Shape.of(4)), List.of(values(8, 47, 1)),
        List.of(values(4, 48, 2), values(4, 49, 1)), "layer norm, penalty");
  }

  @Test
  void rejectsTheBatchAxisRepeatedAxesAndABadEpsilon() {
    assertEquals("expected axes other than the batch axis 0, got [1, 0]",
        assertThrows(IllegalArgumentException.class, () -> new LayerNormalization().axis(1, 0)).getMessage());
    assertEquals("expected a positive epsilon, got 0.0",
        assertThrows(IllegalArgumentException.class, () -> new LayerNormalization().epsilon(0)).getMessage());
    String range = buildError(single(new LayerNormalization().axis(3), Shape.of(4, 2)));
    assertTrue(range.contains("LayerNormalization expected axes in [-2, -1] or [1, 2] for an input of shape [4, 2] (rank 3 "
        + "with the batch), got [3]"), range);
    String repeated = buildError(single(new LayerNormalization().axis(1, -2), Shape.of(4, 2)));
    assertTrue(repeated.contains("LayerNormalization expected distinct axes, got [1, -2]"), repeated);
  }

  /** Rows of length c normalised one by one. */
  private static double[] normalise(double[] x, int n, int c, double[] gamma, double[] beta, double eps) {
    double[] out = new double[x.length];
    for (int b = 0; b < n; b++) {
      double mean = 0, var = 0;
      for (int i = 0; i < c; i++) {
        mean += x[b * c + i];
      }
      mean /= c;
      for (int i = 0; i < c; i++) {
        var += Math.pow(x[b * c + i] - mean, 2);
      }
      var /= c;
      for (int i = 0; i < c; i++) {
        double v = (x[b * c + i] - mean) / Math.sqrt(var + eps);
        out[b * c + i] = v * (gamma == null ? 1 : gamma[i]) + (beta == null ? 0 : beta[i]);
      }
    }
    return out;
  }
}

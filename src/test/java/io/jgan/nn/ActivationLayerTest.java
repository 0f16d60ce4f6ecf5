package io.jgan.nn;

import static io.jgan.nn.Float64Testing.assertClose;
import static io.jgan.nn.Float64Testing.values;
import static io.jgan.nn.Float64Testing.apply;
import static io.jgan.nn.Float64Testing.single;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumSet;
import java.util.List;
import java.util.function.DoubleUnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.tensorflow.ndarray.Shape;

/**
 * The Activation layer and the functions it applies, in float64 against their closed forms written
 * here with java.lang.Math (a few ulps apart from TensorFlow's kernels, hence 1e-14), and their
 * gradients against central differences.
 */
class ActivationLayerTest {
  private static final double TOLERANCE = 1e-14;
  /** Away from the kinks at 0 by far more than the finite-difference step. */
  private static final double[] X = {-2, -1, -0.5, -0.1, 0.1, 0.5, 1, 2};
  /** SELU's constants (Klambauer et al. 2017). */
  private static final double SELU_ALPHA = 1.6732632423543772848170429916717;
  private static final double SELU_SCALE = 1.0507009873554804934193349852946;

  @Test
  void elementWiseFunctionsMatchTheirFormulas() {
    check(Activation.LINEAR, x -> x);
    check(Activation.RELU, x -> Math.max(x, 0));
    check(Activation.TANH, Math::tanh);
    check(Activation.SIGMOID, x -> 1 / (1 + Math.exp(-x)));
    // Keras's leaky_relu slope 0.2 reaches the kernel through LeakyRelu's float attribute: (double) 0.2f.
    check(Activation.LEAKY_RELU, x -> x >= 0 ? x : x * (double) 0.2f);
    check(Activation.ELU, x -> x > 0 ? x : Math.expm1(x));
    check(Activation.SELU, x -> SELU_SCALE * (x > 0 ? x : SELU_ALPHA * Math.expm1(x)));
    check(Activation.SOFTPLUS, x -> Math.log1p(Math.exp(x)));
    check(Activation.SOFTSIGN, x -> x / (1 + Math.abs(x)));
    check(Activation.SILU, x -> x / (1 + Math.exp(-x)));
    check(Activation.EXPONENTIAL, Math::exp);
  }

  @Test
  void geluIsTheExactFormNotTheTanhApproximation() {
    // x * Phi(x) with the standard normal CDF at 0.5, 1 and 2 (tables; Phi(-x) = 1 - Phi(x)).
    double[] x = {-2, -1, -0.5, 0.5, 1, 2};
    double[] phi = {0.6914624612740131036, 0.8413447460685429486, 0.9772498680518207928};
    double[] exact = {-2 * (1 - phi[2]), -(1 - phi[1]), -0.5 * (1 - phi[0]), 0.5 * phi[0], phi[1], 2 * phi[2]};
    // tf.nn.gelu (so Keras) divides by sqrt(2) rounded to float32, s = 1.41421353816986083984375:
    // erf(u (1 + e)) = erf(u) + e u 2 / sqrt(pi) exp(-u^2) + O(e^2) with u = x / sqrt(2),
    // e = sqrt(2) / s - 1 = 1.7e-8, so the output gains 0.5 x e u 2 / sqrt(pi) exp(-u^2) (e^2 ~ 3e-16).
    double e = Math.sqrt(2) / 1.41421353816986083984375 - 1;
    double[] expected = new double[x.length];
    for (int i = 0; i < x.length; i++) {
      double u = x[i] / Math.sqrt(2);
      expected[i] = exact[i] + 0.5 * x[i] * e * u * 2 / Math.sqrt(Math.PI) * Math.exp(-u * u);
    }
    double[] gelu = apply(single(new ActivationLayer(Activation.GELU), Shape.of(6)), List.of(x), List.of());
    assertClose(expected, gelu, TOLERANCE, "gelu");
    assertTrue(Math.abs(gelu[4] - phi[1]) > 1e-9, "the float32 sqrt(2) shows: " + (gelu[4] - phi[1]));
    // The tanh approximation differs here by ~1e-4, far beyond the tolerance.
    double approx = 0.5 * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (1 + 0.044715)));
    assertTrue(Math.abs(approx - phi[1]) > 1e-5);
  }

  @Test
  void softmaxNormalisesTheLastAxis() {
    double[] x = {-1, 0.5, 2, 3, 3, -4};
    double[] expected = new double[6];
    for (int row = 0; row < 2; row++) {
      double sum = 0;
      for (int i = 0; i < 3; i++) {
        sum += Math.exp(x[row * 3 + i]);
      }
      for (int i = 0; i < 3; i++) {
        expected[row * 3 + i] = Math.exp(x[row * 3 + i]) / sum;
      }
    }
    assertClose(expected, apply(single(Activation.SOFTMAX.layer(), Shape.of(3)), List.of(x), List.of()), TOLERANCE,
        "softmax");
  }

  @ParameterizedTest
  @EnumSource(Activation.class)
  void gradientsMatchCentralDifferences(Activation activation) {
    double[] x = new double[16];
    for (int i = 0; i < 16; i++) {
      x[i] = X[i % X.length] * (i < 8 ? 1 : 0.7);
    }
    GradientCheck.firstOrder(single(activation.layer(), Shape.of(8)), List.of(x), List.of(), activation.toString());
  }

  /** What the class comment promises: which activations a gradient penalty can differentiate twice. */
  @ParameterizedTest
  @EnumSource(Activation.class)
  void secondOrderGradientsExistExactlyWhereDocumented(Activation activation) {
    Sequential net = new Sequential("critic", Shape.of(4)).add(new Dense(3)).add(activation.layer());
    List<double[]> inputs = List.of(values(8, 21, 1));
    List<double[]> weights = List.of(values(12, 22, 1), values(3, 23, 0.5));
    EnumSet<Activation> twice = EnumSet.of(Activation.LINEAR, Activation.LEAKY_RELU, Activation.GELU,
        Activation.EXPONENTIAL, Activation.SOFTMAX);
    if (twice.contains(activation)) {
      GradientCheck.secondOrder(net, inputs, weights, activation + ", penalty");
    } else {
      Exception e = assertThrows(Exception.class, () -> GradientCheck.secondOrder(net, inputs, weights, "-"));
      assertTrue(String.valueOf(e.getMessage()).contains("No gradient defined for op"), e.toString());
    }
  }

  @Test
  void layerIsKerasActivationWithTheFunctionsKerasName() {
    ActivationLayer layer = new ActivationLayer(Activation.LEAKY_RELU);
    assertEquals("Activation", layer.kind());
    assertEquals("leaky_relu", layer.describe());
    assertEquals(Activation.GELU, Activation.GELU.layer().activation());
    assertThrows(NullPointerException.class, () -> new ActivationLayer(null));
  }

  private static void check(Activation activation, DoubleUnaryOperator f) {
    double[] expected = new double[X.length];
    for (int i = 0; i < X.length; i++) {
      expected[i] = f.applyAsDouble(X[i]);
    }
    assertClose(expected, apply(single(activation.layer(), Shape.of(4)), List.of(X), List.of()), TOLERANCE,
        activation.toString());
  }
}

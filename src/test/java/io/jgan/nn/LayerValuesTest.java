package io.jgan.nn;

import static io.jgan.TfTesting.assertClose;
import static io.jgan.TfTesting.assign;
import static io.jgan.TfTesting.run;
import static io.jgan.TfTesting.toDouble;
import static io.jgan.TfTesting.values;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Layer outputs against straightforward float64 loops written here from the definitions (TF's
 * "same" padding puts the odd pixel after: pad_before = floor(pad_total / 2)).
 */
class LayerValuesTest {
  private static final double TOLERANCE = 2e-5;

  @Test
  void denseMatchesMatrixProductPlusBias() {
    int batch = 3, in = 4, units = 5;
    float[] x = values(batch * in, 1, 1), w = values(in * units, 2, 1), b = values(units, 3, 1);
    double[] expected = new double[batch * units];
    for (int n = 0; n < batch; n++) {
      for (int o = 0; o < units; o++) {
        double sum = b[o];
        for (int i = 0; i < in; i++) {
          sum += (double) x[n * in + i] * w[i * units + o];
        }
        expected[n * units + o] = Math.tanh(sum);
      }
    }
    Dense dense = new Dense(units).activation(Activation.TANH);
    assertClose(expected, apply(dense, Shape.of(in), x, batch, List.of(w, b), true), TOLERANCE, "dense");
  }

  @ParameterizedTest(name = "Conv2D k{0} s{1} {2} on {3}x{3}")
  @CsvSource({"3, 1, SAME, 5", "3, 2, SAME, 5", "4, 2, SAME, 6", "5, 2, SAME, 7", "3, 2, VALID, 7", "4, 1, VALID, 6"})
  void conv2dMatchesDirectConvolution(int k, int s, Padding padding, int size) {
    int batch = 2, cin = 2, filters = 3;
    float[] x = values(batch * size * size * cin, 11, 1), kernel = values(k * k * cin * filters, 12, 0.5),
        bias = values(filters, 13, 0.5);
    int out = (int) padding.convOutput(size, k, s);
    int pad = padBefore(size, out, k, s, padding);
    double[] expected = new double[batch * out * out * filters];
    for (int n = 0; n < batch; n++) {
      for (int oy = 0; oy < out; oy++) {
        for (int ox = 0; ox < out; ox++) {
          for (int f = 0; f < filters; f++) {
            double sum = bias[f];
            for (int ky = 0; ky < k; ky++) {
              for (int kx = 0; kx < k; kx++) {
                int iy = oy * s + ky - pad, ix = ox * s + kx - pad;
                if (iy < 0 || ix < 0 || iy >= size || ix >= size) {
                  continue;
                }
                for (int c = 0; c < cin; c++) {
                  sum += (double) x[((n * size + iy) * size + ix) * cin + c] * kernel[((ky * k + kx) * cin + c) * filters + f];
                }
              }
            }
            expected[((n * out + oy) * out + ox) * filters + f] = sum;
          }
        }
      }
    }
    Conv2d conv = new Conv2d(filters, k).strides(s).padding(padding);
    assertClose(expected, apply(conv, Shape.of(size, size, cin), x, batch, List.of(kernel, bias), true), TOLERANCE, "conv2d");
  }

  /**
   * A transposed convolution is the adjoint of the forward convolution from the big image to the
   * small one: each input pixel scatters kernel-weighted copies of itself into the output.
   */
  @ParameterizedTest(name = "Conv2DTranspose k{0} s{1} {2} on {3}x{3}")
  @CsvSource({"5, 1, SAME, 3", "5, 2, SAME, 3", "4, 2, SAME, 3", "4, 1, VALID, 1", "4, 2, VALID, 2", "3, 2, SAME, 4"})
  void conv2dTransposeMatchesScatter(int k, int s, Padding padding, int size) {
    int batch = 2, cin = 3, filters = 2;
    float[] x = values(batch * size * size * cin, 21, 1), kernel = values(k * k * filters * cin, 22, 0.5),
        bias = values(filters, 23, 0.5);
    int big = (int) padding.transposeOutput(size, k, s);
    int pad = padBefore(big, size, k, s, padding);
    double[] expected = new double[batch * big * big * filters];
    for (int n = 0; n < batch; n++) {
      for (int y = 0; y < size; y++) {
        for (int xx = 0; xx < size; xx++) {
          for (int ky = 0; ky < k; ky++) {
            for (int kx = 0; kx < k; kx++) {
              int oy = y * s + ky - pad, ox = xx * s + kx - pad;
              if (oy < 0 || ox < 0 || oy >= big || ox >= big) {
                continue;
              }
              for (int f = 0; f < filters; f++) {
                for (int c = 0; c < cin; c++) {
                  expected[((n * big + oy) * big + ox) * filters + f] +=
                      (double) x[((n * size + y) * size + xx) * cin + c] * kernel[((ky * k + kx) * filters + f) * cin + c];
                }
              }
            }
          }
        }
      }
      for (int i = 0; i < big * big; i++) {
        for (int f = 0; f < filters; f++) {
          expected[(n * big * big + i) * filters + f] += bias[f];
        }
      }
    }
    Conv2dTranspose conv = new Conv2dTranspose(filters, k).strides(s).padding(padding);
    assertClose(expected, apply(conv, Shape.of(size, size, cin), x, batch, List.of(kernel, bias), true), TOLERANCE, "conv2d_transpose");
  }

  @Test
  void batchNormTrainingUsesBiasedBatchMomentsAndUpdatesMovingStatistics() {
    int batch = 3, hw = 2, channels = 2;
    double momentum = 0.9, eps = 1e-3;
    float[] x = values(batch * hw * hw * channels, 31, 2);
    float[] gamma = {1.5f, 0.5f}, beta = {0.1f, -0.2f}, movingMean = {0.3f, -0.1f}, movingVar = {2f, 0.5f};
    int perChannel = batch * hw * hw;
    double[] mean = new double[channels], var = new double[channels];
    for (int c = 0; c < channels; c++) {
      for (int i = 0; i < perChannel; i++) {
        mean[c] += x[i * channels + c];
      }
      mean[c] /= perChannel;
      for (int i = 0; i < perChannel; i++) {
        var[c] += Math.pow(x[i * channels + c] - mean[c], 2);
      }
      var[c] /= perChannel; // biased, as tf.nn.moments
    }
    double[] expected = new double[x.length];
    for (int i = 0; i < x.length; i++) {
      int c = i % channels;
      expected[i] = (x[i] - mean[c]) / Math.sqrt(var[c] + eps) * gamma[c] + beta[c];
    }
    BatchNormalization bn = new BatchNormalization(momentum, eps);
    try (Graph g = new Graph(); Session s = new Session(g)) {
      Ops tf = Ops.create(g);
      Sequential net = new Sequential("net", Shape.of(hw, hw, channels)).add(bn).build(tf, 1);
      setWeights(tf, s, bn, List.of(gamma, beta, movingMean, movingVar));
      CallContext ctx = CallContext.training(RandomSource.withStepPlaceholder(tf, 1));
      Operand<TFloat32> y = net.call(tf, constant(tf, Shape.of(batch, hw, hw, channels), x), ctx);
      assertClose(expected, run(s, y), TOLERANCE, "batch norm output");
      s.run(tf.withControlDependencies(ctx.stateUpdateOps(tf)).noOp());
      double[] expectedMean = new double[channels], expectedVar = new double[channels];
      for (int c = 0; c < channels; c++) {
        expectedMean[c] = movingMean[c] * momentum + mean[c] * (1 - momentum);
        expectedVar[c] = movingVar[c] * momentum + var[c] * (1 - momentum);
      }
      assertClose(expectedMean, run(s, bn.weights().get(2).as(TFloat32.class)), 1e-6, "moving mean");
      assertClose(expectedVar, run(s, bn.weights().get(3).as(TFloat32.class)), 1e-6, "moving variance");
    }
  }

  @Test
  void batchNormCalledTwiceInOneStepUpdatesMovingMeanTwiceInOrder() {
    // Keras updates the moving statistics on every training call: D(real) then D(fake).
    double momentum = 0.5;
    float[] first = {1f, 3f}, second = {10f, 30f}; // batch of 2, one channel
    BatchNormalization bn = new BatchNormalization(momentum, 1e-3);
    try (Graph g = new Graph(); Session s = new Session(g)) {
      Ops tf = Ops.create(g);
      Sequential net = new Sequential("net", Shape.of(1)).add(bn).build(tf, 1);
      setWeights(tf, s, bn, List.of(new float[] {1f}, new float[] {0f}, new float[] {4f}, new float[] {1f}));
      CallContext ctx = CallContext.training(RandomSource.withStepPlaceholder(tf, 1));
      net.call(tf, constant(tf, Shape.of(2, 1), first), ctx);
      net.call(tf, constant(tf, Shape.of(2, 1), second), ctx);
      s.run(tf.withControlDependencies(ctx.stateUpdateOps(tf)).noOp());
      // 4 -> 4 * 0.5 + 2 * 0.5 = 3 -> 3 * 0.5 + 20 * 0.5 = 11.5
      assertEquals(11.5f, run(s, bn.weights().get(2).as(TFloat32.class))[0], 1e-6);
    }
  }

  @Test
  void batchNormInferenceUsesMovingStatistics() {
    float[] x = {0.5f, -1f, 2f, 4f}; // batch 2, 2 channels
    float[] gamma = {2f, 1f}, beta = {0f, 1f}, mean = {1f, 2f}, var = {4f, 0.25f};
    double eps = 1e-3;
    double[] expected = new double[4];
    for (int i = 0; i < 4; i++) {
      int c = i % 2;
      expected[i] = (x[i] - mean[c]) / Math.sqrt(var[c] + eps) * gamma[c] + beta[c];
    }
    BatchNormalization bn = new BatchNormalization(0.99, eps);
    assertClose(expected, apply(bn, Shape.of(2), x, 2, List.of(gamma, beta, mean, var), false), 1e-6, "inference");
  }

  @Test
  void leakyReluDefaultsToKeras3Slope() {
    float[] x = {-2f, -0.5f, 0f, 3f};
    double[] expected = {-0.6, -0.15, 0, 3};
    assertClose(expected, apply(new LeakyRelu(), Shape.of(4), x, 1, List.of(), false), 1e-7, "leaky relu");
    double[] slope02 = {-0.4, -0.1, 0, 3};
    assertClose(slope02, apply(new LeakyRelu(0.2f), Shape.of(4), x, 1, List.of(), false), 1e-7, "leaky relu 0.2");
  }

  @Test
  void dropoutScalesKeptUnitsAndIsIdentityInInference() {
    int n = 20000;
    float[] x = new float[n];
    java.util.Arrays.fill(x, 1f);
    Dropout dropout = new Dropout(0.3f);
    try (Graph g = new Graph(); Session s = new Session(g)) {
      Ops tf = Ops.create(g);
      Sequential net = new Sequential("net", Shape.of(n)).add(dropout).build(tf, 1);
      Operand<TFloat32> input = constant(tf, Shape.of(1, n), x);
      float[] train = run(s, net.call(tf, input, CallContext.training(RandomSource.withStepPlaceholder(tf, 5))));
      int dropped = 0;
      for (float v : train) {
        if (v == 0f) {
          dropped++;
        } else {
          assertEquals((float) (1.0 / 0.7), v, 1e-6, "a kept unit is scaled by 1 / (1 - rate)");
        }
      }
      double fraction = dropped / (double) n;
      assertTrue(Math.abs(fraction - 0.3) < 0.015, "dropped fraction " + fraction + " should be near 0.3");
      float[] inference = run(s, net.call(tf, input, CallContext.inference()));
      assertClose(toDouble(x), inference, 0, "inference is the identity");
    }
  }

  private static int padBefore(int big, int small, int k, int s, Padding padding) {
    if (padding == Padding.VALID) {
      return 0;
    }
    int total = Math.max((small - 1) * s + k - big, 0);
    return total / 2;
  }

  private static Operand<TFloat32> constant(Ops tf, Shape shape, float[] values) {
    return tf.constant(shape, DataBuffers.of(values, true, false));
  }

  private static void setWeights(Ops tf, Session s, Layer layer, List<float[]> weights) {
    for (int i = 0; i < weights.size(); i++) {
      assign(tf, s, layer.weights().get(i).as(TFloat32.class), weights.get(i));
    }
  }

  /** Builds {@code layer} alone, sets its weights, applies it to x [batch, inShape]. */
  private static float[] apply(Layer layer, Shape inShape, float[] x, int batch, List<float[]> weights, boolean training) {
    try (Graph g = new Graph(); Session s = new Session(g)) {
      Ops tf = Ops.create(g);
      Sequential net = new Sequential("net", inShape).add(layer).build(tf, 1);
      assertEquals(weights.size(), layer.weights().size(), "weights given");
      setWeights(tf, s, layer, weights);
      long[] dims = new long[inShape.numDimensions() + 1];
      dims[0] = batch;
      System.arraycopy(inShape.asArray(), 0, dims, 1, inShape.numDimensions());
      CallContext ctx = training ? CallContext.training(RandomSource.withStepPlaceholder(tf, 1)) : CallContext.inference();
      return run(s, net.call(tf, constant(tf, Shape.of(dims), x), ctx));
    }
  }
}

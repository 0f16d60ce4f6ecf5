package io.jgan.nn;

import static io.jgan.nn.Float64Testing.apply;
import static io.jgan.nn.Float64Testing.build;
import static io.jgan.nn.Float64Testing.buildError;
import static io.jgan.nn.Float64Testing.oneHot;
import static io.jgan.nn.Float64Testing.run;
import static io.jgan.nn.Float64Testing.single;
import static io.jgan.nn.Float64Testing.values;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat64;

/**
 * Embedding, UpSampling2D, ZeroPadding2D and GlobalMaxPooling2D in float64: outputs against index
 * arithmetic written here from Keras's definitions (these layers copy or select values, so the
 * expected numbers are exact and compared exactly), gradients against central differences
 * ({@link GradientCheck}), and the errors for inputs they cannot take.
 */
class ReshapingLayersTest {


  @Test
  void embeddingOfOneHotLabelsIsTheLabelsRowOfTheTable() {
    int classes = 4, dim = 3;
    double[] table = values(classes * dim, 12, 1);
    int[] labels = {2, 0, 3};
    double[] oneHot = oneHot(labels, classes);
    double[] expected = new double[labels.length * dim];
    for (int i = 0; i < labels.length; i++) {
      System.arraycopy(table, labels[i] * dim, expected, i * dim, dim);
    }
    assertArrayEquals(expected, apply(single(new Embedding(classes, dim), Shape.of(classes)), List.of(oneHot),
        List.of(table)), "[batch, classes]");
    // [batch, k, classes]: two examples of three labels each.
    assertArrayEquals(expected3(table, new int[] {1, 1, 0, 3, 2, 1}, dim), apply(single(new Embedding(classes, dim),
        Shape.of(3, classes)), List.of(oneHot(new int[] {1, 1, 0, 3, 2, 1}, classes)), List.of(table)), "[batch, k, classes]");
  }

  private static double[] expected3(double[] table, int[] labels, int dim) {
    double[] out = new double[labels.length * dim];
    for (int i = 0; i < labels.length; i++) {
      System.arraycopy(table, labels[i] * dim, out, i * dim, dim);
    }
    return out;
  }

  @Test
  void embeddingGradientReachesTheTableRowsOfTheLabels() {
    GradientCheck.firstOrder(single(new Embedding(4, 3), Shape.of(2, 4)), List.of(oneHot(new int[] {1, 3, 3, 0}, 4)),
        List.of(values(12, 13, 1)), "embedding");
  }

  @Test
  void embeddingStartsUniformInKerasRangeAndIsTrackedAsKeras3Does() {
    Embedding embedding = new Embedding(50, 40);
    try (Graph g = new Graph(); Session s = new Session(g)) {
      Ops tf = Ops.create(g);
      Sequential net = single(embedding, Shape.of(50));
      net.build(tf, 3, TFloat64.class);
      net.initOps().forEach(s::run);
      Weight table = embedding.weights().get(0);
      assertEquals("embeddings", table.name());
      assertEquals("_embeddings", table.trackableName()); // tf.train.list_variables of a Keras 3.15 model
      assertEquals(Shape.of(50, 40), table.shape());
      double[] initial = run(s, table.as(TFloat64.class).read(tf));
      double min = 1, max = -1, sum = 0;
      for (double v : initial) {
        min = Math.min(min, v);
        max = Math.max(max, v);
        sum += v;
      }
      // 2,000 draws of U(-0.05, 0.05): inside the range, reaching near both ends, mean ~0 (sd of the mean 6.5e-4).
      assertTrue(min >= -0.05 && max < 0.05, min + " .. " + max);
      assertTrue(min < -0.049 && max > 0.049, min + " .. " + max);
      assertTrue(Math.abs(sum / initial.length) < 0.004, "mean " + sum / initial.length);
    }
  }

  @Test
  void embeddingRejectsInputsThatAreNotOneHotRowsOfItsClasses() {
    assertEquals("expected a positive input dimension (number of classes), got 0",
        assertThrows(IllegalArgumentException.class, () -> new Embedding(0, 3)).getMessage());
    assertEquals("expected a positive output dimension, got -1",
        assertThrows(IllegalArgumentException.class, () -> new Embedding(10, -1)).getMessage());
    String error = buildError(single(new Embedding(10, 3), Shape.of(7)));
    assertTrue(error.contains("Embedding expected one-hot labels [10] or [k, 10] (10 classes), got [7]"), error);
    String rank = buildError(single(new Embedding(10, 3), Shape.of(2, 2, 10)));
    assertTrue(rank.contains("got [2, 2, 10]"), rank);
  }

  @Test
  void upSamplingRepeatsEachPixelIntoABlock() {
    int n = 2, h = 2, w = 3, c = 2, rows = 2, cols = 3;
    double[] x = values(n * h * w * c, 14, 1);
    double[] expected = new double[n * h * rows * w * cols * c];
    int i = 0;
    for (int b = 0; b < n; b++) {
      for (int y = 0; y < h * rows; y++) {
        for (int xx = 0; xx < w * cols; xx++) {
          for (int ch = 0; ch < c; ch++) {
            expected[i++] = x[((b * h + y / rows) * w + xx / cols) * c + ch];
          }
        }
      }
    }
    Sequential up = single(new UpSampling2D().size(rows, cols), Shape.of(h, w, c));
    assertArrayEquals(expected, apply(up, List.of(x), List.of()), "size (2, 3)");
    assertEquals(Shape.of(4, 9, 2), up.outputShape());
    Sequential square = single(new UpSampling2D(), Shape.of(1, 1, 1));
    assertArrayEquals(new double[] {5, 5, 5, 5}, apply(square, List.of(new double[] {5}), List.of()), "default (2, 2)");
  }

  @Test
  void upSamplingGradientSumsEachBlockAndCanBeDifferentiatedTwice() {
    // Through a Dense after it: the penalty's gradient with respect to the Dense's kernel then runs
    // through the gradient of upsampling (Tile's: Reshape and Sum), differentiated again.
    List<double[]> x = List.of(values(8, 15, 1));
    List<double[]> weights = List.of(values(16, 16, 1), values(2, 17, 1));
    GradientCheck.firstOrder(upsamplingThenDense(), x, weights, "upsampling");
    GradientCheck.secondOrder(upsamplingThenDense(), x, weights, "upsampling, penalty");
  }

  private static Sequential upsamplingThenDense() {
    return new Sequential("net", Shape.of(2, 2, 1)).add(new UpSampling2D().size(2, 1)).add(new Flatten())
        .add(new Dense(2));
  }

  @Test
  void zeroPaddingSurroundsTheImageWithZeros() {
    int n = 1, h = 2, w = 2, c = 2;
    double[] x = values(n * h * w * c, 18, 1);
    int top = 1, bottom = 0, left = 2, right = 1;
    int oh = top + h + bottom, ow = left + w + right;
    double[] expected = new double[n * oh * ow * c];
    for (int y = 0; y < h; y++) {
      for (int xx = 0; xx < w; xx++) {
        for (int ch = 0; ch < c; ch++) {
          expected[((y + top) * ow + xx + left) * c + ch] = x[(y * w + xx) * c + ch];
        }
      }
    }
    Sequential pad = single(new ZeroPadding2D().heightPadding(top, bottom).widthPadding(left, right), Shape.of(h, w, c));
    assertArrayEquals(expected, apply(pad, List.of(x), List.of()), "((1, 0), (2, 1))");
    assertEquals(Shape.of(3, 5, 2), pad.outputShape());
    assertEquals(Shape.of(4, 4, 2), build(single(new ZeroPadding2D(), Shape.of(h, w, c))).outputShape(), "default 1");
    assertEquals(Shape.of(6, 6, 2), build(single(new ZeroPadding2D(2), Shape.of(h, w, c))).outputShape(), "2");
    GradientCheck.firstOrder(single(new ZeroPadding2D(1), Shape.of(h, w, c)), List.of(x), List.of(), "zero padding");
  }

  @Test
  void zeroPaddingRejectsNegativePaddingAndNonImages() {
    assertEquals("expected a non-negative left padding, got -1",
        assertThrows(IllegalArgumentException.class, () -> new ZeroPadding2D().widthPadding(-1, 0)).getMessage());
    assertEquals("expected a non-negative top padding, got -2",
        assertThrows(IllegalArgumentException.class, () -> new ZeroPadding2D(-2)).getMessage());
    String error = buildError(single(new ZeroPadding2D(), Shape.of(5)));
    assertTrue(error.contains("ZeroPadding2D expected an image input [height, width, channels], got [5]"), error);
  }

  @Test
  void globalMaxPoolingTakesEachChannelsMaximum() {
    int n = 2, h = 3, w = 2, c = 3;
    double[] x = values(n * h * w * c, 19, 1);
    double[] expected = new double[n * c];
    java.util.Arrays.fill(expected, Double.NEGATIVE_INFINITY);
    for (int b = 0; b < n; b++) {
      for (int p = 0; p < h * w; p++) {
        for (int ch = 0; ch < c; ch++) {
          expected[b * c + ch] = Math.max(expected[b * c + ch], x[(b * h * w + p) * c + ch]);
        }
      }
    }
    Sequential pool = single(new GlobalMaxPooling2D(), Shape.of(h, w, c));
    assertArrayEquals(expected, apply(pool, List.of(x), List.of()), "max");
    assertEquals(Shape.of(c), pool.outputShape());
    Sequential kept = single(new GlobalMaxPooling2D().keepDims(), Shape.of(h, w, c));
    assertArrayEquals(expected, apply(kept, List.of(x), List.of()), "keepdims");
    assertEquals(Shape.of(1, 1, c), kept.outputShape());
    // The pseudo-random values are distinct, the maximum of each channel ahead by far more than the step.
    GradientCheck.firstOrder(single(new GlobalMaxPooling2D(), Shape.of(h, w, c)), List.of(x), List.of(), "max pooling");
    String error = buildError(single(new GlobalMaxPooling2D(), Shape.of(4, 4)));
    assertTrue(error.contains("GlobalMaxPooling2D expected an image input [height, width, channels], got [4, 4]"), error);
  }

  @Test
  void layersRefuseConfigurationOnceBuilt() {
    UpSampling2D up = new UpSampling2D();
    build(single(up, Shape.of(2, 2, 1)));
    assertThrows(IllegalStateException.class, () -> up.size(3));
    assertEquals("expected a positive row factor, got 0",
        assertThrows(IllegalArgumentException.class, () -> new UpSampling2D().size(0, 2)).getMessage());
    String error = buildError(single(new UpSampling2D(), Shape.of(4)));
    assertTrue(error.contains("UpSampling2D expected an image input [height, width, channels], got [4]"), error);
  }
}

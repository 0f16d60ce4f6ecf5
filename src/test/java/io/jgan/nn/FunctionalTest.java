package io.jgan.nn;

import static io.jgan.nn.Float64Testing.assertClose;
import static io.jgan.nn.Float64Testing.values;
import static io.jgan.nn.Float64Testing.apply;
import static io.jgan.nn.Float64Testing.oneHot;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jgan.store.Checkpoint;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.GraphOperation;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TFloat64;

/**
 * The functional network: wiring (a U-Net skip connection, two inputs, a shared layer) against the
 * same computation written out by hand in float64, Keras 3's numbering of its layers and the
 * checkpoint keys it gives, and the errors of a graph that cannot be built.
 *
 * <p>The four models here are also built in Keras 3.15 (TensorFlow 2.18); the expected
 * {@code _operations} order and checkpoint keys are what {@code [op.name for op in model._operations]}
 * and {@code tf.train.list_variables} printed for a {@code tf.train.Checkpoint(generator=model)}.
 */
class FunctionalTest {
  private static final double TOLERANCE = 1e-14;

  /** Keras: x = Input((4, 4, 2)); a = Conv2D(3, 1, padding="same")(x); b = Conv2D(2, 1, strides=2)(a);
   * u = UpSampling2D()(b); c = Concatenate()([u, a]); Conv2D(1, 1, activation="tanh")(c). */
  private static Functional uNet() {
    Functional.Builder f = Functional.builder("generator");
    Functional.Node images = f.input("images", Shape.of(4, 4, 2));
    Functional.Node a = f.apply(new Conv2d(3, 1).padding(Padding.SAME), images); // [4, 4, 3]
    Functional.Node b = f.apply(new Conv2d(2, 1).strides(2), a);                 // [2, 2, 2]
    Functional.Node u = f.apply(new UpSampling2D(), b);                          // [4, 4, 2]
    Functional.Node c = f.apply(new Concatenate(), u, a);                        // [4, 4, 5]
    return f.output(f.apply(new Conv2d(1, 1).activation(Activation.TANH), c));   // [4, 4, 1]
  }

  @Test
  void uNetSkipConnectionMatchesTheComputationByHand() {
    int n = 2, s = 4;
    double[] x = values(n * s * s * 2, 1, 1);
    double[] k1 = values(2 * 3, 2, 1), b1 = values(3, 3, 0.5), k2 = values(3 * 2, 4, 1), b2 = values(2, 5, 0.5),
        k3 = values(5, 6, 1), b3 = values(1, 7, 0.5);
    double[] expected = new double[n * s * s];
    for (int e = 0; e < n; e++) {
      double[][] a = new double[s * s][3];
      for (int p = 0; p < s * s; p++) {
        for (int j = 0; j < 3; j++) {
          a[p][j] = b1[j] + x[(e * s * s + p) * 2] * k1[j] + x[(e * s * s + p) * 2 + 1] * k1[3 + j];
        }
      }
      for (int y = 0; y < s; y++) {
        for (int xx = 0; xx < s; xx++) {
          // The stride-2 1x1 convolution reads pixel (2i, 2j); upsampling copies it to its 2x2 block.
          double[] source = a[(y / 2 * 2) * s + xx / 2 * 2];
          double[] c = new double[5];
          for (int k = 0; k < 2; k++) {
            c[k] = b2[k] + source[0] * k2[k] + source[1] * k2[2 + k] + source[2] * k2[4 + k];
          }
          System.arraycopy(a[y * s + xx], 0, c, 2, 3);
          double sum = b3[0];
          for (int m = 0; m < 5; m++) {
            sum += c[m] * k3[m];
          }
          expected[e * s * s + y * s + xx] = Math.tanh(sum);
        }
      }
    }
    Functional net = uNet();
    assertClose(expected, apply(net, List.of(x), List.of(k1, b1, k2, b2, k3, b3)), TOLERANCE, "u-net");
    assertEquals(Shape.of(4, 4, 1), net.outputShape());
  }

  @Test
  void eachApplicationIsEvaluatedOncePerCall() {
    // The first convolution feeds both the downsampling path and the skip connection.
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      Functional net = uNet().build(tf, 1);
      net.call(tf, tf.placeholder(TFloat32.class), CallContext.inference());
      int convolutions = 0;
      for (Iterator<GraphOperation> it = g.operations(); it.hasNext(); ) {
        convolutions += it.next().type().equals("Conv2D") ? 1 : 0;
      }
      assertEquals(3, convolutions);
    }
  }

  @Test
  void theClassCommentsExampleBuildsAndRuns() {
    // Functional's class comment, as written there (a conditional generator with a skip connection).
    try (Graph g = new Graph(); org.tensorflow.Session session = new org.tensorflow.Session(g)) {
      Ops tf = Ops.create(g);
      Functional.Builder f = Functional.builder("generator");
      Functional.Node latents = f.input("latents", Shape.of(100));
      Functional.Node labels = f.input("labels", Shape.of(10));                 // one-hot
      Functional.Node h = f.apply(new Concatenate(), latents, labels);          // [110]
      h = f.apply(new Dense(7 * 7 * 64), h);                                    // [3136]
      h = f.apply(new Reshape(7, 7, 64), h);                                    // [7, 7, 64]
      Functional.Node skip = h;
      h = f.apply(new Conv2d(64, 3).padding(Padding.SAME).activation(Activation.RELU), h);
      h = f.apply(new Concatenate(), h, skip);                                  // [7, 7, 128]
      h = f.apply(new UpSampling2D(), h);                                       // [14, 14, 128]
      h = f.apply(new Conv2d(1, 3).padding(Padding.SAME).activation(Activation.TANH), h);
      Functional generator = f.output(h).build(tf, 42);                         // [14, 14, 1]
      Operand<TFloat32> z = tf.zeros(tf.constant(new long[] {2, 100}), TFloat32.class);
      Operand<TFloat32> y = tf.zeros(tf.constant(new long[] {2, 10}), TFloat32.class);
      Operand<TFloat32> images = generator.call(tf, List.of(z, y), CallContext.inference());
      generator.initOps().forEach(session::run);
      assertEquals(Shape.of(14, 14, 1), generator.outputShape());
      assertEquals(List.of(2L, 14L, 14L, 1L), java.util.Arrays.stream(Float64Testing.shapeOf(session, images)).boxed()
          .toList());
    }
  }

  /** Keras: z = Input((4,)); y = Input((4,)); shared = Dense(5); h = Concatenate()([shared(z), shared(y)]);
   * h = LayerNormalization()(h); Dense(2)(h). */
  private static Functional sharedDense(Dense shared) {
    Functional.Builder f = Functional.builder("generator");
    Functional.Node latents = f.input("latents", Shape.of(4));
    Functional.Node labels = f.input("labels", Shape.of(4));
    Functional.Node h = f.apply(new Concatenate(), f.apply(shared, latents), f.apply(shared, labels)); // [10]
    h = f.apply(new LayerNormalization(), h);
    return f.output(f.apply(new Dense(2), h));
  }

  @Test
  void aSharedLayerHasOneSetOfWeightsAndItsGradientSumsBothApplications() {
    Dense shared = new Dense(5);
    Functional net = sharedDense(shared);
    double[] z = values(8, 11, 1), y = values(8, 12, 1), k = values(20, 13, 1), b = values(5, 14, 0.5),
        gamma = values(10, 15, 2), beta = values(10, 16, 1), k2 = values(20, 17, 1), b2 = values(2, 18, 0.5);
    double[] expected = new double[4];
    for (int e = 0; e < 2; e++) {
      double[] h = new double[10];
      for (int j = 0; j < 5; j++) {
        h[j] = b[j];
        h[5 + j] = b[j];
        for (int i = 0; i < 4; i++) {
          h[j] += z[e * 4 + i] * k[i * 5 + j];
          h[5 + j] += y[e * 4 + i] * k[i * 5 + j];
        }
      }
      double mean = 0, var = 0;
      for (double v : h) {
        mean += v / 10;
      }
      for (double v : h) {
        var += (v - mean) * (v - mean) / 10;
      }
      for (int o = 0; o < 2; o++) {
        double sum = b2[o];
        for (int j = 0; j < 10; j++) {
          sum += ((h[j] - mean) / Math.sqrt(var + 1e-3) * gamma[j] + beta[j]) * k2[j * 2 + o];
        }
        expected[e * 2 + o] = sum;
      }
    }
    List<double[]> weights = List.of(k, b, gamma, beta, k2, b2);
    assertClose(expected, apply(net, List.of(z, y), weights), 1e-13, "shared dense");
    List<Weight> all = net.weights();
    assertEquals(List.of("kernel", "bias", "gamma", "beta", "kernel", "bias"), all.stream().map(Weight::name).toList(),
        "the shared Dense once");
    assertSame(shared.weights().get(0), all.get(0));
    assertEquals(6, net.initOps().size(), "one variable per weight");
    GradientCheck.firstOrder(sharedDense(new Dense(5)), List.of(z, y), weights, "shared dense");
  }

  /** Keras: z = Input((4,)); y = Input((), dtype="int32"); e = Embedding(3, 2)(y);
   * Dense(2)(Concatenate()([z, e])). Labels come one-hot here. */
  private static Functional conditional(Embedding embedding, Concatenate concatenate, Dense dense) {
    Functional.Builder f = Functional.builder("generator");
    Functional.Node latents = f.input("latents", Shape.of(4));
    Functional.Node labels = f.input("labels", Shape.of(3));
    Functional.Node h = f.apply(concatenate, latents, f.apply(embedding, labels));
    return f.output(f.apply(dense, h));
  }

  @Test
  void twoInputsAreTakenInDeclarationOrderAndNumberedAsKerasNumbersThem() {
    Embedding embedding = new Embedding(3, 2);
    Concatenate concatenate = new Concatenate();
    Dense dense = new Dense(2);
    Functional net = conditional(embedding, concatenate, dense);
    double[] z = values(8, 21, 1), table = values(6, 22, 1), k = values(12, 23, 1), b = values(2, 24, 0.5);
    int[] labels = {2, 0};
    double[] expected = new double[4];
    for (int e = 0; e < 2; e++) {
      double[] h = {z[e * 4], z[e * 4 + 1], z[e * 4 + 2], z[e * 4 + 3], table[labels[e] * 2], table[labels[e] * 2 + 1]};
      for (int o = 0; o < 2; o++) {
        double sum = b[o];
        for (int j = 0; j < 6; j++) {
          sum += h[j] * k[j * 2 + o];
        }
        expected[e * 2 + o] = sum;
      }
    }
    assertClose(expected, apply(net, List.of(z, oneHot(labels, 3)), List.of(table, k, b)), TOLERANCE, "conditional");
    assertEquals(List.of("latents", "labels"), net.inputNames());
    assertEquals(List.of(Shape.of(4), Shape.of(3)), net.inputShapes());
    // Keras: ['labels', 'latents', 'embedding', 'concatenate', 'dense'].
    assertEquals(0, net.indexOfInput("labels"));
    assertEquals(1, net.indexOfInput("latents"));
    assertEquals(2, net.indexOf(embedding));
    assertEquals(3, net.indexOf(concatenate));
    assertEquals(4, net.indexOf(dense));
    String summary = net.summary();
    assertTrue(summary.startsWith("generator (inputs latents [4], labels [3])"), summary);
    assertTrue(summary.contains("   2 Embedding           [2]                       6  input_dim=3, output_dim=2  <- 0"),
        summary);
    assertTrue(summary.contains("   3 Concatenate         [6]                       0  axis=-1  <- 1, 2"), summary);
    assertTrue(summary.contains("  total parameters: 20"), summary);
  }

  @Test
  void inputsOfTheWrongCountShapeOrTypeAreRefused() {
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      Functional net = conditional(new Embedding(3, 2), new Concatenate(), new Dense(2)).build(tf, 1);
      Operand<TFloat32> latents = tf.zeros(tf.constant(new long[] {2, 4}), TFloat32.class);
      Operand<TFloat32> labels = tf.zeros(tf.constant(new long[] {2, 3}), TFloat32.class);
      CallContext ctx = CallContext.inference();
      assertEquals("generator: expected 2 inputs [latents, labels], got 1",
          assertThrows(IllegalArgumentException.class, () -> net.call(tf, List.of(latents), ctx)).getMessage());
      assertEquals("generator input 'latents': expected [batch, 4], got [2, 3]",
          assertThrows(IllegalArgumentException.class, () -> net.call(tf, List.of(labels, latents), ctx)).getMessage());
      Operand<TFloat64> wide = tf.zeros(tf.constant(new long[] {2, 4}), TFloat64.class);
      Operand<TFloat64> narrow = tf.zeros(tf.constant(new long[] {2, 3}), TFloat64.class);
      assertEquals("generator input 'latents': expected a float32 input, got TFloat64",
          assertThrows(IllegalArgumentException.class, () -> net.call(tf, List.of(wide, narrow), ctx)).getMessage());
    }
  }

  /** Keras: z = Input((4,)); y = Input((3,)); e = Dense(6)(Dense(6)(y)); Dense(2)(Concatenate()([z, e])). */
  private static Functional deepLabels() {
    Functional.Builder f = Functional.builder("generator");
    Functional.Node latents = f.input("latents", Shape.of(4));
    Functional.Node labels = f.input("labels", Shape.of(3));
    Functional.Node e = f.apply(new Dense(6), f.apply(new Dense(6), labels));
    return f.output(f.apply(new Dense(2), f.apply(new Concatenate(), latents, e)));
  }

  @Test
  void checkpointKeysAreThoseKeras3WritesForTheSameModels() {
    String v = "/.ATTRIBUTES/VARIABLE_VALUE";
    assertEquals(keys(v, "2/_kernel", "2/bias", "4/beta", "4/gamma", "5/_kernel", "5/bias"),
        checkpointKeys(sharedDense(new Dense(5))), "shared Dense: latents 0, labels 1, dense 2, concatenate 3, "
            + "layer_normalization 4, dense_1 5");
    assertEquals(keys(v, "1/_kernel", "1/bias", "3/_kernel", "3/bias", "5/_kernel", "5/bias"),
        checkpointKeys(deepLabels()), "labels 0, dense 1, latents 2, dense 3, concatenate 4, dense 5");
    assertEquals(keys(v, "2/_embeddings", "4/_kernel", "4/bias"),
        checkpointKeys(conditional(new Embedding(3, 2), new Concatenate(), new Dense(2))),
        "labels 0, latents 1, embedding 2, concatenate 3, dense 4");
    assertEquals(keys(v, "1/_kernel", "1/bias", "2/_kernel", "2/bias", "5/_kernel", "5/bias"), checkpointKeys(uNet()),
        "images 0, conv2d 1, conv2d_1 2, up_sampling2d 3, concatenate 4, conv2d_2 5");
  }

  private static Set<String> keys(String suffix, String... paths) {
    Set<String> out = new TreeSet<>();
    for (String p : paths) {
      out.add("generator/_operations/" + p + suffix);
    }
    return out;
  }

  private static Set<String> checkpointKeys(Functional net) {
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      net.build(tf, 1);
      Set<String> out = new TreeSet<>();
      for (String key : new Checkpoint(tf, Map.of("generator", net), List.of(), List.of()).keys()) {
        if (key.startsWith("generator/")) {
          out.add(key);
        }
      }
      return out;
    }
  }

  @Test
  void aBuildErrorNamesTheLayerItsKerasIndexAndTheShapes() {
    Functional.Builder f = Functional.builder("generator");
    Functional.Node latents = f.input("latents", Shape.of(4));
    Functional.Node image = f.input("image", Shape.of(2, 2));
    Functional net = f.output(f.apply(new Concatenate(), f.apply(new Dense(3), latents), image));
    // Keras order: latents (depth 2), dense and image (depth 1, in walk order), concatenate (0).
    assertEquals("generator layer 3 (Concatenate) on input shapes [[3], [2, 2]]: Concatenate expected inputs of equal "
        + "shapes except on axis -1, got [[3], [2, 2]]", buildError(net));

    Functional.Builder f2 = Functional.builder("generator");
    Dense shared = new Dense(2);
    Functional.Node a = f2.apply(shared, f2.input("latents", Shape.of(4)));
    Functional.Node b = f2.apply(shared, f2.input("labels", Shape.of(3)));
    assertEquals("generator layer 2 (Dense) on input shapes [[3]]: a shared layer expected the input shapes of its "
        + "first application [[4]], got [[3]]", buildError(f2.output(f2.apply(new Add(), a, b))));
  }

  @Test
  void theBuilderRefusesDanglingBranchesForeignNodesAndLateChanges() {
    Functional.Builder f = Functional.builder("generator");
    Functional.Node latents = f.input("latents", Shape.of(4));
    f.input("labels", Shape.of(3));
    assertEquals("generator: expected every input and layer application to lead to the output, got input 'labels' unused",
        assertThrows(IllegalArgumentException.class, () -> f.output(f.apply(new Dense(2), latents))).getMessage());

    Functional.Builder f2 = Functional.builder("generator");
    Functional.Node x = f2.input("latents", Shape.of(4));
    f2.apply(new Dense(3), x);
    Functional.Node y = f2.apply(new Dense(2), x);
    assertEquals("generator: expected every input and layer application to lead to the output, got Dense (application 2) "
        + "unused", assertThrows(IllegalArgumentException.class, () -> f2.output(y)).getMessage());
    assertThrows(IllegalStateException.class, () -> f2.apply(new Dense(1), y));

    Functional.Builder other = Functional.builder("discriminator");
    Functional.Node foreign = other.input("images", Shape.of(2));
    Functional.Builder f3 = Functional.builder("generator");
    assertEquals("generator: expected a node of this builder, got input 'images' of discriminator's builder",
        assertThrows(IllegalArgumentException.class, () -> f3.apply(new Dense(1), foreign)).getMessage());
    f3.input("latents", Shape.of(4));
    assertEquals("generator: expected a new input name, got 'latents' again",
        assertThrows(IllegalArgumentException.class, () -> f3.input("latents", Shape.of(2))).getMessage());
    assertEquals("generator input 'noise': expected a shape of positive sizes, got [0, 3]",
        assertThrows(IllegalArgumentException.class, () -> f3.input("noise", Shape.of(0, 3))).getMessage());
  }

  private static String buildError(Functional net) {
    try (Graph g = new Graph()) {
      return assertThrows(IllegalArgumentException.class, () -> net.build(Ops.create(g), 1)).getMessage();
    }
  }

  @Test
  void summaryListsEveryApplicationOfASharedLayer() {
    try (Graph g = new Graph()) {
      Functional net = sharedDense(new Dense(5)).build(Ops.create(g), 1);
      String summary = net.summary();
      assertTrue(summary.contains("   2 Dense               [5]                      25  units=5  <- 0; 1"), summary);
      assertTrue(summary.contains("   3 Concatenate         [10]                      0  axis=-1  <- 2[0], 2[1]"), summary);
      List<String> kinds = new ArrayList<>();
      summary.lines().skip(1).limit(6).forEach(l -> kinds.add(l.trim().split("\\s+")[1]));
      assertEquals(List.of("InputLayer", "InputLayer", "Dense", "Concatenate", "LayerNormalization", "Dense"), kinds);
    }
  }
}

package io.jgan.parity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.jgan.nn.Activation;
import io.jgan.nn.ActivationLayer;
import io.jgan.nn.Add;
import io.jgan.nn.CallContext;
import io.jgan.nn.Concatenate;
import io.jgan.nn.Conv2d;
import io.jgan.nn.Dense;
import io.jgan.nn.Embedding;
import io.jgan.nn.Functional;
import io.jgan.nn.GlobalMaxPooling2D;
import io.jgan.nn.Layer;
import io.jgan.nn.LayerNormalization;
import io.jgan.nn.LeakyRelu;
import io.jgan.nn.MergeLayer;
import io.jgan.nn.Padding;
import io.jgan.nn.Tape;
import io.jgan.nn.UpSampling2D;
import io.jgan.nn.Weight;
import io.jgan.nn.ZeroPadding2D;
import io.jgan.store.Checkpoint;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat64;

/**
 * The layers of {@code io.jgan.nn} added for functional networks, and {@link Functional} itself,
 * against Keras 3 ({@code scripts/parity/keras_layers.py}, TensorFlow 2.18, Keras 3.15): each new
 * layer alone in several configurations, and three small functional networks (a U-Net with a skip
 * connection, a conditional generator with two inputs, an Embedding and a shared Dense, a critic
 * ending in GlobalMaxPooling2D), on the same inputs and weights. The outputs and the gradients of
 * {@code sum(y * r)} with respect to every float input and every weight must agree to
 * {@value #TOLERANCE} relative to max(1, |value|) in float64 (the two sides run the same TensorFlow
 * kernels, mostly in the same order, so they differ by a few ulps; a wrong convention, such as a
 * biased variance, a slope, an epsilon or a padding side, is off by far more).
 *
 * <p>The networks' weights go to Python in a checkpoint that Java writes and Keras restores into
 * its own model (every Keras variable must be matched), so the checkpoint layout is checked too; the
 * checkpoint keys of a checkpoint Keras writes for its model must be Java's, and its
 * {@code model._operations} must list the layer kinds in Java's order. Thirty random graphs of
 * Dense (often shared) and Add layers check that {@link Functional} numbers layers exactly as
 * Keras's {@code map_graph} does.
 *
 * <p>As {@link ParityTest}: skipped loudly when the pinned Python cannot be installed, a failure
 * when {@value ParityTest#REQUIRE} is set (CI).
 */
class KerasLayersParityTest {
  static final double TOLERANCE = 1e-12;
  static final int GRAPHS = 30;

  /** A layer (or network) computed on both sides. */
  private record Case(String name, String kerasClass, JsonObject config, Functional net, List<double[]> inputs,
      List<Boolean> labels, List<double[]> weights) {}

  /** What Java computed for a case: output and gradients (inputs then weights). */
  private record Computed(double[] y, List<double[]> inputGradients, List<double[]> weightGradients) {}

  @Test
  void newLayersAndFunctionalNetworksMatchKeras3(@TempDir Path work) throws Exception {
    List<Case> cases = layerCases();
    JsonObject spec = new JsonObject();
    JsonArray caseSpecs = new JsonArray();
    Map<String, Computed> java = new LinkedHashMap<>();
    for (Case c : cases) {
      java.put(c.name, compute(work, c, null));
      JsonObject s = new JsonObject();
      s.addProperty("name", c.name);
      s.addProperty("class", c.kerasClass);
      s.add("config", c.config);
      s.addProperty("merge", c.inputs.size() > 1 || c.kerasClass.equals("Concatenate") || c.kerasClass.equals("Add"));
      s.add("inputs", inputSpecs(c));
      JsonArray weights = new JsonArray();
      for (int j = 0; j < c.weights.size(); j++) {
        weights.add(c.name + "_w" + j + ".npy");
      }
      s.add("weights", weights);
      s.addProperty("r", c.name + "_r.npy");
      caseSpecs.add(s);
    }
    spec.add("cases", caseSpecs);

    JsonArray modelSpecs = new JsonArray();
    Map<String, Case> models = new LinkedHashMap<>();
    Map<String, List<String>> javaKeys = new HashMap<>();
    Map<String, List<String>> javaKinds = new HashMap<>();
    for (Case m : modelCases()) {
      models.put(m.name, m);
      List<String> keys = new ArrayList<>();
      java.put(m.name, compute(work, m, keys));
      javaKeys.put(m.name, keys);
      javaKinds.put(m.name, kinds(m.net));
      JsonObject s = new JsonObject();
      s.addProperty("name", m.name);
      s.addProperty("checkpoint", "java-" + m.name);
      s.add("inputs", inputSpecs(m));
      s.addProperty("r", m.name + "_r.npy");
      modelSpecs.add(s);
    }
    spec.add("models", modelSpecs);

    List<Functional> graphs = new ArrayList<>();
    List<Map<Object, String>> graphIds = new ArrayList<>();
    JsonArray graphSpecs = new JsonArray();
    for (int g = 0; g < GRAPHS; g++) {
      Map<Object, String> ids = new HashMap<>();
      graphSpecs.add(randomGraph(new Random(g), ids, graphs));
      graphIds.add(ids);
    }
    spec.add("graphs", graphSpecs);
    Files.writeString(work.resolve("spec.json"), spec.toString(), StandardCharsets.UTF_8);

    JsonObject python = runPython(work);
    List<String> rows = new ArrayList<>();
    for (Case c : cases) {
      compareOutputs(rows, work, c, java.get(c.name));
    }
    JsonObject pythonModels = python.getAsJsonObject("models");
    for (Case m : models.values()) {
      compareOutputs(rows, work, m, java.get(m.name));
      JsonObject p = pythonModels.getAsJsonObject(m.name);
      List<String> pythonKeys = strings(p.getAsJsonArray("keys"));
      boolean keysMatch = new TreeSet<>(pythonKeys).equals(new TreeSet<>(javaKeys.get(m.name)));
      rows.add(String.format(Locale.ROOT, "%-36s %d keys, Keras's %d %s", m.name + " checkpoint keys",
          javaKeys.get(m.name).size(), pythonKeys.size(), keysMatch ? "PASS" : "FAIL\n  java   " + new TreeSet<>(
              javaKeys.get(m.name)) + "\n  python " + pythonKeys));
      List<String> pythonKinds = strings(p.getAsJsonArray("kinds"));
      rows.add(String.format(Locale.ROOT, "%-36s %s %s", m.name + " operations", javaKinds.get(m.name),
          pythonKinds.equals(javaKinds.get(m.name)) ? "PASS" : "FAIL (Keras: " + pythonKinds + ")"));
    }
    JsonArray orders = python.getAsJsonArray("graphs");
    int agreeing = 0;
    for (int g = 0; g < GRAPHS; g++) {
      List<String> expected = strings(orders.get(g).getAsJsonArray());
      List<String> ours = javaOrder(graphs.get(g), graphIds.get(g));
      if (expected.equals(ours)) {
        agreeing++;
      } else {
        rows.add("graph " + g + " layer order FAIL\n  java   " + ours + "\n  python " + expected);
      }
    }
    rows.add(String.format(Locale.ROOT, "%-36s %d of %d %s", "random graphs' layer order", agreeing, GRAPHS,
        agreeing == GRAPHS ? "PASS" : "FAIL"));
    rows.forEach(System.out::println);
    rows.stream().filter(r -> r.contains("FAIL")).findFirst().ifPresent(r -> fail(String.join("\n", rows)));
    assertEquals(cases.size() + models.size(), java.size());
  }

  /** Each new layer alone, in Keras's defaults and in other configurations. */
  private static List<Case> layerCases() {
    List<Case> cases = new ArrayList<>();
    cases.add(merge("concatenate", new Concatenate(), "Concatenate", "{}", Shape.of(2, 3), Shape.of(2, 1)));
    cases.add(merge("concatenate_axis1", new Concatenate().axis(1), "Concatenate", "{\"axis\": 1}", Shape.of(2, 3),
        Shape.of(1, 3), Shape.of(3, 3)));
    cases.add(merge("add", new Add(), "Add", "{}", Shape.of(2, 2), Shape.of(2, 2), Shape.of(2, 2)));
    cases.add(single("embedding", new Embedding(5, 3), "Embedding", "{\"input_dim\": 5, \"output_dim\": 3}",
        Shape.of(5), true, List.of(Shape.of(5, 3))));
    cases.add(single("embedding_k", new Embedding(4, 2), "Embedding", "{\"input_dim\": 4, \"output_dim\": 2}",
        Shape.of(3, 4), true, List.of(Shape.of(4, 2))));
    cases.add(single("upsampling", new UpSampling2D(), "UpSampling2D", "{}", Shape.of(2, 3, 2), false, List.of()));
    cases.add(single("upsampling_2x3", new UpSampling2D().size(2, 3), "UpSampling2D", "{\"size\": [2, 3]}",
        Shape.of(2, 2, 1), false, List.of()));
    cases.add(single("zero_padding", new ZeroPadding2D(), "ZeroPadding2D", "{}", Shape.of(2, 3, 2), false, List.of()));
    cases.add(single("zero_padding_sides", new ZeroPadding2D().heightPadding(1, 0).widthPadding(2, 3), "ZeroPadding2D",
        "{\"padding\": [[1, 0], [2, 3]]}", Shape.of(2, 2, 1), false, List.of()));
    cases.add(single("global_max", new GlobalMaxPooling2D(), "GlobalMaxPooling2D", "{}", Shape.of(3, 2, 4), false,
        List.of()));
    cases.add(single("global_max_keepdims", new GlobalMaxPooling2D().keepDims(), "GlobalMaxPooling2D",
        "{\"keepdims\": true}", Shape.of(2, 2, 3), false, List.of()));
    cases.add(single("layer_norm", new LayerNormalization(), "LayerNormalization", "{}", Shape.of(6), false,
        List.of(Shape.of(6), Shape.of(6))));
    cases.add(single("layer_norm_axes", new LayerNormalization().axis(1, 2).epsilon(0.01), "LayerNormalization",
        "{\"axis\": [1, 2], \"epsilon\": 0.01}", Shape.of(2, 3, 2), false, List.of(Shape.of(2, 3), Shape.of(2, 3))));
    cases.add(single("layer_norm_no_center", new LayerNormalization().axis(-2).noCenter(), "LayerNormalization",
        "{\"axis\": -2, \"center\": false}", Shape.of(3, 4), false, List.of(Shape.of(3))));
    cases.add(single("layer_norm_no_scale", new LayerNormalization().noScale(), "LayerNormalization",
        "{\"scale\": false}", Shape.of(2, 5), false, List.of(Shape.of(5))));
    for (Activation a : Activation.values()) {
      cases.add(single("activation_" + a, new ActivationLayer(a), "Activation", "{\"activation\": \"" + a + "\"}",
          Shape.of(3, 4), false, List.of()));
    }
    return cases;
  }

  /** The networks of keras_layers.py's MODELS, here as Functional networks. */
  private static List<Case> modelCases() {
    List<Case> models = new ArrayList<>();
    Functional.Builder u = Functional.builder("generator");
    Functional.Node images = u.input("images", Shape.of(8, 8, 3));
    Functional.Node a = u.apply(new LeakyRelu(0.2f), u.apply(new Conv2d(4, 3).padding(Padding.SAME), images)); // [8, 8, 4]
    Functional.Node b = u.apply(new Conv2d(8, 4).strides(2), u.apply(new ZeroPadding2D(1), a));              // [4, 4, 8]
    Functional.Node c = u.apply(new Concatenate(), u.apply(new UpSampling2D(), b), a);                       // [8, 8, 12]
    Functional.Node n = u.apply(new LayerNormalization(), c);
    Functional unet = u.output(u.apply(new Conv2d(3, 1).activation(Activation.TANH), n));                   // [8, 8, 3]
    models.add(model("unet", unet, List.of(Shape.of(8, 8, 3)), List.of(false)));

    Functional.Builder g = Functional.builder("generator");
    Functional.Node latents = g.input("latents", Shape.of(6));
    Functional.Node labels = g.input("labels", Shape.of(3));
    Functional.Node e = g.apply(new Embedding(3, 6), labels);
    Dense shared = new Dense(5).activation(Activation.TANH);
    Functional.Node s = g.apply(new Add(), g.apply(shared, latents), g.apply(shared, e));
    Functional.Node h = g.apply(Activation.GELU.layer(), g.apply(new Concatenate(), s, latents));
    Functional conditional = g.output(g.apply(new Dense(2), h));
    models.add(model("conditional", conditional, List.of(Shape.of(6), Shape.of(3)), List.of(false, true)));

    Functional.Builder d = Functional.builder("generator");
    Functional.Node x = d.input("images", Shape.of(8, 8, 3));
    Functional.Node f = d.apply(new LeakyRelu(0.2f), d.apply(new Conv2d(4, 3).strides(2).padding(Padding.SAME), x));
    Functional critic = d.output(d.apply(new Dense(1), d.apply(new GlobalMaxPooling2D(), f)));
    models.add(model("critic", critic, List.of(Shape.of(8, 8, 3)), List.of(false)));
    return models;
  }

  private static Case model(String name, Functional net, List<Shape> examples, List<Boolean> labels) {
    return new Case(name, null, null, net, inputs(name, examples, labels), labels, null);
  }

  private static Case single(String name, Layer layer, String kerasClass, String config, Shape example, boolean labels,
      List<Shape> weightShapes) {
    Functional.Builder f = Functional.builder("net");
    Functional net = f.output(f.apply(layer, f.input("x", example)));
    return new Case(name, kerasClass, JsonParser.parseString(config).getAsJsonObject(), net,
        inputs(name, List.of(example), List.of(labels)), List.of(labels), weights(name, weightShapes));
  }

  private static Case merge(String name, MergeLayer layer, String kerasClass, String config, Shape... examples) {
    Functional.Builder f = Functional.builder("net");
    List<Functional.Node> nodes = new ArrayList<>();
    List<Boolean> labels = new ArrayList<>();
    for (int i = 0; i < examples.length; i++) {
      nodes.add(f.input("x" + i, examples[i]));
      labels.add(false);
    }
    return new Case(name, kerasClass, JsonParser.parseString(config).getAsJsonObject(), f.output(f.apply(layer, nodes)),
        inputs(name, List.of(examples), labels), labels, List.of());
  }

  /** A batch of 3 examples per input: values in [-2, 2] (distinct, so maxima are never tied), or one-hot rows. */
  private static List<double[]> inputs(String name, List<Shape> examples, List<Boolean> labels) {
    List<double[]> out = new ArrayList<>();
    for (int i = 0; i < examples.size(); i++) {
      int n = (int) (3 * examples.get(i).size());
      if (labels.get(i)) {
        int classes = (int) examples.get(i).get(examples.get(i).numDimensions() - 1);
        double[] oneHot = new double[n];
        for (int row = 0; row < n / classes; row++) {
          oneHot[row * classes + (row * 7 + name.length()) % classes] = 1;
        }
        out.add(oneHot);
      } else {
        out.add(values(n, name.hashCode() + 31L * i, 2));
      }
    }
    return out;
  }

  private static List<double[]> weights(String name, List<Shape> shapes) {
    List<double[]> out = new ArrayList<>();
    for (int j = 0; j < shapes.size(); j++) {
      out.add(values((int) shapes.get(j).size(), name.hashCode() + 1000L + j, 1));
    }
    return out;
  }

  /**
   * Builds the case in float64, sets its weights (the given ones, or pseudo-random ones for a
   * network), computes y and the gradients of sum(y * r), and writes what Python needs; with
   * {@code keys}, also writes the network's checkpoint and lists its keys there.
   */
  private static Computed compute(Path work, Case c, List<String> keys) {
    try (Graph g = new Graph(); Session s = new Session(g)) {
      Ops tf = Ops.create(g);
      Functional net = c.net;
      net.build(tf, 1, TFloat64.class);
      List<Weight> weights = net.weights();
      List<double[]> values = c.weights != null ? c.weights : new ArrayList<>();
      if (c.weights == null) {
        for (int j = 0; j < weights.size(); j++) {
          values.add(values((int) weights.get(j).shape().size(), c.name.hashCode() + 2000L + j, 0.7));
        }
      }
      assertEquals(weights.size(), values.size(), c.name + ": weights");
      for (int j = 0; j < weights.size(); j++) {
        s.run(weights.get(j).as(TFloat64.class).assign(tf, constant(tf, weights.get(j).shape(), values.get(j))));
        if (keys == null) {
          Npy.write(work.resolve(c.name + "_w" + j + ".npy"), weights.get(j).shape().asArray(), values.get(j));
        }
      }
      List<Operand<TFloat64>> xs = new ArrayList<>();
      for (int i = 0; i < c.inputs.size(); i++) {
        Shape shape = withBatch(net.inputShapes().get(i), c.inputs.get(i).length);
        xs.add(constant(tf, shape, c.inputs.get(i)));
        Npy.write(work.resolve(c.name + "_x" + i + ".npy"), shape.asArray(), c.inputs.get(i));
      }
      CallContext ctx = CallContext.inference();
      Operand<TFloat64> y = net.call(tf, xs, ctx);
      Shape yShape = withBatch(net.outputShape(), 3 * net.outputShape().size());
      double[] r = values((int) yShape.size(), c.name.hashCode() + 3000L, 1);
      Npy.write(work.resolve(c.name + "_r.npy"), yShape.asArray(), r);
      Operand<TFloat64> loss = tf.sum(tf.math.mul(y, constant(tf, yShape, r)),
          tf.range(tf.constant(0), tf.rank(y), tf.constant(1)));
      List<Operand<TFloat64>> wrt = new ArrayList<>();
      for (int i = 0; i < xs.size(); i++) {
        if (!c.labels.get(i)) {
          wrt.add(xs.get(i));
        }
      }
      int floatInputs = wrt.size();
      weights.forEach(w -> wrt.add(ctx.read(tf, w, TFloat64.class)));
      List<Operand<TFloat64>> grads = Tape.gradients(tf, loss, wrt, TFloat64.class);
      Session.Runner runner = s.runner().fetch(y);
      grads.forEach(runner::fetch);
      try (Result result = runner.run()) {
        List<double[]> all = new ArrayList<>();
        for (int i = 1; i <= grads.size(); i++) {
          all.add(doubles((TFloat64) result.get(i)));
        }
        if (keys != null) {
          Checkpoint checkpoint = new Checkpoint(tf, Map.of("generator", net), List.of(), List.of());
          checkpoint.save(s, work.resolve("java-" + c.name), 1, Map.of(), Map.of());
          checkpoint.keys().stream().filter(k -> k.startsWith("generator/")).forEach(keys::add);
        }
        return new Computed(doubles((TFloat64) result.get(0)), all.subList(0, floatInputs),
            all.subList(floatInputs, all.size()));
      }
    }
  }

  private static void compareOutputs(List<String> rows, Path work, Case c, Computed java) {
    check(rows, c.name + " output", java.y, read(work.resolve(c.name + "_y.npy")));
    for (int i = 0; i < java.inputGradients.size(); i++) {
      check(rows, c.name + " d/dx" + i, java.inputGradients.get(i), read(work.resolve(c.name + "_gx" + i + ".npy")));
    }
    for (int j = 0; j < java.weightGradients.size(); j++) {
      check(rows, c.name + " d/dw" + j, java.weightGradients.get(j), read(work.resolve(c.name + "_gw" + j + ".npy")));
    }
  }

  private static void check(List<String> rows, String what, double[] java, double[] python) {
    if (java.length != python.length) {
      rows.add(String.format(Locale.ROOT, "%-36s %d values, Keras %d FAIL", what, java.length, python.length));
      return;
    }
    double worst = 0;
    double largest = 0;
    for (int i = 0; i < java.length; i++) {
      worst = Math.max(worst, Math.abs(java[i] - python[i]) / Math.max(1, Math.abs(python[i])));
      largest = Math.max(largest, Math.abs(python[i]));
    }
    rows.add(String.format(Locale.ROOT, "%-36s %3d values up to %8.3g, largest difference %.2e %s", what, java.length,
        largest, worst, worst <= TOLERANCE ? "PASS" : "FAIL"));
  }

  private static JsonArray inputSpecs(Case c) {
    JsonArray inputs = new JsonArray();
    for (int i = 0; i < c.inputs.size(); i++) {
      JsonObject in = new JsonObject();
      in.addProperty("file", c.name + "_x" + i + ".npy");
      in.addProperty("labels", c.labels.get(i));
      inputs.add(in);
    }
    return inputs;
  }

  /** The layer kinds in the network's order, from its summary (one line per layer after the title). */
  private static List<String> kinds(Functional net) {
    return net.summary().lines().skip(1).filter(l -> !l.trim().startsWith("total"))
        .map(l -> l.trim().split("\\s+")[1]).toList();
  }

  /**
   * A random graph of [4]-vectors: 1 to 3 inputs, then 4 to 11 applications, each a Dense(4) (a
   * new one, or half the time one applied before, so shared at several depths) on an earlier node,
   * or an Add of 2 or 3 earlier nodes; the output adds up every node nothing consumes.
   */
  private static JsonObject randomGraph(Random random, Map<Object, String> ids, List<Functional> graphs) {
    Functional.Builder f = Functional.builder("net");
    JsonObject spec = new JsonObject();
    JsonArray inputs = new JsonArray();
    JsonArray nodes = new JsonArray();
    List<String> names = new ArrayList<>();
    List<Functional.Node> available = new ArrayList<>();
    List<Boolean> consumed = new ArrayList<>();
    int inputCount = 1 + random.nextInt(3);
    for (int i = 0; i < inputCount; i++) {
      String id = "in" + i;
      available.add(f.input(id, Shape.of(4)));
      names.add(id);
      consumed.add(false);
      inputs.add(id);
      ids.put(id, id);
    }
    List<Dense> denses = new ArrayList<>();
    int steps = 4 + random.nextInt(8);
    for (int step = 0; step <= steps; step++) {
      boolean last = step == steps;
      List<Integer> from = new ArrayList<>();
      String kind;
      Object layer;
      if (last) {
        for (int i = 0; i < available.size(); i++) {
          if (!consumed.get(i)) {
            from.add(i);
          }
        }
        if (from.size() == 1) {
          break;
        }
        kind = "Add";
        layer = new Add();
      } else if (random.nextInt(3) < 2 || available.size() < 2) {
        kind = "Dense";
        from.add(random.nextInt(available.size()));
        if (!denses.isEmpty() && random.nextBoolean()) {
          layer = denses.get(random.nextInt(denses.size()));
        } else {
          Dense d = new Dense(4);
          denses.add(d);
          layer = d;
        }
      } else {
        kind = "Add";
        int count = 2 + random.nextInt(2);
        for (int k = 0; k < count; k++) {
          from.add(random.nextInt(available.size()));
        }
        layer = new Add();
      }
      String layerId = ids.computeIfAbsent(layer, l -> (kind.equals("Dense") ? "dense" : "add") + ids.size());
      List<Functional.Node> args = new ArrayList<>();
      JsonArray argIds = new JsonArray();
      for (int i : from) {
        args.add(available.get(i));
        argIds.add(names.get(i));
        consumed.set(i, true);
      }
      Functional.Node node = kind.equals("Dense") ? f.apply((Layer) layer, args.get(0)) : f.apply((MergeLayer) layer, args);
      String id = "node" + step;
      available.add(node);
      names.add(id);
      consumed.add(false);
      JsonObject n = new JsonObject();
      n.addProperty("id", id);
      n.addProperty("layer", layerId);
      n.addProperty("class", kind);
      n.add("inputs", argIds);
      nodes.add(n);
    }
    spec.add("inputs", inputs);
    spec.add("nodes", nodes);
    spec.addProperty("output", names.get(names.size() - 1));
    graphs.add(f.output(available.get(available.size() - 1)));
    return spec;
  }

  /** The graph's inputs and layers by their ids, in Functional's order. */
  private static List<String> javaOrder(Functional net, Map<Object, String> ids) {
    String[] order = new String[ids.size()];
    ids.forEach((object, id) -> {
      int index = object instanceof String name ? net.indexOfInput(name)
          : object instanceof Dense d ? net.indexOf(d) : net.indexOf((Add) object);
      order[index] = id;
    });
    return Arrays.asList(order);
  }

  private static List<String> strings(JsonArray array) {
    List<String> out = new ArrayList<>();
    array.forEach(e -> out.add(e.getAsString()));
    return out;
  }

  private static Shape withBatch(Shape example, long values) {
    long[] dims = new long[example.numDimensions() + 1];
    dims[0] = values / example.size();
    System.arraycopy(example.asArray(), 0, dims, 1, example.numDimensions());
    return Shape.of(dims);
  }

  private static Operand<TFloat64> constant(Ops tf, Shape shape, double[] values) {
    return tf.constant(shape, DataBuffers.of(values, true, false));
  }

  private static double[] doubles(TFloat64 t) {
    double[] out = new double[(int) t.shape().size()];
    t.copyTo(DataBuffers.of(out, false, false));
    return out;
  }

  private static double[] read(Path file) {
    try (TFloat64 t = Npy.read(file, TFloat64.class)) {
      return doubles(t);
    }
  }

  /** Pseudo-random values in [-scale, scale] (an LCG). */
  private static double[] values(int n, long seed, double scale) {
    double[] out = new double[n];
    long x = seed * 6364136223846793005L + 1442695040888963407L;
    for (int i = 0; i < n; i++) {
      x = x * 6364136223846793005L + 1442695040888963407L;
      out[i] = (((x >>> 11) * 0x1.0p-53) * 2 - 1) * scale;
    }
    return out;
  }

  /** setup.sh (exit 3: Python cannot be installed), then keras_layers.py; its JSON. */
  private static JsonObject runPython(Path work) throws IOException, InterruptedException {
    Path root = Path.of("").toAbsolutePath();
    Path interpreter = ParityVenv.python(work, "TensorFlow and Keras", "Keras layers");
    Path output = work.resolve("keras_layers.json");
    ProcessBuilder builder = new ProcessBuilder(interpreter.toString(),
        root.resolve("scripts/parity/keras_layers.py").toString(), "--work", work.toString())
        .redirectOutput(output.toFile()).redirectError(work.resolve("keras_layers.err").toFile());
    builder.environment().put("TF_CPP_MIN_LOG_LEVEL", "2");
    Process python = builder.start();
    assertTrue(python.waitFor(10, TimeUnit.MINUTES), "keras_layers.py did not finish");
    assertEquals(0, python.exitValue(), "keras_layers.py failed:\n" + Files.readString(work.resolve("keras_layers.err")));
    return JsonParser.parseString(Files.readString(output, StandardCharsets.UTF_8)).getAsJsonObject();
  }
}

package io.jgan.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.Gson;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.jgan.nn.ResourceVariable;
import io.jgan.nn.Trackable;
import io.jgan.parity.ParityVenv;
import io.jgan.store.Checkpoint;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TFloat64;
import org.tensorflow.types.family.TFloating;

/**
 * Each optimizer against Keras 3 itself ({@code scripts/parity/optimizers.py}): the same initial
 * weights and the same gradients for {@value #STEPS} steps, given to {@code keras.optimizers.RMSprop},
 * {@code SGD} and {@code Adam} with the same arguments; after every step the weights and every slot
 * must equal Python's to {@value #FLOAT64_TOLERANCE} in float64 (Keras's floatx float64, so its
 * learning rate is float64 too). At that tolerance a hyperparameter rounded to float32 where Keras
 * keeps the double (or the reverse, SGD's momentum), {@code 1 - rho} computed in the wrong type, or
 * epsilon outside the square root, each off by 1e-8 of a value or more, fails.
 *
 * <p>The checkpoint: the keys Java's {@link Checkpoint} writes for {@code model=..., optimizer=...}
 * must be the keys {@code tf.train.list_variables} lists for Python's {@code tf.train.Checkpoint} of
 * the same objects, and Python's checkpoint, restored strictly into fresh Java variables, must give
 * each Java slot the value Python's slot of the same name had (so a velocity is not read back as a
 * momentum).
 *
 * <p>Skipped loudly when the pinned Python cannot be installed, a failure when
 * {@value #REQUIRE} is set (CI), as the other parity tests.
 */
class OptimizerParityTest {
  static final String REQUIRE = "JGAN_REQUIRE_PARITY";
  static final double FLOAT64_TOLERANCE = 1e-12;
  /** The same float32 ops in two TensorFlow builds: a few float32 roundings of the values. */
  static final double FLOAT32_TOLERANCE = 1e-6;
  static final int STEPS = 5;
  static final long[][] SHAPES = {{3, 4}, {4}};

  /** One optimizer: Java's settings and Keras's constructor arguments. */
  record Case(String name, Optimizer.Factory settings, Map<String, Object> keras) {}

  static List<Case> cases() {
    return List.of(
        new Case("rmsprop_defaults", RmsProp.Settings.keras(), Map.of("kind", "rmsprop")),
        new Case("rmsprop_momentum", RmsProp.Settings.keras(0.01).rho(0.8).momentum(0.9),
            Map.of("kind", "rmsprop", "learning_rate", 0.01, "rho", 0.8, "momentum", 0.9)),
        new Case("rmsprop_centered", RmsProp.Settings.keras(0.01).centered(),
            Map.of("kind", "rmsprop", "learning_rate", 0.01, "centered", true)),
        new Case("rmsprop_centered_momentum", RmsProp.Settings.keras(0.003).momentum(0.5).epsilon(1e-3).centered(),
            Map.of("kind", "rmsprop", "learning_rate", 0.003, "momentum", 0.5, "epsilon", 1e-3, "centered", true)),
        new Case("sgd_defaults", Sgd.Settings.keras(), Map.of("kind", "sgd")),
        new Case("sgd_momentum", Sgd.Settings.keras(0.05).momentum(0.9),
            Map.of("kind", "sgd", "learning_rate", 0.05, "momentum", 0.9)),
        new Case("sgd_nesterov", Sgd.Settings.keras(0.05).nesterov(0.7),
            Map.of("kind", "sgd", "learning_rate", 0.05, "momentum", 0.7, "nesterov", true)),
        // Adam too, whose slot layout now comes from the same creation-order description.
        new Case("adam", Adam.Settings.keras(0.01), Map.of("kind", "adam", "learning_rate", 0.01)));
  }

  @Test
  void float64UpdatesSlotsAndCheckpointsEqualKeras3(@TempDir Path work) throws Exception {
    compare(work, TFloat64.class, FLOAT64_TOLERANCE);
  }

  @Test
  void float32UpdatesEqualKeras3(@TempDir Path work) throws Exception {
    compare(work, TFloat32.class, FLOAT32_TOLERANCE);
  }

  private static <T extends TFloating> void compare(Path work, Class<T> dtype, double tolerance) throws Exception {
    double[][] initial = new double[SHAPES.length][];
    double[][][] gradients = new double[STEPS][SHAPES.length][];
    long seed = 17;
    for (int i = 0; i < SHAPES.length; i++) {
      initial[i] = values(size(SHAPES[i]), seed++, 1.0);
    }
    for (int k = 0; k < STEPS; k++) {
      for (int i = 0; i < SHAPES.length; i++) {
        // One step ten times larger than the rest, and a zero gradient: the moving averages must follow both.
        gradients[k][i] = values(size(SHAPES[i]), seed++, k == 3 ? 5.0 : 0.5);
        if (k == 1) {
          gradients[k][i][0] = 0;
        }
      }
    }
    String typeName = dtype == TFloat64.class ? "float64" : "float32";
    JsonObject python = runPython(work, typeName, initial, gradients);

    List<String> rows = new ArrayList<>();
    for (Case c : cases()) {
      JsonObject expected = python.getAsJsonObject(c.name());
      double worst = 0;
      try (OptimizerFixture<T> java = new OptimizerFixture<>(dtype, SHAPES, c.settings())) {
        java.setWeights(initial);
        JsonArray steps = expected.getAsJsonArray("steps");
        for (int k = 0; k < STEPS; k++) {
          java.step(gradients[k]);
          JsonObject step = steps.get(k).getAsJsonObject();
          for (int i = 0; i < SHAPES.length; i++) {
            worst = Math.max(worst, check(doubles(step.getAsJsonArray("weights").get(i)), java.weight(i), tolerance,
                c.name() + " step " + (k + 1) + " weight " + i));
          }
          Map<String, List<? extends ResourceVariable<? extends TFloating>>> slots = slots(java.optimizer);
          JsonObject pythonSlots = step.getAsJsonObject("slots");
          assertEquals(new TreeSet<>(pythonSlots.keySet()), new TreeSet<>(slots.keySet()), c.name() + " slot lists");
          for (String attribute : pythonSlots.keySet()) {
            for (int i = 0; i < SHAPES.length; i++) {
              worst = Math.max(worst, check(doubles(pythonSlots.getAsJsonArray(attribute).get(i)),
                  java.read(slots.get(attribute).get(i)), tolerance, c.name() + " step " + (k + 1) + " " + attribute + "/" + i));
            }
          }
        }
        assertEquals(expected.get("iterations").getAsLong(), java.iterations(), c.name() + " iterations");
        Checkpoint checkpoint = checkpoint(java);
        List<String> pythonKeys = new ArrayList<>();
        expected.getAsJsonArray("keys").forEach(k -> pythonKeys.add(k.getAsString()));
        assertEquals(new TreeSet<>(pythonKeys), new TreeSet<>(checkpoint.keys()), c.name() + " checkpoint keys");
      }
      if (dtype == TFloat64.class) {
        restorePythonCheckpoint(c, expected);
      }
      rows.add(String.format(Locale.ROOT, "%-28s %s: weights and slots over %d steps within %.2e of Keras 3", c.name(),
          typeName, STEPS, worst));
    }
    rows.forEach(System.out::println);
  }

  /**
   * Python's checkpoint, restored strictly (every variable found by its path, nothing unexpected)
   * into a fresh graph, gives every weight and slot Python's final value exactly.
   */
  private static void restorePythonCheckpoint(Case c, JsonObject expected) {
    try (OptimizerFixture<TFloat64> fresh = new OptimizerFixture<>(TFloat64.class, SHAPES, c.settings())) {
      Checkpoint checkpoint = checkpoint(fresh);
      checkpoint.restore(fresh.session, Path.of(expected.get("checkpoint").getAsString()), Set.of("model", "optimizer"));
      JsonArray steps = expected.getAsJsonArray("steps");
      JsonObject last = steps.get(steps.size() - 1).getAsJsonObject();
      Map<String, List<? extends ResourceVariable<? extends TFloating>>> slots = slots(fresh.optimizer);
      for (int i = 0; i < SHAPES.length; i++) {
        check(doubles(last.getAsJsonArray("weights").get(i)), fresh.weight(i), 0, c.name() + " restored weight " + i);
        for (String attribute : slots.keySet()) {
          check(doubles(last.getAsJsonObject("slots").getAsJsonArray(attribute).get(i)), fresh.read(slots.get(attribute).get(i)),
              0, c.name() + " restored " + attribute + "/" + i);
        }
      }
      assertEquals(expected.get("iterations").getAsLong(), fresh.iterations(), c.name() + " restored iterations");
    }
  }

  private static Checkpoint checkpoint(OptimizerFixture<?> fixture) {
    Map<String, Trackable> roots = new LinkedHashMap<>();
    roots.put("model", fixture.model());
    roots.put("optimizer", fixture.optimizer);
    return new Checkpoint(fixture.tf, roots, List.of(), List.of());
  }

  /** Java's slot lists by the Keras attribute that holds them, the empty ones left out (as Python's are). */
  private static Map<String, List<? extends ResourceVariable<? extends TFloating>>> slots(Optimizer<?> optimizer) {
    Map<String, List<? extends ResourceVariable<? extends TFloating>>> out = new LinkedHashMap<>();
    if (optimizer instanceof RmsProp<?> r) {
      put(out, RmsProp.VELOCITIES, r.velocities());
      put(out, RmsProp.MOMENTUMS, r.momentums());
      put(out, RmsProp.AVERAGE_GRADIENTS, r.averageGradients());
    } else if (optimizer instanceof Sgd<?> s) {
      put(out, Sgd.MOMENTUMS, s.momentums());
    } else if (optimizer instanceof Adam<?> a) {
      put(out, Adam.MOMENTUMS, a.momentums());
      put(out, Adam.VELOCITIES, a.velocities());
    } else {
      throw new AssertionError("unexpected optimizer " + optimizer);
    }
    return out;
  }

  private static void put(Map<String, List<? extends ResourceVariable<? extends TFloating>>> out, String attribute,
      List<? extends ResourceVariable<? extends TFloating>> list) {
    if (!list.isEmpty()) {
      out.put(attribute, list);
    }
  }

  /** The largest difference, relative to max(1, |expected|); fails above {@code tolerance}. */
  private static double check(double[] expected, double[] actual, double tolerance, String what) {
    OptimizerFixture.assertClose(expected, actual, tolerance, what);
    double worst = 0;
    for (int i = 0; i < expected.length; i++) {
      worst = Math.max(worst, Math.abs(expected[i] - actual[i]) / Math.max(1.0, Math.abs(expected[i])));
    }
    return worst;
  }

  private static double[] doubles(JsonElement array) {
    JsonArray a = array.getAsJsonArray();
    double[] out = new double[a.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = a.get(i).getAsDouble();
    }
    return out;
  }

  private static int size(long[] shape) {
    long n = 1;
    for (long d : shape) {
      n *= d;
    }
    return (int) n;
  }

  /** Deterministic values in [-scale, scale] from an LCG (independent of the code under test). */
  private static double[] values(int n, long seed, double scale) {
    double[] out = new double[n];
    long x = seed * 6364136223846793005L + 1442695040888963407L;
    for (int i = 0; i < n; i++) {
      x = x * 6364136223846793005L + 1442695040888963407L;
      out[i] = ((x >>> 11) * 0x1.0p-53 * 2 - 1) * scale;
    }
    return out;
  }

  /** setup.sh (exit 3: Python cannot be installed), then optimizers.py; its JSON. */
  private static JsonObject runPython(Path work, String dtype, double[][] initial, double[][][] gradients)
      throws IOException, InterruptedException {
    Path root = Path.of("").toAbsolutePath();
    Path interpreter = ParityVenv.python(work, "Keras 3", "optimizer");

    Map<String, Object> input = new LinkedHashMap<>();
    input.put("dtype", dtype);
    input.put("shapes", SHAPES);
    input.put("weights", initial);
    input.put("gradients", gradients);
    List<Map<String, Object>> optimizers = new ArrayList<>();
    for (Case c : cases()) {
      Map<String, Object> spec = new LinkedHashMap<>(c.keras());
      spec.put("name", c.name());
      optimizers.add(spec);
    }
    input.put("optimizers", optimizers);
    Path inputFile = work.resolve("input.json");
    Files.writeString(inputFile, new Gson().toJson(input), StandardCharsets.UTF_8);
    Path output = work.resolve("output.json");
    ProcessBuilder builder = new ProcessBuilder(interpreter.toString(),
        root.resolve("scripts/parity/optimizers.py").toString(), "--input", inputFile.toString(), "--work",
        work.resolve("python").toString()).redirectOutput(output.toFile()).redirectError(work.resolve("python.err").toFile());
    builder.environment().put("TF_CPP_MIN_LOG_LEVEL", "2");
    builder.environment().put("CUDA_VISIBLE_DEVICES", "");
    Process python = builder.start();
    assertTrue(python.waitFor(10, TimeUnit.MINUTES), "optimizers.py did not finish");
    assertEquals(0, python.exitValue(), "optimizers.py failed:\n" + Files.readString(work.resolve("python.err")));
    return JsonParser.parseString(Files.readString(output, StandardCharsets.UTF_8)).getAsJsonObject();
  }
}

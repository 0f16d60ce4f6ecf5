package io.jgan.parity;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.jgan.data.Batch;
import io.jgan.gan.Gan;
import io.jgan.gan.Phase;
import io.jgan.gan.Plan;
import io.jgan.gan.Preset;
import io.jgan.nn.CallContext;
import io.jgan.presets.Presets;
import io.jgan.run.Devices;
import io.jgan.run.TrainConfig;
import io.jgan.train.graph.GeneratorExport;
import io.jgan.train.graph.InferenceGraph;
import io.jgan.train.graph.Progress;
import io.jgan.train.graph.TrainStep;
import io.jgan.train.graph.TrainingGraph;
import io.jgan.train.loop.RunDirectory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.family.TFloating;

/**
 * The Java side of {@code scripts/parity/run.sh}. Given a directory prepared by the Python
 * reference ({@code spec.json}, Python's initial checkpoint, inputs as .npy), it builds the preset
 * in the spec's type (float32 or float64), restores the checkpoint strictly, optionally writes G(z)
 * and D(x) in inference and training mode, runs the preset's train step on the given batches with
 * every random tensor replaced by Python's, and writes the per-step metrics and checkpoints after
 * the first and the last step.
 *
 * <p>Files: {@code python_init/ckpt-1} (a tf.train.Checkpoint), {@code fwd_z.npy}, {@code fwd_x.npy},
 * {@code fwd_labels.npy} (conditional), {@code fwd_dmask_<i>.npy} (D's dropout masks for the
 * training-mode forward), {@code step<s>_images.npy}, {@code step<s>_labels.npy},
 * {@code step<s>_run<r>_<name>.npy}: the random tensor {@code name} of phase r of step s (names from
 * {@link Phase#randomTensors()}). The set of files of each phase must be exactly the phase's
 * random tensors: a draw that one side forgets is an error, never a silent default. Outputs:
 * {@code java_*.npy}, {@code java_after_1/ckpt-1} and {@code java_after/ckpt-1}.
 *
 * <p>{@code spec.json} names a catalogue preset, or with {@code "class"} a program's GAN ({@link #definedBy}).
 *
 * <p>Also {@code generate RUN_DIR Z.npy OUT.npy}: G(z) from a run directory's latest checkpoint,
 * for the SavedModel check. With {@code "export": true} in the spec, {@code run} also exports the
 * generator of {@code java_after/ckpt-1} as the {@code export} command does, to
 * {@code java_export}, for the checks that load it in Python, TFLite and ONNX Runtime.
 */
public final class ParityDriver {
  private static final Pattern FEED = Pattern.compile("step(\\d+)_run(\\d+)_(.+)\\.npy");

  private ParityDriver() {}

  /**
   * {@code JGAN_PARITY_DEVICE=gpu} ({@code scripts/gpu-check.sh}, with the {@code -Pgpu} build): the
   * training steps and forward passes run on GPU 0, so the float64 table checks the GPU kernels
   * against Python's to the same 1e-9. Unset or {@code cpu}: GPUs hidden, as in the suite.
   */
  static final String DEVICE_VARIABLE = "JGAN_PARITY_DEVICE";

  public static void main(String[] args) throws Exception {
    if (args.length == 2 && args[0].equals("run")) {
      run(Path.of(args[1]), null);
    } else if (args.length == 4 && args[0].equals("run") && args[2].equals("--java-mutant")) {
      run(Path.of(args[1]), args[3]);
    } else if ((args.length == 3 || args.length == 4) && args[0].equals("mutants")) {
      Preset preset = args.length == 4 ? definedBy(args[3], args[1]) : Presets.get(args[1]);
      for (JavaMutants.Mutant m : JavaMutants.of(preset, Integer.parseInt(args[2]))) {
        System.out.println(m.name() + "\t" + (m.blind() ? "blind" : "checked") + "\t" + m.what());
      }
    } else if (args.length == 4 && args[0].equals("generate")) {
      generate(Path.of(args[1]), Path.of(args[2]), Path.of(args[3]));
    } else {
      System.err.println("usage: ParityDriver run DIR [--java-mutant NAME] | mutants PRESET CLASSES [CLASS] "
          + "| generate RUN_DIR Z.npy OUT.npy");
      System.exit(2);
    }
  }

  /** Whether {@value #DEVICE_VARIABLE} asks for the GPU; fails when it does and none is usable. */
  static boolean onGpu() {
    String device = System.getenv(DEVICE_VARIABLE);
    if (device == null || device.isEmpty() || device.equals("cpu")) {
      return false;
    }
    if (!device.equals("gpu")) {
      throw new IllegalArgumentException(DEVICE_VARIABLE + ": expected cpu or gpu, got '" + device + "'");
    }
    if (!Devices.gpusUsable(1)) {
      throw new IllegalStateException(DEVICE_VARIABLE + "=gpu: expected a usable GPU (the -Pgpu build, CUDA 12, "
          + "cuDNN 9), got none");
    }
    return true;
  }

  /** What the Python side asks for, from {@code spec.json}. */
  record Spec(Preset preset, int classes, int batch, int steps, boolean normalAlpha, boolean forward, String dtype,
      boolean export) {
    /** This spec with its preset changed by the Java mutant {@code name} ({@link JavaMutants}). */
    Spec mutated(String name) {
      JavaMutants.Mutant m = JavaMutants.apply(preset, name, classes);
      System.err.println("ParityDriver: Java mutant " + name + ": " + m.what());
      return new Spec(m.preset(), classes, batch, steps, normalAlpha, forward, dtype, export);
    }

    static Spec read(Path dir) throws IOException {
      JsonObject json = JsonParser.parseString(Files.readString(dir.resolve("spec.json"), StandardCharsets.UTF_8))
          .getAsJsonObject();
      String name = json.get("preset").getAsString();
      return new Spec(json.has("class") ? definedBy(json.get("class").getAsString(), name) : Presets.get(name),
          json.get("classes").getAsInt(),
          json.get("batch").getAsInt(), json.get("steps").getAsInt(),
          json.has("normal_alpha") && json.get("normal_alpha").getAsBoolean(),
          !json.has("forward") || json.get("forward").getAsBoolean(),
          json.has("dtype") ? json.get("dtype").getAsString() : "float32",
          json.has("export") && json.get("export").getAsBoolean());
    }
  }

  /**
   * The GAN a program defines outside the catalogue ({@code examples/conditional-gan}): the class
   * {@code className} on the classpath, with {@code public static Gan gan()} and {@code public static
   * Plan plan()}, trained as {@link Preset#of} makes it; its GAN must be called {@code name}.
   */
  static Preset definedBy(String className, String name) {
    Gan gan;
    Plan plan;
    try {
      Class<?> program = Class.forName(className);
      gan = (Gan) program.getMethod("gan").invoke(null);
      plan = (Plan) program.getMethod("plan").invoke(null);
    } catch (ReflectiveOperationException | ClassCastException e) {
      throw new IllegalArgumentException("expected a class " + className + " on the classpath with public static Gan gan() "
          + "and Plan plan(), got " + e, e);
    }
    if (!gan.name().equals(name)) {
      throw new IllegalArgumentException(className + ".gan(): expected a GAN named " + name + ", got " + gan.name());
    }
    return Preset.of(gan, plan);
  }

  /**
   * Trains the spec's preset; with {@code javaMutant} (or {@code "java_mutant"} in the spec), the
   * preset with that one default changed ({@link JavaMutants}), which the comparison must catch.
   */
  static void run(Path dir, String javaMutant) throws IOException {
    Spec spec = Spec.read(dir);
    JsonObject json = JsonParser.parseString(Files.readString(dir.resolve("spec.json"), StandardCharsets.UTF_8))
        .getAsJsonObject();
    String mutant = javaMutant != null ? javaMutant : json.has("java_mutant") ? json.get("java_mutant").getAsString() : null;
    if (mutant != null) {
      spec = spec.mutated(mutant);
    }
    switch (spec.dtype()) {
      case "float32" -> run(dir, spec, TrainingGraph.float32(spec.preset(), 1, spec.batch(), spec.classes(), spec.normalAlpha()));
      case "float64" -> run(dir, spec, TrainingGraph.float64(spec.preset(), 1, spec.batch(), spec.classes(), spec.normalAlpha()));
      default -> throw new IllegalArgumentException(dir.resolve("spec.json") + ": expected dtype float32 or float64, got "
          + spec.dtype());
    }
    if (spec.export()) {
      export(dir, spec);
    }
  }

  private static <T extends TFloating> void run(Path dir, Spec spec, TrainingGraph<T> graph) throws IOException {
    Class<T> type = graph.dtype();
    try (TrainingGraph<T> g = graph; Session s = g.openSession(0, onGpu())) {
      // Java's own initial state, for the values a restore would overwrite: the optimizers' learning
      // rates are checkpointed variables, so without this a wrong learning rate would go unseen.
      g.initialize(s);
      Files.createDirectories(dir.resolve("java_init"));
      g.save(s, dir.resolve("java_init/ckpt-1"), 1, Progress.START, "{}");
      Files.writeString(dir.resolve("java_init/checkpoint"), "model_checkpoint_path: \"ckpt-1\"\n");
      g.restore(s, dir.resolve("python_init/ckpt-1"), TrainingGraph.ALL); // strict: all four objects
      if (spec.forward()) {
        forward(g, s, dir, spec.classes());
      }
      TrainStep step = g.trainStep();
      requireFeedsMatch(dir, step, spec.steps());
      int perStep = step.metricNames().size();
      double[] metrics = new double[spec.steps() * perStep];
      for (int k = 0; k < spec.steps(); k++) {
        List<Tensor> opened = new ArrayList<>();
        try (T images = Npy.read(dir.resolve("step" + k + "_images.npy"), type);
             T labels = spec.classes() > 0 ? Npy.read(dir.resolve("step" + k + "_labels.npy"), type) : null) {
          int stepIndex = k;
          TrainStep.Hooks pythonDraws = new TrainStep.Hooks() {
            @Override
            public Map<Operand<?>, Tensor> replacements(int index, Phase phase) {
              Map<Operand<?>, Tensor> feed = new HashMap<>();
              phase.randomTensors().forEach((name, tensor) -> {
                T value = Npy.read(dir.resolve("step" + stepIndex + "_run" + index + "_" + name + ".npy"), type);
                opened.add(value);
                feed.put(tensor, value);
              });
              return feed;
            }
          };
          double[] m = step.run(s, new Batch(images, labels), k, pythonDraws);
          System.arraycopy(m, 0, metrics, k * perStep, perStep);
        } finally {
          opened.forEach(Tensor::close);
        }
        if (k == 0) {
          saveCheckpoint(g, s, dir.resolve("java_after_1"), 1);
        }
      }
      Npy.write(dir.resolve("java_metrics.npy"), new long[] {spec.steps(), perStep}, metrics);
      Files.writeString(dir.resolve("java_metric_names.txt"), String.join(",", step.metricNames()));
      saveCheckpoint(g, s, dir.resolve("java_after"), spec.steps());
      if (spec.forward()) {
        // G(z) with the trained weights: Python restores java_after and must reproduce it.
        try (T zv = Npy.read(dir.resolve("fwd_z.npy"), type);
             T yv = spec.classes() > 0 ? Npy.read(dir.resolve("fwd_labels.npy"), type) : null;
             T after = g.inference().generate(s, zv, yv)) {
          Npy.write(dir.resolve("java_g_after.npy"), after);
        }
      }
    }
  }

  /**
   * Python's feed files for each phase of each step must be exactly that phase's random tensors:
   * a draw Python writes and Java does not take, or one Java draws and Python does not write, fails.
   */
  static void requireFeedsMatch(Path dir, TrainStep step, int steps) throws IOException {
    Map<String, TreeSet<String>> written = new HashMap<>();
    try (Stream<Path> files = Files.list(dir)) {
      files.forEach(f -> {
        Matcher m = FEED.matcher(f.getFileName().toString());
        if (m.matches()) {
          written.computeIfAbsent(m.group(1) + "/" + m.group(2), k -> new TreeSet<>()).add(m.group(3));
        }
      });
    }
    List<String> problems = new ArrayList<>();
    for (int k = 0; k < steps; k++) {
      for (int r = 0; r < step.phases().size(); r++) {
        TreeSet<String> expected = new TreeSet<>(step.phases().get(r).randomTensors().keySet());
        TreeSet<String> got = written.getOrDefault(k + "/" + r, new TreeSet<>());
        if (!expected.equals(got)) {
          problems.add("step " + k + " phase " + r + " (" + step.phases().get(r).name() + "): expected feeds " + expected
              + ", got " + got);
        }
        written.remove(k + "/" + r);
      }
    }
    written.keySet().forEach(key -> problems.add("feeds for step/phase " + key + " that the step does not have: "
        + written.get(key)));
    if (!problems.isEmpty()) {
      throw new IllegalStateException(dir + ": Python's random draws and Java's random tensors differ: "
          + String.join("; ", problems));
    }
  }

  private static void saveCheckpoint(TrainingGraph<?> g, Session s, Path dir, long steps) throws IOException {
    Files.createDirectories(dir);
    g.save(s, dir.resolve("ckpt-1"), 1, new Progress(steps, 0, steps), "{}");
    Files.writeString(dir.resolve("checkpoint"), "model_checkpoint_path: \"ckpt-1\"\nall_model_checkpoint_paths: \"ckpt-1\"\n");
  }

  /** G(z) and D(x) in inference mode and in training mode (D with Python's dropout masks). */
  private static <T extends TFloating> void forward(TrainingGraph<T> g, Session s, Path dir, int classes) {
    Class<T> type = g.dtype();
    Ops tf = g.tf().withSubScope("parity_forward");
    Placeholder<T> z = tf.placeholder(type);
    Placeholder<T> x = tf.placeholder(type);
    Placeholder<T> y = classes > 0 ? tf.placeholder(type) : null;
    CallContext gCtx = CallContext.training(g.random());
    Operand<T> gTrain = g.networks().generate(tf, z, y, gCtx);
    CallContext dCtx = CallContext.training(g.random());
    Operand<T> dTrain = g.networks().discriminate(tf, x, y, dCtx);
    try (T zv = Npy.read(dir.resolve("fwd_z.npy"), type);
         T xv = Npy.read(dir.resolve("fwd_x.npy"), type);
         T yv = classes > 0 ? Npy.read(dir.resolve("fwd_labels.npy"), type) : null) {
      try (T gi = g.inference().generate(s, zv, yv); T di = g.inference().discriminate(s, xv, yv)) {
        Npy.write(dir.resolve("java_g_inference.npy"), gi);
        Npy.write(dir.resolve("java_d_inference.npy"), di);
      }
      List<Tensor> masks = new ArrayList<>();
      try {
        Session.Runner runner = s.runner().feed(z, zv).feed(x, xv);
        if (y != null) {
          runner.feed(y, yv);
        }
        for (int i = 0; i < dCtx.dropoutKeepMasks().size(); i++) {
          T m = Npy.read(dir.resolve("fwd_dmask_" + i + ".npy"), type);
          masks.add(m);
          runner.feed(dCtx.dropoutKeepMasks().get(i), m);
        }
        if (Files.exists(dir.resolve("fwd_dmask_" + dCtx.dropoutKeepMasks().size() + ".npy"))) {
          throw new IllegalStateException(dir + ": Python wrote more dropout masks for D(x) than its "
              + dCtx.dropoutKeepMasks().size() + " dropout layers");
        }
        try (Result r = runner.fetch(gTrain).fetch(dTrain).run()) {
          Npy.write(dir.resolve("java_g_training.npy"), (TFloating) r.get(0));
          Npy.write(dir.resolve("java_d_training.npy"), (TFloating) r.get(1));
        }
      } finally {
        masks.forEach(Tensor::close);
      }
    }
  }

  /** The generator of {@code DIR/java_after/ckpt-1} as a SavedModel in {@code DIR/java_export}. */
  private static void export(Path dir, Spec spec) {
    try (InferenceGraph g = new InferenceGraph(spec.preset(), spec.classes(), 0, false); Session s = g.openSession(0)) {
      g.restore(s, dir.resolve("java_after/ckpt-1"));
      GeneratorExport.export(g, s, dir.resolve("java_export"), false, Map.of());
    }
  }

  /** G(z) with the generator of a run directory's latest checkpoint. */
  static void generate(Path runDir, Path zFile, Path out) throws Exception {
    RunDirectory run = new RunDirectory(runDir);
    TrainConfig config = TrainConfig.fromJson(Files.readString(run.config()), run.config().toString());
    Path latest = run.checkpointManager(0).latest().orElseThrow();
    try (InferenceGraph g = new InferenceGraph(config.presetDefinition(), config.classes(), config.seed(), false);
         Session s = g.openSession(0);
         TFloat32 z = Npy.read(zFile)) {
      g.restore(s, latest);
      try (TFloat32 images = g.inference().generate(s, z, null)) {
        Npy.write(out, images);
      }
    }
  }
}

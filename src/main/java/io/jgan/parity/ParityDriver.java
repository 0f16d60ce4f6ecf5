package io.jgan.parity;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.jgan.data.Batch;
import io.jgan.models.Preset;
import io.jgan.models.Presets;
import io.jgan.nn.CallContext;
import io.jgan.store.CheckpointManager;
import io.jgan.store.GanCheckpoint;
import io.jgan.train.GanGraph;
import io.jgan.train.TrainStep;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/**
 * The Java side of {@code scripts/parity/run.sh}. Given a directory prepared by the Python
 * reference ({@code spec.json}, Python's initial checkpoint, inputs as .npy), it restores the
 * checkpoint strictly, writes G(z) and D(x) in inference and training mode, runs the preset's train
 * step on the given batches with every random tensor replaced by Python's, writes the per-step
 * metrics and a checkpoint of the result.
 *
 * <p>Files: {@code python_init/} (a tf.train.Checkpoint), {@code fwd_z.npy}, {@code fwd_x.npy},
 * {@code fwd_labels.npy} (conditional), {@code fwd_dmask_<i>.npy} (D's dropout masks for the
 * training-mode forward), {@code step<s>_images.npy}, {@code step<s>_labels.npy},
 * {@code step<s>_run<r>_<name>.npy} (overrides of session run r of step s, names from
 * {@link TrainStep#overridable()}). Outputs: {@code java_*.npy} and {@code java_after/ckpt-1}.
 *
 * <p>Also {@code generate RUN_DIR Z.npy OUT.npy}: G(z) from a run directory's latest checkpoint,
 * for the SavedModel check.
 */
public final class ParityDriver {
  private ParityDriver() {}

  public static void main(String[] args) throws Exception {
    if (args.length == 2 && args[0].equals("run")) {
      run(Path.of(args[1]));
    } else if (args.length == 4 && args[0].equals("generate")) {
      generate(Path.of(args[1]), Path.of(args[2]), Path.of(args[3]));
    } else {
      System.err.println("usage: ParityDriver run DIR | generate RUN_DIR Z.npy OUT.npy");
      System.exit(2);
    }
  }

  static void run(Path dir) throws Exception {
    JsonObject spec = JsonParser.parseString(Files.readString(dir.resolve("spec.json"), StandardCharsets.UTF_8)).getAsJsonObject();
    Preset preset = Presets.get(spec.get("preset").getAsString());
    int classes = spec.get("classes").getAsInt();
    int batch = spec.get("batch").getAsInt();
    int steps = spec.get("steps").getAsInt();
    boolean normalAlpha = spec.has("normal_alpha") && spec.get("normal_alpha").getAsBoolean();
    Path init = CheckpointManager.index(dir.resolve("python_init/ckpt-1")).toFile().exists()
        ? dir.resolve("python_init/ckpt-1") : new CheckpointManager(dir.resolve("python_init"), 0).latest().orElseThrow();
    try (GanGraph g = new GanGraph(preset, 1, batch, classes, normalAlpha); Session s = g.openSession(0)) {
      g.checkpoint().restore(s, init, GanCheckpoint.ALL); // strict: every variable of all four objects
      forward(g, s, dir, classes);
      TrainStep step = g.trainStep();
      Map<String, Operand<?>> overridable = step.overridable();
      float[] metrics = new float[steps * step.metricNames().size()];
      for (int k = 0; k < steps; k++) {
        List<Tensor> opened = new ArrayList<>();
        try (TFloat32 images = Npy.read(dir.resolve("step" + k + "_images.npy"));
             TFloat32 labels = classes > 0 ? Npy.read(dir.resolve("step" + k + "_labels.npy")) : null) {
          List<Map<Operand<?>, Tensor>> feeds = new ArrayList<>();
          for (int r = 0; r < step.runsPerStep(); r++) {
            Map<Operand<?>, Tensor> feed = new HashMap<>();
            for (Map.Entry<String, Operand<?>> e : overridable.entrySet()) {
              Path file = dir.resolve("step" + k + "_run" + r + "_" + e.getKey() + ".npy");
              if (Files.exists(file)) {
                TFloat32 t = Npy.read(file);
                opened.add(t);
                feed.put(e.getValue(), t);
              }
            }
            feeds.add(feed);
          }
          float[] m = step.run(s, new Batch(images, labels), k, feeds::get);
          System.arraycopy(m, 0, metrics, k * m.length, m.length);
          if (k == 0) {
            saveCheckpoint(g, s, dir.resolve("java_after_1"), 1);
          }
        } finally {
          opened.forEach(Tensor::close);
        }
      }
      Npy.write(dir.resolve("java_metrics.npy"), new long[] {steps, step.metricNames().size()}, metrics);
      Files.writeString(dir.resolve("java_metric_names.txt"), String.join(",", step.metricNames()));
      saveCheckpoint(g, s, dir.resolve("java_after"), steps);
      // G(z) with the trained weights: Python restores java_after and must reproduce it.
      try (TFloat32 zv = Npy.read(dir.resolve("fwd_z.npy"));
           TFloat32 yv = classes > 0 ? Npy.read(dir.resolve("fwd_labels.npy")) : null;
           TFloat32 after = g.generate(s, zv, yv)) {
        Npy.write(dir.resolve("java_g_after.npy"), after);
      }
    }
  }

  private static void saveCheckpoint(GanGraph g, Session s, Path dir, long steps) throws java.io.IOException {
    Files.createDirectories(dir);
    g.checkpoint().save(s, dir.resolve("ckpt-1"), 1, new GanCheckpoint.Progress(steps, 0, steps), "{}");
    Files.writeString(dir.resolve("checkpoint"), "model_checkpoint_path: \"ckpt-1\"\nall_model_checkpoint_paths: \"ckpt-1\"\n");
  }

  /** G(z) and D(x) in inference mode and in training mode (D with Python's dropout masks). */
  private static void forward(GanGraph g, Session s, Path dir, int classes) {
    Ops tf = g.tf().withSubScope("parity_forward");
    Placeholder<TFloat32> z = tf.placeholder(TFloat32.class);
    Placeholder<TFloat32> x = tf.placeholder(TFloat32.class);
    Placeholder<TFloat32> y = classes > 0 ? tf.placeholder(TFloat32.class) : null;
    CallContext gCtx = CallContext.training(g.random());
    Operand<TFloat32> gTrain = g.asImages(tf, g.generator().call(tf, g.generatorInput(tf, z, y), gCtx));
    CallContext dCtx = CallContext.training(g.random());
    Operand<TFloat32> dTrain = g.discriminator().call(tf, g.discriminatorInput(tf, x, y), dCtx);
    try (TFloat32 zv = Npy.read(dir.resolve("fwd_z.npy"));
         TFloat32 xv = Npy.read(dir.resolve("fwd_x.npy"));
         TFloat32 yv = classes > 0 ? Npy.read(dir.resolve("fwd_labels.npy")) : null) {
      try (TFloat32 gi = g.generate(s, zv, yv); TFloat32 di = g.discriminate(s, xv, yv)) {
        Npy.write(dir.resolve("java_g_inference.npy"), gi);
        Npy.write(dir.resolve("java_d_inference.npy"), di);
      }
      List<TFloat32> masks = new ArrayList<>();
      try {
        Session.Runner runner = s.runner().feed(z, zv).feed(x, xv);
        if (y != null) {
          runner.feed(y, yv);
        }
        for (int i = 0; i < dCtx.dropoutKeepMasks().size(); i++) {
          TFloat32 m = Npy.read(dir.resolve("fwd_dmask_" + i + ".npy"));
          masks.add(m);
          runner.feed(dCtx.dropoutKeepMasks().get(i), m);
        }
        try (Result r = runner.fetch(gTrain).fetch(dTrain).run()) {
          Npy.write(dir.resolve("java_g_training.npy"), (TFloat32) r.get(0));
          Npy.write(dir.resolve("java_d_training.npy"), (TFloat32) r.get(1));
        }
      } finally {
        masks.forEach(TFloat32::close);
      }
    }
  }

  /** G(z) with the networks of a run directory's latest checkpoint. */
  static void generate(Path runDir, Path zFile, Path out) throws Exception {
    var run = new io.jgan.train.RunDirectory(runDir);
    var config = io.jgan.train.TrainConfig.fromJson(Files.readString(run.config()), run.config().toString());
    Path latest = run.checkpointManager(0).latest().orElseThrow();
    try (GanGraph g = new GanGraph(config.presetDefinition(), config.seed(), config.batchSize(), config.classes());
         Session s = g.openSession(0);
         TFloat32 z = Npy.read(zFile)) {
      g.checkpoint().restore(s, latest, GanCheckpoint.NETWORKS);
      try (TFloat32 images = g.generate(s, z)) {
        Npy.write(out, images);
      }
    }
  }
}

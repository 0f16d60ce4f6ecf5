package io.jgan.store;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.jgan.AtomicFiles;
import io.jgan.BadInputException;
import io.jgan.data.PixelScale;
import io.jgan.models.Preset;
import io.jgan.nn.CallContext;
import io.jgan.nn.Sequential;
import io.jgan.nn.Weight;
import io.jgan.train.GanGraph;
import io.jgan.train.TrainConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.SessionFunction;
import org.tensorflow.Signature;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TUint8;

/**
 * Exports a run's generator as a TensorFlow SavedModel that other TensorFlow programs load
 * ({@code tf.saved_model.load} in Python, {@code SavedModelBundle.load} in Java).
 *
 * <p>The model holds only the generator in inference mode (no discriminator, no optimizer state)
 * and two signatures:
 * <ul>
 *   <li>{@value #SERVING}: {@code latents} float32 [n, latentDim] (and {@code labels} float32 one-hot
 *       [n, classes] for a conditional preset) to {@code images} float32 [n, h, w, c] in [-1, 1]
 *       (generators with outputs in [0, 1] are mapped by 2x - 1);
 *   <li>{@value #UINT8}: the same inputs to {@code images} uint8 [n, h, w, c], the tutorials'
 *       {@code x * 127.5 + 127.5} rounded half up and clamped.
 * </ul>
 * Beside it, {@value #INFO_FILE} records the run's configuration, the latent size and the classes.
 *
 * <p>The model is written into a temporary sibling directory and renamed into place; an existing
 * model is replaced only when asked, and by renames, so a kill at any moment leaves at the final
 * path either nothing, the old model or the new one, never part of one.
 */
public final class SavedModelExport {
  public static final String SERVING = "serving_default";
  public static final String UINT8 = "generate_uint8";
  public static final String INFO_FILE = "jgan-export.json";
  public static final String LATENTS = "latents";
  public static final String LABELS = "labels";
  public static final String IMAGES = "images";

  private static final Gson GSON = new GsonBuilder().setPrettyPrinting().create();

  /** What {@value #INFO_FILE} says of an exported model. */
  public record Info(TrainConfig config, int latentDim, int classes, long[] imageShape) {
    public Preset preset() {
      return config.presetDefinition();
    }
  }

  private SavedModelExport() {}

  /**
   * Writes the generator of {@code graph}, with the weights it has in {@code session}, to {@code out}.
   *
   * @throws BadInputException when {@code out} exists and {@code overwrite} is false
   */
  public static void export(GanGraph<TFloat32> graph, Session session, TrainConfig config, Path out, boolean overwrite) {
    if (Files.exists(out) && !overwrite) {
      throw new BadInputException(out + ": already exists; give --overwrite to replace it");
    }
    Path parent = out.toAbsolutePath().getParent();
    Path temp = null;
    List<Tensor> values = new ArrayList<>();
    try {
      Files.createDirectories(parent);
      temp = Files.createTempDirectory(parent, AtomicFiles.TEMP_PREFIX + out.getFileName() + "-");
      for (Weight w : graph.generator().weights()) {
        try (Result r = session.runner().fetch(w.variable()).run()) {
          TFloat32 copy = TFloat32.tensorOf(w.shape());
          ((TFloat32) r.get(0)).copyTo(copy);
          values.add(copy);
        }
      }
      Path model = temp.resolve("model");
      writeModel(graph, values, model);
      Info info = new Info(config, graph.preset().latentDim(), graph.classes(), graph.preset().imageShape().asArray());
      Files.writeString(model.resolve(INFO_FILE), GSON.toJson(info), StandardCharsets.UTF_8);
      replace(model, out);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot export to " + out + ": " + e.getMessage(), e);
    } finally {
      values.forEach(Tensor::close);
      if (temp != null) {
        AtomicFiles.deleteRecursively(temp);
      }
    }
  }

  /** A generator-only inference graph with the given weights, saved with both signatures. */
  private static void writeModel(GanGraph<TFloat32> source, List<Tensor> weights, Path dir) throws IOException {
    Preset preset = source.preset();
    int classes = source.classes();
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      Sequential generator = preset.generator().build(preset.latentDim(), classes).build(tf, source.seed());
      Placeholder<TFloat32> latents = tf.withName(LATENTS)
          .placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, preset.latentDim())));
      Placeholder<TFloat32> labels = classes == 0 ? null
          : tf.withName(LABELS).placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, classes)));
      Operand<TFloat32> raw = GanGraph.asImages(tf, generator.call(tf,
          GanGraph.generatorInput(tf, latents, labels, classes), CallContext.inference()), generator, preset.imageShape());
      Operand<TFloat32> signed = preset.pixelScale() == PixelScale.TANH ? raw
          : tf.math.sub(tf.math.mul(raw, tf.constant(2f)), tf.constant(1f)); // [0, 1] -> [-1, 1]
      Operand<TFloat32> images = tf.withName("images_float").identity(signed);
      // x * 127.5 + 127.5, rounded half up, clamped to [0, 255].
      Operand<TFloat32> scaled = tf.math.floor(tf.math.add(tf.math.add(tf.math.mul(images, tf.constant(127.5f)),
          tf.constant(127.5f)), tf.constant(0.5f)));
      Operand<TUint8> bytes = tf.withName("images_uint8").dtypes.cast(
          tf.clipByValue(scaled, tf.constant(0f), tf.constant(255f)), TUint8.class);

      List<Weight> targets = generator.weights();
      List<Op> assigns = new ArrayList<>();
      List<Placeholder<TFloat32>> inputs = new ArrayList<>();
      for (Weight w : targets) {
        Placeholder<TFloat32> p = tf.placeholder(TFloat32.class, Placeholder.shape(w.shape()));
        inputs.add(p);
        assigns.add(tf.assign(w.as(TFloat32.class), p));
      }
      try (Session s = new Session(g)) {
        Session.Runner runner = s.runner();
        for (int i = 0; i < assigns.size(); i++) {
          runner.feed(inputs.get(i), weights.get(i)).addTarget(assigns.get(i));
        }
        runner.run();
        Signature.Builder serving = Signature.builder().key(SERVING).input(LATENTS, latents).output(IMAGES, images);
        Signature.Builder uint8 = Signature.builder().key(UINT8).input(LATENTS, latents).output(IMAGES, bytes);
        if (labels != null) {
          serving.input(LABELS, labels);
          uint8.input(LABELS, labels);
        }
        SavedModelBundle.exporter(dir.toString())
            .withFunction(SessionFunction.create(serving.build(), s))
            .withFunction(SessionFunction.create(uint8.build(), s))
            .export();
      }
    }
  }

  /** Moves {@code model} to {@code out}, replacing an existing directory by renames only. */
  private static void replace(Path model, Path out) throws IOException {
    Path old = null;
    if (Files.exists(out)) {
      old = out.resolveSibling(AtomicFiles.TEMP_PREFIX + out.getFileName() + "-old-" + System.nanoTime());
      Files.move(out, old, StandardCopyOption.ATOMIC_MOVE);
    }
    Files.move(model, out, StandardCopyOption.ATOMIC_MOVE);
    AtomicFiles.fsyncDirectory(out.toAbsolutePath().getParent());
    if (old != null) {
      AtomicFiles.deleteRecursively(old);
    }
  }

  /** Reads {@value #INFO_FILE} of an exported model. */
  public static Info readInfo(Path modelDir) {
    Path file = modelDir.resolve(INFO_FILE);
    if (!Files.isRegularFile(modelDir.resolve("saved_model.pb"))) {
      throw new BadInputException(modelDir + ": expected a SavedModel directory (with saved_model.pb), found none");
    }
    if (!Files.isRegularFile(file)) {
      throw new BadInputException(file + ": expected the export's description written by 'export', found nothing");
    }
    try {
      JsonObject json = JsonParser.parseString(Files.readString(file, StandardCharsets.UTF_8)).getAsJsonObject();
      TrainConfig config = TrainConfig.fromJson(json.get("config").toString(), file.toString());
      return new Info(config, json.get("latentDim").getAsInt(), json.get("classes").getAsInt(),
          GSON.fromJson(json.get("imageShape"), long[].class));
    } catch (IOException | RuntimeException e) {
      if (e instanceof BadInputException b) {
        throw b;
      }
      throw new BadInputException(file + ": not a valid export description (" + e.getMessage() + ")", e);
    }
  }
}

package io.jgan.train;

import io.jgan.PixelScale;
import io.jgan.nn.Weight;
import io.jgan.store.SavedModels.ExportedVariable;
import io.jgan.store.SavedModels;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.Signature;
import org.tensorflow.Tensor;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TUint8;

/**
 * A trained generator as a SavedModel: a graph holding only the generator in inference mode (no
 * discriminator, no optimizer state, no checkpoint machinery) with two signatures:
 * <ul>
 *   <li>{@value #SERVING}: {@code latents} float32 [n, latentDim] (and {@code labels} float32 one-hot
 *       [n, classes] for a conditional GAN) to {@code images} float32 [n, h, w, c] in [-1, 1]
 *       (generators with outputs in [0, 1] are mapped by 2x - 1);
 *   <li>{@value #UINT8}: the same inputs to {@code images} uint8 [n, h, w, c], the tutorials'
 *       {@code x * 127.5 + 127.5} rounded half up and clamped.
 * </ul>
 */
public final class GeneratorExport {
  public static final String SERVING = "serving_default";
  public static final String UINT8 = "generate_uint8";
  public static final String LATENTS = "latents";
  public static final String LABELS = "labels";
  public static final String IMAGES = "images";
  /** The method TensorFlow Serving's Predict API serves (what Python's SavedModel builders write). */
  static final String PREDICT = "tensorflow/serving/predict";

  private GeneratorExport() {}

  /**
   * Writes the generator of {@code source}, with the weights it has in {@code session}, to
   * {@code out} (all or nothing, see {@link SavedModels#writeAtomically}), with {@code extraFiles}
   * (name to UTF-8 text) beside it.
   */
  public static void export(InferenceGraph source, Session session, Path out, boolean overwrite,
      Map<String, String> extraFiles) {
    List<TFloat32> values = source.values(session, source.networks().generator().weights());
    try {
      SavedModels.writeAtomically(out, overwrite, dir -> {
        writeModel(source.networks(), values, dir);
        for (Map.Entry<String, String> f : extraFiles.entrySet()) {
          Files.writeString(dir.resolve(f.getKey()), f.getValue(), StandardCharsets.UTF_8);
        }
      });
    } finally {
      values.forEach(Tensor::close);
    }
  }

  /** A generator-only inference graph with the given weights, saved with both signatures. */
  private static void writeModel(GanNetworks<TFloat32> trained, List<TFloat32> values, Path dir) {
    GanSpec spec = trained.spec();
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      GanNetworks<TFloat32> networks = GanNetworks.build(tf, spec, trained.classes(), 0, TFloat32.class, false);
      Inference<TFloat32> inference = new Inference<>(tf, networks);
      Operand<TFloat32> raw = inference.generatedImages();
      Operand<TFloat32> signed = spec.pixelScale() == PixelScale.TANH ? raw
          : tf.math.sub(tf.math.mul(raw, tf.constant(2f)), tf.constant(1f)); // [0, 1] -> [-1, 1]
      Operand<TFloat32> images = tf.withName("images_float").identity(signed);
      // x * 127.5 + 127.5, rounded half up, clamped to [0, 255].
      Operand<TFloat32> scaled = tf.math.floor(tf.math.add(tf.math.add(tf.math.mul(images, tf.constant(127.5f)),
          tf.constant(127.5f)), tf.constant(0.5f)));
      Operand<TUint8> bytes = tf.withName("images_uint8").dtypes.cast(
          tf.clipByValue(scaled, tf.constant(0f), tf.constant(255f)), TUint8.class);

      List<Weight> targets = networks.generator().weights();
      List<ExportedVariable> variables = new ArrayList<>();
      for (int i = 0; i < targets.size(); i++) {
        variables.add(new ExportedVariable(targets.get(i).saved(), values.get(i), targets.get(i).trainable()));
      }
      try (Session s = new Session(g)) {
        Signature.Builder serving = Signature.builder().key(SERVING).methodName(PREDICT)
            .input(LATENTS, inference.latentInput()).output(IMAGES, images);
        Signature.Builder uint8 = Signature.builder().key(UINT8).methodName(PREDICT)
            .input(LATENTS, inference.latentInput()).output(IMAGES, bytes);
        if (inference.labelInput() != null) {
          serving.input(LABELS, inference.labelInput());
          uint8.input(LABELS, inference.labelInput());
        }
        SavedModels.export(s, tf, variables, List.of(serving.build(), uint8.build()), dir);
      }
    }
  }
}

package io.jgan.train.graph;

import io.jgan.PixelScale;
import io.jgan.gan.GanSpec;
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
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.Signature;
import org.tensorflow.Tensor;
import org.tensorflow.op.Ops;
import org.tensorflow.proto.VariableDef;
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
    write(source.networks(), source.values(session, source.networks().generator().weights()), out, overwrite, extraFiles);
  }

  /**
   * Writes the generator of a training graph, with the weights it has in {@code session} (the
   * end of a run), as {@link #export(InferenceGraph, Session, Path, boolean, Map)} does.
   */
  public static void export(TrainingGraph<TFloat32> source, Session session, Path out, boolean overwrite,
      Map<String, String> extraFiles) {
    List<Weight> weights = source.networks().generator().weights();
    Session.Runner runner = session.runner();
    weights.forEach(w -> runner.fetch(w.as(TFloat32.class).read(source.graphOps())));
    List<TFloat32> values = new ArrayList<>();
    try (Result r = runner.run()) {
      for (int i = 0; i < weights.size(); i++) {
        values.add(Tensors.copy(r.get(i)));
      }
    }
    write(source.networks(), values, out, overwrite, extraFiles);
  }

  /**
   * The generator of the existing export {@code model}, written again to {@code out} with this
   * version's graph and signatures: the same weights, read from the old model's variables. For
   * exports of earlier versions, whose {@value #UINT8} clamped with {@code ClipByValue}, which
   * TFLite's built-in ops lack. {@code target} is the inference graph of the export's preset; its
   * generator's variables have the names the export's variables have.
   */
  public static void reexport(InferenceGraph target, Path model, Path out, boolean overwrite,
      Map<String, String> extraFiles) {
    List<Weight> weights = target.networks().generator().weights();
    List<TFloat32> values = new ArrayList<>();
    try (SavedModelBundle old = SavedModelBundle.load(model.toString(), SavedModelBundle.DEFAULT_TAG)) {
      Map<String, String> snapshots = snapshots(old);
      Session.Runner runner = old.session().runner();
      for (Weight w : weights) {
        String snapshot = snapshots.get(w.saved().variable().name() + ":0");
        if (snapshot == null) {
          throw new IllegalArgumentException("no variable " + w.saved().variable().name() + " among " + snapshots.keySet());
        }
        runner.fetch(snapshot);
      }
      try (Result r = runner.run()) {
        for (int i = 0; i < weights.size(); i++) {
          values.add(Tensors.copy(r.get(i)));
        }
      }
    } catch (RuntimeException e) {
      values.forEach(Tensor::close);
      throw new io.jgan.BadInputException(model + ": expected a generator exported by jgan with the variables of "
          + target.networks().spec().name() + ", could not read them (" + e.getMessage() + ")", e);
    }
    write(target.networks(), values, out, overwrite, extraFiles);
  }

  /** Each variable of an export ({@code name:0}) to the tensor that reads it, from its {@code variables} collection. */
  private static Map<String, String> snapshots(SavedModelBundle bundle) {
    Map<String, String> snapshots = new java.util.HashMap<>();
    var collection = bundle.metaGraphDef().getCollectionDefMap().get("variables");
    if (collection == null) {
      throw new IllegalArgumentException("expected a 'variables' collection, found none");
    }
    for (com.google.protobuf.ByteString bytes : collection.getBytesList().getValueList()) {
      try {
        VariableDef v = VariableDef.parseFrom(bytes);
        snapshots.put(v.getVariableName(), v.getSnapshotName());
      } catch (com.google.protobuf.InvalidProtocolBufferException e) {
        throw new IllegalArgumentException("a damaged variable definition (" + e.getMessage() + ")", e);
      }
    }
    return snapshots;
  }

  /** Writes {@code values} (closed here) as the generator's weights to {@code out}, all or nothing. */
  private static void write(GanNetworks<TFloat32> networks, List<TFloat32> values, Path out, boolean overwrite,
      Map<String, String> extraFiles) {
    try {
      SavedModels.writeAtomically(out, overwrite, dir -> {
        writeModel(networks, values, dir);
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
      // x * 127.5 + 127.5, rounded half up, clamped to [0, 255] by Maximum and Minimum: TFLite has both
      // as built-in ops (not ClipByValue), so every signature converts without Select TF ops.
      Operand<TFloat32> scaled = tf.math.floor(tf.math.add(tf.math.add(tf.math.mul(images, tf.constant(127.5f)),
          tf.constant(127.5f)), tf.constant(0.5f)));
      Operand<TUint8> bytes = tf.withName("images_uint8").dtypes.cast(
          tf.math.minimum(tf.math.maximum(scaled, tf.constant(0f)), tf.constant(255f)), TUint8.class);

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

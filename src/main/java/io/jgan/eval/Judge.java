package io.jgan.eval;

import io.jgan.BadInputException;
import io.jgan.data.ImageSet;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.SessionFunction;
import org.tensorflow.Signature;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.types.TFloat32;

/**
 * A classifier SavedModel used to judge samples: its signature {@value #SIGNATURE} takes
 * {@value #IMAGES} float32 [n, h, w, c] scaled {@code (x - 127.5) / 127.5} and returns
 * {@value #FEATURES} float32 [n, d] (the penultimate layer) and {@value #LOGITS} float32
 * [n, classes]. The judges this project trains ({@link JudgeTraining}) have it; so may any other
 * classifier exported with the same signature.
 */
public final class Judge implements AutoCloseable {
  public static final String SIGNATURE = "features";
  public static final String IMAGES = "images";
  public static final String FEATURES = "features";
  public static final String LOGITS = "logits";
  /** Images per call. */
  static final int BATCH = 500;

  private final Path dir;
  private final SavedModelBundle bundle;
  private final SessionFunction function;
  private final JudgeInfo info;
  private final long[] inputShape;
  private final int featureSize;
  private final int classes;

  /** A judge's features and logits of n images, in float64 for the statistics. */
  public record Outputs(double[][] features, double[][] logits) {
    public int count() {
      return features.length;
    }
  }

  private Judge(Path dir, SavedModelBundle bundle, SessionFunction function, JudgeInfo info, long[] inputShape,
      int featureSize, int classes) {
    this.dir = dir;
    this.bundle = bundle;
    this.function = function;
    this.info = info;
    this.inputShape = inputShape;
    this.featureSize = featureSize;
    this.classes = classes;
  }

  /**
   * Loads the judge in {@code dir}.
   *
   * @param threads TensorFlow threads, 0 for TensorFlow's default
   * @throws BadInputException when it is not a SavedModel with the {@value #SIGNATURE} signature
   */
  public static Judge load(Path dir, int threads) {
    if (!Files.isRegularFile(dir.resolve("saved_model.pb"))) {
      throw new BadInputException(dir + ": expected a judge SavedModel directory (with saved_model.pb), found none"
          + " (train one with: train-judge --dataset mnist --out " + dir + ")");
    }
    JudgeInfo info = JudgeInfo.readIfPresent(dir);
    ConfigProto.Builder config = ConfigProto.newBuilder().putDeviceCount("GPU", 0);
    if (threads > 0) {
      config.setIntraOpParallelismThreads(threads).setInterOpParallelismThreads(threads);
    }
    SavedModelBundle bundle;
    try {
      bundle = SavedModelBundle.loader(dir.toString()).withTags(SavedModelBundle.DEFAULT_TAG)
          .withConfigProto(config.build()).load();
    } catch (RuntimeException e) {
      throw new BadInputException(dir + ": cannot load the SavedModel (" + e.getMessage() + ")", e);
    }
    try {
      SessionFunction function;
      try {
        function = bundle.function(SIGNATURE);
      } catch (RuntimeException e) {
        throw new BadInputException(dir + ": expected a signature '" + SIGNATURE + "' (images -> features, logits), got "
            + bundle.signatures().stream().map(Signature::key).toList());
      }
      Signature s = function.signature();
      Signature.TensorDescription in = s.getInputs().get(IMAGES);
      Signature.TensorDescription features = s.getOutputs().get(FEATURES);
      Signature.TensorDescription logits = s.getOutputs().get(LOGITS);
      if (in == null || features == null || logits == null || in.shape.numDimensions() != 4
          || features.shape.numDimensions() != 2 || logits.shape.numDimensions() != 2
          || in.shape.size(1) <= 0 || in.shape.size(2) <= 0 || (in.shape.size(3) != 1 && in.shape.size(3) != 3)
          || features.shape.size(1) <= 0 || logits.shape.size(1) <= 1) {
        throw new BadInputException(dir + ": signature '" + SIGNATURE + "': expected input " + IMAGES
            + " [n, h, w, 1 or 3] and outputs " + FEATURES + " [n, d], " + LOGITS + " [n, classes], got inputs "
            + describe(s.getInputs()) + " and outputs " + describe(s.getOutputs()));
      }
      long[] shape = {in.shape.size(1), in.shape.size(2), in.shape.size(3)};
      int classes = (int) logits.shape.size(1);
      if (info != null && info.classes() != classes) {
        throw new BadInputException(dir.resolve(JudgeInfo.FILE) + ": expected " + classes
            + " classes as the model's logits have, got " + info.classes());
      }
      return new Judge(dir, bundle, function, info, shape, (int) features.shape.size(1), classes);
    } catch (RuntimeException e) {
      bundle.close();
      throw e;
    }
  }

  private static String describe(Map<String, Signature.TensorDescription> tensors) {
    StringBuilder sb = new StringBuilder("{");
    tensors.forEach((k, v) -> sb.append(sb.length() > 1 ? ", " : "").append(k).append(' ').append(v.shape));
    return sb.append('}').toString();
  }

  /** Features and logits of {@code count} judge inputs [count, h, w, c] (see {@link JudgeImages}). */
  public Outputs run(float[] inputs, int count) {
    int size = imageSize();
    if (inputs.length != (long) count * size) {
      throw new IllegalArgumentException("expected " + (long) count * size + " input values for " + count + " images, got "
          + inputs.length);
    }
    double[][] features = new double[count][];
    double[][] logits = new double[count][];
    for (int from = 0; from < count; from += BATCH) {
      int n = Math.min(BATCH, count - from);
      float[] batch = java.util.Arrays.copyOfRange(inputs, from * size, (from + n) * size);
      try (TFloat32 images = TFloat32.tensorOf(Shape.of(n, inputShape[0], inputShape[1], inputShape[2]),
               DataBuffers.of(batch, true, false));
           Result r = function.call(Map.<String, Tensor>of(IMAGES, images))) {
        copyRows((TFloat32) r.get(FEATURES).orElseThrow(), features, from, n, featureSize);
        copyRows((TFloat32) r.get(LOGITS).orElseThrow(), logits, from, n, classes);
      }
    }
    return new Outputs(features, logits);
  }

  /** Features and logits of images {@code from} to {@code to} of an 8-bit set, converted to the judge's input. */
  public Outputs run(ImageSet set, int from, int to) {
    int h = (int) inputShape[0], w = (int) inputShape[1], c = (int) inputShape[2];
    float[] all = new float[(to - from) * imageSize()];
    // Converted in chunks so a 64x64 RGB set never needs a float copy of itself.
    for (int start = from; start < to; start += BATCH) {
      int end = Math.min(to, start + BATCH);
      float[] part = JudgeImages.toInput(set, start, end, h, w, c);
      System.arraycopy(part, 0, all, (start - from) * imageSize(), part.length);
    }
    return run(all, to - from);
  }

  private static void copyRows(TFloat32 t, double[][] into, int from, int n, int width) {
    float[] values = new float[n * width];
    t.copyTo(DataBuffers.of(values, false, false));
    for (int i = 0; i < n; i++) {
      double[] row = new double[width];
      for (int k = 0; k < width; k++) {
        row[k] = values[i * width + k];
      }
      into[from + i] = row;
    }
  }

  /** Values per input image. */
  public int imageSize() {
    return (int) (inputShape[0] * inputShape[1] * inputShape[2]);
  }

  /** One input image [height, width, channels]. */
  public long[] inputShape() {
    return inputShape.clone();
  }

  public int featureSize() {
    return featureSize;
  }

  public int classes() {
    return classes;
  }

  /** Its description, or null for a classifier without {@value JudgeInfo#FILE} (no reference set). */
  public JudgeInfo info() {
    return info;
  }

  public Path directory() {
    return dir;
  }

  @Override
  public void close() {
    bundle.close();
  }
}

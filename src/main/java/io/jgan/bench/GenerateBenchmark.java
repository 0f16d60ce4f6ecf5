package io.jgan.bench;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.SessionFunction;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.types.TFloat32;

/**
 * Times generating images from an exported SavedModel through its serving_default signature, each
 * batch's images copied into a Java float array (as Python's {@code .numpy()} copies them into a
 * numpy array): {@code repeats} timed repetitions of {@code count} images after one warm-up batch;
 * prints the median and spread of seconds per image and images per second, and the sum of each
 * batch's first pixel (Python's equals it: both sides use the same latents).
 *
 * <p>{@code java ... io.jgan.bench.GenerateBenchmark MODEL_DIR [count] [batch] [latentDim] [threads] [repeats]}
 * (threads bound TensorFlow's intra- and inter-op pools as {@code scripts/bench/python_bench.py}
 * bounds Python's; 0 for TensorFlow's default). The last line, {@code RESULT key=value ...}, is what
 * {@code scripts/bench/run.sh} reads.
 */
public final class GenerateBenchmark {
  private GenerateBenchmark() {}

  public static void main(String[] args) {
    Path model = Path.of(args[0]);
    int count = args.length > 1 ? Integer.parseInt(args[1]) : 10_000;
    int batch = args.length > 2 ? Integer.parseInt(args[2]) : 500;
    int latent = args.length > 3 ? Integer.parseInt(args[3]) : 100;
    int threads = args.length > 4 ? Integer.parseInt(args[4]) : 0;
    int repeats = args.length > 5 ? Integer.parseInt(args[5]) : 5;
    float[] z = new float[batch * latent];
    for (int i = 0; i < z.length; i++) {
      z[i] = (float) ((i * 7919L % 2001 - 1000) / 1000.0); // python_bench.py's latents: the same images on both sides
    }
    ConfigProto.Builder config = ConfigProto.newBuilder();
    if (threads > 0) {
      config.setIntraOpParallelismThreads(threads).setInterOpParallelismThreads(threads);
    }
    double[] perImage = new double[repeats];
    double checksum = 0;
    float[] images = null;
    try (SavedModelBundle bundle = SavedModelBundle.loader(model.toString()).withTags("serve")
             .withConfigProto(config.build()).load();
         TFloat32 latents = TFloat32.tensorOf(Shape.of(batch, latent), DataBuffers.of(z, true, false))) {
      SessionFunction serving = bundle.function("serving_default");
      images = run(serving, latents, null); // warm-up, and the size of a batch of images
      for (int rep = 0; rep < repeats; rep++) {
        long start = System.nanoTime();
        int done = 0;
        while (done < count) {
          run(serving, latents, images);
          checksum += images[0];
          done += batch;
        }
        perImage[rep] = (System.nanoTime() - start) / 1e9 / done;
      }
    }
    double[] sorted = perImage.clone();
    Arrays.sort(sorted);
    double median = repeats % 2 == 1 ? sorted[repeats / 2] : (sorted[repeats / 2 - 1] + sorted[repeats / 2]) / 2;
    System.out.printf(Locale.ROOT, "java generate: %d images x %d repetitions, batch %d, threads %s; seconds per image: "
        + "median %.3e, min %.3e, max %.3e; %.1f images/s (checksum %.3f)%n", count, repeats, batch,
        threads == 0 ? "default" : Integer.toString(threads), median, sorted[0], sorted[repeats - 1], 1 / median, checksum);
    System.out.printf(Locale.ROOT, "RESULT side=java what=generate batch=%d threads=%d repeats=%d median_s=%.6e min_s=%.6e "
        + "max_s=%.6e images_per_s=%.2f%n", batch, threads, repeats, median, sorted[0], sorted[repeats - 1], 1 / median);
  }

  /** One batch through the signature, its images copied into {@code into} (a new array when null). */
  private static float[] run(SessionFunction serving, TFloat32 latents, float[] into) {
    try (Result r = serving.call(Map.of("latents", (Tensor) latents))) {
      TFloat32 images = (TFloat32) r.get("images").orElseThrow();
      float[] out = into != null ? into : new float[(int) images.shape().size()];
      images.copyTo(DataBuffers.of(out, false, false));
      return out;
    }
  }
}

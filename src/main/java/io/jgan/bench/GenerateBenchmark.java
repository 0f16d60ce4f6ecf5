package io.jgan.bench;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.SessionFunction;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;

/**
 * Times generating images from an exported SavedModel through its serving_default signature:
 * {@code java ... io.jgan.bench.GenerateBenchmark MODEL_DIR [count] [batch] [latentDim]}.
 */
public final class GenerateBenchmark {
  private GenerateBenchmark() {}

  public static void main(String[] args) {
    Path model = Path.of(args[0]);
    int count = args.length > 1 ? Integer.parseInt(args[1]) : 10_000;
    int batch = args.length > 2 ? Integer.parseInt(args[2]) : 500;
    int latent = args.length > 3 ? Integer.parseInt(args[3]) : 100;
    float[] z = new float[batch * latent];
    java.util.SplittableRandom r = new java.util.SplittableRandom(1);
    for (int i = 0; i < z.length; i++) {
      z[i] = (float) r.nextDouble(-1, 1);
    }
    try (SavedModelBundle bundle = SavedModelBundle.load(model.toString(), "serve");
         TFloat32 latents = TFloat32.tensorOf(Shape.of(batch, latent), DataBuffers.of(z, true, false))) {
      SessionFunction serving = bundle.function("serving_default");
      run(serving, latents); // warm-up
      long start = System.nanoTime();
      int done = 0;
      while (done < count) {
        run(serving, latents);
        done += batch;
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      System.out.printf(Locale.ROOT, "java generate: %d images in %.2f s, %.1f images/s (batch %d)%n", done, seconds,
          done / seconds, batch);
    }
  }

  private static void run(SessionFunction serving, TFloat32 latents) {
    try (Result r = serving.call(Map.of("latents", (Tensor) latents))) {
      r.get("images").orElseThrow();
    }
  }
}

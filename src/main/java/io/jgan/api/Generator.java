package io.jgan.api;

import io.jgan.BadInputException;
import io.jgan.PixelScale;
import io.jgan.data.Dataset;
import io.jgan.eval.Evaluation;
import io.jgan.nn.RandomSource;
import io.jgan.run.ExportInfo;
import io.jgan.run.TrainConfig;
import io.jgan.train.graph.GeneratorExport;
import io.jgan.train.graph.LatentSampler;
import io.jgan.train.graph.Tensors;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;

/**
 * A trained generator exported by {@code jgan export}, for other Java programs: load it, ask for
 * images by seed or by latent vectors (and class labels, for a conditional model), get
 * {@link Images} back as arrays or PNGs.
 *
 * <pre>{@code
 * try (Generator generator = Generator.load(Path.of("savedmodels/dcgan-mnist"))) {
 *   Images digits = generator.generate(16, 42);   // as 'jgan generate --model ... --count 16 --seed 42'
 *   digits.writeGrid(Path.of("digits.png"));
 *   float[] first = digits.pixels(0);             // 28 x 28 x 1 values in [-1, 1]
 * }
 * }</pre>
 *
 * <p>Latent vectors drawn from a seed are those the {@code generate} command draws for the same
 * seed, from the distribution the preset was trained with (normal or uniform); a seed gives the same
 * images on every machine up to float32 rounding. One {@code Generator} may be used from several
 * threads; close it once, when done (it holds a TensorFlow session in native memory).
 */
public final class Generator implements AutoCloseable {
  private final Path dir;
  private final ExportInfo info;
  private final SavedModelBundle bundle;

  private Generator(Path dir, ExportInfo info, SavedModelBundle bundle) {
    this.dir = dir;
    this.info = info;
    this.bundle = bundle;
  }

  /**
   * Loads a model written by {@code jgan export} (a SavedModel with {@code jgan-export.json} beside it).
   *
   * @throws BadInputException naming the directory when it holds no such model
   */
  public static Generator load(Path dir) {
    ExportInfo info = ExportInfo.read(dir);
    try {
      return new Generator(dir, info, SavedModelBundle.load(dir.toString(), SavedModelBundle.DEFAULT_TAG));
    } catch (RuntimeException e) {
      throw new BadInputException(dir + ": cannot load the SavedModel (" + e.getMessage() + ")", e);
    }
  }

  /** The GAN the model was trained as: a preset's name, e.g. {@code dcgan-mnist}, or a program's GAN's. */
  public String preset() {
    return info.name();
  }

  /** The length of a latent vector. */
  public int latentDim() {
    return info.latentDim();
  }

  /** The number of classes of a conditional model; 0 for an unconditional one. */
  public int classes() {
    return info.classes();
  }

  /**
   * The shape of one generated example: {height, width, channels} for images, {d} for a GAN of
   * d-dimensional points (examples/ring), whose outputs {@link #call} gives (images only are {@link Images}).
   */
  public int[] imageShape() {
    return Arrays.stream(info.imageShape()).mapToInt(Math::toIntExact).toArray();
  }

  /** {@code count} images from the latent vectors of {@code seed}; a conditional model cycles through its classes. */
  public Images generate(int count, long seed) {
    int[] labels = new int[count];
    for (int i = 0; i < count; i++) {
      labels[i] = classes() > 0 ? i % classes() : 0;
    }
    return generate(latents(count, seed), classes() > 0 ? labels : null);
  }

  /** {@code count} images of class {@code label} from the latent vectors of {@code seed} (conditional models). */
  public Images generate(int count, long seed, int label) {
    requireConditional("a label");
    int[] labels = new int[count];
    Arrays.fill(labels, label);
    return generate(latents(count, seed), labels);
  }

  /** One image per latent vector (unconditional models); each vector {@link #latentDim()} long. */
  public Images generate(float[][] latents) {
    if (classes() > 0) {
      throw new IllegalArgumentException(dir + " (" + preset() + ") is conditional with " + classes()
          + " classes: expected generate(latents, labels), got no labels");
    }
    return generate(latents, null);
  }

  /** One image per latent vector and class label ({@code labels[i]} in [0, classes)); labels null when unconditional. */
  public Images generate(float[][] latents, int[] labels) {
    if (latents.length == 0) {
      throw new IllegalArgumentException("expected at least one latent vector, got none");
    }
    if (info.imageShape().length != 3) {
      throw new IllegalArgumentException(dir + " (" + preset() + ") generates examples of shape "
          + Arrays.toString(info.imageShape()) + ": expected an image model [height, width, channels] for "
          + "Images; call(latents, labels) gives any model's outputs as a tensor");
    }
    float[] flat = new float[latents.length * latentDim()];
    for (int i = 0; i < latents.length; i++) {
      if (latents[i].length != latentDim()) {
        throw new IllegalArgumentException("latents[" + i + "]: expected " + latentDim() + " values, got "
            + latents[i].length);
      }
      System.arraycopy(latents[i], 0, flat, i * latentDim(), latentDim());
    }
    if (labels != null) {
      requireConditional("labels");
      if (labels.length != latents.length) {
        throw new IllegalArgumentException("expected one label per latent vector (" + latents.length + "), got "
            + labels.length);
      }
    } else if (classes() > 0) {
      throw new IllegalArgumentException(preset() + " is conditional: expected labels, got none");
    }
    try (TFloat32 z = TFloat32.tensorOf(Shape.of(latents.length, latentDim()), DataBuffers.of(flat, true, false));
         TFloat32 y = labels != null ? Tensors.oneHot(labels, classes(), TFloat32.class) : null;
         TFloat32 images = call(z, y)) {
      return Images.of(images);
    }
  }

  /**
   * The latent vectors {@link #generate(int, long)} uses for {@code seed}: {@code count} rows of
   * {@link #latentDim()} values (for walking between them, or perturbing one).
   */
  public float[][] latents(int count, long seed) {
    if (count < 1) {
      throw new IllegalArgumentException("expected at least one image, got " + count);
    }
    float[][] rows = new float[count][latentDim()];
    try (LatentSampler sampler = new LatentSampler(info.latentPrior(), latentDim());
         TFloat32 z = sampler.sample(seed, RandomSource.STREAM_GENERATE, 0, count)) {
      for (int i = 0; i < count; i++) {
        z.get(i).copyTo(DataBuffers.of(rows[i], false, false));
      }
    }
    return rows;
  }

  /**
   * The model's {@code serving_default} signature on tensors, for programs already working in
   * TensorFlow Java: latents float32 [n, latentDim], labels float32 one-hot [n, classes] (null for an
   * unconditional model), images float32 [n, h, w, c] in [-1, 1] (for a GAN of points, [n, d]). The
   * caller closes the result.
   */
  public TFloat32 call(TFloat32 latents, TFloat32 labels) {
    Map<String, Tensor> inputs = new LinkedHashMap<>();
    inputs.put(GeneratorExport.LATENTS, latents);
    if (labels != null) {
      inputs.put(GeneratorExport.LABELS, labels);
    }
    try (Result r = bundle.function(GeneratorExport.SERVING).call(inputs)) {
      return Tensors.copy(r.get(GeneratorExport.IMAGES).orElseThrow());
    }
  }

  /**
   * Sample quality as {@code jgan evaluate --model} measures it: {@code count} samples from the
   * latents of {@code seed}, judged by the classifier for the model's dataset
   * ({@code savedmodels/judge-mnist} or {@code -fashion-mnist}, relative to the working directory)
   * against that dataset's test set in {@code dataDir} (fetched by {@code scripts/fetch-data.sh}
   * if missing). {@code report.samples()} holds the metrics, {@code report.realTrainingImages()}
   * the same for real images (the ceiling).
   *
   * @throws BadInputException when the model was trained on an image folder (no judge applies;
   *     use {@link #evaluate(Path, Path, int, long)} with a judge) or a file is missing
   */
  public Evaluation.Report evaluate(Path dataDir, int count, long seed) {
    TrainConfig config = info.config();
    if (TrainConfig.FOLDER.equals(config.dataset())) {
      throw new BadInputException(dir + ": trained on the image folder " + config.data()
          + "; expected a model trained on " + Dataset.names() + " for the default judge, or a judge directory");
    }
    return evaluate(SampleQuality.judgeFor(Dataset.parse(config.dataset())), dataDir, count, seed);
  }

  /** {@link #evaluate(Path, int, long)} with the judge in {@code judgeDir}. */
  public Evaluation.Report evaluate(Path judgeDir, Path dataDir, int count, long seed) {
    return SampleQuality.measure(this::call, info.generatorInfo(), classes(), PixelScale.TANH, info.config(), judgeDir, dataDir,
        count, seed, 0, dir.toString());
  }

  private void requireConditional(String what) {
    if (classes() == 0) {
      throw new IllegalArgumentException(preset() + " is not conditional: expected no " + what + ", got " + what);
    }
  }

  @Override
  public void close() {
    bundle.close();
  }
}

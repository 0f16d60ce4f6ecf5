package io.jgan.train;

import io.jgan.models.Preset;
import io.jgan.nn.CallContext;
import io.jgan.nn.FloatTypes;
import io.jgan.nn.RandomSource;
import io.jgan.nn.Sequential;
import io.jgan.nn.Weight;
import io.jgan.store.GanCheckpoint;
import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TFloat64;
import org.tensorflow.types.TInt64;
import org.tensorflow.types.family.TFloating;

/**
 * Everything one GAN run computes, as a single TensorFlow graph: the preset's generator and
 * discriminator, one Adam per network, the preset's train step, and inference (G(z) and D(x) with
 * {@code training=False}) for sample grids, {@code generate} and export.
 *
 * <p>A class-conditional GAN ({@code classes > 0}) feeds one-hot labels [n, classes] next to the
 * latent vectors and the images: G sees {@code concat(z, y)}, D sees the image with {@code y}
 * broadcast over it as extra channels (seed 003's conditional WGAN-GP).
 *
 * <p>Built in the same order every time, so op names and random streams are stable across runs.
 *
 * <p>{@code T} is the floating type of every weight, image and loss: float32 for training
 * ({@link #GanGraph(Preset, long, int, int, boolean)}), float64 for the parity checks, which
 * compare whole training steps with Python where float32 rounding would blur them.
 */
public final class GanGraph<T extends TFloating> implements AutoCloseable {
  private final Preset preset;
  private final long seed;
  private final int batchSize;
  private final int classes;
  private final boolean normalGpAlpha;
  private final Class<T> dtype;
  private final Graph graph;
  private final Ops tf;
  private final RandomSource random;
  private final Sequential generator;
  private final Sequential discriminator;
  private final Adam<T> generatorOptimizer;
  private final Adam<T> discriminatorOptimizer;
  private final TrainStep trainStep;
  private final Placeholder<T> latentInput;
  private final Placeholder<T> labelInput;
  private final Operand<T> generatedImages;
  private final Placeholder<T> imageInput;
  private final Operand<T> discriminatorOutput;
  private final Placeholder<TInt64> noiseKey;
  private final Placeholder<TInt64> noiseCount;
  private final Operand<T> noise;
  private final Op initOp;
  private final GanCheckpoint checkpoint;

  /** An unconditional float32 GAN. */
  public static GanGraph<TFloat32> float32(Preset preset, long seed, int batchSize) {
    return float32(preset, seed, batchSize, 0);
  }

  /**
   * A float32 GAN, what users train.
   *
   * @param seed the run seed: initial weights and every random draw derive from it
   * @param batchSize examples per training step
   * @param classes number of classes of a class-conditional GAN, 0 for an unconditional one
   */
  public static GanGraph<TFloat32> float32(Preset preset, long seed, int batchSize, int classes) {
    return float32(preset, seed, batchSize, classes, false);
  }

  /**
   * @param normalGpAlpha WGAN-GP presets: draw the penalty's alphas from N(0, 1) as seed 003 does
   *     ({@code --gp-alpha normal}) instead of the paper's U(0, 1)
   */
  public static GanGraph<TFloat32> float32(Preset preset, long seed, int batchSize, int classes, boolean normalGpAlpha) {
    return new GanGraph<>(preset, seed, batchSize, classes, normalGpAlpha, TFloat32.class);
  }

  /** The same GAN in float64 (weights, optimizer state, images, losses): the parity checks' build. */
  public static GanGraph<TFloat64> float64(Preset preset, long seed, int batchSize, int classes, boolean normalGpAlpha) {
    return new GanGraph<>(preset, seed, batchSize, classes, normalGpAlpha, TFloat64.class);
  }

  /** @param dtype the type of every weight, image and loss, {@code TFloat32} or {@code TFloat64} */
  public GanGraph(Preset preset, long seed, int batchSize, int classes, boolean normalGpAlpha, Class<T> dtype) {
    this.normalGpAlpha = normalGpAlpha;
    this.dtype = FloatTypes.require(dtype);
    if (classes < 0) {
      throw new IllegalArgumentException("expected 0 (unconditional) or more classes, got " + classes);
    }
    this.preset = preset;
    this.seed = seed;
    this.batchSize = batchSize;
    this.classes = classes;
    this.graph = new Graph();
    try {
      this.tf = Ops.create(graph);
      this.random = RandomSource.withStepPlaceholder(tf, seed);
      this.generator = preset.generator().build(preset.latentDim(), classes).build(tf, seed, dtype);
      this.discriminator = preset.discriminator().build(preset.imageShape(), classes).build(tf, seed, dtype);
      checkShapes();
      this.generatorOptimizer =
          new Adam<>(tf, "generator_optimizer", preset.generatorOptimizer(), generator.trainableWeights(), dtype);
      this.discriminatorOptimizer =
          new Adam<>(tf, "discriminator_optimizer", preset.discriminatorOptimizer(), discriminator.trainableWeights(), dtype);

      Ops inference = tf.withSubScope("inference");
      noiseKey = inference.withName("noise_key").placeholder(TInt64.class, Placeholder.shape(Shape.of(2)));
      noiseCount = inference.withName("noise_count").placeholder(TInt64.class, Placeholder.shape(Shape.scalar()));
      noise = latentNoise(inference, noiseCount, noiseKey);
      latentInput = inference.withName("latents")
          .placeholder(dtype, Placeholder.shape(Shape.of(-1, preset.latentDim())));
      labelInput = classes == 0 ? null
          : inference.withName("labels").placeholder(dtype, Placeholder.shape(Shape.of(-1, classes)));
      generatedImages = inference.withName("generated_images").identity(asImages(inference,
          generator.call(inference, generatorInput(inference, latentInput, labelInput), CallContext.inference())));
      imageInput = inference.withName("images").placeholder(dtype, Placeholder.shape(withBatch(preset.imageShape())));
      discriminatorOutput = inference.withName("discriminator_output").identity(
          discriminator.call(inference, discriminatorInput(inference, imageInput, labelInput), CallContext.inference()));

      this.trainStep = preset.trainStep().build(this);

      List<Op> inits = new ArrayList<>();
      inits.addAll(generator.initOps());
      inits.addAll(discriminator.initOps());
      inits.addAll(generatorOptimizer.initOps());
      inits.addAll(discriminatorOptimizer.initOps());
      this.initOp = tf.withControlDependencies(inits).withName("init_all").noOp();
      this.checkpoint = new GanCheckpoint(this);
    } catch (RuntimeException e) {
      graph.close();
      throw e;
    }
  }

  /** G must make images of the data's size; D must take them (plus label channels when conditional). */
  private void checkShapes() {
    Shape image = preset.imageShape();
    if (generator.outputShape().size() != image.size()) {
      throw new IllegalStateException(preset.name() + ": the generator makes " + generator.outputShape()
          + " but the data is " + image);
    }
    long expected = classes == 0 ? image.size() : image.size(0) * image.size(1) * (image.size(2) + classes);
    if (discriminator.inputShape().size() != expected) {
      throw new IllegalStateException(preset.name() + ": the discriminator takes " + discriminator.inputShape()
          + ", expected " + expected + " values per example");
    }
  }

  /** G's output as images [n, h, w, c] (the MLP generators of seeds 001 and 004 make flat vectors). */
  public Operand<T> asImages(Ops ops, Operand<T> generatorOutput) {
    return asImages(ops, generatorOutput, generator, preset.imageShape());
  }

  public static <U extends TFloating> Operand<U> asImages(Ops ops, Operand<U> output, Sequential generator, Shape imageShape) {
    return generator.outputShape().equals(imageShape) ? output
        : ops.reshape(output, ops.constant(withBatch(imageShape).asArray()));
  }

  /** G's input: z [n, latent], or concat(z, labels) [n, latent + classes] for a conditional GAN. */
  public Operand<T> generatorInput(Ops ops, Operand<T> latents, Operand<T> labels) {
    return generatorInput(ops, latents, labels, classes);
  }

  public static <U extends TFloating> Operand<U> generatorInput(Ops ops, Operand<U> latents, Operand<U> labels, int classes) {
    return classes == 0 ? latents : ops.concat(List.of(latents, labels), ops.constant(1));
  }

  /**
   * D's input from images [n, h, w, c]: for a conditional GAN the images with the one-hot labels
   * broadcast to every pixel as extra channels, [n, h, w, c + classes]; for an MLP discriminator
   * the images flattened, [n, h * w * c].
   */
  public Operand<T> discriminatorInput(Ops ops, Operand<T> images, Operand<T> labels) {
    if (classes == 0) {
      Shape input = discriminator.inputShape();
      return input.equals(preset.imageShape()) ? images : ops.reshape(images, ops.constant(withBatch(input).asArray()));
    }
    Shape image = preset.imageShape();
    Operand<T> perPixel = ops.reshape(labels, ops.constant(new long[] {-1, 1, 1, classes}));
    Operand<T> tiled = ops.tile(perPixel, ops.constant(new long[] {1, image.size(0), image.size(1), 1}));
    return ops.concat(List.of(images, tiled), ops.constant(3));
  }

  /** Latent vectors [count, latentDim] from the preset's prior, drawn from {@code key}. */
  public Operand<T> latentNoise(Ops ops, Operand<TInt64> count, Operand<TInt64> key) {
    return LatentSampler.latentNoise(ops, preset.latentPrior(), preset.latentDim(), count, key, dtype);
  }

  /** A CPU session on this graph; {@code threads} bounds TensorFlow's intra- and inter-op pools (0: TensorFlow's default). */
  public Session openSession(int threads) {
    return openSession(threads, false);
  }

  /** A session on this graph, on the GPU when {@code gpu} (see {@link Devices}), else with GPUs hidden. */
  public Session openSession(int threads, boolean gpu) {
    ConfigProto.Builder config = ConfigProto.newBuilder();
    if (threads > 0) {
      config.setIntraOpParallelismThreads(threads).setInterOpParallelismThreads(threads);
    }
    if (!gpu) {
      config.putDeviceCount("GPU", 0);
    }
    return new Session(graph, false, config.build());
  }

  /** Gives every variable its seeded initial value (a fresh run). */
  public void initialize(Session session) {
    session.run(initOp);
  }

  /** {@code count} latent vectors keyed on (seed, stream, counter): the same key, the same vectors. */
  public T sampleLatents(Session session, long seed, int stream, long counter, int count) {
    try (TInt64 key = TInt64.vectorOf(RandomSource.mix(seed, stream), counter);
         TInt64 n = TInt64.scalarOf(count);
         Result r = session.runner().feed(noiseKey, key).feed(noiseCount, n).fetch(noise).run()) {
      return copy(r.get(0));
    }
  }

  /** G(z) with {@code training=False}: images [n, h, w, c] in the preset's pixel range (unconditional). */
  public T generate(Session session, T latents) {
    return generate(session, latents, null);
  }

  /** G(z, y) with {@code training=False}; {@code labels} one-hot [n, classes], null for an unconditional GAN. */
  public T generate(Session session, T latents, T labels) {
    Session.Runner runner = session.runner().feed(latentInput, latents);
    feedLabels(runner, labels, latents.shape().size(0));
    try (Result r = runner.fetch(generatedImages).run()) {
      return copy(r.get(0));
    }
  }

  /** D(x) with {@code training=False}: [n, 1] logits or probabilities, as the preset's D outputs. */
  public T discriminate(Session session, T images) {
    return discriminate(session, images, null);
  }

  /** D(x, y) with {@code training=False}; {@code labels} one-hot [n, classes], null for an unconditional GAN. */
  public T discriminate(Session session, T images, T labels) {
    Session.Runner runner = session.runner().feed(imageInput, images);
    feedLabels(runner, labels, images.shape().size(0));
    try (Result r = runner.fetch(discriminatorOutput).run()) {
      return copy(r.get(0));
    }
  }

  private void feedLabels(Session.Runner runner, T labels, long count) {
    if (classes == 0) {
      if (labels != null) {
        throw new IllegalArgumentException(preset.name() + " is not class-conditional: expected no labels");
      }
      return;
    }
    if (labels == null || !labels.shape().equals(Shape.of(count, classes))) {
      throw new IllegalArgumentException(preset.name() + ": expected one-hot labels [" + count + ", " + classes + "], got "
          + (labels == null ? "none" : labels.shape()));
    }
    runner.feed(labelInput, labels);
  }

  /** One-hot rows [labels.length, classes] for class indices, in the graph's type. */
  @SuppressWarnings("unchecked")
  public T oneHot(int... labels) {
    double[] values = new double[labels.length * classes];
    for (int i = 0; i < labels.length; i++) {
      if (labels[i] < 0 || labels[i] >= classes) {
        throw new IllegalArgumentException("expected a label in [0, " + classes + "), got " + labels[i]);
      }
      values[i * classes + labels[i]] = 1;
    }
    T out = Tensor.of(dtype, Shape.of(labels.length, classes));
    for (int i = 0; i < values.length; i++) {
      long[] at = {i / classes, i % classes};
      if (out instanceof TFloat32 f) {
        f.setFloat((float) values[i], at);
      } else {
        ((TFloat64) out).setDouble(values[i], at);
      }
    }
    return out;
  }

  /** Every variable a checkpoint holds for the networks (generator then discriminator). */
  public List<Weight> networkWeights() {
    List<Weight> all = new ArrayList<>(generator.weights());
    all.addAll(discriminator.weights());
    return all;
  }

  /** The batch size of a placeholder-fed batch [b, ...] as a scalar (independent of any weight). */
  public static Operand<TInt64> batchOf(Ops ops, Operand<?> batch) {
    return ops.reshape(ops.stridedSlice(ops.shape(batch, TInt64.class), ops.constant(new int[] {0}),
        ops.constant(new int[] {1}), ops.constant(new int[] {1})), ops.constant(new long[0]));
  }

  static Shape withBatch(Shape example) {
    long[] dims = new long[example.numDimensions() + 1];
    dims[0] = -1;
    System.arraycopy(example.asArray(), 0, dims, 1, example.numDimensions());
    return Shape.of(dims);
  }

  /** A copy that outlives the Result it came from (reading a tensor after its Result closed returns garbage). */
  @SuppressWarnings("unchecked")
  private T copy(Tensor source) {
    if (source instanceof TFloat32 f) {
      TFloat32 copy = TFloat32.tensorOf(f.shape());
      f.copyTo(copy);
      return (T) copy;
    }
    TFloat64 d = (TFloat64) source;
    TFloat64 copy = TFloat64.tensorOf(d.shape());
    d.copyTo(copy);
    return (T) copy;
  }

  public Preset preset() { return preset; }
  public long seed() { return seed; }
  public int batchSize() { return batchSize; }
  /** Classes of a conditional GAN; 0 when unconditional. */
  public int classes() { return classes; }
  public boolean conditional() { return classes > 0; }
  /** Whether WGAN-GP alphas are drawn from N(0, 1) (seed 003's bug, kept for parity) rather than U(0, 1). */
  public boolean normalGpAlpha() { return normalGpAlpha; }
  /** The type of every weight, image and loss. */
  public Class<T> dtype() { return dtype; }
  /** The inference label input [n, classes], or null when unconditional. */
  public Placeholder<T> labelInput() { return labelInput; }
  public Placeholder<T> imageInput() { return imageInput; }
  public Operand<T> discriminatorOutput() { return discriminatorOutput; }
  public Graph graph() { return graph; }
  public Ops tf() { return tf; }
  public RandomSource random() { return random; }
  public Sequential generator() { return generator; }
  public Sequential discriminator() { return discriminator; }
  public Adam<T> generatorOptimizer() { return generatorOptimizer; }
  public Adam<T> discriminatorOptimizer() { return discriminatorOptimizer; }
  public TrainStep trainStep() { return trainStep; }
  public GanCheckpoint checkpoint() { return checkpoint; }
  public Operand<T> generatedImages() { return generatedImages; }
  public Placeholder<T> latentInput() { return latentInput; }

  @Override
  public void close() {
    graph.close();
  }
}

package io.jgan.train;

import io.jgan.models.Preset;
import io.jgan.nn.CallContext;
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
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;

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
 */
public final class GanGraph implements AutoCloseable {
  private final Preset preset;
  private final long seed;
  private final int batchSize;
  private final int classes;
  private final boolean normalGpAlpha;
  private final Graph graph;
  private final Ops tf;
  private final RandomSource random;
  private final Sequential generator;
  private final Sequential discriminator;
  private final Adam generatorOptimizer;
  private final Adam discriminatorOptimizer;
  private final TrainStep trainStep;
  private final Placeholder<TFloat32> latentInput;
  private final Placeholder<TFloat32> labelInput;
  private final Operand<TFloat32> generatedImages;
  private final Placeholder<TFloat32> imageInput;
  private final Operand<TFloat32> discriminatorOutput;
  private final Placeholder<TInt64> noiseKey;
  private final Placeholder<TInt64> noiseCount;
  private final Operand<TFloat32> noise;
  private final Op initOp;
  private final GanCheckpoint checkpoint;

  /** An unconditional GAN. */
  public GanGraph(Preset preset, long seed, int batchSize) {
    this(preset, seed, batchSize, 0);
  }

  /**
   * @param seed the run seed: initial weights and every random draw derive from it
   * @param batchSize examples per training step
   * @param classes number of classes of a class-conditional GAN, 0 for an unconditional one
   */
  public GanGraph(Preset preset, long seed, int batchSize, int classes) {
    this(preset, seed, batchSize, classes, false);
  }

  /**
   * @param normalGpAlpha WGAN-GP presets: draw the penalty's alphas from N(0, 1) as seed 003 does
   *     ({@code --gp-alpha normal}) instead of the paper's U(0, 1)
   */
  public GanGraph(Preset preset, long seed, int batchSize, int classes, boolean normalGpAlpha) {
    this.normalGpAlpha = normalGpAlpha;
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
      this.generator = preset.generator().build(preset.latentDim(), classes).build(tf, seed);
      this.discriminator = preset.discriminator().build(preset.imageShape(), classes).build(tf, seed);
      checkShapes();
      this.generatorOptimizer =
          new Adam(tf, "generator_optimizer", preset.generatorOptimizer(), generator.trainableWeights());
      this.discriminatorOptimizer =
          new Adam(tf, "discriminator_optimizer", preset.discriminatorOptimizer(), discriminator.trainableWeights());

      Ops inference = tf.withSubScope("inference");
      noiseKey = inference.withName("noise_key").placeholder(TInt64.class, Placeholder.shape(Shape.of(2)));
      noiseCount = inference.withName("noise_count").placeholder(TInt64.class, Placeholder.shape(Shape.scalar()));
      noise = latentNoise(inference, noiseCount, noiseKey);
      latentInput = inference.withName("latents")
          .placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, preset.latentDim())));
      labelInput = classes == 0 ? null
          : inference.withName("labels").placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, classes)));
      generatedImages = inference.withName("generated_images").identity(asImages(inference,
          generator.call(inference, generatorInput(inference, latentInput, labelInput), CallContext.inference())));
      imageInput = inference.withName("images").placeholder(TFloat32.class, Placeholder.shape(withBatch(preset.imageShape())));
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
  public Operand<TFloat32> asImages(Ops ops, Operand<TFloat32> generatorOutput) {
    return asImages(ops, generatorOutput, generator, preset.imageShape());
  }

  public static Operand<TFloat32> asImages(Ops ops, Operand<TFloat32> output, Sequential generator, Shape imageShape) {
    return generator.outputShape().equals(imageShape) ? output
        : ops.reshape(output, ops.constant(withBatch(imageShape).asArray()));
  }

  /** G's input: z [n, latent], or concat(z, labels) [n, latent + classes] for a conditional GAN. */
  public Operand<TFloat32> generatorInput(Ops ops, Operand<TFloat32> latents, Operand<TFloat32> labels) {
    return generatorInput(ops, latents, labels, classes);
  }

  public static Operand<TFloat32> generatorInput(Ops ops, Operand<TFloat32> latents, Operand<TFloat32> labels, int classes) {
    return classes == 0 ? latents : ops.concat(List.of(latents, labels), ops.constant(1));
  }

  /**
   * D's input from images [n, h, w, c]: for a conditional GAN the images with the one-hot labels
   * broadcast to every pixel as extra channels, [n, h, w, c + classes]; for an MLP discriminator
   * the images flattened, [n, h * w * c].
   */
  public Operand<TFloat32> discriminatorInput(Ops ops, Operand<TFloat32> images, Operand<TFloat32> labels) {
    if (classes == 0) {
      Shape input = discriminator.inputShape();
      return input.equals(preset.imageShape()) ? images : ops.reshape(images, ops.constant(withBatch(input).asArray()));
    }
    Shape image = preset.imageShape();
    Operand<TFloat32> perPixel = ops.reshape(labels, ops.constant(new long[] {-1, 1, 1, classes}));
    Operand<TFloat32> tiled = ops.tile(perPixel, ops.constant(new long[] {1, image.size(0), image.size(1), 1}));
    return ops.concat(List.of(images, tiled), ops.constant(3));
  }

  /** Latent vectors [count, latentDim] from the preset's prior, drawn from {@code key}. */
  public Operand<TFloat32> latentNoise(Ops ops, Operand<TInt64> count, Operand<TInt64> key) {
    return LatentSampler.latentNoise(ops, preset.latentPrior(), preset.latentDim(), count, key);
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
  public TFloat32 sampleLatents(Session session, long seed, int stream, long counter, int count) {
    try (TInt64 key = TInt64.vectorOf(RandomSource.mix(seed, stream), counter);
         TInt64 n = TInt64.scalarOf(count);
         Result r = session.runner().feed(noiseKey, key).feed(noiseCount, n).fetch(noise).run()) {
      return copy((TFloat32) r.get(0));
    }
  }

  /** G(z) with {@code training=False}: images [n, h, w, c] in the preset's pixel range (unconditional). */
  public TFloat32 generate(Session session, TFloat32 latents) {
    return generate(session, latents, null);
  }

  /** G(z, y) with {@code training=False}; {@code labels} one-hot [n, classes], null for an unconditional GAN. */
  public TFloat32 generate(Session session, TFloat32 latents, TFloat32 labels) {
    Session.Runner runner = session.runner().feed(latentInput, latents);
    feedLabels(runner, labels, latents.shape().size(0));
    try (Result r = runner.fetch(generatedImages).run()) {
      return copy((TFloat32) r.get(0));
    }
  }

  /** D(x) with {@code training=False}: [n, 1] logits or probabilities, as the preset's D outputs. */
  public TFloat32 discriminate(Session session, TFloat32 images) {
    return discriminate(session, images, null);
  }

  /** D(x, y) with {@code training=False}; {@code labels} one-hot [n, classes], null for an unconditional GAN. */
  public TFloat32 discriminate(Session session, TFloat32 images, TFloat32 labels) {
    Session.Runner runner = session.runner().feed(imageInput, images);
    feedLabels(runner, labels, images.shape().size(0));
    try (Result r = runner.fetch(discriminatorOutput).run()) {
      return copy((TFloat32) r.get(0));
    }
  }

  private void feedLabels(Session.Runner runner, TFloat32 labels, long count) {
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

  /** One-hot rows [labels.length, classes] for class indices. */
  public TFloat32 oneHot(int... labels) {
    float[] values = new float[labels.length * classes];
    for (int i = 0; i < labels.length; i++) {
      if (labels[i] < 0 || labels[i] >= classes) {
        throw new IllegalArgumentException("expected a label in [0, " + classes + "), got " + labels[i]);
      }
      values[i * classes + labels[i]] = 1f;
    }
    return TFloat32.tensorOf(Shape.of(labels.length, classes), org.tensorflow.ndarray.buffer.DataBuffers.of(values, true, false));
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
  private static TFloat32 copy(TFloat32 source) {
    TFloat32 copy = TFloat32.tensorOf(source.shape());
    source.copyTo(copy);
    return copy;
  }

  public Preset preset() { return preset; }
  public long seed() { return seed; }
  public int batchSize() { return batchSize; }
  /** Classes of a conditional GAN; 0 when unconditional. */
  public int classes() { return classes; }
  public boolean conditional() { return classes > 0; }
  /** Whether WGAN-GP alphas are drawn from N(0, 1) (seed 003's bug, kept for parity) rather than U(0, 1). */
  public boolean normalGpAlpha() { return normalGpAlpha; }
  /** The inference label input [n, classes], or null when unconditional. */
  public Placeholder<TFloat32> labelInput() { return labelInput; }
  public Placeholder<TFloat32> imageInput() { return imageInput; }
  public Operand<TFloat32> discriminatorOutput() { return discriminatorOutput; }
  public Graph graph() { return graph; }
  public Ops tf() { return tf; }
  public RandomSource random() { return random; }
  public Sequential generator() { return generator; }
  public Sequential discriminator() { return discriminator; }
  public Adam generatorOptimizer() { return generatorOptimizer; }
  public Adam discriminatorOptimizer() { return discriminatorOptimizer; }
  public TrainStep trainStep() { return trainStep; }
  public GanCheckpoint checkpoint() { return checkpoint; }
  public Operand<TFloat32> generatedImages() { return generatedImages; }
  public Placeholder<TFloat32> latentInput() { return latentInput; }

  @Override
  public void close() {
    graph.close();
  }
}

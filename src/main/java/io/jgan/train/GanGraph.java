package io.jgan.train;

import io.jgan.models.LatentPrior;
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
 * <p>Built in the same order every time, so op names and random streams are stable across runs.
 */
public final class GanGraph implements AutoCloseable {
  private final Preset preset;
  private final long seed;
  private final int batchSize;
  private final Graph graph;
  private final Ops tf;
  private final RandomSource random;
  private final Sequential generator;
  private final Sequential discriminator;
  private final Adam generatorOptimizer;
  private final Adam discriminatorOptimizer;
  private final TrainStep trainStep;
  private final Placeholder<TFloat32> latentInput;
  private final Operand<TFloat32> generatedImages;
  private final Placeholder<TFloat32> imageInput;
  private final Operand<TFloat32> discriminatorOutput;
  private final Placeholder<TInt64> noiseKey;
  private final Placeholder<TInt64> noiseCount;
  private final Operand<TFloat32> noise;
  private final Op initOp;
  private final GanCheckpoint checkpoint;

  /**
   * @param seed the run seed: initial weights and every random draw derive from it
   * @param batchSize examples per training step
   */
  public GanGraph(Preset preset, long seed, int batchSize) {
    this.preset = preset;
    this.seed = seed;
    this.batchSize = batchSize;
    this.graph = new Graph();
    try {
      this.tf = Ops.create(graph);
      this.random = RandomSource.withStepPlaceholder(tf, seed);
      this.generator = preset.generator().apply(preset.latentDim()).build(tf, seed);
      this.discriminator = preset.discriminator().get().build(tf, seed);
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
      generatedImages = inference.withName("generated_images")
          .identity(generator.call(inference, latentInput, CallContext.inference()));
      imageInput = inference.withName("images").placeholder(TFloat32.class, Placeholder.shape(withBatch(preset.imageShape())));
      discriminatorOutput = inference.withName("discriminator_output")
          .identity(discriminator.call(inference, imageInput, CallContext.inference()));

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

  private void checkShapes() {
    if (!generator.outputShape().equals(preset.imageShape())) {
      throw new IllegalStateException(preset.name() + ": the generator makes " + generator.outputShape()
          + " but the data is " + preset.imageShape());
    }
  }

  /** Latent vectors [count, latentDim] from the preset's prior, drawn from {@code key}. */
  public Operand<TFloat32> latentNoise(Ops ops, Operand<TInt64> count, Operand<TInt64> key) {
    Operand<TInt64> shape = ops.stack(List.of(count, ops.constant((long) preset.latentDim())));
    if (preset.latentPrior() == LatentPrior.NORMAL) {
      return RandomSource.normal(ops, shape, key);
    }
    // U(-1, 1) from U(0, 1).
    Operand<TFloat32> unit = RandomSource.uniform(ops, shape, key);
    return ops.math.sub(ops.math.mul(unit, ops.constant(2f)), ops.constant(1f));
  }

  /** A session on this graph; {@code threads} bounds TensorFlow's intra- and inter-op pools (0: TensorFlow's default). */
  public Session openSession(int threads) {
    ConfigProto.Builder config = ConfigProto.newBuilder();
    if (threads > 0) {
      config.setIntraOpParallelismThreads(threads).setInterOpParallelismThreads(threads);
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

  /** G(z) with {@code training=False}: images [n, h, w, c] in the preset's pixel range. */
  public TFloat32 generate(Session session, TFloat32 latents) {
    try (Result r = session.runner().feed(latentInput, latents).fetch(generatedImages).run()) {
      return copy((TFloat32) r.get(0));
    }
  }

  /** D(x) with {@code training=False}: [n, 1] logits or probabilities, as the preset's D outputs. */
  public TFloat32 discriminate(Session session, TFloat32 images) {
    try (Result r = session.runner().feed(imageInput, images).fetch(discriminatorOutput).run()) {
      return copy((TFloat32) r.get(0));
    }
  }

  /** Every variable a checkpoint holds for the networks (generator then discriminator). */
  public List<Weight> networkWeights() {
    List<Weight> all = new ArrayList<>(generator.weights());
    all.addAll(discriminator.weights());
    return all;
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

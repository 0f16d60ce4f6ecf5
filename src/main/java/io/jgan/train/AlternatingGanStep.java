package io.jgan.train;

import io.jgan.nn.CallContext;
import io.jgan.nn.RandomSource;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;
import org.tensorflow.types.family.TFloating;

/**
 * The original GAN algorithm (Goodfellow et al. 2014, Algorithm 1 with k = 1) as seeds 001, 002 and
 * 004 run it: first a discriminator update, then a generator update through the updated
 * discriminator, as two session runs (phases).
 *
 * <pre>
 *   D step: fake = G(z1) (inference mode, outside the gradient: Keras's generator.predict, the TF1
 *           graph's separate run, Flux's forward pass outside withgradient);
 *           d_loss = BCE(real label, D(x)) + BCE(0, D(fake));  Adam_D.apply(d d_loss / d theta_D)
 *   G step: g_loss = BCE(1, D(G(z2)));  Adam_G.apply(d g_loss / d theta_G)
 * </pre>
 *
 * <p>Seed 001 trains D on one mixed batch [real; fake] with labels [0.9; 0] ({@link Mix#MIXED_BATCH});
 * the others call D on each half. Seeds 001 and 004 draw fresh noise z2 for the G step; seed 002
 * reuses z1, but differentiates a batch computed outside the gradient so G never learns (a seed
 * bug): here G's step recomputes G(z1) inside its gradient. The discriminator runs in training mode
 * in both steps (Keras {@code train_on_batch}).
 *
 * <p>Random tensors: D phase {@code noise}, {@code discriminator_dropout_i}; G phase
 * {@code generator_noise} (fresh) or {@code noise} (reused: the same stateless op evaluated again),
 * {@code generator_dropout_i}.
 */
public final class AlternatingGanStep {
  /** How the discriminator sees real and generated images in its step. */
  public enum Mix {
    /** D(x) and D(G(z)) as two calls; losses added (or averaged, per the loss). */
    SEPARATE,
    /** One call on concat([x, G(z)]) with targets [real label; 0] (seed 001's train_on_batch). */
    MIXED_BATCH
  }

  private static final List<String> METRICS = List.of("d_loss", "g_loss", "d_real", "d_fake");

  private AlternatingGanStep() {}

  /**
   * @param freshGeneratorNoise draw new latents for the G step (seeds 001, 004) or reuse the D step's (002)
   */
  public static TrainStep.Factory of(BceGanLoss loss, Mix mix, boolean freshGeneratorNoise) {
    return new TrainStep.Factory() {
      @Override
      public <T extends TFloating> TrainStep build(TrainingGraph<T> graph) {
        return AlternatingGanStep.build(graph, loss, mix, freshGeneratorNoise);
      }
    };
  }

  private static <T extends TFloating> TrainStep build(TrainingGraph<T> g, BceGanLoss loss, Mix mix, boolean freshGeneratorNoise) {
    Ops tf = g.tf().withSubScope("train_step");
    RandomSource random = g.random();
    Placeholder<T> realImages = tf.withName("real_images")
        .placeholder(g.dtype(), Placeholder.shape(GanNetworks.withBatch(g.spec().imageShape())));
    // The seeds draw a full batch of latents even for a smaller last batch.
    Operand<TInt64> batch = tf.constant((long) g.batchSize());

    // --- discriminator update ---------------------------------------------------------------------
    Ops d = tf.withSubScope("discriminator");
    Operand<T> noise = d.identity(g.networks().latentNoise(d, batch, random.key(d, random.newStream())));
    Operand<T> fake = d.stopGradient(g.networks().generate(d, noise, null, g.inferencePass()));
    CallContext dCtx = g.trainingPass();
    Operand<T> discriminatorLoss;
    Operand<T> realOut;
    Operand<T> fakeOut;
    if (mix == Mix.MIXED_BATCH) {
      Operand<T> both = d.concat(List.of(realImages, fake), d.constant(0));
      Operand<T> out = g.networks().discriminate(d, both, null, dCtx);
      Operand<TInt32> realCount = d.reshape(d.stridedSlice(d.shape(realImages), d.constant(new int[] {0}),
          d.constant(new int[] {1}), d.constant(new int[] {1})), d.constant(new long[] {1}));
      Operand<TInt32> sizes = d.concat(List.of(realCount, d.constant(new int[] {g.batchSize()})), d.constant(0));
      var split = d.splitV(out, sizes, d.constant(0), 2L);
      realOut = split.output().get(0);
      fakeOut = split.output().get(1);
      discriminatorLoss = loss.mixedBatch(d, out, realCount, g.batchSize());
    } else {
      realOut = g.networks().discriminate(d, realImages, null, dCtx);
      fakeOut = g.networks().discriminate(d, fake, null, dCtx);
      discriminatorLoss = loss.discriminator(d, realOut, fakeOut, random, GanNetworks.batchOf(d, realImages), batch);
    }
    Map<String, Operand<?>> dMetrics = new LinkedHashMap<>();
    dMetrics.put("d_loss", discriminatorLoss);
    dMetrics.put("d_real", loss.meanProbability(d, realOut));
    dMetrics.put("d_fake", loss.meanProbability(d, fakeOut));
    Op discriminatorTrain = Updates.minimize(d, discriminatorLoss, g.discriminatorOptimizer(),
        List.copyOf(dMetrics.values()), dCtx);
    Map<String, Operand<?>> dRandom = new LinkedHashMap<>();
    dRandom.put("noise", noise);
    Updates.putMasks(dRandom, "discriminator_dropout_", dCtx);
    dRandom.putAll(random.takeNamed());

    // --- generator update --------------------------------------------------------------------------
    g.phaseBuilt(discriminatorTrain); // G's passes read D's weights after its update
    Ops gen = tf.withSubScope("generator");
    Operand<T> generatorNoise = freshGeneratorNoise
        ? gen.identity(g.networks().latentNoise(gen, batch, random.key(gen, random.newStream())))
        : noise; // stateless: evaluating it again in the G run gives the D run's values
    CallContext gCtx = g.trainingPass();
    Operand<T> generated = g.networks().generate(gen, generatorNoise, null, gCtx);
    Operand<T> scores = g.networks().discriminate(gen, generated, null, gCtx);
    Operand<T> generatorLoss = loss.generator(gen, scores);
    Op generatorTrain = Updates.minimize(gen, generatorLoss, g.generatorOptimizer(), List.of(generatorLoss), gCtx);
    Map<String, Operand<?>> gRandom = new LinkedHashMap<>();
    gRandom.put(freshGeneratorNoise ? "generator_noise" : "noise", generatorNoise);
    Updates.putMasks(gRandom, "generator_dropout_", gCtx);

    List<Phase> phases = List.of(
        new Phase("discriminator", 0, true, dMetrics, discriminatorTrain, dRandom),
        new Phase("generator", 0, false, Map.of("g_loss", generatorLoss), generatorTrain, gRandom));
    return new TrainStep(METRICS, phases, random.step(), random.substep(), realImages, null);
  }
}

package io.jgan.train;

import io.jgan.data.Batch;
import io.jgan.nn.CallContext;
import io.jgan.nn.RandomSource;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;

/**
 * The original GAN algorithm (Goodfellow et al. 2014, Algorithm 1 with k = 1) as seeds 001, 002 and
 * 004 run it: first a discriminator update, then a generator update through the updated
 * discriminator, as two session runs.
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
 */
public final class AlternatingGanStep implements TrainStep {
  /** How the discriminator sees real and generated images in its step. */
  public enum Mix {
    /** D(x) and D(G(z)) as two calls; losses added (or averaged, per the loss). */
    SEPARATE,
    /** One call on concat([x, G(z)]) with targets [real label; 0] (seed 001's train_on_batch). */
    MIXED_BATCH
  }

  private static final List<String> METRICS = List.of("d_loss", "g_loss", "d_real", "d_fake");

  private final Placeholder<TFloat32> realImages;
  private final Operand<TInt64> step;
  private final List<Operand<TFloat32>> discriminatorMetrics;
  private final Op discriminatorTrain;
  private final Operand<TFloat32> generatorLoss;
  private final Op generatorTrain;
  private final Map<String, Operand<?>> overridable = new LinkedHashMap<>();

  /**
   * @param freshGeneratorNoise draw new latents for the G step (seeds 001, 004) or reuse the D step's (002)
   */
  public static TrainStep.Factory of(BceGanLoss loss, Mix mix, boolean freshGeneratorNoise) {
    return graph -> new AlternatingGanStep(graph, loss, mix, freshGeneratorNoise);
  }

  private AlternatingGanStep(GanGraph g, BceGanLoss loss, Mix mix, boolean freshGeneratorNoise) {
    Ops tf = g.tf().withSubScope("train_step");
    RandomSource random = g.random();
    step = random.step();
    realImages = tf.withName("real_images")
        .placeholder(TFloat32.class, Placeholder.shape(GanGraph.withBatch(g.preset().imageShape())));
    // The seeds draw a full batch of latents even for a smaller last batch.
    Operand<TInt64> batch = tf.constant((long) g.batchSize());

    // --- discriminator update ---------------------------------------------------------------------
    Ops d = tf.withSubScope("discriminator");
    Operand<TFloat32> noise = d.identity(g.latentNoise(d, batch, random.key(d, random.newStream())));
    Operand<TFloat32> fake = d.stopGradient(g.asImages(d, g.generator().call(d, noise, CallContext.inference())));
    CallContext dCtx = CallContext.training(random);
    Operand<TFloat32> discriminatorLoss;
    Operand<TFloat32> realOut;
    Operand<TFloat32> fakeOut;
    if (mix == Mix.MIXED_BATCH) {
      Operand<TFloat32> both = d.concat(List.of(realImages, fake), d.constant(0));
      Operand<TFloat32> out = g.discriminator().call(d, g.discriminatorInput(d, both, null), dCtx);
      Operand<TInt32> realCount = d.reshape(d.stridedSlice(d.shape(realImages), d.constant(new int[] {0}),
          d.constant(new int[] {1}), d.constant(new int[] {1})), d.constant(new long[] {1}));
      Operand<TInt32> sizes = d.concat(List.of(realCount, d.constant(new int[] {g.batchSize()})), d.constant(0));
      var split = d.splitV(out, sizes, d.constant(0), 2L);
      realOut = split.output().get(0);
      fakeOut = split.output().get(1);
      discriminatorLoss = loss.mixedBatch(d, out, realCount, g.batchSize());
    } else {
      realOut = g.discriminator().call(d, g.discriminatorInput(d, realImages, null), dCtx);
      fakeOut = g.discriminator().call(d, g.discriminatorInput(d, fake, null), dCtx);
      discriminatorLoss = loss.discriminator(d, realOut, fakeOut, random, GanGraph.batchOf(d, realImages), batch);
    }
    discriminatorMetrics = List.of(discriminatorLoss, loss.meanProbability(d, realOut), loss.meanProbability(d, fakeOut));
    discriminatorTrain = Updates.minimize(d, discriminatorLoss, g.discriminatorOptimizer(), discriminatorMetrics, dCtx);
    overridable.put("noise", noise);
    Updates.putMasks(overridable, "discriminator_dropout_", dCtx);
    overridable.putAll(random.takeNamed());

    // --- generator update --------------------------------------------------------------------------
    Ops gen = tf.withSubScope("generator");
    Operand<TFloat32> generatorNoise = freshGeneratorNoise
        ? gen.identity(g.latentNoise(gen, batch, random.key(gen, random.newStream())))
        : noise; // stateless: evaluating it again in the G run gives the D run's values
    CallContext gCtx = CallContext.training(random);
    Operand<TFloat32> generated = g.asImages(gen, g.generator().call(gen, generatorNoise, gCtx));
    Operand<TFloat32> scores = g.discriminator().call(gen, g.discriminatorInput(gen, generated, null), gCtx);
    generatorLoss = loss.generator(gen, scores);
    generatorTrain = Updates.minimize(gen, generatorLoss, g.generatorOptimizer(), List.of(generatorLoss), gCtx);
    if (freshGeneratorNoise) {
      overridable.put("generator_noise", generatorNoise);
    }
    Updates.putMasks(overridable, "generator_dropout_", gCtx);
  }

  @Override
  public List<String> metricNames() {
    return METRICS;
  }

  @Override
  public float[] run(Session session, Batch batch, long stepNumber, IntFunction<Map<Operand<?>, Tensor>> overrides) {
    float[] values = new float[METRICS.size()];
    try (TInt64 stepTensor = TInt64.scalarOf(stepNumber)) {
      Session.Runner dRun = session.runner().feed(realImages, batch.images()).feed(step, stepTensor);
      overrides.apply(0).forEach(dRun::feed);
      discriminatorMetrics.forEach(dRun::fetch);
      try (Result r = dRun.addTarget(discriminatorTrain).run()) {
        values[0] = ((TFloat32) r.get(0)).getFloat();
        values[2] = ((TFloat32) r.get(1)).getFloat();
        values[3] = ((TFloat32) r.get(2)).getFloat();
      }
      Session.Runner gRun = session.runner().feed(step, stepTensor);
      overrides.apply(1).forEach(gRun::feed);
      try (Result r = gRun.fetch(generatorLoss).addTarget(generatorTrain).run()) {
        values[1] = ((TFloat32) r.get(0)).getFloat();
      }
    }
    return values;
  }

  @Override
  public int runsPerStep() {
    return 2;
  }

  @Override
  public Map<String, Operand<?>> overridable() {
    return overridable;
  }
}

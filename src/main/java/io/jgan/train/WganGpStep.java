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
import org.tensorflow.types.TInt64;

/**
 * Seed 003's WGAN-GP {@code train_step} (Gulrajani et al. 2017, Algorithm 1), for the plain and
 * the class-conditional critic:
 *
 * <pre>
 *   repeat n_critic times (fresh noise each):
 *     fake = G(z); c_wass = mean D(fake) - mean D(real)
 *     c_loss = c_wass + lambda * GP(real, fake)
 *     Adam_D.apply(d c_loss / d theta_D)
 *   z fresh; g_loss = -mean D(G(z)); Adam_G.apply(d g_loss / d theta_G)
 * </pre>
 *
 * All networks run in training mode, as in the seed: dropout in the critic (in the penalty's call
 * too), and the generator's BatchNorm moving statistics updated on every call. One step is
 * {@code n_critic + 1} session runs; each feeds its own sub-step so noise, dropout masks and
 * alphas are fresh and still keyed on the step (an exact resume replays them). Reported metrics are
 * the last critic iteration's and the generator's.
 */
public final class WganGpStep implements TrainStep {
  /** Seed 003: three critic updates per generator update. */
  public static final int CRITIC_STEPS_DEFAULT = 3;

  private static final List<String> METRICS = List.of("critic_loss", "wasserstein", "gradient_penalty", "g_loss");

  private final int criticSteps;
  private final Placeholder<TFloat32> realImages;
  private final Placeholder<TFloat32> labels;
  private final Operand<TInt64> step;
  private final Operand<TInt64> substep;
  private final List<Operand<TFloat32>> criticMetrics;
  private final Op criticTrain;
  private final Operand<TFloat32> generatorLoss;
  private final Op generatorTrain;
  private final Map<String, Operand<?>> overridable = new LinkedHashMap<>();

  /** The penalty's alphas are U(0, 1), or N(0, 1) as seed 003 draws them when the graph asks ({@link GanGraph#normalGpAlpha()}). */
  public static TrainStep.Factory of(int criticSteps, double gpWeight) {
    return graph -> new WganGpStep(graph, criticSteps, gpWeight, graph.normalGpAlpha());
  }

  private WganGpStep(GanGraph g, int criticSteps, double gpWeight, boolean normalAlpha) {
    if (criticSteps < 1 || criticSteps >= RandomSource.SUBSTEPS) {
      throw new IllegalArgumentException("expected 1 to " + (RandomSource.SUBSTEPS - 1) + " critic steps, got " + criticSteps);
    }
    this.criticSteps = criticSteps;
    Ops tf = g.tf().withSubScope("train_step");
    RandomSource random = g.random();
    step = random.step();
    substep = random.substep();
    realImages = tf.withName("real_images")
        .placeholder(TFloat32.class, Placeholder.shape(GanGraph.withBatch(g.preset().imageShape())));
    labels = g.conditional()
        ? tf.withName("labels").placeholder(TFloat32.class, Placeholder.shape(org.tensorflow.ndarray.Shape.of(-1, g.classes())))
        : null;
    // The seed draws batch_size = tf.shape(real_images)[0] latent vectors.
    Operand<TInt64> batch = GanGraph.batchOf(tf, realImages);

    // --- critic update -----------------------------------------------------------------------
    Ops c = tf.withSubScope("critic");
    CallContext criticCtx = CallContext.training(random);
    Operand<TFloat32> criticNoise = c.identity(g.latentNoise(c, batch, random.key(c, random.newStream())));
    Operand<TFloat32> fake = g.asImages(c, g.generator().call(c, g.generatorInput(c, criticNoise, labels), criticCtx));
    Operand<TFloat32> fakeScores = g.discriminator().call(c, g.discriminatorInput(c, fake, labels), criticCtx);
    Operand<TFloat32> realScores = g.discriminator().call(c, g.discriminatorInput(c, realImages, labels), criticCtx);
    Operand<TFloat32> wassersteinLoss = c.math.sub(Losses.meanOfAll(c, fakeScores), Losses.meanOfAll(c, realScores));
    Operand<TInt64> alphaShape = c.concat(List.of(c.reshape(batch, c.constant(new long[] {1})), c.constant(new long[] {1, 1, 1})),
        c.constant(0));
    Operand<TInt64> alphaKey = random.key(c, random.newStream());
    Operand<TFloat32> alpha = c.identity(normalAlpha ? RandomSource.normal(c, alphaShape, alphaKey)
        : RandomSource.uniform(c, alphaShape, alphaKey));
    Operand<TFloat32> penalty = GradientPenalty.penalty(c,
        x -> g.discriminator().call(c, g.discriminatorInput(c, x, labels), criticCtx),
        realImages, c.stopGradient(fake), alpha, TFloat32.class);
    Operand<TFloat32> criticLoss = c.math.add(wassersteinLoss, c.math.mul(penalty, c.constant((float) gpWeight)));
    criticMetrics = List.of(criticLoss, c.math.neg(wassersteinLoss), penalty);
    criticTrain = Updates.minimize(c, criticLoss, g.discriminatorOptimizer(), criticMetrics, criticCtx);
    overridable.put("critic_noise", criticNoise);
    overridable.put("alpha", alpha);
    Updates.putMasks(overridable, "critic_dropout_", criticCtx);

    // --- generator update --------------------------------------------------------------------
    Ops gen = tf.withSubScope("generator");
    CallContext genCtx = CallContext.training(random);
    Operand<TFloat32> noise = gen.identity(g.latentNoise(gen, batch, random.key(gen, random.newStream())));
    Operand<TFloat32> generated = g.asImages(gen, g.generator().call(gen, g.generatorInput(gen, noise, labels), genCtx));
    Operand<TFloat32> scores = g.discriminator().call(gen, g.discriminatorInput(gen, generated, labels), genCtx);
    generatorLoss = gen.math.neg(Losses.meanOfAll(gen, scores));
    generatorTrain = Updates.minimize(gen, generatorLoss, g.generatorOptimizer(), List.of(generatorLoss), genCtx);
    overridable.put("noise", noise);
    Updates.putMasks(overridable, "generator_dropout_", genCtx);
  }

  @Override
  public List<String> metricNames() {
    return METRICS;
  }

  @Override
  public float[] run(Session session, Batch batch, long stepNumber, IntFunction<Map<Operand<?>, Tensor>> overrides) {
    float[] values = new float[METRICS.size()];
    try (TInt64 stepTensor = TInt64.scalarOf(stepNumber)) {
      for (int k = 0; k < criticSteps; k++) {
        try (TInt64 sub = TInt64.scalarOf(k)) {
          Session.Runner runner = session.runner().feed(realImages, batch.images()).feed(step, stepTensor).feed(substep, sub);
          feedLabels(runner, batch);
          overrides.apply(k).forEach(runner::feed);
          criticMetrics.forEach(runner::fetch);
          try (Result r = runner.addTarget(criticTrain).run()) {
            for (int i = 0; i < criticMetrics.size(); i++) {
              values[i] = ((TFloat32) r.get(i)).getFloat();
            }
          }
        }
      }
      try (TInt64 sub = TInt64.scalarOf(criticSteps)) {
        Session.Runner runner = session.runner().feed(realImages, batch.images()).feed(step, stepTensor).feed(substep, sub);
        feedLabels(runner, batch);
        overrides.apply(criticSteps).forEach(runner::feed);
        try (Result r = runner.fetch(generatorLoss).addTarget(generatorTrain).run()) {
          values[3] = ((TFloat32) r.get(0)).getFloat();
        }
      }
    }
    return values;
  }

  private void feedLabels(Session.Runner runner, Batch batch) {
    if (labels != null) {
      if (batch.labels() == null) {
        throw new IllegalArgumentException("a conditional WGAN-GP step needs one-hot labels with its batch");
      }
      runner.feed(labels, batch.labels());
    }
  }

  @Override
  public int runsPerStep() {
    return criticSteps + 1;
  }

  @Override
  public Map<String, Operand<?>> overridable() {
    return overridable;
  }
}

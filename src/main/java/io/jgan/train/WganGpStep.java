package io.jgan.train;

import io.jgan.nn.CallContext;
import io.jgan.nn.FloatTypes;
import io.jgan.nn.RandomSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TInt64;
import org.tensorflow.types.family.TFloating;

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
 * {@code n_critic + 1} phases over the same critic ops; each feeds its own sub-step so noise,
 * dropout masks and alphas are fresh and still keyed on the step (an exact resume replays them).
 * Reported metrics are the last critic iteration's and the generator's.
 *
 * <p>Random tensors: critic phases {@code critic_noise}, {@code alpha}, {@code critic_dropout_i};
 * generator phase {@code noise}, {@code generator_dropout_i}.
 */
public final class WganGpStep {
  /** Seed 003: three critic updates per generator update. */
  public static final int CRITIC_STEPS_DEFAULT = 3;

  private static final List<String> METRICS = List.of("critic_loss", "wasserstein", "gradient_penalty", "g_loss");

  private WganGpStep() {}

  /** The penalty's alphas are U(0, 1), or N(0, 1) as seed 003 draws them when the graph asks ({@link TrainingGraph#normalGpAlpha()}). */
  public static TrainStep.Factory of(int criticSteps, double gpWeight) {
    if (criticSteps < 1 || criticSteps >= RandomSource.SUBSTEPS) {
      throw new IllegalArgumentException("expected 1 to " + (RandomSource.SUBSTEPS - 1) + " critic steps, got " + criticSteps);
    }
    return new TrainStep.Factory() {
      @Override
      public <T extends TFloating> TrainStep build(TrainingGraph<T> graph) {
        return WganGpStep.build(graph, criticSteps, gpWeight, graph.normalGpAlpha());
      }

      /** The critic phase's ops run n_critic times per step, at different sub-steps. */
      @Override
      public boolean unrollable() {
        return false;
      }
    };
  }

  private static <T extends TFloating> TrainStep build(TrainingGraph<T> g, int criticSteps, double gpWeight, boolean normalAlpha) {
    Ops tf = g.tf().withSubScope("train_step");
    RandomSource random = g.random();
    Placeholder<T> realImages = tf.withName("real_images")
        .placeholder(g.dtype(), Placeholder.shape(GanNetworks.withBatch(g.spec().imageShape())));
    Placeholder<T> labels = g.classes() > 0
        ? tf.withName("labels").placeholder(g.dtype(), Placeholder.shape(Shape.of(-1, g.classes())))
        : null;
    // The seed draws batch_size = tf.shape(real_images)[0] latent vectors.
    Operand<TInt64> batch = GanNetworks.batchOf(tf, realImages);

    // --- critic update -----------------------------------------------------------------------
    Ops c = tf.withSubScope("critic");
    CallContext criticCtx = g.trainingPass();
    Operand<T> criticNoise = c.identity(g.networks().latentNoise(c, batch, random.key(c, random.newStream())));
    Operand<T> fake = g.networks().generate(c, criticNoise, labels, criticCtx);
    Operand<T> fakeScores = g.networks().discriminate(c, fake, labels, criticCtx);
    Operand<T> realScores = g.networks().discriminate(c, realImages, labels, criticCtx);
    Operand<T> wassersteinLoss = c.math.sub(Losses.meanOfAll(c, fakeScores), Losses.meanOfAll(c, realScores));
    Operand<TInt64> alphaShape = c.concat(List.of(c.reshape(batch, c.constant(new long[] {1})), c.constant(new long[] {1, 1, 1})),
        c.constant(0));
    Operand<TInt64> alphaKey = random.key(c, random.newStream());
    Operand<T> alpha = c.identity(normalAlpha ? RandomSource.normal(c, alphaShape, alphaKey, g.dtype())
        : RandomSource.uniform(c, alphaShape, alphaKey, g.dtype()));
    Operand<T> penalty = GradientPenalty.penalty(c,
        x -> g.networks().discriminate(c, x, labels, criticCtx),
        realImages, c.stopGradient(fake), alpha, g.dtype());
    Operand<T> criticLoss = c.math.add(wassersteinLoss, c.math.mul(penalty, FloatTypes.constant(c, gpWeight, g.dtype())));
    Map<String, Operand<?>> criticMetrics = new LinkedHashMap<>();
    criticMetrics.put("critic_loss", criticLoss);
    criticMetrics.put("wasserstein", c.math.neg(wassersteinLoss));
    criticMetrics.put("gradient_penalty", penalty);
    Op criticTrain = Updates.minimize(c, criticLoss, g.discriminatorOptimizer(), List.copyOf(criticMetrics.values()),
        criticCtx);
    Map<String, Operand<?>> criticRandom = new LinkedHashMap<>();
    criticRandom.put("critic_noise", criticNoise);
    criticRandom.put("alpha", alpha);
    Updates.putMasks(criticRandom, "critic_dropout_", criticCtx);

    // --- generator update --------------------------------------------------------------------
    Ops gen = tf.withSubScope("generator");
    CallContext genCtx = g.trainingPass();
    Operand<T> noise = gen.identity(g.networks().latentNoise(gen, batch, random.key(gen, random.newStream())));
    Operand<T> generated = g.networks().generate(gen, noise, labels, genCtx);
    Operand<T> scores = g.networks().discriminate(gen, generated, labels, genCtx);
    Operand<T> generatorLoss = gen.math.neg(Losses.meanOfAll(gen, scores));
    Op generatorTrain = Updates.minimize(gen, generatorLoss, g.generatorOptimizer(), List.of(generatorLoss), genCtx);
    Map<String, Operand<?>> generatorRandom = new LinkedHashMap<>();
    generatorRandom.put("noise", noise);
    Updates.putMasks(generatorRandom, "generator_dropout_", genCtx);

    List<Phase> phases = new ArrayList<>();
    for (int k = 0; k < criticSteps; k++) {
      phases.add(new Phase("critic_" + k, k, true, criticMetrics, criticTrain, criticRandom));
    }
    phases.add(new Phase("generator", criticSteps, true, Map.of("g_loss", generatorLoss), generatorTrain, generatorRandom));
    return new TrainStep(METRICS, phases, random.step(), random.substep(), realImages, labels);
  }
}

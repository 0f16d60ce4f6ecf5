package io.jgan.gan;

import io.jgan.nn.CallContext;
import io.jgan.nn.RandomSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TInt64;
import org.tensorflow.types.family.TFloating;

/**
 * Seed 003's WGAN-GP {@code train_step} (Gulrajani et al. 2017, Algorithm 1), for the plain and
 * the class-conditional critic, with any loss:
 *
 * <pre>
 *   repeat n_critic times (fresh noise each):
 *     fake = G(z); c_loss = loss.discriminator(D(real), D(fake))   (Wasserstein + lambda GP in the seed)
 *     Adam_D.apply(d c_loss / d theta_D)
 *   z fresh; g_loss = loss.generator(D(G(z))); Adam_G.apply(d g_loss / d theta_G)
 * </pre>
 *
 * All networks run in training mode, as in the seed: dropout in the critic (in the penalty's call
 * too), and the generator's BatchNorm moving statistics updated on every call. One step is
 * {@code n_critic + 1} phases over the same critic ops; each feeds its own sub-step so noise,
 * dropout masks and alphas are fresh and still keyed on the step (an exact resume replays them).
 * Reported metrics are the last critic iteration's and the generator's. One latent vector per real
 * image (the seed's {@code batch_size = tf.shape(real_images)[0]}).
 *
 * <p>Random tensors: critic phases {@code critic_noise}, the loss's own ({@code alpha}),
 * {@code critic_dropout_i}; generator phase {@code noise}, {@code generator_dropout_i}.
 */
final class CriticFirstStep {
  private CriticFirstStep() {}

  static <T extends TFloating> BuiltStep build(StepBuilder<T> s, int criticSteps, GanLoss loss) {
    Ops tf = s.tf().withSubScope("train_step");
    RandomSource random = s.random();
    Placeholder<T> realImages = s.realImagesPlaceholder(tf);
    Placeholder<T> labels = s.labelsPlaceholder(tf);
    Operand<TInt64> batch = StepBuilder.batchOf(tf, realImages);

    // --- critic update -----------------------------------------------------------------------
    Ops c = tf.withSubScope("critic");
    CallContext criticCtx = s.trainingPass();
    Operand<T> criticNoise = c.identity(s.latents(c, batch));
    Operand<T> fake = s.generate(c, criticNoise, labels, criticCtx);
    Operand<T> fakeScores = s.discriminate(c, fake, labels, criticCtx);
    Operand<T> realScores = s.discriminate(c, realImages, labels, criticCtx);
    Map<String, Operand<T>> criticMetrics = loss.discriminator(new LossInputs<>(c, realScores, fakeScores, realImages,
        fake, x -> s.discriminate(c, x, labels, criticCtx), random, batch, batch));
    Operand<T> criticLoss = criticMetrics.values().iterator().next();
    Op criticTrain = Updates.minimize(c, criticLoss, s.discriminatorOptimizer(), List.copyOf(criticMetrics.values()),
        criticCtx);
    Map<String, Operand<?>> criticRandom = new LinkedHashMap<>();
    criticRandom.put("critic_noise", criticNoise);
    criticRandom.putAll(random.takeNamed());
    Updates.putMasks(criticRandom, "critic_dropout_", criticCtx);

    // --- generator update --------------------------------------------------------------------
    Ops gen = tf.withSubScope("generator");
    CallContext genCtx = s.trainingPass();
    Operand<T> noise = gen.identity(s.latents(gen, batch));
    Operand<T> generated = s.generate(gen, noise, labels, genCtx);
    Operand<T> scores = s.discriminate(gen, generated, labels, genCtx);
    Operand<T> generatorLoss = loss.generator(gen, scores);
    Op generatorTrain = Updates.minimize(gen, generatorLoss, s.generatorOptimizer(), List.of(generatorLoss), genCtx);
    Map<String, Operand<?>> generatorRandom = new LinkedHashMap<>();
    generatorRandom.put("noise", noise);
    Updates.putMasks(generatorRandom, "generator_dropout_", genCtx);

    List<Phase> phases = new ArrayList<>();
    for (int k = 0; k < criticSteps; k++) {
      phases.add(new Phase("critic_" + k, k, true, new LinkedHashMap<>(criticMetrics), criticTrain, criticRandom));
    }
    phases.add(new Phase("generator", criticSteps, true, Map.of(GanLoss.GENERATOR_LOSS, generatorLoss), generatorTrain,
        generatorRandom));
    return new BuiltStep(loss.metricNames(), phases, realImages, labels);
  }
}

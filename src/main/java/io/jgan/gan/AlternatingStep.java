package io.jgan.gan;

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
 *           d_loss = loss.discriminator(D(x), D(fake));  Adam_D.apply(d d_loss / d theta_D)
 *   G step: g_loss = loss.generator(D(G(z2)));  Adam_G.apply(d g_loss / d theta_G)
 * </pre>
 *
 * <p>Seed 001 trains D on one mixed batch [real; fake] ({@link GanLoss#mixedBatch}); the others call
 * D on each half. Seeds 001 and 004 draw fresh noise z2 for the G step; seed 002 reuses z1, but
 * differentiates a batch computed outside the gradient so G never learns (a seed bug): here G's step
 * recomputes G(z1) inside its gradient. The discriminator runs in training mode in both steps (Keras
 * {@code train_on_batch}). The seeds draw a full configured batch of latents even for the smaller
 * last batch of an epoch.
 *
 * <p>A class-conditional GAN draws one latent vector per real image and gives both networks that
 * image's label in both phases (keras-io's conditional GAN).
 *
 * <p>Random tensors: D phase {@code noise}, {@code discriminator_dropout_i} and the loss's own; G
 * phase {@code generator_noise} (fresh) or {@code noise} (reused: the same stateless op evaluated
 * again), {@code generator_dropout_i}.
 */
final class AlternatingStep {
  private AlternatingStep() {}

  static <T extends TFloating> BuiltStep build(StepBuilder<T> s, GanLoss loss, boolean mixedBatch,
      boolean freshGeneratorNoise) {
    Ops tf = s.tf().withSubScope("train_step");
    RandomSource random = s.random();
    Placeholder<T> realImages = s.realImagesPlaceholder(tf);
    Placeholder<T> labels = s.labelsPlaceholder(tf);
    if (labels != null && mixedBatch) {
      throw new IllegalArgumentException("the alternating step: a mixed batch of a class-conditional GAN is not built; "
          + "expected D called on each half (no mixedBatch())");
    }
    // The seeds draw a full configured batch of latents even for the smaller last batch; a
    // conditional GAN draws one per real image, each with that image's label.
    Operand<TInt64> batch = labels != null ? StepBuilder.batchOf(tf, realImages) : tf.constant((long) s.batchSize());

    // --- discriminator update ---------------------------------------------------------------------
    Ops d = tf.withSubScope("discriminator");
    Operand<T> noise = d.identity(s.latents(d, batch));
    Operand<T> fake = d.stopGradient(s.generate(d, noise, labels, s.inferencePass()));
    CallContext dCtx = s.trainingPass();
    Map<String, Operand<T>> dMetrics;
    if (mixedBatch) {
      Operand<T> both = d.concat(List.of(realImages, fake), d.constant(0));
      Operand<T> out = s.discriminate(d, both, null, dCtx);
      Operand<TInt32> realCount = d.reshape(d.stridedSlice(d.shape(realImages), d.constant(new int[] {0}),
          d.constant(new int[] {1}), d.constant(new int[] {1})), d.constant(new long[] {1}));
      Operand<TInt32> sizes = d.concat(List.of(realCount, d.constant(new int[] {s.batchSize()})), d.constant(0));
      var split = d.splitV(out, sizes, d.constant(0), 2L);
      LossInputs<T> halves = new LossInputs<>(d, split.output().get(0), split.output().get(1), realImages, fake,
          x -> s.discriminate(d, x, null, dCtx), random, StepBuilder.batchOf(d, realImages), batch);
      dMetrics = loss.mixedBatch(halves, out, realCount, s.batchSize());
    } else {
      Operand<T> realOut = s.discriminate(d, realImages, labels, dCtx);
      Operand<T> fakeOut = s.discriminate(d, fake, labels, dCtx);
      dMetrics = loss.discriminator(new LossInputs<>(d, realOut, fakeOut, realImages, fake,
          x -> s.discriminate(d, x, labels, dCtx), random, StepBuilder.batchOf(d, realImages), batch));
    }
    Operand<T> discriminatorLoss = dMetrics.values().iterator().next();
    Op discriminatorTrain = Updates.minimize(d, discriminatorLoss, s.discriminatorOptimizer(),
        List.copyOf(dMetrics.values()), dCtx);
    Map<String, Operand<?>> dRandom = new LinkedHashMap<>();
    dRandom.put("noise", noise);
    Updates.putMasks(dRandom, "discriminator_dropout_", dCtx);
    dRandom.putAll(random.takeNamed());

    // --- generator update --------------------------------------------------------------------------
    s.phaseBuilt(discriminatorTrain); // G's passes read D's weights after its update
    Ops gen = tf.withSubScope("generator");
    Operand<T> generatorNoise = freshGeneratorNoise
        ? gen.identity(s.latents(gen, batch))
        : noise; // stateless: evaluating it again in the G run gives the D run's values
    CallContext gCtx = s.trainingPass();
    Operand<T> generated = s.generate(gen, generatorNoise, labels, gCtx);
    Operand<T> scores = s.discriminate(gen, generated, labels, gCtx);
    Operand<T> generatorLoss = loss.generator(gen, scores);
    Op generatorTrain = Updates.minimize(gen, generatorLoss, s.generatorOptimizer(), List.of(generatorLoss), gCtx);
    Map<String, Operand<?>> gRandom = new LinkedHashMap<>();
    gRandom.put(freshGeneratorNoise ? "generator_noise" : "noise", generatorNoise);
    Updates.putMasks(gRandom, "generator_dropout_", gCtx);

    List<Phase> phases = List.of(
        new Phase("discriminator", 0, true, new LinkedHashMap<>(dMetrics), discriminatorTrain, dRandom),
        new Phase("generator", 0, labels != null, Map.of(GanLoss.GENERATOR_LOSS, generatorLoss), generatorTrain, gRandom));
    return new BuiltStep(loss.metricNames(), phases, realImages, labels);
  }
}

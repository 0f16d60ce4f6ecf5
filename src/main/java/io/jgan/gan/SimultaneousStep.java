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
import org.tensorflow.types.TInt64;
import org.tensorflow.types.family.TFloating;

/**
 * The TensorFlow DCGAN tutorial's {@code train_step} (seeds 000 and 003-DCGAN): both networks are
 * updated from one forward pass, as its two GradientTapes do; one session run.
 *
 * <pre>
 *   z ~ prior, [noise batch, latent]
 *   fake = G(z); real_out = D(x); fake_out = D(fake)         (all training=True)
 *   g_loss = loss.generator(fake_out); d_loss = loss.discriminator(real_out, fake_out)
 *   grad_G = d g_loss / d theta_G;  grad_D = d d_loss / d theta_D  (both before any update)
 *   Adam_G.apply(grad_G); Adam_D.apply(grad_D)
 * </pre>
 *
 * <p>Random tensors: {@code noise}, {@code dropout_0, dropout_1, ...} (D's keep-masks in call
 * order: D(real) first, then D(fake)) and the loss's own (label noise, penalty alphas).
 */
final class SimultaneousStep {
  private SimultaneousStep() {}

  static <T extends TFloating> BuiltStep build(StepBuilder<T> s, GanLoss loss, boolean noiseMatchesRealBatch) {
    Ops tf = s.tf().withSubScope("train_step");
    RandomSource random = s.random();
    Placeholder<T> realImages = s.realImagesPlaceholder(tf);
    Placeholder<T> labels = s.labelsPlaceholder(tf);
    if (labels != null && !noiseMatchesRealBatch) {
      throw new IllegalArgumentException("a class-conditional simultaneous step: expected one latent vector per real "
          + "image (noisePerRealImage()), so that each has a label, got a configured batch of them");
    }
    Operand<TInt64> realBatch = StepBuilder.batchOf(tf, realImages);
    Operand<TInt64> noiseBatch = noiseMatchesRealBatch ? realBatch : tf.constant((long) s.batchSize());
    Operand<T> noise = tf.withName("noise").identity(s.latents(tf, noiseBatch));

    CallContext ctx = s.trainingPass();
    Operand<T> fakeImages = s.generate(tf, noise, labels, ctx);
    Operand<T> realOutput = s.discriminate(tf, realImages, labels, ctx);
    Operand<T> fakeOutput = s.discriminate(tf, fakeImages, labels, ctx);

    Operand<T> generatorLoss = loss.generator(tf, fakeOutput);
    Map<String, Operand<T>> discriminatorMetrics = loss.discriminator(new LossInputs<>(tf, realOutput, fakeOutput,
        realImages, fakeImages, x -> s.discriminate(tf, x, labels, ctx), random, realBatch, noiseBatch));
    Operand<T> discriminatorLoss = discriminatorMetrics.values().iterator().next();
    Map<String, Operand<?>> metrics = new LinkedHashMap<>();
    for (String name : loss.metricNames()) {
      metrics.put(name, name.equals(GanLoss.GENERATOR_LOSS) ? generatorLoss : discriminatorMetrics.get(name));
    }

    // Both gradients (and the metrics) are computed from the old weights before either update.
    Op train = Updates.applyAfter(tf, List.of(
        new Updates.Update<>(s.generatorOptimizer(), Updates.gradients(tf, generatorLoss, s.generatorOptimizer(), ctx)),
        new Updates.Update<>(s.discriminatorOptimizer(),
            Updates.gradients(tf, discriminatorLoss, s.discriminatorOptimizer(), ctx))),
        List.copyOf(metrics.values()), ctx);

    Map<String, Operand<?>> randomTensors = new LinkedHashMap<>();
    randomTensors.put("noise", noise);
    Updates.putMasks(randomTensors, "dropout_", ctx);
    randomTensors.putAll(random.takeNamed());
    Phase phase = new Phase("both", 0, true, metrics, train, randomTensors);
    return new BuiltStep(loss.metricNames(), List.of(phase), realImages, labels);
  }
}

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
import org.tensorflow.types.TInt64;
import org.tensorflow.types.family.TFloating;

/**
 * The TensorFlow DCGAN tutorial's {@code train_step} (seeds 000 and 003-DCGAN): both networks are
 * updated from one forward pass, as its two GradientTapes do; one session run.
 *
 * <pre>
 *   z ~ prior, [noise batch, latent]
 *   fake = G(z); real_out = D(x); fake_out = D(fake)         (all training=True)
 *   g_loss = BCE(1, fake_out); d_loss = BCE(1, real_out) + BCE(0, fake_out)
 *   grad_G = d g_loss / d theta_G;  grad_D = d d_loss / d theta_D  (both before any update)
 *   Adam_G.apply(grad_G); Adam_D.apply(grad_D)
 * </pre>
 *
 * <p>The tutorial draws {@code BATCH_SIZE} latent vectors even for the last, smaller batch of an
 * epoch ({@code noiseMatchesRealBatch = false}); seed 003 draws one per real image.
 *
 * <p>Random tensors: {@code noise}, {@code dropout_0, dropout_1, ...} (D's keep-masks in call
 * order: D(real) first, then D(fake)) and, with label noise, {@code real_label_noise} and
 * {@code fake_label_noise}.
 */
public final class SimultaneousGanStep {
  private static final List<String> METRICS = List.of("d_loss", "g_loss", "d_real", "d_fake");

  private SimultaneousGanStep() {}

  /** A factory for presets. */
  public static TrainStep.Factory of(BceGanLoss loss, boolean noiseMatchesRealBatch) {
    return new TrainStep.Factory() {
      @Override
      public <T extends TFloating> TrainStep build(TrainingGraph<T> graph) {
        return SimultaneousGanStep.build(graph, loss, noiseMatchesRealBatch);
      }
    };
  }

  private static <T extends TFloating> TrainStep build(TrainingGraph<T> g, BceGanLoss loss, boolean noiseMatchesRealBatch) {
    Ops tf = g.tf().withSubScope("train_step");
    RandomSource random = g.random();
    Placeholder<T> realImages = tf.withName("real_images")
        .placeholder(g.dtype(), Placeholder.shape(GanNetworks.withBatch(g.spec().imageShape())));
    Operand<TInt64> realBatch = GanNetworks.batchOf(tf, realImages);
    Operand<TInt64> noiseBatch = noiseMatchesRealBatch ? realBatch : tf.constant((long) g.batchSize());
    Operand<T> noise = tf.withName("noise").identity(g.networks().latentNoise(tf, noiseBatch, random.key(tf, random.newStream())));

    CallContext ctx = g.trainingPass();
    Operand<T> fakeImages = g.networks().generate(tf, noise, null, ctx);
    Operand<T> realOutput = g.networks().discriminate(tf, realImages, null, ctx);
    Operand<T> fakeOutput = g.networks().discriminate(tf, fakeImages, null, ctx);

    Operand<T> generatorLoss = loss.generator(tf, fakeOutput);
    Operand<T> discriminatorLoss = loss.discriminator(tf, realOutput, fakeOutput, random, realBatch, noiseBatch);
    Map<String, Operand<?>> metrics = new LinkedHashMap<>();
    metrics.put("d_loss", discriminatorLoss);
    metrics.put("g_loss", generatorLoss);
    metrics.put("d_real", loss.meanProbability(tf, realOutput));
    metrics.put("d_fake", loss.meanProbability(tf, fakeOutput));

    // Both gradients (and the metrics) are computed from the old weights before either update.
    Op train = Updates.applyAfter(tf, List.of(
        new Updates.Update<>(g.generatorOptimizer(), Updates.gradients(tf, generatorLoss, g.generatorOptimizer(), ctx)),
        new Updates.Update<>(g.discriminatorOptimizer(),
            Updates.gradients(tf, discriminatorLoss, g.discriminatorOptimizer(), ctx))),
        List.copyOf(metrics.values()), ctx);

    Map<String, Operand<?>> randomTensors = new LinkedHashMap<>();
    randomTensors.put("noise", noise);
    Updates.putMasks(randomTensors, "dropout_", ctx);
    randomTensors.putAll(random.takeNamed());
    Phase phase = new Phase("both", 0, true, metrics, train, randomTensors);
    return new TrainStep(METRICS, List.of(phase), random.step(), random.substep(), realImages, null);
  }
}

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
 * The TensorFlow DCGAN tutorial's {@code train_step} (seeds 000 and 003-DCGAN): both networks are
 * updated from one forward pass, as its two GradientTapes do.
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
 */
public final class SimultaneousGanStep implements TrainStep {
  private static final List<String> METRICS = List.of("d_loss", "g_loss", "d_real", "d_fake");

  private final Placeholder<TFloat32> realImages;
  private final Operand<TInt64> step;
  private final Operand<TFloat32> noise;
  private final List<Operand<TFloat32>> metrics;
  private final Op trainOp;
  private final List<Operand<TFloat32>> dropoutKeepMasks;
  private final Map<String, Operand<?>> labelNoise;

  /** A factory for presets. */
  public static TrainStep.Factory of(BceGanLoss loss, boolean noiseMatchesRealBatch) {
    return graph -> new SimultaneousGanStep(graph, loss, noiseMatchesRealBatch);
  }

  private SimultaneousGanStep(GanGraph g, BceGanLoss loss, boolean noiseMatchesRealBatch) {
    Ops tf = g.tf().withSubScope("train_step");
    RandomSource random = g.random();
    step = random.step();
    realImages = tf.withName("real_images")
        .placeholder(TFloat32.class, Placeholder.shape(GanGraph.withBatch(g.preset().imageShape())));
    Operand<TInt64> realBatch = GanGraph.batchOf(tf, realImages);
    Operand<TInt64> noiseBatch = noiseMatchesRealBatch ? realBatch : tf.constant((long) g.batchSize());
    noise = tf.withName("noise").identity(g.latentNoise(tf, noiseBatch, random.key(tf, random.newStream())));

    CallContext ctx = CallContext.training(random);
    Operand<TFloat32> fakeImages = g.asImages(tf, g.generator().call(tf, noise, ctx));
    Operand<TFloat32> realOutput = g.discriminator().call(tf, g.discriminatorInput(tf, realImages, null), ctx);
    Operand<TFloat32> fakeOutput = g.discriminator().call(tf, g.discriminatorInput(tf, fakeImages, null), ctx);
    dropoutKeepMasks = ctx.dropoutKeepMasks();

    Operand<TFloat32> generatorLoss = loss.generator(tf, fakeOutput);
    Operand<TFloat32> discriminatorLoss = loss.discriminator(tf, realOutput, fakeOutput, random, realBatch, noiseBatch);
    labelNoise = random.takeNamed();
    metrics = List.of(discriminatorLoss, generatorLoss,
        loss.meanProbability(tf, realOutput), loss.meanProbability(tf, fakeOutput));

    // Both gradients (and the metrics) are computed from the old weights before either update.
    trainOp = Updates.applyAfter(tf, List.of(
        new Updates.Update(g.generatorOptimizer(), Updates.gradients(tf, generatorLoss, g.generatorOptimizer())),
        new Updates.Update(g.discriminatorOptimizer(), Updates.gradients(tf, discriminatorLoss, g.discriminatorOptimizer()))),
        metrics, ctx);
  }

  @Override
  public List<String> metricNames() {
    return METRICS;
  }

  @Override
  public float[] run(Session session, Batch batch, long stepNumber, IntFunction<Map<Operand<?>, Tensor>> overrides) {
    try (TInt64 stepTensor = TInt64.scalarOf(stepNumber)) {
      Session.Runner runner = session.runner().feed(realImages, batch.images()).feed(step, stepTensor);
      overrides.apply(0).forEach(runner::feed);
      metrics.forEach(runner::fetch);
      try (Result r = runner.addTarget(trainOp).run()) {
        return values(r);
      }
    }
  }

  private float[] values(Result r) {
    float[] values = new float[metrics.size()];
    for (int i = 0; i < values.length; i++) {
      values[i] = ((TFloat32) r.get(i)).getFloat();
    }
    return values;
  }

  @Override
  public Map<String, Operand<?>> overridable() {
    Map<String, Operand<?>> named = new LinkedHashMap<>();
    named.put("noise", noise);
    for (int i = 0; i < dropoutKeepMasks.size(); i++) {
      named.put("dropout_" + i, dropoutKeepMasks.get(i));
    }
    named.putAll(labelNoise);
    return named;
  }

  /** The latent batch of a step; a parity run feeds Python's noise here. */
  public Operand<TFloat32> noise() {
    return noise;
  }

  /** D's dropout keep-masks in call order (D(real) first, then D(fake)); a parity run feeds them. */
  public List<Operand<TFloat32>> dropoutKeepMasks() {
    return dropoutKeepMasks;
  }

  public Placeholder<TFloat32> realImages() {
    return realImages;
  }
}

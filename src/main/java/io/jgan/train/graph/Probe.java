package io.jgan.train.graph;

import io.jgan.gan.GanSpec;
import io.jgan.nn.RandomSource;
import org.tensorflow.Session;
import org.tensorflow.types.TFloat32;

/**
 * The tutorials print the discriminator's output on one generated sample: before training (seed
 * 000's "untrained generator" decision) and in generate mode after it.
 */
public final class Probe {
  private Probe() {}

  /**
   * D(G(z)) for the run's probe latent (label 0 for a conditional GAN); for a discriminator of several
   * outputs per example (a PatchGAN's logit per patch), their mean.
   */
  public static float discriminatorOutput(Inference<TFloat32> inference, Session session, long seed) {
    GanSpec spec = inference.networks().spec();
    try (LatentSampler sampler = new LatentSampler(spec.latentPrior(), spec.latentDim());
         TFloat32 z = sampler.sample(seed, RandomSource.STREAM_PROBE, 0, 1);
         TFloat32 label = inference.networks().classes() > 0 ? inference.oneHot(0) : null;
         TFloat32 image = inference.generate(session, z, label);
         TFloat32 decision = inference.discriminate(session, image, label)) {
      // D's one output [1, 1]; a PatchGAN's [1, h, w, 1], one per patch: their mean (the same value for one).
      float[] outputs = new float[(int) decision.shape().size()];
      decision.copyTo(org.tensorflow.ndarray.buffer.DataBuffers.of(outputs, false, false));
      if (outputs.length == 1) {
        return outputs[0];
      }
      double sum = 0;
      for (float v : outputs) {
        sum += v;
      }
      return (float) (sum / outputs.length);
    }
  }
}

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

  /** D(G(z)) for the run's probe latent (label 0 for a conditional GAN). */
  public static float discriminatorOutput(Inference<TFloat32> inference, Session session, long seed) {
    GanSpec spec = inference.networks().spec();
    try (LatentSampler sampler = new LatentSampler(spec.latentPrior(), spec.latentDim());
         TFloat32 z = sampler.sample(seed, RandomSource.STREAM_PROBE, 0, 1);
         TFloat32 label = inference.networks().classes() > 0 ? inference.oneHot(0) : null;
         TFloat32 image = inference.generate(session, z, label);
         TFloat32 decision = inference.discriminate(session, image, label)) {
      return decision.getFloat(0, 0);
    }
  }
}

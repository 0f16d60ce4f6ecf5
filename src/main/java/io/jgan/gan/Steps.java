package io.jgan.gan;

import io.jgan.nn.RandomSource;

/**
 * The update schemes of the seed tutorials, each taking any {@link GanLoss} (TF-GAN's
 * {@code get_sequential_train_hooks(GANTrainSteps(...))}, here as steps of one graph):
 * <ul>
 *   <li>{@link #simultaneous}: both networks updated from one forward pass, their gradients taken
 *       before either update (the TensorFlow DCGAN tutorial's two GradientTapes; one session run);
 *   <li>{@link #alternating}: a discriminator update, then a generator update through the updated
 *       discriminator (Goodfellow et al. 2014, Algorithm 1 with k = 1; two session runs);
 *   <li>{@link #criticFirst}: n critic updates with fresh noise each, then a generator update
 *       (WGAN, WGAN-GP's Algorithm 1; n + 1 session runs).
 * </ul>
 *
 * <pre>{@code
 * GanStep tutorial = Steps.simultaneous(Losses.nonSaturating());          // both networks from one pass
 * GanStep flux = Steps.alternating(Losses.nonSaturating()).reuseNoise();   // D, then G
 * GanStep wgan = Steps.criticFirst(5, Losses.wasserstein().withPenalty(Losses.gradientPenalty(10)));
 * }</pre>
 */
public final class Steps {
  /** Seed 003: three critic updates per generator update. */
  public static final int CRITIC_STEPS_DEFAULT = 3;

  private Steps() {}

  /**
   * Both networks from one pass. Latent vectors: a full configured batch every step, even for the
   * smaller last batch of an epoch (the TensorFlow tutorial's {@code tf.random.normal([BATCH_SIZE,
   * noise_dim])}); see {@link Simultaneous#noisePerRealImage()} for one per real image (seed 003).
   */
  public static Simultaneous simultaneous(GanLoss loss) {
    return new Simultaneous(loss, false);
  }

  /**
   * D then G. Options: {@link Alternating#mixedBatch()} trains D on one batch [real; fake] (seed
   * 001), {@link Alternating#reuseNoise()} gives G's step the D step's latents (seed 002).
   */
  public static Alternating alternating(GanLoss loss) {
    return new Alternating(loss, false, true);
  }

  /** {@code criticSteps} critic updates, then G (for a class-conditional GAN too). */
  public static CriticFirst criticFirst(int criticSteps, GanLoss loss) {
    return new CriticFirst(criticSteps, loss);
  }

  /**
   * {@code step} with seed 003's N(0, 1) gradient-penalty alphas ({@code --gp-alpha normal}), or
   * {@code step} itself when it has no {@link GradientPenalty}.
   */
  public static GanStep withNormalGpAlpha(GanStep step) {
    if (step instanceof LossStep s && s.loss() instanceof Penalized p && p.penalty() instanceof GradientPenalty gp) {
      return s.withLoss(new Penalized(p.base(), gp.normalAlpha()));
    }
    return step;
  }

  /** A built-in step: one scheme applied to one {@link GanLoss}, each a value that can be replaced. */
  public interface LossStep extends GanStep {
    GanLoss loss();

    /** The same scheme with another loss. */
    LossStep withLoss(GanLoss loss);
  }

  /**
   * {@link #criticFirst}'s step.
   *
   * @param criticSteps critic updates per generator update (1 to {@code RandomSource.SUBSTEPS - 1})
   */
  public record CriticFirst(int criticSteps, GanLoss loss) implements LossStep {
    public CriticFirst {
      if (criticSteps < 1 || criticSteps >= RandomSource.SUBSTEPS) {
        throw new IllegalArgumentException("expected 1 to " + (RandomSource.SUBSTEPS - 1) + " critic steps, got "
            + criticSteps);
      }
    }

    @Override
    public CriticFirst withLoss(GanLoss other) {
      return new CriticFirst(criticSteps, other);
    }

    /** The critic phase's ops run n_critic times per step, at different sub-steps. */
    @Override
    public boolean unrollable() {
      return false;
    }

    @Override
    public <T extends org.tensorflow.types.family.TFloating> BuiltStep build(StepBuilder<T> s) {
      return CriticFirstStep.build(s, criticSteps, loss);
    }
  }

  /**
   * {@link #simultaneous}'s step.
   *
   * @param noiseMatchesRealBatch one latent vector per real image instead of a configured batch
   */
  public record Simultaneous(GanLoss loss, boolean noiseMatchesRealBatch) implements LossStep {
    @Override
    public Simultaneous withLoss(GanLoss other) {
      return new Simultaneous(other, noiseMatchesRealBatch);
    }

    /** One latent vector per real image (seed 003's {@code batch_size = tf.shape(real_images)[0]}). */
    public Simultaneous noisePerRealImage() {
      return new Simultaneous(loss, true);
    }

    @Override
    public <T extends org.tensorflow.types.family.TFloating> BuiltStep build(StepBuilder<T> s) {
      return SimultaneousStep.build(s, loss, noiseMatchesRealBatch);
    }
  }

  /**
   * {@link #alternating}'s step.
   *
   * @param mixed D on one call of concat([real; fake]) (seed 001) rather than on each half
   * @param freshGeneratorNoise new latents for G's step (seeds 001, 004) rather than the D step's (002)
   */
  public record Alternating(GanLoss loss, boolean mixed, boolean freshGeneratorNoise) implements LossStep {
    @Override
    public Alternating withLoss(GanLoss other) {
      return new Alternating(other, mixed, freshGeneratorNoise);
    }

    /** D trained on one batch [real; fake] with the loss's targets [real label; 0] (seed 001's {@code train_on_batch}). */
    public Alternating mixedBatch() {
      return new Alternating(loss, true, freshGeneratorNoise);
    }

    /** G's step reuses the D step's latent vectors (seed 002). */
    public Alternating reuseNoise() {
      return new Alternating(loss, mixed, false);
    }

    @Override
    public <T extends org.tensorflow.types.family.TFloating> BuiltStep build(StepBuilder<T> s) {
      return AlternatingStep.build(s, loss, mixed, freshGeneratorNoise);
    }
  }
}

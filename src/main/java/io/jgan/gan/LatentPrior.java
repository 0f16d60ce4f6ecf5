package io.jgan.gan;

/**
 * The distribution of a preset's latent vectors z.
 *
 * <pre>{@code
 * Gan.Builder b = Gan.builder("gan-uniform").latentPrior(LatentPrior.UNIFORM_SYMMETRIC);   // z ~ U(-1, 1)
 * }</pre>
 */
public enum LatentPrior {
  /** N(0, 1): {@code tf.random.normal}, used by every seed but 004. */
  NORMAL,
  /** U(-1, 1): seed 004's {@code np.random.uniform(-1., 1.)}. */
  UNIFORM_SYMMETRIC
}

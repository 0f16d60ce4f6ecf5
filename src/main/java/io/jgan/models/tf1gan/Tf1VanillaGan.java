package io.jgan.models.tf1gan;

import io.jgan.nn.Activation;
import io.jgan.nn.Dense;
import io.jgan.nn.Initializers;
import io.jgan.nn.Sequential;
import org.tensorflow.ndarray.Shape;

/**
 * Seed 004: the TensorFlow 1 vanilla GAN on MNIST, one hidden layer of 128 in each network,
 * pixels in [0, 1], noise U(-1, 1), weights from its {@code xavier_init} (normal with stddev
 * 1 / sqrt(in_dim / 2)) and zero biases.
 */
public final class Tf1VanillaGan {
  /** {@code Z_dim = 100}. */
  public static final int LATENT_DIM = 100;
  /** {@code mb_size = 128}. */
  public static final int BATCH_SIZE = 128;
  /** {@code for it in range(10000)}. */
  public static final long ITERATIONS = 10_000;
  /** The hidden layer of both networks. */
  public static final int HIDDEN = 128;
  public static final int IMAGE_SIZE = 784;
  /** {@code tf.train.AdamOptimizer()}: TensorFlow 1 defaults. */
  public static final double LEARNING_RATE = 0.001;
  public static final double BETA_1 = 0.9;
  public static final double BETA_2 = 0.999;
  public static final double EPSILON = 1e-8;
  /** Samples, log lines: every 1000 iterations. */
  public static final long REPORT_EVERY = 1000;
  /** Summaries every 100 iterations (TensorBoard scalars and histograms). */
  public static final long SUMMARY_EVERY = 100;

  private Tf1VanillaGan() {}

  /** z [b, 100] to flat images [b, 784] in (0, 1): relu(z W1 + b1) W2 + b2, sigmoid. */
  public static Sequential generator(int latentDim) {
    return new Sequential("generator", Shape.of(latentDim))
        .add(new Dense(HIDDEN).activation(Activation.RELU).kernelInitializer(Initializers.tf1XavierNormal()))
        .add(new Dense(IMAGE_SIZE).activation(Activation.SIGMOID).kernelInitializer(Initializers.tf1XavierNormal())); // [b, 784]
  }

  /** Flat images [b, 784] to a logit [b, 1]: relu(x W1 + b1) W2 + b2. */
  public static Sequential discriminator() {
    return new Sequential("discriminator", Shape.of(IMAGE_SIZE))
        .add(new Dense(HIDDEN).activation(Activation.RELU).kernelInitializer(Initializers.tf1XavierNormal()))
        .add(new Dense(1).kernelInitializer(Initializers.tf1XavierNormal())); // [b, 1], a logit
  }
}

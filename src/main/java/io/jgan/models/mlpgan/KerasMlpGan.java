package io.jgan.models.mlpgan;

import io.jgan.nn.Activation;
import io.jgan.nn.Dense;
import io.jgan.nn.Dropout;
import io.jgan.nn.Initializer;
import io.jgan.nn.Initializers;
import io.jgan.nn.LeakyRelu;
import io.jgan.nn.Sequential;
import org.tensorflow.ndarray.Shape;

/**
 * Seed 001: the widely copied Keras MLP GAN on MNIST ("GANs in 5 minutes"). Images are flattened to
 * 784 values in [-1, 1]; only the first Dense of each network is initialised N(0, 0.02), the others
 * keep Keras's glorot-uniform.
 */
public final class KerasMlpGan {
  /** {@code randomDim = 100}. */
  public static final int LATENT_DIM = 100;
  /** The original's {@code batchSize=128}. */
  public static final int BATCH_SIZE = 128;
  /** {@code Adam(lr=0.0002, beta_1=0.5)}. */
  public static final double LEARNING_RATE = 0.0002;
  public static final double BETA_1 = 0.5;
  /** The original trains 200 epochs. */
  public static final int EPOCHS = 200;
  /** One-sided label smoothing: {@code yDis[:batchSize] = 0.9}. */
  public static final double REAL_LABEL = 0.9;
  public static final float LEAKY_SLOPE = 0.2f;
  public static final double DROPOUT_RATE = 0.3;
  /** {@code initializers.RandomNormal(stddev=0.02)} on the first layer of each network. */
  public static final double INIT_STDDEV = 0.02;
  /** A flattened 28x28 image. */
  public static final int IMAGE_SIZE = 784;

  private KerasMlpGan() {}

  /** z [b, 100] to flat images [b, 784] in (-1, 1). */
  public static Sequential generator(int latentDim) {
    Initializer first = Initializers.normal(INIT_STDDEV);
    return new Sequential("generator", Shape.of(latentDim))
        .add(new Dense(256).kernelInitializer(first))
        .add(new LeakyRelu(LEAKY_SLOPE))
        .add(new Dense(512))
        .add(new LeakyRelu(LEAKY_SLOPE))
        .add(new Dense(1024))
        .add(new LeakyRelu(LEAKY_SLOPE))
        .add(new Dense(IMAGE_SIZE).activation(Activation.TANH)); // [b, 784]
  }

  /** Flat images [b, 784] to the probability that each is real [b, 1]. */
  public static Sequential discriminator() {
    return new Sequential("discriminator", Shape.of(IMAGE_SIZE))
        .add(new Dense(1024).kernelInitializer(Initializers.normal(INIT_STDDEV)))
        .add(new LeakyRelu(LEAKY_SLOPE))
        .add(new Dropout(DROPOUT_RATE))
        .add(new Dense(512))
        .add(new LeakyRelu(LEAKY_SLOPE))
        .add(new Dropout(DROPOUT_RATE))
        .add(new Dense(256))
        .add(new LeakyRelu(LEAKY_SLOPE))
        .add(new Dropout(DROPOUT_RATE))
        .add(new Dense(1).activation(Activation.SIGMOID)); // [b, 1]
  }
}

package io.jgan.presets;

import io.jgan.data.Dataset;
import io.jgan.gan.DataSpec;
import io.jgan.gan.Losses;
import io.jgan.gan.Preset;
import io.jgan.gan.SampleSpec;
import io.jgan.gan.Steps;
import io.jgan.nn.Activation;
import io.jgan.nn.Dense;
import io.jgan.nn.Dropout;
import io.jgan.nn.Initializer;
import io.jgan.nn.Initializers;
import io.jgan.nn.LeakyRelu;
import io.jgan.nn.Sequential;
import io.jgan.optim.Adam;
import io.jgan.viz.FrameSchedule;
import org.tensorflow.ndarray.Shape;

/**
 * Seed 001: the widely copied Keras MLP GAN on MNIST ("GANs in 5 minutes"). Images are flattened to
 * 784 values in [-1, 1]; only the first Dense of each network is initialised N(0, 0.02), the others
 * keep Keras's glorot-uniform.
 */
public final class KerasMlpGan {
  /**
   * Sample quality every 2 epochs, so that it costs at most 5% of training: 2,000 samples judged take
   * 1.0 to 1.7 s against epochs of 28 to 33 s on this project's 2-core machine.
   */
  static final int EVAL_EVERY = 2;

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

  /** Seed 001: D on a mixed batch with real labels 0.9, then G through D; 10x10 samples at epoch 1 and every 20. */
  static Preset ganMlp() {
    return Preset.builder("gan-mlp").tutorial("seed 001: the Keras MLP GAN on MNIST")
        .data(DataSpec.of(Dataset.MNIST)).imageShape(Presets.MNIST_IMAGE)
        .latentDim(KerasMlpGan.LATENT_DIM)
        .networks(() -> KerasMlpGan.generator(KerasMlpGan.LATENT_DIM), KerasMlpGan::discriminator)
        .adam(new Adam.Settings(KerasMlpGan.LEARNING_RATE, KerasMlpGan.BETA_1, Adam.BETA_2_DEFAULT, Adam.EPSILON_DEFAULT))
        .trainStep(Steps.alternating(Losses.nonSaturating().onProbabilities().realLabel(KerasMlpGan.REAL_LABEL))
            .mixedBatch())
        .batchSize(KerasMlpGan.BATCH_SIZE).epochs(KerasMlpGan.EPOCHS).checkpointEvery(20)
        .samples(SampleSpec.grid(10, 10).epochs(e -> e == 1 || e % 20 == 0)
            .file("gan_generated_image_epoch_%d.png").gif("gan.gif", FrameSchedule.ALL).build())
        .evalEvery(EVAL_EVERY)
        .build();
  }
}

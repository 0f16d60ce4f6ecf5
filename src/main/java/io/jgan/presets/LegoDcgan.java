package io.jgan.presets;

import io.jgan.gan.DataSpec;
import io.jgan.gan.Losses;
import io.jgan.gan.Preset;
import io.jgan.gan.SampleSpec;
import io.jgan.gan.Steps;
import io.jgan.nn.Activation;
import io.jgan.nn.BatchNormalization;
import io.jgan.nn.Conv2d;
import io.jgan.nn.Conv2dTranspose;
import io.jgan.nn.Dropout;
import io.jgan.nn.Flatten;
import io.jgan.nn.KerasLayout;
import io.jgan.nn.LeakyRelu;
import io.jgan.nn.Padding;
import io.jgan.nn.Reshape;
import io.jgan.nn.Sequential;
import io.jgan.optim.Adam;
import io.jgan.viz.FrameSchedule;
import org.tensorflow.ndarray.Shape;

/**
 * Seed 003, part 1 ("Generative Deep Learning", 2nd ed., chapter 4): the DCGAN on 64x64 grayscale
 * images of LEGO bricks, built with the Keras functional API. No biases; BatchNormalization with
 * momentum 0.9; the discriminator ends in a sigmoid (so its loss is BCE on probabilities).
 */
public final class LegoDcgan {
  public static final int IMAGE_SIZE = 64;
  public static final int CHANNELS = 1;
  /** {@code Z_DIM = 100}. */
  public static final int LATENT_DIM = 100;
  public static final int BATCH_SIZE = 128;
  public static final int EPOCHS = 300;
  /** {@code Adam(learning_rate=0.0002, beta_1=0.5, beta_2=0.999)} for both networks. */
  public static final double LEARNING_RATE = 0.0002;
  public static final double BETA_1 = 0.5;
  public static final double BETA_2 = 0.999;
  /** Label noise: real targets 1 + 0.1 U(0,1), fake targets -0.1 U(0,1). */
  public static final double NOISE_PARAM = 0.1;
  public static final double BN_MOMENTUM = 0.9;
  public static final float LEAKY_SLOPE = 0.2f;
  public static final double DROPOUT_RATE = 0.3;
  /** The seed's data loader shuffles with seed 42. */
  public static final long DATA_SEED = 42;

  private LegoDcgan() {}

  /** Images [b, 64, 64, c] to a probability [b, 1]. */
  public static Sequential discriminator(Shape image) {
    Sequential d = new Sequential("discriminator", image).kerasLayout(KerasLayout.FUNCTIONAL)
        .add(conv(64))
        .add(new LeakyRelu(LEAKY_SLOPE)) // [b, 32, 32, 64]
        .add(new Dropout(DROPOUT_RATE));
    for (int filters : new int[] {128, 256, 512}) { // [b, 16, 16, 128] -> [b, 8, 8, 256] -> [b, 4, 4, 512]
      d.add(conv(filters))
          .add(new BatchNormalization(BN_MOMENTUM, BatchNormalization.EPSILON_DEFAULT))
          .add(new LeakyRelu(LEAKY_SLOPE))
          .add(new Dropout(DROPOUT_RATE));
    }
    return d.add(new Conv2d(1, 4).noBias().activation(Activation.SIGMOID)) // [b, 1, 1, 1]
        .add(new Flatten()); // [b, 1]
  }

  /** z [b, 100] to images [b, 64, 64, channels] in (-1, 1); {@code lastBias} for seed 003's WGAN-GP generator. */
  public static Sequential generator(int latentDim, int channels, boolean lastBias) {
    Sequential g = new Sequential("generator", Shape.of(latentDim)).kerasLayout(KerasLayout.FUNCTIONAL)
        .add(new Reshape(1, 1, latentDim))
        .add(new Conv2dTranspose(512, 4).noBias())
        .add(new BatchNormalization(BN_MOMENTUM, BatchNormalization.EPSILON_DEFAULT)) // [b, 4, 4, 512]
        .add(new LeakyRelu(LEAKY_SLOPE));
    for (int filters : new int[] {256, 128, 64}) { // [b, 8, 8, 256] -> [b, 16, 16, 128] -> [b, 32, 32, 64]
      g.add(new Conv2dTranspose(filters, 4).strides(2).padding(Padding.SAME).noBias())
          .add(new BatchNormalization(BN_MOMENTUM, BatchNormalization.EPSILON_DEFAULT))
          .add(new LeakyRelu(LEAKY_SLOPE));
    }
    Conv2dTranspose last = new Conv2dTranspose(channels, 4).strides(2).padding(Padding.SAME).activation(Activation.TANH);
    return g.add(lastBias ? last : last.noBias());
    // [b, 64, 64, channels]
  }

  private static Conv2d conv(int filters) {
    return new Conv2d(filters, 4).strides(2).padding(Padding.SAME).noBias();
  }

  /** Seed 003 part 1: noisy labels, BCE on probabilities, 10 samples and a checkpoint every epoch. */
  static Preset dcganLego() {
    Shape image = Shape.of(LegoDcgan.IMAGE_SIZE, LegoDcgan.IMAGE_SIZE, LegoDcgan.CHANNELS);
    return Preset.builder("dcgan-lego")
        .tutorial("seed 003: the DCGAN of Generative Deep Learning on 64x64 grayscale images (LEGO bricks)")
        .data(DataSpec.folder()).imageShape(image)
        .latentDim(LegoDcgan.LATENT_DIM)
        .networks(() -> LegoDcgan.generator(LegoDcgan.LATENT_DIM, LegoDcgan.CHANNELS, false),
            () -> LegoDcgan.discriminator(image))
        .adam(new Adam.Settings(LegoDcgan.LEARNING_RATE, LegoDcgan.BETA_1, LegoDcgan.BETA_2, Adam.EPSILON_DEFAULT))
        .trainStep(Steps.simultaneous(Losses.nonSaturating().onProbabilities().labelNoise(LegoDcgan.NOISE_PARAM).averaged())
            .noisePerRealImage())
        .batchSize(LegoDcgan.BATCH_SIZE).epochs(LegoDcgan.EPOCHS)
        .samples(seed003Samples("generated_img_%03d.png"))
        .build();
  }

  /** Seed 003's ImageGenerator callback: 10 fresh samples in a row after every epoch. */
  static SampleSpec seed003Samples(String file) {
    return SampleSpec.grid(1, 10).everyEpoch().file(file).gif("training.gif", FrameSchedule.SQRT).build();
  }
}

package io.jgan.presets;

import io.jgan.gan.DataSpec;
import io.jgan.gan.GanStep;
import io.jgan.gan.Losses;
import io.jgan.gan.Preset;
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
import org.tensorflow.ndarray.Shape;

/**
 * Seed 003, parts 2 and 3 ("Generative Deep Learning", 2nd ed., chapter 4): the WGAN-GP on 64x64 RGB
 * faces and its class-conditional version. The critics have biases, no batch norm and no sigmoid;
 * one LeakyReLU in each keeps Keras's default slope 0.3 as the book's code does.
 */
public final class WganGpCelebA {
  public static final int IMAGE_SIZE = 64;
  public static final int CHANNELS = 3;
  /** WGAN-GP: {@code Z_DIM = 128}, batch 512, 200 epochs, Adam(0.0002, 0.5, 0.9). */
  public static final int LATENT_DIM = 128;
  public static final int BATCH_SIZE = 512;
  public static final int EPOCHS = 200;
  public static final double LEARNING_RATE = 0.0002;
  /** Conditional WGAN-GP: {@code Z_DIM = 32}, batch 128, 20 epochs, Adam(0.00005, 0.5, 0.9). */
  public static final int CONDITIONAL_LATENT_DIM = 32;
  public static final int CONDITIONAL_BATCH_SIZE = 128;
  public static final int CONDITIONAL_EPOCHS = 20;
  public static final double CONDITIONAL_LEARNING_RATE = 0.00005;
  /** The notebook sets beta_2 = 0.999 and then overrides it with 0.9. */
  public static final double BETA_1 = 0.5;
  public static final double BETA_2 = 0.9;
  /** The conditional model's default label (a CelebA attribute). */
  public static final String DEFAULT_LABEL = "Blond_Hair";
  public static final float LEAKY_SLOPE = 0.2f;
  public static final double DROPOUT_RATE = 0.3;

  private WganGpCelebA() {}

  /** The WGAN-GP critic: images [b, 64, 64, 3] to a score [b, 1]. */
  public static Sequential critic(Shape image) {
    return new Sequential("discriminator", image).kerasLayout(KerasLayout.FUNCTIONAL)
        .add(conv(64))
        .add(new LeakyRelu(LEAKY_SLOPE)) // [b, 32, 32, 64]
        .add(conv(128))
        .add(new LeakyRelu()) // Keras default 0.3, as the book's code; [b, 16, 16, 128]
        .add(new Dropout(DROPOUT_RATE))
        .add(conv(256))
        .add(new LeakyRelu(LEAKY_SLOPE)) // [b, 8, 8, 256]
        .add(new Dropout(DROPOUT_RATE))
        .add(conv(512))
        .add(new LeakyRelu(LEAKY_SLOPE)) // [b, 4, 4, 512]
        .add(new Dropout(DROPOUT_RATE))
        .add(new Conv2d(1, 4)) // [b, 1, 1, 1]
        .add(new Flatten()); // [b, 1]
  }

  /** The WGAN-GP generator: the LEGO DCGAN's with 3 channels and a bias on its last layer. */
  public static Sequential generator(int latentDim) {
    return LegoDcgan.generator(latentDim, CHANNELS, true);
  }

  /**
   * The conditional critic: the image with its one-hot label broadcast as extra channels,
   * [b, 64, 64, 3 + classes], to a score [b, 1].
   */
  public static Sequential conditionalCritic(Shape image, int classes) {
    Shape input = Shape.of(image.size(0), image.size(1), image.size(2) + classes);
    return new Sequential("discriminator", input).kerasLayout(KerasLayout.FUNCTIONAL_CONDITIONED)
        .add(conv(64))
        .add(new LeakyRelu(LEAKY_SLOPE)) // [b, 32, 32, 64]
        .add(conv(128))
        .add(new LeakyRelu()) // [b, 16, 16, 128]
        .add(new Dropout(DROPOUT_RATE))
        .add(conv(128))
        .add(new LeakyRelu(LEAKY_SLOPE)) // [b, 8, 8, 128]
        .add(new Dropout(DROPOUT_RATE))
        .add(conv(128))
        .add(new LeakyRelu(LEAKY_SLOPE)) // [b, 4, 4, 128]
        .add(new Dropout(DROPOUT_RATE))
        .add(new Conv2d(1, 4))
        .add(new Flatten()); // [b, 1]
  }

  /** The conditional generator: concat(z, one-hot) [b, 32 + classes] to images [b, 64, 64, 3]. */
  public static Sequential conditionalGenerator(int latentDim, int classes) {
    int input = latentDim + classes;
    Sequential g = new Sequential("generator", Shape.of(input)).kerasLayout(KerasLayout.FUNCTIONAL_CONDITIONED)
        .add(new Reshape(1, 1, input))
        .add(new Conv2dTranspose(128, 4).noBias())
        .add(new BatchNormalization(LegoDcgan.BN_MOMENTUM, BatchNormalization.EPSILON_DEFAULT)) // [b, 4, 4, 128]
        .add(new LeakyRelu(LEAKY_SLOPE));
    for (int filters : new int[] {128, 128, 64}) { // [b, 8, 8, 128] -> [b, 16, 16, 128] -> [b, 32, 32, 64]
      g.add(new Conv2dTranspose(filters, 4).strides(2).padding(Padding.SAME).noBias())
          .add(new BatchNormalization(LegoDcgan.BN_MOMENTUM, BatchNormalization.EPSILON_DEFAULT))
          .add(new LeakyRelu(LEAKY_SLOPE));
    }
    return g.add(new Conv2dTranspose(CHANNELS, 4).strides(2).padding(Padding.SAME).activation(Activation.TANH));
    // [b, 64, 64, 3]
  }

  private static Conv2d conv(int filters) {
    return new Conv2d(filters, 4).strides(2).padding(Padding.SAME);
  }

  /** Seed 003 part 2: 3 critic steps per generator step, gradient penalty 10, 64x64 RGB. */
  static Preset wganGp() {
    Shape image = Shape.of(WganGpCelebA.IMAGE_SIZE, WganGpCelebA.IMAGE_SIZE, WganGpCelebA.CHANNELS);
    return Preset.builder("wgan-gp")
        .tutorial("seed 003: the WGAN-GP of Generative Deep Learning on 64x64 RGB faces (CelebA)")
        .data(DataSpec.folder()).imageShape(image)
        .latentDim(WganGpCelebA.LATENT_DIM)
        .networks(() -> WganGpCelebA.generator(WganGpCelebA.LATENT_DIM), () -> WganGpCelebA.critic(image))
        .adam(new Adam.Settings(WganGpCelebA.LEARNING_RATE, WganGpCelebA.BETA_1, WganGpCelebA.BETA_2, Adam.EPSILON_DEFAULT))
        .trainStep(wganGpStep())
        .batchSize(WganGpCelebA.BATCH_SIZE).epochs(WganGpCelebA.EPOCHS)
        .samples(LegoDcgan.seed003Samples("generated_img_%03d.png"))
        .build();
  }

  /** Seed 003 part 3: the conditional WGAN-GP; a CSV attribute (2 classes) or MNIST's 10 classes. */
  static Preset cwganGp() {
    Shape image = Shape.of(WganGpCelebA.IMAGE_SIZE, WganGpCelebA.IMAGE_SIZE, WganGpCelebA.CHANNELS);
    return Preset.builder("cwgan-gp")
        .tutorial("seed 003: the conditional WGAN-GP of Generative Deep Learning (CelebA attribute or MNIST class)")
        .data(DataSpec.conditionalFolder(WganGpCelebA.DEFAULT_LABEL)).imageShape(image)
        .latentDim(WganGpCelebA.CONDITIONAL_LATENT_DIM)
        .conditionalNetworks(classes -> WganGpCelebA.conditionalGenerator(WganGpCelebA.CONDITIONAL_LATENT_DIM, classes),
            classes -> WganGpCelebA.conditionalCritic(image, classes))
        .adam(new Adam.Settings(WganGpCelebA.CONDITIONAL_LEARNING_RATE, WganGpCelebA.BETA_1, WganGpCelebA.BETA_2,
            Adam.EPSILON_DEFAULT))
        .trainStep(wganGpStep())
        .batchSize(WganGpCelebA.CONDITIONAL_BATCH_SIZE).epochs(WganGpCelebA.CONDITIONAL_EPOCHS)
        .samples(LegoDcgan.seed003Samples("generated_img_%03d_label_%d.png"))
        .build();
  }

  /** Seed 003's WGAN-GP step: 3 critic updates per generator update, Wasserstein loss plus 10 x the gradient penalty. */
  private static GanStep wganGpStep() {
    return Steps.criticFirst(Steps.CRITIC_STEPS_DEFAULT,
        Losses.wasserstein().withPenalty(Losses.gradientPenalty(Losses.GRADIENT_PENALTY_WEIGHT_DEFAULT)));
  }
}

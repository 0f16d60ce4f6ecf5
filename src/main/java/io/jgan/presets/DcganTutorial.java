package io.jgan.presets;

import io.jgan.data.Dataset;
import io.jgan.gan.DataSpec;
import io.jgan.gan.Losses;
import io.jgan.gan.Preset;
import io.jgan.gan.SampleSpec;
import io.jgan.gan.Steps;
import io.jgan.nn.Activation;
import io.jgan.nn.BatchNormalization;
import io.jgan.nn.Conv2d;
import io.jgan.nn.Conv2dTranspose;
import io.jgan.nn.Dense;
import io.jgan.nn.Dropout;
import io.jgan.nn.Flatten;
import io.jgan.nn.LeakyRelu;
import io.jgan.nn.Padding;
import io.jgan.nn.Reshape;
import io.jgan.nn.Sequential;
import io.jgan.optim.Adam;
import io.jgan.viz.FrameSchedule;
import org.tensorflow.ndarray.Shape;

/**
 * The TensorFlow 2 DCGAN tutorial (seed 000, {@code make_generator_model} and
 * {@code make_discriminator_model}), on 28x28x1 images.
 *
 * <p>Every layer keeps its Keras defaults: glorot-uniform kernels, BatchNormalization momentum
 * 0.99 and epsilon 1e-3, {@code LeakyReLU()} slope 0.3.
 */
public final class DcganTutorial {
  /** {@code noise_dim = 100}. */
  public static final int LATENT_DIM = 100;
  /** {@code BATCH_SIZE = 256}. */
  public static final int BATCH_SIZE = 256;
  /** {@code tf.keras.optimizers.Adam(1e-4)} for both networks. */
  public static final double LEARNING_RATE = 1e-4;
  /** {@code layers.Dropout(0.3)}. */
  public static final double DROPOUT_RATE = 0.3;
  /** The images: 28x28 grayscale. */
  public static final Shape IMAGE_SHAPE = Shape.of(28, 28, 1);

  private DcganTutorial() {}

  /** z [b, 100] to images [b, 28, 28, 1] in (-1, 1). */
  public static Sequential generator(int latentDim) {
    return new Sequential("generator", Shape.of(latentDim))
        .add(new Dense(7 * 7 * 256).noBias())
        .add(new BatchNormalization())
        .add(new LeakyRelu())
        .add(new Reshape(7, 7, 256)) // [b, 7, 7, 256]
        .add(new Conv2dTranspose(128, 5).padding(Padding.SAME).noBias())
        .add(new BatchNormalization()) // [b, 7, 7, 128]
        .add(new LeakyRelu())
        .add(new Conv2dTranspose(64, 5).strides(2).padding(Padding.SAME).noBias())
        .add(new BatchNormalization()) // [b, 14, 14, 64]
        .add(new LeakyRelu())
        .add(new Conv2dTranspose(1, 5).strides(2).padding(Padding.SAME).noBias().activation(Activation.TANH));
    // [b, 28, 28, 1]
  }

  /** Images [b, 28, 28, 1] to one logit per image [b, 1]. */
  public static Sequential discriminator() {
    return new Sequential("discriminator", IMAGE_SHAPE)
        .add(new Conv2d(64, 5).strides(2).padding(Padding.SAME))
        .add(new LeakyRelu()) // [b, 14, 14, 64]
        .add(new Dropout(DROPOUT_RATE))
        .add(new Conv2d(128, 5).strides(2).padding(Padding.SAME))
        .add(new LeakyRelu()) // [b, 7, 7, 128]
        .add(new Dropout(DROPOUT_RATE))
        .add(new Flatten()) // [b, 6272]
        .add(new Dense(1)); // [b, 1], a logit
  }

  /**
   * Seed 000 and the official tutorial: the same model and train step; only the data, the number
   * of epochs and the checkpoint interval differ.
   */
  static Preset dcgan(String name, String tutorial, Dataset dataset, int epochs, int checkpointEvery) {
    return Preset.builder(name).tutorial(tutorial)
        .data(DataSpec.of(dataset)).imageShape(DcganTutorial.IMAGE_SHAPE)
        .latentDim(DcganTutorial.LATENT_DIM)
        .networks(() -> DcganTutorial.generator(DcganTutorial.LATENT_DIM), DcganTutorial::discriminator)
        .adam(Adam.Settings.keras(DcganTutorial.LEARNING_RATE))
        .trainStep(Steps.simultaneous(Losses.nonSaturating()))
        .batchSize(DcganTutorial.BATCH_SIZE).epochs(epochs).checkpointEvery(checkpointEvery)
        .samples(SampleSpec.grid(4, 4).everyEpoch().beforeTraining().fixedLatents()
            .file("image_at_epoch_%04d.png").gif("dcgan.gif", FrameSchedule.SQRT).build())
        .build();
  }
}

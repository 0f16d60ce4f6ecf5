package io.jgan.train;

import io.jgan.data.Dataset;
import io.jgan.gan.DataSpec;
import io.jgan.gan.Losses;
import io.jgan.gan.Preset;
import io.jgan.gan.SampleSpec;
import io.jgan.gan.Steps;
import io.jgan.nn.Activation;
import io.jgan.nn.BatchNormalization;
import io.jgan.nn.Conv2d;
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

/** A DCGAN-shaped GAN small enough for unit tests: 4x4x1 images, latent 3, every layer type. */
public final class TinyGan {
  private TinyGan() {}

  public static Preset preset() {
    return preset(2, true);
  }

  /**
   * Variants for restore tests: {@code discriminatorFilters} changes one kernel's shape,
   * {@code batchNorm} adds or removes the generator's BatchNormalization variables.
   */
  public static Preset preset(int discriminatorFilters, boolean batchNorm) {
    return preset(discriminatorFilters, batchNorm, 3);
  }

  /** {@code latent} changes the generator's first kernel, [latent, 16]. */
  public static Preset preset(int discriminatorFilters, boolean batchNorm, int latentSize) {
    return builder(discriminatorFilters, batchNorm, latentSize)
        .networks(() -> generator(latentSize, 0, batchNorm), () -> discriminator(discriminatorFilters, 0))
        .build();
  }

  /** The same GAN, class-conditional: one-hot labels concatenated to both networks' inputs. */
  public static Preset conditional() {
    return builder(2, true, 3)
        .conditionalNetworks(classes -> generator(3, classes, true), classes -> discriminator(2, classes))
        .build();
  }

  private static Sequential generator(int latentSize, int classes, boolean batchNorm) {
    return new Sequential("generator", Shape.of(latentSize + classes))
        .add(new Dense(16).noBias())
        .add(batchNorm ? new BatchNormalization() : new io.jgan.nn.Relu())
        .add(new LeakyRelu())
        .add(new Reshape(4, 4, 1))
        .add(new Conv2d(1, 3).padding(Padding.SAME).noBias().activation(Activation.TANH));
  }

  private static Sequential discriminator(int filters, int classes) {
    return new Sequential("discriminator", Shape.of(4, 4, 1 + classes))
        .add(new Conv2d(filters, 3).strides(2).padding(Padding.SAME))
        .add(new LeakyRelu())
        .add(new Dropout(0.3))
        .add(new Flatten())
        .add(new Dense(1));
  }

  private static Preset.Builder builder(int discriminatorFilters, boolean batchNorm, int latentSize) {
    return Preset.builder("tiny").tutorial("a test GAN")
        .data(DataSpec.of(Dataset.MNIST)).imageShape(Shape.of(4, 4, 1))
        .latentDim(latentSize)
        .adam(Adam.Settings.keras(1e-2))
        .trainStep(Steps.simultaneous(Losses.nonSaturating()))
        .batchSize(4).epochs(2)
        .samples(SampleSpec.grid(2, 2).everyEpoch().beforeTraining().fixedLatents()
            .file("grid_%04d.png").gif("tiny.gif", FrameSchedule.SQRT).build());
  }
}

package io.jgan.train;

import io.jgan.data.Dataset;
import io.jgan.data.PixelScale;
import io.jgan.models.LatentPrior;
import io.jgan.models.Preset;
import io.jgan.models.SampleSpec;
import io.jgan.nn.Activation;
import io.jgan.nn.BatchNormalization;
import io.jgan.nn.Conv2d;
import io.jgan.nn.Dense;
import io.jgan.nn.Dropout;
import io.jgan.nn.Flatten;
import io.jgan.nn.Initializers;
import io.jgan.nn.LeakyRelu;
import io.jgan.nn.Padding;
import io.jgan.nn.Reshape;
import io.jgan.nn.Sequential;
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
    return new Preset("tiny", "a test GAN", io.jgan.models.DataSpec.of(Dataset.MNIST), Shape.of(4, 4, 1), PixelScale.TANH, latentSize,
        LatentPrior.NORMAL,
        (latent, classes) -> new Sequential("generator", Shape.of(latent + classes))
            .add(new Dense(16, Activation.LINEAR, false, Initializers.glorotUniform()))
            .add(batchNorm ? new BatchNormalization() : new io.jgan.nn.Relu())
            .add(new LeakyRelu())
            .add(new Reshape(4, 4, 1))
            .add(new Conv2d(1, 3, 1, Padding.SAME, false, Activation.TANH, Initializers.glorotUniform())),
        (image, classes) -> new Sequential("discriminator", Shape.of(4, 4, 1 + classes))
            .add(new Conv2d(discriminatorFilters, 3, 2, Padding.SAME, true, Activation.LINEAR, Initializers.glorotUniform()))
            .add(new LeakyRelu())
            .add(new Dropout(0.3f))
            .add(new Flatten())
            .add(new Dense(1)),
        Adam.Settings.keras(1e-2), Adam.Settings.keras(1e-2),
        SimultaneousGanStep.of(BceGanLoss.TUTORIAL, false),
        4, 2, 0, 1, SampleSpec.everyEpoch(2, 2, "grid_%04d.png", "tiny.gif", FrameSchedule.SQRT), null);
  }
}

package io.jgan.presets;

import io.jgan.data.Dataset;
import io.jgan.gan.DataSpec;
import io.jgan.gan.Losses;
import io.jgan.gan.Preset;
import io.jgan.gan.SampleSpec;
import io.jgan.gan.StepLog;
import io.jgan.gan.Steps;
import io.jgan.nn.Activation;
import io.jgan.nn.BatchNormalization;
import io.jgan.nn.Conv2d;
import io.jgan.nn.Conv2dTranspose;
import io.jgan.nn.Dense;
import io.jgan.nn.Dropout;
import io.jgan.nn.Flatten;
import io.jgan.nn.Initializer;
import io.jgan.nn.Initializers;
import io.jgan.nn.LeakyRelu;
import io.jgan.nn.Padding;
import io.jgan.nn.Relu;
import io.jgan.nn.Reshape;
import io.jgan.nn.Sequential;
import io.jgan.optim.Adam;
import io.jgan.viz.FrameSchedule;
import org.tensorflow.ndarray.Shape;

/**
 * Seed 002: the Flux.jl DCGAN on MNIST. Flux's explicit paddings are TensorFlow's "same" here (5x5
 * stride 1 pad 2, and 4x4 stride 2 pad 1, give the same sizes with the same symmetric padding).
 * Flux's {@code BatchNorm(n, relu)} is BatchNormalization then ReLU with Flux's epsilon 1e-5 and
 * new-value weight 0.1 (Keras momentum 0.9). Flux puts the unbiased batch variance into its running
 * average where Keras puts the biased one: a factor m / (m - 1) on the new term, m being the values
 * per feature (1.008 for the Dense BatchNorm at batch 128, 1.0002 after the first transposed
 * convolution); this port keeps the Keras convention.
 * Convolutions use the DCGAN paper's N(0, 0.02) ({@code dcgan_init}); the Dense layers keep Flux's
 * glorot-uniform default. Flux convolves with a flipped kernel; with random initialisation that is
 * the same model.
 */
public final class FluxDcgan {
  /** {@code latent_dim = 100}. */
  public static final int LATENT_DIM = 100;
  /** {@code batch_size = 128}. */
  public static final int BATCH_SIZE = 128;
  /** {@code epochs = 25}. */
  public static final int EPOCHS = 25;
  /** {@code lr_dscr = lr_gen = 0.0002}, with Flux's ADAM defaults (0.9, 0.999, 1e-8). */
  public static final double LEARNING_RATE = 0.0002;
  public static final double BETA_1 = 0.9;
  public static final double BETA_2 = 0.999;
  public static final double EPSILON = 1e-8;
  /** {@code verbose_freq = 1000}: a log line and a grid. */
  public static final long REPORT_EVERY = 1000;
  /** {@code output_dim = 5}: a 5x5 grid. */
  public static final int GRID = 5;
  /** {@code dcgan_init}: N(0, 0.02). */
  public static final double INIT_STDDEV = 0.02;
  public static final float LEAKY_SLOPE = 0.2f;
  public static final double DROPOUT_RATE = 0.3;
  /** Flux BatchNorm: epsilon 1e-5, running averages with weight 0.1 on the new value. */
  public static final double BN_MOMENTUM = 0.9;
  public static final double BN_EPSILON = 1e-5;

  private FluxDcgan() {}

  public static Sequential generator(int latentDim) {
    Initializer dcgan = Initializers.normal(INIT_STDDEV);
    return new Sequential("generator", Shape.of(latentDim))
        .add(new Dense(7 * 7 * 256).noBias())
        .add(new BatchNormalization(BN_MOMENTUM, BN_EPSILON))
        .add(new Relu())
        .add(new Reshape(7, 7, 256)) // [b, 7, 7, 256]
        .add(new Conv2dTranspose(128, 5).padding(Padding.SAME).noBias().kernelInitializer(dcgan))
        .add(new BatchNormalization(BN_MOMENTUM, BN_EPSILON))
        .add(new Relu()) // [b, 7, 7, 128]
        .add(new Conv2dTranspose(64, 4).strides(2).padding(Padding.SAME).noBias().kernelInitializer(dcgan))
        .add(new BatchNormalization(BN_MOMENTUM, BN_EPSILON))
        .add(new Relu()) // [b, 14, 14, 64]
        .add(new Conv2dTranspose(1, 4).strides(2).padding(Padding.SAME).noBias().activation(Activation.TANH).kernelInitializer(dcgan)); // [b, 28, 28, 1]
  }

  public static Sequential discriminator() {
    Initializer dcgan = Initializers.normal(INIT_STDDEV);
    return new Sequential("discriminator", Shape.of(28, 28, 1))
        .add(new Conv2d(64, 4).strides(2).padding(Padding.SAME).kernelInitializer(dcgan))
        .add(new LeakyRelu(LEAKY_SLOPE)) // [b, 14, 14, 64]
        .add(new Dropout(DROPOUT_RATE))
        .add(new Conv2d(128, 4).strides(2).padding(Padding.SAME).kernelInitializer(dcgan))
        .add(new LeakyRelu(LEAKY_SLOPE)) // [b, 7, 7, 128]
        .add(new Dropout(DROPOUT_RATE))
        .add(new Flatten()) // [b, 6272]
        .add(new Dense(1)); // [b, 1], a logit
  }

  /** Seed 002: D then G on the same noise (G trained correctly), a 5x5 grid and a log line every 1000 steps. */
  static Preset dcganFlux() {
    long every = FluxDcgan.REPORT_EVERY;
    return Preset.builder("dcgan-flux").tutorial("seed 002: the Flux.jl DCGAN on MNIST")
        .data(DataSpec.of(Dataset.MNIST)).imageShape(Presets.MNIST_IMAGE)
        .latentDim(FluxDcgan.LATENT_DIM)
        .networks(() -> FluxDcgan.generator(FluxDcgan.LATENT_DIM), FluxDcgan::discriminator)
        .adam(new Adam.Settings(FluxDcgan.LEARNING_RATE, FluxDcgan.BETA_1, FluxDcgan.BETA_2, FluxDcgan.EPSILON))
        .trainStep(Steps.alternating(Losses.nonSaturating()).reuseNoise())
        .batchSize(FluxDcgan.BATCH_SIZE).epochs(FluxDcgan.EPOCHS).checkpointEvery(5)
        .samples(SampleSpec.grid(FluxDcgan.GRID, FluxDcgan.GRID).steps(s -> s % every == 0).beforeTraining()
            .afterTraining().fixedLatents().file("dcgan_steps_%06d.png").gif("output.gif", FrameSchedule.ALL).build())
        .stepLog(new StepLog(every, StepLog.Style.FLUX))
        .build();
  }
}

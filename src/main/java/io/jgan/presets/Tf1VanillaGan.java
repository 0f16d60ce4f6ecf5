package io.jgan.presets;

import io.jgan.PixelScale;
import io.jgan.data.Dataset;
import io.jgan.gan.DataSpec;
import io.jgan.gan.LatentPrior;
import io.jgan.gan.Losses;
import io.jgan.gan.Preset;
import io.jgan.gan.SampleSpec;
import io.jgan.gan.StepLog;
import io.jgan.gan.Steps;
import io.jgan.nn.Activation;
import io.jgan.nn.Dense;
import io.jgan.nn.Initializers;
import io.jgan.nn.Sequential;
import io.jgan.optim.Adam;
import io.jgan.viz.FrameSchedule;
import org.tensorflow.ndarray.Shape;

/**
 * Seed 004: the TensorFlow 1 vanilla GAN on MNIST, one hidden layer of 128 in each network,
 * pixels in [0, 1], noise U(-1, 1), weights from its {@code xavier_init} (normal with stddev
 * 1 / sqrt(in_dim / 2)) and zero biases.
 */
public final class Tf1VanillaGan {
  /**
   * Sample quality every 10 epochs, so that it costs at most 5% of training: 2,000 samples judged take
   * 1.0 to 1.7 s against epochs of 3 to 4 s on this project's 2-core machine.
   */
  static final int EVAL_EVERY = 10;

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

  /** Seed 004: 10,000 iterations; a fresh 4x4 sample and a log line every 1000. */
  static Preset ganTf1() {
    long every = Tf1VanillaGan.REPORT_EVERY;
    int stepsPerEpoch = (60_000 + Tf1VanillaGan.BATCH_SIZE - 1) / Tf1VanillaGan.BATCH_SIZE;
    int epochs = (int) ((Tf1VanillaGan.ITERATIONS + stepsPerEpoch - 1) / stepsPerEpoch);
    return Preset.builder("gan-tf1").tutorial("seed 004: the TensorFlow 1 vanilla GAN on MNIST")
        .data(DataSpec.of(Dataset.MNIST)).imageShape(Presets.MNIST_IMAGE).pixelScale(PixelScale.UNIT)
        .latentDim(Tf1VanillaGan.LATENT_DIM).latentPrior(LatentPrior.UNIFORM_SYMMETRIC)
        .networks(() -> Tf1VanillaGan.generator(Tf1VanillaGan.LATENT_DIM), Tf1VanillaGan::discriminator)
        .adam(new Adam.Settings(Tf1VanillaGan.LEARNING_RATE, Tf1VanillaGan.BETA_1, Tf1VanillaGan.BETA_2, Tf1VanillaGan.EPSILON))
        .trainStep(Steps.alternating(Losses.nonSaturating()))
        .batchSize(Tf1VanillaGan.BATCH_SIZE).epochs(epochs).maxSteps(Tf1VanillaGan.ITERATIONS).checkpointEvery(5)
        .samples(SampleSpec.grid(4, 4).steps(s -> s % every == 0).beforeTraining()
            .file("out/%03d.png").numberedPer(every).gif("out.gif", FrameSchedule.ALL).build())
        .stepLog(new StepLog(every, StepLog.Style.TF1))
        .evalEvery(EVAL_EVERY)
        .build();
  }
}

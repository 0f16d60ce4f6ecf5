package io.jgan.presets;

import io.jgan.BadInputException;
import io.jgan.PixelScale;
import io.jgan.data.Dataset;
import io.jgan.gan.DataSpec;
import io.jgan.gan.GanStep;
import io.jgan.gan.LatentPrior;
import io.jgan.gan.Losses;
import io.jgan.gan.Preset;
import io.jgan.gan.SampleSpec;
import io.jgan.gan.StepLog;
import io.jgan.gan.Steps;
import io.jgan.models.dcgan.DcganTutorial;
import io.jgan.models.fluxdcgan.FluxDcgan;
import io.jgan.models.lego.LegoDcgan;
import io.jgan.models.mlpgan.KerasMlpGan;
import io.jgan.models.tf1gan.Tf1VanillaGan;
import io.jgan.models.wgangp.WganGpCelebA;
import io.jgan.optim.Adam;
import io.jgan.viz.FrameSchedule;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.ndarray.Shape;

/**
 * Every seed tutorial as a named preset, one method each. {@code train} without {@code --preset}
 * uses {@link #DEFAULT}.
 */
public final class Presets {
  /** The official TensorFlow DCGAN tutorial. */
  public static final String DEFAULT = "dcgan-mnist";

  private static final Shape MNIST_IMAGE = Shape.of(28, 28, 1);
  /**
   * Sample quality costs at most 5% of training: 2,000 samples judged take 1.0 to 1.7 s for the MLP
   * GANs (4.2 s for dcgan-mnist), against epochs of 28 to 33 s (gan-mlp) and 3 to 4 s (gan-tf1) on
   * this project's 2-core machine; the other presets' epochs take minutes, so every epoch.
   */
  private static final int GAN_MLP_EVAL_EVERY = 2;
  private static final int GAN_TF1_EVAL_EVERY = 10;
  private static final Map<String, Preset> PRESETS = new LinkedHashMap<>();

  static {
    register(dcgan("dcgan-mnist", "the official TensorFlow DCGAN tutorial (MNIST)", Dataset.MNIST, 50, 15));
    register(dcgan("dcgan-fashion", "seed 000: the TensorFlow 2 DCGAN tutorial on Fashion-MNIST", Dataset.FASHION_MNIST, 100, 20));
    register(ganMlp());
    register(ganTf1());
    register(dcganFlux());
    register(dcganLego());
    register(wganGp());
    register(cwganGp());
  }

  private Presets() {}

  private static void register(Preset p) {
    PRESETS.put(p.name(), p);
  }

  /**
   * Seed 000 and the official tutorial: the same model and train step; only the data, the number
   * of epochs and the checkpoint interval differ.
   */
  private static Preset dcgan(String name, String tutorial, Dataset dataset, int epochs, int checkpointEvery) {
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

  /** Seed 001: D on a mixed batch with real labels 0.9, then G through D; 10x10 samples at epoch 1 and every 20. */
  private static Preset ganMlp() {
    return Preset.builder("gan-mlp").tutorial("seed 001: the Keras MLP GAN on MNIST")
        .data(DataSpec.of(Dataset.MNIST)).imageShape(MNIST_IMAGE)
        .latentDim(KerasMlpGan.LATENT_DIM)
        .networks(() -> KerasMlpGan.generator(KerasMlpGan.LATENT_DIM), KerasMlpGan::discriminator)
        .adam(new Adam.Settings(KerasMlpGan.LEARNING_RATE, KerasMlpGan.BETA_1, Adam.BETA_2_DEFAULT, Adam.EPSILON_DEFAULT))
        .trainStep(Steps.alternating(Losses.nonSaturating().onProbabilities().realLabel(KerasMlpGan.REAL_LABEL))
            .mixedBatch())
        .batchSize(KerasMlpGan.BATCH_SIZE).epochs(KerasMlpGan.EPOCHS).checkpointEvery(20)
        .samples(SampleSpec.grid(10, 10).epochs(e -> e == 1 || e % 20 == 0)
            .file("gan_generated_image_epoch_%d.png").gif("gan.gif", FrameSchedule.ALL).build())
        .evalEvery(GAN_MLP_EVAL_EVERY)
        .build();
  }

  /** Seed 004: 10,000 iterations; a fresh 4x4 sample and a log line every 1000. */
  private static Preset ganTf1() {
    long every = Tf1VanillaGan.REPORT_EVERY;
    int stepsPerEpoch = (60_000 + Tf1VanillaGan.BATCH_SIZE - 1) / Tf1VanillaGan.BATCH_SIZE;
    int epochs = (int) ((Tf1VanillaGan.ITERATIONS + stepsPerEpoch - 1) / stepsPerEpoch);
    return Preset.builder("gan-tf1").tutorial("seed 004: the TensorFlow 1 vanilla GAN on MNIST")
        .data(DataSpec.of(Dataset.MNIST)).imageShape(MNIST_IMAGE).pixelScale(PixelScale.UNIT)
        .latentDim(Tf1VanillaGan.LATENT_DIM).latentPrior(LatentPrior.UNIFORM_SYMMETRIC)
        .networks(() -> Tf1VanillaGan.generator(Tf1VanillaGan.LATENT_DIM), Tf1VanillaGan::discriminator)
        .adam(new Adam.Settings(Tf1VanillaGan.LEARNING_RATE, Tf1VanillaGan.BETA_1, Tf1VanillaGan.BETA_2, Tf1VanillaGan.EPSILON))
        .trainStep(Steps.alternating(Losses.nonSaturating()))
        .batchSize(Tf1VanillaGan.BATCH_SIZE).epochs(epochs).maxSteps(Tf1VanillaGan.ITERATIONS).checkpointEvery(5)
        .samples(SampleSpec.grid(4, 4).steps(s -> s % every == 0).beforeTraining()
            .file("out/%03d.png").numberedPer(every).gif("out.gif", FrameSchedule.ALL).build())
        .stepLog(new StepLog(every, StepLog.Style.TF1))
        .evalEvery(GAN_TF1_EVAL_EVERY)
        .build();
  }

  /** Seed 002: D then G on the same noise (G trained correctly), a 5x5 grid and a log line every 1000 steps. */
  private static Preset dcganFlux() {
    long every = FluxDcgan.REPORT_EVERY;
    return Preset.builder("dcgan-flux").tutorial("seed 002: the Flux.jl DCGAN on MNIST")
        .data(DataSpec.of(Dataset.MNIST)).imageShape(MNIST_IMAGE)
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

  /** Seed 003 part 1: noisy labels, BCE on probabilities, 10 samples and a checkpoint every epoch. */
  private static Preset dcganLego() {
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

  /** Seed 003 part 2: 3 critic steps per generator step, gradient penalty 10, 64x64 RGB. */
  private static Preset wganGp() {
    Shape image = Shape.of(WganGpCelebA.IMAGE_SIZE, WganGpCelebA.IMAGE_SIZE, WganGpCelebA.CHANNELS);
    return Preset.builder("wgan-gp")
        .tutorial("seed 003: the WGAN-GP of Generative Deep Learning on 64x64 RGB faces (CelebA)")
        .data(DataSpec.folder()).imageShape(image)
        .latentDim(WganGpCelebA.LATENT_DIM)
        .networks(() -> WganGpCelebA.generator(WganGpCelebA.LATENT_DIM), () -> WganGpCelebA.critic(image))
        .adam(new Adam.Settings(WganGpCelebA.LEARNING_RATE, WganGpCelebA.BETA_1, WganGpCelebA.BETA_2, Adam.EPSILON_DEFAULT))
        .trainStep(wganGpStep())
        .batchSize(WganGpCelebA.BATCH_SIZE).epochs(WganGpCelebA.EPOCHS)
        .samples(seed003Samples("generated_img_%03d.png"))
        .build();
  }

  /** Seed 003 part 3: the conditional WGAN-GP; a CSV attribute (2 classes) or MNIST's 10 classes. */
  private static Preset cwganGp() {
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
        .samples(seed003Samples("generated_img_%03d_label_%d.png"))
        .build();
  }

  /** Seed 003's WGAN-GP step: 3 critic updates per generator update, Wasserstein loss plus 10 x the gradient penalty. */
  private static GanStep wganGpStep() {
    return Steps.criticFirst(Steps.CRITIC_STEPS_DEFAULT,
        Losses.wasserstein().withPenalty(Losses.gradientPenalty(Losses.GRADIENT_PENALTY_WEIGHT_DEFAULT)));
  }

  /** Seed 003's ImageGenerator callback: 10 fresh samples in a row after every epoch. */
  private static SampleSpec seed003Samples(String file) {
    return SampleSpec.grid(1, 10).everyEpoch().file(file).gif("training.gif", FrameSchedule.SQRT).build();
  }

  /** The preset called {@code name}; a BadInputException lists the valid names otherwise. */
  public static Preset get(String name) {
    Preset p = PRESETS.get(name);
    if (p == null) {
      throw new BadInputException("unknown preset '" + name + "': expected one of " + String.join(", ", names()));
    }
    return p;
  }

  public static List<String> names() {
    return List.copyOf(PRESETS.keySet());
  }

  public static List<Preset> all() {
    return List.copyOf(PRESETS.values());
  }
}

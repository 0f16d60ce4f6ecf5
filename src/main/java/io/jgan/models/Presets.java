package io.jgan.models;

import io.jgan.BadInputException;
import io.jgan.data.Dataset;
import io.jgan.data.PixelScale;
import io.jgan.models.dcgan.DcganTutorial;
import io.jgan.models.fluxdcgan.FluxDcgan;
import io.jgan.models.lego.LegoDcgan;
import io.jgan.models.mlpgan.KerasMlpGan;
import io.jgan.models.tf1gan.Tf1VanillaGan;
import io.jgan.models.wgangp.WganGpCelebA;
import io.jgan.train.Adam;
import io.jgan.train.AlternatingGanStep;
import io.jgan.train.BceGanLoss;
import io.jgan.train.GradientPenalty;
import io.jgan.train.SimultaneousGanStep;
import io.jgan.train.WganGpStep;
import io.jgan.viz.FrameSchedule;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.ndarray.Shape;

/** Every seed tutorial as a named preset. {@code train} without {@code --preset} uses {@link #DEFAULT}. */
public final class Presets {
  /** The official TensorFlow DCGAN tutorial. */
  public static final String DEFAULT = "dcgan-mnist";

  private static final Shape MNIST_IMAGE = Shape.of(28, 28, 1);
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
    return new Preset(name, tutorial, DataSpec.of(dataset), DcganTutorial.IMAGE_SHAPE, PixelScale.TANH,
        DcganTutorial.LATENT_DIM, LatentPrior.NORMAL,
        (latentDim, classes) -> {
          Preset.requireUnconditional("the DCGAN tutorial's generator", classes);
          return DcganTutorial.generator(latentDim);
        },
        (imageShape, classes) -> {
          Preset.requireUnconditional("the DCGAN tutorial's discriminator", classes);
          return DcganTutorial.discriminator();
        },
        Adam.Settings.keras(DcganTutorial.LEARNING_RATE), Adam.Settings.keras(DcganTutorial.LEARNING_RATE),
        SimultaneousGanStep.of(BceGanLoss.TUTORIAL, false),
        DcganTutorial.BATCH_SIZE, epochs, 0, checkpointEvery,
        SampleSpec.everyEpoch(4, 4, "image_at_epoch_%04d.png", "dcgan.gif", FrameSchedule.SQRT), null);
  }

  /** Seed 001: D on a mixed batch with real labels 0.9, then G through D; 10x10 samples at epoch 1 and every 20. */
  private static Preset ganMlp() {
    Adam.Settings adam = new Adam.Settings(KerasMlpGan.LEARNING_RATE, KerasMlpGan.BETA_1, Adam.BETA_2_DEFAULT,
        Adam.EPSILON_DEFAULT);
    return new Preset("gan-mlp", "seed 001: the Keras MLP GAN on MNIST", DataSpec.of(Dataset.MNIST), MNIST_IMAGE,
        PixelScale.TANH, KerasMlpGan.LATENT_DIM, LatentPrior.NORMAL,
        (latentDim, classes) -> unconditional(classes, KerasMlpGan.generator(latentDim)),
        (image, classes) -> unconditional(classes, KerasMlpGan.discriminator()),
        adam, adam,
        AlternatingGanStep.of(new BceGanLoss(false, KerasMlpGan.REAL_LABEL, 0f, false),
            AlternatingGanStep.Mix.MIXED_BATCH, true),
        KerasMlpGan.BATCH_SIZE, KerasMlpGan.EPOCHS, 0, 20,
        new SampleSpec(10, 10, SampleSpec.Unit.EPOCH, e -> e == 1 || e % 20 == 0, false, false, false,
            "gan_generated_image_epoch_%d.png", 1, "gan.gif", FrameSchedule.ALL), null);
  }

  /** Seed 004: 10,000 iterations; a fresh 4x4 sample and a log line every 1000. */
  private static Preset ganTf1() {
    Adam.Settings adam = new Adam.Settings(Tf1VanillaGan.LEARNING_RATE, Tf1VanillaGan.BETA_1, Tf1VanillaGan.BETA_2,
        Tf1VanillaGan.EPSILON);
    long every = Tf1VanillaGan.REPORT_EVERY;
    int stepsPerEpoch = (60_000 + Tf1VanillaGan.BATCH_SIZE - 1) / Tf1VanillaGan.BATCH_SIZE;
    int epochs = (int) ((Tf1VanillaGan.ITERATIONS + stepsPerEpoch - 1) / stepsPerEpoch);
    return new Preset("gan-tf1", "seed 004: the TensorFlow 1 vanilla GAN on MNIST", DataSpec.of(Dataset.MNIST), MNIST_IMAGE,
        PixelScale.UNIT, Tf1VanillaGan.LATENT_DIM, LatentPrior.UNIFORM_SYMMETRIC,
        (latentDim, classes) -> unconditional(classes, Tf1VanillaGan.generator(latentDim)),
        (image, classes) -> unconditional(classes, Tf1VanillaGan.discriminator()),
        adam, adam,
        AlternatingGanStep.of(BceGanLoss.TUTORIAL, AlternatingGanStep.Mix.SEPARATE, true),
        Tf1VanillaGan.BATCH_SIZE, epochs, Tf1VanillaGan.ITERATIONS, 5,
        new SampleSpec(4, 4, SampleSpec.Unit.STEP, s -> s % every == 0, true, false, false, "out/%03d.png", every,
            "out.gif", FrameSchedule.ALL),
        new StepLog(every, StepLog.Style.TF1));
  }

  /** Seed 002: D then G on the same noise (G trained correctly), a 5x5 grid and a log line every 1000 steps. */
  private static Preset dcganFlux() {
    Adam.Settings adam = new Adam.Settings(FluxDcgan.LEARNING_RATE, FluxDcgan.BETA_1, FluxDcgan.BETA_2, FluxDcgan.EPSILON);
    long every = FluxDcgan.REPORT_EVERY;
    return new Preset("dcgan-flux", "seed 002: the Flux.jl DCGAN on MNIST", DataSpec.of(Dataset.MNIST), MNIST_IMAGE,
        PixelScale.TANH, FluxDcgan.LATENT_DIM, LatentPrior.NORMAL,
        (latentDim, classes) -> unconditional(classes, FluxDcgan.generator(latentDim)),
        (image, classes) -> unconditional(classes, FluxDcgan.discriminator()),
        adam, adam,
        AlternatingGanStep.of(BceGanLoss.TUTORIAL, AlternatingGanStep.Mix.SEPARATE, false),
        FluxDcgan.BATCH_SIZE, FluxDcgan.EPOCHS, 0, 5,
        new SampleSpec(FluxDcgan.GRID, FluxDcgan.GRID, SampleSpec.Unit.STEP, s -> s % every == 0, true, true, true,
            "dcgan_steps_%06d.png", 1, "output.gif", FrameSchedule.ALL),
        new StepLog(every, StepLog.Style.FLUX));
  }

  /** Seed 003 part 1: noisy labels, BCE on probabilities, 10 samples and a checkpoint every epoch. */
  private static Preset dcganLego() {
    Shape image = Shape.of(LegoDcgan.IMAGE_SIZE, LegoDcgan.IMAGE_SIZE, LegoDcgan.CHANNELS);
    Adam.Settings adam = new Adam.Settings(LegoDcgan.LEARNING_RATE, LegoDcgan.BETA_1, LegoDcgan.BETA_2, Adam.EPSILON_DEFAULT);
    return new Preset("dcgan-lego", "seed 003: the DCGAN of Generative Deep Learning on 64x64 grayscale images (LEGO bricks)",
        DataSpec.folder(), image, PixelScale.TANH, LegoDcgan.LATENT_DIM, LatentPrior.NORMAL,
        (latentDim, classes) -> unconditional(classes, LegoDcgan.generator(latentDim, LegoDcgan.CHANNELS, false)),
        (shape, classes) -> unconditional(classes, LegoDcgan.discriminator(shape)),
        adam, adam,
        SimultaneousGanStep.of(new BceGanLoss(false, 1f, LegoDcgan.NOISE_PARAM, true), true),
        LegoDcgan.BATCH_SIZE, LegoDcgan.EPOCHS, 0, 1,
        new SampleSpec(1, 10, SampleSpec.Unit.EPOCH, e -> true, false, false, false, "generated_img_%03d.png", 1,
            "training.gif", FrameSchedule.SQRT), null);
  }

  /** Seed 003 part 2: 3 critic steps per generator step, gradient penalty 10, 64x64 RGB. */
  private static Preset wganGp() {
    Shape image = Shape.of(WganGpCelebA.IMAGE_SIZE, WganGpCelebA.IMAGE_SIZE, WganGpCelebA.CHANNELS);
    Adam.Settings adam = new Adam.Settings(WganGpCelebA.LEARNING_RATE, WganGpCelebA.BETA_1, WganGpCelebA.BETA_2,
        Adam.EPSILON_DEFAULT);
    return new Preset("wgan-gp", "seed 003: the WGAN-GP of Generative Deep Learning on 64x64 RGB faces (CelebA)",
        DataSpec.folder(), image, PixelScale.TANH, WganGpCelebA.LATENT_DIM, LatentPrior.NORMAL,
        (latentDim, classes) -> unconditional(classes, WganGpCelebA.generator(latentDim)),
        (shape, classes) -> unconditional(classes, WganGpCelebA.critic(shape)),
        adam, adam,
        WganGpStep.of(WganGpStep.CRITIC_STEPS_DEFAULT, GradientPenalty.WEIGHT_DEFAULT),
        WganGpCelebA.BATCH_SIZE, WganGpCelebA.EPOCHS, 0, 1,
        new SampleSpec(1, 10, SampleSpec.Unit.EPOCH, e -> true, false, false, false, "generated_img_%03d.png", 1,
            "training.gif", FrameSchedule.SQRT), null);
  }

  /** Seed 003 part 3: the conditional WGAN-GP; a CSV attribute (2 classes) or MNIST's 10 classes. */
  private static Preset cwganGp() {
    Shape image = Shape.of(WganGpCelebA.IMAGE_SIZE, WganGpCelebA.IMAGE_SIZE, WganGpCelebA.CHANNELS);
    Adam.Settings adam = new Adam.Settings(WganGpCelebA.CONDITIONAL_LEARNING_RATE, WganGpCelebA.BETA_1,
        WganGpCelebA.BETA_2, Adam.EPSILON_DEFAULT);
    return new Preset("cwgan-gp", "seed 003: the conditional WGAN-GP of Generative Deep Learning (CelebA attribute or MNIST class)",
        DataSpec.conditionalFolder(WganGpCelebA.DEFAULT_LABEL), image, PixelScale.TANH,
        WganGpCelebA.CONDITIONAL_LATENT_DIM, LatentPrior.NORMAL,
        WganGpCelebA::conditionalGenerator,
        WganGpCelebA::conditionalCritic,
        adam, adam,
        WganGpStep.of(WganGpStep.CRITIC_STEPS_DEFAULT, GradientPenalty.WEIGHT_DEFAULT),
        WganGpCelebA.CONDITIONAL_BATCH_SIZE, WganGpCelebA.CONDITIONAL_EPOCHS, 0, 1,
        new SampleSpec(1, 10, SampleSpec.Unit.EPOCH, e -> true, false, false, false, "generated_img_%03d_label_%d.png", 1,
            "training.gif", FrameSchedule.SQRT), null);
  }

  private static io.jgan.nn.Sequential unconditional(int classes, io.jgan.nn.Sequential network) {
    Preset.requireUnconditional(network.name() + " of this preset", classes);
    return network;
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

package io.jgan.models;

import io.jgan.BadInputException;
import io.jgan.data.Dataset;
import io.jgan.data.PixelScale;
import io.jgan.models.dcgan.DcganTutorial;
import io.jgan.train.Adam;
import io.jgan.train.BceGanLoss;
import io.jgan.train.SimultaneousGanStep;
import io.jgan.viz.FrameSchedule;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Every seed tutorial as a named preset. {@code train} without {@code --preset} uses {@link #DEFAULT}. */
public final class Presets {
  /** The official TensorFlow DCGAN tutorial. */
  public static final String DEFAULT = "dcgan-mnist";

  private static final Map<String, Preset> PRESETS = new LinkedHashMap<>();

  static {
    register(dcgan("dcgan-mnist", "the official TensorFlow DCGAN tutorial (MNIST)", Dataset.MNIST, 50, 15));
    register(dcgan("dcgan-fashion", "seed 000: the TensorFlow 2 DCGAN tutorial on Fashion-MNIST", Dataset.FASHION_MNIST, 100, 20));
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
    return new Preset(name, tutorial, dataset, DcganTutorial.IMAGE_SHAPE, PixelScale.TANH,
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
        DcganTutorial.BATCH_SIZE, epochs, checkpointEvery,
        new SampleSpec(4, 4, "image_at_epoch_%04d.png", "dcgan.gif", FrameSchedule.SQRT));
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

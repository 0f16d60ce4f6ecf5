package io.jgan.presets;

import io.jgan.BadInputException;
import io.jgan.data.Dataset;
import io.jgan.gan.Preset;
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

  /** MNIST and Fashion-MNIST: 28x28 grayscale. */
  static final Shape MNIST_IMAGE = Shape.of(28, 28, 1);
  private static final Map<String, Preset> PRESETS = new LinkedHashMap<>();

  static {
    register(DcganTutorial.dcgan("dcgan-mnist", "the official TensorFlow DCGAN tutorial (MNIST)", Dataset.MNIST, 50, 15));
    register(DcganTutorial.dcgan("dcgan-fashion", "seed 000: the TensorFlow 2 DCGAN tutorial on Fashion-MNIST", Dataset.FASHION_MNIST, 100, 20));
    register(KerasMlpGan.ganMlp());
    register(Tf1VanillaGan.ganTf1());
    register(FluxDcgan.dcganFlux());
    register(LegoDcgan.dcganLego());
    register(WganGpCelebA.wganGp());
    register(WganGpCelebA.cwganGp());
  }

  private Presets() {}

  private static void register(Preset p) {
    PRESETS.put(p.name(), p);
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

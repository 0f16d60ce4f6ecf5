package io.jgan.parity;

import io.jgan.gan.Gan;
import io.jgan.gan.GanLoss;
import io.jgan.gan.GanStep;
import io.jgan.gan.GradientPenalty;
import io.jgan.gan.Losses;
import io.jgan.gan.Penalized;
import io.jgan.gan.Preset;
import io.jgan.gan.Steps;
import io.jgan.nn.BatchNormalization;
import io.jgan.nn.Dropout;
import io.jgan.nn.Initializers;
import io.jgan.nn.Conv2d;
import io.jgan.nn.Conv2dTranspose;
import io.jgan.nn.Dense;
import io.jgan.nn.Layer;
import io.jgan.nn.LeakyRelu;
import io.jgan.nn.Network;
import io.jgan.nn.Sequential;
import io.jgan.optim.Adam;
import io.jgan.optim.Optimizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.IntFunction;

/**
 * Mutants of the code under test: a preset with one of its named defaults changed slightly, for
 * {@code scripts/parity/mutants.sh}. The Python reference stays as the seed has it; the float64
 * comparison must report every mutant as a failure, which proves that each default is checked.
 *
 * <p>Each mutant changes one value, through the public API ({@link Gan#toBuilder}, the
 * {@link Adam.Settings}, {@link Losses.Bce} and {@link Steps} records) or, for a layer's own value,
 * by rebuilding the {@link Sequential} with its first layer of that kind replaced (so one layer of
 * one network changes, not every layer sharing the default). Networks named {@code g-} are the
 * generator's, {@code d-} the discriminator's.
 *
 * <p>Two mutants are blind by construction and listed as such ({@link Mutant#blind}): the parity
 * run restores Python's initial weights and feeds Python's random draws, so a changed initialiser
 * ({@code g-kernel-init}, {@code d-kernel-init}) or the distribution of the gradient penalty's alphas
 * ({@code gp-alpha-normal}) cannot move a compared tensor.
 */
public final class JavaMutants {
  /** Every mutant name, in the order the table lists them; {@link #of} keeps those a GAN has. */
  static final List<String> NAMES = List.of(
      "g-learning-rate", "d-learning-rate", "g-beta1", "d-beta1", "g-beta2", "d-beta2", "g-adam-epsilon", "d-adam-epsilon",
      "real-label", "label-noise", "bce-averaged", "g-loss-minimax", "gp-weight", "critic-steps", "update-order",
      "g-bn-momentum", "d-bn-momentum", "g-bn-epsilon", "d-bn-epsilon", "g-leaky-slope", "d-leaky-slope", "g-dropout",
      "d-dropout", "gp-alpha-normal", "g-kernel-init", "d-kernel-init");
  /** The mutants the comparison cannot see, by design (Python's initial weights and random draws are given to Java). */
  static final List<String> BLIND = List.of("gp-alpha-normal", "g-kernel-init", "d-kernel-init");

  private JavaMutants() {}

  /** One mutant of one GAN: its name, what it changes (with the values), and the changed preset. */
  record Mutant(String name, String what, Preset preset) {
    boolean blind() {
      return BLIND.contains(name);
    }
  }

  /** The mutants {@code preset} has (with {@code classes} classes for a conditional GAN), in {@link #NAMES} order. */
  static List<Mutant> of(Preset preset, int classes) {
    List<Mutant> all = new ArrayList<>();
    for (String name : NAMES) {
      mutate(preset, name, classes).ifPresent(all::add);
    }
    return all;
  }

  /** {@code preset} with mutant {@code name}; fails when it has no such value to change. */
  static Mutant apply(Preset preset, String name, int classes) {
    if (!NAMES.contains(name)) {
      throw new IllegalArgumentException("unknown Java mutant '" + name + "': expected one of " + String.join(", ", NAMES));
    }
    return mutate(preset, name, classes).orElseThrow(() -> new IllegalArgumentException(
        preset.name() + " has nothing for the Java mutant " + name + " to change"));
  }

  private static Optional<Mutant> mutate(Preset preset, String name, int classes) {
    Gan gan = preset.gan();
    boolean generator = name.startsWith("g-");
    String net = generator ? "G" : "D";
    Optional<Mutant> made = switch (name) {
      case "g-learning-rate", "d-learning-rate" -> adam(preset, generator, s -> new Adam.Settings(s.learningRate() * 1.01,
          s.beta1(), s.beta2(), s.epsilon()), s -> net + " Adam learning rate " + num(s.learningRate()) + " x 1.01");
      case "g-beta1", "d-beta1" -> adam(preset, generator, s -> new Adam.Settings(s.learningRate(),
          s.beta1() + 0.01 * (1 - s.beta1()), s.beta2(), s.epsilon()),
          s -> net + " Adam beta_1 " + num(s.beta1()) + " -> " + num(s.beta1() + 0.01 * (1 - s.beta1())));
      case "g-beta2", "d-beta2" -> adam(preset, generator, s -> new Adam.Settings(s.learningRate(), s.beta1(),
          s.beta2() + 0.01 * (1 - s.beta2()), s.epsilon()),
          s -> net + " Adam beta_2 " + num(s.beta2()) + " -> " + num(s.beta2() + 0.01 * (1 - s.beta2())));
      case "g-adam-epsilon", "d-adam-epsilon" -> adam(preset, generator, s -> new Adam.Settings(s.learningRate(), s.beta1(),
          s.beta2(), s.epsilon() * 10), s -> net + " Adam epsilon " + num(s.epsilon()) + " x 10");
      case "real-label" -> bce(preset, b -> {
        double changed = b.realLabel() < 1 ? b.realLabel() + 0.01 : 0.99;
        return new Losses.Bce(b.fromLogits(), changed, b.labelNoise(), b.averageTerms(), b.minimax());
      }, b -> "real label (smoothing) " + num(b.realLabel()) + " -> " + num(b.realLabel() < 1 ? b.realLabel() + 0.01 : 0.99));
      case "label-noise" -> bce(preset, b -> b.labelNoise() > 0
          ? new Losses.Bce(b.fromLogits(), b.realLabel(), b.labelNoise() * 1.1, b.averageTerms(), b.minimax()) : null,
          b -> "label noise " + num(b.labelNoise()) + " x 1.1");
      case "bce-averaged" -> gan.trainStep() instanceof Steps.Alternating a && a.mixed() ? Optional.empty()
          : bce(preset, b -> new Losses.Bce(b.fromLogits(), b.realLabel(), b.labelNoise(), !b.averageTerms(), b.minimax()),
              b -> "loss form: D's loss " + (b.averageTerms() ? "(real + fake) / 2 -> real + fake" : "real + fake -> (real + fake) / 2"));
      case "g-loss-minimax" -> bce(preset, b -> new Losses.Bce(b.fromLogits(), b.realLabel(), b.labelNoise(), b.averageTerms(),
          !b.minimax()), b -> "loss form: G's loss " + (b.minimax() ? "minimax -> non-saturating" : "non-saturating -> minimax"));
      case "gp-weight" -> penalty(preset, gp -> new GradientPenalty(gp.weight() * 1.01, gp.normal()),
          gp -> "gradient penalty weight " + num(gp.weight()) + " x 1.01");
      case "gp-alpha-normal" -> penalty(preset, gp -> new GradientPenalty(gp.weight(), !gp.normal()),
          gp -> "gradient penalty alphas drawn " + (gp.normal() ? "N(0, 1) -> U(0, 1)" : "U(0, 1) -> N(0, 1)"));
      case "critic-steps" -> gan.trainStep() instanceof Steps.CriticFirst c
          ? Optional.of(new Mutant(name, "critic steps per generator step " + c.criticSteps() + " -> " + (c.criticSteps() - 1),
              withStep(preset, new Steps.CriticFirst(c.criticSteps() - 1, c.loss())))) : Optional.empty();
      case "update-order" -> updateOrder(preset);
      case "g-bn-momentum", "d-bn-momentum" -> layer(preset, generator, classes, BatchNormalization.class, bn -> {
        double m = bn.momentum() + 0.01 * (1 - bn.momentum());
        return new Replaced(new BatchNormalization(m, bn.epsilon()), "BatchNormalization momentum " + num(bn.momentum())
            + " -> " + num(m));
      });
      case "g-bn-epsilon", "d-bn-epsilon" -> layer(preset, generator, classes, BatchNormalization.class,
          bn -> new Replaced(new BatchNormalization(bn.momentum(), bn.epsilon() * 1.1), "BatchNormalization epsilon "
              + num(bn.epsilon()) + " x 1.1"));
      case "g-leaky-slope", "d-leaky-slope" -> layer(preset, generator, classes, LeakyRelu.class, l -> new Replaced(
          new LeakyRelu(l.negativeSlope() + 0.01f), "LeakyReLU slope " + num(l.negativeSlope()) + " -> "
          + num(l.negativeSlope() + 0.01f)));
      case "g-dropout", "d-dropout" -> layer(preset, generator, classes, Dropout.class, d -> new Replaced(
          new Dropout(d.rate() + 0.01), "Dropout rate " + num(d.rate()) + " -> " + num(d.rate() + 0.01)));
      case "g-kernel-init", "d-kernel-init" -> layer(preset, generator, classes, Layer.class, JavaMutants::zeroKernel);
      default -> throw new IllegalArgumentException("unknown Java mutant " + name);
    };
    return made.map(m -> new Mutant(name, m.what(), m.preset()));
  }

  private static String num(double v) {
    return String.format(Locale.ROOT, "%.6g", v).replaceAll("\\.?0+(e|$)", "$1");
  }

  private static Optional<Mutant> adam(Preset preset, boolean generator, Function<Adam.Settings, Adam.Settings> change,
      Function<Adam.Settings, String> what) {
    Gan gan = preset.gan();
    Optimizer.Factory g = gan.generatorOptimizer();
    Optimizer.Factory d = gan.discriminatorOptimizer();
    Optimizer.Factory target = generator ? g : d;
    if (!(target instanceof Adam.Settings s)) {
      return Optional.empty();
    }
    Adam.Settings changed = change.apply(s);
    Gan mutated = gan.toBuilder().optimizers(generator ? changed : g, generator ? d : changed).build();
    return Optional.of(new Mutant("", what.apply(s), preset.withGan(mutated)));
  }

  private static Optional<Mutant> bce(Preset preset, Function<Losses.Bce, Losses.Bce> change, Function<Losses.Bce, String> what) {
    if (!(preset.gan().trainStep() instanceof Steps.LossStep step && step.loss() instanceof Losses.Bce b)) {
      return Optional.empty();
    }
    Losses.Bce changed = change.apply(b);
    return changed == null ? Optional.empty() : Optional.of(new Mutant("", what.apply(b), withStep(preset, step.withLoss(changed))));
  }

  private static Optional<Mutant> penalty(Preset preset, Function<GradientPenalty, GradientPenalty> change,
      Function<GradientPenalty, String> what) {
    if (!(preset.gan().trainStep() instanceof Steps.LossStep step && step.loss() instanceof Penalized p
        && p.penalty() instanceof GradientPenalty gp)) {
      return Optional.empty();
    }
    GanLoss changed = new Penalized(p.base(), change.apply(gp));
    return Optional.of(new Mutant("", what.apply(gp), withStep(preset, step.withLoss(changed))));
  }

  /** Simultaneous updates become alternating ones (D, then G through the updated D), and back. */
  private static Optional<Mutant> updateOrder(Preset preset) {
    GanStep step = preset.gan().trainStep();
    if (step instanceof Steps.Simultaneous s) {
      return Optional.of(new Mutant("", "update order: simultaneous -> alternating (G through the updated D)",
          withStep(preset, Steps.alternating(s.loss()))));
    }
    if (step instanceof Steps.Alternating a && !a.mixed()) {
      // A class-conditional simultaneous step needs one latent vector (and label) per real image.
      Steps.Simultaneous simultaneous = Steps.simultaneous(a.loss());
      return Optional.of(new Mutant("", "update order: alternating -> simultaneous (G through the D of before its update)",
          withStep(preset, preset.conditioning() == Gan.Conditioning.NONE ? simultaneous : simultaneous.noisePerRealImage())));
    }
    return Optional.empty();
  }

  private static Preset withStep(Preset preset, GanStep step) {
    return preset.withGan(preset.gan().toBuilder().step(step).build());
  }

  /** A layer in place of another, and what changed. */
  private record Replaced(Layer layer, String what) {}

  /**
   * The first layer of {@code kind} in one network replaced; empty when that network is not a
   * {@link Sequential} or has no such layer.
   */
  private static <L> Optional<Mutant> layer(Preset preset, boolean generator, int classes, Class<L> kind,
      Function<L, Replaced> change) {
    Gan gan = preset.gan();
    Network probe = generator ? gan.generator(classes) : gan.discriminator(classes);
    if (!(probe instanceof Sequential s) || firstOf(s, kind) < 0) {
      return Optional.empty();
    }
    int index = firstOf(s, kind);
    String what = (generator ? "G" : "D") + " layer " + index + ": " + change.apply(kind.cast(s.layers().get(index))).what();
    IntFunction<Network> original = generator ? gan::generator : gan::discriminator;
    IntFunction<Network> mutated = c -> {
      Sequential fresh = (Sequential) original.apply(c);
      Sequential copy = new Sequential(fresh.name(), fresh.inputShape()).kerasLayout(fresh.kerasLayout());
      List<Layer> layers = fresh.layers();
      for (int i = 0; i < layers.size(); i++) {
        copy.add(i == index ? change.apply(kind.cast(layers.get(i))).layer() : layers.get(i));
      }
      return copy;
    };
    IntFunction<Network> g = generator ? mutated : gan::generator;
    IntFunction<Network> d = generator ? gan::discriminator : mutated;
    Gan.Builder b = gan.toBuilder();
    if (gan.conditioning() == Gan.Conditioning.NONE) {
      b.networks(() -> g.apply(0), () -> d.apply(0));
    } else {
      b.conditionalNetworks(gan.conditioning(), g, d);
    }
    return Optional.of(new Mutant("", what, preset.withGan(b.build())));
  }

  /** The layer (a Dense or convolution) with zeros as its kernel initialiser; null for a layer without a kernel. */
  private static Replaced zeroKernel(Layer k) {
    Layer changed = k instanceof Dense d ? d.kernelInitializer(Initializers.zeros())
        : k instanceof Conv2d c ? c.kernelInitializer(Initializers.zeros())
        : k instanceof Conv2dTranspose t ? t.kernelInitializer(Initializers.zeros()) : null;
    return changed == null ? null : new Replaced(changed, k.kind() + " kernel initialiser -> zeros");
  }

  private static boolean hasKernel(Layer layer) {
    return layer instanceof Dense || layer instanceof Conv2d || layer instanceof Conv2dTranspose;
  }

  private static int firstOf(Sequential s, Class<?> kind) {
    List<Layer> layers = s.layers();
    for (int i = 0; i < layers.size(); i++) {
      if (kind.isInstance(layers.get(i)) && (kind != Layer.class || hasKernel(layers.get(i)))) {
        return i;
      }
    }
    return -1;
  }
}

package io.jgan.bench;

import io.jgan.gan.Phase;
import io.jgan.nn.Conv2d;
import io.jgan.nn.Conv2dTranspose;
import io.jgan.nn.Dense;
import io.jgan.nn.Layer;
import io.jgan.nn.Sequential;
import io.jgan.train.graph.TrainStep;
import io.jgan.train.graph.TrainingGraph;
import java.util.ArrayList;
import java.util.List;
import org.tensorflow.ndarray.Shape;

/**
 * Floating-point operations of one training step of a preset, counted from its layers and the
 * passes its train step makes (the convention of FLOP counts: the multiply-adds of the
 * convolutions and matrix products the step needs, 2 FLOPs each; BatchNorm, activations, dropout,
 * losses and the optimizer, a few operations per value, are left out).
 *
 * <p>Per example, a layer's forward pass costs its MACs: a convolution (output pixels) x (kernel
 * size), a transposed convolution (input pixels) x (kernel size), a dense layer its kernel size.
 * Its backward pass is two products of the same size: the gradient with respect to its input
 * ({@code I}) and with respect to its weights ({@code W}). A network's first layer needs no input
 * gradient when its input is data or noise, and a pass differentiated only for another network's
 * weights needs no weight gradients. The passes of each kind of step (per example, F forward, f the
 * first layer's MACs, l the last layer's):
 *
 * <pre>
 *   simultaneous (DCGAN): F_G + 2 F_D                           G(z), D(x), D(G(z))
 *                         + 2 (W_D + I_D - f_D)                d_loss to D's weights, both D passes
 *                         + I_D + W_G + I_G - f_G              g_loss through D(G(z)) to G's weights
 *   alternating:          D run: F_G + 2 F_D + 2 (W_D + I_D - f_D)   (G(z) in inference mode)
 *                         G run: F_G + F_D + I_D + W_G + I_G - f_G
 *   WGAN-GP, per critic run: F_G + 2 F_D + 2 (W_D + I_D - f_D)      Wasserstein term
 *                         + F_D + I_D                          D(x^) and d D(x^) / d x^
 *                         + W_D + I_D - l_D                    the penalty's gradient through that
 *                                                              input gradient (d/dW and d/d(delta)
 *                                                              of each layer's input-gradient
 *                                                              product; the top delta is constant)
 *           generator run: F_G + F_D + I_D + W_G + I_G - f_G
 * </pre>
 *
 * The penalty's second-order terms through the activations' derivatives are zero (LeakyReLU is
 * piecewise linear) and not counted, though TensorFlow may compute them as products with zeros.
 */
public final class FlopCount {
  private FlopCount() {}

  /** Forward MACs per example of each layer that has them (convolutions and dense layers), in order. */
  public static List<Long> layerMacs(Sequential network) {
    List<Layer> layers = network.layers();
    List<Shape> outputs = network.layerOutputShapes();
    List<Long> macs = new ArrayList<>();
    Shape in = network.inputShape();
    for (int i = 0; i < layers.size(); i++) {
      Layer layer = layers.get(i);
      if (!layer.weights().isEmpty()) {
        long kernel = layer.weights().get(0).shape().size();
        if (layer instanceof Conv2d) {
          macs.add(outputs.get(i).size(0) * outputs.get(i).size(1) * kernel);
        } else if (layer instanceof Conv2dTranspose) {
          macs.add(in.size(0) * in.size(1) * kernel);
        } else if (layer instanceof Dense) {
          macs.add(kernel);
        }
      }
      in = outputs.get(i);
    }
    return macs;
  }

  /** Forward MACs per example of a whole network. */
  public static long forwardMacs(Sequential network) {
    return layerMacs(network).stream().mapToLong(Long::longValue).sum();
  }

  /** The kinds of train step, by the passes they make. */
  public enum StepKind { SIMULTANEOUS, ALTERNATING, WGAN_GP }

  /**
   * The kind of {@code step}, from its session runs: one run updating both networks
   * ({@code SimultaneousGanStep}), a discriminator then a generator run ({@code AlternatingGanStep}),
   * or critic runs then a generator run ({@code WganGpStep}).
   */
  public static StepKind kindOf(TrainStep step) {
    List<String> names = step.phases().stream().map(Phase::name).toList();
    if (names.equals(List.of("both"))) {
      return StepKind.SIMULTANEOUS;
    }
    if (names.equals(List.of("discriminator", "generator"))) {
      return StepKind.ALTERNATING;
    }
    if (names.size() >= 2 && names.get(names.size() - 1).equals("generator")
        && names.subList(0, names.size() - 1).stream().allMatch(n -> n.startsWith("critic_"))) {
      return StepKind.WGAN_GP;
    }
    throw new IllegalArgumentException("expected the phases of a simultaneous, alternating or WGAN-GP step, got " + names);
  }

  /** MACs per example of one step of {@code kind}, with {@code criticRuns} critic runs for WGAN-GP. */
  public static long stepMacsPerExample(StepKind kind, int criticRuns, Sequential generator, Sequential discriminator) {
    List<Long> g = layerMacs(generator);
    List<Long> d = layerMacs(discriminator);
    long fG = sum(g), fD = sum(d);
    long wG = fG, wD = fD, iG = fG, iD = fD;
    long firstG = g.get(0), firstD = d.get(0), lastD = d.get(d.size() - 1);
    long generatorUpdate = iD + wG + iG - firstG; // through D(G(z)) to G's weights
    long discriminatorOnBoth = 2 * fD + 2 * (wD + iD - firstD); // D(x), D(G(z)) forward and to D's weights
    return switch (kind) {
      case SIMULTANEOUS -> fG + discriminatorOnBoth + generatorUpdate;
      case ALTERNATING -> (fG + discriminatorOnBoth) + (fG + fD + generatorUpdate);
      case WGAN_GP -> criticRuns * (fG + discriminatorOnBoth + fD + iD + wD + iD - lastD) + (fG + fD + generatorUpdate);
    };
  }

  /** FLOPs of one step of the graph's train step at {@code batch} examples (the noise batch the same). */
  public static double stepFlops(TrainingGraph<?> graph, long batch) {
    TrainStep step = graph.trainStep();
    StepKind kind = kindOf(step);
    int criticRuns = kind == StepKind.WGAN_GP ? step.phases().size() - 1 : 0;
    if (!(graph.networks().generator() instanceof Sequential g) || !(graph.networks().discriminator() instanceof Sequential d)) {
      throw new IllegalArgumentException("FLOPs are counted for Sequential networks; expected two, got "
          + graph.networks().generator().getClass().getSimpleName() + " and "
          + graph.networks().discriminator().getClass().getSimpleName());
    }
    return 2.0 * batch * stepMacsPerExample(kind, criticRuns, g, d);
  }

  private static long sum(List<Long> values) {
    return values.stream().mapToLong(Long::longValue).sum();
  }
}

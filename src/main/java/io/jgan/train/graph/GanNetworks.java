package io.jgan.train.graph;

import io.jgan.gan.Gan;
import io.jgan.gan.GanSpec;
import io.jgan.gan.StepBuilder;
import io.jgan.nn.CallContext;
import io.jgan.nn.Network;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TInt64;
import org.tensorflow.types.family.TFloating;

/**
 * A GAN's generator and (optionally) discriminator built into a graph, with what sits between
 * them and the data: a class-conditional GAN ({@code classes > 0}) feeds one-hot labels [n, classes]
 * next to the latent vectors and the images (G sees {@code concat(z, y)}, D sees the image with
 * {@code y} broadcast over it as extra channels, seed 003's conditional WGAN-GP); the MLP GANs of
 * seeds 001 and 004 see images flattened.
 *
 * @param <T> the type of every weight and image (float32, or float64 for the parity checks)
 */
public final class GanNetworks<T extends TFloating> {
  private final GanSpec spec;
  private final int classes;
  private final Class<T> dtype;
  private final Network generator;
  private final Network discriminator;

  private GanNetworks(GanSpec spec, int classes, Class<T> dtype, Network generator, Network discriminator) {
    this.spec = spec;
    this.classes = classes;
    this.dtype = dtype;
    this.generator = generator;
    this.discriminator = discriminator;
  }

  /**
   * Builds the networks' variables into {@code tf}'s graph (seeded on {@code seed}).
   *
   * @param withDiscriminator false for a generator-only graph (export, generate from a model)
   */
  public static <T extends TFloating> GanNetworks<T> build(Ops tf, GanSpec spec, int classes, long seed, Class<T> dtype,
      boolean withDiscriminator) {
    if (classes < 0) {
      throw new IllegalArgumentException("expected 0 (unconditional) or more classes, got " + classes);
    }
    Network g = spec.generator(classes).build(tf, seed, dtype);
    Network d = withDiscriminator ? spec.discriminator(classes).build(tf, seed, dtype) : null;
    GanNetworks<T> n = new GanNetworks<>(spec, classes, dtype, g, d);
    n.checkShapes();
    return n;
  }

  /** G must make images of the data's size; D must take them (plus the labels as the conditioning says). */
  private void checkShapes() {
    Shape image = spec.imageShape();
    if (generator.outputShape().size() != image.size()) {
      throw new IllegalStateException(spec.name() + ": the generator makes " + generator.outputShape()
          + " but the data is " + image);
    }
    if (spec.conditioning() == Gan.Conditioning.SECOND_INPUT) {
      expectInputs(generator, Shape.of(spec.latentDim()));
      if (discriminator != null) {
        expectInputs(discriminator, discriminator.inputShapes().get(0));
        if (discriminator.inputShapes().get(0).size() != image.size()) {
          throw new IllegalStateException(spec.name() + ": the discriminator's first input is "
              + discriminator.inputShapes().get(0) + ", expected the data's " + image);
        }
      }
      return;
    }
    long expected = classes == 0 ? image.size() : image.size(0) * image.size(1) * (image.size(2) + classes);
    if (discriminator != null && discriminator.inputShapes().get(0).size() != expected) {
      throw new IllegalStateException(spec.name() + ": the discriminator takes " + discriminator.inputShapes().get(0)
          + ", expected " + expected + " values per example");
    }
  }

  /** A network of SECOND_INPUT conditioning takes [first] and the one-hot labels [classes]. */
  private void expectInputs(Network network, Shape first) {
    java.util.List<Shape> expected = java.util.List.of(first, Shape.of(classes));
    if (!network.inputShapes().equals(expected)) {
      throw new IllegalStateException(spec.name() + ": the " + network.name() + " takes " + network.inputShapes()
          + ", expected two inputs " + expected + " (its data and the one-hot labels)");
    }
  }

  /** G(z, y) as images [n, h, w, c]: latents [n, latent], labels one-hot [n, classes] or null. */
  public Operand<T> generate(Ops tf, Operand<T> latents, Operand<T> labels, CallContext ctx) {
    Operand<T> output = switch (spec.conditioning()) {
      case NONE -> generator.call(tf, latents, ctx);
      case CONCATENATE -> generator.call(tf, tf.concat(List.of(latents, labels), tf.constant(1)), ctx);
      case SECOND_INPUT -> generator.call(tf, List.of(latents, labels), ctx);
    };
    return generator.outputShape().equals(spec.imageShape()) ? output
        : tf.reshape(output, tf.constant(StepBuilder.withBatch(spec.imageShape()).asArray()));
  }

  /**
   * D(x, y): images [n, h, w, c] to D's output [n, 1]; for a conditional GAN that concatenates, the
   * images with the one-hot labels broadcast to every pixel as extra channels, [n, h, w, c +
   * classes]; for an MLP discriminator the images flattened, [n, h * w * c].
   */
  public Operand<T> discriminate(Ops tf, Operand<T> images, Operand<T> labels, CallContext ctx) {
    requireDiscriminator();
    Shape first = discriminator.inputShapes().get(0);
    Operand<T> shaped = first.equals(spec.imageShape()) ? images : tf.reshape(images, tf.constant(StepBuilder.withBatch(first).asArray()));
    return switch (spec.conditioning()) {
      case NONE -> discriminator.call(tf, shaped, ctx);
      case SECOND_INPUT -> discriminator.call(tf, List.of(shaped, labels), ctx);
      case CONCATENATE -> {
        Shape image = spec.imageShape();
        Operand<T> perPixel = tf.reshape(labels, tf.constant(new long[] {-1, 1, 1, classes}));
        Operand<T> tiled = tf.tile(perPixel, tf.constant(new long[] {1, image.size(0), image.size(1), 1}));
        yield discriminator.call(tf, tf.concat(List.of(images, tiled), tf.constant(3)), ctx);
      }
    };
  }

  /** Latent vectors [count, latentDim] of this GAN's prior and type, drawn from the [2] int64 {@code key}. */
  public Operand<T> latentNoise(Ops tf, Operand<TInt64> count, Operand<TInt64> key) {
    return LatentSampler.latentNoise(tf, spec.latentPrior(), spec.latentDim(), count, key, dtype);
  }

  private void requireDiscriminator() {
    if (discriminator == null) {
      throw new IllegalStateException(spec.name() + ": this graph holds the generator only");
    }
  }

  public GanSpec spec() {
    return spec;
  }

  /** Classes of a conditional GAN; 0 when unconditional. */
  public int classes() {
    return classes;
  }

  public Class<T> dtype() {
    return dtype;
  }

  public Network generator() {
    return generator;
  }

  /** The discriminator, or null in a generator-only graph. */
  public Network discriminator() {
    return discriminator;
  }
}

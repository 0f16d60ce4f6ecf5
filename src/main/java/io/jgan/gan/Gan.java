package io.jgan.gan;

import io.jgan.PixelScale;
import io.jgan.nn.Network;
import io.jgan.optim.Optimizer;
import java.util.Objects;
import java.util.function.IntFunction;
import java.util.function.Supplier;
import org.tensorflow.ndarray.Shape;

/**
 * A GAN as values: its data's shape and scale, its latent space, its two networks, their
 * optimizers and its train step (TF-GAN's {@code gan_model} + {@code gan_loss} +
 * {@code gan_train_ops}, as one definition). Each preset of the catalogue is one; a program defines
 * its own the same way and trains it with {@code Training} (the training package):
 *
 * <pre>{@code
 * Gan gan = Gan.builder("my-dcgan")
 *     .imageShape(Shape.of(28, 28, 1))
 *     .latent(100)
 *     .networks(() -> myGenerator(), () -> myDiscriminator())
 *     .optimizer(Adam.Settings.keras(2e-4))
 *     .step(Steps.simultaneous(Losses.hinge()))
 *     .build();
 * }</pre>
 *
 * <p>Networks are given as factories: each graph the run builds (training, float64 checks,
 * inference, export) gets fresh, unbuilt networks. A class-conditional GAN's networks depend on the
 * number of classes, known once the data is loaded; {@link Conditioning} says how the labels reach
 * them.
 */
public final class Gan implements GanSpec {
  /** How a class-conditional GAN's networks see the one-hot labels [n, classes]. */
  public enum Conditioning {
    /** Unconditional: no labels. */
    NONE,
    /**
     * Concatenated to the inputs (seed 003's conditional WGAN-GP, keras-io's conditional GAN): G's
     * input is {@code concat(z, y)} [latent + classes], D's the image with {@code y} broadcast over it
     * as extra channels [h, w, c + classes].
     */
    CONCATENATE,
    /**
     * A second input of each network ({@code Functional} networks of two inputs: latents and labels,
     * images and labels), which the networks use as they like (an embedding, a projection).
     */
    SECOND_INPUT
  }

  private final String name;
  private final Shape imageShape;
  private final PixelScale pixelScale;
  private final int latentDim;
  private final LatentPrior latentPrior;
  private final Conditioning conditioning;
  private final IntFunction<? extends Network> generator;
  private final IntFunction<? extends Network> discriminator;
  private final Optimizer.Factory generatorOptimizer;
  private final Optimizer.Factory discriminatorOptimizer;
  private final GanStep step;

  private Gan(Builder b) {
    name = Objects.requireNonNull(b.name, "name");
    imageShape = require(b.imageShape, "image shape (imageShape)");
    pixelScale = require(b.pixelScale, "pixel scale");
    latentDim = b.latentDim;
    latentPrior = require(b.latentPrior, "latent prior");
    conditioning = b.conditioning;
    generator = require(b.generator, "generator (networks)");
    discriminator = require(b.discriminator, "discriminator (networks)");
    generatorOptimizer = require(b.generatorOptimizer, "generator optimizer (optimizer)");
    discriminatorOptimizer = require(b.discriminatorOptimizer, "discriminator optimizer (optimizer)");
    step = require(b.step, "train step (step)");
    if (latentDim <= 0) {
      throw new IllegalArgumentException(name + ": expected a positive latent size (latent), got " + latentDim);
    }
    if (imageShape.numDimensions() < 1 || imageShape.hasUnknownDimension()) {
      throw new IllegalArgumentException(name + ": expected the shape of one example, e.g. [28, 28, 1], got " + imageShape);
    }
  }

  private <V> V require(V value, String what) {
    return Objects.requireNonNull(value, () -> "GAN " + name + ": expected a " + what + ", got none");
  }

  /** A GAN called {@code name}: it names the run's checkpoints' contents and its exports. */
  public static Builder builder(String name) {
    return new Builder(name);
  }

  /** A builder holding every value of this GAN, to change some (a variant, a mutation of a default). */
  public Builder toBuilder() {
    Builder b = new Builder(name);
    b.imageShape = imageShape;
    b.pixelScale = pixelScale;
    b.latentDim = latentDim;
    b.latentPrior = latentPrior;
    b.conditioning = conditioning;
    b.generator = generator;
    b.discriminator = discriminator;
    b.generatorOptimizer = generatorOptimizer;
    b.discriminatorOptimizer = discriminatorOptimizer;
    b.step = step;
    return b;
  }

  @Override public String name() { return name; }
  @Override public Shape imageShape() { return imageShape; }
  @Override public PixelScale pixelScale() { return pixelScale; }
  @Override public int latentDim() { return latentDim; }
  @Override public LatentPrior latentPrior() { return latentPrior; }
  @Override public Conditioning conditioning() { return conditioning; }
  @Override public Optimizer.Factory generatorOptimizer() { return generatorOptimizer; }
  @Override public Optimizer.Factory discriminatorOptimizer() { return discriminatorOptimizer; }
  @Override public GanStep trainStep() { return step; }

  @Override
  public Network generator(int classes) {
    return checked(generator, classes, "generator");
  }

  @Override
  public Network discriminator(int classes) {
    return checked(discriminator, classes, "discriminator");
  }

  private Network checked(IntFunction<? extends Network> factory, int classes, String which) {
    if (conditioning == Conditioning.NONE && classes != 0) {
      throw new IllegalArgumentException("the " + which + " of " + name + " is not class-conditional: expected 0 classes, got "
          + classes);
    }
    if (conditioning != Conditioning.NONE && classes < 1) {
      throw new IllegalArgumentException("the " + which + " of " + name + " is class-conditional: expected 1 or more "
          + "classes (labelled data), got " + classes);
    }
    return Objects.requireNonNull(factory.apply(classes), () -> name + ": the " + which + " factory returned no network");
  }

  /** Named values for a {@link Gan}; where a value has a default it is Keras's or the seeds'. */
  public static final class Builder {
    private final String name;
    private Shape imageShape;
    private PixelScale pixelScale = PixelScale.TANH;
    private int latentDim;
    private LatentPrior latentPrior = LatentPrior.NORMAL;
    private Conditioning conditioning = Conditioning.NONE;
    private IntFunction<? extends Network> generator;
    private IntFunction<? extends Network> discriminator;
    private Optimizer.Factory generatorOptimizer;
    private Optimizer.Factory discriminatorOptimizer;
    private GanStep step;

    private Builder(String name) {
      if (name == null || name.isBlank() || !name.matches("[A-Za-z0-9][A-Za-z0-9._-]*")) {
        throw new IllegalArgumentException("expected a GAN name of letters, digits, '.', '_' and '-', got '" + name + "'");
      }
      this.name = name;
    }

    /** One example as the data has it: [height, width, channels] for images, [d] for vectors. */
    public Builder imageShape(Shape shape) {
      imageShape = shape;
      return this;
    }

    /** How data pixels map to network values and back (default {@link PixelScale#TANH}, [-1, 1]). */
    public Builder pixelScale(PixelScale scale) {
      pixelScale = scale;
      return this;
    }

    /** The size of the latent vectors z. */
    public Builder latent(int dim) {
      latentDim = dim;
      return this;
    }

    /** The distribution of z (default {@link LatentPrior#NORMAL}). */
    public Builder latentPrior(LatentPrior prior) {
      latentPrior = prior;
      return this;
    }

    /** Unconditional networks: each call makes a new, unbuilt one. */
    public Builder networks(Supplier<? extends Network> g, Supplier<? extends Network> d) {
      generator = classes -> g.get();
      discriminator = classes -> d.get();
      conditioning = Conditioning.NONE;
      return this;
    }

    /**
     * Class-conditional networks, given the number of classes, with the labels reaching them as
     * {@code conditioning} says ({@link Conditioning#CONCATENATE} or {@link Conditioning#SECOND_INPUT}).
     */
    public Builder conditionalNetworks(Conditioning how, IntFunction<? extends Network> g, IntFunction<? extends Network> d) {
      if (how == Conditioning.NONE) {
        throw new IllegalArgumentException(name + ": conditional networks: expected CONCATENATE or SECOND_INPUT, got NONE "
            + "(use networks(...) for unconditional ones)");
      }
      generator = g;
      discriminator = d;
      conditioning = how;
      return this;
    }

    /** The same optimizer for both networks, as every seed uses (each network gets its own instance and state). */
    public Builder optimizer(Optimizer.Factory both) {
      return optimizers(both, both);
    }

    public Builder optimizers(Optimizer.Factory forGenerator, Optimizer.Factory forDiscriminator) {
      generatorOptimizer = forGenerator;
      discriminatorOptimizer = forDiscriminator;
      return this;
    }

    /** The train step: a scheme of {@link Steps} with a loss of {@link Losses}, or your own {@link GanStep}. */
    public Builder step(GanStep trainStep) {
      step = trainStep;
      return this;
    }

    public Gan build() {
      return new Gan(this);
    }
  }
}

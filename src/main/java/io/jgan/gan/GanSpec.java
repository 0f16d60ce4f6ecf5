package io.jgan.gan;

import io.jgan.PixelScale;
import io.jgan.nn.Network;
import io.jgan.optim.Optimizer;
import org.tensorflow.ndarray.Shape;

/**
 * What training needs to know of a GAN, whichever tutorial or program it comes from: its image
 * and latent shapes, its two networks, its optimizers and its train step. {@link Gan} is the one a
 * program builds; a preset of the catalogue holds one. Training knows nothing else of either.
 *
 * <pre>{@code
 * GanSpec spec = Presets.get("gan-tf1");                    // a Preset, or a program's own Gan
 * Network g = spec.generator(0);                            // 0 classes: unconditional
 * }</pre>
 */
public interface GanSpec {
  /** A name for messages, e.g. {@code dcgan-mnist}. */
  String name();

  /** One image as the data and the samples have it, [height, width, channels]. */
  Shape imageShape();

  /** How pixels map to network inputs and generator outputs back to pixels. */
  PixelScale pixelScale();

  /** Size of z. */
  int latentDim();

  /** Distribution of z. */
  LatentPrior latentPrior();

  /** How a class-conditional GAN's networks see the labels; {@link Gan.Conditioning#NONE} when unconditional. */
  Gan.Conditioning conditioning();

  /**
   * A new, unbuilt generator. For a class-conditional GAN ({@code classes > 0}) with
   * {@link Gan.Conditioning#CONCATENATE} its input is the latent vector concatenated with the one-hot
   * label: [latentDim + classes]; with {@link Gan.Conditioning#SECOND_INPUT} it takes the two.
   */
  Network generator(int classes);

  /**
   * A new, unbuilt discriminator (or critic). For a class-conditional GAN with
   * {@link Gan.Conditioning#CONCATENATE} its input is the image concatenated on channels with the
   * one-hot label broadcast over it: [h, w, c + classes]; with {@link Gan.Conditioning#SECOND_INPUT}
   * it takes the image and the label.
   */
  Network discriminator(int classes);

  /** The generator's optimizer. */
  Optimizer.Factory generatorOptimizer();

  /** The discriminator's optimizer. */
  Optimizer.Factory discriminatorOptimizer();

  /** Its generator's name, latent space and sample shape. */
  default GeneratorInfo generatorInfo() {
    return new GeneratorInfo(name(), latentPrior(), latentDim(), imageShape());
  }

  /** The train step (losses and update order). */
  GanStep trainStep();
}

package io.jgan.train;

import io.jgan.PixelScale;
import io.jgan.gan.GanStep;
import io.jgan.gan.LatentPrior;
import io.jgan.nn.Network;
import io.jgan.optim.Optimizer;
import org.tensorflow.ndarray.Shape;

/**
 * What training needs to know of a GAN, whichever tutorial it comes from: its image and latent
 * shapes, its two networks, its optimizers and its train step. A preset of the catalogue provides
 * this; training knows nothing else of the catalogue.
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

  /**
   * A new, unbuilt generator. For a class-conditional GAN ({@code classes > 0}) its input is the
   * latent vector concatenated with the one-hot label: [latentDim + classes].
   */
  Network generator(int classes);

  /**
   * A new, unbuilt discriminator (or critic). For a class-conditional GAN its input is the image
   * concatenated on channels with the one-hot label broadcast over it: [h, w, c + classes].
   */
  Network discriminator(int classes);

  /** The generator's optimizer. */
  Optimizer.Factory generatorOptimizer();

  /** The discriminator's optimizer. */
  Optimizer.Factory discriminatorOptimizer();

  /** The train step (losses and update order). */
  GanStep trainStep();
}

package io.jgan.models;

import io.jgan.data.PixelScale;
import io.jgan.nn.Sequential;
import io.jgan.train.Adam;
import io.jgan.train.TrainStep;
import org.tensorflow.ndarray.Shape;

/**
 * One seed tutorial as a named list of values: its data, networks, optimizers, train step and
 * outputs. The defaults of {@code train --preset NAME} are exactly these.
 *
 * @param name the preset's name on the command line
 * @param tutorial which seed tutorial it reproduces, for humans
 * @param data where real images come from by default, and whether they are labelled
 * @param imageShape one image as the data and the samples have it, [height, width, channels]
 *     (the MLP presets' networks see it flattened)
 * @param pixelScale how pixels map to network inputs
 * @param latentDim size of z
 * @param latentPrior distribution of z
 * @param generator builds the generator
 * @param discriminator builds the discriminator (or critic)
 * @param generatorOptimizer Adam settings of G
 * @param discriminatorOptimizer Adam settings of D
 * @param trainStep the tutorial's train step (losses and update order)
 * @param batchSize examples per step
 * @param epochs full passes over the data
 * @param maxSteps stop after this many steps whatever the epoch (seed 004's 10,000 iterations); 0 for none
 * @param checkpointEvery a checkpoint every this many epochs (and always at the end)
 * @param samples the sample grid and GIF
 * @param stepLog the tutorial's periodic log line, or null
 */
public record Preset(
    String name,
    String tutorial,
    DataSpec data,
    Shape imageShape,
    PixelScale pixelScale,
    int latentDim,
    LatentPrior latentPrior,
    GeneratorFactory generator,
    DiscriminatorFactory discriminator,
    Adam.Settings generatorOptimizer,
    Adam.Settings discriminatorOptimizer,
    TrainStep.Factory trainStep,
    int batchSize,
    int epochs,
    long maxSteps,
    int checkpointEvery,
    SampleSpec samples,
    StepLog stepLog) {

  /**
   * Builds a generator. For a class-conditional GAN ({@code classes > 0}) its input is the latent
   * vector concatenated with the one-hot label: [latentDim + classes].
   */
  @FunctionalInterface
  public interface GeneratorFactory {
    Sequential build(int latentDim, int classes);
  }

  /**
   * Builds a discriminator. For a class-conditional GAN its input is the image concatenated on
   * channels with the one-hot label broadcast over the image: [h, w, c + classes].
   */
  @FunctionalInterface
  public interface DiscriminatorFactory {
    Sequential build(Shape imageShape, int classes);
  }

  /** Fails for presets whose networks take no label. */
  public static void requireUnconditional(String network, int classes) {
    if (classes != 0) {
      throw new IllegalArgumentException(network + " is not class-conditional: expected 0 classes, got " + classes);
    }
  }
}

package io.jgan.models;

import io.jgan.data.Dataset;
import io.jgan.data.PixelScale;
import io.jgan.nn.Sequential;
import io.jgan.train.Adam;
import io.jgan.train.TrainStep;
import java.util.function.IntFunction;
import java.util.function.Supplier;
import org.tensorflow.ndarray.Shape;

/**
 * One seed tutorial as a named list of values: its data, networks, optimizers, train step and
 * outputs. The defaults of {@code train --preset NAME} are exactly these.
 *
 * @param name the preset's name on the command line
 * @param tutorial which seed tutorial it reproduces, for humans
 * @param dataset where real images come from
 * @param imageShape one image, [height, width, channels]
 * @param pixelScale how pixels map to network inputs
 * @param latentDim size of z
 * @param latentPrior distribution of z
 * @param generator builds the generator for a latent size
 * @param discriminator builds the discriminator (or critic)
 * @param generatorOptimizer Adam settings of G
 * @param discriminatorOptimizer Adam settings of D
 * @param trainStep the tutorial's train step (losses and update order)
 * @param batchSize examples per step
 * @param epochs full passes over the data
 * @param checkpointEvery a checkpoint every this many epochs (and always at the end)
 * @param samples the sample grid and GIF
 */
public record Preset(
    String name,
    String tutorial,
    Dataset dataset,
    Shape imageShape,
    PixelScale pixelScale,
    int latentDim,
    LatentPrior latentPrior,
    IntFunction<Sequential> generator,
    Supplier<Sequential> discriminator,
    Adam.Settings generatorOptimizer,
    Adam.Settings discriminatorOptimizer,
    TrainStep.Factory trainStep,
    int batchSize,
    int epochs,
    int checkpointEvery,
    SampleSpec samples) {}

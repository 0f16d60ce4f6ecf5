package io.jgan.gan;

import org.tensorflow.ndarray.Shape;

/**
 * What a generator takes and makes, all that sampling and judging it needs: its name, its latent
 * space and the shape of one sample. A {@link GanSpec} has one; so does an exported model.
 *
 * <pre>{@code
 * GeneratorInfo info = Presets.get("dcgan-mnist").generatorInfo();
 * System.out.println(info.latentDim() + " " + info.latentPrior() + " -> " + info.imageShape());
 * }</pre>
 *
 * @param name the GAN's name, e.g. {@code dcgan-mnist}
 * @param latentPrior the distribution of z
 * @param latentDim the size of z
 * @param imageShape one sample, e.g. [28, 28, 1]
 */
public record GeneratorInfo(String name, LatentPrior latentPrior, int latentDim, Shape imageShape) {}

package io.jgan.eval;

import io.jgan.PixelScale;
import io.jgan.data.ImageSet;
import io.jgan.data.Resize;
import io.jgan.gan.LatentPrior;
import io.jgan.nn.RandomSource;
import io.jgan.train.graph.LatentSampler;
import io.jgan.train.graph.Tensors;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;

/**
 * Puts images in front of a judge: a generator's samples (latents from their own stream,
 * {@link RandomSource#STREAM_EVALUATE}, keyed on a seed and the batch, so the same seed gives the
 * same samples from a run and from its export), or real images.
 */
public final class Judging {
  /** Samples generated per call. */
  public static final int BATCH = 500;

  private Judging() {}

  /** A generator: latents [n, latentDim] (and one-hot labels [n, classes], or null) to images [n, h, w, c] in its scale. */
  @FunctionalInterface
  public interface Generator {
    TFloat32 generate(TFloat32 latents, TFloat32 labels);
  }

  /**
   * What is needed to draw from a generator and read its images.
   *
   * @param classes classes of a conditional GAN, 0 when unconditional
   * @param scale the range of its outputs
   * @param imageShape [height, width, channels] of its images
   */
  public record GeneratorSpec(LatentPrior prior, int latentDim, int classes, PixelScale scale, long[] imageShape) {}

  /**
   * Judged images: the judge's outputs, the class each was asked for (a conditional GAN's requested
   * label; a real image's label) or null, and the inputs the judge saw [n, h, w, c].
   */
  public record Judged(Judge.Outputs outputs, int[] requested, float[] inputs) {}

  /**
   * {@code count} samples, in batches of {@value #BATCH} whose latents are keyed on
   * (seed, {@link RandomSource#STREAM_EVALUATE}, batch number); a conditional GAN is asked for
   * class {@code i % classes} for sample i, so the classes are balanced.
   */
  public static Judged samples(Generator generator, GeneratorSpec spec, Judge judge, int count, long seed) {
    long[] in = spec.imageShape();
    long[] out = judge.inputShape();
    int size = judge.imageSize();
    float[] inputs = new float[count * size];
    int[] requested = spec.classes() > 0 ? new int[count] : null;
    try (LatentSampler sampler = new LatentSampler(spec.prior(), spec.latentDim())) {
      for (int from = 0, batch = 0; from < count; from += BATCH, batch++) {
        int n = Math.min(BATCH, count - from);
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
          labels[i] = spec.classes() > 0 ? (from + i) % spec.classes() : 0;
          if (requested != null) {
            requested[from + i] = labels[i];
          }
        }
        try (TFloat32 latents = sampler.sample(seed, RandomSource.STREAM_EVALUATE, batch, n);
             TFloat32 oneHot = spec.classes() > 0 ? Tensors.oneHot(labels, spec.classes(), TFloat32.class) : null;
             TFloat32 images = generator.generate(latents, oneHot)) {
          float[] values = new float[(int) images.shape().size()];
          images.copyTo(DataBuffers.of(values, false, false));
          byte[] pixels = JudgeImages.toPixels(values, spec.scale());
          float[] converted = JudgeImages.toInput(pixels, n, (int) in[0], (int) in[1], (int) in[2], (int) out[0],
              (int) out[1], (int) out[2]);
          System.arraycopy(converted, 0, inputs, from * size, converted.length);
        }
      }
    }
    return new Judged(judge.run(inputs, count), requested, inputs);
  }

  /**
   * {@code count} images of a real set, chosen without replacement keyed on {@code seed}, first
   * brought to the shape the GAN trains on (as the run's data loader does: gray/RGB, bilinear), then
   * to the judge's: the ceiling a generator of that shape can reach.
   *
   * @param trainingShape [height, width, channels] the GAN sees
   */
  public static Judged realImages(ImageSet set, int count, long seed, long[] trainingShape, Judge judge) {
    if (count > set.count()) {
      throw new IllegalArgumentException(set.name() + ": expected at most " + set.count() + " images, got a request for "
          + count);
    }
    int[] chosen = KernelDistance.subsets(set.count(), 1, count, seed)[0];
    int h = (int) trainingShape[0], w = (int) trainingShape[1], c = (int) trainingShape[2];
    long[] out = judge.inputShape();
    int size = judge.imageSize();
    float[] inputs = new float[count * size];
    int[] labels = set.labelled() ? new int[count] : null;
    int inSize = set.imageSize();
    byte[] one = new byte[inSize];
    for (int i = 0; i < count; i++) {
      System.arraycopy(set.pixels(), chosen[i] * inSize, one, 0, inSize);
      byte[] asTrained = Resize.bilinear(Resize.channels(one, set.height() * set.width(), set.channels(), c),
          set.height(), set.width(), c, h, w);
      float[] converted = JudgeImages.toInput(asTrained, 1, h, w, c, (int) out[0], (int) out[1], (int) out[2]);
      System.arraycopy(converted, 0, inputs, i * size, size);
      if (labels != null) {
        labels[i] = set.label(chosen[i]);
      }
    }
    return new Judged(judge.run(inputs, count), labels, inputs);
  }

}

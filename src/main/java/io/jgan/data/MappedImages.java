package io.jgan.data;

import java.util.Objects;

/**
 * Images read from a decoded-image cache file ({@link ImageCache}) through memory mappings of at
 * most 1 GiB each, so a dataset may be larger than any Java array (CelebA at 64x64 RGB is
 * 2.49 GB); only the images being batched are in memory. Image {@code i} is the {@code i}-th run
 * of {@code height * width * channels} bytes of the mapped region.
 *
 * <p>Views made by {@link #withLabels} share the mapping; closing any of them unmaps it.
 *
 * <pre>{@code
 * Images faces = new ImageCache(cacheDir).load(Path.of("data/celeba"), 64, 64, 3, 4).images();
 * if (faces instanceof MappedImages mapped) {
 *   mapped.close();   // unmaps the cache file
 * }
 * }</pre>
 */
public final class MappedImages implements Images, AutoCloseable {
  private final String name;
  private final int count;
  private final int height;
  private final int width;
  private final int channels;
  private final ChunkedMapping pixels;
  private final int[] labels;
  private final int numClasses;

  MappedImages(String name, int count, int height, int width, int channels, ChunkedMapping pixels, int[] labels,
      int numClasses) {
    this.name = Objects.requireNonNull(name, "name");
    if (count <= 0 || height <= 0 || width <= 0 || channels <= 0) {
      throw new IllegalArgumentException(name + ": expected a positive count and shape, got " + count + " x " + height
          + " x " + width + " x " + channels);
    }
    long expected = (long) count * height * width * channels;
    if (pixels.length() != expected) {
      throw new IllegalArgumentException(name + ": expected " + expected + " mapped pixel bytes, got " + pixels.length());
    }
    Images.checkLabels(name, count, labels, numClasses);
    this.count = count;
    this.height = height;
    this.width = width;
    this.channels = channels;
    this.pixels = pixels;
    this.labels = labels;
    this.numClasses = numClasses;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public int count() {
    return count;
  }

  @Override
  public int height() {
    return height;
  }

  @Override
  public int width() {
    return width;
  }

  @Override
  public int channels() {
    return channels;
  }

  @Override
  public int[] labels() {
    return labels;
  }

  @Override
  public int numClasses() {
    return numClasses;
  }

  @Override
  public void read(int image, byte[] dst, int offset) {
    Objects.checkIndex(image, count);
    int size = imageSize();
    pixels.read((long) image * size, dst, offset, size);
  }

  @Override
  public MappedImages withLabels(int[] labels, int numClasses) {
    return new MappedImages(name, count, height, width, channels, pixels, labels, numClasses);
  }

  /** How many mappings the pixels are split into. */
  public int chunkCount() {
    return pixels.chunkCount();
  }

  @Override
  public void close() {
    pixels.close();
  }

  @Override
  public String toString() {
    return "MappedImages[" + name + ": " + count + " x " + height + " x " + width + " x " + channels
        + (labels == null ? ", unlabelled" : ", " + numClasses + " classes") + ", " + pixels.chunkCount() + " mappings]";
  }
}

package io.jgan.api;

import io.jgan.PixelScale;
import io.jgan.viz.ImageGrid;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.Arrays;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;

/**
 * Images a {@link Generator} made: {@code count} images of {@code height x width x channels}
 * (1 gray or 3 RGB), values in [-1, 1] as the exported model's {@code images} output gives them.
 * Plain Java arrays: nothing to close.
 *
 * <pre>{@code
 * Images digits = generator.generate(16, 42);   // generator: a Generator loaded from a saved model
 * digits.writeGrid(Path.of("digits.png"));
 * BufferedImage first = digits.image(0);
 * }</pre>
 */
public final class Images {
  private final float[] values; // NHWC
  private final int count;
  private final int height;
  private final int width;
  private final int channels;

  Images(float[] values, int count, int height, int width, int channels) {
    if ((long) count * height * width * channels != values.length) {
      throw new IllegalArgumentException("expected " + (long) count * height * width * channels + " values for " + count
          + " images of " + height + "x" + width + "x" + channels + ", got " + values.length);
    }
    this.values = values;
    this.count = count;
    this.height = height;
    this.width = width;
    this.channels = channels;
  }

  /** A copy of an images tensor [n, h, w, c]. */
  static Images of(TFloat32 images) {
    long[] shape = images.shape().asArray();
    if (shape.length != 4) {
      throw new IllegalArgumentException("expected images [n, h, w, c], got " + images.shape());
    }
    float[] values = new float[Math.toIntExact(images.shape().size())];
    images.copyTo(DataBuffers.of(values, false, false));
    return new Images(values, (int) shape[0], (int) shape[1], (int) shape[2], (int) shape[3]);
  }

  public int count() {
    return count;
  }

  public int height() {
    return height;
  }

  public int width() {
    return width;
  }

  /** 1 (gray) or 3 (RGB). */
  public int channels() {
    return channels;
  }

  /** Image {@code i}: {@code height * width * channels} values in [-1, 1], row by row, channels last (a copy). */
  public float[] pixels(int i) {
    int size = height * width * channels;
    return Arrays.copyOfRange(values, index(i) * size, (i + 1) * size);
  }

  /**
   * Image {@code i} as 8-bit values, the tutorials' {@code x * 127.5 + 127.5} rounded half up and
   * clamped to [0, 255] (what the model's {@code generate_uint8} signature returns), same layout as
   * {@link #pixels}.
   */
  public int[] bytes(int i) {
    float[] p = pixels(i);
    int[] out = new int[p.length];
    for (int k = 0; k < p.length; k++) {
      out[k] = ImageGrid.toByte(p[k], PixelScale.TANH);
    }
    return out;
  }

  /** Image {@code i} as a gray or RGB {@link BufferedImage} of its own size. */
  public BufferedImage image(int i) {
    return ImageGrid.image(pixels(i), height, width, channels, PixelScale.TANH);
  }

  /** All images in one near-square grid (16 images: 4x4), zoomed to about 320 pixels across. */
  public BufferedImage grid() {
    int[] grid = ImageGrid.gridFor(count);
    return ImageGrid.render(values, count, height, width, channels, PixelScale.TANH, grid[0], grid[1],
        ImageGrid.zoomFor(grid[1], width));
  }

  /** Writes image {@code i} as a PNG of its own size (all or nothing: through a temporary file). */
  public void writePng(int i, Path file) {
    ImageGrid.writePng(image(i), file);
  }

  /** Writes {@link #grid()} as a PNG, as {@code jgan generate} does. */
  public void writeGrid(Path file) {
    ImageGrid.writePng(grid(), file);
  }

  private int index(int i) {
    if (i < 0 || i >= count) {
      throw new IndexOutOfBoundsException("expected an image index in [0, " + count + "), got " + i);
    }
    return i;
  }
}

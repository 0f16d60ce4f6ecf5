package io.jgan.viz;

import io.jgan.PixelScale;
import java.awt.image.BufferedImage;
import java.awt.image.WritableRaster;
import java.io.IOException;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/**
 * Lays out generated images in a rows x cols grid (the tutorial's 4x4 figure of
 * {@code predictions * 127.5 + 127.5}), each scaled up by an integer zoom with nearest-neighbour
 * sampling, separated and framed by {@link #GAP} background pixels.
 *
 * <p>Values map to 8 bits as the tutorials map them ({@link PixelScale#TANH}: v * 127.5 + 127.5;
 * {@link PixelScale#UNIT}: v * 255), clamped to [0, 255] and rounded half up. One channel gives a
 * grayscale image, three an RGB one; two, an image pair (pix2pix's input and output, examples/pix2pix),
 * its two channels side by side in gray, channel 0 on the left.
 *
 * <pre>{@code
 * BufferedImage grid = ImageGrid.render(values, 16, 28, 28, 1, PixelScale.TANH, 4, 4, ImageGrid.zoomFor(4, 28));
 * ImageGrid.writePng(grid, Path.of("grid.png"));
 * }</pre>
 */
public final class ImageGrid {
  /** Pixels between cells and around the grid. */
  public static final int GAP = 2;
  /** Background gray level of the gaps. */
  public static final int BACKGROUND = 40;
  /** Grids aim at about this many pixels across. */
  static final int TARGET_WIDTH = 320;

  private ImageGrid() {}

  /**
   * @param images NHWC values, {@code count * height * width * channels} of them
   * @param zoom integer upscaling of each image (at least 1)
   */
  public static BufferedImage render(float[] images, int count, int height, int width, int channels,
      PixelScale scale, int rows, int cols, int zoom) {
    if (channels == 2) {
      requireValues(images, (long) count * height * width * 2, count + " images of " + height + "x" + width + "x2");
      return render(sideBySide(images, count * height, width), count, height, 2 * width, 1, scale, rows, cols, zoom);
    }
    if (channels != 1 && channels != 3) {
      throw new IllegalArgumentException("expected 1, 2 or 3 channels, got " + channels);
    }
    if (count > rows * cols) {
      throw new IllegalArgumentException("expected at most " + rows * cols + " images for a " + rows + "x" + cols
          + " grid, got " + count);
    }
    if ((long) count * height * width * channels != images.length) {
      throw new IllegalArgumentException("expected " + (long) count * height * width * channels + " values for "
          + count + " images of " + height + "x" + width + "x" + channels + ", got " + images.length);
    }
    if (zoom < 1) {
      throw new IllegalArgumentException("expected a zoom of at least 1, got " + zoom);
    }
    int cellH = height * zoom;
    int cellW = width * zoom;
    int gridW = cols * cellW + (cols + 1) * GAP;
    int gridH = rows * cellH + (rows + 1) * GAP;
    BufferedImage out = new BufferedImage(gridW, gridH, channels == 1 ? BufferedImage.TYPE_BYTE_GRAY : BufferedImage.TYPE_INT_RGB);
    WritableRaster raster = out.getRaster();
    int[] background = channels == 1 ? new int[] {BACKGROUND} : new int[] {BACKGROUND, BACKGROUND, BACKGROUND};
    for (int y = 0; y < gridH; y++) {
      for (int x = 0; x < gridW; x++) {
        raster.setPixel(x, y, background);
      }
    }
    int[] pixel = new int[channels];
    for (int n = 0; n < count; n++) {
      int top = GAP + (n / cols) * (cellH + GAP);
      int left = GAP + (n % cols) * (cellW + GAP);
      for (int y = 0; y < cellH; y++) {
        for (int x = 0; x < cellW; x++) {
          int base = ((n * height + y / zoom) * width + x / zoom) * channels;
          for (int c = 0; c < channels; c++) {
            pixel[c] = toByte(images[base + c], scale);
          }
          raster.setPixel(left + x, top + y, pixel);
        }
      }
    }
    return out;
  }

  /** One image (HWC values, {@code height * width * channels}) at its own size, without a frame. */
  public static BufferedImage image(float[] values, int height, int width, int channels, PixelScale scale) {
    if (channels == 2) {
      requireValues(values, (long) height * width * 2, "an image of " + height + "x" + width + "x2");
      return image(sideBySide(values, height, width), height, 2 * width, 1, scale);
    }
    if (channels != 1 && channels != 3) {
      throw new IllegalArgumentException("expected 1, 2 or 3 channels, got " + channels);
    }
    if ((long) height * width * channels != values.length) {
      throw new IllegalArgumentException("expected " + (long) height * width * channels + " values for an image of "
          + height + "x" + width + "x" + channels + ", got " + values.length);
    }
    BufferedImage out = new BufferedImage(width, height, channels == 1 ? BufferedImage.TYPE_BYTE_GRAY : BufferedImage.TYPE_INT_RGB);
    WritableRaster raster = out.getRaster();
    int[] pixel = new int[channels];
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        for (int c = 0; c < channels; c++) {
          pixel[c] = toByte(values[(y * width + x) * channels + c], scale);
        }
        raster.setPixel(x, y, pixel);
      }
    }
    return out;
  }

  private static void requireValues(float[] values, long expected, String what) {
    if (values.length != expected) {
      throw new IllegalArgumentException("expected " + expected + " values for " + what + ", got " + values.length);
    }
  }

  /**
   * An image pair of two channels, {@code lines} rows of {@code width} (HWC values), as one gray image
   * twice as wide: channel 0 on the left, channel 1 on the right (pix2pix's input and output).
   */
  static float[] sideBySide(float[] pairs, int lines, int width) {
    float[] out = new float[pairs.length];
    for (int y = 0; y < lines; y++) {
      for (int x = 0; x < width; x++) {
        out[y * 2 * width + x] = pairs[(y * width + x) * 2];
        out[y * 2 * width + width + x] = pairs[(y * width + x) * 2 + 1];
      }
    }
    return out;
  }

  /** The 8-bit value of a network output: the tutorial's mapping, clamped, rounded half up. */
  public static int toByte(float value, PixelScale scale) {
    double v = scale == PixelScale.TANH ? value * 127.5 + 127.5 : value * 255.0;
    if (!(v > 0)) { // also maps NaN to 0
      return 0;
    }
    return (int) Math.min(255, Math.floor(v + 0.5));
  }

  /** A zoom that makes a grid of {@code cols} images {@code width} wide about {@link #TARGET_WIDTH} pixels. */
  public static int zoomFor(int cols, int width) {
    return Math.max(1, TARGET_WIDTH / (cols * width));
  }

  /** A near-square grid for n images: {rows, cols} with cols = ceil(sqrt(n)). 16 gives 4x4, 10 gives 3x4. */
  public static int[] gridFor(int n) {
    if (n <= 0) {
      throw new IllegalArgumentException("expected a positive number of images, got " + n);
    }
    int cols = (int) Math.ceil(Math.sqrt(n));
    int rows = (n + cols - 1) / cols;
    return new int[] {rows, cols};
  }

  /** Writes a PNG through a temporary file and an atomic rename: a kill never leaves half a PNG under the final name. */
  public static void writePng(BufferedImage image, Path file) {
    io.jgan.AtomicFiles.write(file, tmp -> {
      if (!ImageIO.write(image, "png", tmp.toFile())) {
        throw new IOException("no PNG writer for image type " + image.getType());
      }
    });
  }
}

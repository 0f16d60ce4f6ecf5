package io.jgan.viz;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.jgan.PixelScale;
import java.awt.image.BufferedImage;
import java.util.List;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Grid layout and pixel mapping, read back from the PNG file. */
class ImageGridTest {
  @TempDir Path dir;

  @Test
  void tanhGridHasExpectedPixelsGapsAndSize() throws Exception {
    // Two 1x2 grayscale images in a 1x2 grid, zoom 2: values -1, 0 | 0.5, 1.
    // v * 127.5 + 127.5 rounded half up: -1 -> 0, 0 -> 127.5 -> 128, 0.5 -> 191.25 -> 191, 1 -> 255.
    float[] images = {-1f, 0f, 0.5f, 1f};
    BufferedImage grid = ImageGrid.render(images, 2, 1, 2, 1, PixelScale.TANH, 1, 2, 2);
    Path png = dir.resolve("grid.png");
    ImageGrid.writePng(grid, png);
    BufferedImage read = ImageIO.read(png.toFile());
    int gap = ImageGrid.GAP;
    assertEquals(2 * 4 + 3 * gap, read.getWidth()); // 2 cells of 2 px x zoom 2, 3 gaps
    assertEquals(1 * 2 + 2 * gap, read.getHeight());
    assertEquals(BufferedImage.TYPE_BYTE_GRAY, read.getType());
    int[] px = new int[1];
    assertEquals(ImageGrid.BACKGROUND, read.getRaster().getPixel(0, 0, px)[0]);
    // First image: columns gap..gap+1 are pixel 0 (-1), gap+2..gap+3 pixel 1 (0).
    assertEquals(0, read.getRaster().getPixel(gap, gap, px)[0]);
    assertEquals(0, read.getRaster().getPixel(gap + 1, gap + 1, px)[0]);
    assertEquals(128, read.getRaster().getPixel(gap + 2, gap, px)[0]);
    // Gap between the cells.
    assertEquals(ImageGrid.BACKGROUND, read.getRaster().getPixel(gap + 4, gap, px)[0]);
    int second = gap + 4 + gap;
    assertEquals(191, read.getRaster().getPixel(second, gap, px)[0]);
    assertEquals(255, read.getRaster().getPixel(second + 3, gap + 1, px)[0]);
  }

  @Test
  void unitScaleAndRgbImages() {
    // One 1x1 RGB image in [0, 1]: (0.5, 0.1, 2.0) -> 127.5 -> 128, 25.5 -> 26, 510 -> clamped 255.
    BufferedImage grid = ImageGrid.render(new float[] {0.5f, 0.1f, 2.0f}, 1, 1, 1, 3, PixelScale.UNIT, 1, 1, 1);
    assertEquals(BufferedImage.TYPE_INT_RGB, grid.getType());
    assertArrayEquals(new int[] {128, 26, 255}, grid.getRaster().getPixel(ImageGrid.GAP, ImageGrid.GAP, new int[3]));
  }

  @Test
  void nanMapsToBlack() {
    assertEquals(0, ImageGrid.toByte(Float.NaN, PixelScale.TANH));
  }

  @Test
  void tooManyImagesAreRejected() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ImageGrid.render(new float[17], 17, 1, 1, 1, PixelScale.TANH, 4, 4, 1));
    assertEquals("expected at most 16 images for a 4x4 grid, got 17", e.getMessage());
  }

  @Test
  void nearSquareGrids() {
    assertArrayEquals(new int[] {4, 4}, ImageGrid.gridFor(16));
    assertArrayEquals(new int[] {5, 5}, ImageGrid.gridFor(25));
    assertArrayEquals(new int[] {10, 10}, ImageGrid.gridFor(100));
    assertArrayEquals(new int[] {3, 4}, ImageGrid.gridFor(10));
    assertArrayEquals(new int[] {1, 1}, ImageGrid.gridFor(1));
  }

  /** The TANH value whose 8-bit pixel is {@code b}: (b - 127.5) / 127.5, which maps back to b within 1e-4. */
  private static float tanhOf(int b) {
    return (float) ((b - 127.5) / 127.5);
  }

  /** A distinct byte for every (image, y, x, channel). */
  private static int byteAt(int n, int y, int x, int c) {
    return (37 * n + 11 * y + 5 * x + 3 * c + 7) % 256;
  }

  /**
   * Every pixel of a 2x3 grid of five 3x2 RGB images at zoom 3 (the sixth cell empty), against the
   * layout the class describes: cells of 3 * zoom by 2 * zoom pixels, framed and separated by GAP
   * pixels of the background, filled row by row, each source pixel a zoom x zoom block.
   */
  @Test
  void everyPixelOfAMultiRowZoomedRgbGrid() {
    int count = 5, height = 3, width = 2, channels = 3, rows = 2, cols = 3, zoom = 3;
    float[] values = new float[count * height * width * channels];
    for (int n = 0, i = 0; n < count; n++) {
      for (int y = 0; y < height; y++) {
        for (int x = 0; x < width; x++) {
          for (int c = 0; c < channels; c++) {
            values[i++] = tanhOf(byteAt(n, y, x, c));
          }
        }
      }
    }
    BufferedImage grid = ImageGrid.render(values, count, height, width, channels, PixelScale.TANH, rows, cols, zoom);
    int gap = ImageGrid.GAP;
    int gridWidth = 3 * (2 * 3) + 4 * gap, gridHeight = 2 * (3 * 3) + 3 * gap;
    assertEquals(gridWidth, grid.getWidth());
    assertEquals(gridHeight, grid.getHeight());
    int[][][] expected = new int[gridHeight][gridWidth][];
    for (int[][] row : expected) {
      java.util.Arrays.fill(row, new int[] {ImageGrid.BACKGROUND, ImageGrid.BACKGROUND, ImageGrid.BACKGROUND});
    }
    for (int n = 0; n < count; n++) {
      int cellTop = gap + (n / cols) * (height * zoom + gap);
      int cellLeft = gap + (n % cols) * (width * zoom + gap);
      for (int y = 0; y < height; y++) {
        for (int x = 0; x < width; x++) {
          int[] rgb = {byteAt(n, y, x, 0), byteAt(n, y, x, 1), byteAt(n, y, x, 2)};
          for (int dy = 0; dy < zoom; dy++) {
            for (int dx = 0; dx < zoom; dx++) {
              expected[cellTop + y * zoom + dy][cellLeft + x * zoom + dx] = rgb;
            }
          }
        }
      }
    }
    for (int y = 0; y < gridHeight; y++) {
      for (int x = 0; x < gridWidth; x++) {
        assertArrayEquals(expected[y][x], grid.getRaster().getPixel(x, y, new int[3]), "pixel (" + x + ", " + y + ")");
      }
    }
  }

  @Test
  void oneImageAtItsOwnSizeInGrayAndRgb() {
    float[] gray = new float[3 * 2];
    for (int i = 0; i < gray.length; i++) {
      gray[i] = tanhOf(byteAt(0, i / 2, i % 2, 0));
    }
    BufferedImage g = ImageGrid.image(gray, 3, 2, 1, PixelScale.TANH);
    assertEquals(2, g.getWidth());
    assertEquals(3, g.getHeight());
    assertEquals(BufferedImage.TYPE_BYTE_GRAY, g.getType());
    for (int y = 0; y < 3; y++) {
      for (int x = 0; x < 2; x++) {
        assertEquals(byteAt(0, y, x, 0), g.getRaster().getPixel(x, y, new int[1])[0], "(" + x + ", " + y + ")");
      }
    }
    // UNIT scale: v * 255; bytes b / 255.
    float[] rgb = new float[2 * 3 * 3];
    for (int i = 0; i < rgb.length; i++) {
      rgb[i] = byteAt(1, i / 9, (i / 3) % 3, i % 3) / 255f;
    }
    BufferedImage c = ImageGrid.image(rgb, 2, 3, 3, PixelScale.UNIT);
    assertEquals(BufferedImage.TYPE_INT_RGB, c.getType());
    for (int y = 0; y < 2; y++) {
      for (int x = 0; x < 3; x++) {
        assertArrayEquals(new int[] {byteAt(1, y, x, 0), byteAt(1, y, x, 1), byteAt(1, y, x, 2)},
            c.getRaster().getPixel(x, y, new int[3]), "(" + x + ", " + y + ")");
      }
    }
    assertEquals("expected 12 values for an image of 3x2x2, got 11",
        assertThrows(IllegalArgumentException.class, () -> ImageGrid.image(new float[11], 3, 2, 2, PixelScale.TANH)).getMessage());
    assertEquals("expected 6 values for an image of 3x2x1, got 5",
        assertThrows(IllegalArgumentException.class, () -> ImageGrid.image(new float[5], 3, 2, 1, PixelScale.TANH)).getMessage());
  }

  /** Two channels are an image pair (pix2pix's input and output): channel 0 drawn left, channel 1 right, in gray. */
  @Test
  void twoChannelsAreDrawnSideBySide() {
    int height = 3, width = 2;
    float[] pair = new float[height * width * 2];
    for (int i = 0; i < pair.length; i++) {
      pair[i] = byteAt(0, i / 4, (i / 2) % 2, i % 2) / 255f;       // HWC: y = i / (w * 2), x = (i / 2) % w, c = i % 2
    }
    BufferedImage image = ImageGrid.image(pair, height, width, 2, PixelScale.UNIT);
    assertEquals(BufferedImage.TYPE_BYTE_GRAY, image.getType());
    assertEquals(List.of(2 * width, height), List.of(image.getWidth(), image.getHeight()));
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        assertEquals(byteAt(0, y, x, 0), image.getRaster().getPixel(x, y, new int[1])[0], "left (" + x + ", " + y + ")");
        assertEquals(byteAt(0, y, x, 1), image.getRaster().getPixel(width + x, y, new int[1])[0],
            "right (" + x + ", " + y + ")");
      }
    }
    // In a grid of two pairs, one row, no zoom: the second pair's right half ends one gap before the edge.
    float[] twoPairs = new float[2 * pair.length];
    System.arraycopy(pair, 0, twoPairs, 0, pair.length);
    System.arraycopy(pair, 0, twoPairs, pair.length, pair.length);
    BufferedImage grid = ImageGrid.render(twoPairs, 2, height, width, 2, PixelScale.UNIT, 1, 2, 1);
    assertEquals(2 * 2 * width + 3 * ImageGrid.GAP, grid.getWidth());
    int lastX = grid.getWidth() - ImageGrid.GAP - 1, lastY = ImageGrid.GAP + height - 1;
    assertEquals(byteAt(0, height - 1, width - 1, 1), grid.getRaster().getPixel(lastX, lastY, new int[1])[0]);
  }

  @Test
  void badRenderArgumentsAreNamed() {
    assertEquals("expected 1, 2 or 3 channels, got 4", assertThrows(IllegalArgumentException.class,
        () -> ImageGrid.render(new float[4], 1, 1, 1, 4, PixelScale.TANH, 1, 1, 1)).getMessage());
    assertEquals("expected 8 values for 2 images of 2x2x1, got 7", assertThrows(IllegalArgumentException.class,
        () -> ImageGrid.render(new float[7], 2, 2, 2, 1, PixelScale.TANH, 1, 2, 1)).getMessage());
    assertEquals("expected a zoom of at least 1, got 0", assertThrows(IllegalArgumentException.class,
        () -> ImageGrid.render(new float[1], 1, 1, 1, 1, PixelScale.TANH, 1, 1, 0)).getMessage());
    // Exactly rows * cols images fill the grid.
    assertEquals(2 * 1 + 3 * ImageGrid.GAP, ImageGrid.render(new float[4], 4, 1, 1, 1, PixelScale.TANH, 2, 2, 1).getWidth());
    assertEquals("expected a positive number of images, got 0",
        assertThrows(IllegalArgumentException.class, () -> ImageGrid.gridFor(0)).getMessage());
  }

  @Test
  void zoomAimsAtAbout320PixelsAcross() {
    assertEquals(2, ImageGrid.zoomFor(4, 28)); // 320 / 112 = 2.86
    assertEquals(5, ImageGrid.zoomFor(1, 64)); // 320 / 64
    assertEquals(1, ImageGrid.zoomFor(10, 64)); // 320 / 640 rounds to 0: at least 1
    assertEquals(11, ImageGrid.zoomFor(1, 28)); // 320 / 28 = 11.4
  }

  @Test
  void bytesRoundToTheNearestAndClamp() {
    // UNIT: v * 255, rounded to the nearest: 0.6 -> 1, 0.4 -> 0; 1.0 -> 255; above clamps, below is 0.
    assertEquals(1, ImageGrid.toByte(0.6f / 255f, PixelScale.UNIT));
    assertEquals(0, ImageGrid.toByte(0.4f / 255f, PixelScale.UNIT));
    assertEquals(255, ImageGrid.toByte(1f, PixelScale.UNIT));
    assertEquals(255, ImageGrid.toByte(7f, PixelScale.UNIT));
    assertEquals(0, ImageGrid.toByte(-0.1f, PixelScale.UNIT));
    assertEquals(0, ImageGrid.toByte(0f, PixelScale.UNIT));
    // TANH: -1 -> 0; 1 -> 255.
    assertEquals(0, ImageGrid.toByte(-1f, PixelScale.TANH));
    assertEquals(255, ImageGrid.toByte(1f, PixelScale.TANH));
    assertEquals(254, ImageGrid.toByte(tanhOf(254), PixelScale.TANH));
  }
}

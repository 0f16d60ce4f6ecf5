package io.jgan.viz;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.jgan.PixelScale;
import java.awt.image.BufferedImage;
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
}

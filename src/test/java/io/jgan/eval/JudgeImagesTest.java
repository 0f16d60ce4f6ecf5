package io.jgan.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jgan.PixelScale;
import org.junit.jupiter.api.Test;

/** Generator outputs become the 8-bit pixels a PNG shows, then judge inputs, by hand-checked values. */
class JudgeImagesTest {
  @Test
  void outputsInEitherRangeBecomeThePixelsOfGenerateUint8() {
    // x * 127.5 + 127.5 rounded half up, clamped: -1 -> 0, 0 -> 127.5 -> 128, 1 -> 255, out of range clamped.
    assertArrayEquals(new byte[] {0, (byte) 128, (byte) 255, 0, (byte) 255, (byte) 191},
        JudgeImages.toPixels(new float[] {-1f, 0f, 1f, -3f, 2f, 0.5f}, PixelScale.TANH));
    // gan-tf1's [0, 1]: 255 x, the same as mapping to [-1, 1] first.
    assertArrayEquals(new byte[] {0, (byte) 128, (byte) 255, 26},
        JudgeImages.toPixels(new float[] {0f, 0.5f, 1f, 0.1f}, PixelScale.UNIT));
  }

  @Test
  void rgbBecomesLumaAndIsScaledAsTheJudgeWasTrained() {
    // One 1x1 RGB pixel (255, 0, 0): luma (299 * 255 + 500) / 1000 = 76; judge input (76 - 127.5) / 127.5.
    float[] input = JudgeImages.toInput(new byte[] {(byte) 255, 0, 0}, 1, 1, 1, 3, 1, 1, 1);
    assertEquals((76 - 127.5f) / 127.5f, input[0], 0f);
  }

  @Test
  void aTwoByTwoImageShrinksToTheMeanOfItsPixels() {
    // Bilinear 2x2 -> 1x1 with half-pixel centres samples the centre: the mean of the four, 25.
    float[] input = JudgeImages.toInput(new byte[] {10, 20, 30, 40}, 1, 2, 2, 1, 1, 1, 1);
    assertEquals((25 - 127.5f) / 127.5f, input[0], 0f);
  }

  private static float scaled(int pixel) {
    return (pixel - 127.5f) / 127.5f;
  }

  @Test
  void severalRgbImagesBecomeGrayImagesInOrder() {
    // Three 2x3 RGB images; each pixel's luma (299 R + 587 G + 114 B + 500) / 1000, no resize.
    int count = 3, h = 2, w = 3;
    byte[] pixels = new byte[count * h * w * 3];
    for (int i = 0; i < pixels.length; i++) {
      pixels[i] = (byte) ((i * 53 + 17) % 256);
    }
    float[] input = JudgeImages.toInput(pixels, count, h, w, 3, h, w, 1);
    assertEquals(count * h * w, input.length);
    for (int p = 0; p < count * h * w; p++) {
      int r = pixels[3 * p] & 0xFF, g = pixels[3 * p + 1] & 0xFF, b = pixels[3 * p + 2] & 0xFF;
      assertEquals(scaled((299 * r + 587 * g + 114 * b + 500) / 1000), input[p], 0f, "pixel " + p);
    }
  }

  @Test
  void severalImagesHalvedEachToTheMeansOfTheirBlocks() {
    // Two 4x2 gray images to 2x1: halving samples each output pixel's centre between four input
    // pixels, weight 1/4 each. The blocks sum to multiples of 4, so the means are whole.
    byte[] pixels = {
      10, 20, 30, 40, 50, 60, 70, 80, // image 0: rows (10 20) (30 40) (50 60) (70 80)
      0, 4, 8, 12, 100, (byte) 200, (byte) 150, 50}; // image 1
    float[] input = JudgeImages.toInput(pixels, 2, 4, 2, 1, 2, 1, 1);
    assertArrayEquals(new float[] {scaled(25), scaled(65), scaled(6), scaled(125)}, input, 0f);
  }

  @Test
  void aSliceOfAnImageSetIsThoseImages() {
    byte[] pixels = new byte[4 * 2 * 2];
    for (int i = 0; i < pixels.length; i++) {
      pixels[i] = (byte) (i * 15);
    }
    io.jgan.data.ImageSet set = new io.jgan.data.ImageSet("four", 4, 2, 2, 1, pixels, null, 0);
    float[] middle = JudgeImages.toInput(set, 1, 3, 2, 2, 1);
    assertEquals(8, middle.length);
    for (int i = 0; i < 8; i++) {
      assertEquals(scaled((4 + i) * 15), middle[i], 0f, "value " + i);
    }
    IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
        () -> JudgeImages.toInput(new byte[7], 2, 2, 2, 1, 2, 2, 1));
    assertEquals("expected 8 pixels for 2 images of 2x2x1, got 7", e.getMessage());
  }

  @Test
  void grayImagesForAnRgbJudgeRepeatTheirValueInEachChannel() {
    // A foreign judge (--judge DIR) may take RGB: two 1x2 gray images become 1x2x3, each value three times.
    float[] input = JudgeImages.toInput(new byte[] {0, 51, (byte) 204, (byte) 255}, 2, 1, 2, 1, 1, 2, 3);
    assertArrayEquals(new float[] {scaled(0), scaled(0), scaled(0), scaled(51), scaled(51), scaled(51),
        scaled(204), scaled(204), scaled(204), scaled(255), scaled(255), scaled(255)}, input, 0f);
  }
}

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
}

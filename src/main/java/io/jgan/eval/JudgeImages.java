package io.jgan.eval;

import io.jgan.PixelScale;
import io.jgan.data.ImageSet;
import io.jgan.data.Resize;

/**
 * Images as the judge takes them: 8-bit pixels converted to the judge's channels (RGB to gray by
 * ITU-R 601 luma), resized bilinearly to its size (a 64x64 preset's samples to 28x28), then scaled
 * {@code (x - 127.5) / 127.5}. Generated images are first made 8-bit pixels as the exported
 * {@code generate_uint8} signature makes them ({@code x * 127.5 + 127.5} for outputs in [-1, 1],
 * {@code 255 x} for outputs in [0, 1] (gan-tf1), rounded half up and clamped), so samples and real
 * images take exactly the same path and a judge sees what a PNG of the sample shows.
 */
public final class JudgeImages {
  private JudgeImages() {}

  /** Generator outputs [n, h, w, c] (row-major) in {@code scale} as 8-bit pixels. */
  public static byte[] toPixels(float[] values, PixelScale scale) {
    byte[] out = new byte[values.length];
    for (int i = 0; i < values.length; i++) {
      double v = scale == PixelScale.TANH ? values[i] * 127.5 + 127.5 : values[i] * 255.0;
      double rounded = Math.floor(v + 0.5);
      out[i] = (byte) (int) Math.max(0, Math.min(255, Double.isNaN(rounded) ? 0 : rounded));
    }
    return out;
  }

  /**
   * {@code count} images of {@code h x w x c} 8-bit pixels as judge inputs
   * {@code [count, outH, outW, outC]}, row-major.
   */
  public static float[] toInput(byte[] pixels, int count, int h, int w, int c, int outH, int outW, int outC) {
    int inSize = h * w * c;
    int outSize = outH * outW * outC;
    if (pixels.length != (long) count * inSize) {
      throw new IllegalArgumentException("expected " + (long) count * inSize + " pixels for " + count + " images of "
          + h + "x" + w + "x" + c + ", got " + pixels.length);
    }
    float[] out = new float[count * outSize];
    byte[] one = new byte[inSize];
    for (int i = 0; i < count; i++) {
      System.arraycopy(pixels, i * inSize, one, 0, inSize);
      byte[] converted = Resize.bilinear(Resize.channels(one, h * w, c, outC), h, w, outC, outH, outW);
      for (int p = 0; p < outSize; p++) {
        out[i * outSize + p] = PixelScale.TANH.toInput(converted[p] & 0xFF);
      }
    }
    return out;
  }

  /** Images {@code from} (inclusive) to {@code to} (exclusive) of a set, as judge inputs. */
  public static float[] toInput(ImageSet set, int from, int to, int outH, int outW, int outC) {
    int size = set.imageSize();
    byte[] slice = java.util.Arrays.copyOfRange(set.pixels(), from * size, to * size);
    return toInput(slice, to - from, set.height(), set.width(), set.channels(), outH, outW, outC);
  }
}

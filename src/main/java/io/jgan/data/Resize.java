package io.jgan.data;

/**
 * Bilinear resizing of 8-bit HWC images as {@code tf.image.resize(method="bilinear",
 * antialias=False)} does it (what Keras {@code image_dataset_from_directory} uses): half-pixel
 * centres, {@code src = (dst + 0.5) * in / out - 0.5}, neighbours clamped to the image, linear
 * interpolation between the two nearest source pixels on each axis.
 *
 * <p>TensorFlow keeps the float result; images here are stored as bytes, so the result is rounded
 * half up (an error of at most half a gray level). An image already at the target size is copied
 * unchanged.
 *
 * <pre>{@code
 * byte[] small = Resize.bilinear(pixels, 218, 178, 3, 64, 64);   // HWC bytes, 218 x 178 to 64 x 64
 * byte[] grey = Resize.channels(small, 64 * 64, 3, 1);
 * }</pre>
 */
public final class Resize {
  private Resize() {}

  /**
   * @param pixels {@code inH * inW * channels} bytes, row-major HWC
   * @return {@code outH * outW * channels} bytes
   */
  public static byte[] bilinear(byte[] pixels, int inH, int inW, int channels, int outH, int outW) {
    if (pixels.length != inH * inW * channels) {
      throw new IllegalArgumentException("expected " + inH * inW * channels + " bytes for " + inH + "x" + inW + "x"
          + channels + ", got " + pixels.length);
    }
    if (inH == outH && inW == outW) {
      return pixels.clone();
    }
    byte[] out = new byte[outH * outW * channels];
    double scaleY = inH / (double) outH;
    double scaleX = inW / (double) outW;
    for (int y = 0; y < outH; y++) {
      double srcY = (y + 0.5) * scaleY - 0.5;
      int y0 = (int) Math.floor(srcY);
      double dy = srcY - y0;
      int top = clamp(y0, inH);
      int bottom = clamp(y0 + 1, inH);
      for (int x = 0; x < outW; x++) {
        double srcX = (x + 0.5) * scaleX - 0.5;
        int x0 = (int) Math.floor(srcX);
        double dx = srcX - x0;
        int left = clamp(x0, inW);
        int right = clamp(x0 + 1, inW);
        for (int c = 0; c < channels; c++) {
          double tl = pixels[(top * inW + left) * channels + c] & 0xFF;
          double tr = pixels[(top * inW + right) * channels + c] & 0xFF;
          double bl = pixels[(bottom * inW + left) * channels + c] & 0xFF;
          double br = pixels[(bottom * inW + right) * channels + c] & 0xFF;
          double topRow = tl + (tr - tl) * dx;
          double bottomRow = bl + (br - bl) * dx;
          double v = topRow + (bottomRow - topRow) * dy;
          out[(y * outW + x) * channels + c] = (byte) Math.min(255, (int) Math.floor(v + 0.5));
        }
      }
    }
    return out;
  }

  private static int clamp(int i, int size) {
    return Math.max(0, Math.min(size - 1, i));
  }

  /**
   * Converts between 1 and 3 channels: gray to RGB repeats the value; RGB to gray uses the
   * ITU-R 601-2 luma weights (0.299, 0.587, 0.114), as PIL's {@code convert("L")} and libjpeg do.
   */
  public static byte[] channels(byte[] pixels, int count, int from, int to) {
    if (from == to) {
      return pixels;
    }
    byte[] out = new byte[count * to];
    for (int i = 0; i < count; i++) {
      if (from == 1 && to == 3) {
        out[i * 3] = out[i * 3 + 1] = out[i * 3 + 2] = pixels[i];
      } else if (from == 3 && to == 1) {
        out[i] = (byte) luma(pixels[i * 3] & 0xFF, pixels[i * 3 + 1] & 0xFF, pixels[i * 3 + 2] & 0xFF);
      } else {
        throw new IllegalArgumentException("expected 1 or 3 channels, got " + from + " -> " + to);
      }
    }
    return out;
  }

  /** ITU-R 601-2 luma of an sRGB pixel, rounded half up. */
  public static int luma(int r, int g, int b) {
    return (r * 299 + g * 587 + b * 114 + 500) / 1000;
  }
}

package io.jgan.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.image.ResizeBilinear;
import org.tensorflow.types.TFloat32;

/** Bilinear resizing against TensorFlow's own ResizeBilinear kernel with half-pixel centres (tf.image.resize). */
class ResizeTest {
  @Test
  void matchesTensorFlowResizeBilinearRoundedHalfUp() {
    int inH = 5, inW = 7, channels = 3;
    byte[] pixels = new byte[inH * inW * channels];
    for (int i = 0; i < pixels.length; i++) {
      pixels[i] = (byte) ((i * 37 + 11) % 256);
    }
    for (int[] out : new int[][] {{9, 4}, {13, 13}, {2, 3}, {64, 64}}) {
      byte[] ours = Resize.bilinear(pixels, inH, inW, channels, out[0], out[1]);
      float[] tf = tensorFlow(pixels, inH, inW, channels, out[0], out[1]);
      for (int i = 0; i < tf.length; i++) {
        int expected = (int) Math.min(255, Math.floor(tf[i] + 0.5));
        assertEquals(expected, ours[i] & 0xFF, "pixel " + i + " of " + out[0] + "x" + out[1] + " (TF " + tf[i] + ")");
      }
    }
  }

  @Test
  void sameSizeIsACopy() {
    byte[] pixels = {1, 2, 3, 4};
    assertArrayEquals(pixels, Resize.bilinear(pixels, 2, 2, 1, 2, 2));
  }

  @Test
  void channelConversions() {
    assertArrayEquals(new byte[] {7, 7, 7}, Resize.channels(new byte[] {7}, 1, 1, 3));
    // ITU-R 601-2: 0.299 R + 0.587 G + 0.114 B; (255, 0, 0) -> 76.245 -> 76
    assertArrayEquals(new byte[] {76}, Resize.channels(new byte[] {(byte) 255, 0, 0}, 1, 3, 1));
  }

  private static float[] tensorFlow(byte[] pixels, int h, int w, int c, int outH, int outW) {
    float[] in = new float[pixels.length];
    for (int i = 0; i < in.length; i++) {
      in[i] = pixels[i] & 0xFF;
    }
    try (Graph g = new Graph(); Session s = new Session(g)) {
      Ops tf = Ops.create(g);
      var image = tf.constant(Shape.of(1, h, w, c), DataBuffers.of(in, true, false));
      var resized = tf.image.resizeBilinear(image, tf.constant(new int[] {outH, outW}),
          ResizeBilinear.halfPixelCenters(true), ResizeBilinear.alignCorners(false));
      try (Result r = s.runner().fetch(resized).run()) {
        float[] out = new float[outH * outW * c];
        ((TFloat32) r.get(0)).copyTo(DataBuffers.of(out, false, false));
        return out;
      }
    }
  }
}

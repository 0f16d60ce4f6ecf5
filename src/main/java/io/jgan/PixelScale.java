package io.jgan;

/**
 * How a preset maps 8-bit pixels to network inputs, and generator outputs back to pixels.
 *
 * <pre>{@code
 * float white = PixelScale.TANH.toInput(255);   // 1.0f
 * float grey = PixelScale.UNIT.toInput(51);     // 0.2f
 * }</pre>
 */
public enum PixelScale {
  /** {@code (x - 127.5) / 127.5}: [-1, 1], for generators ending in tanh (the DCGANs, WGAN-GP, the Keras MLP GAN). */
  TANH,
  /** {@code x / 255}: [0, 1], for seed 004's sigmoid generator. */
  UNIT;

  /** The network input for an 8-bit pixel value, computed in float32 as numpy does. */
  public float toInput(int pixel) {
    return this == TANH ? (pixel - 127.5f) / 127.5f : pixel / 255f;
  }
}

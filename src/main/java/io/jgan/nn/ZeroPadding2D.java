package io.jgan.nn;

import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.family.TFloating;

/**
 * Keras {@code ZeroPadding2D(padding=(1, 1))}: rows of zeros above and below an NHWC image and
 * columns of zeros left and right of it ({@code tf.pad} with 0), [h, w, c] to
 * [top + h + bottom, left + w + right, c]. pix2pix's PatchGAN discriminator pads so before its
 * valid 4x4 convolutions.
 *
 * <pre>{@code
 * new ZeroPadding2D()                                   // 1 on every side: [30, 30, 256] -> [32, 32, 256]
 * new ZeroPadding2D(2)                                  // 2 on every side
 * new ZeroPadding2D().heightPadding(1, 0).widthPadding(0, 2) // Keras padding=((1, 0), (0, 2))
 * }</pre>
 */
public final class ZeroPadding2D implements Layer {
  /** Keras's default padding, 1 on each side. */
  public static final int PADDING_DEFAULT = 1;

  private int top;
  private int bottom;
  private int left;
  private int right;
  private boolean built;

  /** Keras's default: one row or column of zeros on each side. */
  public ZeroPadding2D() {
    this(PADDING_DEFAULT);
  }

  /**
   * Keras {@code padding=n}.
   *
   * @param padding rows or columns of zeros on each side
   */
  public ZeroPadding2D(int padding) {
    heightPadding(padding, padding);
    widthPadding(padding, padding);
  }

  /**
   * Rows of zeros above and below (Keras's {@code padding[0]}).
   *
   * @param top rows above
   * @param bottom rows below
   * @return this layer
   */
  public ZeroPadding2D heightPadding(int top, int bottom) {
    requireNotBuilt();
    requireNonNegative("top", top);
    requireNonNegative("bottom", bottom);
    this.top = top;
    this.bottom = bottom;
    return this;
  }

  /**
   * Columns of zeros left and right (Keras's {@code padding[1]}).
   *
   * @param left columns on the left
   * @param right columns on the right
   * @return this layer
   */
  public ZeroPadding2D widthPadding(int left, int right) {
    requireNotBuilt();
    requireNonNegative("left", left);
    requireNonNegative("right", right);
    this.left = left;
    this.right = right;
    return this;
  }

  private void requireNotBuilt() {
    if (built) {
      throw new IllegalStateException("ZeroPadding2D is already built: configure it before building its network");
    }
  }

  private static void requireNonNegative(String side, int value) {
    if (value < 0) {
      throw new IllegalArgumentException("expected a non-negative " + side + " padding, got " + value);
    }
  }

  @Override
  public String kind() {
    return "ZeroPadding2D";
  }

  @Override
  public Shape build(Shape in, WeightFactory.LayerScope weights) {
    if (in.numDimensions() != 3) {
      throw new IllegalArgumentException("ZeroPadding2D expected an image input [height, width, channels], got " + in);
    }
    built = true;
    return Shape.of(top + in.get(0) + bottom, left + in.get(1) + right, in.get(2));
  }

  @Override
  public <T extends TFloating> Operand<T> call(Ops tf, Operand<T> x, CallContext ctx) {
    int[][] paddings = {{0, 0}, {top, bottom}, {left, right}, {0, 0}};
    return tf.pad(x, tf.constant(paddings), FloatTypes.constant(tf, 0, x.type()));
  }

  @Override
  public String describe() {
    return "padding=((" + top + ", " + bottom + "), (" + left + ", " + right + "))";
  }
}

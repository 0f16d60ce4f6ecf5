package io.jgan.nn;

import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.family.TFloating;

/**
 * Keras {@code Concatenate(axis=-1)}: joins its inputs along {@code axis}, in the order given
 * ({@code tf.concat}); every other dimension must agree. The axis counts the batch as Keras does
 * (1 is the first dimension of an example, -1 the last, the default); the batch axis 0 cannot be
 * joined. A U-Net joins its skip connection so, a conditional GAN its label embedding.
 *
 * <pre>{@code
 * Functional.Node h = f.apply(new Concatenate(), upsampled, skip);       // [16, 16, 64] + [16, 16, 32] -> [16, 16, 96]
 * Functional.Node wide = f.apply(new Concatenate().axis(2), left, right); // [8, 4, 3] + [8, 5, 3] -> [8, 9, 3]
 * }</pre>
 *
 * <p>Keras tolerates, at build time, inputs whose other dimensions differ where one of them is 1
 * (and then fails when called); this layer requires them equal.
 */
public final class Concatenate implements MergeLayer {
  /** Keras's default: the last axis. */
  public static final int AXIS_DEFAULT = -1;

  private int axis = AXIS_DEFAULT;
  /** The axis as a non-negative index into [batch, example...], known once built. */
  private int resolvedAxis = -1;

  /**
   * Keras {@code axis=}; default -1.
   *
   * @param axis the axis to join on, counted with the batch axis 0 (which cannot be joined), negative from the end
   * @return this layer
   */
  public Concatenate axis(int axis) {
    if (resolvedAxis >= 0) {
      throw new IllegalStateException("Concatenate is already built: configure it before building its network");
    }
    if (axis == 0) {
      throw new IllegalArgumentException("expected an axis other than the batch axis 0, got 0");
    }
    this.axis = axis;
    return this;
  }

  @Override
  public String kind() {
    return "Concatenate";
  }

  @Override
  public Shape build(List<Shape> inputShapes, WeightFactory.LayerScope weights) {
    if (inputShapes.isEmpty()) {
      throw new IllegalArgumentException("Concatenate expected at least one input, got none");
    }
    int rank = inputShapes.get(0).numDimensions() + 1; // with the batch
    int resolved = axis < 0 ? axis + rank : axis;
    if (resolved < 1 || resolved >= rank) {
      throw new IllegalArgumentException("Concatenate expected an axis in [" + (1 - rank) + ", -1] or [1, " + (rank - 1)
          + "] for inputs of shape " + inputShapes.get(0) + " (rank " + rank + " with the batch), got " + axis);
    }
    long[] out = inputShapes.get(0).asArray();
    for (Shape s : inputShapes.subList(1, inputShapes.size())) {
      long[] dims = s.asArray();
      boolean matches = dims.length == out.length;
      for (int d = 0; matches && d < dims.length; d++) {
        matches = d == resolved - 1 || dims[d] == out[d];
      }
      if (!matches) {
        throw new IllegalArgumentException("Concatenate expected inputs of equal shapes except on axis " + axis + ", got "
            + inputShapes);
      }
      out[resolved - 1] += dims[resolved - 1];
    }
    resolvedAxis = resolved;
    return Shape.of(out);
  }

  @Override
  public <T extends TFloating> Operand<T> call(Ops tf, List<Operand<T>> inputs, CallContext ctx) {
    return tf.concat(inputs, tf.constant(axis));
  }

  @Override
  public String describe() {
    return "axis=" + axis;
  }
}

package io.jgan.nn;

import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.family.TFloating;

/**
 * Keras {@code Add()}: the element-wise sum of its inputs, added left to right as Keras adds them
 * ({@code ((x0 + x1) + x2) + ...}): a residual connection.
 *
 * <pre>{@code
 * Functional.Node h = f.apply(new Conv2d(64, 3).padding(Padding.SAME), x);
 * Functional.Node residual = f.apply(new Add(), x, h); // [8, 8, 64] + [8, 8, 64] -> [8, 8, 64]
 * }</pre>
 *
 * <p>The inputs must have equal shapes; Keras would also broadcast a dimension of 1, or expand
 * an input of lower rank, which hides mistakes more often than it helps.
 */
public final class Add implements MergeLayer {
  @Override
  public String kind() {
    return "Add";
  }

  @Override
  public Shape build(List<Shape> inputShapes, WeightFactory.LayerScope weights) {
    if (inputShapes.isEmpty()) {
      throw new IllegalArgumentException("Add expected at least one input, got none");
    }
    for (Shape s : inputShapes) {
      if (!java.util.Arrays.equals(s.asArray(), inputShapes.get(0).asArray())) {
        throw new IllegalArgumentException("Add expected inputs of one shape, got " + inputShapes);
      }
    }
    return inputShapes.get(0);
  }

  @Override
  public <T extends TFloating> Operand<T> call(Ops tf, List<Operand<T>> inputs, CallContext ctx) {
    Operand<T> sum = inputs.get(0);
    for (Operand<T> x : inputs.subList(1, inputs.size())) {
      sum = tf.math.add(sum, x);
    }
    return sum;
  }
}

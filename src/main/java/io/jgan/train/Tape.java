package io.jgan.train;

import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Gradients;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.family.TNumber;

/**
 * The graph-mode equivalent of {@code tf.GradientTape().gradient(y, xs)}: symbolic gradients of a
 * scalar {@code y} with respect to {@code xs}.
 *
 * <p>The seed gradient dy/dy is an explicit {@code Fill(Shape(y), 1)}: without it TensorFlow
 * inserts {@code OnesLike}, which has no gradient, and any gradient of a gradient (the WGAN-GP
 * penalty) fails.
 */
public final class Tape {
  private Tape() {}

  public static List<Operand<TFloat32>> gradients(Ops tf, Operand<TFloat32> y, List<? extends Operand<TFloat32>> xs) {
    return gradients(tf, y, xs, TFloat32.class);
  }

  /** The same for any floating type (the gradient-penalty tests run in float64). */
  public static <T extends TNumber> List<Operand<T>> gradients(Ops tf, Operand<T> y, List<? extends Operand<T>> xs,
      Class<T> type) {
    Operand<T> seed = tf.fill(tf.shape(y), tf.dtypes.cast(tf.constant(1f), type));
    Gradients grads = tf.gradients(List.of(y), xs, Gradients.dx(List.of(seed)));
    List<Operand<T>> out = new ArrayList<>();
    for (Output<?> dy : grads.dy()) {
      @SuppressWarnings("unchecked")
      Operand<T> typed = (Operand<T>) dy;
      out.add(typed);
    }
    return out;
  }
}

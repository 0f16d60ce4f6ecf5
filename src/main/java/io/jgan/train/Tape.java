package io.jgan.train;

import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Gradients;
import org.tensorflow.types.TFloat32;

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
    Operand<TFloat32> seed = tf.fill(tf.shape(y), tf.constant(1f));
    Gradients grads = tf.gradients(List.of(y), xs, Gradients.dx(List.of(seed)));
    List<Operand<TFloat32>> out = new ArrayList<>();
    for (Output<?> dy : grads.dy()) {
      @SuppressWarnings("unchecked")
      Operand<TFloat32> typed = (Operand<TFloat32>) dy;
      out.add(typed);
    }
    return out;
  }
}

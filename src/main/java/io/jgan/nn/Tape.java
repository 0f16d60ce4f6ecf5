package io.jgan.nn;

import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Gradients;
import org.tensorflow.types.family.TFloating;

/**
 * The graph-mode equivalent of {@code tf.GradientTape().gradient(y, xs)}: symbolic gradients of a
 * scalar {@code y} with respect to {@code xs}.
 *
 * <p>The seed gradient dy/dy is explicit: without it TensorFlow inserts {@code OnesLike}, which
 * has no gradient, and any gradient of a gradient (the WGAN-GP penalty) fails. When y's shape is
 * known when the graph is built (every loss: a scalar) the seed is a constant of that shape, as
 * Python's tape seeds with {@code ones_like(y)}, which it folds to a constant for a known shape;
 * otherwise {@code Fill(Shape(y), 1)}. The constant matters for speed, not for values: a seed read
 * from {@code Shape(y)} depends on y, so no gradient op could start before the whole forward pass
 * had finished, even one whose branch (D of the real images) was done long before (grappler keeps
 * that dependency when it folds the shape to a constant).
 *
 * <p>Where TensorFlow finds no gradient path (an x that y does not depend on, or one reached only
 * through piecewise-constant derivatives, such as a bias seen by the penalty only through
 * LeakyReLU's sign pattern) it returns an output with no operation behind it; those become zeros,
 * as Python's {@code unconnected_gradients="zero"}.
 *
 * <pre>{@code
 * List<Operand<T>> grads = Tape.gradients(tf, loss, List.of(x));   // d loss / d x
 * }</pre>
 */
public final class Tape {
  private Tape() {}

  public static <T extends TFloating> List<Operand<T>> gradients(Ops tf, Operand<T> y, List<? extends Operand<T>> xs) {
    return gradients(tf, y, xs, y.type());
  }

  /** The same, with the type given (float32, or float64 as in the parity checks and gradient-penalty tests). */
  public static <T extends TFloating> List<Operand<T>> gradients(Ops tf, Operand<T> y, List<? extends Operand<T>> xs,
      Class<T> type) {
    Shape shape = y.shape();
    Operand<T> seed = shape.isUnknown() || shape.hasUnknownDimension()
        ? tf.fill(tf.shape(y), FloatTypes.constant(tf, 1, type))
        : tf.fill(tf.constant(shape.asArray()), FloatTypes.constant(tf, 1, type));
    Gradients grads = tf.gradients(List.of(y), xs, Gradients.dx(List.of(seed)));
    List<Operand<T>> out = new ArrayList<>();
    List<Output<?>> dys = grads.dy();
    for (int i = 0; i < dys.size(); i++) {
      if (missing(dys.get(i))) {
        out.add(tf.zerosLike(xs.get(i)));
      } else {
        @SuppressWarnings("unchecked")
        Operand<T> typed = (Operand<T>) dys.get(i);
        out.add(typed);
      }
    }
    return out;
  }

  /** TF Java 1.1.0 gives an unconnected gradient a null handle, which any use reports as a closed graph. */
  private static boolean missing(Output<?> dy) {
    try {
      dy.op().name();
      return false;
    } catch (IllegalStateException e) {
      return true;
    }
  }
}

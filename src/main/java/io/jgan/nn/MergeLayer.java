package io.jgan.nn;

import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.family.TFloating;

/**
 * A Keras layer that takes a list of tensors, such as {@link Concatenate} or {@link Add}: how a
 * {@link Functional} network joins a skip connection or a conditional input to the main path.
 * As with {@link Layer}, shapes exclude the batch dimension, each class mirrors one Keras 3 layer,
 * and {@link #kind()} is its Keras class name.
 *
 * <pre>{@code
 * Functional.Builder f = Functional.builder("generator");
 * Functional.Node latents = f.input("latents", Shape.of(100));
 * Functional.Node labels = f.input("labels", Shape.of(10));
 * Functional.Node h = f.apply(new Concatenate(), latents, labels); // [110]
 * }</pre>
 */
public interface MergeLayer {
  /**
   * The Keras class name.
   *
   * @return e.g. {@code Concatenate}
   */
  String kind();

  /**
   * Creates the layer's variables (if any) for these input shapes. Called once; throws
   * IllegalArgumentException ("expected ..., got ...") for inputs it cannot take.
   *
   * @param inputShapes the shape of one example of each input, in the order the inputs are given
   * @param weights where to create the variables
   * @return the shape of one example of the output
   */
  Shape build(List<Shape> inputShapes, WeightFactory.LayerScope weights);

  /**
   * Applies the layer.
   *
   * @param <T> float32 or float64
   * @param tf where to add the ops
   * @param inputs one batch per input, each [batch, inputShape...], all of one type
   * @param ctx the pass's context (training flag, variable reads)
   * @return the output batch [batch, outputShape...]
   */
  <T extends TFloating> Operand<T> call(Ops tf, List<Operand<T>> inputs, CallContext ctx);

  /**
   * The layer's weights.
   *
   * @return the weights in Keras order; none for Keras's merge layers
   */
  default List<Weight> weights() {
    return List.of();
  }

  /**
   * A short description for the model summary.
   *
   * @return e.g. {@code axis=-1}
   */
  default String describe() {
    return "";
  }
}

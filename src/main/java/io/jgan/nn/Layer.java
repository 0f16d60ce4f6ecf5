package io.jgan.nn;

import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.family.TFloating;

/**
 * A Keras layer on the TensorFlow Java Ops API.
 *
 * <p>Each class mirrors exactly one Keras 3 layer (an activation given to Dense or Conv2D stays
 * inside that layer, as in Keras), so a network has the same layer indices as its Keras original
 * and checkpoint paths line up. Shapes exclude the batch dimension.
 *
 * <pre>{@code
 * Layer hidden = new Dense(256).activation(Activation.RELU);
 * Sequential d = new Sequential("discriminator", Shape.of(784)).add(hidden).add(new Dense(1));
 * }</pre>
 */
public interface Layer {
  /** The Keras class name, e.g. {@code Conv2DTranspose}. */
  String kind();

  /**
   * Creates the layer's variables for the given input shape and returns the output shape.
   * Called once; throws IllegalArgumentException ("expected ..., got ...") for an input it cannot
   * take.
   */
  Shape build(Shape inputShape, WeightFactory.LayerScope weights);

  /**
   * Applies the layer to a batch {@code x} of shape [batch, inputShape...], in the type the
   * network was built in (a float64 input to a float32 network fails).
   */
  <T extends TFloating> Operand<T> call(Ops tf, Operand<T> x, CallContext ctx);

  /** The layer's weights in Keras order (e.g. kernel then bias; gamma, beta, moving_mean, moving_variance). */
  default List<Weight> weights() {
    return List.of();
  }

  /** A short description for the model summary, e.g. {@code filters=64, kernel=5, strides=2, same}. */
  default String describe() {
    return "";
  }
}

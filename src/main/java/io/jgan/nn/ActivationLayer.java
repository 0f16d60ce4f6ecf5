package io.jgan.nn;

import java.util.Objects;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.family.TFloating;

/**
 * Keras {@code Activation(activation)}: an {@link Activation} function as a layer of its own,
 * element-wise ({@code SOFTMAX} over the last axis), so the output has the input's shape. Its
 * {@link #kind()} is Keras's class name, {@code Activation}; it has no weights.
 *
 * <pre>{@code
 * new Sequential("generator", Shape.of(100)).add(new Dense(256)).add(Activation.RELU.layer())
 * Functional.Node h = f.apply(new ActivationLayer(Activation.GELU), x);
 * }</pre>
 *
 * <p>Each instance is one Keras layer: applying one instance at two places of a
 * {@link Functional} network makes it one shared layer (one entry of Keras's
 * {@code _operations}), while Keras code that writes {@code Activation("relu")} twice has two;
 * create one per place to keep the Keras numbering.
 */
public final class ActivationLayer implements Layer {
  private final Activation activation;

  /**
   * The layer applying {@code activation}: Keras {@code Activation("relu")} is
   * {@code new ActivationLayer(Activation.RELU)}.
   *
   * @param activation the function
   */
  public ActivationLayer(Activation activation) {
    this.activation = Objects.requireNonNull(activation, "activation");
  }

  /**
   * The function this layer applies.
   *
   * @return the activation given at construction
   */
  public Activation activation() {
    return activation;
  }

  @Override
  public String kind() {
    return "Activation";
  }

  @Override
  public Shape build(Shape in, WeightFactory.LayerScope weights) {
    return in;
  }

  @Override
  public <T extends TFloating> Operand<T> call(Ops tf, Operand<T> x, CallContext ctx) {
    return activation.apply(tf, x);
  }

  @Override
  public String describe() {
    return activation.toString();
  }
}

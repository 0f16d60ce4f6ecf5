package io.jgan.nn;

import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.types.family.TFloating;

/**
 * A network of layers that owns their variables: {@link Sequential} (one chain) or a functional
 * graph of several inputs, shared layers and skip connections. Built once into a graph
 * ({@link #build}: every variable created, shapes checked), then called any number of times (the
 * discriminator runs on real and on generated images with the same weights). In a checkpoint it
 * lays its layers out as its Keras original does ({@link Trackable}).
 *
 * <pre>{@code
 * Network g = new Sequential("generator", Shape.of(100)).add(new Dense(784).activation(Activation.TANH));
 * g.build(tf, 42);                                                      // float32 variables, seeded on 42
 * Operand<TFloat32> images = g.call(tf, noise, CallContext.inference()); // [batch, 784]
 * }</pre>
 */
public interface Network extends Trackable {
  /** The network's name ({@code generator}, {@code discriminator}); it scopes its variables. */
  String name();

  /** The shape of one example of each input, without the batch dimension. */
  List<Shape> inputShapes();

  /** The shape of one example of the output, without the batch dimension (after {@link #build}). */
  Shape outputShape();

  /** Creates float32 variables for every layer (seeded on {@code runSeed}) and checks that the shapes chain. */
  default Network build(Ops tf, long runSeed) {
    return build(tf, runSeed, org.tensorflow.types.TFloat32.class);
  }

  /** The same with variables of {@code dtype} (float32, or float64 for the parity checks). Called once. */
  Network build(Ops tf, long runSeed, Class<? extends TFloating> dtype);

  /** Applies the network to one batch per input, [batch, inputShapes()...]; returns [batch, outputShape...]. */
  <T extends TFloating> Operand<T> call(Ops tf, List<Operand<T>> inputs, CallContext ctx);

  /** {@link #call(Ops, List, CallContext)} of a network with one input. */
  default <T extends TFloating> Operand<T> call(Ops tf, Operand<T> x, CallContext ctx) {
    return call(tf, List.of(x), ctx);
  }

  /** Every weight, layer by layer, each layer's in Keras order (after {@link #build}). */
  List<Weight> weights();

  /** The weights an optimizer updates, in Keras's {@code model.trainable_variables} order. */
  default List<Weight> trainableWeights() {
    return weights().stream().filter(Weight::trainable).toList();
  }

  /** Assign ops giving every variable its seeded initial value. */
  List<Op> initOps();

  /** A Keras-like summary: one line per layer with its output shape and parameter count. */
  String summary();
}

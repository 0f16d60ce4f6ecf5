package io.jgan.optim;

import io.jgan.nn.ResourceVariable;
import io.jgan.nn.Trackable;
import io.jgan.nn.Weight;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TInt64;
import org.tensorflow.types.family.TFloating;

/**
 * A gradient-descent optimizer over a fixed list of weights (Keras's {@code optimizer.build(vars)}
 * then {@code apply_gradients}), with its state as graph variables: the {@code iterations} counter
 * and per-weight slots. It describes its own checkpoint layout ({@link Trackable}), so a new
 * optimizer needs no change to the checkpoint writer.
 *
 * <pre>{@code
 * Optimizer<TFloat32> adam = Adam.Settings.keras(1e-4).create(tf, "generator_optimizer", g.trainableWeights(), TFloat32.class);
 * Op update = adam.apply(tf, gradients);   // one gradient per trainable weight, in order
 * }</pre>
 *
 * @param <T> the weights' type, which the slots share
 */
public interface Optimizer<T extends TFloating> extends Trackable {
  /** The scope of its state variables, e.g. {@code generator_optimizer}. */
  String name();

  Class<T> dtype();

  /** The weights it updates, in order (Keras {@code _trainable_variables}). */
  List<Weight> weights();

  /** Updates applied so far. */
  ResourceVariable<TInt64> iterations();

  /**
   * One update from {@code gradients} (one per weight, same order). The returned op runs every
   * variable update and then increments {@code iterations}; callers put it under control
   * dependencies on everything that must read the old weights.
   */
  Op apply(Ops tf, List<? extends Operand<T>> gradients);

  /** Assign ops giving the state its initial value (a fresh run; a restore replaces them). */
  List<Op> initOps();

  /** Makes an optimizer of its kind for a network's weights: a preset names its optimizers this way. */
  interface Factory {
    <T extends TFloating> Optimizer<T> create(Ops tf, String name, List<Weight> weights, Class<T> dtype);
  }
}

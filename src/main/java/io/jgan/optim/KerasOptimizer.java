package io.jgan.optim;

import io.jgan.nn.FloatTypes;
import io.jgan.nn.ResourceVariable;
import io.jgan.nn.SavedVariable;
import io.jgan.nn.Weight;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TInt64;
import org.tensorflow.types.family.TFloating;

/**
 * What every Keras 3 optimizer has: an {@code iterations} counter, a {@code learning_rate}
 * variable, and per-weight slots, laid out in a checkpoint as Keras 3's {@code BaseOptimizer}
 * tracks them: {@code _variables/<k>} (iterations, learning rate, then the slots in creation
 * order: every slot of weight 0, every slot of weight 1, ...), {@code _trainable_variables/<j>}
 * (the model's weights again), {@code _iterations}, {@code _learning_rate}, then one list per slot
 * kind (Adam: {@code _momentums/<j>}, {@code _velocities/<j>}).
 */
public abstract class KerasOptimizer<T extends TFloating> implements Optimizer<T> {
  private final String name;
  private final Class<T> dtype;
  private final List<Weight> weights;
  private final ResourceVariable<TInt64> iterations;
  private final ResourceVariable<T> learningRate;
  /** Slot kind (its Keras attribute, e.g. {@code _momentums}) to one variable per weight. */
  private final Map<String, List<ResourceVariable<T>>> slots = new LinkedHashMap<>();
  private final List<Op> initOps = new ArrayList<>();

  /**
   * @param slotNames the Keras attributes of the slot lists, in creation order per weight
   */
  protected KerasOptimizer(Ops tf, String name, double learningRate, List<Weight> weights, Class<T> dtype,
      List<String> slotNames) {
    this.name = name;
    this.dtype = FloatTypes.require(dtype);
    this.weights = List.copyOf(weights);
    Ops scope = tf.withSubScope(name);
    iterations = ResourceVariable.create(scope.withName("iteration"), name + "/iteration", TInt64.class, Shape.scalar());
    initOps.add(iterations.assign(scope, scope.constant(0L)));
    // Keras creates the learning rate in floatx (float64 under the float64 reference).
    this.learningRate = ResourceVariable.create(scope.withName("learning_rate"), name + "/learning_rate", dtype,
        Shape.scalar());
    initOps.add(this.learningRate.assign(scope, FloatTypes.constant(scope, learningRate, dtype)));
    slotNames.forEach(s -> slots.put(s, new ArrayList<>()));
    for (int i = 0; i < this.weights.size(); i++) {
      Weight w = this.weights.get(i);
      if (!w.trainable()) {
        throw new IllegalArgumentException(name + ": expected trainable weights only, got " + w.path());
      }
      for (String slot : slotNames) {
        // Named m_0, v_0, ... in the graph (the slot's first letter after the underscore).
        String slotName = slot.charAt(1) + "_" + i;
        ResourceVariable<T> v = ResourceVariable.create(scope.withName(slotName), name + "/" + slotName, dtype, w.shape());
        initOps.add(v.assign(scope, scope.fill(scope.constant(w.shape().asArray()), FloatTypes.constant(scope, 0, dtype))));
        slots.get(slot).add(v);
      }
    }
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public Class<T> dtype() {
    return dtype;
  }

  @Override
  public List<Weight> weights() {
    return weights;
  }

  @Override
  public ResourceVariable<TInt64> iterations() {
    return iterations;
  }

  public ResourceVariable<T> learningRate() {
    return learningRate;
  }

  /** One slot variable per weight, e.g. {@code slot("_momentums")}. */
  protected List<ResourceVariable<T>> slot(String kind) {
    return slots.get(kind);
  }

  @Override
  public List<Op> initOps() {
    return List.copyOf(initOps);
  }

  @Override
  public void trackChildren(Children children) {
    SavedVariable it = new SavedVariable(name + "/iteration", iterations, Shape.scalar());
    SavedVariable lr = new SavedVariable(name + "/learning_rate", learningRate, Shape.scalar());
    Map<String, List<SavedVariable>> saved = new LinkedHashMap<>();
    slots.forEach((kind, vars) -> {
      List<SavedVariable> list = new ArrayList<>();
      for (int j = 0; j < vars.size(); j++) {
        list.add(new SavedVariable(name + "/" + kind.charAt(1) + "/" + weights.get(j).path(), vars.get(j),
            weights.get(j).shape()));
      }
      saved.put(kind, list);
    });
    // Child order as Keras 3 lists them; it decides which path names a shared value.
    children.object("_variables", c -> {
      c.link("0", it);
      c.link("1", lr);
      int k = 2;
      for (int j = 0; j < weights.size(); j++) {
        for (List<SavedVariable> kind : saved.values()) {
          c.link(Integer.toString(k++), kind.get(j));
        }
      }
    });
    children.object("_trainable_variables", c -> {
      for (int j = 0; j < weights.size(); j++) {
        c.link(Integer.toString(j), weights.get(j).saved());
      }
    });
    children.variable("_iterations", it);
    children.variable("_learning_rate", lr);
    saved.forEach((kind, list) -> children.object(kind, c -> {
      for (int j = 0; j < list.size(); j++) {
        c.variable(Integer.toString(j), list.get(j));
      }
    }));
  }
}

package io.jgan.optim;

import io.jgan.nn.FloatTypes;
import io.jgan.nn.ResourceVariable;
import io.jgan.nn.SavedVariable;
import io.jgan.nn.Weight;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
 *
 * <p>The slots are created as the Keras optimizer's {@code build} creates them, one
 * {@code add_optimizer_variables} call after another ({@link Slot}): a call naming two kinds makes
 * both slots of weight 0, then both of weight 1 (Adam: m0, v0, m1, v1), while two calls make every
 * slot of the first kind before the second (RMSprop: every velocity, then every momentum). That
 * order numbers {@code _variables}, so it decides every slot's checkpoint key.
 *
 * <p>A subclass passes its layout and writes {@link #apply}:
 * <pre>{@code
 * super(tf, name, settings.learningRate(), weights, dtype,
 *     List.of(List.of(new Slot("_momentums", "m"), new Slot("_velocities", "v"))));
 * }</pre>
 */
public abstract class KerasOptimizer<T extends TFloating> implements Optimizer<T> {
  private final String name;
  private final Class<T> dtype;
  private final List<Weight> weights;
  private final ResourceVariable<TInt64> iterations;
  private final ResourceVariable<T> learningRate;
  /** Slot kind (its Keras attribute, e.g. {@code _momentums}) to one variable per weight. */
  private final Map<String, List<ResourceVariable<T>>> slots = new LinkedHashMap<>();
  private final Map<String, String> shortNameOf = new LinkedHashMap<>();
  /** Every slot variable in creation order (Keras's {@code _variables} after iterations and learning rate). */
  private final List<ResourceVariable<T>> created = new ArrayList<>();
  private final List<Op> initOps = new ArrayList<>();

  /**
   * One kind of per-weight slot, e.g. {@code new Slot("_velocities", "velocity")}.
   *
   * @param attribute the Keras attribute listing these slots, which names the list in a checkpoint
   *     ({@code _momentums}; SGD's is {@code momentums})
   * @param shortName names its variables in the graph ({@code m_0}) and in messages
   *     ({@code generator_optimizer/m/generator/0_dense/kernel})
   */
  protected record Slot(String attribute, String shortName) {
    /**
     * Checks that both names are present.
     *
     * @param attribute the Keras attribute listing these slots
     * @param shortName names its variables in the graph and in messages
     */
    public Slot {
      if (attribute == null || attribute.isEmpty() || shortName == null || shortName.isEmpty()) {
        throw new IllegalArgumentException("expected a slot attribute and short name, got " + attribute + ", " + shortName);
      }
    }
  }

  /**
   * Creates {@code iterations}, the learning rate and every slot, with the ops that initialise them.
   *
   * @param tf where the state variables go (under the sub-scope {@code name})
   * @param name scope of the state variables, e.g. {@code generator_optimizer}
   * @param learningRate the learning rate variable's initial value
   * @param weights the trainable weights it updates, in order
   * @param dtype the weights' type, which the slots and the learning rate take
   * @param creation the Keras optimizer's {@code add_optimizer_variables} calls in order, each
   *     naming the slot kinds it creates (see the class comment); no kind twice
   */
  protected KerasOptimizer(Ops tf, String name, double learningRate, List<Weight> weights, Class<T> dtype,
      List<List<Slot>> creation) {
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
    for (Weight w : this.weights) {
      if (!w.trainable()) {
        throw new IllegalArgumentException(name + ": expected trainable weights only, got " + w.path());
      }
    }
    Set<String> shortNames = new HashSet<>();
    for (List<Slot> call : creation) {
      for (Slot slot : call) {
        if (slots.containsKey(slot.attribute()) || !shortNames.add(slot.shortName())) {
          throw new IllegalArgumentException(name + ": expected each slot kind once, got " + slot + " again");
        }
        slots.put(slot.attribute(), new ArrayList<>());
        shortNameOf.put(slot.attribute(), slot.shortName());
      }
    }
    for (List<Slot> call : creation) {
      for (int i = 0; i < this.weights.size(); i++) {
        Weight w = this.weights.get(i);
        for (Slot slot : call) {
          // Named m_0, v_0, velocity_0, ... in the graph.
          String slotName = slot.shortName() + "_" + i;
          ResourceVariable<T> v = ResourceVariable.create(scope.withName(slotName), name + "/" + slotName, dtype, w.shape());
          initOps.add(v.assign(scope, scope.fill(scope.constant(w.shape().asArray()), FloatTypes.constant(scope, 0, dtype))));
          slots.get(slot.attribute()).add(v);
          created.add(v);
        }
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

  /**
   * The learning rate as Keras keeps it, a variable ({@code _learning_rate}) in the weights' type.
   *
   * @return the learning rate variable
   */
  public ResourceVariable<T> learningRate() {
    return learningRate;
  }

  /**
   * One slot variable per weight, e.g. {@code slot("_momentums")}.
   *
   * @param kind the slot kind's Keras attribute
   * @return its variables in the weights' order; empty for a kind this optimizer did not create
   */
  protected List<ResourceVariable<T>> slot(String kind) {
    return slots.getOrDefault(kind, List.of());
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
    Map<ResourceVariable<T>, SavedVariable> byVariable = new IdentityHashMap<>();
    slots.forEach((kind, vars) -> {
      List<SavedVariable> list = new ArrayList<>();
      for (int j = 0; j < vars.size(); j++) {
        SavedVariable v = new SavedVariable(name + "/" + shortNameOf.get(kind) + "/" + weights.get(j).path(), vars.get(j),
            weights.get(j).shape());
        list.add(v);
        byVariable.put(vars.get(j), v);
      }
      saved.put(kind, list);
    });
    // Child order as Keras 3 lists them; it decides which path names a shared value.
    children.object("_variables", c -> {
      c.link("0", it);
      c.link("1", lr);
      int k = 2;
      for (ResourceVariable<T> v : created) {
        c.link(Integer.toString(k++), byVariable.get(v));
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

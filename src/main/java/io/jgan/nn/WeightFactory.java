package io.jgan.nn;

import java.util.ArrayList;
import java.util.List;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.types.family.TFloating;

/**
 * Creates the variables of one network, all of one floating type, and remembers how to
 * initialise them.
 *
 * <p>Variables are resource variables, as Keras 3 creates them; their initial values are seeded on (run seed, the
 * variable's path), so a weight's starting value does not depend on what else is in the graph.
 * Nothing runs at construction: {@link #initOps()} are run for a fresh start, a checkpoint restore
 * replaces them otherwise.
 *
 * <pre>{@code
 * WeightFactory weights = new WeightFactory(tf, "generator", 42, TFloat32.class);
 * Shape out = new Dense(256).build(Shape.of(100), weights.layer("dense"));   // [256]
 * List<Op> init = weights.initOps();
 * }</pre>
 */
public final class WeightFactory {
  private final Ops networkOps;
  private final String networkName;
  private final long runSeed;
  private final Class<? extends TFloating> dtype;
  private final List<Weight> weights = new ArrayList<>();
  private final List<Op> initOps = new ArrayList<>();

  /**
   * @param dtype the type of every variable ({@code TFloat32} for training, {@code TFloat64} for
   *     the float64 parity checks)
   */
  public WeightFactory(Ops tf, String networkName, long runSeed, Class<? extends TFloating> dtype) {
    this.networkOps = tf.withSubScope(networkName);
    this.networkName = networkName;
    this.runSeed = runSeed;
    this.dtype = FloatTypes.require(dtype);
  }

  public Class<? extends TFloating> dtype() {
    return dtype;
  }

  /** An Ops under which one layer creates its variables ({@code network/layerName/...}). */
  public LayerScope layer(String layerName) {
    return new LayerScope(networkOps.withSubScope(layerName), layerName);
  }

  public List<Weight> weights() {
    return List.copyOf(weights);
  }

  /** Assign ops that give every variable of this network its initial value. */
  public List<Op> initOps() {
    return List.copyOf(initOps);
  }

  /** Variable creation for one layer. */
  public final class LayerScope {
    private final Ops layerOps;
    private final String layerName;

    private LayerScope(Ops layerOps, String layerName) {
      this.layerOps = layerOps;
      this.layerName = layerName;
    }

    public Weight create(String name, Shape shape, Initializer init, boolean trainable) {
      return create(name, name, shape, init, trainable);
    }

    /** A weight that Keras 3 tracks under another attribute name (Dense's {@code _kernel}). */
    public Weight create(String name, String trackableName, Shape shape, Initializer init, boolean trainable) {
      return create(name, trackableName, shape, init, trainable, dtype);
    }

    private <T extends TFloating> Weight create(String name, String trackableName, Shape shape, Initializer init,
        boolean trainable, Class<T> type) {
      String path = networkName + "/" + layerName + "/" + name;
      ResourceVariable<T> variable = ResourceVariable.create(layerOps.withName(name), path, type, shape);
      // String.hashCode is specified by the JLS, so the key is stable across JVMs.
      var key = RandomSource.fixedKey(layerOps, runSeed, RandomSource.STREAM_INIT, path.hashCode());
      initOps.add(variable.assign(layerOps, init.create(layerOps, shape, key, type)));
      Weight weight = new Weight(name, trackableName, path, variable, shape, trainable);
      weights.add(weight);
      return weight;
    }
  }
}

package io.jgan.optim;

import io.jgan.nn.FloatTypes;
import io.jgan.nn.ResourceVariable;
import io.jgan.nn.Weight;
import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.types.family.TFloating;

/**
 * Stochastic gradient descent, with optional momentum (Polyak, 1964) or Nesterov momentum
 * (Sutskever et al., 2013), with the Keras 3 update and the Keras 3 state layout.
 *
 * <p>Per weight, in Keras 3's order of operations:
 * <pre>
 * var -= g * lr                                  (momentum = 0)
 * m = m * momentum - g * lr; var += m            (momentum &gt; 0)
 * m = m * momentum - g * lr; var += m * momentum - g * lr   (Nesterov)
 * </pre>
 * then {@code iterations += 1}. Keras takes the momentum through {@code ops.cast(self.momentum,
 * dtype)}, which makes a float32 tensor of the Python float before casting it: a float64
 * optimizer multiplies by {@code (double) 0.9f}, not by 0.9, and so does this one.
 *
 * <p>Slots: a momentum per weight ({@code momentums}, without Keras's usual underscore) when
 * momentum is positive; none otherwise.
 *
 * <pre>{@code
 * Optimizer.Factory plain = Sgd.Settings.keras(0.01);
 * Optimizer.Factory heavyBall = Sgd.Settings.keras(0.01).momentum(0.9);
 * Optimizer.Factory nesterov = Sgd.Settings.keras(0.01).nesterov(0.9);
 * Optimizer<TFloat32> optimizer = nesterov.create(tf, "generator_optimizer", weights, TFloat32.class);
 * }</pre>
 *
 * @param <T> the weights' type, which the slots and the learning rate share
 */
public final class Sgd<T extends TFloating> extends KerasOptimizer<T> {
  /** Keras 3's default learning rate. */
  public static final double LEARNING_RATE_DEFAULT = 0.01;
  /** Keras 3's default momentum: none. */
  public static final double MOMENTUM_DEFAULT = 0.0;

  static final String MOMENTUMS = "momentums";

  /** How the momentum enters the update: Keras's {@code nesterov} argument. */
  public enum MomentumKind {
    /** {@code var += m} (Keras's {@code nesterov=False}, the default). */
    CLASSICAL,
    /** {@code var += m * momentum - g * lr}: a step from where momentum is taking the weights (Keras's {@code nesterov=True}). */
    NESTEROV
  }

  /**
   * The hyperparameters of one SGD optimizer; also the factory a preset names.
   *
   * <pre>{@code
   * Sgd.Settings plain = Sgd.Settings.keras(0.01);             // no momentum
   * Sgd.Settings nesterov = Sgd.Settings.keras(0.01).nesterov(0.9);
   * }</pre>
   *
   * @param learningRate positive
   * @param momentum in [0, 1], as Keras requires; 0 for none (no slots)
   * @param kind classical or Nesterov momentum; Nesterov needs a positive momentum
   */
  public record Settings(double learningRate, double momentum, MomentumKind kind) implements Optimizer.Factory {
    /**
     * Checks every value; "expected X, got Y" otherwise.
     *
     * @param learningRate positive
     * @param momentum in [0, 1]
     * @param kind not null; Nesterov only with a positive momentum
     */
    public Settings {
      check(learningRate > 0 && Double.isFinite(learningRate), "learning rate", learningRate, "a positive number");
      check(momentum >= 0 && momentum <= 1, "momentum", momentum, "a value in [0, 1]");
      if (kind == null) {
        throw new IllegalArgumentException("SGD momentum kind: expected CLASSICAL or NESTEROV, got null");
      }
      // Keras accepts nesterov=True with momentum 0 and silently runs plain SGD; say so instead.
      check(kind == MomentumKind.CLASSICAL || momentum > 0, "Nesterov momentum", momentum, "a positive value");
    }

    /**
     * Keras's {@code SGD(learning_rate)}.
     *
     * @param learningRate positive
     * @return plain SGD, no momentum
     */
    public static Settings keras(double learningRate) {
      return new Settings(learningRate, MOMENTUM_DEFAULT, MomentumKind.CLASSICAL);
    }

    /**
     * Keras's {@code SGD()}.
     *
     * @return plain SGD with learning rate {@value Sgd#LEARNING_RATE_DEFAULT}
     */
    public static Settings keras() {
      return keras(LEARNING_RATE_DEFAULT);
    }

    /**
     * These settings with another momentum, of the same kind (Keras's {@code momentum}).
     *
     * @param momentum in [0, 1]; 0 for none
     * @return a copy with that momentum
     */
    public Settings momentum(double momentum) {
      return new Settings(learningRate, momentum, kind);
    }

    /**
     * These settings with Nesterov momentum (Keras's {@code momentum=..., nesterov=True}).
     *
     * @param momentum in (0, 1]
     * @return a copy with that momentum, Nesterov's kind
     */
    public Settings nesterov(double momentum) {
      return new Settings(learningRate, momentum, MomentumKind.NESTEROV);
    }

    @Override
    public <U extends TFloating> Optimizer<U> create(Ops tf, String name, List<Weight> weights, Class<U> dtype) {
      return new Sgd<>(tf, name, this, weights, dtype);
    }

    private static void check(boolean ok, String what, double value, String expected) {
      if (!ok) {
        throw new IllegalArgumentException("SGD " + what + ": expected " + expected + ", got " + value);
      }
    }
  }

  private final Settings settings;

  /**
   * Creates the optimizer's state for {@code weights} (its network's trainable weights, in order).
   *
   * @param tf where the state variables go
   * @param name scope of the state variables, e.g. {@code generator_optimizer}
   * @param settings its hyperparameters
   * @param weights the trainable weights it updates, in order
   * @param dtype the weights' type, which the slots and the learning rate take
   */
  public Sgd(Ops tf, String name, Settings settings, List<Weight> weights, Class<T> dtype) {
    super(tf, name, settings.learningRate(), weights, dtype,
        settings.momentum() != 0 ? List.of(List.of(new Slot(MOMENTUMS, "momentum"))) : List.of());
    this.settings = settings;
  }

  /**
   * The hyperparameters it was made with.
   *
   * @return its settings
   */
  public Settings settings() {
    return settings;
  }

  @Override
  public Op apply(Ops tf, List<? extends Operand<T>> gradients) {
    List<Weight> weights = weights();
    if (gradients.size() != weights.size()) {
      throw new IllegalArgumentException(name() + ": expected " + weights.size() + " gradients, got " + gradients.size());
    }
    Operand<T> lr = learningRate().read(tf);
    // ops.cast(self.momentum, dtype): the Python float becomes a float32 tensor, then the weights' type.
    Operand<T> momentum = tf.dtypes.cast(tf.constant((float) settings.momentum()), dtype());
    List<Op> updates = new ArrayList<>();
    for (int i = 0; i < weights.size(); i++) {
      Operand<T> g = gradients.get(i);
      ResourceVariable<T> variable = weights.get(i).as(dtype());
      if (settings.momentum() == 0) {
        updates.add(variable.assignSub(tf, tf.math.mul(g, lr)));
        continue;
      }
      ResourceVariable<T> m = momentums().get(i);
      // m = m * momentum - g * lr, read again after the assign (Keras's next use of m).
      Op assignM = m.assign(tf, tf.math.sub(tf.math.mul(m.read(tf), momentum), tf.math.mul(g, lr)));
      Operand<T> newM = m.read(tf.withControlDependencies(List.of(assignM)));
      Operand<T> delta = settings.kind() == MomentumKind.NESTEROV
          ? tf.math.sub(tf.math.mul(newM, momentum), tf.math.mul(g, lr))
          : newM;
      updates.add(variable.assignAdd(tf, delta));
    }
    return iterations().assignAdd(tf.withControlDependencies(updates), tf.constant(1L));
  }

  /**
   * The momentum slots ({@code momentums}).
   *
   * @return one per weight; empty without momentum
   */
  public List<ResourceVariable<T>> momentums() {
    return slot(MOMENTUMS);
  }
}

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
 * RMSprop (Hinton, 2012, lecture 6e) with the Keras 3 update and the Keras 3 state layout:
 * gradients divided by the root of a moving average of their squares.
 *
 * <p>Per weight, in Keras 3's order of operations:
 * <pre>
 * v = rho * v + (1 - rho) * g^2
 * a = rho * a + (1 - rho) * g                        (centered only)
 * denominator = v - a^2 + epsilon  (centered)  or  v + epsilon
 * increment = (lr * g) / sqrt(denominator)
 * m = momentum * m + increment; var -= m             (momentum &gt; 0)
 * var -= increment                                   (momentum = 0)
 * </pre>
 * then {@code iterations += 1}. Every hyperparameter is a double rounded once to the weights'
 * type, as Keras's {@code ops.multiply(rho, v)} and {@code ops.add(v, epsilon)} convert a Python
 * float; {@code 1 - rho} is computed in double first, as Python does.
 *
 * <p>Slots, created as Keras 3's {@code build} creates them: a velocity {@code v} per weight
 * ({@code _velocities}), then a momentum per weight ({@code _momentums}) when momentum is positive,
 * then an average gradient per weight ({@code _average_gradients}) when centered. Checkpoint keys
 * follow that order ({@code _variables/2} is the velocity of weight 0).
 *
 * <pre>{@code
 * Optimizer.Factory critic = RmsProp.Settings.keras(5e-5);               // the WGAN paper's optimizer
 * Optimizer.Factory other = RmsProp.Settings.keras(1e-3).momentum(0.9).centered();
 * Optimizer<TFloat32> optimizer = critic.create(tf, "critic_optimizer", weights, TFloat32.class);
 * }</pre>
 *
 * @param <T> the weights' type, which the slots and the learning rate share
 */
public final class RmsProp<T extends TFloating> extends KerasOptimizer<T> {
  /** Keras 3's default learning rate. */
  public static final double LEARNING_RATE_DEFAULT = 0.001;
  /** Keras 3's default discounting factor of the moving averages. */
  public static final double RHO_DEFAULT = 0.9;
  /** Keras 3's default momentum: none. */
  public static final double MOMENTUM_DEFAULT = 0.0;
  /** Keras 3's default epsilon, added to the denominator under the square root. */
  public static final double EPSILON_DEFAULT = 1e-7;

  static final String VELOCITIES = "_velocities";
  static final String MOMENTUMS = "_momentums";
  static final String AVERAGE_GRADIENTS = "_average_gradients";

  /** What the gradient is divided by: Keras's {@code centered} argument. */
  public enum Centering {
    /** By the root of the moving average of g^2 (Keras's {@code centered=False}, the default). */
    UNCENTERED,
    /** By the root of the estimated variance, mean(g^2) - mean(g)^2 (Keras's {@code centered=True}). */
    CENTERED
  }

  /**
   * The hyperparameters of one RMSprop optimizer; also the factory a preset names.
   *
   * <pre>{@code
   * RmsProp.Settings plain = RmsProp.Settings.keras(5e-5);        // rho 0.9, no momentum, epsilon 1e-7
   * RmsProp.Settings tuned = plain.rho(0.95).momentum(0.9).centered();
   * }</pre>
   *
   * @param learningRate positive
   * @param rho discounting factor of the moving averages, in [0, 1)
   * @param momentum in [0, 1]; 0 for none (no momentum slots)
   * @param epsilon positive
   * @param centering whether to divide by the variance rather than the second moment
   */
  public record Settings(double learningRate, double rho, double momentum, double epsilon, Centering centering)
      implements Optimizer.Factory {
    /**
     * Checks every value; "expected X, got Y" otherwise.
     *
     * @param learningRate positive
     * @param rho in [0, 1)
     * @param momentum in [0, 1]
     * @param epsilon positive
     * @param centering not null
     */
    public Settings {
      check(learningRate > 0 && Double.isFinite(learningRate), "learning rate", learningRate, "a positive number");
      check(rho >= 0 && rho < 1, "rho", rho, "a value in [0, 1)");
      check(momentum >= 0 && momentum <= 1, "momentum", momentum, "a value in [0, 1]");
      check(epsilon > 0 && Double.isFinite(epsilon), "epsilon", epsilon, "a positive number");
      if (centering == null) {
        throw new IllegalArgumentException("RMSprop centering: expected UNCENTERED or CENTERED, got null");
      }
    }

    /**
     * Keras's {@code RMSprop(learning_rate)} with the other values at their defaults.
     *
     * @param learningRate positive
     * @return rho {@value RmsProp#RHO_DEFAULT}, no momentum, epsilon {@value RmsProp#EPSILON_DEFAULT}, uncentered
     */
    public static Settings keras(double learningRate) {
      return new Settings(learningRate, RHO_DEFAULT, MOMENTUM_DEFAULT, EPSILON_DEFAULT, Centering.UNCENTERED);
    }

    /**
     * Keras's {@code RMSprop()}.
     *
     * @return every value at its default, learning rate {@value RmsProp#LEARNING_RATE_DEFAULT}
     */
    public static Settings keras() {
      return keras(LEARNING_RATE_DEFAULT);
    }

    /**
     * These settings with another discounting factor.
     *
     * @param rho in [0, 1)
     * @return a copy with that rho
     */
    public Settings rho(double rho) {
      return new Settings(learningRate, rho, momentum, epsilon, centering);
    }

    /**
     * These settings with momentum (Keras's {@code momentum}).
     *
     * @param momentum in [0, 1]; 0 for none
     * @return a copy with that momentum
     */
    public Settings momentum(double momentum) {
      return new Settings(learningRate, rho, momentum, epsilon, centering);
    }

    /**
     * These settings with another epsilon.
     *
     * @param epsilon positive
     * @return a copy with that epsilon
     */
    public Settings epsilon(double epsilon) {
      return new Settings(learningRate, rho, momentum, epsilon, centering);
    }

    /**
     * These settings, centered (Keras's {@code centered=True}).
     *
     * @return a copy that divides by the estimated variance
     */
    public Settings centered() {
      return new Settings(learningRate, rho, momentum, epsilon, Centering.CENTERED);
    }

    @Override
    public <U extends TFloating> Optimizer<U> create(Ops tf, String name, List<Weight> weights, Class<U> dtype) {
      return new RmsProp<>(tf, name, this, weights, dtype);
    }

    private static void check(boolean ok, String what, double value, String expected) {
      if (!ok) {
        throw new IllegalArgumentException("RMSprop " + what + ": expected " + expected + ", got " + value);
      }
    }
  }

  private final Settings settings;

  /**
   * Creates the optimizer's state for {@code weights} (its network's trainable weights, in order).
   *
   * @param tf where the state variables go
   * @param name scope of the state variables, e.g. {@code critic_optimizer}
   * @param settings its hyperparameters
   * @param weights the trainable weights it updates, in order
   * @param dtype the weights' type, which the slots and the learning rate take
   */
  public RmsProp(Ops tf, String name, Settings settings, List<Weight> weights, Class<T> dtype) {
    super(tf, name, settings.learningRate(), weights, dtype, layout(settings));
    this.settings = settings;
  }

  /** Keras's build: one add_optimizer_variables call per slot kind, velocities first. */
  private static List<List<Slot>> layout(Settings settings) {
    List<List<Slot>> calls = new ArrayList<>();
    calls.add(List.of(new Slot(VELOCITIES, "velocity")));
    if (settings.momentum() > 0) {
      calls.add(List.of(new Slot(MOMENTUMS, "momentum")));
    }
    if (settings.centering() == Centering.CENTERED) {
      calls.add(List.of(new Slot(AVERAGE_GRADIENTS, "average_gradient")));
    }
    return calls;
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
    Operand<T> rho = constant(tf, settings.rho());
    // Python evaluates 1 - rho in double; the tensor gets that value rounded.
    Operand<T> oneMinusRho = constant(tf, 1.0 - settings.rho());
    Operand<T> epsilon = constant(tf, settings.epsilon());
    Operand<T> momentumFactor = constant(tf, settings.momentum());
    boolean centered = settings.centering() == Centering.CENTERED;
    boolean withMomentum = settings.momentum() > 0;
    List<Op> updates = new ArrayList<>();
    for (int i = 0; i < weights.size(); i++) {
      Operand<T> g = gradients.get(i);
      ResourceVariable<T> v = velocities().get(i);
      // velocity = rho * velocity + (1 - rho) * g^2
      Op assignV = v.assign(tf, tf.math.add(tf.math.mul(rho, v.read(tf)), tf.math.mul(oneMinusRho, tf.math.square(g))));
      List<Op> moments = new ArrayList<>(List.of(assignV));
      Op assignA = null;
      if (centered) {
        ResourceVariable<T> a = averageGradients().get(i);
        assignA = a.assign(tf, tf.math.add(tf.math.mul(rho, a.read(tf)), tf.math.mul(oneMinusRho, g)));
        moments.add(assignA);
      }
      // Keras reads the slots again after assigning them (program order in its tf.function).
      Ops updated = tf.withControlDependencies(moments);
      Operand<T> newV = v.read(updated);
      Operand<T> denominator = centered
          ? tf.math.add(tf.math.sub(newV, tf.math.square(averageGradients().get(i).read(updated))), epsilon)
          : tf.math.add(newV, epsilon);
      Operand<T> increment = tf.math.div(tf.math.mul(lr, g), tf.math.sqrt(denominator));
      ResourceVariable<T> variable = weights.get(i).as(dtype());
      if (withMomentum) {
        ResourceVariable<T> m = momentums().get(i);
        Op assignM = m.assign(tf, tf.math.add(tf.math.mul(momentumFactor, m.read(tf)), increment));
        updates.add(variable.assignSub(tf, m.read(tf.withControlDependencies(List.of(assignM)))));
      } else {
        updates.add(variable.assignSub(tf, increment));
      }
    }
    return iterations().assignAdd(tf.withControlDependencies(updates), tf.constant(1L));
  }

  private Operand<T> constant(Ops tf, double value) {
    return FloatTypes.constant(tf, value, dtype());
  }

  /**
   * The moving averages of the squared gradients ({@code _velocities}).
   *
   * @return one per weight
   */
  public List<ResourceVariable<T>> velocities() {
    return slot(VELOCITIES);
  }

  /**
   * The momentum slots ({@code _momentums}).
   *
   * @return one per weight; empty without momentum
   */
  public List<ResourceVariable<T>> momentums() {
    return slot(MOMENTUMS);
  }

  /**
   * The moving averages of the gradients ({@code _average_gradients}).
   *
   * @return one per weight; empty unless centered
   */
  public List<ResourceVariable<T>> averageGradients() {
    return slot(AVERAGE_GRADIENTS);
  }
}

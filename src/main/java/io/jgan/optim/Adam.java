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
 * Adam with the Keras 3 update and the Keras 3 state layout.
 *
 * <p>For step {@code t = iterations + 1}: {@code alpha = lr * sqrt(1 - beta2^t) / (1 - beta1^t)},
 * {@code m += (g - m)(1 - beta1)}, {@code v += (g^2 - v)(1 - beta2)},
 * {@code var -= alpha * m / (sqrt(v) + epsilon)}, then {@code iterations += 1}, computed op by op
 * in Keras 3's order and precision: the beta powers in the variables' type from the
 * {@code iterations} counter and the betas rounded to float32 (Keras's {@code ops.cast} of a Python
 * float), {@code 1 - beta} computed in double and rounded once to that type, as Python does. The
 * fused {@code ApplyAdam} kernel computes the same formula but {@code 1 - beta} in float32
 * ({@code 1 - 0.999f = 0.00099998713} instead of {@code 0.001f}), a bias that the parity checks saw
 * grow to 1e-2 of a weight tensor's scale within three steps. Deriving the powers from
 * {@code iterations} also avoids both bugs of tensorflow-framework 1.0.0's Adam (unordered
 * beta-power updates, and epsilon 1e-8 instead of Keras's 1e-7).
 *
 * <p>Slots: a momentum {@code m} ({@code _momentums}) and a velocity {@code v}
 * ({@code _velocities}) per weight, in the weights' type.
 *
 * <pre>{@code
 * Gan.Builder b = Gan.builder("my-gan").optimizer(Adam.Settings.keras(2e-4));   // Keras's Adam(2e-4)
 * Adam.Settings dcgan = new Adam.Settings(2e-4, 0.5, 0.999, 1e-7);
 * }</pre>
 */
public final class Adam<T extends TFloating> extends KerasOptimizer<T> {
  /** Keras 3 defaults. */
  public static final double LEARNING_RATE_DEFAULT = 0.001;
  public static final double BETA_1_DEFAULT = 0.9;
  public static final double BETA_2_DEFAULT = 0.999;
  public static final double EPSILON_DEFAULT = 1e-7;

  static final String MOMENTUMS = "_momentums";
  static final String VELOCITIES = "_velocities";

  /** The hyperparameters of one optimizer; also the factory a preset names. */
  public record Settings(double learningRate, double beta1, double beta2, double epsilon) implements Optimizer.Factory {
    public Settings {
      check(learningRate > 0, "learning rate", learningRate, "a positive number");
      check(beta1 >= 0 && beta1 < 1, "beta_1", beta1, "a value in [0, 1)");
      check(beta2 >= 0 && beta2 < 1, "beta_2", beta2, "a value in [0, 1)");
      check(epsilon > 0, "epsilon", epsilon, "a positive number");
    }

    /** Keras's {@code Adam(learning_rate)} with the other values at their defaults. */
    public static Settings keras(double learningRate) {
      return new Settings(learningRate, BETA_1_DEFAULT, BETA_2_DEFAULT, EPSILON_DEFAULT);
    }

    @Override
    public <U extends TFloating> Optimizer<U> create(Ops tf, String name, List<Weight> weights, Class<U> dtype) {
      return new Adam<>(tf, name, this, weights, dtype);
    }

    private static void check(boolean ok, String what, double value, String expected) {
      if (!ok) {
        throw new IllegalArgumentException("Adam " + what + ": expected " + expected + ", got " + value);
      }
    }
  }

  private final Settings settings;

  /**
   * Creates the optimizer's state for {@code weights} (its network's trainable weights, in order).
   *
   * @param name scope of the state variables, e.g. {@code generator_optimizer}
   * @param dtype the weights' type, which the slots and the learning rate take
   */
  public Adam(Ops tf, String name, Settings settings, List<Weight> weights, Class<T> dtype) {
    // Keras: self._momentums, self._velocities = self.add_optimizer_variables(var_list, ["momentum", "velocity"])
    super(tf, name, settings.learningRate(), weights, dtype,
        List.of(List.of(new Slot(MOMENTUMS, "m"), new Slot(VELOCITIES, "v"))));
    this.settings = settings;
  }

  @Override
  public Op apply(Ops tf, List<? extends Operand<T>> gradients) {
    List<Weight> weights = weights();
    if (gradients.size() != weights.size()) {
      throw new IllegalArgumentException(name() + ": expected " + weights.size() + " gradients, got " + gradients.size());
    }
    // t = iterations + 1 in the variables' type; beta powers in that type, as Keras computes them:
    // ops.cast(self.beta_1, dtype) converts the Python float to a float32 tensor first, so even a
    // float64 optimizer raises (double) 0.9f, not 0.9 (a 6.7e-6 relative difference in alpha).
    Operand<T> t = tf.dtypes.cast(tf.math.add(iterations().read(tf), tf.constant(1L)), dtype());
    Operand<T> beta1Power = tf.math.pow(constant(tf, (float) settings.beta1()), t);
    Operand<T> beta2Power = tf.math.pow(constant(tf, (float) settings.beta2()), t);
    Operand<T> one = constant(tf, 1);
    // alpha = lr * sqrt(1 - beta_2_power) / (1 - beta_1_power)
    Operand<T> alpha = tf.math.div(tf.math.mul(learningRate().read(tf), tf.math.sqrt(tf.math.sub(one, beta2Power))),
        tf.math.sub(one, beta1Power));
    // Python evaluates 1 - beta in double; the tensor gets that value rounded.
    Operand<T> oneMinusBeta1 = constant(tf, 1.0 - settings.beta1());
    Operand<T> oneMinusBeta2 = constant(tf, 1.0 - settings.beta2());
    Operand<T> epsilon = constant(tf, settings.epsilon());
    List<Op> updates = new ArrayList<>();
    for (int i = 0; i < weights.size(); i++) {
      Operand<T> g = gradients.get(i);
      ResourceVariable<T> m = momentums().get(i);
      ResourceVariable<T> v = velocities().get(i);
      // m.assign_add((g - m) * (1 - beta_1)), then m read again after the update (as Keras's next use of m).
      Op addM = m.assignAdd(tf, tf.math.mul(tf.math.sub(g, m.read(tf)), oneMinusBeta1));
      Op addV = v.assignAdd(tf, tf.math.mul(tf.math.sub(tf.math.square(g), v.read(tf)), oneMinusBeta2));
      Ops updated = tf.withControlDependencies(List.of(addM, addV));
      Operand<T> newM = m.read(updated);
      Operand<T> newV = v.read(updated);
      updates.add(weights.get(i).as(dtype()).assignSub(tf,
          tf.math.div(tf.math.mul(newM, alpha), tf.math.add(tf.math.sqrt(newV), epsilon))));
    }
    return iterations().assignAdd(tf.withControlDependencies(updates), tf.constant(1L));
  }

  private Operand<T> constant(Ops tf, double value) {
    return FloatTypes.constant(tf, value, dtype());
  }

  /** The first-moment slots, one per weight. */
  public List<ResourceVariable<T>> momentums() {
    return slot(MOMENTUMS);
  }

  /** The second-moment slots, one per weight. */
  public List<ResourceVariable<T>> velocities() {
    return slot(VELOCITIES);
  }
}

package io.jgan.optim;

import static io.jgan.optim.OptimizerFixture.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.jgan.nn.Trackable;
import io.jgan.store.Checkpoint;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TFloat64;

/**
 * RMSprop steps against the Keras 3 update, recomputed by hand in float64:
 * v = rho v + (1 - rho) g^2; a = rho a + (1 - rho) g (centered); d = v - a^2 + eps (centered) or v + eps;
 * inc = lr g / sqrt(d); m = mu m + inc, w -= m (momentum) or w -= inc.
 */
class RmsPropTest {
  static final long[][] ONE_VECTOR = {{3}};
  static final double[] W0 = {0.5, -1.0, 2.0};
  static final double[][] GRADS = {{0.1, -0.2, 0.3}, {0.05, 0.4, -1.0}, {-0.3, 0.0, 2.0}};

  @Test
  void threeUncenteredStepsWithoutMomentumMatchKerasFormula() {
    double lr = 0.01, rho = 0.8, eps = 1e-7;
    try (OptimizerFixture<TFloat64> f = new OptimizerFixture<>(TFloat64.class, ONE_VECTOR,
        RmsProp.Settings.keras(lr).rho(rho))) {
      f.setWeights(new double[][] {W0});
      RmsProp<TFloat64> rms = (RmsProp<TFloat64>) f.optimizer;
      double[] w = W0.clone(), v = new double[3];
      for (int t = 0; t < 3; t++) {
        f.step(new double[][] {GRADS[t]});
        for (int j = 0; j < 3; j++) {
          double g = GRADS[t][j];
          v[j] = rho * v[j] + (1 - rho) * g * g;
          w[j] -= lr * g / Math.sqrt(v[j] + eps);
        }
        assertClose(w, f.weight(0), 1e-12, "weights after step " + (t + 1));
        assertClose(v, f.read(rms.velocities().get(0)), 1e-12, "velocity after step " + (t + 1));
      }
      assertEquals(List.of(), rms.momentums());
      assertEquals(List.of(), rms.averageGradients());
      assertEquals(3L, f.iterations());
    }
  }

  @Test
  void threeCenteredStepsWithMomentumMatchKerasFormula() {
    double lr = 0.01, rho = 0.9, mu = 0.5, eps = 1e-3;
    RmsProp.Settings settings = RmsProp.Settings.keras(lr).momentum(mu).epsilon(eps).centered();
    try (OptimizerFixture<TFloat64> f = new OptimizerFixture<>(TFloat64.class, ONE_VECTOR, settings)) {
      f.setWeights(new double[][] {W0});
      RmsProp<TFloat64> rms = (RmsProp<TFloat64>) f.optimizer;
      double[][] expected = centeredWithMomentum(lr, rho, mu, eps);
      for (int t = 0; t < 3; t++) {
        f.step(new double[][] {GRADS[t]});
      }
      assertClose(expected[0], f.weight(0), 1e-12, "weights after 3 steps");
      assertClose(expected[1], f.read(rms.velocities().get(0)), 1e-12, "velocity");
      assertClose(expected[2], f.read(rms.averageGradients().get(0)), 1e-12, "average gradient");
      assertClose(expected[3], f.read(rms.momentums().get(0)), 1e-12, "momentum");
    }
  }

  @Test
  void float32FollowsTheSameFormula() {
    double lr = 0.01, rho = 0.9, mu = 0.5, eps = 1e-3;
    RmsProp.Settings settings = RmsProp.Settings.keras(lr).momentum(mu).epsilon(eps).centered();
    try (OptimizerFixture<TFloat32> f = new OptimizerFixture<>(TFloat32.class, ONE_VECTOR, settings)) {
      f.setWeights(new double[][] {W0});
      for (int t = 0; t < 3; t++) {
        f.step(new double[][] {GRADS[t]});
      }
      // The inputs are exact in float32 but for 0.1, 0.2, 0.3, 0.05: rounding of ~1e-7 relative.
      assertClose(centeredWithMomentum(lr, rho, mu, eps)[0], f.weight(0), 1e-6, "float32 weights after 3 steps");
    }
  }

  /** Weights, velocity, average gradient, momentum after the three steps, in float64. */
  private static double[][] centeredWithMomentum(double lr, double rho, double mu, double eps) {
    double[] w = W0.clone(), v = new double[3], a = new double[3], m = new double[3];
    for (int t = 0; t < 3; t++) {
      for (int j = 0; j < 3; j++) {
        double g = GRADS[t][j];
        v[j] = rho * v[j] + (1 - rho) * g * g;
        a[j] = rho * a[j] + (1 - rho) * g;
        double increment = lr * g / Math.sqrt(v[j] - a[j] * a[j] + eps);
        m[j] = mu * m[j] + increment;
        w[j] -= m[j];
      }
    }
    return new double[][] {w, v, a, m};
  }

  @Test
  void slotsTakeTheCheckpointKeysKeras3GivesThem() {
    // Keys from tf.train.list_variables on tf.train.Checkpoint(model=..., optimizer=RMSprop(momentum=0.5,
    // centered=True)) over two weights: build() adds every velocity, then every momentum, then every
    // average gradient, and _variables numbers them in that order after iterations (0) and the learning rate (1).
    try (OptimizerFixture<TFloat32> f = new OptimizerFixture<>(TFloat32.class, new long[][] {{2, 3}, {3}},
        RmsProp.Settings.keras(0.001).momentum(0.5).centered())) {
      RmsProp<TFloat32> rms = (RmsProp<TFloat32>) f.optimizer;
      Checkpoint checkpoint = checkpoint(f);
      String prefix = "optimizer/_variables/";
      String suffix = "/.ATTRIBUTES/VARIABLE_VALUE";
      for (int j = 0; j < 2; j++) {
        assertEquals(prefix + (2 + j) + suffix, checkpoint.objectGraph().key(rms.velocities().get(j)));
        assertEquals(prefix + (4 + j) + suffix, checkpoint.objectGraph().key(rms.momentums().get(j)));
        assertEquals(prefix + (6 + j) + suffix, checkpoint.objectGraph().key(rms.averageGradients().get(j)));
      }
      assertEquals("optimizer/_iterations" + suffix, checkpoint.objectGraph().key(rms.iterations()));
      assertEquals("optimizer/_learning_rate" + suffix, checkpoint.objectGraph().key(rms.learningRate()));
      // Two weights, iterations, learning rate, six slots, save_counter and the object graph: Python's list too.
      assertEquals(12, checkpoint.keys().size());
    }
  }

  static Checkpoint checkpoint(OptimizerFixture<?> f) {
    Map<String, Trackable> roots = new LinkedHashMap<>();
    roots.put("model", f.model());
    roots.put("optimizer", f.optimizer);
    return new Checkpoint(f.tf, roots, List.of(), List.of());
  }

  @Test
  void kerasDefaultsAreNamed() {
    RmsProp.Settings s = RmsProp.Settings.keras();
    assertEquals(0.001, s.learningRate());
    assertEquals(0.9, s.rho());
    assertEquals(0.0, s.momentum());
    assertEquals(1e-7, s.epsilon());
    assertEquals(RmsProp.Centering.UNCENTERED, s.centering());
    RmsProp.Settings tuned = RmsProp.Settings.keras(5e-5).rho(0.95).momentum(0.9).epsilon(1e-6).centered();
    assertEquals(new RmsProp.Settings(5e-5, 0.95, 0.9, 1e-6, RmsProp.Centering.CENTERED), tuned);
  }

  @Test
  void rejectsOutOfRangeSettings() {
    assertEquals("RMSprop learning rate: expected a positive number, got 0.0",
        assertThrows(IllegalArgumentException.class, () -> RmsProp.Settings.keras(0)).getMessage());
    assertEquals("RMSprop rho: expected a value in [0, 1), got 1.0",
        assertThrows(IllegalArgumentException.class, () -> RmsProp.Settings.keras().rho(1)).getMessage());
    assertEquals("RMSprop momentum: expected a value in [0, 1], got -0.1",
        assertThrows(IllegalArgumentException.class, () -> RmsProp.Settings.keras().momentum(-0.1)).getMessage());
    assertEquals("RMSprop epsilon: expected a positive number, got 0.0",
        assertThrows(IllegalArgumentException.class, () -> RmsProp.Settings.keras().epsilon(0)).getMessage());
    assertThrows(IllegalArgumentException.class, () -> new RmsProp.Settings(0.001, 0.9, 0, 1e-7, null));
  }

  @Test
  void rejectsAGradientListOfTheWrongLength() {
    try (OptimizerFixture<TFloat32> f = new OptimizerFixture<>(TFloat32.class, ONE_VECTOR, RmsProp.Settings.keras())) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> f.optimizer.apply(f.tf, List.of()));
      assertEquals("optimizer: expected 1 gradients, got 0", e.getMessage());
    }
  }
}

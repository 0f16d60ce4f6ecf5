package io.jgan.optim;

import static io.jgan.optim.OptimizerFixture.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jgan.store.Checkpoint;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TFloat64;

/**
 * SGD steps against the Keras 3 update, recomputed by hand in float64: w -= g lr without momentum;
 * m = m mu - g lr, then w += m (classical) or w += m mu - g lr (Nesterov). Keras casts the momentum
 * with ops.cast, through a float32 tensor: mu is (double) 0.9f in float64.
 */
class SgdTest {
  static final long[][] ONE_VECTOR = {{3}};
  static final double[] W0 = {0.5, -1.0, 2.0};
  static final double[][] GRADS = {{0.1, -0.2, 0.3}, {0.05, 0.4, -1.0}, {-0.3, 0.0, 2.0}};

  @Test
  void threePlainStepsMatchKerasFormula() {
    double lr = 0.1;
    try (OptimizerFixture<TFloat64> f = new OptimizerFixture<>(TFloat64.class, ONE_VECTOR, Sgd.Settings.keras(lr))) {
      f.setWeights(new double[][] {W0});
      double[] w = W0.clone();
      for (int t = 0; t < 3; t++) {
        f.step(new double[][] {GRADS[t]});
        for (int j = 0; j < 3; j++) {
          w[j] -= GRADS[t][j] * lr;
        }
        assertClose(w, f.weight(0), 1e-15, "weights after step " + (t + 1));
      }
      assertEquals(List.of(), ((Sgd<TFloat64>) f.optimizer).momentums());
      assertEquals(3L, f.iterations());
    }
  }

  @Test
  void threeMomentumStepsMatchKerasFormulaWithTheMomentumRoundedToFloat32() {
    double lr = 0.1;
    double mu = (double) 0.9f; // Keras: ops.cast(0.9, "float64") == float64(float32(0.9))
    try (OptimizerFixture<TFloat64> f = new OptimizerFixture<>(TFloat64.class, ONE_VECTOR,
        Sgd.Settings.keras(lr).momentum(0.9))) {
      f.setWeights(new double[][] {W0});
      Sgd<TFloat64> sgd = (Sgd<TFloat64>) f.optimizer;
      double[] w = W0.clone(), m = new double[3], wIfDouble = W0.clone(), mIfDouble = new double[3];
      for (int t = 0; t < 3; t++) {
        f.step(new double[][] {GRADS[t]});
        for (int j = 0; j < 3; j++) {
          m[j] = m[j] * mu - GRADS[t][j] * lr;
          w[j] += m[j];
          mIfDouble[j] = mIfDouble[j] * 0.9 - GRADS[t][j] * lr;
          wIfDouble[j] += mIfDouble[j];
        }
        assertClose(w, f.weight(0), 1e-15, "weights after step " + (t + 1));
        assertClose(m, f.read(sgd.momentums().get(0)), 1e-15, "momentum after step " + (t + 1));
      }
      // The rounding is visible at this tolerance: an optimizer multiplying by 0.9 itself would fail above.
      double gap = 0;
      for (int j = 0; j < 3; j++) {
        gap = Math.max(gap, Math.abs(w[j] - wIfDouble[j]));
      }
      assertTrue(gap > 1e-10, "the float32 rounding of 0.9 moves the weights by " + gap);
    }
  }

  @Test
  void threeNesterovStepsMatchKerasFormula() {
    double lr = 0.05, mu = 0.75; // exact in float32: no rounding question here
    try (OptimizerFixture<TFloat64> f = new OptimizerFixture<>(TFloat64.class, ONE_VECTOR, Sgd.Settings.keras(lr).nesterov(mu))) {
      f.setWeights(new double[][] {W0});
      Sgd<TFloat64> sgd = (Sgd<TFloat64>) f.optimizer;
      double[] w = W0.clone(), m = new double[3];
      for (int t = 0; t < 3; t++) {
        f.step(new double[][] {GRADS[t]});
        for (int j = 0; j < 3; j++) {
          m[j] = m[j] * mu - GRADS[t][j] * lr;
          w[j] += m[j] * mu - GRADS[t][j] * lr;
        }
        assertClose(w, f.weight(0), 1e-15, "weights after step " + (t + 1));
        assertClose(m, f.read(sgd.momentums().get(0)), 1e-15, "momentum after step " + (t + 1));
      }
    }
  }

  @Test
  void float32FollowsTheSameFormula() {
    double lr = 0.05, mu = 0.75;
    try (OptimizerFixture<TFloat32> f = new OptimizerFixture<>(TFloat32.class, ONE_VECTOR, Sgd.Settings.keras(lr).nesterov(mu))) {
      f.setWeights(new double[][] {W0});
      double[] w = W0.clone(), m = new double[3];
      for (int t = 0; t < 3; t++) {
        f.step(new double[][] {GRADS[t]});
        for (int j = 0; j < 3; j++) {
          m[j] = m[j] * mu - GRADS[t][j] * lr;
          w[j] += m[j] * mu - GRADS[t][j] * lr;
        }
      }
      assertClose(w, f.weight(0), 1e-6, "float32 weights after 3 steps");
    }
  }

  @Test
  void momentumSlotsTakeTheCheckpointKeysKeras3GivesThem() {
    // Keys from tf.train.list_variables on tf.train.Checkpoint(model=..., optimizer=SGD(momentum=0.5)) over
    // two weights: the slots are listed as "momentums" (no underscore) and numbered 2, 3 in _variables.
    try (OptimizerFixture<TFloat32> f = new OptimizerFixture<>(TFloat32.class, new long[][] {{2, 3}, {3}},
        Sgd.Settings.keras().momentum(0.5))) {
      Sgd<TFloat32> sgd = (Sgd<TFloat32>) f.optimizer;
      Checkpoint checkpoint = RmsPropTest.checkpoint(f);
      for (int j = 0; j < 2; j++) {
        assertEquals("optimizer/_variables/" + (2 + j) + "/.ATTRIBUTES/VARIABLE_VALUE",
            checkpoint.objectGraph().key(sgd.momentums().get(j)));
      }
      assertEquals(8, checkpoint.keys().size());
    }
    // Without momentum: the weights, the two counters, save_counter and the object graph.
    try (OptimizerFixture<TFloat32> f = new OptimizerFixture<>(TFloat32.class, new long[][] {{2, 3}, {3}},
        Sgd.Settings.keras())) {
      assertEquals(6, RmsPropTest.checkpoint(f).keys().size());
    }
  }

  @Test
  void kerasDefaultsAreNamed() {
    Sgd.Settings s = Sgd.Settings.keras();
    assertEquals(0.01, s.learningRate());
    assertEquals(0.0, s.momentum());
    assertEquals(Sgd.MomentumKind.CLASSICAL, s.kind());
    assertEquals(new Sgd.Settings(0.1, 0.9, Sgd.MomentumKind.NESTEROV), Sgd.Settings.keras(0.1).nesterov(0.9));
    assertEquals(new Sgd.Settings(0.1, 0.5, Sgd.MomentumKind.CLASSICAL), Sgd.Settings.keras(0.1).momentum(0.5));
  }

  @Test
  void rejectsOutOfRangeSettings() {
    assertEquals("SGD learning rate: expected a positive number, got -1.0",
        assertThrows(IllegalArgumentException.class, () -> Sgd.Settings.keras(-1)).getMessage());
    assertEquals("SGD momentum: expected a value in [0, 1], got 1.5",
        assertThrows(IllegalArgumentException.class, () -> Sgd.Settings.keras().momentum(1.5)).getMessage());
    assertEquals("SGD Nesterov momentum: expected a positive value, got 0.0",
        assertThrows(IllegalArgumentException.class, () -> Sgd.Settings.keras().nesterov(0)).getMessage());
    assertThrows(IllegalArgumentException.class, () -> new Sgd.Settings(0.01, 0, null));
  }
}

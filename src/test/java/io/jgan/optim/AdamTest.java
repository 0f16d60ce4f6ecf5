package io.jgan.optim;


import static io.jgan.TfTesting.assertClose;
import static io.jgan.TfTesting.run;
import static io.jgan.TfTesting.runLong;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jgan.nn.Dense;
import io.jgan.nn.Sequential;
import io.jgan.nn.Weight;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/**
 * Three Adam steps against the Keras 3 update, recomputed by hand in float64:
 * t = i + 1; m = m + (g - m)(1 - b1); v = v + (g^2 - v)(1 - b2);
 * w = w - lr sqrt(1 - b2^t) / (1 - b1^t) * m / (sqrt(v) + eps).
 */
class AdamTest {
  @Test
  void threeStepsMatchKerasFormula() {
    double lr = 0.01, b1 = 0.5, b2 = 0.9, eps = 1e-7;
    float[] w0 = {0.5f, -1.0f, 2.0f};
    float[][] grads = {{0.1f, -0.2f, 0.3f}, {0.05f, 0.4f, -1.0f}, {-0.3f, 0.0f, 2.0f}};
    try (Graph g = new Graph(); Session s = new Session(g)) {
      Ops tf = Ops.create(g);
      Sequential net = new Sequential("net", Shape.of(1)).add(new Dense(3)).build(tf, 1);
      Weight kernel = net.trainableWeights().get(0); // [1, 3]
      Adam<TFloat32> adam = new Adam<>(tf, "opt", new Adam.Settings(lr, b1, b2, eps), List.of(kernel), TFloat32.class);
      Placeholder<TFloat32> grad = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(1, 3)));
      Op step = adam.apply(tf, List.of(grad));
      s.run(tf.withControlDependencies(adam.initOps()).noOp());
      io.jgan.TfTesting.assign(tf, s, kernel.as(TFloat32.class), w0);

      double[] w = io.jgan.TfTesting.toDouble(w0), m = new double[3], v = new double[3];
      for (int i = 0; i < 3; i++) {
        try (TFloat32 gt = io.jgan.TfTesting.tensor(Shape.of(1, 3), grads[i])) {
          s.runner().feed(grad, gt).addTarget(step).run();
        }
        int t = i + 1;
        double alpha = lr * Math.sqrt(1 - Math.pow(b2, t)) / (1 - Math.pow(b1, t));
        for (int j = 0; j < 3; j++) {
          m[j] += (grads[i][j] - m[j]) * (1 - b1);
          v[j] += (grads[i][j] * (double) grads[i][j] - v[j]) * (1 - b2);
          w[j] -= alpha * m[j] / (Math.sqrt(v[j]) + eps);
        }
        assertClose(w, run(s, kernel.as(TFloat32.class)), 1e-6, "weights after step " + t);
        assertClose(m, run(s, adam.momentums().get(0)), 1e-6, "momentum after step " + t);
        assertClose(v, run(s, adam.velocities().get(0)), 1e-6, "velocity after step " + t);
      }
      assertEquals(3L, runLong(s, adam.iterations()));
    }
  }

  @Test
  void rejectsNonTrainableWeights() {
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      Sequential net = new Sequential("net", Shape.of(2)).add(new io.jgan.nn.BatchNormalization()).build(tf, 1);
      Weight movingMean = net.weights().get(2);
      IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
          () -> new Adam<>(tf, "opt", Adam.Settings.keras(1e-3), List.of(movingMean), TFloat32.class));
      assertEquals("opt: expected trainable weights only, got net/0_batchnormalization/moving_mean", e.getMessage());
    }
  }

  @Test
  void kerasDefaultsAreNamed() {
    Adam.Settings s = Adam.Settings.keras(1e-4);
    assertEquals(0.9, s.beta1());
    assertEquals(0.999, s.beta2());
    assertEquals(1e-7, s.epsilon());
  }
}

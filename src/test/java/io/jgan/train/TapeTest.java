package io.jgan.train;

import io.jgan.nn.Tape;
import io.jgan.gan.CrossEntropy;
import static io.jgan.TfTesting.values;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jgan.nn.Activation;
import io.jgan.nn.BatchNormalization;
import io.jgan.nn.CallContext;
import io.jgan.nn.Conv2d;
import io.jgan.nn.Conv2dTranspose;
import io.jgan.nn.Dense;
import io.jgan.nn.Flatten;
import io.jgan.nn.LeakyRelu;
import io.jgan.nn.Padding;
import io.jgan.nn.RandomSource;
import io.jgan.nn.Reshape;
import io.jgan.nn.ResourceVariable;
import io.jgan.nn.Sequential;
import io.jgan.nn.Weight;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat64;

/**
 * Symbolic gradients of a small network (every layer type of the DCGAN generator and
 * discriminator) against central finite differences of the same graph, built in float64, for
 * every element of every trainable weight.
 *
 * <p>The tolerance comes from the two errors of a central difference (L(w + h) - L(w - h)) / 2h:
 * <ul>
 *   <li>truncation, h^2 / 6 |d^3L/dw^3|: with h = 1e-6 max(1, |w|) and third derivatives of this
 *       small network far below 1e3, under 2e-10;
 *   <li>rounding: each float64 evaluation of L carries a relative error below c u, with u = 2^-53 =
 *       1.1e-16 and c = 1e3 a generous count of the operations on any path, so the difference
 *       quotient is off by at most c u |L| / h = 1.1e-7 |L| (for h = 1e-6).
 * </ul>
 * The symbolic gradient, float64 too, is off by about c u |dL/dw|. So each element must satisfy
 * |numeric - symbolic| <= c u (|L| / h + |symbolic|) + 2e-10, about 1e-7 here, where a wrong
 * gradient (a missing factor, a dropped term, a wrong transpose) is off by a share of the gradient
 * itself, 1e-2 or more. LeakyReLU's kink is the one place a difference quotient can be wrong by
 * itself: a pre-activation within h of 0; none of this network's is, or the check would say where.
 */
class TapeTest {
  /** Operations on any path from a weight to the loss, generously counted (see the class comment). */
  private static final double OPERATIONS = 1e3;
  private static final double UNIT_ROUNDOFF = 0x1.0p-53;
  /** Bound on the central difference's truncation error h^2 / 6 |d^3L/dw^3| for h <= 1e-6 and |d^3L/dw^3| < 1e3. */
  private static final double TRUNCATION = 2e-10;

  @Test
  void gradientsMatchCentralFiniteDifferencesInFloat64OnEveryElement() {
    try (Graph g = new Graph(); Session s = new Session(g)) {
      Ops tf = Ops.create(g);
      Sequential net = new Sequential("net", Shape.of(3))
          .add(new Dense(2 * 2 * 3).noBias())
          .add(new BatchNormalization())
          .add(new LeakyRelu())
          .add(new Reshape(2, 2, 3))
          .add(new Conv2dTranspose(2, 3).strides(2).padding(Padding.SAME).noBias())
          .add(new Conv2d(2, 3).strides(2).padding(Padding.SAME).activation(Activation.TANH))
          .add(new Flatten())
          .add(new Dense(1))
          .build(tf, 3, TFloat64.class);
      s.run(tf.withControlDependencies(net.initOps()).noOp());
      double[] x = io.jgan.TfTesting.toDouble(values(4 * 3, 5, 1));
      Operand<TFloat64> input = tf.constant(Shape.of(4, 3), DataBuffers.of(x, true, false));
      CallContext ctx = CallContext.training(RandomSource.withStepPlaceholder(tf, 1));
      Operand<TFloat64> y = net.call(tf, input, ctx);
      Operand<TFloat64> loss = CrossEntropy.meanOfAll(tf, tf.math.square(y));

      List<Weight> weights = net.trainableWeights();
      List<Operand<TFloat64>> grads = Tape.gradients(tf, loss,
          weights.stream().map(w -> ctx.read(tf, w, TFloat64.class)).toList());
      double lossValue = fetch(s, loss)[0];
      int checked = 0;
      double worst = 0;
      for (int wi = 0; wi < weights.size(); wi++) {
        Weight w = weights.get(wi);
        ResourceVariable<TFloat64> variable = w.as(TFloat64.class);
        double[] original = fetch(s, variable.read(tf));
        double[] symbolic = fetch(s, grads.get(wi));
        Placeholder<TFloat64> value = tf.placeholder(TFloat64.class, Placeholder.shape(w.shape()));
        Op assign = variable.assign(tf, value);
        double largest = 0;
        for (int i = 0; i < original.length; i++) {
          double h = 1e-6 * Math.max(1, Math.abs(original[i]));
          double[] plus = original.clone(), minus = original.clone();
          plus[i] += h;
          minus[i] -= h;
          double step = plus[i] - minus[i]; // the step actually taken, after w +- h is rounded
          double numeric = (lossAt(s, assign, value, w, plus, loss) - lossAt(s, assign, value, w, minus, loss)) / step;
          setTo(s, assign, value, w, original);
          double tolerance = OPERATIONS * UNIT_ROUNDOFF * (Math.abs(lossValue) / h + Math.abs(symbolic[i])) + TRUNCATION;
          double diff = Math.abs(numeric - symbolic[i]);
          assertTrue(diff <= tolerance, w.path() + "[" + i + "]: finite difference " + numeric + ", gradient " + symbolic[i]
              + ", |difference| " + diff + " > tolerance " + tolerance);
          worst = Math.max(worst, diff / tolerance);
          largest = Math.max(largest, Math.abs(symbolic[i]));
          checked++;
        }
        // A weight whose gradient vanished everywhere would compare zeros with zeros.
        assertTrue(largest > 1e-3, w.path() + ": every partial derivative is below 1e-3 (" + largest + ")");
      }
      assertEquals(weights.stream().mapToLong(w -> w.shape().size()).sum(), checked, "every element of every weight");
      // The original weights are back: the loss is what it was, bit for bit.
      assertEquals(lossValue, fetch(s, loss)[0], 0.0);
      System.out.printf("TapeTest: %d partial derivatives, worst |difference| / tolerance %.3g%n", checked, worst);
    }
  }

  private static double[] fetch(Session s, Operand<TFloat64> op) {
    try (Result r = s.runner().fetch(op).run()) {
      TFloat64 t = (TFloat64) r.get(0);
      double[] out = new double[(int) t.shape().size()];
      t.copyTo(DataBuffers.of(out, false, false));
      return out;
    }
  }

  private static double lossAt(Session s, Op assign, Placeholder<TFloat64> value, Weight w, double[] v,
      Operand<TFloat64> loss) {
    setTo(s, assign, value, w, v);
    return fetch(s, loss)[0];
  }

  private static void setTo(Session s, Op assign, Placeholder<TFloat64> value, Weight w, double[] v) {
    try (TFloat64 t = TFloat64.tensorOf(w.shape(), DataBuffers.of(v, true, false))) {
      s.runner().feed(value, t).addTarget(assign).run();
    }
  }
}

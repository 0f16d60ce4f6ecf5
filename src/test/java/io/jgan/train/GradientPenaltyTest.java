package io.jgan.train;

import io.jgan.nn.Tape;
import io.jgan.gan.GradientPenalty;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.nn.LeakyRelu;
import org.tensorflow.types.TFloat64;

/**
 * The WGAN-GP penalty's gradient with respect to the critic's weights (a gradient of a gradient)
 * against central finite differences of the penalty itself, in float64, through a critic made of
 * the ops the seed critics use: Conv2D + bias, LeakyReLU, a fixed dropout mask, Reshape, MatMul.
 */
class GradientPenaltyTest {
  @Test
  void secondOrderGradientMatchesFiniteDifferencesInFloat64() {
    Random random = new Random(3);
    int batch = 3, size = 4, channels = 2, filters = 3;
    double[] realValues = values(random, batch * size * size * channels);
    double[] fakeValues = values(random, batch * size * size * channels);
    double[] alphaValues = {0.2, 0.55, 0.9};
    double[] kernelValues = values(random, 3 * 3 * channels * filters);
    double[] biasValues = values(random, filters);
    double[] denseValues = values(random, 2 * 2 * filters);
    double[] mask = new double[batch * 2 * 2 * filters];
    for (int i = 0; i < mask.length; i++) {
      mask[i] = random.nextDouble() < 0.3 ? 0 : 1 / 0.7;
    }
    try (Graph g = new Graph(); Session s = new Session(g)) {
      Ops tf = Ops.create(g);
      Placeholder<TFloat64> kernel = tf.placeholder(TFloat64.class, Placeholder.shape(Shape.of(3, 3, channels, filters)));
      Placeholder<TFloat64> bias = tf.placeholder(TFloat64.class, Placeholder.shape(Shape.of(filters)));
      Placeholder<TFloat64> dense = tf.placeholder(TFloat64.class, Placeholder.shape(Shape.of(2 * 2 * filters, 1)));
      List<Placeholder<TFloat64>> weights = List.of(kernel, bias, dense);
      Operand<TFloat64> maskOp = constant(tf, Shape.of(batch, 2, 2, filters), mask);
      java.util.function.Function<Operand<TFloat64>, Operand<TFloat64>> critic = x -> {
        Operand<TFloat64> h = tf.nn.biasAdd(tf.nn.conv2d(x, kernel, List.of(1L, 2L, 2L, 1L), "SAME"), bias);
        h = tf.math.mul(tf.nn.leakyRelu(h, LeakyRelu.alpha(0.2f)), maskOp); // [b, 2, 2, 3]
        return tf.linalg.matMul(tf.reshape(h, tf.constant(new long[] {-1, 2 * 2 * filters})), dense); // [b, 1]
      };
      Operand<TFloat64> penalty = GradientPenalty.penalty(tf, critic,
          constant(tf, Shape.of(batch, size, size, channels), realValues),
          constant(tf, Shape.of(batch, size, size, channels), fakeValues),
          constant(tf, Shape.of(batch, 1, 1, 1), alphaValues), TFloat64.class);
      List<Operand<TFloat64>> grads = Tape.gradients(tf, penalty, new ArrayList<>(weights), TFloat64.class);

      double[][] current = {kernelValues, biasValues, denseValues};
      Shape[] shapes = {Shape.of(3, 3, channels, filters), Shape.of(filters), Shape.of(2 * 2 * filters, 1)};
      double h = 1e-6;
      int checked = 0;
      for (int w = 0; w < 3; w++) {
        double[] analytic = evaluate(s, grads.get(w), weights, current, shapes);
        for (int i = 0; i < current[w].length; i++) {
          double saved = current[w][i];
          current[w][i] = saved + h;
          double plus = evaluate(s, penalty, weights, current, shapes)[0];
          current[w][i] = saved - h;
          double minus = evaluate(s, penalty, weights, current, shapes)[0];
          current[w][i] = saved;
          double numeric = (plus - minus) / (2 * h);
          assertEquals(numeric, analytic[i], 1e-6 * Math.max(1, Math.abs(numeric)), "weight " + w + "[" + i + "]");
          checked++;
        }
      }
      assertTrue(checked == kernelValues.length + biasValues.length + denseValues.length);
    }
  }

  @Test
  void normIsTheExactEuclideanNormAsInTheSeed() {
    try (Graph g = new Graph(); Session s = new Session(g)) {
      Ops tf = Ops.create(g);
      // A linear critic D(x) = sum(x * c) + w: grad_x D = c for every image, so the norm is
      // ||c|| = sqrt(9e-14 + 16e-14) = 5e-7 exactly and the penalty (5e-7 - 1)^2 = 0.99999900000025.
      // (An epsilon of 1e-12 inside the square root, as some ports add, would give 0.9999977639.)
      Placeholder<TFloat64> w = tf.placeholder(TFloat64.class, Placeholder.shape(Shape.scalar()));
      Operand<TFloat64> c = constant(tf, Shape.of(1, 1, 1, 2), new double[] {3e-7, 4e-7});
      Operand<TFloat64> penalty = GradientPenalty.penalty(tf,
          x -> tf.math.add(tf.reshape(tf.reduceSum(tf.math.mul(x, c), tf.constant(new int[] {1, 2, 3})),
              tf.constant(new long[] {-1, 1})), w),
          constant(tf, Shape.of(2, 1, 1, 2), new double[] {1, 2, 3, 4}), constant(tf, Shape.of(2, 1, 1, 2), new double[] {5, 6, 7, 8}),
          constant(tf, Shape.of(2, 1, 1, 1), new double[] {0.25, 0.5}), TFloat64.class);
      double[] result = evaluate(s, penalty, List.of(w), new double[][] {{0.7}}, new Shape[] {Shape.scalar()});
      assertEquals(Math.pow(5e-7 - 1, 2), result[0], 1e-15);
    }
  }

  private static double[] values(Random random, int n) {
    double[] v = new double[n];
    for (int i = 0; i < n; i++) {
      v[i] = random.nextGaussian() * 0.5;
    }
    return v;
  }

  private static Operand<TFloat64> constant(Ops tf, Shape shape, double[] values) {
    return tf.constant(shape, DataBuffers.of(values, true, false));
  }

  private static double[] evaluate(Session s, Operand<TFloat64> op, List<Placeholder<TFloat64>> weights, double[][] values,
      Shape[] shapes) {
    return evaluate(s, List.of(op), weights, values, shapes);
  }

  /** Runs ops with the weights fed; returns the first op's values, or one scalar per op when several. */
  private static double[] evaluate(Session s, List<Operand<TFloat64>> ops, List<Placeholder<TFloat64>> weights,
      double[][] values, Shape[] shapes) {
    List<TFloat64> fed = new ArrayList<>();
    try {
      Session.Runner runner = s.runner();
      for (int i = 0; i < weights.size(); i++) {
        TFloat64 t = TFloat64.tensorOf(shapes[i], DataBuffers.of(values[i], true, false));
        fed.add(t);
        runner.feed(weights.get(i), t);
      }
      ops.forEach(runner::fetch);
      try (Result r = runner.run()) {
        if (ops.size() == 1) {
          TFloat64 out = (TFloat64) r.get(0);
          double[] v = new double[(int) out.shape().size()];
          out.copyTo(DataBuffers.of(v, false, false));
          return v;
        }
        double[] v = new double[ops.size()];
        for (int i = 0; i < ops.size(); i++) {
          v[i] = ((TFloat64) r.get(i)).getDouble();
        }
        return v;
      }
    } finally {
      fed.forEach(TFloat64::close);
    }
  }
}

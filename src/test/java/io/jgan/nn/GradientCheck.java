package io.jgan.nn;

import static io.jgan.nn.Float64Testing.doubles;
import static io.jgan.nn.Float64Testing.tensor;
import static io.jgan.nn.Float64Testing.withBatch;

import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat64;

/**
 * Checks the symbolic gradients of a float64 network (what training uses, from {@link Tape})
 * against float64 central differences, on every element of every input and every weight.
 *
 * <p>The scalar checked is {@code L = sum(y * r)} for fixed pseudo-random {@code r} in [-1, 1]
 * (so every output element's gradient matters, each with its own weight), or with
 * {@link #secondOrder} {@code P = sum((dL/dx)^2)} over the inputs x, the form of a gradient
 * penalty, whose own gradient needs the network's gradient to be differentiable again.
 *
 * <p>Tolerance: a central difference {@code (f(v + h) - f(v - h)) / 2h} is off by its truncation
 * error, at most {@code h^2 / 6 * |f'''|}, plus the rounding of the two evaluations divided by
 * {@code 2h}. With {@code h = 1e-5}, f summing a few hundred terms of size up to ~10 in float64
 * (rounding ~1e-16 relative, so ~1e-14 absolute) and |f'''| of order 10 (smooth layers; piecewise
 * linear ones have f''' = 0 away from their kinks, which the test inputs keep clear of by far more
 * than h), both errors are below ~1e-9. {@link #TOLERANCE} = 1e-7 (relative to max(1, |g|)) leaves
 * two orders of magnitude for that, and is still four orders of magnitude below what a wrong
 * gradient gives (a missing factor, a wrong element, a shared layer's second path missing: errors
 * of the size of the gradient itself, here 1e-2 to 10). Each check also requires gradients that are
 * not all zero, so that it cannot pass vacuously.
 */
final class GradientCheck {
  static final double STEP = 1e-5;
  static final double TOLERANCE = 1e-7;

  private GradientCheck() {}

  /** Checks dL/dx and dL/dw of {@code net} (unbuilt; built here in float64) at these inputs and weights. */
  static void firstOrder(Network net, List<double[]> inputs, List<double[]> weights, String what) {
    check(net, inputs, weights, false, what);
  }

  /** Checks the gradient of P = sum((dL/dx)^2), which differentiates the network twice. */
  static void secondOrder(Network net, List<double[]> inputs, List<double[]> weights, String what) {
    check(net, inputs, weights, true, what);
  }

  private static void check(Network net, List<double[]> inputs, List<double[]> weightValues, boolean second,
      String what) {
    try (Graph g = new Graph(); Session s = new Session(g)) {
      Ops tf = Ops.create(g);
      net.build(tf, 7, TFloat64.class);
      List<Shape> shapes = new ArrayList<>();
      List<Placeholder<TFloat64>> xs = new ArrayList<>();
      for (int i = 0; i < inputs.size(); i++) {
        Shape example = net.inputShapes().get(i);
        long batch = inputs.get(i).length / example.size();
        Shape shape = withBatch(batch, example);
        shapes.add(shape);
        xs.add(tf.placeholder(TFloat64.class, Placeholder.shape(shape)));
      }
      CallContext ctx = CallContext.inference();
      Operand<TFloat64> y = net.call(tf, new ArrayList<Operand<TFloat64>>(xs), ctx);
      long outputs = shapes.get(0).get(0) * net.outputShape().size();
      Operand<TFloat64> r = Float64Testing.constant(tf, withBatch(shapes.get(0).get(0), net.outputShape()),
          Float64Testing.values((int) outputs, 99, 1));
      Operand<TFloat64> loss = sumAll(tf, tf.math.mul(y, r));
      List<Weight> weights = net.weights();
      List<Operand<TFloat64>> reads = new ArrayList<>();
      weights.forEach(w -> reads.add(ctx.read(tf, w, TFloat64.class)));
      if (second) {
        List<Operand<TFloat64>> dx = Tape.gradients(tf, loss, xs, TFloat64.class);
        Operand<TFloat64> penalty = tf.constant(0.0);
        for (Operand<TFloat64> d : dx) {
          penalty = tf.math.add(penalty, sumAll(tf, tf.math.square(d)));
        }
        loss = penalty;
      }
      List<Operand<TFloat64>> wrt = new ArrayList<>(xs);
      wrt.addAll(reads);
      List<Operand<TFloat64>> grads = Tape.gradients(tf, loss, wrt, TFloat64.class);

      List<Placeholder<TFloat64>> weightInputs = new ArrayList<>();
      List<Op> assigns = new ArrayList<>();
      for (Weight w : weights) {
        Placeholder<TFloat64> p = tf.placeholder(TFloat64.class, Placeholder.shape(w.shape()));
        weightInputs.add(p);
        assigns.add(w.as(TFloat64.class).assign(tf, p));
      }
      if (weightValues.size() != weights.size()) {
        throw new IllegalArgumentException(what + ": expected " + weights.size() + " weight arrays, got "
            + weightValues.size());
      }
      List<double[]> w = new ArrayList<>();
      for (int i = 0; i < weights.size(); i++) {
        w.add(weightValues.get(i).clone());
        setWeight(s, assigns.get(i), weightInputs.get(i), weights.get(i).shape(), w.get(i));
      }
      List<double[]> x = new ArrayList<>();
      inputs.forEach(v -> x.add(v.clone()));

      List<double[]> analytic = evaluate(s, xs, shapes, x, grads);
      double largest = 0;
      int checked = 0;
      for (int i = 0; i < x.size(); i++) {
        double[] v = x.get(i);
        for (int j = 0; j < v.length; j++) {
          double saved = v[j];
          v[j] = saved + STEP;
          double up = evaluate(s, xs, shapes, x, List.of(loss)).get(0)[0];
          v[j] = saved - STEP;
          double down = evaluate(s, xs, shapes, x, List.of(loss)).get(0)[0];
          v[j] = saved;
          largest = Math.max(largest, compare(analytic.get(i)[j], (up - down) / (2 * STEP), what + " input " + i + " [" + j + "]"));
          checked++;
        }
      }
      for (int i = 0; i < w.size(); i++) {
        double[] v = w.get(i);
        for (int j = 0; j < v.length; j++) {
          double saved = v[j];
          v[j] = saved + STEP;
          setWeight(s, assigns.get(i), weightInputs.get(i), weights.get(i).shape(), v);
          double up = evaluate(s, xs, shapes, x, List.of(loss)).get(0)[0];
          v[j] = saved - STEP;
          setWeight(s, assigns.get(i), weightInputs.get(i), weights.get(i).shape(), v);
          double down = evaluate(s, xs, shapes, x, List.of(loss)).get(0)[0];
          v[j] = saved;
          setWeight(s, assigns.get(i), weightInputs.get(i), weights.get(i).shape(), v);
          largest = Math.max(largest, compare(analytic.get(x.size() + i)[j], (up - down) / (2 * STEP),
              what + " weight " + weights.get(i).path() + " [" + j + "]"));
          checked++;
        }
      }
      if (!(largest > 1e-2)) {
        throw new AssertionError(what + ": every one of the " + checked + " gradients is below 1e-2 (largest " + largest
            + "): the check would pass vacuously");
      }
    }
  }

  private static double compare(double analytic, double numeric, String what) {
    double diff = Math.abs(analytic - numeric);
    if (!(diff <= TOLERANCE * Math.max(1, Math.abs(numeric)))) {
      throw new AssertionError(what + ": symbolic gradient " + analytic + ", central difference " + numeric + " (diff "
          + diff + ")");
    }
    return Math.abs(numeric);
  }

  private static void setWeight(Session s, Op assign, Placeholder<TFloat64> input, Shape shape, double[] values) {
    try (TFloat64 t = tensor(shape, values)) {
      s.runner().feed(input, t).addTarget(assign).run();
    }
  }

  private static List<double[]> evaluate(Session s, List<Placeholder<TFloat64>> xs, List<Shape> shapes,
      List<double[]> values, List<Operand<TFloat64>> fetches) {
    List<Tensor> fed = new ArrayList<>();
    try {
      Session.Runner runner = s.runner();
      for (int i = 0; i < xs.size(); i++) {
        TFloat64 t = tensor(shapes.get(i), values.get(i));
        fed.add(t);
        runner.feed(xs.get(i), t);
      }
      fetches.forEach(runner::fetch);
      List<double[]> out = new ArrayList<>();
      try (Result r = runner.run()) {
        for (int i = 0; i < fetches.size(); i++) {
          out.add(doubles((TFloat64) r.get(i)));
        }
      }
      return out;
    } finally {
      fed.forEach(Tensor::close);
    }
  }

  static Operand<TFloat64> sumAll(Ops tf, Operand<TFloat64> x) {
    return tf.sum(x, tf.range(tf.constant(0), tf.rank(x), tf.constant(1)));
  }
}

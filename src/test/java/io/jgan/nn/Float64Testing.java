package io.jgan.nn;

import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat64;

/** float64 helpers for the layer tests, where the point is the math rather than float32 rounding. */
final class Float64Testing {
  private Float64Testing() {}

  static Operand<TFloat64> constant(Ops tf, Shape shape, double[] values) {
    if (shape.size() != values.length) {
      throw new IllegalArgumentException("expected " + shape.size() + " values for " + shape + ", got " + values.length);
    }
    return tf.constant(shape, DataBuffers.of(values, true, false));
  }

  static TFloat64 tensor(Shape shape, double[] values) {
    if (shape.size() != values.length) {
      throw new IllegalArgumentException("expected " + shape.size() + " values for " + shape + ", got " + values.length);
    }
    return TFloat64.tensorOf(shape, DataBuffers.of(values, true, false));
  }

  static double[] doubles(TFloat64 t) {
    double[] out = new double[(int) t.shape().size()];
    t.copyTo(DataBuffers.of(out, false, false));
    return out;
  }

  static double[] run(Session s, Operand<TFloat64> op) {
    try (Result r = s.runner().fetch(op).run()) {
      return doubles((TFloat64) r.get(0));
    }
  }

  static long[] shapeOf(Session s, Operand<?> op) {
    try (Result r = s.runner().fetch(op).run()) {
      return r.get(0).shape().asArray();
    }
  }

  /** Sets the weights of a float64 network's layer, in the layer's Keras order. */
  static void setWeights(Ops tf, Session s, List<Weight> weights, List<double[]> values) {
    if (weights.size() != values.size()) {
      throw new IllegalArgumentException("expected " + weights.size() + " weight arrays, got " + values.size());
    }
    for (int i = 0; i < values.size(); i++) {
      Weight w = weights.get(i);
      s.run(w.as(TFloat64.class).assign(tf, constant(tf, w.shape(), values.get(i))));
    }
  }

  /** Deterministic pseudo-random values in [-scale, scale] (an LCG, independent of the code under test). */
  static double[] values(int n, long seed, double scale) {
    double[] out = new double[n];
    long x = seed * 6364136223846793005L + 1442695040888963407L;
    for (int i = 0; i < n; i++) {
      x = x * 6364136223846793005L + 1442695040888963407L;
      double u = (x >>> 11) * 0x1.0p-53; // [0, 1)
      out[i] = (u * 2 - 1) * scale;
    }
    return out;
  }

  /** |expected - actual| <= tolerance * max(1, |expected|) element by element. */
  static void assertClose(double[] expected, double[] actual, double tolerance, String what) {
    if (expected.length != actual.length) {
      throw new AssertionError(what + ": expected " + expected.length + " values, got " + actual.length);
    }
    for (int i = 0; i < expected.length; i++) {
      double diff = Math.abs(expected[i] - actual[i]);
      if (!(diff <= tolerance * Math.max(1.0, Math.abs(expected[i])))) {
        throw new AssertionError(what + " [" + i + "]: expected " + expected[i] + ", got " + actual[i] + " (diff " + diff
            + ", tolerance " + tolerance + ")");
      }
    }
  }

  /** A network of one single-input layer. */
  static Sequential single(Layer layer, Shape in) {
    return new Sequential("net", in).add(layer);
  }

  /** Builds {@code net} in float64, sets its weights, applies it in inference to [batch, shape...] inputs. */
  static double[] apply(Network net, List<double[]> inputs, List<double[]> weights) {
    try (Graph g = new Graph(); Session s = new Session(g)) {
      Ops tf = Ops.create(g);
      net.build(tf, 1, TFloat64.class);
      setWeights(tf, s, net.weights(), weights);
      List<Operand<TFloat64>> xs = new ArrayList<>();
      for (int i = 0; i < inputs.size(); i++) {
        Shape example = net.inputShapes().get(i);
        xs.add(constant(tf, withBatch(inputs.get(i).length / example.size(), example), inputs.get(i)));
      }
      return run(s, net.call(tf, xs, CallContext.inference()));
    }
  }

  /** Builds {@code net} in float64 (in a graph closed at once: for its shapes). */
  static Network build(Network net) {
    try (Graph g = new Graph()) {
      return net.build(Ops.create(g), 1, TFloat64.class);
    }
  }

  /** The message of the IllegalArgumentException that building {@code net} throws. */
  static String buildError(Network net) {
    return org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> build(net)).getMessage();
  }

  static double[] oneHot(int[] labels, int classes) {
    double[] out = new double[labels.length * classes];
    for (int i = 0; i < labels.length; i++) {
      out[i * classes + labels[i]] = 1;
    }
    return out;
  }

  static Shape withBatch(long batch, Shape example) {
    long[] dims = new long[example.numDimensions() + 1];
    dims[0] = batch;
    System.arraycopy(example.asArray(), 0, dims, 1, example.numDimensions());
    return Shape.of(dims);
  }
}

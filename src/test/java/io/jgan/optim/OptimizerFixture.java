package io.jgan.optim;

import io.jgan.nn.ResourceVariable;
import io.jgan.nn.Trackable;
import io.jgan.nn.Weight;
import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TFloat64;
import org.tensorflow.types.family.TFloating;

/**
 * Free-standing weights {@code model/w0, model/w1, ...} (trainable, of the given shapes and type),
 * an optimizer over them fed gradients by placeholders, and a session: the values go in and come
 * out as doubles whatever the type, so a test compares them with a computation in float64.
 */
final class OptimizerFixture<T extends TFloating> implements AutoCloseable {
  final Graph graph = new Graph();
  final Session session = new Session(graph);
  final Ops tf = Ops.create(graph);
  final Class<T> dtype;
  final List<Weight> weights = new ArrayList<>();
  final Optimizer<T> optimizer;
  private final List<Placeholder<T>> gradients = new ArrayList<>();
  private final Op step;

  OptimizerFixture(Class<T> dtype, long[][] shapes, Optimizer.Factory factory) {
    this.dtype = dtype;
    Ops model = tf.withSubScope("model");
    for (int i = 0; i < shapes.length; i++) {
      Shape shape = Shape.of(shapes[i]);
      ResourceVariable<T> v = ResourceVariable.create(model.withName("w" + i), "model/w" + i, dtype, shape);
      weights.add(new Weight("w" + i, "w" + i, "model/w" + i, v, shape, true));
      gradients.add(tf.placeholder(dtype, Placeholder.shape(shape)));
    }
    optimizer = factory.create(tf, "optimizer", weights, dtype);
    step = optimizer.apply(tf, gradients);
    session.run(tf.withControlDependencies(optimizer.initOps()).noOp());
  }

  /** The model as a checkpoint root: its weights under {@code w0, w1, ...}, as a Python {@code tf.Module} tracks them. */
  Trackable model() {
    return children -> {
      for (int i = 0; i < weights.size(); i++) {
        children.variable("w" + i, weights.get(i).saved());
      }
    };
  }

  void setWeights(double[][] values) {
    for (int i = 0; i < values.length; i++) {
      try (Tensor t = tensor(weights.get(i).shape(), values[i])) {
        Placeholder<T> in = tf.placeholder(dtype, Placeholder.shape(weights.get(i).shape()));
        session.runner().feed(in, t).addTarget(weights.get(i).as(dtype).assign(tf, in)).run();
      }
    }
  }

  /** One optimizer step with these gradients, one flat row-major array per weight. */
  void step(double[][] values) {
    List<Tensor> fed = new ArrayList<>();
    try {
      Session.Runner runner = session.runner();
      for (int i = 0; i < values.length; i++) {
        Tensor t = tensor(weights.get(i).shape(), values[i]);
        fed.add(t);
        runner.feed(gradients.get(i), t);
      }
      runner.addTarget(step).run();
    } finally {
      fed.forEach(Tensor::close);
    }
  }

  double[] weight(int i) {
    return read(weights.get(i).as(dtype));
  }

  /** A variable's value as doubles (float32 values widened exactly). */
  double[] read(ResourceVariable<? extends TFloating> variable) {
    Operand<? extends TFloating> value = variable.read(tf);
    try (Result r = session.runner().fetch(value).run()) {
      Tensor t = r.get(0);
      int n = (int) t.shape().size();
      double[] out = new double[n];
      if (t instanceof TFloat64 d) {
        d.copyTo(DataBuffers.of(out, false, false));
      } else {
        float[] f = new float[n];
        ((TFloat32) t).copyTo(DataBuffers.of(f, false, false));
        for (int k = 0; k < n; k++) {
          out[k] = f[k];
        }
      }
      return out;
    }
  }

  long iterations() {
    try (Result r = session.runner().fetch(optimizer.iterations().read(tf)).run()) {
      return ((org.tensorflow.types.TInt64) r.get(0)).getLong();
    }
  }

  /** {@code values} as a tensor of the fixture's type (rounded once to float32 for a float32 fixture). */
  private Tensor tensor(Shape shape, double[] values) {
    if (dtype == TFloat64.class) {
      return TFloat64.tensorOf(shape, DataBuffers.of(values, true, false));
    }
    float[] f = new float[values.length];
    for (int k = 0; k < f.length; k++) {
      f[k] = (float) values[k];
    }
    return TFloat32.tensorOf(shape, DataBuffers.of(f, true, false));
  }

  /** Fails unless every value is within {@code tolerance * max(1, |expected|)} of the expected one. */
  static void assertClose(double[] expected, double[] actual, double tolerance, String what) {
    if (expected.length != actual.length) {
      throw new AssertionError(what + ": expected " + expected.length + " values, got " + actual.length);
    }
    for (int i = 0; i < expected.length; i++) {
      double diff = Math.abs(expected[i] - actual[i]);
      if (!(diff <= tolerance * Math.max(1.0, Math.abs(expected[i])))) {
        throw new AssertionError(what + " [" + i + "]: expected " + expected[i] + ", got " + actual[i] + " (diff " + diff + ")");
      }
    }
  }

  @Override
  public void close() {
    session.close();
    graph.close();
  }
}

package io.jgan;

import io.jgan.nn.ResourceVariable;
import java.util.List;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/** Small helpers for tests that build and run graphs. */
public final class TfTesting {
  private TfTesting() {}

  /** A float tensor of the given shape holding {@code values} (row-major). */
  public static TFloat32 tensor(Shape shape, float[] values) {
    if (shape.size() != values.length) {
      throw new IllegalArgumentException("expected " + shape.size() + " values for " + shape + ", got " + values.length);
    }
    return TFloat32.tensorOf(shape, DataBuffers.of(values, true, false));
  }

  public static float[] floats(TFloat32 t) {
    float[] out = new float[(int) t.shape().size()];
    t.copyTo(DataBuffers.of(out, false, false));
    return out;
  }

  /** Runs {@code op} with no feeds and returns its values. */
  public static float[] run(Session s, Operand<TFloat32> op) {
    try (Result r = s.runner().fetch(op).run()) {
      return floats((TFloat32) r.get(0));
    }
  }

  /** Sets a variable to {@code values}. */
  public static void assign(Ops tf, Session s, ResourceVariable<TFloat32> v, float[] values) {
    Shape shape = v.shape();
    Op assign = v.assign(tf, tf.constant(shape, DataBuffers.of(values, true, false)));
    s.run(assign);
  }

  /** A variable's current value (a read op is added to its graph). */
  public static float[] run(Session s, ResourceVariable<TFloat32> v) {
    return run(s, v.read(Ops.create((Graph) v.handle().env())));
  }

  /** An int64 scalar variable's current value. */
  public static long runLong(Session s, ResourceVariable<org.tensorflow.types.TInt64> v) {
    try (Result r = s.runner().fetch(v.read(Ops.create((Graph) v.handle().env()))).run()) {
      return ((org.tensorflow.types.TInt64) r.get(0)).getLong();
    }
  }

  /** Deterministic pseudo-random values in [-scale, scale] (an LCG, independent of the code under test). */
  public static float[] values(int n, long seed, double scale) {
    float[] out = new float[n];
    long x = seed * 6364136223846793005L + 1442695040888963407L;
    for (int i = 0; i < n; i++) {
      x = x * 6364136223846793005L + 1442695040888963407L;
      double u = ((x >>> 11) * 0x1.0p-53); // [0, 1)
      out[i] = (float) ((u * 2 - 1) * scale);
    }
    return out;
  }

  public static double[] toDouble(float[] f) {
    double[] d = new double[f.length];
    for (int i = 0; i < f.length; i++) {
      d[i] = f[i];
    }
    return d;
  }

  public static void assertClose(double[] expected, float[] actual, double tolerance, String what) {
    if (expected.length != actual.length) {
      throw new AssertionError(what + ": expected " + expected.length + " values, got " + actual.length);
    }
    for (int i = 0; i < expected.length; i++) {
      double diff = Math.abs(expected[i] - actual[i]);
      double bound = tolerance * Math.max(1.0, Math.abs(expected[i]));
      if (!(diff <= bound)) {
        throw new AssertionError(what + " [" + i + "]: expected " + expected[i] + ", got " + actual[i] + " (diff " + diff + ")");
      }
    }
  }

  public static Graph graph() {
    return new Graph();
  }

  public static List<Long> longs(long... v) {
    return java.util.Arrays.stream(v).boxed().toList();
  }
}

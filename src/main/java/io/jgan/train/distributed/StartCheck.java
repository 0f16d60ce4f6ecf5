package io.jgan.train.distributed;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.tensorflow.DeviceSpec;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat64;
import org.tensorflow.types.family.TFloating;

/**
 * Before the first step of a multi-worker run, the check that every worker starts from the state
 * the chief starts from and trains to the same end: the same progress and settings (exactly) and
 * the same variables (their sum of squares, to a relative 1e-6). Without it a worker that resumed another checkpoint than the
 * chief's, or started fresh beside a resumed chief, or took another --seed, would train on silently
 * with different weights: the all-reduce only averages gradients.
 *
 * <p>One minimum and one maximum all-reduce of [facts..., fingerprint] over one device of each
 * worker (its own group): the workers agree when the two are equal. The fingerprint is a float64
 * sum of squares of every variable (no cancellation); rounding alone moves it by about n * 2^-53
 * of itself for n values (1e-10 for a million weights, on any CPU), far below 1e-6, while two
 * checkpoints a training step apart differ by the step's updates, above 1e-6.
 */
public final class StartCheck {
  /** The group of one device per worker (the step's replicas are group {@link Replication#GROUP_KEY}). */
  static final int GROUP_KEY = 2;
  /** Fingerprints agree when they differ by at most this, relatively. */
  static final double FINGERPRINT_TOLERANCE = 1e-6;

  private final List<String> factNames;
  private final Placeholder<TFloat64> facts;
  private final Operand<TFloat64> max;
  private final Operand<TFloat64> min;
  private final Cluster cluster;

  private StartCheck(List<String> factNames, Placeholder<TFloat64> facts, Operand<TFloat64> max, Operand<TFloat64> min,
      Cluster cluster) {
    this.factNames = factNames;
    this.facts = facts;
    this.max = max;
    this.min = min;
    this.cluster = cluster;
  }

  /**
   * Builds the check on {@code device} (this worker's first).
   *
   * @param factNames what {@link #verify} is given, in order (global step, batch size, ...)
   * @param variables reads of every saved float variable
   */
  public static StartCheck build(Ops graphOps, Cluster cluster, DeviceSpec device, List<String> factNames,
      List<? extends Operand<? extends TFloating>> variables, float timeoutSeconds) {
    Ops tf = graphOps.withSubScope("start_check").withDevice(device);
    Placeholder<TFloat64> facts = tf.placeholder(TFloat64.class, Placeholder.shape(Shape.of(factNames.size())));
    List<Operand<TFloat64>> squares = new ArrayList<>();
    for (Operand<? extends TFloating> v : variables) {
      Operand<TFloat64> x = tf.dtypes.cast(v, TFloat64.class);
      squares.add(tf.reshape(tf.reduceSum(tf.math.square(x), tf.range(tf.constant(0), tf.rank(x), tf.constant(1))),
          tf.constant(new long[] {1})));
    }
    Operand<TFloat64> fingerprint = tf.reshape(tf.reduceSum(tf.concat(squares, tf.constant(0)), tf.constant(0)),
        tf.constant(new long[] {1}));
    Operand<TFloat64> vector = tf.concat(List.of(facts, fingerprint), tf.constant(0));
    Collectives.Group group = new Collectives.Group(cluster.size(), GROUP_KEY, Replication.CPU_HINT, timeoutSeconds);
    Operand<TFloat64> max = Collectives.reduce(tf, vector, group, Collectives.BACKWARD_STRIDE - 1, Collectives.Reduction.MAX);
    Operand<TFloat64> min = Collectives.reduce(tf, vector, group, Collectives.BACKWARD_STRIDE - 2, Collectives.Reduction.MIN);
    return new StartCheck(List.copyOf(factNames), facts, max, min, cluster);
  }

  /**
   * Runs the check with this worker's {@code values} of the facts (every worker runs it at the same
   * point); throws a {@link WorkersLostException} naming what differs, or when the others do not
   * join within the timeout.
   */
  public void verify(Session session, double[] values) {
    if (values.length != factNames.size()) {
      throw new IllegalArgumentException("expected " + factNames.size() + " facts " + factNames + ", got " + values.length);
    }
    double[] hi = new double[values.length + 1];
    double[] lo = new double[values.length + 1];
    try (TFloat64 fed = TFloat64.tensorOf(Shape.of(values.length), DataBuffers.of(values, true, false));
         Result r = session.runner().feed(facts, fed).fetch(max).fetch(min).run()) {
      ((TFloat64) r.get(0)).copyTo(DataBuffers.of(hi, false, false));
      ((TFloat64) r.get(1)).copyTo(DataBuffers.of(lo, false, false));
    } catch (RuntimeException e) {
      throw Failures.lost(cluster, "the check that all workers start alike", e);
    }
    List<String> differ = new ArrayList<>();
    for (int i = 0; i < values.length; i++) {
      if (hi[i] != lo[i]) {
        differ.add(String.format(Locale.ROOT, "%s from %.0f to %.0f", factNames.get(i), lo[i], hi[i]));
      }
    }
    int f = values.length;
    if (Math.abs(hi[f] - lo[f]) > FINGERPRINT_TOLERANCE * Math.abs(hi[f])) {
      differ.add(String.format(Locale.ROOT, "sum of squares of the variables from %.10g to %.10g", lo[f], hi[f]));
    }
    if (!differ.isEmpty()) {
      throw new WorkersLostException(cluster.describe() + ": the workers start from different states ("
          + String.join("; ", differ) + "): expected every worker to start from the chief's checkpoint with the same "
          + "settings (the same --run-dir on a shared filesystem, the same --seed, --batch-size, --preset, --epochs, "
          + "--steps and --steps-per-epoch); "
          + "nothing was trained", null);
    }
  }
}

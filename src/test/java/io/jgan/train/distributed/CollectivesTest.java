package io.jgan.train.distributed;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jgan.nn.Tape;
import io.jgan.presets.Presets;
import io.jgan.train.graph.TrainingGraph;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.tensorflow.DeviceSpec;
import org.tensorflow.Graph;
import org.tensorflow.GraphOperation;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.proto.DataType;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TFloat64;

/**
 * TensorFlow's all-reduce between two virtual CPU devices of one session, and the gradient this
 * project registers for it, against values worked out by hand.
 */
class CollectivesTest {
  private static final Collectives.Group PAIR = new Collectives.Group(2, 1, "auto", 0);

  /** The minimum and maximum (the start check's), element by element: x_0 = [1, 5, 3], x_1 = [4, 2, 6]. */
  @Test
  void minimumAndMaximumAcrossTwoDevices() {
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      List<Operand<TFloat64>> outs = new ArrayList<>();
      double[][] x = {{1, 5, 3}, {4, 2, 6}};
      for (int r = 0; r < 2; r++) {
        Ops d = tf.withSubScope("member_" + r).withDevice(cpu(r));
        outs.add(Collectives.reduce(d, d.constant(x[r]), PAIR, 1, Collectives.Reduction.MIN));
        outs.add(Collectives.reduce(d, d.constant(x[r]), PAIR, 2, Collectives.Reduction.MAX));
      }
      try (Session s = new Session(g, org.tensorflow.proto.ConfigProto.newBuilder().putDeviceCount("CPU", 2).build())) {
        Session.Runner runner = s.runner();
        outs.forEach(runner::fetch);
        try (Result r = runner.run()) {
          for (int m = 0; m < 2; m++) {
            assertArrayEquals(new double[] {1, 2, 3}, values(r, 2 * m), "min on member " + m);
            assertArrayEquals(new double[] {4, 5, 6}, values(r, 2 * m + 1), "max on member " + m);
          }
        }
      }
    }
  }

  /**
   * Two members with x_0 = [1, 2, 3], x_1 = [4, 5, 6] and losses L_r = sum(c_r * y_r),
   * c_0 = [1, 2, 3], c_1 = [10, 20, 30]. Sum: y_r = x_0 + x_1 = [5, 7, 9] on both, and
   * d(L_0 + L_1)/dx_r = c_0 + c_1 = [11, 22, 33] however it is split between the towers' gradient
   * calls; mean: y_r = [2.5, 3.5, 4.5] and the gradient is half that. A second gradient through the
   * same op (of 2 L_r) gets its own instance keys and twice the values.
   */
  @Test
  void allReduceAndItsGradientAcrossTwoDevices() {
    for (Collectives.Reduction reduction : List.of(Collectives.Reduction.SUM, Collectives.Reduction.MEAN)) {
      double scale = reduction == Collectives.Reduction.SUM ? 1 : 0.5;
      try (Graph g = new Graph()) {
        Ops tf = Ops.create(g);
        List<Placeholder<TFloat64>> xs = new ArrayList<>();
        List<Operand<TFloat64>> ys = new ArrayList<>();
        List<Operand<TFloat64>> grads = new ArrayList<>();
        List<Operand<TFloat64>> doubled = new ArrayList<>();
        double[][] c = {{1, 2, 3}, {10, 20, 30}};
        for (int r = 0; r < 2; r++) {
          Ops d = tf.withSubScope("member_" + r).withDevice(cpu(r));
          Placeholder<TFloat64> x = d.placeholder(TFloat64.class, Placeholder.shape(Shape.of(3)));
          Operand<TFloat64> y = Collectives.allReduce(d, List.of(x), PAIR, 7, reduction).get(0);
          Operand<TFloat64> loss = d.sum(d.math.mul(d.constant(c[r]), y), d.constant(0));
          xs.add(x);
          ys.add(y);
          grads.add(Tape.gradients(d, loss, List.of(x)).get(0));
          doubled.add(Tape.gradients(d, d.math.mul(loss, d.constant(2.0)), List.of(x)).get(0));
        }
        try (Session s = new Session(g, org.tensorflow.proto.ConfigProto.newBuilder().putDeviceCount("CPU", 2).build());
             TFloat64 x0 = TFloat64.vectorOf(1, 2, 3);
             TFloat64 x1 = TFloat64.vectorOf(4, 5, 6)) {
          Session.Runner runner = s.runner().feed(xs.get(0), x0).feed(xs.get(1), x1);
          List.of(ys, grads, doubled).forEach(list -> list.forEach(runner::fetch));
          try (Result r = runner.run()) {
            for (int m = 0; m < 2; m++) {
              assertArrayEquals(new double[] {5 * scale, 7 * scale, 9 * scale}, values(r, m), reduction + " y_" + m);
              assertArrayEquals(new double[] {11 * scale, 22 * scale, 33 * scale}, values(r, 2 + m), reduction + " dx_" + m);
              assertArrayEquals(new double[] {22 * scale, 44 * scale, 66 * scale}, values(r, 4 + m), reduction + " d2L/dx_" + m);
            }
          }
        }
        // Each backward all-reduce runs on its member's device.
        for (Iterator<GraphOperation> it = g.operations(); it.hasNext(); ) {
          GraphOperation op = it.next();
          if (op.type().equals(Collectives.OP_TYPE)) {
            assertTrue(op.device().endsWith("CPU:" + op.name().charAt("member_".length())), op.name() + " on " + op.device());
          }
        }
      }
    }
  }

  /**
   * Every op of replica 1's tower that touches no variable is on replica 1's device, its gradient
   * ops included (TensorFlow Java builds those with no device; {@link Placement} places them);
   * variable reads request no device, so they stay with their variables.
   */
  @Test
  void towersOpsAreOnTheirDevices() {
    try (TrainingGraph<TFloat32> g = TrainingGraph.float32(Presets.get("gan-tf1"), 1, 4, 0, false,
        Replication.local(2, false, false))) {
      int gradients = 0;
      int reads = 0;
      for (Iterator<GraphOperation> it = g.graph().operations(); it.hasNext(); ) {
        GraphOperation op = it.next();
        if (!op.name().startsWith("replica_1/")) {
          continue;
        }
        if (op.type().equals("ReadVariableOp")) {
          assertEquals("", op.device(), op.name());
          reads++;
        } else if (!touchesResource(op)) {
          assertTrue(op.device().endsWith("CPU:1"), op.name() + " [" + op.type() + "] on '" + op.device() + "'");
          if (op.name().contains("Gradients")) {
            gradients++;
          }
        }
      }
      assertTrue(gradients > 20, "replica 1's gradient ops: " + gradients);
      assertTrue(reads > 0, "replica 1's reads: " + reads);
    }
  }

  private static boolean touchesResource(GraphOperation op) {
    for (int i = 0; i < op.numInputs(); i++) {
      if (op.input(i).dataType() == DataType.DT_RESOURCE) {
        return true;
      }
    }
    return false;
  }

  private static DeviceSpec cpu(int i) {
    return DeviceSpec.newBuilder().deviceType(DeviceSpec.DeviceType.CPU).deviceIndex(i).build();
  }

  private static double[] values(Result r, int i) {
    TFloat64 t = (TFloat64) r.get(i);
    double[] v = new double[(int) t.shape().size()];
    t.copyTo(DataBuffers.of(v, false, false));
    return v;
  }
}

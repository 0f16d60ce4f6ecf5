package io.jgan.train;

import io.jgan.nn.Tape;
import io.jgan.gan.CrossEntropy;
import static io.jgan.TfTesting.run;
import static io.jgan.TfTesting.values;
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
import org.tensorflow.types.TFloat32;

/**
 * Symbolic gradients of a small network (every layer type of the DCGAN generator and
 * discriminator) against central finite differences of the same float32 graph.
 */
class TapeTest {
  @Test
  void gradientsMatchCentralFiniteDifferences() {
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
          .build(tf, 3);
      s.run(tf.withControlDependencies(net.initOps()).noOp());
      float[] x = values(4 * 3, 5, 1);
      Operand<TFloat32> input = tf.constant(Shape.of(4, 3), DataBuffers.of(x, true, false));
      CallContext ctx = CallContext.training(RandomSource.withStepPlaceholder(tf, 1));
      Operand<TFloat32> y = net.call(tf, input, ctx);
      Operand<TFloat32> loss = CrossEntropy.meanOfAll(tf, tf.math.square(y));

      List<Weight> weights = net.trainableWeights();
      List<Operand<TFloat32>> grads = Tape.gradients(tf, loss,
          weights.stream().map(w -> ctx.read(tf, w, TFloat32.class)).toList());
      double eps = 1e-2;
      int checked = 0;
      for (int wi = 0; wi < weights.size(); wi++) {
        Weight w = weights.get(wi);
        float[] original = run(s, w.as(TFloat32.class));
        float[] analytic = run(s, grads.get(wi));
        Placeholder<TFloat32> value = tf.placeholder(TFloat32.class, Placeholder.shape(w.shape()));
        Op assign = w.as(TFloat32.class).assign(tf, value);
        for (int i = 0; i < original.length; i += Math.max(1, original.length / 6)) {
          float[] plus = original.clone(), minus = original.clone();
          plus[i] += (float) eps;
          minus[i] -= (float) eps;
          double numeric = (lossAt(s, assign, value, w, plus, loss) - lossAt(s, assign, value, w, minus, loss)) / (2 * eps);
          setTo(s, assign, value, w, original);
          double diff = Math.abs(numeric - analytic[i]);
          assertTrue(diff <= 2e-3 + 2e-2 * Math.abs(numeric),
              w.path() + "[" + i + "]: finite difference " + numeric + ", gradient " + analytic[i]);
          checked++;
        }
      }
      assertTrue(checked > 30, "checked " + checked + " partial derivatives");
    }
  }

  private static double lossAt(Session s, Op assign, Placeholder<TFloat32> value, Weight w, float[] v,
      Operand<TFloat32> loss) {
    setTo(s, assign, value, w, v);
    try (Result r = s.runner().fetch(loss).run()) {
      return ((TFloat32) r.get(0)).getFloat();
    }
  }

  private static void setTo(Session s, Op assign, Placeholder<TFloat32> value, Weight w, float[] v) {
    try (TFloat32 t = io.jgan.TfTesting.tensor(w.shape(), v)) {
      s.runner().feed(value, t).addTarget(assign).run();
    }
  }
}

package io.jgan.gan;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jgan.nn.RandomSource;
import io.jgan.nn.Tape;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/**
 * D's loss on real and fake outputs, BCE(1, real) + BCE(0, fake) (or their mean): its gradient with
 * respect to the real outputs is computed from the real outputs alone. The run below feeds only
 * them; were the gradient to read anything of the fake branch (as Add's gradient does, through
 * Shape(fake), or a seed Fill(Shape(loss))), TensorFlow would refuse to run it without the fake
 * outputs, and in a training step the real images' backward pass would wait for G and D(G(z)).
 */
class DiscriminatorLossGradientTest {
  private static final float[] REAL = {-2f, -0.5f, 0.25f, 3f};

  @ParameterizedTest
  @ValueSource(strings = {"logits", "logits-averaged", "probabilities-averaged"})
  void realGradientNeedsOnlyTheRealOutputs(String variant) {
    boolean logits = variant.startsWith("logits");
    boolean averaged = variant.endsWith("averaged");
    Losses.Bce loss = Losses.nonSaturating();
    loss = logits ? loss : loss.onProbabilities();
    loss = averaged ? loss.averaged() : loss;
    float[] real = logits ? REAL : new float[] {0.1f, 0.4f, 0.6f, 0.95f};
    try (Graph g = new Graph(); Session s = new Session(g)) {
      Ops tf = Ops.create(g);
      RandomSource random = RandomSource.withStepPlaceholder(tf, 1);
      Placeholder<TFloat32> realOut = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, 1)));
      Placeholder<TFloat32> fakeOut = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, 1)));
      Operand<TFloat32> dLoss = loss.discriminator(new LossInputs<>(tf, realOut, fakeOut, null, null, null, random,
          StepBuilder.batchOf(tf, realOut), StepBuilder.batchOf(tf, fakeOut))).get("d_loss");
      Operand<TFloat32> grad = Tape.gradients(tf, dLoss, List.of(realOut)).get(0);
      try (TFloat32 fed = TFloat32.tensorOf(Shape.of(real.length, 1));
           Result r = feed(fed, real, s.runner().feed(realOut, fed)).fetch(grad).run()) {
        TFloat32 out = (TFloat32) r.get(0);
        double factor = (averaged ? 0.5 : 1.0) / real.length;
        for (int i = 0; i < real.length; i++) {
          // d/dx BCE(1, x) = sigmoid(x) - 1 on logits; d/dp -log(p) = -1/p on probabilities (inside the clip).
          double expected = (logits ? 1 / (1 + Math.exp(-real[i])) - 1 : -1 / (double) real[i]) * factor;
          assertEquals(expected, out.getFloat(i, 0), 1e-6 * Math.max(1, Math.abs(expected)), variant + " row " + i);
        }
      }
    }
  }

  private static Session.Runner feed(TFloat32 tensor, float[] values, Session.Runner runner) {
    for (int i = 0; i < values.length; i++) {
      tensor.setFloat(values[i], i, 0);
    }
    return runner;
  }
}

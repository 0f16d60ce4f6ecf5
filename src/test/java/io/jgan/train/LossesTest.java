package io.jgan.train;

import io.jgan.gan.LossInputs;
import io.jgan.gan.Losses;
import io.jgan.gan.CrossEntropy;
import static io.jgan.TfTesting.run;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;

/** Binary cross-entropy against its formula evaluated in float64 here. */
class LossesTest {
  private static final float[] LOGITS = {-30f, -2.5f, -0.1f, 0f, 0.7f, 4f, 25f};
  private static final float[] LABELS = {0f, 1f, 0f, 1f, 0.9f, 0f, 1f};

  @Test
  void bceFromLogitsIsTheMeanOfMinusLogLikelihood() {
    double sum = 0;
    for (int i = 0; i < LOGITS.length; i++) {
      double p = 1 / (1 + Math.exp(-LOGITS[i]));
      double z = LABELS[i];
      // -(z log p + (1 - z) log(1 - p)); log(1 - p) = log(sigmoid(-x)) computed without cancellation.
      double logP = -Math.log1p(Math.exp(-LOGITS[i]));
      double log1mP = -Math.log1p(Math.exp(LOGITS[i]));
      if (LOGITS[i] < -20) {
        logP = LOGITS[i];
      }
      if (LOGITS[i] > 20) {
        log1mP = -LOGITS[i];
      }
      assertEquals(Math.log(p), logP, Math.abs(LOGITS[i]) > 20 ? 1e-6 : 1e-12); // sanity of the reference
      sum += -(z * logP + (1 - z) * log1mP);
    }
    double expected = sum / LOGITS.length;
    try (Graph g = new Graph(); Session s = new Session(g)) {
      Ops tf = Ops.create(g);
      float actual = run(s, CrossEntropy.bceFromLogits(tf, tf.constant(LABELS), tf.constant(LOGITS)))[0];
      assertEquals(expected, actual, 1e-5 * expected);
    }
  }

  @Test
  void bceFromLogitsAgainstOneLabelHasTheFormulasValueAndGradient() {
    double[] logits = {-3.0, -0.25, 0.0, 1.5, 40.0};
    try (Graph g = new Graph(); Session s = new Session(g)) {
      Ops tf = Ops.create(g);
      var x = tf.constant(logits);
      for (double label : new double[] {1, 0, 0.9}) {
        var loss = CrossEntropy.bceFromLogits(tf, label, x);
        var gradient = io.jgan.nn.Tape.gradients(tf, loss, java.util.List.of(x)).get(0);
        // Per element -(z log p + (1 - z) log(1 - p)) with log p = -log(1 + e^-x), log(1 - p) = -x - log(1 + e^-x)
        // (x >= 0 here or small enough); d/dx of the mean: (sigmoid(x) - z) / n.
        double sum = 0;
        double[] expectedGradient = new double[logits.length];
        for (int i = 0; i < logits.length; i++) {
          double logP = -Math.log1p(Math.exp(-logits[i]));
          sum += -(label * logP + (1 - label) * (logP - logits[i]));
          expectedGradient[i] = (1 / (1 + Math.exp(-logits[i])) - label) / logits.length;
        }
        try (var r = s.runner().fetch(loss).fetch(gradient).run()) {
          assertEquals(sum / logits.length, ((org.tensorflow.types.TFloat64) r.get(0)).getDouble(), 1e-15, "label " + label);
          for (int i = 0; i < logits.length; i++) {
            assertEquals(expectedGradient[i], ((org.tensorflow.types.TFloat64) r.get(1)).getDouble(i), 1e-16,
                "label " + label + ", d/dx" + i);
          }
        }
      }
    }
  }

  @Test
  void bceOnProbabilitiesClipsAsKerasDoes() {
    float[] probabilities = {0f, 1e-9f, 0.2f, 0.5f, 0.999f, 1f};
    float[] labels = {1f, 0f, 1f, 0f, 1f, 0f};
    // Keras clips to [1e-7, 1 - 1e-7] as float32 constants: 1.0000000e-7f and 0.99999988f.
    double low = (float) 1e-7, high = (float) (1 - 1e-7);
    double sum = 0;
    for (int i = 0; i < probabilities.length; i++) {
      double p = Math.min(Math.max(probabilities[i], low), high);
      sum += -(labels[i] * Math.log(p) + (1 - labels[i]) * Math.log(1 - p));
    }
    double expected = sum / probabilities.length;
    try (Graph g = new Graph(); Session s = new Session(g)) {
      Ops tf = Ops.create(g);
      float actual = run(s, CrossEntropy.bceOnProbabilities(tf, tf.constant(labels), tf.constant(probabilities)))[0];
      assertEquals(expected, actual, 1e-5 * expected);
    }
  }

  @Test
  void bceOnSigmoidOutputUsesTheLogitsAsKeras3Does() {
    // sigmoid(30) rounds to 1.0f: clipped, BCE(0, p) would be -log(1 - 0.99999988) = 15.94; Keras 3
    // sees the Sigmoid op and uses the logit: max(30, 0) - 0 + log1p(exp(-30)) = 30.
    try (Graph g = new Graph(); Session s = new Session(g)) {
      Ops tf = Ops.create(g);
      var logits = tf.constant(new float[][] {{30f}});
      float fromSigmoid = run(s, CrossEntropy.bceOnProbabilities(tf, tf.constant(new float[][] {{0f}}), tf.math.sigmoid(logits)))[0];
      assertEquals(30.0, fromSigmoid, 1e-5);
      float clipped = run(s, CrossEntropy.bceOnProbabilities(tf, tf.constant(new float[][] {{0f}}), tf.identity(tf.math.sigmoid(logits))))[0];
      assertEquals(-Math.log(1 - (double) (float) (1 - 1e-7)), clipped, 1e-3);
    }
  }

  @Test
  void tutorialDiscriminatorLossSumsRealAndFakeTerms() {
    // Seed 000: BCE(1, real) + BCE(0, fake); at logits 0 each term is log 2.
    try (Graph g = new Graph(); Session s = new Session(g)) {
      Ops tf = Ops.create(g);
      var zeros = tf.constant(new float[][] {{0f}, {0f}});
      float d = run(s, Losses.nonSaturating().discriminator(new LossInputs<>(tf, zeros, zeros, zeros, zeros, x -> x, null,
          tf.constant(2L), tf.constant(2L))).get("d_loss"))[0];
      float gl = run(s, Losses.nonSaturating().generator(tf, zeros))[0];
      assertEquals(2 * Math.log(2), d, 1e-6);
      assertEquals(Math.log(2), gl, 1e-6);
    }
  }
  @Test
  void softmaxCrossEntropyIsTheMeanOfMinusLogSoftmaxOfTheLabelledClass() {
    float[][] logits = {{2f, -1f, 0.5f}, {-40f, 10f, 9.5f}, {0f, 0f, 0f}};
    float[][] labels = {{1f, 0f, 0f}, {0f, 0f, 1f}, {0f, 1f, 0f}};
    double sum = 0;
    for (int i = 0; i < logits.length; i++) {
      double max = Math.max(logits[i][0], Math.max(logits[i][1], logits[i][2]));
      double z = 0;
      for (float v : logits[i]) {
        z += Math.exp(v - max);
      }
      for (int k = 0; k < 3; k++) {
        sum += -labels[i][k] * (logits[i][k] - max - Math.log(z)); // -y_k log softmax(x)_k
      }
    }
    double expected = sum / logits.length;
    try (Graph g = new Graph(); Session s = new Session(g)) {
      Ops tf = Ops.create(g);
      float actual = run(s, CrossEntropy.softmaxCrossEntropyFromLogits(tf, tf.constant(labels), tf.constant(logits)))[0];
      assertEquals(expected, actual, 1e-6 * expected);
    }
  }
}

package io.jgan.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The classifier score's two bounds and one case worked by hand, in float64. */
class ClassifierScoreTest {
  @Test
  void uniformPredictionsScoreOne() {
    double[][] logits = new double[50][10];
    for (int i = 0; i < logits.length; i++) {
      java.util.Arrays.fill(logits[i], i * 0.37); // equal logits: p(y|x) uniform for every x
    }
    assertEquals(1.0, ClassifierScore.of(logits), 1e-14);
  }

  @Test
  void confidentBalancedPredictionsScoreTheNumberOfClasses() {
    double[][] logits = new double[40][10];
    for (int i = 0; i < logits.length; i++) {
      java.util.Arrays.fill(logits[i], -1000); // exp(-1000) is 0 in float64: p(y|x) exactly one-hot
      logits[i][i % 10] = 0;
    }
    assertEquals(10.0, ClassifierScore.of(logits), 1e-12);
  }

  @Test
  void aCaseWorkedByHand() {
    // p(y|x1) = (0.75, 0.25), p(y|x2) = (0.25, 0.75): logits (ln 3, 0) and (0, ln 3); p(y) = (0.5, 0.5).
    // KL = 0.75 ln(0.75 / 0.5) + 0.25 ln(0.25 / 0.5) for both rows.
    double[][] logits = {{Math.log(3), 0}, {0, Math.log(3)}};
    double kl = 0.75 * Math.log(1.5) + 0.25 * Math.log(0.5);
    assertEquals(Math.exp(kl), ClassifierScore.of(logits), 1e-15);
  }

  @Test
  void sharesCountTheArgmax() {
    double[][] logits = {{0, 1, 0}, {2, 1, 0}, {0, 5, 1}, {0, 0, 3}};
    assertArrayEquals(new int[] {1, 0, 1, 2}, ClassifierScore.predictions(logits));
    assertArrayEquals(new double[] {0.25, 0.5, 0.25}, ClassifierScore.shares(ClassifierScore.predictions(logits), 3));
  }

  @Test
  void aClassNoImageCanBeIsLeftOutNotNaN() {
    // Class 2's probability underflows to exactly 0 in every row (exp(-1000)), so p(y = 2) is 0 and
    // log p(y = 2) is -infinity: its 0 * log(0 / 0) terms are 0 by convention. The rest is the
    // confident balanced case over two classes: score 2.
    double[][] logits = new double[20][];
    for (int i = 0; i < logits.length; i++) {
      logits[i] = new double[] {i % 2 == 0 ? 0 : -1000, i % 2 == 0 ? -1000 : 0, -1000};
    }
    assertEquals(2.0, ClassifierScore.of(logits), 1e-12);
  }

  @Test
  void aTieGoesToTheFirstClass() {
    assertArrayEquals(new int[] {0, 1, 0}, ClassifierScore.predictions(new double[][] {{2, 2, 1}, {0, 3, 3}, {5, 5, 5}}));
  }
}

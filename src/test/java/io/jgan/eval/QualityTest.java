package io.jgan.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * The conditional metrics on constructed judge outputs: samples asked for class c are exactly the
 * reference's images of class c (per-class distance 0) except class 1, shifted (its distance the
 * squared shift); the label accuracy and class shares are counts done by hand.
 */
class QualityTest {
  @Test
  void labelAccuracyAndPerClassDistancesOfAConditionalGenerator() {
    int perClass = 400;
    int d = 6;
    double[][] referenceFeatures = new double[3 * perClass][];
    int[] referenceLabels = new int[3 * perClass];
    double[][] features = FrechetDistanceTest.features(3 * perClass, d, 9);
    for (int i = 0; i < referenceFeatures.length; i++) {
      referenceLabels[i] = i % 3;
      referenceFeatures[i] = features[i].clone();
      referenceFeatures[i][0] += 3 * referenceLabels[i]; // the classes apart
    }
    double[][] sampleFeatures = new double[referenceFeatures.length][];
    double[][] logits = new double[referenceFeatures.length][];
    int[] requested = new int[referenceFeatures.length];
    for (int i = 0; i < sampleFeatures.length; i++) {
      requested[i] = referenceLabels[i];
      sampleFeatures[i] = referenceFeatures[i].clone();
      if (requested[i] == 1) {
        sampleFeatures[i][2] += 0.5; // class 1 shifted by 0.5 in one feature: Frechet distance 0.25
      }
      logits[i] = new double[3];
      // Every fourth sample is classified as the next class: label accuracy 3/4.
      logits[i][i % 4 == 0 ? (requested[i] + 1) % 3 : requested[i]] = 5;
    }
    Reference reference = Reference.of("constructed", new Judge.Outputs(referenceFeatures, new double[0][]), referenceLabels, 3);
    QualityMetrics m = Quality.measure(new Judge.Outputs(sampleFeatures, logits), requested, 3, reference, null, null);
    assertEquals(0.75, m.labelAccuracy(), 0.0);
    assertEquals(0.0, m.perClassFrechetDistance()[0], 1e-10);
    assertEquals(0.25, m.perClassFrechetDistance()[1], 1e-10);
    assertEquals(0.0, m.perClassFrechetDistance()[2], 1e-10);
    // Predictions: i % 4 == 0 moves class r to r + 1. Over i = 0..1199 with r = i % 3 that is a third of
    // the 300 moved samples per class, so every class keeps 400 samples: shares 1/3 each.
    assertArrayEquals(new double[] {1 / 3.0, 1 / 3.0, 1 / 3.0}, m.classShares(), 1e-15);
    assertNull(m.kid());
  }

  @Test
  void withoutAReferenceThereAreNoDistancesButStillLabelAccuracy() {
    double[][] features = FrechetDistanceTest.features(6, 3, 4);
    double[][] logits = {{1, 0}, {0, 1}, {1, 0}, {1, 0}, {0, 1}, {0, 1}};
    int[] requested = {0, 1, 1, 0, 1, 1}; // the third is classified 0: 5 of 6 right
    QualityMetrics m = Quality.measure(new Judge.Outputs(features, logits), requested, 2, null, null, null);
    assertNull(m.frechetDistance());
    assertNull(m.perClassFrechetDistance());
    assertEquals(5 / 6.0, m.labelAccuracy(), 0.0);
    assertArrayEquals(new double[] {0.5, 0.5}, m.classShares(), 0.0);
    assertEquals(0.5, m.minClassShare(), 0.0);
    QualityMetrics unconditional = Quality.measure(new Judge.Outputs(features, logits), null, 2, null, null, null);
    assertNull(unconditional.labelAccuracy());
  }

  @Test
  void aClassAskedForOnceHasNoDistanceTwiceHasOne() {
    // Reference: 4 rows per class. Samples: class 0 asked for twice (a distance), class 1 once (NaN: no covariance).
    double[][] reference = FrechetDistanceTest.features(8, 2, 5);
    int[] labels = {0, 1, 0, 1, 0, 1, 0, 1};
    Reference ref = Reference.of("test set", new Judge.Outputs(reference, new double[0][]), labels, 2);
    assertEquals("test set", ref.name());
    assertEquals(2, ref.classes());
    assertEquals(8, ref.outputs().count());
    double[][] samples = {reference[0], reference[2], reference[1]};
    double[][] logits = {{1, 0}, {1, 0}, {0, 1}};
    QualityMetrics m = Quality.measure(new Judge.Outputs(samples, logits), new int[] {0, 0, 1}, 2, ref, null, null);
    double expected = FrechetDistance.between(new double[][] {reference[0], reference[2]},
        new double[][] {reference[0], reference[2], reference[4], reference[6]});
    assertEquals(expected, m.perClassFrechetDistance()[0], 1e-12);
    assertTrue(Double.isNaN(m.perClassFrechetDistance()[1]));
    assertEquals(FrechetDistance.between(samples, reference), m.frechetDistance(), 1e-12);
  }

  @Test
  void kidNeedsSubsetsOfAtLeastTwoRows() {
    assertEquals(2, new Quality.KidSettings(1, 2, 0).subsetSize());
    for (int[] bad : new int[][] {{0, 10}, {5, 1}}) {
      IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
          () -> new Quality.KidSettings(bad[0], bad[1], 0));
      assertEquals("expected a positive number of KID subsets of at least 2 rows, got " + bad[0] + " of " + bad[1], e.getMessage());
    }
  }
}

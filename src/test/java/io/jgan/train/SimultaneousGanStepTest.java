package io.jgan.train;

import org.tensorflow.types.TFloat32;
import static io.jgan.TfTesting.run;
import static io.jgan.TfTesting.tensor;
import static io.jgan.TfTesting.values;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jgan.data.Batch;
import io.jgan.nn.Weight;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;

/**
 * Each optimizer owns its own network's variables: with G's learning rate at 0 a step leaves every
 * G weight unchanged (so D's update touched no G weight) while D's weights move, and the reverse.
 */
class SimultaneousGanStepTest {
  @Test
  void discriminatorUpdateChangesOnlyDiscriminatorWeights() {
    try (TrainingGraph<TFloat32> g = TestGraphs.float32(TinyGan.preset(), 7, 4); Session s = g.openSession(1, false)) {
      g.initialize(s);
      io.jgan.TfTesting.assign(g.tf(), s, TestGraphs.adam(g.generatorOptimizer()).learningRate(), new float[] {0f});
      List<float[]> gBefore = snapshot(s, g.networks().generator().trainableWeights());
      List<float[]> dBefore = snapshot(s, g.networks().discriminator().trainableWeights());
      step(g, s);
      assertUnchanged(gBefore, snapshot(s, g.networks().generator().trainableWeights()), g.networks().generator().trainableWeights());
      assertAllChanged(dBefore, snapshot(s, g.networks().discriminator().trainableWeights()), g.networks().discriminator().trainableWeights());
    }
  }

  @Test
  void generatorUpdateChangesOnlyGeneratorWeights() {
    try (TrainingGraph<TFloat32> g = TestGraphs.float32(TinyGan.preset(), 7, 4); Session s = g.openSession(1, false)) {
      g.initialize(s);
      io.jgan.TfTesting.assign(g.tf(), s, TestGraphs.adam(g.discriminatorOptimizer()).learningRate(), new float[] {0f});
      List<float[]> gBefore = snapshot(s, g.networks().generator().trainableWeights());
      List<float[]> dBefore = snapshot(s, g.networks().discriminator().trainableWeights());
      step(g, s);
      assertUnchanged(dBefore, snapshot(s, g.networks().discriminator().trainableWeights()), g.networks().discriminator().trainableWeights());
      assertAllChanged(gBefore, snapshot(s, g.networks().generator().trainableWeights()), g.networks().generator().trainableWeights());
    }
  }

  @Test
  void stepReturnsFiniteLossesAndSameKeyGivesSameStep() {
    double[] first;
    double[] again;
    try (TrainingGraph<TFloat32> g = TestGraphs.float32(TinyGan.preset(), 7, 4); Session s = g.openSession(1, false)) {
      g.initialize(s);
      first = step(g, s);
    }
    try (TrainingGraph<TFloat32> g = TestGraphs.float32(TinyGan.preset(), 7, 4); Session s = g.openSession(1, false)) {
      g.initialize(s);
      again = step(g, s);
    }
    for (double v : first) {
      assertTrue(Double.isFinite(v), Arrays.toString(first));
    }
    // Same seed, step and batch: bit-identical metrics (noise and dropout keyed on seed and step).
    assertArrayEquals(first, again);
  }

  static double[] step(TrainingGraph<TFloat32> g, Session s) {
    try (Batch b = new Batch(tensor(Shape.of(4, 4, 4, 1), values(64, 9, 1)), null)) {
      return g.trainStep().run(s, b, 0);
    }
  }

  static List<float[]> snapshot(Session s, List<Weight> weights) {
    List<float[]> out = new ArrayList<>();
    weights.forEach(w -> out.add(run(s, w.as(TFloat32.class))));
    return out;
  }

  private static void assertUnchanged(List<float[]> before, List<float[]> after, List<Weight> weights) {
    for (int i = 0; i < before.size(); i++) {
      assertArrayEquals(before.get(i), after.get(i), weights.get(i).path() + " must not change");
    }
  }

  private static void assertAllChanged(List<float[]> before, List<float[]> after, List<Weight> weights) {
    for (int i = 0; i < before.size(); i++) {
      assertFalse(Arrays.equals(before.get(i), after.get(i)), weights.get(i).path() + " must change");
    }
  }
}

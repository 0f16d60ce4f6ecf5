package io.jgan.train;

import io.jgan.data.Batch;
import io.jgan.nn.Weight;
import io.jgan.train.graph.TrainingGraph;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.types.TFloat32;
import static io.jgan.TfTesting.run;
import static io.jgan.TfTesting.tensor;
import static io.jgan.TfTesting.values;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;


/**
 * Each optimizer owns its own network's variables: with G's learning rate at 0 a step leaves every
 * G weight unchanged (so D's update touched no G weight) while D's weights move, and the reverse.
 */
class SimultaneousGanStepTest {
  @Test
  void discriminatorUpdateChangesOnlyDiscriminatorWeights() {
    onlyOneNetworkMoves(true);
  }

  @Test
  void generatorUpdateChangesOnlyGeneratorWeights() {
    onlyOneNetworkMoves(false);
  }

  /** One step with the other network's learning rate at 0: only {@code discriminator}'s (or G's) weights move. */
  private static void onlyOneNetworkMoves(boolean discriminator) {
    try (TrainingGraph<TFloat32> g = TestGraphs.float32(TinyGan.preset(), 7, 4); Session s = g.openSession(1, false)) {
      g.initialize(s);
      var frozenOptimizer = discriminator ? g.generatorOptimizer() : g.discriminatorOptimizer();
      io.jgan.TfTesting.assign(g.tf(), s, TestGraphs.adam(frozenOptimizer).learningRate(), new float[] {0f});
      List<Weight> moving = (discriminator ? g.networks().discriminator() : g.networks().generator()).trainableWeights();
      List<Weight> frozen = (discriminator ? g.networks().generator() : g.networks().discriminator()).trainableWeights();
      List<float[]> movingBefore = snapshot(s, moving);
      List<float[]> frozenBefore = snapshot(s, frozen);
      step(g, s);
      assertUnchanged(frozenBefore, snapshot(s, frozen), frozen);
      assertAllChanged(movingBefore, snapshot(s, moving), moving);
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

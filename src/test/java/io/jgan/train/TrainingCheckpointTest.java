package io.jgan.train;

import io.jgan.BadInputException;
import io.jgan.nn.ResourceVariable;
import io.jgan.presets.Presets;
import io.jgan.train.graph.Progress;
import io.jgan.train.graph.SavedRun;
import io.jgan.train.graph.TrainingGraph;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.Session;
import org.tensorflow.types.TFloat32;
import static io.jgan.TfTesting.run;
import static io.jgan.TfTesting.runLong;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;


/** A checkpoint of the tutorial's four objects, saved and restored into a fresh graph. */
class TrainingCheckpointTest {
  @TempDir Path dir;

  @Test
  void restoredInAFreshGraphEqualsWhatWasSavedBitForBit() {
    Path prefix = dir.resolve("ckpt-1");
    List<float[]> saved;
    Progress progress = new Progress(470, 2, 0);
    try (TrainingGraph<TFloat32> g = TestGraphs.float32(Presets.get("dcgan-mnist"), 11, 256); Session s = g.openSession(2, false)) {
      g.initialize(s);
      // Make every optimizer slot non-trivial so that a slot restored from the wrong key would show.
      perturbOptimizerState(g, s);
      saved = values(g, s);
      g.save(s, prefix, 1, progress, "{\"preset\":\"dcgan-mnist\"}");
    }
    assertTrue(Files.exists(dir.resolve("ckpt-1.index")));
    try (TrainingGraph<TFloat32> g = TestGraphs.float32(Presets.get("dcgan-mnist"), 99, 256); Session s = g.openSession(2, false)) {
      g.initialize(s); // different seed: different initial values, which the restore must replace
      assertFalse(Arrays.equals(saved.get(0), values(g, s).get(0)));
      SavedRun header = g.restore(s, prefix, TrainingGraph.ALL);
      List<float[]> restored = values(g, s);
      assertEquals(saved.size(), restored.size());
      for (int i = 0; i < saved.size(); i++) {
        assertArrayEquals(saved.get(i), restored.get(i), "variable " + i);
      }
      assertEquals(progress, header.progress());
      assertEquals(1, header.saveCounter());
      assertEquals("{\"preset\":\"dcgan-mnist\"}", header.configJson());
      assertEquals(3L, runLong(s, g.generatorOptimizer().iterations()));
    }
  }

  @Test
  void keysAreThoseKeras3WritesForTheTutorialObjects() {
    // Keys listed by tf.train.list_variables on a checkpoint the seed 000 program wrote after one
    // training step (TensorFlow 2.18, Keras 3.15); every one of them must be among ours.
    List<String> python = List.of(
        "discriminator_optimizer/_iterations/.ATTRIBUTES/VARIABLE_VALUE",
        "discriminator_optimizer/_learning_rate/.ATTRIBUTES/VARIABLE_VALUE",
        "discriminator_optimizer/_trainable_variables/0/.ATTRIBUTES/VARIABLE_VALUE",
        "discriminator_optimizer/_trainable_variables/5/.ATTRIBUTES/VARIABLE_VALUE",
        "discriminator_optimizer/_variables/2/.ATTRIBUTES/VARIABLE_VALUE",
        "discriminator_optimizer/_variables/13/.ATTRIBUTES/VARIABLE_VALUE",
        "generator/_functional/_operations/2/moving_mean/.ATTRIBUTES/VARIABLE_VALUE",
        "generator/_functional/_operations/9/moving_variance/.ATTRIBUTES/VARIABLE_VALUE",
        "generator_optimizer/_trainable_variables/0/.ATTRIBUTES/VARIABLE_VALUE",
        "generator_optimizer/_trainable_variables/9/.ATTRIBUTES/VARIABLE_VALUE",
        "generator_optimizer/_variables/21/.ATTRIBUTES/VARIABLE_VALUE",
        "save_counter/.ATTRIBUTES/VARIABLE_VALUE");
    try (TrainingGraph<TFloat32> g = TestGraphs.float32(Presets.get("dcgan-mnist"), 1, 256)) {
      List<String> ours = g.checkpoint().keys();
      for (String key : python) {
        assertTrue(ours.contains(key), key + " missing from " + ours);
      }
      // 10 G weights + 6 D weights via the optimizers, 6 G moving statistics, 2 x (2 + 2 x 10) and
      // 2 x (2 + 2 x 6) optimizer values... counted: 16 + 6 + 22 + 14 = 58 variables, plus
      // save_counter and the object graph (60) and our 4 progress entries.
      assertEquals(64, ours.size());
    }
  }

  @Test
  void functionalAndConditionalModelsUseKerasFunctionalPaths() {
    // Seed 003's models are keras.Model(inputs, outputs): layers under <model>/_operations/<i> with
    // the InputLayer at 0; the conditional ones have two InputLayers and a Concatenate first (0-2).
    // Generator BatchNorm layers (not in an optimizer) keep their model paths as keys:
    // wgan-gp: Reshape 1, ConvT 2, BN 3, LeakyReLU 4, ConvT 5, BN 6, ... -> BN at 3, 6, 9, 12;
    // cwgan-gp: Reshape 3, ConvT 4, BN 5, ... -> BN at 5, 8, 11, 14.
    try (TrainingGraph<TFloat32> g = TestGraphs.float32(Presets.get("wgan-gp"), 1, 8)) {
      List<String> keys = g.checkpoint().keys();
      for (int bn : new int[] {3, 6, 9, 12}) {
        assertTrue(keys.contains("generator/_operations/" + bn + "/moving_mean/.ATTRIBUTES/VARIABLE_VALUE"), keys.toString());
      }
    }
    try (TrainingGraph<TFloat32> g = TestGraphs.float32(Presets.get("cwgan-gp"), 1, 8, 2)) {
      List<String> keys = g.checkpoint().keys();
      for (int bn : new int[] {5, 8, 11, 14}) {
        assertTrue(keys.contains("generator/_operations/" + bn + "/moving_variance/.ATTRIBUTES/VARIABLE_VALUE"), keys.toString());
      }
    }
  }

  @Test
  void restoreRefusesCheckpointOfAnotherModelAndChangesNothing() {
    Path prefix = dir.resolve("ckpt-1");
    try (TrainingGraph<TFloat32> g = TestGraphs.float32(TinyGan.preset(), 3, 4); Session s = g.openSession(1, false)) {
      g.initialize(s);
      g.save(s, prefix, 1, Progress.START, "{}");
    }
    try (TrainingGraph<TFloat32> g = TestGraphs.float32(Presets.get("dcgan-mnist"), 1, 256); Session s = g.openSession(2, false)) {
      g.initialize(s);
      List<float[]> before = values(g, s);
      BadInputException e = assertThrows(BadInputException.class,
          () -> g.restore(s, prefix, TrainingGraph.ALL));
      assertTrue(e.getMessage().startsWith(prefix + ": cannot restore"), e.getMessage());
      assertTrue(e.getMessage().contains("missing generator/"), e.getMessage());
      List<float[]> after = values(g, s);
      for (int i = 0; i < before.size(); i++) {
        assertArrayEquals(before.get(i), after.get(i));
      }
    }
  }

  private static void perturbOptimizerState(TrainingGraph<TFloat32> g, Session s) {
    var tf = g.tf();
    List<org.tensorflow.op.Op> ops = new ArrayList<>();
    for (var adam : List.of(TestGraphs.adam(g.generatorOptimizer()), TestGraphs.adam(g.discriminatorOptimizer()))) {
      for (int i = 0; i < adam.momentums().size(); i++) {
        ResourceVariable<TFloat32> m = adam.momentums().get(i);
        ResourceVariable<TFloat32> v = adam.velocities().get(i);
        ops.add(m.assign(tf, tf.math.add(tf.zerosLike(m.read(tf)), tf.constant(0.001f * (i + 1)))));
        ops.add(v.assign(tf, tf.math.add(tf.zerosLike(v.read(tf)), tf.constant(0.002f * (i + 1)))));
      }
      ops.add(adam.iterations().assign(tf, tf.constant(3L)));
    }
    s.run(tf.withControlDependencies(ops).noOp());
  }

  static List<float[]> values(TrainingGraph<TFloat32> g, Session s) {
    List<float[]> out = new ArrayList<>();
    TestGraphs.networkWeights(g).forEach(w -> out.add(run(s, w.as(TFloat32.class))));
    for (var adam : List.of(TestGraphs.adam(g.generatorOptimizer()), TestGraphs.adam(g.discriminatorOptimizer()))) {
      adam.momentums().forEach(m -> out.add(run(s, m)));
      adam.velocities().forEach(v -> out.add(run(s, v)));
      out.add(run(s, adam.learningRate()));
    }
    return out;
  }
}

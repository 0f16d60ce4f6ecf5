package io.jgan.train;

import io.jgan.TfTesting;
import io.jgan.data.Batch;
import io.jgan.gan.Phase;
import io.jgan.gan.Preset;
import io.jgan.gan.Steps;
import io.jgan.presets.Presets;
import io.jgan.train.graph.TrainStep;
import io.jgan.train.graph.TrainingGraph;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.types.TFloat32;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;


/**
 * Every random tensor of every train step kind (simultaneous, alternating with fresh or reused
 * noise, WGAN-GP with its critic iterations) is drawn afresh at each step, and again at each
 * critic iteration, while the same (seed, step) draws exactly the same numbers in a new graph and
 * session. The draws are observed inside the production {@link TrainStep#run} path, so a step or
 * sub-step counter that stopped being fed (which would repeat one draw forever while every loss
 * still looked fine) fails here.
 */
class FreshRandomnessTest {
  static final int BATCH = 2;
  static final long SEED = 11;

  @ParameterizedTest
  @ValueSource(strings = {"dcgan-mnist", "dcgan-lego", "gan-mlp", "gan-tf1", "dcgan-flux", "wgan-gp", "cwgan-gp"})
  void consecutiveStepsDrawFreshNumbersAndTheSameStepRepeats(String name) {
    Preset preset = Presets.get(name);
    int classes = preset.data().conditional() ? 2 : 0;
    Map<String, double[]> step5;
    Map<String, double[]> step6;
    Map<String, double[]> step5Again;
    int phases;
    try (TrainingGraph<TFloat32> g = TestGraphs.float32(preset, SEED, BATCH, classes); Session s = g.openSession(1, false)) {
      g.initialize(s);
      phases = g.trainStep().phases().size();
      step5 = draws(g, s, 5);
      step6 = draws(g, s, 6);
    }
    try (TrainingGraph<TFloat32> g = TestGraphs.float32(preset, SEED, BATCH, classes); Session s = g.openSession(1, false)) {
      g.initialize(s);
      step5Again = draws(g, s, 5);
    }
    assertFalse(step5.isEmpty());
    assertEquals(step5.keySet(), step6.keySet());
    for (String key : step5.keySet()) {
      assertArrayEquals(step5.get(key), step5Again.get(key), name + " " + key + ": the same (seed, step) must repeat");
      assertFalse(Arrays.equals(step5.get(key), step6.get(key)), name + " " + key + ": steps 5 and 6 drew the same numbers");
    }
    // WGAN-GP: each critic iteration of one step draws its own noise, alphas and masks.
    List<String> critic0 = step5.keySet().stream().filter(k -> k.startsWith("critic_0/")).toList();
    for (String key : critic0) {
      String tensor = key.substring("critic_0/".length());
      for (int k = 1; k < Steps.CRITIC_STEPS_DEFAULT; k++) {
        assertFalse(Arrays.equals(step5.get(key), step5.get("critic_" + k + "/" + tensor)),
            name + ": critic iterations 0 and " + k + " drew the same " + tensor);
      }
    }
    // Seed 002 reuses the D phase's noise for G: the same numbers within a step, by design.
    if (name.equals("dcgan-flux")) {
      assertArrayEquals(step5.get("discriminator/noise"), step5.get("generator/noise"));
    }
    assertEquals(phases, step5.keySet().stream().map(k -> k.split("/")[0]).distinct().count(),
        name + ": every phase observed");
    assertTrue(step5.keySet().stream().anyMatch(k -> k.endsWith("noise")), name + ": latent noise observed");
  }

  /** Runs step {@code step} and returns every random tensor of every phase as it was drawn, by "phase/name". */
  private static Map<String, double[]> draws(TrainingGraph<TFloat32> g, Session s, long step) {
    Map<String, double[]> seen = new LinkedHashMap<>();
    TrainStep.Hooks observe = new TrainStep.Hooks() {
      @Override
      public List<Operand<?>> observe(int index, Phase phase) {
        return List.copyOf(phase.randomTensors().values());
      }

      @Override
      public void observed(int index, Phase phase, List<Tensor> values) {
        List<String> names = List.copyOf(phase.randomTensors().keySet());
        for (int i = 0; i < names.size(); i++) {
          seen.put(phase.name() + "/" + names.get(i), TfTesting.toDouble(TfTesting.floats((TFloat32) values.get(i))));
        }
      }
    };
    Shape image = g.spec().imageShape();
    float[] pixels = TfTesting.values((int) (BATCH * image.size()), 3, 1);
    try (TFloat32 images = TfTesting.tensor(Shape.of(BATCH, image.size(0), image.size(1), image.size(2)), pixels);
         TFloat32 labels = g.classes() > 0 ? g.inference().oneHot(0, 1) : null) {
      double[] metrics = g.trainStep().run(s, new Batch(images, labels), step, observe);
      for (double m : metrics) {
        assertTrue(Double.isFinite(m), Arrays.toString(metrics));
      }
    }
    return seen;
  }
}

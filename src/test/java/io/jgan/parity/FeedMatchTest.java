package io.jgan.parity;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.jgan.presets.Presets;
import io.jgan.train.TestGraphs;
import io.jgan.train.graph.TrainStep;
import io.jgan.train.graph.TrainingGraph;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.types.TFloat32;

/**
 * The parity driver refuses Python feed files that are not exactly each phase's random tensors: a
 * draw one side forgets would otherwise silently fall back to Java's own random numbers.
 */
class FeedMatchTest {
  @TempDir
  Path dir;

  @Test
  void feedsMustBeExactlyEachPhasesRandomTensors() throws IOException {
    try (TrainingGraph<TFloat32> g = TestGraphs.float32(Presets.get("gan-tf1"), 1, 2)) {
      TrainStep step = g.trainStep();
      // seed 004: D phase draws the noise, G phase fresh noise; no dropout, no label noise.
      touch("step0_run0_noise.npy");
      touch("step0_run1_generator_noise.npy");
      assertDoesNotThrow(() -> ParityDriver.requireFeedsMatch(dir, step, 1));

      Files.delete(dir.resolve("step0_run1_generator_noise.npy"));
      IllegalStateException missing = assertThrows(IllegalStateException.class,
          () -> ParityDriver.requireFeedsMatch(dir, step, 1));
      assertEquals(dir + ": Python's random draws and Java's random tensors differ: step 0 phase 1 (generator): "
          + "expected feeds [generator_noise], got []", missing.getMessage());

      touch("step0_run1_generator_noise.npy");
      touch("step0_run0_dropout_0.npy");
      touch("step1_run0_noise.npy");
      IllegalStateException extra = assertThrows(IllegalStateException.class,
          () -> ParityDriver.requireFeedsMatch(dir, step, 1));
      assertEquals(dir + ": Python's random draws and Java's random tensors differ: step 0 phase 0 (discriminator): "
          + "expected feeds [noise], got [dropout_0, noise]; feeds for step/phase 1/0 that the step does not have: [noise]",
          extra.getMessage());
    }
  }

  private void touch(String name) throws IOException {
    Files.writeString(dir.resolve(name), "");
  }
}

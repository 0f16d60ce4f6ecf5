package io.jgan.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jgan.store.CheckpointManager;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code --steps-per-run 3} (three steps unrolled into one session run) against one step per run:
 * the same checkpoint bytes (weights, BatchNorm statistics, optimizer slots, progress) and the same
 * per-step losses.csv. Two epochs of 7 steps mix both kinds of run: step 1 runs alone (TensorBoard
 * reads the weights after it), then runs of three, and each epoch's seventh step alone again
 * (a run never crosses an epoch's end). The presets cover the simultaneous step with BatchNorm and
 * dropout (dcgan-mnist), the alternating step with a mixed batch and dropout (gan-mlp) and with
 * fresh uniform noise (gan-tf1).
 */
class StepsPerRunTest {
  @TempDir static Path dir;

  private static void train(String preset, Path run, int stepsPerRun) {
    CommandLineTest.Outcome o = CommandLineTest.run("train", "--preset", preset, "--batch-size", "8", "--steps-per-epoch", "7",
        "--epochs", "2", "--steps", "0", "--threads", "2", "--seed", "9", "--run-dir", run.toString(),
        "--eval-every", "0", "--steps-per-run", Integer.toString(stepsPerRun));
    assertEquals(0, o.status(), o.err());
  }

  @ParameterizedTest
  @ValueSource(strings = {"dcgan-mnist", "gan-mlp", "gan-tf1"})
  void threeStepsPerRunEqualOneAtATime(String preset) throws Exception {
    Path single = dir.resolve(preset + "-1");
    Path unrolled = dir.resolve(preset + "-3");
    train(preset, single, 1);
    train(preset, unrolled, 3);
    Path a = single.resolve("training_checkpoints/ckpt-1"); // the save after the last epoch
    Path b = unrolled.resolve("training_checkpoints/ckpt-1");
    assertTrue(CheckpointManager.isComplete(a) && CheckpointManager.isComplete(b));
    assertArrayEquals(Files.readAllBytes(CheckpointManager.data(a)), Files.readAllBytes(CheckpointManager.data(b)),
        "weights, BatchNorm statistics, optimizer slots and progress");
    assertArrayEquals(Files.readAllBytes(CheckpointManager.index(a)), Files.readAllBytes(CheckpointManager.index(b)));
    List<String> losses = Files.readAllLines(unrolled.resolve("losses.csv"));
    assertEquals(1 + 14, losses.size(), "a header and one row per step");
    assertEquals(Files.readAllLines(single.resolve("losses.csv")), losses);
  }

  @Test
  void wganGpIsRefusedBeforeAnythingIsWritten() {
    Path run = dir.resolve("wgan");
    CommandLineTest.Outcome o = CommandLineTest.run("train", "--preset", "wgan-gp", "--data", dir.toString(), "--run-dir",
        run.toString(), "--steps-per-run", "2");
    assertEquals(Command.USAGE_ERROR, o.status(), o.out() + o.err());
    assertTrue(o.err().contains("--steps-per-run") && o.err().contains("wgan-gp"), o.err());
    assertTrue(!Files.exists(run), "nothing written");
  }
}

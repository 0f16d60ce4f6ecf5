package io.jgan.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jgan.store.CheckpointManager;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The random streams KillResumeTest's dcgan-mnist does not have: seed 003's label noise
 * (dcgan-lego), the gradient penalty's alpha and the class labels (cwgan-gp), and the alternating
 * D-then-G steps with dropout and fresh generator noise (gan-mlp). Three epochs straight through
 * and one epoch then a resume to three end with the same checkpoint bytes and per-step losses.
 */
class ExactResumeTest {
  @TempDir static Path dir;
  static Path folder;

  @BeforeAll
  static void exportImages() {
    folder = dir.resolve("images");
    assertEquals(0, CommandLineTest.run("export-images", "--dataset", "mnist", "--out", folder.toString(), "--size", "64",
        "--limit", "32").status());
  }

  static Stream<Arguments> presets() {
    return Stream.of(
        Arguments.of("dcgan-lego", List.of("--data", "FOLDER")),
        Arguments.of("cwgan-gp", List.of("--data", "FOLDER", "--label-csv", "FOLDER/list_attr_celeba.csv", "--label", "digit_1")),
        Arguments.of("gan-mlp", List.of()));
  }

  private static void train(String preset, List<String> extra, Path run, int epochs) {
    List<String> args = new ArrayList<>(List.of("train", "--preset", preset, "--batch-size", "8", "--steps-per-epoch", "2",
        "--checkpoint-every", "1", "--threads", "2", "--seed", "5", "--run-dir", run.toString(), "--epochs",
        Integer.toString(epochs)));
    extra.forEach(a -> args.add(a.replace("FOLDER", folder.toString())));
    if (extra.contains("--data")) {
      args.addAll(List.of("--cache-dir", dir.resolve("cache").toString())); // not the checkout's data/cache
    }
    CommandLineTest.Outcome o = CommandLineTest.run(args.toArray(String[]::new));
    assertEquals(0, o.status(), o.err());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("presets")
  void resumedEqualsStraightThrough(String preset, List<String> extra) throws Exception {
    Path straight = dir.resolve(preset + "-straight");
    Path resumed = dir.resolve(preset + "-resumed");
    train(preset, extra, straight, 3);
    train(preset, extra, resumed, 1);
    train(preset, extra, resumed, 3);
    Path a = straight.resolve("training_checkpoints/ckpt-3");
    Path b = resumed.resolve("training_checkpoints/ckpt-3");
    assertTrue(CheckpointManager.isComplete(a) && CheckpointManager.isComplete(b));
    assertArrayEquals(Files.readAllBytes(CheckpointManager.data(a)), Files.readAllBytes(CheckpointManager.data(b)),
        "weights, BatchNorm statistics, optimizer slots and progress");
    assertArrayEquals(Files.readAllBytes(CheckpointManager.index(a)), Files.readAllBytes(CheckpointManager.index(b)));
    assertEquals(Files.readString(straight.resolve("losses.csv")), Files.readString(resumed.resolve("losses.csv")));
  }
}

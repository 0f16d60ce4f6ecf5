package io.jgan.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code train} measures sample quality every epoch by default on MNIST (metrics.csv,
 * quality.png, TensorBoard), without changing anything training writes: the same run with
 * {@code --eval-every 0} gives the same checkpoint bytes and losses, and a resumed run keeps its
 * earlier rows, computes a row its checkpoint's epoch is missing (a kill between the two) to the
 * same value, and goes on; {@code evaluate --every-checkpoint} writes the same rows afterwards for
 * the run trained without evaluation.
 */
class QualityDuringTrainingTest {
  @TempDir Path dir;

  private static final String[] RUN = {"train", "--preset", "dcgan-mnist", "--batch-size", "16", "--steps-per-epoch", "2",
      "--threads", "2", "--seed", "5", "--checkpoint-every", "1"};

  private static String[] with(String... more) {
    return Stream.concat(Stream.of(RUN), Stream.of(more)).toArray(String[]::new);
  }

  @Test
  void evaluatedEveryEpochWithoutChangingTrainingAndResumed() throws Exception {
    Path evaluated = dir.resolve("evaluated");
    CommandLineTest.Outcome a = CommandLineTest.run(with("--epochs", "2", "--run-dir", evaluated.toString()));
    assertEquals(0, a.status(), a.err());
    assertTrue(a.out().contains("Sample quality every 1 epoch: 2000 samples judged by savedmodels/judge-mnist"), a.out());
    assertTrue(a.out().contains("Sample quality after epoch 2: classifier score"), a.out());
    List<String> rows = Files.readAllLines(evaluated.resolve("metrics.csv"));
    assertEquals("epoch,step,count,classifier_score,frechet_distance,kid,kid_std,min_class_share", rows.get(0));
    assertEquals(3, rows.size(), rows.toString());
    assertTrue(rows.get(1).startsWith("1,2,2000,") && rows.get(2).startsWith("2,4,2000,"), rows.toString());
    assertTrue(Files.size(evaluated.resolve("quality.png")) > 0);
    try (Stream<Path> events = Files.list(evaluated.resolve("logs/quality"))) {
      assertTrue(events.anyMatch(p -> p.getFileName().toString().startsWith("events.out.tfevents")));
    }

    Path plain = dir.resolve("plain");
    CommandLineTest.Outcome b = CommandLineTest.run(with("--epochs", "2", "--run-dir", plain.toString(), "--eval-every", "0"));
    assertEquals(0, b.status(), b.err());
    assertFalse(Files.exists(plain.resolve("metrics.csv")));
    for (String file : new String[] {"training_checkpoints/ckpt-1.data-00000-of-00001", "training_checkpoints/ckpt-1.index",
        "losses.csv", "image_at_epoch_0002.png"}) {
      assertArrayEquals(Files.readAllBytes(plain.resolve(file)), Files.readAllBytes(evaluated.resolve(file)),
          file + " differs with evaluation on");
    }

    // The run without evaluation gets the same curve afterwards, from its checkpoints.
    CommandLineTest.Outcome curve = CommandLineTest.run("evaluate", "--run-dir", plain.toString(), "--every-checkpoint");
    assertEquals(0, curve.status(), curve.err());
    assertEquals(rows, Files.readAllLines(plain.resolve("metrics.csv")), "evaluate --every-checkpoint writes what "
        + "train --eval-every 1 wrote");
    CommandLineTest.Outcome again = CommandLineTest.run("evaluate", "--run-dir", plain.toString(), "--every-checkpoint");
    assertEquals(1, again.status());
    assertTrue(again.err().contains("metrics.csv: expected none"), again.err());

    // As if killed after epoch 2's checkpoint but before its evaluation: its row is missing.
    Files.write(evaluated.resolve("metrics.csv"), rows.subList(0, 2));
    CommandLineTest.Outcome resumed = CommandLineTest.run(with("--epochs", "3", "--run-dir", evaluated.toString()));
    assertEquals(0, resumed.status(), resumed.err());
    List<String> after = Files.readAllLines(evaluated.resolve("metrics.csv"));
    assertEquals(4, after.size(), after.toString());
    assertEquals(rows, after.subList(0, 3), "epoch 1's row kept, epoch 2's computed again from the same weights, the same");
    assertTrue(after.get(3).startsWith("3,6,2000,"), after.toString());
  }
}

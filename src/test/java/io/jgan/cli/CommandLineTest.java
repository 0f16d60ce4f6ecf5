package io.jgan.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Command-line errors: a bad option or value prints the usage and exits with 2; bad input files exit with 1. */
class CommandLineTest {
  @TempDir Path dir;

  record Outcome(int status, String out, String err) {}

  static Outcome run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
    int status = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Outcome(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  @Test
  void noCommandPrintsOverviewAndExits2() {
    Outcome o = run();
    assertEquals(2, o.status());
    assertTrue(o.err().contains("error: expected a command"));
    assertTrue(o.err().contains("train") && o.err().contains("generate"));
  }

  @Test
  void unknownCommandIsNamed() {
    Outcome o = run("trian");
    assertEquals(2, o.status());
    assertTrue(o.err().contains("unknown command 'trian': expected one of train, generate"), o.err());
  }

  @Test
  void helpOnEachCommandPrintsItsOptionsAndExits0() {
    Outcome train = run("train", "--help");
    assertEquals(0, train.status());
    for (String option : new String[] {"--preset", "--epochs", "--steps-per-epoch", "--batch-size", "--run-dir",
        "--seed", "--checkpoint-every", "--threads", "--fresh"}) {
      assertTrue(train.out().contains(option), option + " missing from\n" + train.out());
    }
    Outcome generate = run("generate", "--help");
    assertEquals(0, generate.status());
    for (String option : new String[] {"--run-dir", "--count", "--seed", "--out"}) {
      assertTrue(generate.out().contains(option), option + " missing from\n" + generate.out());
    }
  }

  @Test
  void unknownOptionPrintsUsage() {
    Outcome o = run("train", "--epoch", "3");
    assertEquals(2, o.status());
    assertTrue(o.err().contains("error: "), o.err());
    assertTrue(o.err().contains("usage: jgan train"), o.err());
  }

  @Test
  void nonNumericValueNamesOptionAndValue() {
    Outcome o = run("train", "--epochs", "many");
    assertEquals(2, o.status());
    assertTrue(o.err().contains("--epochs: expected an integer, got 'many'"), o.err());
  }

  @Test
  void zeroBatchSizeAndNegativeEpochsAreRejectedBeforeAnythingIsWritten() {
    Path runDir = dir.resolve("run");
    Outcome zero = run("train", "--batch-size", "0", "--run-dir", runDir.toString());
    assertEquals(2, zero.status());
    assertTrue(zero.err().contains("--batch-size: expected an integer >= 1, got 0"), zero.err());
    Outcome negative = run("train", "--epochs", "-2", "--run-dir", runDir.toString());
    assertEquals(2, negative.status());
    assertTrue(negative.err().contains("--epochs: expected an integer >= 1, got -2"), negative.err());
    assertFalse(Files.exists(runDir));
  }

  @Test
  void unknownPresetListsTheValidOnes() {
    Outcome o = run("train", "--preset", "dcgan-cifar");
    assertEquals(2, o.status());
    assertTrue(o.err().contains("unknown preset 'dcgan-cifar': expected one of dcgan-mnist, dcgan-fashion"), o.err());
  }

  @Test
  void generateNeedsARunDirectory() {
    Outcome o = run("generate");
    assertEquals(2, o.status());
    assertTrue(o.err().contains("expected exactly one of --run-dir DIR or --model DIR, got neither"), o.err());
  }

  @Test
  void generateOnADirectoryWithoutCheckpointsSaysSo() throws Exception {
    Files.createDirectories(dir.resolve("empty"));
    Outcome o = run("generate", "--run-dir", dir.resolve("empty").toString());
    assertEquals(1, o.status());
    assertTrue(o.err().contains("expected a checkpoint (train first), found none"), o.err());
  }

  @Test
  void strayArgumentIsRejected() {
    Outcome o = run("generate", "--run-dir", "x", "extra");
    assertEquals(2, o.status());
    assertTrue(o.err().contains("unexpected argument 'extra'"), o.err());
  }
}

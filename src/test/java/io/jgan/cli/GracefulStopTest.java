package io.jgan.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jgan.presets.Presets;
import io.jgan.store.CheckpointManager;
import io.jgan.train.TestGraphs;
import io.jgan.train.graph.SavedRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ctrl-C and SIGTERM lose no work (RELIABILITY.md): a trainer in a child JVM, signalled mid-epoch,
 * finishes its step, saves an interim checkpoint of exactly that step, says how to resume and exits
 * with 130 (SIGINT) or 143 (SIGTERM); resumed, it ends bit for bit as the run straight through. A
 * second signal stops at once. Time-based interim checkpoints ({@code --checkpoint-minutes}) leave
 * the numbered checkpoints as they would have been.
 *
 * <p>dcgan-mnist on real MNIST at batch 16: 3 epochs of 24 steps, a checkpoint every epoch (the
 * default of an interim one after 10 minutes never comes into play in these half-minute runs).
 */
class GracefulStopTest {
  private static final String[] RUN = {"train", "--preset", "dcgan-mnist", "--batch-size", "16", "--steps-per-epoch", "24",
      "--checkpoint-every", "1", "--threads", "2", "--seed", "5", "--epochs", "3"};
  private static final int STEPS_PER_EPOCH = 24;

  @TempDir static Path dir;
  static Path straight;

  @BeforeAll
  static void trainStraightThrough() throws Exception {
    straight = dir.resolve("straight");
    CommandLineTest.Outcome o = ChildTrainers.runToEnd(ChildTrainers.with(RUN, "--run-dir", straight.toString()),
        dir.resolve("straight.log"));
    assertEquals(0, o.status(), o.out());
  }

  /**
   * Starts a trainer, signals it {@code share} of half its first epoch's time after that epoch ends, and checks the
   * graceful stop; then resumes it to the end and compares it with the straight run.
   *
   * @param relaunching start it as a user's command does (a parent and a quiet child JVM)
   * @param group signal the whole process group (a terminal's Ctrl-C) rather than the one process
   */
  private static void stopResumeAndCompare(String name, String signal, int expectedStatus, boolean relaunching,
      boolean group, double share) throws Exception {
    Path run = dir.resolve(name);
    Path log = dir.resolve(name + ".log");
    Process child = ChildTrainers.start(ChildTrainers.with(RUN, "--run-dir", run.toString()), log, relaunching, group);
    ChildTrainers.waitFor(log, "Time for epoch", 1, child, 180);
    // A share of the first epoch's time (which includes building the graph, so at least one later
    // epoch's): the signal lands during the second epoch on a slow machine and a fast one alike.
    Matcher first = Pattern.compile("Time for epoch 1 is ([0-9.]+) sec").matcher(Files.readString(log));
    assertTrue(first.find(), "the first epoch's time in " + log);
    Thread.sleep((long) (share * Double.parseDouble(first.group(1)) * 1000 / 2));
    ChildTrainers.signal(child, signal, group);
    assertTrue(child.waitFor(120, TimeUnit.SECONDS), "the child stops");
    String printed = Files.readString(log);
    assertEquals(expectedStatus, child.exitValue(), printed);
    assertTrue(printed.contains("Stopping after the current step (SIG" + signal + ")"), printed);
    assertTrue(printed.contains("Resume with: mvn exec:java -Dexec.args=\"train --run-dir " + run + "\""), printed);

    // The latest checkpoint holds exactly the step the run reached, which the log names.
    CheckpointManager checkpoints = new CheckpointManager(run.resolve("training_checkpoints"), 0);
    Path latest = checkpoints.latest().orElseThrow();
    SavedRun saved = SavedRun.read(latest);
    assertTrue(printed.contains("Stopped by SIG" + signal + " at step " + saved.progress().globalStep() + " "), printed);
    assertTrue(saved.progress().globalStep() >= STEPS_PER_EPOCH, "stopped after the first epoch: " + saved.progress());
    long rows = Files.readAllLines(run.resolve("losses.csv")).size() - 1;
    assertEquals(saved.progress().globalStep(), rows, "every step's losses up to the stop, and no more");
    if (saved.progress().stepInEpoch() != 0) {
      assertTrue(CheckpointManager.isInterim(latest), latest + " after a stop mid-epoch");
      assertEquals(saved.progress().globalStep() / STEPS_PER_EPOCH, saved.saveCounter(),
          "an interim checkpoint keeps the save counter of the numbered one before it");
    }

    CommandLineTest.Outcome resumed = ChildTrainers.runToEnd(ChildTrainers.with(RUN, "--run-dir", run.toString()),
        dir.resolve(name + "-resumed.log"));
    assertEquals(0, resumed.status(), resumed.out());
    assertTrue(resumed.out().contains("Resumed from " + latest), resumed.out());
    ChildTrainers.assertSameRun(straight, run, 1, 3, name + ", stopped at " + saved.progress());
    try (Stream<Path> files = Files.list(run.resolve("training_checkpoints"))) {
      assertEquals(List.of(), files.filter(f -> CheckpointManager.isInterim(f)).toList(), "the interim checkpoint is gone");
    }
  }

  @Test
  void ctrlCToTheProcessGroupOfARelaunchingCommandStopsAfterTheStepAndResumesBitForBit() throws Exception {
    stopResumeAndCompare("int-group", "INT", 130, true, true, new Random(1).nextDouble());
  }

  @Test
  void sigtermToTheCommandAloneIsForwardedAndStopsAfterTheStep() throws Exception {
    stopResumeAndCompare("term-parent", "TERM", 143, true, false, new Random(2).nextDouble());
  }

  @Test
  void sigtermToTheTrainerItselfStopsAfterTheStep() throws Exception {
    stopResumeAndCompare("term-trainer", "TERM", 143, false, false, new Random(3).nextDouble());
  }

  /** A second signal during a long step (WGAN-GP at 64x64, seconds a step) stops at once. */
  @Test
  void aSecondSignalStopsAtOnceWithoutSaving() throws Exception {
    Path images = dir.resolve("mnist64");
    assertEquals(0, CommandLineTest.run("export-images", "--dataset", "mnist", "--out", images.toString(), "--size", "64",
        "--limit", "64").status());
    Path run = dir.resolve("twice");
    Path log = dir.resolve("twice.log");
    String[] args = {"train", "--preset", "wgan-gp", "--data", images.toString(), "--batch-size", "32",
        "--steps-per-epoch", "2", "--epochs", "3", "--threads", "2", "--run-dir", run.toString()};
    Process child = ChildTrainers.start(args, log, false, false);
    ChildTrainers.waitFor(log, "Saved checkpoint", 1, child, 300);
    ChildTrainers.signal(child, "INT", false);
    ChildTrainers.waitFor(log, "Stopping after the current step", 1, child, 30);
    ChildTrainers.signal(child, "INT", false);
    assertTrue(child.waitFor(60, TimeUnit.SECONDS));
    String printed = Files.readString(log);
    assertEquals(130, child.exitValue(), printed);
    assertTrue(printed.contains("Stopping at once (SIGINT)"), printed);
    assertFalse(printed.contains("Saved interim checkpoint"), printed);
    // Nothing half-written: the latest is the complete checkpoint of the first epoch.
    CheckpointManager checkpoints = new CheckpointManager(run.resolve("training_checkpoints"), 0);
    assertEquals(run.resolve("training_checkpoints").resolve("ckpt-1"), checkpoints.latest().orElseThrow());
    assertTrue(CheckpointManager.isComplete(checkpoints.latest().orElseThrow()));
  }

  /**
   * With interim checkpoints due after every step, each is written and replaced, and the numbered
   * checkpoints, losses and grids are those of the run without them.
   */
  @Test
  void timeBasedInterimCheckpointsAreWrittenAndLeaveTheNumberedOnesAsTheyWere() throws Exception {
    Path run = dir.resolve("minutes");
    String[] args = ChildTrainers.with(RUN, "--run-dir", run.toString(), "--checkpoint-minutes", "0.000001");
    CommandLineTest.Outcome o = ChildTrainers.runToEnd(args, dir.resolve("minutes.log"));
    assertEquals(0, o.status(), o.out());
    long interims = o.out().lines().filter(l -> l.startsWith("Saved interim checkpoint ")).count();
    assertTrue(interims >= 3 * STEPS_PER_EPOCH - 3, "an interim checkpoint after (nearly) every step: " + interims + "\n" + o.out());
    // The configuration saved in each checkpoint differs (--checkpoint-minutes); every other tensor must not.
    try (var g = TestGraphs.float32(Presets.get("dcgan-mnist"), 5, 16)) {
      ChildTrainers.assertSameTraining(straight, run, 1, 3, g.checkpoint().keys(), g.checkpoint().keyTypes(),
          "with interim checkpoints");
    }
    try (Stream<Path> files = Files.list(run.resolve("training_checkpoints"))) {
      assertEquals(List.of(), files.filter(f -> CheckpointManager.isInterim(f)).toList());
    }
  }
}

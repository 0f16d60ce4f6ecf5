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
 * <p>dcgan-mnist on real MNIST at batch 16: 3 epochs of 24 steps, one step per session run, a
 * checkpoint every epoch (the default of an interim one after 10 minutes never comes into play in
 * these half-minute runs). The stop tests signal after distinct random steps of epoch 2.
 */
class GracefulStopTest {
  private static final String[] RUN = {"train", "--preset", "dcgan-mnist", "--batch-size", "16", "--steps-per-epoch", "24",
      "--checkpoint-every", "1", "--threads", "2", "--seed", "5", "--epochs", "3", "--steps-per-run", "1"};
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
   * Where the three stop tests signal: once this many steps' losses are in {@code losses.csv}. Three
   * distinct steps drawn from 25..40, inside epoch 2 (steps 25..48): with one step per session run the
   * trainer stops after the step it is running, so the stop lands on step R or R + 1, mid-epoch, even
   * if the poll sees the count a few steps late (the test fails if it sees it past step 46).
   */
  private static final int[] SIGNAL_AFTER_STEP = distinctSteps(new Random(20261207), 3, STEPS_PER_EPOCH + 1, 40);

  /** {@code n} distinct integers from {@code from..to}, in the order {@code random} shuffles them. */
  static int[] distinctSteps(Random random, int n, int from, int to) {
    List<Integer> all = new java.util.ArrayList<>(java.util.stream.IntStream.rangeClosed(from, to).boxed().toList());
    java.util.Collections.shuffle(all, random);
    return all.subList(0, n).stream().mapToInt(Integer::intValue).toArray();
  }

  @Test
  void theSignalMomentsAreDistinctStepsInsideTheSecondEpoch() {
    assertEquals(3, java.util.Arrays.stream(SIGNAL_AFTER_STEP).distinct().count(), java.util.Arrays.toString(SIGNAL_AFTER_STEP));
    for (int step : SIGNAL_AFTER_STEP) {
      assertTrue(step > STEPS_PER_EPOCH && step + 1 < 2 * STEPS_PER_EPOCH - 4, "step " + step);
    }
  }

  /**
   * Starts a trainer, signals it once {@code afterStep} steps' losses are written (in epoch 2), and
   * checks the graceful stop mid-epoch: an interim checkpoint of exactly the step reached; then
   * resumes it to the end and compares it with the straight run.
   *
   * @param relaunching start it as a user's command does (a parent and a quiet child JVM)
   * @param group signal the whole process group (a terminal's Ctrl-C) rather than the one process
   */
  private static void stopResumeAndCompare(String name, String signal, int expectedStatus, boolean relaunching,
      boolean group, int afterStep) throws Exception {
    Path run = dir.resolve(name);
    Path log = dir.resolve(name + ".log");
    Process child = ChildTrainers.start(ChildTrainers.with(RUN, "--run-dir", run.toString()), log, relaunching, group);
    long seen = awaitSteps(run.resolve("losses.csv"), afterStep, child, log);
    assertTrue(seen <= 2 * STEPS_PER_EPOCH - 2, "the poll saw step " + seen + ", too late to stop mid-epoch 2; wanted "
        + afterStep);
    ChildTrainers.signal(child, signal, group);
    long signalled = System.nanoTime();
    assertTrue(child.waitFor(120, TimeUnit.SECONDS), "the child stops");
    String printed = Files.readString(log);
    assertEquals(expectedStatus, child.exitValue(), "SIG" + signal + " sent once losses.csv held " + seen + " steps; the child "
        + "exited " + (System.nanoTime() - signalled) / 1_000_000 + " ms later:\n" + printed);
    assertTrue(printed.contains("Stopping after the current step (SIG" + signal + ")"), printed);
    assertTrue(printed.contains("Resume with: mvn exec:java -Dexec.args=\"train --run-dir " + run + "\""), printed);

    // The latest checkpoint is an interim one of exactly the step the run reached, which the log names,
    // in the middle of epoch 2.
    CheckpointManager checkpoints = new CheckpointManager(run.resolve("training_checkpoints"), 0);
    Path latest = checkpoints.latest().orElseThrow();
    SavedRun saved = SavedRun.read(latest);
    long stoppedAt = saved.progress().globalStep();
    assertTrue(printed.contains("Stopped by SIG" + signal + " at step " + stoppedAt + " "), printed);
    assertTrue(stoppedAt >= seen && stoppedAt < 2 * STEPS_PER_EPOCH, "signalled after step " + seen + ", stopped at " + stoppedAt);
    assertEquals(1, saved.progress().epoch(), "stopped in epoch 2: " + saved.progress());
    assertEquals(stoppedAt - STEPS_PER_EPOCH, saved.progress().stepInEpoch(), "mid-epoch: " + saved.progress());
    assertTrue(CheckpointManager.isInterim(latest), latest + " after a stop mid-epoch");
    assertEquals(1, saved.saveCounter(), "an interim checkpoint keeps the save counter of the numbered one before it");
    long rows = Files.readAllLines(run.resolve("losses.csv")).size() - 1;
    assertEquals(stoppedAt, rows, "every step's losses up to the stop, and no more");

    CommandLineTest.Outcome resumed = ChildTrainers.runToEnd(ChildTrainers.with(RUN, "--run-dir", run.toString()),
        dir.resolve(name + "-resumed.log"));
    assertEquals(0, resumed.status(), resumed.out());
    assertTrue(resumed.out().contains("Resumed from " + latest), resumed.out());
    ChildTrainers.assertSameRun(straight, run, 1, 3, name + ", stopped at " + saved.progress());
    try (Stream<Path> files = Files.list(run.resolve("training_checkpoints"))) {
      assertEquals(List.of(), files.filter(f -> CheckpointManager.isInterim(f)).toList(), "the interim checkpoint is gone");
    }
  }

  /** Waits until {@code csv} holds at least {@code steps} rows; returns how many it held then. */
  private static long awaitSteps(Path csv, int steps, Process child, Path log) throws Exception {
    long deadline = System.nanoTime() + 180_000_000_000L;
    while (System.nanoTime() < deadline && child.isAlive()) {
      if (Files.exists(csv)) {
        long rows = Files.readAllLines(csv).size() - 1;
        if (rows >= steps) {
          return rows;
        }
      }
      java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
    }
    child.destroyForcibly();
    throw new AssertionError("the trainer did not reach step " + steps + " (alive: " + child.isAlive() + "): "
        + Files.readString(log));
  }

  @Test
  void ctrlCToTheProcessGroupOfARelaunchingCommandStopsAfterTheStepAndResumesBitForBit() throws Exception {
    stopResumeAndCompare("int-group", "INT", 130, true, true, SIGNAL_AFTER_STEP[0]);
  }

  @Test
  void sigtermToTheCommandAloneIsForwardedAndStopsAfterTheStep() throws Exception {
    stopResumeAndCompare("term-parent", "TERM", 143, true, false, SIGNAL_AFTER_STEP[1]);
  }

  @Test
  void sigtermToTheTrainerItselfStopsAfterTheStep() throws Exception {
    stopResumeAndCompare("term-trainer", "TERM", 143, false, false, SIGNAL_AFTER_STEP[2]);
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

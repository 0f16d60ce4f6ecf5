package io.jgan.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jgan.BadInputException;
import io.jgan.run.RunLock;
import io.jgan.store.CheckpointManager;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * RELIABILITY.md scenarios 1, 2, 3 and 6 with real processes: a trainer in a child JVM is killed
 * with SIGKILL at random moments (during checkpoint saves included) and restarted until done. Every
 * restart finds a usable latest checkpoint, the lock of the killed process is gone, and the run
 * ends bit for bit equal to the same run straight through: checkpoint files, per-step losses,
 * every sample grid and the sample-quality rows of {@code metrics.csv}. Then the latest checkpoint
 * is damaged: resuming names the file, and
 * {@code --fallback} resumes from the previous one.
 *
 * <p>The run is dcgan-mnist (noise, shuffling, dropout and BatchNormalization all in play) on real
 * MNIST at batch 16: 6 epochs of 3 steps, a checkpoint every epoch.
 */
class KillResumeTest {
  private static final String[] RUN = {"train", "--preset", "dcgan-mnist", "--batch-size", "16",
      "--steps-per-epoch", "3", "--checkpoint-every", "1", "--threads", "2", "--seed", "7"};
  private static final String EPOCHS = "6";
  private static final int MAX_KILLS = 4;

  @TempDir static Path dir;
  static Path straight;

  @BeforeAll
  static void trainStraightThrough() {
    straight = dir.resolve("straight");
    CommandLineTest.Outcome o = CommandLineTest.run(with(RUN, "--run-dir", straight.toString(), "--epochs", EPOCHS));
    assertEquals(0, o.status(), o.err());
  }

  private static String[] with(String[] args, String... more) {
    return ChildTrainers.with(args, more);
  }

  /** Starts the trainer in a child JVM (TF_CPP_MIN_LOG_LEVEL set, so it runs there and does not re-launch). */
  private static Process startChild(Path runDir, Path log) throws IOException {
    return ChildTrainers.start(with(RUN, "--run-dir", runDir.toString(), "--epochs", EPOCHS), log, false, false);
  }

  @Test
  void killedAtRandomMomentsAndResumedEqualsStraightThroughBitForBit() throws Exception {
    Path killed = dir.resolve("killed");
    Random random = new Random(20261122);
    int kills = 0;
    boolean finished = false;
    List<String> history = new ArrayList<>();
    while (!finished) {
      Path log = dir.resolve("child-" + kills + ".log");
      Process child = startChild(killed, log);
      if (kills < MAX_KILLS) {
        // Wait for the end of its first or second epoch, then kill it within 0.4 s: while it
        // writes the grid, the losses, the checkpoint or the state file, or early in the next epoch.
        waitFor(log, "Time for epoch", 1 + random.nextInt(2), child, 120);
        if (child.isAlive()) {
          assertLockedByAnotherProcess(killed);
        }
        Thread.sleep(random.nextInt(400));
      }
      if (kills < MAX_KILLS && child.isAlive()) {
        child.destroyForcibly(); // SIGKILL: no shutdown hooks, no finally blocks
        assertTrue(child.waitFor(30, TimeUnit.SECONDS));
        kills++;
        history.add("killed after " + latestName(killed));
        assertConsistent(killed);
        try (RunLock lock = RunLock.acquire(killed)) {
          // the killed trainer's lock went with it
        }
      } else {
        assertTrue(child.waitFor(300, TimeUnit.SECONDS), "child finishes");
        assertEquals(0, child.exitValue(), Files.readString(log));
        finished = true;
      }
    }
    assertEquals(MAX_KILLS, kills, String.join("; ", history));
    assertTrue(history.stream().anyMatch(h -> !h.endsWith("none")), "at least one kill came after a checkpoint: " + history);

    for (int n = 1; n <= 6; n++) {
      for (Path file : List.of(CheckpointManager.data(Path.of("ckpt-" + n)), CheckpointManager.index(Path.of("ckpt-" + n)))) {
        Path a = straight.resolve("training_checkpoints").resolve(file);
        Path b = killed.resolve("training_checkpoints").resolve(file);
        if (n >= 2) { // keep 5: ckpt-1 was deleted in both
          assertArrayEquals(Files.readAllBytes(a), Files.readAllBytes(b), file + " differs (" + history + ")");
        }
      }
    }
    try (Stream<Path> files = Stream.concat(Files.list(killed), Files.list(killed.resolve("training_checkpoints")))) {
      assertEquals(List.of(), files.filter(f -> f.getFileName().toString().startsWith(io.jgan.AtomicFiles.TEMP_PREFIX)).toList(),
          "the last restart removed what the killed ones left half-written");
    }
    assertEquals(Files.readString(straight.resolve("losses.csv")), Files.readString(killed.resolve("losses.csv")),
        "per-step losses (" + history + ")");
    Map<String, byte[]> grids = grids(straight);
    assertEquals(7, grids.size(), "epochs 0..6");
    Map<String, byte[]> resumedGrids = grids(killed);
    assertEquals(grids.keySet(), resumedGrids.keySet());
    for (String name : grids.keySet()) {
      assertArrayEquals(grids.get(name), resumedGrids.get(name), name);
    }
    // Sample quality is measured after every epoch by default: a kill between an epoch's checkpoint
    // and its evaluation is made good on restart, and evaluating never moves training.
    String quality = Files.readString(straight.resolve(io.jgan.eval.QualityLog.CSV));
    assertEquals(7, quality.lines().count(), "header and epochs 1..6:\n" + quality);
    assertEquals(quality, Files.readString(killed.resolve(io.jgan.eval.QualityLog.CSV)),
        "sample quality per epoch (" + history + ")");
  }

  private static String latestName(Path runDir) {
    return new CheckpointManager(runDir.resolve("training_checkpoints"), 0).latest()
        .map(p -> p.getFileName().toString()).orElse("none");
  }

  /** After a kill: the state file names only complete checkpoints; no partial file under a final name. */
  private static void assertConsistent(Path runDir) throws IOException {
    CheckpointManager m = new CheckpointManager(runDir.resolve("training_checkpoints"), 0);
    m.latest().ifPresent(p -> assertTrue(CheckpointManager.isComplete(p)));
    for (Path p : m.kept()) {
      assertTrue(CheckpointManager.isComplete(p), p.toString());
    }
    if (Files.isDirectory(runDir)) {
      try (Stream<Path> files = Files.list(runDir)) {
        for (Path png : files.filter(f -> f.getFileName().toString().endsWith(".png")).toList()) {
          assertTrue(javax.imageio.ImageIO.read(png.toFile()) != null, png + " is a whole PNG");
        }
      }
    }
  }

  private static void assertLockedByAnotherProcess(Path runDir) {
    BadInputException e = assertThrows(BadInputException.class, () -> RunLock.acquire(runDir).close());
    assertTrue(e.getMessage().startsWith(runDir + ": expected no other trainer on this run directory, got one running (pid "),
        e.getMessage());
  }

  private static Map<String, byte[]> grids(Path runDir) throws IOException {
    return ChildTrainers.grids(runDir);
  }

  private static void waitFor(Path log, String text, int times, Process child, int seconds) throws Exception {
    ChildTrainers.waitFor(log, text, times, child, seconds);
  }

  @Test
  void damagedLatestCheckpointIsNamedAndFallbackResumesFromThePrevious() throws Exception {
    Path run = dir.resolve("damaged");
    copyTree(straight, run);
    Path data = CheckpointManager.data(run.resolve("training_checkpoints/ckpt-6"));
    try (FileChannel ch = FileChannel.open(data, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(1);
      long at = ch.size() / 2;
      ch.read(b, at);
      b.put(0, (byte) (b.get(0) ^ 0x01));
      ch.write(b.rewind(), at);
    }
    Map<String, String> before = snapshot(run);

    CommandLineTest.Outcome refused = CommandLineTest.run(with(RUN, "--run-dir", run.toString(), "--epochs", EPOCHS));
    assertEquals(Command.INPUT_ERROR, refused.status(), refused.out());
    assertTrue(refused.err().startsWith("error: " + data + ": expected every tensor's bytes to match its CRC32C"), refused.err());
    assertTrue(refused.err().contains("(--fallback resumes from the newest checkpoint that restores)"), refused.err());
    Map<String, String> after = snapshot(run);
    after.remove(RunLock.FILE_NAME); // the lock file, which says who tried last, is all that is new
    assertEquals(before, after, "a refused resume changes nothing");

    CommandLineTest.Outcome fellBack = CommandLineTest.run(with(RUN, "--run-dir", run.toString(), "--epochs", EPOCHS, "--fallback"));
    assertEquals(0, fellBack.status(), fellBack.err());
    assertTrue(fellBack.out().contains("--fallback: skipping " + run.resolve("training_checkpoints/ckpt-6") + ": " + data),
        fellBack.out());
    assertTrue(fellBack.out().contains("Resumed from " + run.resolve("training_checkpoints/ckpt-5") + ": epoch 5 done, step 15"),
        fellBack.out());
    // Epoch 6 is trained again from ckpt-5, exactly as before: the rewritten ckpt-6 equals the straight run's.
    assertArrayEquals(Files.readAllBytes(CheckpointManager.data(straight.resolve("training_checkpoints/ckpt-6"))),
        Files.readAllBytes(data));
    assertEquals("ckpt-6", latestName(run));
  }

  /**
   * RELIABILITY.md scenario 11: a kill inside the export's write window leaves nothing, or a whole
   * model, at the final path. The window is the life of the export's temporary directory
   * ({@code .tmp-NAME-*} beside the final path NAME: made before the model is built and written,
   * removed by the exporter after the rename into place); its files are written in the last part of
   * it. An export run to its end is watched first, to measure on this machine both the window and
   * the part in which files are written (from the first file in the temporary directory to its
   * removal). Then four exports are killed: as soon as the temporary directory appears; at a random
   * share (up to 3/4) of the window; as soon as the first file is written; at a random share (up to
   * 3/4) of the writing part after that. Only the exporter removes its temporary directory, so one
   * that outlives the killed process proves the kill landed inside the window, and files in it
   * prove the kill interrupted the writing: every kill must show the first, the last two the second.
   */
  @Test
  void exportKilledInsideItsWriteWindowLeavesNothingOrAWholeModel() throws Exception {
    Path full = dir.resolve("export-full");
    Process finishing = startExport(full, dir.resolve("export-full.log"));
    long appeared = awaitTemporary(full, finishing, dir.resolve("export-full.log"), false);
    long firstFile = awaitTemporary(full, finishing, dir.resolve("export-full.log"), true);
    long deadline = System.nanoTime() + 120_000_000_000L;
    while (temporary(full).isPresent() && System.nanoTime() < deadline) {
      LockSupport.parkNanos(200_000);
    }
    long gone = System.nanoTime();
    long window = gone - appeared, writing = gone - firstFile;
    assertTrue(finishing.waitFor(60, TimeUnit.SECONDS), "the export finishes");
    assertEquals(0, finishing.exitValue(), Files.readString(dir.resolve("export-full.log")));
    assertTrue(temporary(full).isEmpty(), "the finished export removed its temporary directory");
    assertGenerates(full, "full");

    Random random = new Random(11);
    List<String> history = new ArrayList<>();
    int absent = 0, whole = 0;
    for (int i = 0; i < 4; i++) {
      Path out = dir.resolve("export-" + i);
      Path log = dir.resolve("export-" + i + ".log");
      Process child = startExport(out, log);
      boolean duringWriting = i >= 2;
      long from = awaitTemporary(out, child, log, duringWriting);
      double share = i % 2 == 0 ? 0 : 0.75 * random.nextDouble();
      LockSupport.parkNanos(from + (long) (share * (duringWriting ? writing : window)) - System.nanoTime());
      child.destroyForcibly(); // SIGKILL
      assertTrue(child.waitFor(30, TimeUnit.SECONDS), "the killed export exits");
      long killedAfter = (System.nanoTime() - from) / 1_000_000;
      Optional<Path> left = temporary(out);
      String moment = "kill " + i + " about " + killedAfter + " ms after " + (duringWriting ? "the first file was written (writing "
          + "takes " + writing / 1_000_000 + " ms)" : "the temporary directory appeared (the window is " + window / 1_000_000 + " ms)");
      assertTrue(left.isPresent(), moment + " landed after the window: the export had finished and cleaned up; " + history);
      List<String> files = contents(left.get());
      history.add(moment + ": the temporary directory held " + files + ", the final path " + (Files.exists(out) ? "a model" : "nothing"));
      if (duringWriting) {
        assertTrue(!files.isEmpty() || Files.exists(out), "kill " + i + " came during the writing: " + history);
      }
      if (!Files.exists(out)) {
        absent++;
        continue;
      }
      for (String file : List.of("saved_model.pb", "variables/variables.index", "jgan-export.json")) {
        assertTrue(Files.isRegularFile(out.resolve(file)), out + " exists but lacks " + file + ": " + history);
      }
      assertGenerates(out, Integer.toString(i));
      whole++;
    }
    assertEquals(4, absent + whole, String.join("; ", history));
    System.out.println("exportKilledInsideItsWriteWindow: " + String.join("; ", history));
  }

  private static Process startExport(Path out, Path log) throws IOException {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", Relaunch.classpath(), Main.class.getName(), "export", "--run-dir", straight.toString(), "--out", out.toString()));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    builder.environment().put("TF_CPP_MIN_LOG_LEVEL", "2");
    return builder.start();
  }

  /** The export's temporary directory beside {@code out} ({@code .tmp-NAME-*}), if there is one. */
  private static Optional<Path> temporary(Path out) throws IOException {
    try (DirectoryStream<Path> found = Files.newDirectoryStream(out.getParent(),
        io.jgan.AtomicFiles.TEMP_PREFIX + out.getFileName() + "-*")) {
      for (Path p : found) {
        return Optional.of(p);
      }
    }
    return Optional.empty();
  }

  /**
   * Polls (every 0.2 ms) until the export's temporary directory appears or, with {@code holdingAFile}, until
   * it holds a file; returns System.nanoTime() then.
   */
  private static long awaitTemporary(Path out, Process child, Path log, boolean holdingAFile) throws Exception {
    long deadline = System.nanoTime() + 120_000_000_000L;
    while (System.nanoTime() < deadline) {
      Optional<Path> temp = temporary(out);
      if (temp.isPresent() && (!holdingAFile || !contents(temp.get()).isEmpty())) {
        return System.nanoTime();
      }
      if (!child.isAlive()) {
        throw new AssertionError("the export exited (" + child.exitValue() + ") before its temporary directory was seen"
            + (holdingAFile ? " holding a file" : "") + ": " + Files.readString(log));
      }
      LockSupport.parkNanos(200_000);
    }
    child.destroyForcibly();
    throw new AssertionError("no temporary directory of " + out + " within 120 s: " + Files.readString(log));
  }

  /** The files under {@code root}, relative to it. */
  private static List<String> contents(Path root) throws IOException {
    try (Stream<Path> walk = Files.walk(root)) {
      return walk.filter(Files::isRegularFile).map(p -> root.relativize(p).toString()).sorted().toList();
    } catch (java.io.UncheckedIOException | java.nio.file.NoSuchFileException e) {
      return List.of(); // the exporter moved or removed it while it was listed
    }
  }

  private static void assertGenerates(Path model, String name) {
    CommandLineTest.Outcome generated = CommandLineTest.run("generate", "--model", model.toString(), "--out",
        dir.resolve("from-export-" + name + ".png").toString());
    assertEquals(0, generated.status(), generated.err());
  }

  @Test
  void secondTrainerOnTheSameDirectoryIsRefusedAndWritesNothing() throws Exception {
    Path run = dir.resolve("locked");
    copyTree(straight, run);
    Map<String, String> before = snapshot(run);
    try (RunLock held = RunLock.acquire(run)) {
      CommandLineTest.Outcome o = CommandLineTest.run(with(RUN, "--run-dir", run.toString(), "--epochs", "7"));
      assertEquals(Command.INPUT_ERROR, o.status());
      assertTrue(o.err().startsWith("error: " + run + ": expected no other trainer on this run directory, got one running (pid "
          + ProcessHandle.current().pid()), o.err());
    }
    Map<String, String> after = snapshot(run);
    after.remove(RunLock.FILE_NAME);
    before.remove(RunLock.FILE_NAME);
    assertEquals(before, after);
  }

  /** Every file under {@code root} with the SHA-256 of its bytes. */
  private static Map<String, String> snapshot(Path root) throws Exception {
    Map<String, String> out = new TreeMap<>();
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path p : walk.filter(Files::isRegularFile).toList()) {
        byte[] digest = java.security.MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p));
        out.put(root.relativize(p).toString(), java.util.HexFormat.of().formatHex(digest));
      }
    }
    return out;
  }

  private static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> walk = Files.walk(from)) {
      for (Path p : walk.toList()) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else if (!p.getFileName().toString().equals(RunLock.FILE_NAME)) {
          Files.copy(p, target);
        }
      }
    }
  }
}

package io.jgan.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jgan.AtomicFiles;
import io.jgan.BadInputException;
import io.jgan.Tmpfs;
import io.jgan.train.TestGraphs;
import io.jgan.train.TinyGan;
import io.jgan.train.graph.Progress;
import io.jgan.train.graph.TrainingGraph;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.Session;
import org.tensorflow.types.TFloat32;

/**
 * The checkpoint directory survives a kill at any point of a save (RELIABILITY.md scenario 1),
 * keeps the last N (scenario 4), and a full disk or a read-only directory leaves the previous
 * checkpoint the latest (scenario 4), on a real small tmpfs.
 */
class CheckpointManagerTest {
  @TempDir Path dir;

  /** Writes a stand-in checkpoint: the manager does not care what the two files hold. */
  private static CheckpointManager.Writer fake(String content) {
    return prefix -> {
      try {
        Files.writeString(CheckpointManager.data(prefix), "data " + content);
        Files.writeString(CheckpointManager.index(prefix), "index " + content);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    };
  }

  private static String data(Path prefix) throws IOException {
    return Files.readString(CheckpointManager.data(prefix));
  }

  @Test
  void savesBecomeLatestAndOnlyTheLastNAreKept() throws Exception {
    CheckpointManager m = new CheckpointManager(dir, 2);
    assertEquals(Optional.empty(), m.latest());
    for (int i = 1; i <= 4; i++) {
      m.save(i, fake("#" + i));
    }
    assertEquals(Optional.of(dir.resolve("ckpt-4")), m.latest());
    assertEquals(List.of(dir.resolve("ckpt-3"), dir.resolve("ckpt-4")), m.kept());
    assertFalse(Files.exists(CheckpointManager.index(dir.resolve("ckpt-2"))));
    assertFalse(Files.exists(CheckpointManager.data(dir.resolve("ckpt-1"))));
    assertEquals("data #4", data(dir.resolve("ckpt-4")));
    String state = Files.readString(m.stateFile());
    assertTrue(state.startsWith("model_checkpoint_path: \"ckpt-4\"\nall_model_checkpoint_paths: \"ckpt-3\"\n"
        + "all_model_checkpoint_paths: \"ckpt-4\"\n"), state);
    try (Stream<Path> files = Files.list(dir)) {
      assertEquals(5, files.count(), "two checkpoints of two files and the state file, no temporaries");
    }
  }

  @Test
  void anInterimCheckpointIsReplacedByTheNextSaveAndNotCountedAgainstKeep() throws Exception {
    CheckpointManager m = new CheckpointManager(dir, 2);
    m.save(1, fake("#1"));
    m.save(2, fake("#2"));
    m.saveInterim(250, fake("at step 250"));
    // Keep 2 counts the numbered checkpoints: ckpt-1 and ckpt-2 stay beside the interim one.
    assertEquals(Optional.of(dir.resolve("interim-250")), m.latest());
    assertEquals(List.of(dir.resolve("ckpt-1"), dir.resolve("ckpt-2"), dir.resolve("interim-250")), m.kept());
    m.saveInterim(300, fake("at step 300"));
    assertEquals(List.of(dir.resolve("ckpt-1"), dir.resolve("ckpt-2"), dir.resolve("interim-300")), m.kept());
    assertFalse(Files.exists(CheckpointManager.index(dir.resolve("interim-250"))), "one interim checkpoint at a time");
    assertEquals(List.of(dir.resolve("interim-300"), dir.resolve("ckpt-2"), dir.resolve("ckpt-1")), m.completeOnDisk(),
        "--fallback tries the interim checkpoint first, then the numbered ones, newest first");
    m.save(3, fake("#3"));
    assertEquals(List.of(dir.resolve("ckpt-2"), dir.resolve("ckpt-3")), m.kept());
    assertFalse(Files.exists(CheckpointManager.data(dir.resolve("interim-300"))), "the next numbered save replaces it");
    assertFalse(Files.exists(CheckpointManager.index(dir.resolve("ckpt-1"))));
    assertTrue(CheckpointManager.isInterim(dir.resolve("interim-300")));
    assertFalse(CheckpointManager.isInterim(dir.resolve("ckpt-3")));
  }

  @Test
  void saveReturnsTheCheckpointWhoseFilesAreReadableByAll() throws Exception {
    CheckpointManager m = new CheckpointManager(dir, 0);
    // A writer that makes owner-only files, as temporaries are: final checkpoint files are rw-r--r--.
    CheckpointManager.Writer ownerOnly = prefix -> {
      fake("x").write(prefix);
      try {
        for (Path f : List.of(CheckpointManager.data(prefix), CheckpointManager.index(prefix))) {
          Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-------"));
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    };
    assertEquals(dir.resolve("ckpt-1"), m.save(1, ownerOnly));
    assertEquals(dir.resolve("interim-7"), m.saveInterim(7, ownerOnly));
    for (Path prefix : List.of(dir.resolve("ckpt-1"), dir.resolve("interim-7"))) {
      for (Path f : List.of(CheckpointManager.data(prefix), CheckpointManager.index(prefix))) {
        assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(f)), f.toString());
      }
    }
    assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(m.stateFile())));
  }

  @Test
  void theStateFileRecordsWhenEachCheckpointWasWritten() throws Exception {
    CheckpointManager m = new CheckpointManager(dir, 0);
    double before = System.currentTimeMillis() / 1000.0;
    m.save(1, fake("#1"));
    m.save(2, fake("#2"));
    double after = System.currentTimeMillis() / 1000.0;
    CheckpointState s = m.state().orElseThrow();
    assertEquals(2, s.timestamps().size());
    for (double t : s.timestamps()) {
      assertTrue(t >= before - 0.001 && t <= after + 0.001, "seconds since the epoch: " + t + " not in [" + before + ", " + after + "]");
    }
    // last_preserved_timestamp: the first checkpoint's time, then kept as it was.
    assertEquals(s.timestamps().get(0), s.lastPreservedTimestamp());
    Files.writeString(m.stateFile(), "model_checkpoint_path: \"ckpt-2\"\nall_model_checkpoint_paths: \"ckpt-1\"\n"
        + "all_model_checkpoint_paths: \"ckpt-2\"\nall_model_checkpoint_timestamps: 100.0\nlast_preserved_timestamp: 50.0\n");
    m.save(3, fake("#3"));
    CheckpointState t = m.state().orElseThrow();
    assertEquals(List.of("ckpt-1", "ckpt-2", "ckpt-3"), t.all());
    // A state file with fewer timestamps than paths (as older writers leave): the missing ones are 0.
    assertEquals(List.of(100.0, 0.0), t.timestamps().subList(0, 2));
    assertEquals(50.0, t.lastPreservedTimestamp());
  }

  @Test
  void aNumberedSaveReplacesAnInterimCheckpointThatCameFirst() throws Exception {
    CheckpointManager m = new CheckpointManager(dir, 1);
    m.saveInterim(30, fake("at step 30"));
    assertEquals(Optional.of(dir.resolve("interim-30")), m.latest());
    m.save(1, fake("#1"));
    assertEquals(List.of(dir.resolve("ckpt-1")), m.kept());
    assertFalse(Files.exists(CheckpointManager.index(dir.resolve("interim-30"))));
    assertFalse(Files.exists(CheckpointManager.data(dir.resolve("interim-30"))));
  }

  @Test
  void anyCheckpointIsAStateFileOrAnIndex() throws Exception {
    CheckpointManager m = new CheckpointManager(dir.resolve("ckpts"), 0);
    assertFalse(m.hasAnyCheckpoint(), "no directory");
    Files.createDirectories(m.directory());
    assertFalse(m.hasAnyCheckpoint(), "an empty directory");
    Files.writeString(m.directory().resolve("ckpt-4.index"), "");
    assertTrue(m.hasAnyCheckpoint(), "an index without a state file");
    Files.delete(m.directory().resolve("ckpt-4.index"));
    Files.writeString(m.stateFile(), "");
    assertTrue(m.hasAnyCheckpoint(), "a state file");
    assertEquals(List.of(), new CheckpointManager(dir.resolve("absent"), 0).completeOnDisk());
  }

  @Test
  void aFirstSaveThatFailsSaysThereIsNoLatest() {
    CheckpointManager m = new CheckpointManager(dir, 0);
    UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> m.save(1, prefix -> { }));
    assertTrue(e.getMessage().startsWith("cannot save checkpoint " + dir.resolve("ckpt-1") + ": the checkpoint writer did not produce "),
        e.getMessage());
    assertTrue(e.getMessage().endsWith("; the latest checkpoint is still none"), e.getMessage());
  }

  @Test
  void keepZeroKeepsAll() {
    CheckpointManager m = new CheckpointManager(dir, 0);
    for (int i = 1; i <= 5; i++) {
      m.save(i, fake("#" + i));
    }
    assertEquals(5, m.kept().size());
  }

  /**
   * Every state a kill can leave while ckpt-3 is being saved after ckpt-1 and ckpt-2 (the save's
   * steps in order: temp directory, partial files, complete files, data renamed, index renamed,
   * state temp file, state renamed, old checkpoint half deleted). In each the latest is a complete
   * checkpoint, the temporaries are cleaned, and saving again works.
   */
  @Test
  void aKillAtAnyStepOfASaveLeavesTheNewestCompleteCheckpointLatest() throws Exception {
    for (int stage = 0; stage <= 7; stage++) {
      Path d = dir.resolve("stage" + stage);
      CheckpointManager m = new CheckpointManager(d, 2);
      m.save(1, fake("#1"));
      m.save(2, fake("#2"));
      String expectedLatest = leaveKilledSave(d, stage);
      CheckpointManager restarted = new CheckpointManager(d, 2);
      Path latest = restarted.latest().orElseThrow();
      assertEquals(d.resolve(expectedLatest), latest, "stage " + stage);
      assertTrue(CheckpointManager.isComplete(latest), "stage " + stage);
      for (Path kept : restarted.kept()) {
        assertTrue(CheckpointManager.isComplete(kept), "stage " + stage + ": " + kept);
      }
      restarted.cleanStaleTemporaries();
      try (Stream<Path> files = Files.list(d)) {
        assertTrue(files.noneMatch(p -> p.getFileName().toString().startsWith(AtomicFiles.TEMP_PREFIX)), "stage " + stage);
      }
      // The resumed run saves the next number again and it becomes the latest.
      long next = Long.parseLong(expectedLatest.substring("ckpt-".length())) + 1;
      restarted.save(next, fake("again"));
      assertEquals(d.resolve("ckpt-" + next), restarted.latest().orElseThrow());
      assertEquals("data again", data(d.resolve("ckpt-" + next)), "stage " + stage);
    }
  }

  /** Leaves directory {@code d} as a kill at {@code stage} of saving ckpt-3 would; returns the expected latest. */
  private static String leaveKilledSave(Path d, int stage) throws IOException {
    Path temp = d.resolve(AtomicFiles.TEMP_PREFIX + "ckpt-3-123");
    Path tempPrefix = temp.resolve("ckpt-3");
    Path finalPrefix = d.resolve("ckpt-3");
    switch (stage) {
      case 0 -> Files.createDirectories(temp);
      case 1 -> {
        Files.createDirectories(temp);
        Files.writeString(CheckpointManager.data(tempPrefix), "data part"); // SaveV2 killed mid-write
      }
      case 2 -> {
        Files.createDirectories(temp);
        fake("#3").write(tempPrefix);
      }
      case 3 -> {
        Files.createDirectories(temp);
        fake("#3").write(tempPrefix);
        Files.move(CheckpointManager.data(tempPrefix), CheckpointManager.data(finalPrefix));
      }
      case 4 -> fake("#3").write(finalPrefix); // both renamed, state file not yet replaced
      case 5 -> {
        fake("#3").write(finalPrefix);
        Files.writeString(d.resolve(AtomicFiles.TEMP_PREFIX + "checkpoint-456"), "model_checkpoint_path: \"ckp");
      }
      case 6 -> {
        fake("#3").write(finalPrefix);
        Files.writeString(d.resolve("checkpoint"), new CheckpointState("ckpt-3", List.of("ckpt-2", "ckpt-3"),
            List.of(1.0, 2.0), 1.0).toText());
        return "ckpt-3"; // state replaced; ckpt-1 not yet deleted
      }
      case 7 -> {
        fake("#3").write(finalPrefix);
        Files.writeString(d.resolve("checkpoint"), new CheckpointState("ckpt-3", List.of("ckpt-2", "ckpt-3"),
            List.of(1.0, 2.0), 1.0).toText());
        Files.delete(CheckpointManager.index(d.resolve("ckpt-1"))); // index deleted first, data not yet
        return "ckpt-3";
      }
      default -> throw new IllegalArgumentException("stage " + stage);
    }
    return "ckpt-2";
  }

  @Test
  void staleTemporariesAreRemovedAndCheckpointsKept() throws Exception {
    CheckpointManager m = new CheckpointManager(dir, 0);
    m.save(1, fake("#1"));
    Path staleDir = Files.createDirectories(dir.resolve(AtomicFiles.TEMP_PREFIX + "ckpt-2-99"));
    Files.writeString(staleDir.resolve("ckpt-2.index"), "x");
    Path staleFile = Files.writeString(dir.resolve(AtomicFiles.TEMP_PREFIX + "checkpoint-7"), "x");
    assertEquals(2, m.cleanStaleTemporaries().size());
    assertFalse(Files.exists(staleDir));
    assertFalse(Files.exists(staleFile));
    assertTrue(CheckpointManager.isComplete(dir.resolve("ckpt-1")));
  }

  @Test
  void aFailingWriterLeavesThePreviousLatestAndNoTemporaries() {
    CheckpointManager m = new CheckpointManager(dir, 0);
    m.save(1, fake("#1"));
    UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> m.save(2, prefix -> {
      fake("#2").write(prefix);
      throw new IllegalStateException("SaveV2 failed");
    }));
    assertEquals("cannot save checkpoint " + dir.resolve("ckpt-2") + ": SaveV2 failed; the latest checkpoint is still "
        + dir.resolve("ckpt-1"), e.getMessage());
    assertEquals(dir.resolve("ckpt-1"), m.latest().orElseThrow());
    assertEquals(List.of(dir.resolve("ckpt-1")), m.completeOnDisk());
    assertTrue(m.cleanStaleTemporaries().isEmpty(), "the failed save removed its temporary directory");
  }

  @Test
  void completeOnDiskListsWhatCanBeRestoredNewestFirstWhateverTheStateFileSays() throws Exception {
    CheckpointManager m = new CheckpointManager(dir, 0);
    for (int i : new int[] {1, 2, 10}) {
      m.save(i, fake("#" + i));
    }
    Files.delete(CheckpointManager.data(dir.resolve("ckpt-2")));
    Files.writeString(dir.resolve("ckpt-x.index"), "not a number");
    Files.writeString(m.stateFile(), "garbage");
    assertEquals(List.of(dir.resolve("ckpt-10"), dir.resolve("ckpt-1")), m.completeOnDisk());
    BadInputException e = assertThrows(BadInputException.class, m::latest);
    assertEquals(m.stateFile() + " line 1: expected 'field: value', got 'garbage'", e.getMessage());
  }

  @Test
  void stateFileNamingAMissingCheckpointIsAnErrorNotAFreshStart() throws Exception {
    CheckpointManager m = new CheckpointManager(dir, 0);
    m.save(1, fake("#1"));
    Files.delete(CheckpointManager.index(dir.resolve("ckpt-1")));
    BadInputException e = assertThrows(BadInputException.class, m::latest);
    assertEquals(m.stateFile() + ": names checkpoint ckpt-1, but " + CheckpointManager.index(dir.resolve("ckpt-1"))
        + " is missing", e.getMessage());
    assertTrue(m.hasAnyCheckpoint());
  }

  @Test
  void stateFilePointingOutsideTheDirectoryIsRefused() throws Exception {
    CheckpointManager m = new CheckpointManager(dir.resolve("ckpts"), 0);
    m.save(1, fake("#1"));
    for (String name : List.of("../ckpt-1", "/etc/ckpt-1", "sub/../../ckpt-1")) {
      Files.writeString(m.stateFile(), "model_checkpoint_path: \"" + name + "\"\n");
      BadInputException e = assertThrows(BadInputException.class, m::latest, name);
      assertEquals(m.stateFile() + " line 1: expected a checkpoint inside " + m.directory() + ", got '" + name
          + "' (refusing a path outside the checkpoint directory)", e.getMessage());
    }
  }

  // ---- a real full disk and a real read-only directory: a 1 MiB tmpfs ------------------------


  /** Saves the real TinyGan checkpoint through SaveV2 into the manager's directory. */
  private static Path saveReal(CheckpointManager m, TrainingGraph<TFloat32> g, Session s, long number) {
    return m.save(number, prefix -> g.save(s, prefix, number, Progress.START, "{}"));
  }

  @Test
  @Tag("tf-session") // SaveV2 writes the files: left out of the mutation run (pom.xml, profile mutation)
  void fullDiskAndReadOnlyDirectoryKeepThePreviousCheckpointLatest() throws Exception {
    Path mount = dir.resolve("small");
    Tmpfs.mount(mount, "size=1m");
    try (TrainingGraph<TFloat32> g = TestGraphs.float32(TinyGan.preset(), 1, 4); Session s = g.openSession(1, false)) {
      g.initialize(s);
      CheckpointManager m = new CheckpointManager(mount.resolve("training_checkpoints"), 0);
      saveReal(m, g, s, 1);

      // Fill the disk, then save: SaveV2 fails with "No space left on device".
      Path filler = mount.resolve("filler");
      try (OutputStream o = Files.newOutputStream(filler)) {
        byte[] block = new byte[4096];
        while (true) {
          o.write(block);
        }
      } catch (IOException expected) {
        // the disk is full
      }
      UncheckedIOException full = assertThrows(UncheckedIOException.class, () -> saveReal(m, g, s, 2));
      assertTrue(full.getMessage().startsWith("cannot save checkpoint " + m.directory().resolve("ckpt-2") + ": "), full.getMessage());
      assertTrue(full.getMessage().endsWith("the latest checkpoint is still " + m.directory().resolve("ckpt-1")), full.getMessage());
      assertEquals(m.directory().resolve("ckpt-1"), m.latest().orElseThrow());
      assertEquals(List.of(m.directory().resolve("ckpt-1")), m.completeOnDisk(), "no partial ckpt-2 under a final name");
      Files.delete(filler);
      assertTrue(m.cleanStaleTemporaries().isEmpty(), "the failed save cleaned up after itself");

      // Read-only: the save fails the same way, and works again once writable.
      Tmpfs.command("mount", "-o", "remount,ro", mount.toString());
      UncheckedIOException readOnly = assertThrows(UncheckedIOException.class, () -> saveReal(m, g, s, 2));
      assertTrue(readOnly.getMessage().contains("Read-only file system"), readOnly.getMessage());
      assertTrue(readOnly.getMessage().endsWith("the latest checkpoint is still " + m.directory().resolve("ckpt-1")),
          readOnly.getMessage());
      assertEquals(m.directory().resolve("ckpt-1"), m.latest().orElseThrow());
      Tmpfs.command("mount", "-o", "remount,rw", mount.toString());
      saveReal(m, g, s, 2);
      assertEquals(m.directory().resolve("ckpt-2"), m.latest().orElseThrow());
    } finally {
      Tmpfs.command("umount", mount.toString());
    }
  }
}

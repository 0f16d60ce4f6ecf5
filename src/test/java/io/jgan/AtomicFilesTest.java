package io.jgan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Files written whole or not at all, readable by others once final, and what a killed writer left removed. */
class AtomicFilesTest {
  @TempDir Path dir;

  private List<String> names() throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  void aWrittenFileReplacesTheOldOneAndIsReadableByAll() throws Exception {
    Path file = dir.resolve("sub/state");
    AtomicFiles.writeString(file, "first");
    AtomicFiles.writeString(file, "second");
    assertEquals("second", Files.readString(file));
    // Temporary files are created owner-only (rw-------); a final file is rw-r--r-- like any other.
    assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    try (Stream<Path> s = Files.list(file.getParent())) {
      assertEquals(List.of(file), s.toList(), "no temporary left");
    }
  }

  @Test
  void aFailingWriterLeavesTheOldFileAndNoTemporary() throws Exception {
    Path file = dir.resolve("state");
    AtomicFiles.writeString(file, "good");
    UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> AtomicFiles.write(file, temp -> {
      Files.writeString(temp, "half");
      throw new IOException("No space left on device");
    }));
    assertEquals("cannot write " + file + ": No space left on device", e.getMessage());
    assertEquals("good", Files.readString(file));
    assertEquals(List.of("state"), names());
  }

  @Test
  void temporariesOfAKilledWriterAreRemovedAndListed() throws Exception {
    Path file = Files.writeString(dir.resolve(AtomicFiles.TEMP_PREFIX + "state-123"), "half");
    Path tree = Files.createDirectories(dir.resolve(AtomicFiles.TEMP_PREFIX + "model-456/variables"));
    Files.writeString(tree.resolve("variables.index"), "x");
    Files.writeString(dir.resolve("state"), "kept");
    List<Path> removed = AtomicFiles.removeTemporaries(dir);
    assertEquals(List.of(dir.resolve(AtomicFiles.TEMP_PREFIX + "model-456"), file),
        removed.stream().sorted().toList());
    assertEquals(List.of("state"), names());
    assertTrue(AtomicFiles.removeTemporaries(dir.resolve("absent")).isEmpty());
  }
}

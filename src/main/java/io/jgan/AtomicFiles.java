package io.jgan;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Writes files so that a crash or kill never leaves a half-written file under the final name: the
 * content goes to a temporary file in the same directory, is synced, and is renamed over the
 * target atomically. Temporary names start with {@link #TEMP_PREFIX}.
 *
 * <pre>{@code
 * AtomicFiles.writeString(runDir.resolve("config.json"), json);
 * AtomicFiles.write(runDir.resolve("grid.png"), temp -> ImageIO.write(image, "png", temp.toFile()));
 * }</pre>
 */
public final class AtomicFiles {
  public static final String TEMP_PREFIX = ".tmp-";

  /** Writes the content of a file at the path it is given. */
  @FunctionalInterface
  public interface Writer {
    void write(Path temp) throws IOException;
  }

  private AtomicFiles() {}

  public static void write(Path file, Writer writer) {
    Path dir = file.toAbsolutePath().getParent();
    Path temp = null;
    try {
      Files.createDirectories(dir);
      temp = Files.createTempFile(dir, TEMP_PREFIX + file.getFileName() + "-", "");
      writer.write(temp);
      readableByAll(temp);
      fsync(temp);
      Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      fsyncDirectory(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
    } finally {
      if (temp != null) {
        try {
          Files.deleteIfExists(temp);
        } catch (IOException ignored) {
          // best effort: temporaries are cleaned on the next start
        }
      }
    }
  }

  public static void writeString(Path file, String text) {
    write(file, temp -> Files.writeString(temp, text, StandardCharsets.UTF_8));
  }

  /** Temporary files are created owner-only; the final file gets the usual rw-r--r--. */
  public static void readableByAll(Path file) throws IOException {
    try {
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
    } catch (UnsupportedOperationException e) {
      // not a POSIX file system: keep the default permissions
    }
  }

  public static void fsync(Path file) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
      ch.force(true);
    }
  }

  /** Syncs a directory entry after a rename; some file systems cannot, and then the rename alone must do. */
  public static void fsyncDirectory(Path dir) {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException e) {
      // best effort
    }
  }

  /**
   * Removes what a process killed mid-write left in {@code dir}: every entry whose name starts
   * with {@link #TEMP_PREFIX} (files, and directories with their contents). Returns them.
   */
  public static java.util.List<Path> removeTemporaries(Path dir) {
    java.util.List<Path> removed = new java.util.ArrayList<>();
    if (!Files.isDirectory(dir)) {
      return removed;
    }
    try (java.nio.file.DirectoryStream<Path> entries = Files.newDirectoryStream(dir, TEMP_PREFIX + "*")) {
      for (Path p : entries) {
        deleteRecursively(p);
        removed.add(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(dir + ": cannot list", e);
    }
    return removed;
  }

  /** Deletes a file or a directory tree, as far as it can: what is left is removed on the next start. */
  public static void deleteRecursively(Path root) {
    if (!Files.exists(root, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try (var walk = Files.walk(root)) {
      walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> {
        try {
          Files.deleteIfExists(p);
        } catch (IOException ignored) {
          // best effort
        }
      });
    } catch (IOException ignored) {
      // best effort
    }
  }
}

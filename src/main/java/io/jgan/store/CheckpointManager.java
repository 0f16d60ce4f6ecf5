package io.jgan.store;

import io.jgan.AtomicFiles;
import io.jgan.BadInputException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * A directory of checkpoints, {@code ckpt-N.index} + {@code ckpt-N.data-00000-of-00001}, and the
 * {@code checkpoint} state file naming the newest, as {@code tf.train.CheckpointManager} keeps them.
 *
 * <p>Crash safety: a checkpoint is written into a temporary directory, its files are synced and
 * then renamed into place, the data file first and the index last (an index under its final name
 * means a complete checkpoint, as with SaveV2), and only then is the state file replaced, itself
 * through a temporary file and an atomic rename. A kill at any moment leaves the state file naming
 * only complete checkpoints. Leftover temporaries are removed on the next start.
 *
 * <p>Besides the numbered checkpoints of a run's schedule ({@code ckpt-N}, N the save counter),
 * there may be one <em>interim</em> checkpoint, {@code interim-<step>}: one saved between two
 * scheduled ones (after a time interval, or when a run is stopped) so that little work is at
 * risk. It does not take a number (the next scheduled checkpoint gets the number it would have had
 * anyway, so a run stopped and resumed numbers and writes its checkpoints as a run straight through
 * would), it does not count against {@code keep}, and the next save of any kind deletes it.
 */
public final class CheckpointManager {
  public static final String STATE_FILE = "checkpoint";
  public static final String PREFIX = "ckpt";
  /** The name of an interim checkpoint: {@code interim-<global step>}. */
  public static final String INTERIM_PREFIX = "interim";
  static final String DATA_SUFFIX = ".data-00000-of-00001";
  static final String INDEX_SUFFIX = ".index";
  static final String TEMP_PREFIX = AtomicFiles.TEMP_PREFIX;

  /** Writes one checkpoint at the given prefix (e.g. SaveV2 through a session). */
  @FunctionalInterface
  public interface Writer {
    void write(Path prefix);
  }

  private final Path directory;
  private final int keep;

  /**
   * @param keep how many checkpoints to keep, newest first (older ones are deleted after a save); 0 keeps all
   */
  public CheckpointManager(Path directory, int keep) {
    if (keep < 0) {
      throw new IllegalArgumentException("expected keep >= 0, got " + keep);
    }
    this.directory = directory;
    this.keep = keep;
  }

  public Path directory() {
    return directory;
  }

  public Path stateFile() {
    return directory.resolve(STATE_FILE);
  }

  /** The state file's content, if the file exists. */
  public Optional<CheckpointState> state() {
    Path file = stateFile();
    if (!Files.exists(file)) {
      return Optional.empty();
    }
    try {
      return Optional.of(CheckpointState.parse(Files.readString(file, StandardCharsets.UTF_8), file, directory));
    } catch (java.nio.charset.MalformedInputException e) {
      throw new BadInputException(file + ": expected UTF-8 text, got bytes that are not", e);
    } catch (IOException e) {
      throw new UncheckedIOException(file + ": cannot read", e);
    }
  }

  /** The newest checkpoint's prefix, or empty when the directory has none. Throws if the state file names a missing one. */
  public Optional<Path> latest() {
    return state().map(s -> requireComplete(s.latest()));
  }

  /** Every kept checkpoint named by the state file that is complete, oldest first. */
  public List<Path> kept() {
    List<Path> out = new ArrayList<>();
    state().ifPresent(s -> s.all().forEach(name -> {
      if (isComplete(directory.resolve(name))) {
        out.add(directory.resolve(name));
      }
    }));
    return out;
  }

  /** Whether the directory holds any checkpoint files at all (a state file or an index). */
  public boolean hasAnyCheckpoint() {
    if (Files.exists(stateFile())) {
      return true;
    }
    if (!Files.isDirectory(directory)) {
      return false;
    }
    try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, PREFIX + "-*" + INDEX_SUFFIX)) {
      return files.iterator().hasNext();
    } catch (IOException e) {
      throw new UncheckedIOException(directory + ": cannot list", e);
    }
  }

  /**
   * Every complete checkpoint in the directory, whatever the state file says: what
   * {@code --fallback} tries. Interim checkpoints first (they are newer than the numbered one they
   * follow), highest step first, then the numbered ones, highest number first.
   */
  public List<Path> completeOnDisk() {
    List<Path> found = new ArrayList<>(numberedOnDisk(INTERIM_PREFIX));
    found.addAll(numberedOnDisk(PREFIX));
    return found;
  }

  private List<Path> numberedOnDisk(String prefixName) {
    List<Path> found = new ArrayList<>();
    if (!Files.isDirectory(directory)) {
      return found;
    }
    try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, prefixName + "-*" + INDEX_SUFFIX)) {
      for (Path index : files) {
        String name = index.getFileName().toString();
        String number = name.substring(prefixName.length() + 1, name.length() - INDEX_SUFFIX.length());
        Path prefix = directory.resolve(prefixName + "-" + number);
        if (number.matches("[0-9]{1,18}") && isComplete(prefix)) {
          found.add(prefix);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(directory + ": cannot list", e);
    }
    found.sort(Comparator.comparingLong((Path p) -> number(p.getFileName().toString())).reversed());
    return found;
  }

  private static long number(String name) {
    return Long.parseLong(name.substring(name.lastIndexOf('-') + 1));
  }

  /** Whether {@code prefix} names an interim checkpoint rather than a numbered one. */
  public static boolean isInterim(Path prefix) {
    return prefix.getFileName().toString().startsWith(INTERIM_PREFIX + "-");
  }

  private Path requireComplete(String name) {
    Path prefix = directory.resolve(name);
    if (!isComplete(prefix)) {
      throw new BadInputException(stateFile() + ": names checkpoint " + name + ", but "
          + (Files.exists(index(prefix)) ? data(prefix) : index(prefix)) + " is missing");
    }
    return prefix;
  }

  public static boolean isComplete(Path prefix) {
    return Files.isRegularFile(index(prefix)) && Files.isRegularFile(data(prefix));
  }

  public static Path index(Path prefix) {
    return prefix.resolveSibling(prefix.getFileName() + INDEX_SUFFIX);
  }

  public static Path data(Path prefix) {
    return prefix.resolveSibling(prefix.getFileName() + DATA_SUFFIX);
  }

  /**
   * Writes checkpoint {@code ckpt-<number>} through {@code writer} and makes it the latest. On any
   * failure (disk full, read-only directory) the previous latest stays the latest and the
   * exception says why.
   */
  public Path save(long number, Writer writer) {
    return save(PREFIX + "-" + number, writer);
  }

  /**
   * Writes the interim checkpoint {@code interim-<globalStep>} (see the class comment) and makes
   * it the latest, as {@link #save(long, Writer)} does.
   */
  public Path saveInterim(long globalStep, Writer writer) {
    return save(INTERIM_PREFIX + "-" + globalStep, writer);
  }

  private Path save(String name, Writer writer) {
    Path finalPrefix = directory.resolve(name);
    Path tempDir = null;
    try {
      Files.createDirectories(directory);
      tempDir = Files.createTempDirectory(directory, TEMP_PREFIX + name + "-");
      Path tempPrefix = tempDir.resolve(name);
      writer.write(tempPrefix);
      if (!isComplete(tempPrefix)) {
        throw new IOException("the checkpoint writer did not produce " + index(tempPrefix) + " and " + data(tempPrefix));
      }
      AtomicFiles.readableByAll(data(tempPrefix));
      AtomicFiles.readableByAll(index(tempPrefix));
      AtomicFiles.fsync(data(tempPrefix));
      AtomicFiles.fsync(index(tempPrefix));
      // Data first, index last: an index under its final name means a complete checkpoint.
      Files.move(data(tempPrefix), data(finalPrefix), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      Files.move(index(tempPrefix), index(finalPrefix), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      AtomicFiles.fsyncDirectory(directory);
      writeState(name);
      return finalPrefix;
    } catch (IOException | RuntimeException e) {
      // Disk full, read-only directory, SaveV2 failing: nothing under a final name was replaced
      // by a partial file, and the state file still names the previous checkpoint.
      String previous = latestNameOrNone();
      throw new UncheckedIOException("cannot save checkpoint " + finalPrefix + ": " + e.getMessage()
          + "; the latest checkpoint is still " + previous,
          e instanceof IOException io ? io : new IOException(e.getMessage(), e));
    } finally {
      if (tempDir != null) {
        AtomicFiles.deleteRecursively(tempDir);
      }
    }
  }

  private String latestNameOrNone() {
    try {
      return state().map(s -> directory.resolve(s.latest()).toString()).orElse("none");
    } catch (RuntimeException e) {
      return "unknown (" + e.getMessage() + ")";
    }
  }

  private void writeState(String newest) throws IOException {
    List<String> all = new ArrayList<>();
    List<Double> times = new ArrayList<>();
    double preserved = 0;
    Optional<CheckpointState> old = Optional.empty();
    try {
      old = state();
    } catch (BadInputException e) {
      // A damaged state file is replaced by one naming what is on disk (the new checkpoint).
    }
    if (old.isPresent()) {
      CheckpointState s = old.get();
      preserved = s.lastPreservedTimestamp();
      for (int i = 0; i < s.all().size(); i++) {
        String n = s.all().get(i);
        if (!n.equals(newest) && isComplete(directory.resolve(n))) {
          all.add(n);
          times.add(i < s.timestamps().size() ? s.timestamps().get(i) : 0.0);
        }
      }
    }
    all.add(newest);
    times.add(System.currentTimeMillis() / 1000.0);
    List<String> dropped = new ArrayList<>();
    // Any save replaces an earlier interim checkpoint; keep counts the numbered ones only.
    for (int i = all.size() - 2; i >= 0; i--) {
      if (isInterim(Path.of(all.get(i)))) {
        dropped.add(all.remove(i));
        times.remove(i);
      }
    }
    while (keep > 0 && all.stream().filter(n -> !isInterim(Path.of(n))).count() > keep) {
      int oldest = 0;
      while (isInterim(Path.of(all.get(oldest)))) {
        oldest++;
      }
      dropped.add(all.remove(oldest));
      times.remove(oldest);
    }
    if (preserved == 0) {
      preserved = times.get(0);
    }
    CheckpointState state = new CheckpointState(newest, all, times, preserved);
    AtomicFiles.writeString(stateFile(), state.toText());
    // Delete only after the state file no longer names them: index first, so a half-deleted
    // checkpoint never looks complete.
    for (String n : dropped) {
      Path p = directory.resolve(n);
      Files.deleteIfExists(index(p));
      Files.deleteIfExists(data(p));
    }
  }

  /** Removes temporary directories and files left by a process killed during a save. */
  public List<Path> cleanStaleTemporaries() {
    return AtomicFiles.removeTemporaries(directory);
  }
}

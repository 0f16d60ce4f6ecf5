package io.jgan.store;

import io.jgan.AtomicFiles;
import io.jgan.BadInputException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.SessionFunction;
import org.tensorflow.Signature;

/**
 * Writes TensorFlow SavedModels that other TensorFlow programs load ({@code tf.saved_model.load}
 * in Python, {@code SavedModelBundle.load} in Java): a session's graph, its variables' current
 * values and named signatures.
 *
 * <p>The model is written into a temporary sibling directory and renamed into place; an existing
 * model is replaced only when asked, and by renames, so a kill at any moment leaves at the final
 * path either nothing, the old model or the new one, never part of one.
 */
public final class SavedModels {
  private SavedModels() {}

  /** Writes the files of a model into a directory (which does not exist yet). */
  @FunctionalInterface
  public interface Contents {
    void writeInto(Path dir) throws IOException;
  }

  /**
   * Writes a SavedModel of {@code session} with {@code signatures} into {@code dir} (which must
   * not exist yet); no temporary directory: callers use {@link #writeAtomically}.
   */
  public static void export(Session session, List<Signature> signatures, Path dir) {
    SavedModelBundle.Exporter exporter = SavedModelBundle.exporter(dir.toString());
    signatures.forEach(s -> exporter.withFunction(SessionFunction.create(s, session)));
    try {
      exporter.export();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write a SavedModel to " + dir + ": " + e.getMessage(), e);
    }
  }

  /**
   * Writes {@code contents} to {@code out} all or nothing: into a temporary sibling directory,
   * renamed into place.
   *
   * @throws BadInputException when {@code out} exists and {@code overwrite} is false
   */
  public static void writeAtomically(Path out, boolean overwrite, Contents contents) {
    if (Files.exists(out) && !overwrite) {
      throw new BadInputException(out + ": already exists; give --overwrite to replace it");
    }
    Path parent = out.toAbsolutePath().getParent();
    Path temp = null;
    try {
      Files.createDirectories(parent);
      temp = Files.createTempDirectory(parent, AtomicFiles.TEMP_PREFIX + out.getFileName() + "-");
      Path model = temp.resolve("model");
      contents.writeInto(model);
      replace(model, out);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot export to " + out + ": " + e.getMessage(), e);
    } finally {
      if (temp != null) {
        AtomicFiles.deleteRecursively(temp);
      }
    }
  }

  /** Moves {@code model} to {@code out}, replacing an existing directory by renames only. */
  private static void replace(Path model, Path out) throws IOException {
    Path old = null;
    if (Files.exists(out)) {
      old = out.resolveSibling(AtomicFiles.TEMP_PREFIX + out.getFileName() + "-old-" + System.nanoTime());
      Files.move(out, old, StandardCopyOption.ATOMIC_MOVE);
    }
    Files.move(model, out, StandardCopyOption.ATOMIC_MOVE);
    AtomicFiles.fsyncDirectory(out.toAbsolutePath().getParent());
    if (old != null) {
      AtomicFiles.deleteRecursively(old);
    }
  }
}

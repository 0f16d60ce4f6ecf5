package io.jgan.store;

import io.jgan.BadInputException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The {@code checkpoint} state file that {@code tf.train.latest_checkpoint} reads: a text-format
 * {@code CheckpointState} proto naming the newest checkpoint and the ones kept.
 *
 * <pre>
 * model_checkpoint_path: "ckpt-3"
 * all_model_checkpoint_paths: "ckpt-2"
 * all_model_checkpoint_paths: "ckpt-3"
 * all_model_checkpoint_timestamps: 1795345514.84
 * all_model_checkpoint_timestamps: 1795345600.12
 * last_preserved_timestamp: 1795345400.0
 * </pre>
 *
 * <p>Paths are written relative to the directory, as TensorFlow 2 does. The parser is strict: an
 * unknown field, a malformed line, or a path that leaves the checkpoint directory is an error that
 * names the file and the line.
 *
 * @param latest the newest checkpoint's name (e.g. {@code ckpt-3}), relative to the directory
 * @param all every kept checkpoint, oldest first, {@code latest} last
 * @param timestamps seconds since the epoch at which each of {@code all} was written
 * @param lastPreservedTimestamp TensorFlow's bookkeeping for keep-every-n-hours; written as read
 */
public record CheckpointState(String latest, List<String> all, List<Double> timestamps, double lastPreservedTimestamp) {
  public CheckpointState {
    all = List.copyOf(all);
    timestamps = List.copyOf(timestamps);
  }

  public String toText() {
    StringBuilder sb = new StringBuilder();
    sb.append("model_checkpoint_path: ").append(quote(latest)).append('\n');
    for (String p : all) {
      sb.append("all_model_checkpoint_paths: ").append(quote(p)).append('\n');
    }
    for (double t : timestamps) {
      sb.append("all_model_checkpoint_timestamps: ").append(String.format(Locale.ROOT, "%.6f", t)).append('\n');
    }
    sb.append("last_preserved_timestamp: ").append(String.format(Locale.ROOT, "%.6f", lastPreservedTimestamp)).append('\n');
    return sb.toString();
  }

  /**
   * Parses a state file's text.
   *
   * @param file the file, for error messages
   * @param directory the checkpoint directory every named checkpoint must be in
   */
  public static CheckpointState parse(String text, Path file, Path directory) {
    String latest = null;
    List<String> all = new ArrayList<>();
    List<Double> timestamps = new ArrayList<>();
    double preserved = 0;
    String[] lines = text.split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i].strip();
      int lineNo = i + 1;
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      int colon = line.indexOf(':');
      if (colon < 0) {
        throw error(file, lineNo, "expected 'field: value', got " + abbreviate(line));
      }
      String field = line.substring(0, colon).strip();
      String value = line.substring(colon + 1).strip();
      switch (field) {
        case "model_checkpoint_path" -> {
          if (latest != null) {
            throw error(file, lineNo, "expected model_checkpoint_path once, got it again");
          }
          latest = checkName(unquote(value, file, lineNo), file, lineNo, directory);
        }
        case "all_model_checkpoint_paths" -> all.add(checkName(unquote(value, file, lineNo), file, lineNo, directory));
        case "all_model_checkpoint_timestamps" -> timestamps.add(number(value, file, lineNo));
        case "last_preserved_timestamp" -> preserved = number(value, file, lineNo);
        default -> throw error(file, lineNo, "expected one of model_checkpoint_path, all_model_checkpoint_paths, "
            + "all_model_checkpoint_timestamps, last_preserved_timestamp; got field " + abbreviate(field));
      }
    }
    if (latest == null) {
      throw new BadInputException(file + ": expected a model_checkpoint_path line, found none");
    }
    if (!all.contains(latest)) {
      all.add(latest);
    }
    return new CheckpointState(latest, all, timestamps, preserved);
  }

  /**
   * A checkpoint name as stored: relative names must stay in the directory; an absolute path is
   * accepted only inside the directory (older TensorFlow wrote absolute paths), and is made relative.
   */
  private static String checkName(String name, Path file, int lineNo, Path directory) {
    if (name.isEmpty()) {
      throw error(file, lineNo, "expected a checkpoint name, got an empty string");
    }
    if (name.indexOf('\0') >= 0) {
      throw error(file, lineNo, "expected a checkpoint name, got one with a NUL character");
    }
    Path dir = directory.toAbsolutePath().normalize();
    Path resolved;
    try {
      resolved = dir.resolve(name).normalize();
    } catch (java.nio.file.InvalidPathException e) {
      throw error(file, lineNo, "expected a checkpoint name, got an invalid path " + abbreviate(name));
    }
    if (!resolved.getParent().equals(dir)) {
      throw error(file, lineNo, "expected a checkpoint inside " + dir + ", got " + abbreviate(name)
          + " (refusing a path outside the checkpoint directory)");
    }
    return resolved.getFileName().toString();
  }

  private static double number(String value, Path file, int lineNo) {
    try {
      double d = Double.parseDouble(value);
      if (!Double.isFinite(d)) {
        throw error(file, lineNo, "expected a finite number, got " + abbreviate(value));
      }
      return d;
    } catch (NumberFormatException e) {
      throw error(file, lineNo, "expected a number, got " + abbreviate(value));
    }
  }

  /** A text-format string: double or single quotes with C escapes. */
  private static String unquote(String value, Path file, int lineNo) {
    if (value.length() < 2 || (value.charAt(0) != '"' && value.charAt(0) != '\'')
        || value.charAt(value.length() - 1) != value.charAt(0)) {
      throw error(file, lineNo, "expected a quoted string, got " + abbreviate(value));
    }
    char quote = value.charAt(0);
    StringBuilder out = new StringBuilder();
    for (int i = 1; i < value.length() - 1; i++) {
      char c = value.charAt(i);
      if (c == quote) {
        throw error(file, lineNo, "expected one quoted string, got " + abbreviate(value));
      }
      if (c != '\\') {
        out.append(c);
        continue;
      }
      if (++i >= value.length() - 1) {
        throw error(file, lineNo, "expected an escape after '\\', got the end of the string");
      }
      char e = value.charAt(i);
      switch (e) {
        case 'n' -> out.append('\n');
        case 't' -> out.append('\t');
        case 'r' -> out.append('\r');
        case '\\', '"', '\'' -> out.append(e);
        default -> throw error(file, lineNo, "expected an escape of n, t, r, \\, \" or ', got \\" + e);
      }
    }
    return out.toString();
  }

  private static String quote(String s) {
    return '"' + s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + '"';
  }

  private static BadInputException error(Path file, int lineNo, String message) {
    return new BadInputException(file + " line " + lineNo + ": " + message);
  }

  private static String abbreviate(String s) {
    String printable = s.replaceAll("[\\p{Cntrl}]", "?");
    return "'" + (printable.length() > 60 ? printable.substring(0, 60) + "..." : printable) + "'";
  }
}

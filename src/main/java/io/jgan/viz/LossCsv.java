package io.jgan.viz;

import io.jgan.AtomicFiles;
import io.jgan.BadInputException;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code losses.csv}: one row per training step, {@code step,epoch,<metric>,...}, each value with
 * full float precision ({@link Float#toString}), so a straight run and a killed-and-resumed one
 * give byte-identical files. No wall-clock column: timings live in the console output.
 *
 * <p>On resume the rows after the restored step are dropped first (the steps after the last
 * checkpoint are trained again, and give the same values).
 *
 * <pre>{@code
 * try (LossCsv csv = new LossCsv(runDir.resolve("losses.csv"), List.of("d_loss", "g_loss"), 0)) {
 *   csv.append(1, 0, new float[] {1.38f, 0.69f});   // step 1, epoch 0
 * }
 * List<LossCsv.Row> rows = LossCsv.read(runDir.resolve("losses.csv"));
 * }</pre>
 */
public final class LossCsv implements AutoCloseable {
  private final Path file;
  private final List<String> header;
  private final BufferedWriter writer;

  /** One row as read back. */
  public record Row(long step, long epoch, float[] values) {}

  /**
   * Opens {@code file} for appending, keeping only rows up to {@code keepThroughStep}; creates it
   * with a header {@code step,epoch,metrics...} if absent.
   *
   * @throws BadInputException if an existing file has another header or a malformed row
   */
  public LossCsv(Path file, List<String> metricNames, long keepThroughStep) {
    this.file = file;
    this.header = new ArrayList<>(List.of("step", "epoch"));
    header.addAll(metricNames);
    try {
      String headerLine = String.join(",", header);
      if (Files.exists(file)) {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        if (lines.isEmpty() || !lines.get(0).equals(headerLine)) {
          throw new BadInputException(file + ": expected the header '" + headerLine + "', got '"
              + (lines.isEmpty() ? "" : lines.get(0)) + "' (a different preset's log?)");
        }
        StringBuilder kept = new StringBuilder(headerLine).append('\n');
        for (int i = 1; i < lines.size(); i++) {
          if (parse(lines.get(i), i + 1).step() <= keepThroughStep) {
            kept.append(lines.get(i)).append('\n');
          }
        }
        AtomicFiles.writeString(file, kept.toString());
      } else {
        AtomicFiles.writeString(file, headerLine + "\n");
      }
      writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open " + file + ": " + e.getMessage(), e);
    }
  }

  /** Appends one step's row and flushes it. */
  public void append(long step, long epoch, float[] values) {
    if (values.length != header.size() - 2) {
      throw new IllegalArgumentException("expected " + (header.size() - 2) + " values, got " + values.length);
    }
    StringBuilder sb = new StringBuilder().append(step).append(',').append(epoch);
    for (float v : values) {
      sb.append(',').append(Float.toString(v));
    }
    try {
      writer.write(sb.append('\n').toString());
      writer.flush();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot append to " + file + ": " + e.getMessage(), e);
    }
  }

  /** Every row of {@code file}, for plots, {@code info} and tests. */
  public static List<Row> read(Path file) {
    try {
      List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
      List<Row> rows = new ArrayList<>();
      for (int i = 1; i < lines.size(); i++) {
        if (!lines.get(i).isEmpty()) {
          rows.add(parseStatic(file, lines.get(i), i + 1));
        }
      }
      return rows;
    } catch (IOException e) {
      throw new BadInputException(file + ": cannot read (" + e.getMessage() + ")", e);
    }
  }

  /** The metric names of {@code file}'s header. */
  public static List<String> metricNames(Path file) {
    try {
      List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
      if (lines.isEmpty()) {
        throw new BadInputException(file + ": expected a header line, got an empty file");
      }
      String[] cells = lines.get(0).split(",");
      return List.of(cells).subList(2, cells.length);
    } catch (IOException e) {
      throw new BadInputException(file + ": cannot read (" + e.getMessage() + ")", e);
    }
  }

  private Row parse(String line, int lineNo) {
    return parseStatic(file, line, lineNo);
  }

  private static Row parseStatic(Path file, String line, int lineNo) {
    String[] cells = line.split(",", -1);
    try {
      float[] values = new float[cells.length - 2];
      for (int i = 2; i < cells.length; i++) {
        values[i - 2] = Float.parseFloat(cells[i]);
      }
      return new Row(Long.parseLong(cells[0]), Long.parseLong(cells[1]), values);
    } catch (NumberFormatException | ArrayIndexOutOfBoundsException | NegativeArraySizeException e) {
      throw new BadInputException(String.format(Locale.ROOT, "%s line %d: expected step,epoch,values..., got '%s'",
          file, lineNo, line.length() > 80 ? line.substring(0, 80) + "..." : line));
    }
  }

  @Override
  public void close() {
    try {
      writer.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

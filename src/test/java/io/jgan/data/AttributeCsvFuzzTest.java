package io.jgan.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jgan.BadInputException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * 12,000 seeded malformed attribute tables (byte flips, truncations, inserted separators, quotes,
 * NULs, invalid UTF-8, duplicated lines, changed values), each checked against a separate, plain
 * reference parser written from the format's definition (AttributeCsv's class comment): where the
 * reference accepts the bytes, the reader returns the same attributes and rows, every row with the
 * reference's -1/1 value per attribute (read back through {@link AttributeCsv#labels}) on the same
 * line; where it rejects them, the reader throws the project's BadInputException naming the file
 * and, for a bad line, that line's number. Any other exception fails the test, showing the input.
 */
class AttributeCsvFuzzTest {
  @TempDir Path dir;

  /** What a correct reader returns: the attribute names and, per row in file order, its values and line. */
  private record Table(List<String> attributes, Map<String, byte[]> rows, Map<String, Integer> lines) {}

  /** A rejection: the line at fault, or 0 for the file as a whole (not UTF-8, empty, no rows). */
  private record Rejection(int line) {}

  @Test
  void malformedTablesAreReadAsTheReferenceReadsThemOrRefusedNamingTheLine() throws Exception {
    String base = "image_id,Blond_Hair,Smiling,Young\n" + "000001.jpg,1,-1,1\n000002.jpg,-1,1,-1\n000003.jpg,-1,-1,1\n"
        + "000004.jpg,1,1,1\n";
    byte[] good = base.getBytes(StandardCharsets.UTF_8);
    Random random = new Random(20261122);
    byte[] alphabet = ",\n\r-1 0\"\uFEFFx.\t".getBytes(StandardCharsets.UTF_8);
    int[] valuesChecked = {0};
    int[] linesNamed = {0};
    io.jgan.Fuzzing.Counts counts = io.jgan.Fuzzing.run(12_000, dir.resolve("attrs.csv"), i -> mutate(good, random, alphabet),
        file -> {
          Object expected = reference(read(file));
          AttributeCsv csv;
          try {
            csv = AttributeCsv.read(file);
          } catch (BadInputException e) {
            if (expected instanceof Rejection r) {
              String where = r.line() == 0 ? file + ": " : file + " line " + r.line() + ": ";
              assertTrue(e.getMessage().startsWith(where), "expected the message to start with '" + where + "': " + e.getMessage());
              linesNamed[0] += r.line() == 0 ? 0 : 1;
              throw e;
            }
            throw new AssertionError("rejected a table the reference accepts: " + e.getMessage(), e);
          }
          if (!(expected instanceof Table t)) {
            throw new AssertionError("accepted a table the reference rejects at line " + ((Rejection) expected).line());
          }
          assertEquals(t.attributes(), csv.attributes());
          assertEquals(t.rows().size(), csv.size());
          for (Map.Entry<String, byte[]> row : t.rows().entrySet()) {
            String name = row.getKey();
            assertEquals(t.lines().get(name), csv.lineOf(name), "line of " + name);
            Path image = imageNamed(name);
            if (image == null) {
              continue; // no file can have this name ('/', NUL): labels() could never be asked for it
            }
            int[] expectedLabels = new int[t.attributes().size()];
            int[] labels = new int[t.attributes().size()];
            for (int a = 0; a < labels.length; a++) {
              expectedLabels[a] = row.getValue()[a] == 1 ? 1 : 0;
              labels[a] = csv.labels(List.of(image), t.attributes().get(a))[0];
            }
            assertArrayEquals(expectedLabels, labels, "values of " + name);
            valuesChecked[0] += labels.length;
          }
        });
    int ok = counts.accepted(), rejected = counts.rejected();
    assertTrue(rejected > 6_000, "most mutations are malformed, " + rejected + " rejected");
    assertTrue(ok > 100, "some mutations stay valid, " + ok + " accepted");
    assertTrue(valuesChecked[0] > 100 * 4 * 3, "values read back: " + valuesChecked[0]);
    assertTrue(linesNamed[0] > 3_000, "rejections naming a line: " + linesNamed[0]);
  }

  private static byte[] read(Path file) {
    try {
      return Files.readAllBytes(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A path whose file name is {@code name}, or null when no file can be called that. */
  private static Path imageNamed(String name) {
    try {
      Path p = Path.of("images", name);
      return p.getFileName() != null && p.getFileName().toString().equals(name) ? p : null;
    } catch (InvalidPathException e) {
      return null;
    }
  }

  /**
   * The format, read plainly: UTF-8 (a leading BOM dropped); lines end in LF, optionally CR LF; empty
   * lines at the end are ignored; a header of an id column and one or more attribute names, non-empty
   * and distinct after trimming whitespace; then at least one row, each non-empty with as many
   * comma-separated cells as the header: a non-empty file name, distinct from every other row's, and
   * 1 or -1 per attribute (cells trimmed). Returns a {@link Table}, or the {@link Rejection}.
   */
  private static Object reference(byte[] bytes) {
    String text;
    try {
      text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
    } catch (CharacterCodingException e) {
      return new Rejection(0);
    }
    if (text.startsWith("\uFEFF")) {
      text = text.substring(1);
    }
    List<String> lines = new ArrayList<>();
    for (String line : text.split("\n", -1)) {
      lines.add(line.endsWith("\r") ? line.substring(0, line.length() - 1) : line);
    }
    while (!lines.isEmpty() && lines.get(lines.size() - 1).isEmpty()) {
      lines.remove(lines.size() - 1);
    }
    if (lines.isEmpty()) {
      return new Rejection(0);
    }
    String[] header = lines.get(0).split(",", -1);
    List<String> attributes = new ArrayList<>();
    for (int c = 1; c < header.length; c++) {
      attributes.add(header[c].strip());
    }
    if (attributes.isEmpty() || attributes.contains("") || new HashSet<>(attributes).size() != attributes.size()) {
      return new Rejection(1);
    }
    Map<String, byte[]> rows = new LinkedHashMap<>();
    Map<String, Integer> lineOf = new LinkedHashMap<>();
    Set<String> names = new HashSet<>();
    for (int i = 1; i < lines.size(); i++) {
      String[] cells = lines.get(i).split(",", -1);
      String name = cells[0].strip();
      if (lines.get(i).isEmpty() || cells.length != header.length || name.isEmpty() || !names.add(name)) {
        return new Rejection(i + 1);
      }
      byte[] values = new byte[attributes.size()];
      for (int c = 1; c < cells.length; c++) {
        switch (cells[c].strip()) {
          case "1" -> values[c - 1] = 1;
          case "-1" -> values[c - 1] = -1;
          default -> {
            return new Rejection(i + 1);
          }
        }
      }
      rows.put(name, values);
      lineOf.put(name, i + 1);
    }
    if (rows.isEmpty()) {
      return new Rejection(0);
    }
    return new Table(attributes, rows, lineOf);
  }

  private static byte[] mutate(byte[] good, Random random, byte[] alphabet) {
    byte[] b = good.clone();
    switch (random.nextInt(7)) {
      case 0 -> b[random.nextInt(b.length)] = (byte) random.nextInt(256);
      case 1 -> b = java.util.Arrays.copyOf(b, random.nextInt(b.length));
      case 2 -> b = io.jgan.Fuzzing.insert(b, random.nextInt(b.length), new byte[] {alphabet[random.nextInt(alphabet.length)]});
      case 3 -> b[random.nextInt(b.length)] = alphabet[random.nextInt(alphabet.length)];
      case 4 -> {
        String s = new String(b, StandardCharsets.UTF_8);
        List<String> lines = new java.util.ArrayList<>(List.of(s.split("\n", -1)));
        int k = random.nextInt(lines.size());
        lines.add(k, lines.get(random.nextInt(lines.size())));
        b = String.join("\n", lines).getBytes(StandardCharsets.UTF_8);
      }
      case 5 -> {
        for (int n = 0; n < 5; n++) {
          b[random.nextInt(b.length)] ^= (byte) (1 << random.nextInt(8));
        }
      }
      default -> b = new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF, (byte) random.nextInt(256)};
    }
    return b;
  }
}

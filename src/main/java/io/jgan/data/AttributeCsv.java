package io.jgan.data;

import io.jgan.BadInputException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A CelebA-format attribute table ({@code list_attr_celeba.csv}): a header
 * {@code image_id,Attr_1,...,Attr_n}, then one row per image, its file name and one value per
 * attribute, each {@code 1} or {@code -1}.
 *
 * <p>Read strictly: a UTF-8 BOM and CRLF line ends are accepted; a wrong column count, a value other
 * than 1/-1, an empty or duplicate file name or a duplicate attribute name is an error naming the
 * file and the line number. Rows are joined to image files by file name ({@link #labels}).
 *
 * <pre>{@code
 * AttributeCsv attributes = AttributeCsv.read(Path.of("data/celeba/list_attr_celeba.csv"));
 * int[] smiling = attributes.labels(files, "Smiling");   // 1 or 0 per image of files
 * }</pre>
 */
public final class AttributeCsv {
  /** The CelebA header's first column. */
  public static final String ID_COLUMN = "image_id";

  private final Path file;
  private final List<String> attributes;
  private final Map<String, byte[]> rows; // file name -> values (+1/-1), in file order
  private final Map<String, Integer> lineOf;

  private AttributeCsv(Path file, List<String> attributes, Map<String, byte[]> rows, Map<String, Integer> lineOf) {
    this.file = file;
    this.attributes = attributes;
    this.rows = rows;
    this.lineOf = lineOf;
  }

  public static AttributeCsv read(Path file) {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (IOException e) {
      throw new BadInputException(file + ": cannot read the attribute CSV (" + e.getMessage() + ")", e);
    }
    String text;
    try {
      text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
    } catch (CharacterCodingException e) {
      throw new BadInputException(file + ": expected UTF-8 text, got bytes that are not (" + e.getMessage() + ")");
    }
    return parse(text, file);
  }

  /** Parses the text of a CSV; {@code file} names it in errors. */
  public static AttributeCsv parse(String text, Path file) {
    if (text.startsWith("\uFEFF")) {
      text = text.substring(1);
    }
    String[] lines = text.split("\n", -1);
    int last = lines.length;
    while (last > 0 && strip(lines[last - 1]).isEmpty()) {
      last--; // trailing newline(s)
    }
    if (last == 0) {
      throw new BadInputException(file + ": expected a header line '" + ID_COLUMN + ",Attribute,...', got an empty file");
    }
    String[] header = strip(lines[0]).split(",", -1);
    if (header.length < 2) {
      throw new BadInputException(file + " line 1: expected a header '" + ID_COLUMN + ",Attribute,...' with at least one attribute, got "
          + quote(strip(lines[0])));
    }
    List<String> attributes = new ArrayList<>();
    Map<String, Integer> seenAttribute = new HashMap<>();
    for (int c = 1; c < header.length; c++) {
      String name = header[c].strip();
      if (name.isEmpty()) {
        throw new BadInputException(file + " line 1: expected an attribute name in column " + (c + 1) + ", got an empty one");
      }
      Integer before = seenAttribute.put(name, c + 1);
      if (before != null) {
        throw new BadInputException(file + " line 1: attribute " + quote(name) + " appears in columns " + before + " and " + (c + 1));
      }
      attributes.add(name);
    }
    Map<String, byte[]> rows = new LinkedHashMap<>();
    Map<String, Integer> lineOf = new HashMap<>();
    for (int i = 1; i < last; i++) {
      int lineNo = i + 1;
      String line = strip(lines[i]);
      if (line.isEmpty()) {
        throw new BadInputException(file + " line " + lineNo + ": expected a row of " + header.length + " values, got an empty line");
      }
      String[] cells = line.split(",", -1);
      if (cells.length != header.length) {
        throw new BadInputException(file + " line " + lineNo + ": expected " + header.length + " columns as in the header, got "
            + cells.length);
      }
      String name = cells[0].strip();
      if (name.isEmpty()) {
        throw new BadInputException(file + " line " + lineNo + ": expected a file name in column 1, got an empty one");
      }
      byte[] values = new byte[attributes.size()];
      for (int c = 1; c < cells.length; c++) {
        String v = cells[c].strip();
        if (v.equals("1")) {
          values[c - 1] = 1;
        } else if (v.equals("-1")) {
          values[c - 1] = -1;
        } else {
          throw new BadInputException(file + " line " + lineNo + ": expected 1 or -1 for " + attributes.get(c - 1) + ", got "
              + quote(v));
        }
      }
      Integer before = lineOf.put(name, lineNo);
      if (before != null) {
        throw new BadInputException(file + " line " + lineNo + ": " + quote(name) + " already has a row on line " + before);
      }
      rows.put(name, values);
    }
    if (rows.isEmpty()) {
      throw new BadInputException(file + ": expected at least one row after the header, got none");
    }
    return new AttributeCsv(file, List.copyOf(attributes), rows, lineOf);
  }

  public List<String> attributes() {
    return attributes;
  }

  public int size() {
    return rows.size();
  }

  /**
   * Class labels of {@code images} from attribute {@code name}: 1 where the attribute is 1, 0
   * otherwise (seed 003's {@code np.where(labels == 1, labels, 0)}). Each image is matched by file
   * name; an image without a row is an error, rows without an image are allowed (CelebA's table
   * lists all 202,599 images, a folder may hold a subset).
   */
  public int[] labels(List<Path> images, String name) {
    int column = attributes.indexOf(name);
    if (column < 0) {
      throw new BadInputException(file + ": expected an attribute named " + quote(name) + ", got only "
          + String.join(", ", attributes.size() > 12 ? attributes.subList(0, 12) : attributes)
          + (attributes.size() > 12 ? ", ..." : ""));
    }
    Map<String, Path> byName = new HashMap<>();
    int[] labels = new int[images.size()];
    for (int i = 0; i < images.size(); i++) {
      Path image = images.get(i);
      String key = image.getFileName().toString();
      Path clash = byName.put(key, image);
      if (clash != null) {
        throw new BadInputException(file + ": cannot join by file name: both " + clash + " and " + image + " are called " + quote(key));
      }
      byte[] values = rows.get(key);
      if (values == null) {
        throw new BadInputException(file + ": expected a row for image " + image + " (" + quote(key) + "), found none");
      }
      labels[i] = values[column] == 1 ? 1 : 0;
    }
    return labels;
  }

  /** The line on which a file's row is, for messages; -1 if absent. */
  public int lineOf(String fileName) {
    return lineOf.getOrDefault(fileName, -1);
  }

  private static String strip(String line) {
    return line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
  }

  private static String quote(String s) {
    String printable = s.replaceAll("\\p{Cntrl}", "?");
    return "'" + (printable.length() > 60 ? printable.substring(0, 60) + "..." : printable) + "'";
  }
}

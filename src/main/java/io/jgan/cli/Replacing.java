package io.jgan.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Iterator;
import java.util.Locale;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * Nothing the user keeps is replaced silently: what an existing output file holds, in words, for a
 * command to say before it refuses to replace the file or after it did.
 */
final class Replacing {
  private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'", Locale.ROOT)
      .withZone(ZoneOffset.UTC);

  private Replacing() {}

  /** "a 228x228 PNG image (12345 bytes, written 2026-12-07 14:51 UTC)", or the bytes and date of another file. */
  static String describe(Path file) {
    try {
      String size = Files.size(file) + " bytes, written " + WHEN.format(Files.getLastModifiedTime(file).toInstant());
      String image = image(file);
      return image != null ? "a " + image + " (" + size + ")" : "a file of " + size;
    } catch (IOException e) {
      return "a file that could not be read (" + e.getMessage() + ")";
    }
  }

  /** "228x228 PNG image" of a PNG or GIF, from its header alone; null for anything else. */
  private static String image(Path file) {
    try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
      if (in == null) {
        return null;
      }
      Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
      if (!readers.hasNext()) {
        return null;
      }
      ImageReader reader = readers.next();
      try {
        reader.setInput(in);
        return reader.getWidth(0) + "x" + reader.getHeight(0) + " " + reader.getFormatName().toUpperCase(Locale.ROOT)
            + " image";
      } finally {
        reader.dispose();
      }
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }
}

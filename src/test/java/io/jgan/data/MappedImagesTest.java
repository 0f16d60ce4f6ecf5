package io.jgan.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Images read from a mapped cache file as a folder run gets them: pixels by (image, y, x, channel),
 * labels joined later (a conditional preset's attribute), the same checks as an in-memory set.
 */
class MappedImagesTest {
  @TempDir Path dir;

  /** Three 2x3 RGB images after a 5-byte header; byte k of the pixels is k * 5 + 1. */
  private MappedImages images() throws Exception {
    byte[] file = new byte[5 + 3 * 2 * 3 * 3];
    for (int k = 0; k < file.length - 5; k++) {
      file[5 + k] = (byte) (k * 5 + 1);
    }
    Path f = Files.write(dir.resolve("cache"), file);
    return new MappedImages("folder", 3, 2, 3, 3, new ChunkedMapping(f, 5, file.length - 5, 7, Long.MAX_VALUE), null, 0); // 54 bytes in 8 mappings
  }

  @Test
  void pixelsAreRowMajorImageRowColumnChannel() throws Exception {
    try (MappedImages images = images()) {
      assertEquals("folder", images.name());
      assertEquals(3, images.count());
      assertEquals(18, images.imageSize());
      for (int i = 0; i < 3; i++) {
        for (int y = 0; y < 2; y++) {
          for (int x = 0; x < 3; x++) {
            for (int c = 0; c < 3; c++) {
              int k = ((i * 2 + y) * 3 + x) * 3 + c;
              assertEquals((k * 5 + 1) & 0xFF, images.pixel(i, y, x, c), "(" + i + ", " + y + ", " + x + ", " + c + ")");
            }
          }
        }
      }
      byte[] second = new byte[18];
      images.read(1, second, 0);
      assertEquals((18 * 5 + 1) & 0xFF, second[0] & 0xFF);
      assertEquals("MappedImages[folder: 3 x 2 x 3 x 3, unlabelled, 8 mappings]", images.toString());
    }
  }

  @Test
  void labelsAreJoinedLaterAndChecked() throws Exception {
    try (MappedImages images = images()) {
      assertNull(images.labels());
      assertEquals(0, images.numClasses());
      MappedImages labelled = images.withLabels(new int[] {1, 0, 1}, 2);
      assertArrayEquals(new int[] {1, 0, 1}, labelled.labels());
      assertEquals(2, labelled.numClasses());
      assertEquals(0, labelled.label(1));
      assertEquals("MappedImages[folder: 3 x 2 x 3 x 3, 2 classes, 8 mappings]", labelled.toString());
      assertEquals("folder: expected labels in [0, 2), got 2 for image 2",
          assertThrows(IllegalArgumentException.class, () -> images.withLabels(new int[] {1, 0, 2}, 2)).getMessage());
      assertEquals("folder: expected 3 labels (one per image), got 2",
          assertThrows(IllegalArgumentException.class, () -> images.withLabels(new int[] {1, 0}, 2)).getMessage());
    }
  }

  @Test
  void shapesAndLengthsAreChecked() throws Exception {
    Path f = Files.write(dir.resolve("small"), new byte[12]);
    for (int[] shape : new int[][] {{0, 2, 2, 3}, {1, 0, 2, 3}, {1, 2, 0, 3}, {1, 2, 2, 0}}) {
      try (ChunkedMapping m = new ChunkedMapping(f, 0, 12, 4, Long.MAX_VALUE)) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> new MappedImages("x", shape[0], shape[1], shape[2], shape[3], m, null, 0));
        assertEquals("x: expected a positive count and shape, got " + shape[0] + " x " + shape[1] + " x " + shape[2] + " x "
            + shape[3], e.getMessage());
      }
    }
    try (ChunkedMapping m = new ChunkedMapping(f, 0, 12, 4, Long.MAX_VALUE)) {
      assertEquals("x: expected 24 mapped pixel bytes, got 12", assertThrows(IllegalArgumentException.class,
          () -> new MappedImages("x", 2, 2, 2, 3, m, null, 0)).getMessage());
      assertEquals(12, new MappedImages("x", 1, 2, 2, 3, m, null, 0).imageSize());
    }
  }
}

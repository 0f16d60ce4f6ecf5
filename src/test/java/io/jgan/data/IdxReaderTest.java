package io.jgan.data;

import static io.jgan.data.IdxFixtures.counting;
import static io.jgan.data.IdxFixtures.gzip;
import static io.jgan.data.IdxFixtures.idx;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jgan.BadInputException;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxReaderTest {

  /** More than a test fixture can need, far less than the data the bad headers promise. */
  private static final long ALLOCATION_LIMIT_BYTES = 16L << 20;

  @TempDir Path dir;

  private Path write(String name, byte[] bytes) throws IOException {
    return Files.write(dir.resolve(name), bytes);
  }

  /** Asserts {@code read} fails with a message that names the file and holds every fragment. */
  private static BadInputException assertRejected(Path file, int dims, String... fragments) {
    BadInputException e =
        assertThrows(BadInputException.class, () -> IdxReader.read(file, dims));
    String message = e.getMessage();
    assertTrue(message.startsWith(file.toString() + ": "), "names the file first: " + message);
    assertTrue(message.contains("expected"), "says what was expected: " + message);
    assertTrue(message.contains("got"), "says what was found: " + message);
    for (String fragment : fragments) {
      assertTrue(message.contains(fragment), "expected '" + fragment + "' in: " + message);
    }
    return e;
  }

  /** Bytes allocated by this thread while running {@code action}. */
  private static long allocatedBytes(Runnable action) {
    var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    assertTrue(threads.isThreadAllocatedMemoryEnabled(), "this JVM must count allocations");
    long before = threads.getCurrentThreadAllocatedBytes();
    action.run();
    return threads.getCurrentThreadAllocatedBytes() - before;
  }

  @Test
  void readsRawImages() throws IOException {
    // 2 images of 2 x 3: header 00 00 08 03, 2, 2, 3 then the 12 bytes 0..11.
    Path file = write("images", idx(new int[] {2, 2, 3}, counting(12)));
    IdxArray images = IdxReader.read(file, 3);
    assertArrayEquals(new int[] {2, 2, 3}, images.dims());
    assertArrayEquals(counting(12), images.data());
    assertEquals(2, images.count());
    assertEquals(file, images.file());
  }

  @Test
  void readsGzipLabels() throws IOException {
    Path file = write("labels.gz", gzip(idx(new int[] {4}, new byte[] {5, 0, 4, (byte) 255})));
    IdxArray labels = IdxReader.read(file, 1);
    assertArrayEquals(new int[] {4}, labels.dims());
    assertArrayEquals(new byte[] {5, 0, 4, (byte) 255}, labels.data());
  }

  @Test
  void readsGzipNamedWithoutGz() throws IOException {
    Path file = write("train-images-idx3-ubyte", gzip(idx(new int[] {1, 2, 2}, counting(4))));
    assertArrayEquals(counting(4), IdxReader.read(file, 3).data());
  }

  @Test
  void readsRawNamedDotGz() throws IOException {
    Path file = write("train-images-idx3-ubyte.gz", idx(new int[] {1, 2, 2}, counting(4)));
    assertArrayEquals(counting(4), IdxReader.read(file, 3).data());
  }

  @Test
  void readsDataLargerThanTheFirstGzipBuffer() throws IOException {
    // 3 MiB of data: the gzip buffer has to grow several times.
    int size = 3 << 20;
    assertTrue(size > 4 * IdxReader.INITIAL_GZIP_BUFFER_BYTES);
    byte[] data = counting(size);
    Path file = write("big.gz", gzip(idx(new int[] {3, 1024, 1024}, data)));
    assertArrayEquals(data, IdxReader.read(file, 3).data());
  }

  @Test
  void rejectsWrongMagicNumber() throws IOException {
    // A PNG signature where the magic number belongs: first two bytes not zero.
    byte[] png = {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10, 0, 0, 0, 0, 0, 0, 0, 0, 0};
    Path file = write("picture.png", png);
    assertRejected(file, 3,
        "expected magic number 0x00000803 (images, unsigned byte, 3 dimensions)",
        "got 0x89504E47");
  }

  @Test
  void rejectsWrongDimensionCount() throws IOException {
    Path labels = write("labels", idx(new int[] {3}, counting(3)));
    assertRejected(labels, 3,
        "expected magic number 0x00000803 (images, unsigned byte, 3 dimensions)",
        "got 0x00000801", "1 dimension");
    Path images = write("images", idx(new int[] {1, 2, 2}, counting(4)));
    assertRejected(images, 1,
        "expected magic number 0x00000801 (labels, unsigned byte, 1 dimension)",
        "got 0x00000803", "3 dimensions");
  }

  @Test
  void rejectsUnsupportedType() throws IOException {
    // Type 0x0D is float (4 bytes per element).
    Path file = write("floats", idx(0x0D, new int[] {1, 1, 1}, new byte[4]));
    assertRejected(file, 3, "expected magic number 0x00000803", "got 0x00000D03", "float");
  }

  @Test
  void rejectsDataShorterThanHeader() throws IOException {
    Path file = write("short", idx(new int[] {2, 2, 3}, counting(10)));
    assertRejected(file, 3, "expected 12 bytes of data after the 16-byte header (2 x 2 x 3)",
        "got 10");
  }

  @Test
  void rejectsGzipDataShorterThanHeader() throws IOException {
    Path file = write("short.gz", gzip(idx(new int[] {2, 2, 3}, counting(10))));
    assertRejected(file, 3, "expected 12 bytes of data", "got 10");
  }

  @Test
  void rejectsDataLongerThanHeader() throws IOException {
    Path file = write("long", idx(new int[] {2, 2, 3}, counting(14)));
    assertRejected(file, 3, "expected 12 bytes of data after the 16-byte header (2 x 2 x 3)",
        "got 14");
  }

  @Test
  void rejectsGzipDataLongerThanHeader() throws IOException {
    Path file = write("long.gz", gzip(idx(new int[] {5}, counting(9))));
    assertRejected(file, 1, "expected 5 bytes of data after the 8-byte header (5)", "got 9");
  }

  @Test
  void rejectsHeaderCutShort() throws IOException {
    byte[] whole = idx(new int[] {2, 2, 3}, counting(12));
    assertRejected(write("cut10", Arrays.copyOf(whole, 10)), 3,
        "expected a 16-byte header", "got 10 bytes");
    assertRejected(write("cut2", Arrays.copyOf(whole, 2)), 3,
        "expected a 4-byte IDX magic number 0x00000803", "got 2 bytes");
    assertRejected(write("empty", new byte[0]), 3, "got 0 bytes");
  }

  @Test
  void rejectsNonPositiveSize() throws IOException {
    assertRejected(write("zero", idx(new int[] {2, 0, 3}, new byte[0])), 3,
        "expected the size of dimension 1 to be positive, got 0");
    assertRejected(write("negative", idx(new int[] {-60000}, new byte[0])), 1,
        "expected the size of dimension 0 to be positive, got -60000");
  }

  @Test
  void rejectsTruncatedGzip() throws IOException {
    byte[] whole = gzip(idx(new int[] {4, 8, 8}, counting(256)));
    // Into the 8-byte trailer (CRC32, size), and into the deflate data.
    for (int length : new int[] {whole.length - 1, whole.length - 6, whole.length / 2, 12}) {
      Path file = write("cut" + length + ".gz", Arrays.copyOf(whole, length));
      assertRejected(file, 3, "expected a complete gzip stream", "got a truncated one");
    }
  }

  @Test
  void rejectsCorruptGzip() throws IOException {
    byte[] whole = gzip(idx(new int[] {4, 8, 8}, counting(256)));
    byte[] badCrc = whole.clone();
    badCrc[whole.length - 8] ^= 0x01; // first byte of the CRC32 in the trailer
    assertRejected(write("crc.gz", badCrc), 3, "expected a valid gzip stream",
        "got a corrupt one");
    byte[] badBlock = whole.clone();
    badBlock[10] = (byte) 0xff; // first deflate byte: block type 3, which does not exist
    assertRejected(write("block.gz", badBlock), 3, "expected a valid gzip stream",
        "got a corrupt one");
  }

  @Test
  void rejectsHugeHeaderWithoutAllocating() throws IOException {
    // 2^30 x 28 x 28 = 841,813,590,016 bytes promised by a 100-byte file.
    byte[] file = Arrays.copyOf(idx(new int[] {1 << 30, 28, 28}, new byte[0]), 100);
    Path raw = write("huge", file);
    Path gzipped = write("huge.gz", gzip(file));
    for (Path path : new Path[] {raw, gzipped}) {
      long allocated = allocatedBytes(() -> assertRejected(path, 3,
          "expected at most 2147483639 data bytes",
          "got a header promising 1073741824 x 28 x 28 = 841813590016 bytes"));
      assertTrue(allocated < ALLOCATION_LIMIT_BYTES, "allocated " + allocated + " bytes");
    }
  }

  @Test
  void rejectsHeaderPromisingMoreThanTheFileHoldsWithoutAllocating() throws IOException {
    // 2^20 x 28 x 28 = 822,083,584 bytes: under the cap, but the file holds only 84.
    byte[] file = Arrays.copyOf(idx(new int[] {1 << 20, 28, 28}, new byte[0]), 100);
    Path raw = write("liar", file);
    Path gzipped = write("liar.gz", gzip(file));
    for (Path path : new Path[] {raw, gzipped}) {
      long allocated = allocatedBytes(() -> assertRejected(path, 3,
          "expected 822083584 bytes of data", "got 84"));
      assertTrue(allocated < ALLOCATION_LIMIT_BYTES, "allocated " + allocated + " bytes");
    }
  }

  @Test
  void rejectsDirectory() {
    assertRejected(dir, 3, "expected a readable IDX file");
  }

  @Test
  void rejectsMissingFile() {
    Path file = dir.resolve("nowhere");
    BadInputException e =
        assertThrows(BadInputException.class, () -> IdxReader.read(file, 3));
    assertEquals(file + ": expected an IDX file, got no such file", e.getMessage());
  }

  /** Messages word for word where a word tells raw from gzip, one size from several, or a type by name. */
  @Test
  void messagesSayWhereAndWhatExactly() throws IOException {
    Path gz = write("short-labels.gz", gzip(idx(new int[] {5}, counting(3))));
    assertEquals(gz + ": expected 5 bytes of data after the 8-byte header (5), got 3 after decompression",
        assertRejected(gz, 1).getMessage());
    Path raw = write("short-labels", idx(new int[] {5}, counting(3)));
    assertEquals(raw + ": expected 5 bytes of data after the 8-byte header (5), got 3", assertRejected(raw, 1).getMessage());
    Path cut = write("cut-labels", Arrays.copyOf(idx(new int[] {5}, counting(5)), 6));
    assertEquals(cut + ": expected a 8-byte header (magic number and 1 int32 size), got 6 bytes", assertRejected(cut, 1).getMessage());
    Path doubles = write("doubles", idx(0x0E, new int[] {1}, new byte[8]));
    assertEquals(doubles + ": expected magic number 0x00000801 (labels, unsigned byte, 1 dimension), got 0x00000E01 "
        + "(type 0x0E, double; only type 0x08, unsigned byte, is supported)", assertRejected(doubles, 1).getMessage());
    Path png = write("picture.png", new byte[] {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10, 0, 0, 0, 13});
    assertEquals(png + ": expected magic number 0x00000803 (images, unsigned byte, 3 dimensions), got 0x89504E47 "
        + "(the first two bytes of an IDX file are zero: not an IDX file)", assertRejected(png, 3).getMessage());
    Path labelsAsImages = write("labels-given-as-images", idx(new int[] {3}, counting(3)));
    assertEquals(labelsAsImages + ": expected magic number 0x00000803 (images, unsigned byte, 3 dimensions), got 0x00000801 "
        + "(unsigned byte, 1 dimension, like a label file)", assertRejected(labelsAsImages, 3).getMessage());
    // A header promising exactly the largest Java array is not refused for its size, only for the missing data.
    Path largest = write("largest", idx(new int[] {Integer.MAX_VALUE - 8}, new byte[0]));
    assertEquals(largest + ": expected 2147483639 bytes of data after the 8-byte header (2147483639), got 0",
        assertRejected(largest, 1).getMessage());
  }

  @Test
  void theDimensionCountMustBeAnIdxOne() throws IOException {
    Path file = write("labels", idx(new int[] {3}, counting(3)));
    for (int dims : new int[] {0, 256}) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> IdxReader.read(file, dims));
      assertEquals("expected a dimension count in [1, 255], got " + dims, e.getMessage());
    }
    assertRejected(file, 255, "expected magic number 0x000008FF");
  }

  /** Extra data is counted up to 2^26 bytes, then only said to be more. */
  @Test
  void extraDataIsCountedUpToALimit() throws IOException {
    int limit = (int) IdxReader.MAX_EXTRA_BYTES_COUNTED;
    byte[] exact = Arrays.copyOf(idx(new int[] {2}, counting(2)), 8 + 2 + limit);
    Path atLimit = write("at-limit.gz", gzip(exact));
    assertEquals(atLimit + ": expected 2 bytes of data after the 8-byte header (2), got " + (2 + limit) + " after decompression",
        assertRejected(atLimit, 1).getMessage());
    Path past = write("past-limit.gz", gzip(Arrays.copyOf(exact, exact.length + 1)));
    assertEquals(past + ": expected 2 bytes of data after the 8-byte header (2), got more than " + (2 + limit)
        + " after decompression", assertRejected(past, 1).getMessage());
  }
}

package io.jgan.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A region of a file read through several mappings: reads across chunk boundaries give the file's
 * bytes, the bounds of every argument hold at their edges, and the mappings are released after the
 * resident budget and on close.
 */
class ChunkedMappingTest {
  @TempDir Path dir;

  private Path file(int length) throws IOException {
    byte[] bytes = new byte[length];
    for (int i = 0; i < length; i++) {
      bytes[i] = (byte) (i * 7 + 3);
    }
    return Files.write(dir.resolve("f-" + length), bytes);
  }

  @Test
  void readsAcrossChunksGiveTheFilesBytes() throws Exception {
    Path f = file(40);
    byte[] all = Files.readAllBytes(f);
    // Bytes 5..34 of the file, in chunks of 4: 8 chunks, the last of 2 bytes.
    try (ChunkedMapping m = new ChunkedMapping(f, 5, 30, 4, Long.MAX_VALUE)) {
      assertEquals(30, m.length());
      assertEquals(8, m.chunkCount());
      for (int position = 0; position <= 30; position++) {
        for (int count = 0; position + count <= 30; count += 3) {
          byte[] dst = new byte[count + 2];
          m.read(position, dst, 1, count);
          byte[] expected = new byte[count + 2];
          System.arraycopy(all, 5 + position, expected, 1, count);
          assertArrayEquals(expected, dst, count + " bytes at " + position);
        }
      }
      for (long[] bad : new long[][] {{-1, 1}, {30, 1}, {29, 2}, {0, 31}, {0, -1}}) {
        IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class,
            () -> m.read(bad[0], new byte[40], 0, (int) bad[1]));
        assertEquals("expected a range within [0, 30), got " + bad[1] + " bytes at " + bad[0], e.getMessage());
      }
    }
    try (ChunkedMapping exact = new ChunkedMapping(f, 0, 40, 4, Long.MAX_VALUE)) {
      assertEquals(10, exact.chunkCount(), "a length that is a whole number of chunks");
      byte[] dst = new byte[40];
      exact.read(0, dst, 0, 40);
      assertArrayEquals(all, dst);
    }
  }

  @Test
  void argumentsAreBoundedAtTheirEdges() throws Exception {
    Path f = file(10);
    try (ChunkedMapping one = new ChunkedMapping(f, 0, 10, 1, 1); ChunkedMapping whole = new ChunkedMapping(f, 10, 0,
        Integer.MAX_VALUE, Long.MAX_VALUE)) {
      assertEquals(10, one.chunkCount());
      assertEquals(0, whole.chunkCount());
    }
    assertEquals("expected a chunk size in [1, 2147483647], got 0",
        assertThrows(IllegalArgumentException.class, () -> new ChunkedMapping(f, 0, 10, 0, 1)).getMessage());
    assertEquals("expected a chunk size in [1, 2147483647], got 2147483648",
        assertThrows(IllegalArgumentException.class, () -> new ChunkedMapping(f, 0, 10, 1L << 31, 1)).getMessage());
    for (long[] bad : new long[][] {{-1, 10, 1}, {0, -1, 1}, {0, 10, 0}}) {
      assertEquals("expected offset >= 0, length >= 0 and residentBytes > 0, got " + bad[0] + ", " + bad[1] + ", " + bad[2],
          assertThrows(IllegalArgumentException.class, () -> new ChunkedMapping(f, bad[0], bad[1], 4, bad[2])).getMessage());
    }
    IOException shortFile = assertThrows(IOException.class, () -> new ChunkedMapping(f, 3, 8, 4, 1));
    assertEquals(f + ": expected at least 11 bytes, got 10", shortFile.getMessage());
  }

  @Test
  void moreChunksThanAnArrayHoldsIsRefused() throws Exception {
    Path sparse = dir.resolve("sparse");
    try (RandomAccessFile r = new RandomAccessFile(sparse.toFile(), "rw")) {
      r.setLength((1L << 31) + 1); // sparse: no disk space used
    }
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new ChunkedMapping(sparse, 0, (1L << 31) + 1, 1, 1));
    assertEquals("expected at most 2147483647 chunks, got 2147483649", e.getMessage());
  }

  @Test
  void mappingsAreReleasedAfterEachResidentBudgetAndOnClose() throws Exception {
    Path f = file(64);
    // Each read is charged MAPPED_PER_READ_BYTES (2 MiB); a budget of two such reads releases the
    // mappings before every third read: after reads 3, 5, 7, ... (2n + 1).
    ChunkedMapping m = new ChunkedMapping(f, 0, 64, 16, 2L * ChunkedMapping.MAPPED_PER_READ_BYTES);
    byte[] dst = new byte[8];
    int[] expectedReleases = {0, 0, 1, 1, 2, 2, 3};
    for (int read = 0; read < expectedReleases.length; read++) {
      m.read(read * 8, dst, 0, 8);
      assertEquals(expectedReleases[read], m.releases(), "after read " + (read + 1));
      assertArrayEquals(Arrays.copyOfRange(Files.readAllBytes(f), read * 8, read * 8 + 8), dst);
    }
    m.close();
    assertEquals(4, m.releases(), "closing releases the mappings");
    // Closed: nothing is mapped any more, and the file is closed.
    UncheckedIOException closed = assertThrows(UncheckedIOException.class, () -> m.read(0, dst, 0, 8));
    assertTrue(closed.getMessage().startsWith(f + ": cannot map bytes 0 to 16: "), closed.getMessage());
  }
}

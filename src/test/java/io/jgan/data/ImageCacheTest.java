package io.jgan.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jgan.BadInputException;
import io.jgan.PixelScale;
import io.jgan.Tmpfs;
import java.awt.image.BufferedImage;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.tensorflow.types.TFloat32;

/**
 * The decoded-image cache: reused without decoding, rebuilt when the folder changes or the file is
 * damaged, read across mapping boundaries byte for byte, and clear errors when the disk is too
 * small. Every expected pixel is the test's own: it writes lossless PNGs of bytes it generated, at
 * the target size (so no resizing), and recomputes the shuffled order and the float scaling.
 */
class ImageCacheTest {
  static final int SIZE = 8;
  static final int IMAGE_BYTES = SIZE * SIZE * 3;

  @TempDir Path dir;

  /** Image {@code i}'s RGB bytes: distinct per image and per position. */
  static byte[] pixels(int i) {
    byte[] b = new byte[IMAGE_BYTES];
    for (int p = 0; p < b.length; p++) {
      b[p] = (byte) (i * 37 + p * 11 + (p * p) % 7);
    }
    return b;
  }

  static void writePng(Path file, byte[] rgb) throws IOException {
    BufferedImage image = new BufferedImage(SIZE, SIZE, BufferedImage.TYPE_3BYTE_BGR);
    WritableRaster r = image.getRaster();
    for (int y = 0; y < SIZE; y++) {
      for (int x = 0; x < SIZE; x++) {
        for (int c = 0; c < 3; c++) {
          r.setSample(x, y, c, rgb[(y * SIZE + x) * 3 + c] & 0xFF);
        }
      }
    }
    Files.createDirectories(file.getParent());
    assertTrue(ImageIO.write(image, "png", file.toFile()));
  }

  /** {@code count} images named 000.png, ...: image i holds pixels(i). */
  static Path folder(Path at, int count) throws IOException {
    for (int i = 0; i < count; i++) {
      writePng(at.resolve(String.format("%03d.png", i)), pixels(i));
    }
    return at;
  }

  static void assertImages(Images images, List<byte[]> expected) {
    assertEquals(expected.size(), images.count());
    byte[] got = new byte[IMAGE_BYTES];
    for (int i = 0; i < expected.size(); i++) {
      images.read(i, got, 0);
      assertArrayEquals(expected.get(i), got, "image " + i);
    }
  }

  static List<byte[]> expected(int count) {
    List<byte[]> all = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      all.add(pixels(i));
    }
    return all;
  }

  private List<Path> cacheFiles(Path cacheDir) throws IOException {
    try (Stream<Path> s = Files.list(cacheDir)) {
      return s.filter(p -> !p.getFileName().toString().equals(ImageCache.LOCK_FILE)).sorted().toList();
    }
  }

  @Test
  void secondLoadReadsTheCacheWithoutOpeningTheImages() throws Exception {
    Path images = folder(dir.resolve("images"), 30);
    ImageCache cache = new ImageCache(dir.resolve("cache"));
    ImageFolder.Loaded first = cache.load(images, SIZE, SIZE, 3, 2);
    assertEquals(30, first.decoded());
    assertImages(first.images(), expected(30));

    // Every file becomes zero bytes of the same length with the same modification time: decoding
    // any of them would make it a bad image. The cache, keyed on names, sizes and times, is used.
    for (Path f : first.files()) {
      FileTime modified = Files.getLastModifiedTime(f);
      Files.write(f, new byte[(int) Files.size(f)]);
      Files.setLastModifiedTime(f, modified);
    }
    ImageFolder.Loaded second = cache.load(images, SIZE, SIZE, 3, 2);
    assertEquals(0, second.decoded());
    assertEquals(List.of(), second.bad());
    assertEquals(first.files(), second.files());
    assertImages(second.images(), expected(30));
    assertEquals(1, cacheFiles(dir.resolve("cache")).size());
  }

  @Test
  void aTouchedReplacedAddedOrRemovedFileIsDecodedAgain() throws Exception {
    Path images = folder(dir.resolve("images"), 20);
    ImageCache cache = new ImageCache(dir.resolve("cache"));
    assertEquals(20, cache.load(images, SIZE, SIZE, 3, 2).decoded());

    Path third = images.resolve("002.png");
    Files.setLastModifiedTime(third, FileTime.fromMillis(Files.getLastModifiedTime(third).toMillis() + 5_000));
    ImageFolder.Loaded touched = cache.load(images, SIZE, SIZE, 3, 2);
    assertEquals(20, touched.decoded(), "a touched file invalidates the cache");
    assertImages(touched.images(), expected(20));

    writePng(third, pixels(100));
    List<byte[]> want = expected(20);
    want.set(2, pixels(100));
    ImageFolder.Loaded replaced = cache.load(images, SIZE, SIZE, 3, 2);
    assertEquals(20, replaced.decoded());
    assertImages(replaced.images(), want);

    writePng(images.resolve("sub/999.png"), pixels(200));
    want.add(pixels(200));
    ImageFolder.Loaded added = cache.load(images, SIZE, SIZE, 3, 2);
    assertEquals(20 + 1, added.decoded());
    assertImages(added.images(), want);

    Files.delete(images.resolve("000.png"));
    want.remove(0);
    ImageFolder.Loaded removed = cache.load(images, SIZE, SIZE, 3, 2);
    assertEquals(20, removed.decoded());
    assertImages(removed.images(), want);

    assertEquals(0, cache.load(images, SIZE, SIZE, 3, 2).decoded(), "unchanged since: read from the cache");
    assertEquals(1, cacheFiles(dir.resolve("cache")).size(), "one cache file per folder and shape, replaced");
    assertEquals(1, cache.load(images, SIZE, SIZE, 1, 2).images().channels());
    assertEquals(2, cacheFiles(dir.resolve("cache")).size(), "another shape, another file");
  }

  /**
   * The cache is written through a 1 MiB buffer: 100 images of 64x64x3 (12,288 bytes each) fill it
   * in the middle of image 85, and every image must still come back byte for byte.
   */
  @Test
  void imagesWrittenAcrossTheWriteBufferComeBackExactly() throws Exception {
    int size = 64, bytes = size * size * 3, count = 100;
    Path images = dir.resolve("large");
    List<byte[]> want = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      byte[] rgb = new byte[bytes];
      for (int p = 0; p < bytes; p++) {
        rgb[p] = (byte) (i * 31 + p * 7 + (p / 3) % 5);
      }
      BufferedImage image = new BufferedImage(size, size, BufferedImage.TYPE_3BYTE_BGR);
      for (int y = 0; y < size; y++) {
        for (int x = 0; x < size; x++) {
          for (int c = 0; c < 3; c++) {
            image.getRaster().setSample(x, y, c, rgb[(y * size + x) * 3 + c] & 0xFF);
          }
        }
      }
      Files.createDirectories(images);
      assertTrue(ImageIO.write(image, "png", images.resolve(String.format("%03d.png", i)).toFile()));
      want.add(rgb);
    }
    ImageCache cache = new ImageCache(dir.resolve("cache"));
    ImageFolder.Loaded loaded = cache.load(images, size, size, 3, 2);
    assertEquals(count, loaded.decoded());
    byte[] got = new byte[bytes];
    for (int i = 0; i < count; i++) {
      loaded.images().read(i, got, 0);
      assertArrayEquals(want.get(i), got, "image " + i);
    }
    assertEquals(0, cache.load(images, size, size, 3, 2).decoded(), "and the file passes its own checks when read again");
  }

  /** Damage done to a complete cache file; each must be detected, reported and rebuilt. */
  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"header byte", "pixel byte", "bad-file list byte", "truncated", "appended", "emptied"})
  void damagedCacheIsReportedAndRebuilt(String damage) throws Exception {
    Path images = folder(dir.resolve("images"), 12);
    Files.writeString(images.resolve("999_notes.png"), "not an image"); // a bad file, so the list is not empty
    ImageCache cache = new ImageCache(dir.resolve("cache"));
    ImageFolder.Loaded first = cache.load(images, SIZE, SIZE, 3, 2);
    assertEquals(1, first.bad().size());
    Path file = cacheFiles(dir.resolve("cache")).get(0);
    long size = Files.size(file);
    assertEquals(4096 + 12L * IMAGE_BYTES + 8 + first.bad().get(0).reason().getBytes(StandardCharsets.UTF_8).length, size,
        "header, pixels, then index, length and reason of the bad file");
    try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
      switch (damage) {
        case "header byte" -> flip(f, 30);
        case "pixel byte" -> flip(f, 4096 + 5L * IMAGE_BYTES + 17);
        case "bad-file list byte" -> flip(f, size - 3);
        case "truncated" -> f.setLength(size - 1);
        case "appended" -> f.setLength(size + 1);
        case "emptied" -> f.setLength(0);
        default -> throw new IllegalArgumentException(damage);
      }
    }
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    ImageFolder.Loaded rebuilt = cache.withLog(new PrintStream(log, true, StandardCharsets.UTF_8), false)
        .load(images, SIZE, SIZE, 3, 2);
    String printed = log.toString(StandardCharsets.UTF_8);
    assertTrue(printed.contains(file + ": damaged cache: "), printed);
    assertTrue(printed.contains("decoding " + images + " again"), printed);
    assertEquals(13, rebuilt.decoded());
    assertImages(rebuilt.images(), expected(12));
    assertEquals(first.bad(), rebuilt.bad());
    assertEquals(size, Files.size(file));
    ImageFolder.Loaded third = cache.load(images, SIZE, SIZE, 3, 2);
    assertEquals(0, third.decoded(), "the rebuilt cache is whole");
    assertEquals(first.bad(), third.bad(), "bad files are remembered with their reasons");
  }

  private static void flip(RandomAccessFile f, long position) throws IOException {
    f.seek(position);
    int b = f.read();
    f.seek(position);
    f.write(b ^ 0x40);
  }

  @Test
  void batchesReadAcrossMappingBoundariesEqualTheImagesByteForByte() throws Exception {
    int count = 40;
    Path images = folder(dir.resolve("images"), count);
    // 1000-byte mappings: 40 x 192 pixel bytes need 8, and most images straddle two of them.
    ImageFolder.Loaded loaded = new ImageCache(dir.resolve("cache")).withChunkBytes(1000).load(images, SIZE, SIZE, 3, 2);
    MappedImages mapped = assertInstanceOf(MappedImages.class, loaded.images());
    assertEquals(8, mapped.chunkCount());
    assertImages(mapped, expected(count));

    byte[] all = new byte[count * IMAGE_BYTES];
    for (int i = 0; i < count; i++) {
      System.arraycopy(pixels(i), 0, all, i * IMAGE_BYTES, IMAGE_BYTES);
    }
    Batches fromCache = new Batches(mapped, PixelScale.TANH, 7, 11);
    Batches inMemory = new Batches(new ImageSet("images", count, SIZE, SIZE, 3, all, null, 0), PixelScale.TANH, 7, 11);
    for (long epoch = 0; epoch < 2; epoch++) {
      int[] order = fisherYates(count, 11, epoch);
      for (int step = 0; step < fromCache.stepsPerEpoch(); step++) {
        float[] expected = new float[Math.min(7, count - step * 7) * IMAGE_BYTES];
        for (int k = 0; k < expected.length / IMAGE_BYTES; k++) {
          byte[] image = pixels(order[step * 7 + k]);
          for (int p = 0; p < IMAGE_BYTES; p++) {
            expected[k * IMAGE_BYTES + p] = ((image[p] & 0xFF) - 127.5f) / 127.5f;
          }
        }
        try (Batch a = fromCache.batch(epoch, step); Batch b = inMemory.batch(epoch, step)) {
          assertArrayEquals(expected, floats(a), "epoch " + epoch + " step " + step + " from the cache");
          assertArrayEquals(expected, floats(b), "epoch " + epoch + " step " + step + " in memory");
        }
      }
    }
  }

  /** The documented order: Fisher-Yates from the last index, SplittableRandom(seed * 0x9E3779B97F4A7C15 + epoch). */
  static int[] fisherYates(int n, long seed, long epoch) {
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    SplittableRandom random = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + epoch);
    for (int i = n - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int t = order[i];
      order[i] = order[j];
      order[j] = t;
    }
    return order;
  }

  static float[] floats(Batch b) {
    TFloat32 t = (TFloat32) b.images();
    float[] out = new float[(int) t.size()];
    t.copyTo(org.tensorflow.ndarray.buffer.DataBuffers.of(out, false, false));
    return out;
  }

  /**
   * A dataset past 2^31 bytes, beyond one Java array: 200,000 images of 64x64x3 (2,457,600,000
   * bytes) in a sparse file with marked images straddling the 1 GiB mapping boundaries and the
   * 2^31 byte offset; batches holding them equal the marks.
   */
  @Test
  void imagesBeyondTwoGibibytesAreReadAndBatchedExactly() throws Exception {
    int count = 200_000;
    int size = 64 * 64 * 3;
    long length = (long) count * size;
    assertTrue(length > (1L << 31));
    Path file = dir.resolve("sparse.images");
    int[] marked = {0, 87_381, 174_762, 174_763, 199_999}; // 87,381 and 174,762 straddle 1 GiB and 2 GiB
    try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
      f.setLength(4096 + length);
      for (int i : marked) {
        f.seek(4096 + (long) i * size);
        f.write(mark(i, size));
      }
    }
    MappedImages images = new MappedImages("sparse", count, 64, 64, 3,
        new ChunkedMapping(file, 4096, length, ChunkedMapping.DEFAULT_CHUNK_BYTES, ChunkedMapping.DEFAULT_RESIDENT_BYTES),
        null, 0);
    try (images) {
      assertEquals(3, images.chunkCount());
      byte[] got = new byte[size];
      for (int i : marked) {
        images.read(i, got, 0);
        assertArrayEquals(mark(i, size), got, "image " + i);
      }
      images.read(100_000, got, 0);
      assertArrayEquals(new byte[size], got, "an unwritten image reads as zeros");

      int batchSize = 16; // small: each page fault in a sparse file zero-fills a whole read-ahead window
      Batches batches = new Batches(images, PixelScale.TANH, batchSize, 5);
      int[] order = fisherYates(count, 5, 0);
      for (int i : new int[] {174_762, 199_999}) {
        int position = indexOf(order, i);
        try (Batch b = batches.batch(0, position / batchSize)) {
          float[] values = floats(b);
          byte[] m = mark(i, size);
          int at = (position % batchSize) * size;
          for (int p = 0; p < size; p++) {
            assertEquals(((m[p] & 0xFF) - 127.5f) / 127.5f, values[at + p], "image " + i + " byte " + p);
          }
        }
      }
    }
  }

  private static byte[] mark(int image, int size) {
    byte[] b = new byte[size];
    for (int p = 0; p < size; p++) {
      b[p] = (byte) (image * 13 + p + 1);
    }
    return b;
  }

  private static int indexOf(int[] order, int value) {
    for (int i = 0; i < order.length; i++) {
      if (order[i] == value) {
        return i;
      }
    }
    throw new AssertionError(value + " not in the order");
  }

  @Test
  void mappingsAreReleasedAfterTheResidentBudgetAndReadsStayExact() throws Exception {
    Path file = dir.resolve("region");
    byte[] content = new byte[300_000];
    new SplittableRandom(1).nextBytes(content);
    Files.write(file, content);
    try (ChunkedMapping m = new ChunkedMapping(file, 1000, 250_000, 4096, 7L << 20)) {
      byte[] got = new byte[5000];
      for (int round = 0; round < 30; round++) {
        long at = (round * 7919L) % (250_000 - 5000);
        m.read(at, got, 0, 5000);
        for (int i = 0; i < 5000; i++) {
          assertEquals(content[(int) (1000 + at + i)], got[i], "round " + round + " byte " + i);
        }
      }
      // Each read is charged 2 MiB (the most a page fault may map around it): 3 fit in 7 MiB, so the
      // mappings are released before reads 4, 7, ..., 28.
      assertEquals(9, m.releases());
      assertThrows(IndexOutOfBoundsException.class, () -> m.read(249_999, got, 0, 2));
    }
  }

  @Test
  void folderLargerThanTheFreeSpaceIsAClearErrorAndWritesNothing() throws Exception {
    Path images = folder(dir.resolve("images"), 30);
    Path cacheDir = dir.resolve("cache");
    BadInputException e = assertThrows(BadInputException.class,
        () -> new ImageCache(cacheDir).withFreeSpace(d -> 5_000).load(images, SIZE, SIZE, 3, 2));
    // 4096-byte header + 30 images of 8 x 8 x 3 = 9,856 bytes.
    assertEquals(images + ": its 30 images decoded at 8x8x3 need 9.9 kB (9,856 bytes) of cache in " + cacheDir
        + ", but only 5.0 kB (5,000 bytes) is free there; free some space, or give --cache-dir DIR on a disk with room",
        e.getMessage());
    assertEquals(List.of(), cacheFiles(cacheDir));
  }

  @Test
  void diskThatFillsWhileCachingIsAClearErrorAndKeepsNothing() throws Exception {
    Path images = folder(dir.resolve("images"), 120); // 4096 + 120 x 192 = 27,136 bytes of cache
    Path mount = dir.resolve("small");
    Tmpfs.mount(mount, "size=16k");
    try {
      Path cacheDir = mount.resolve("cache");
      // The real free space: too little before anything is decoded.
      BadInputException tooSmall = assertThrows(BadInputException.class,
          () -> new ImageCache(cacheDir).load(images, SIZE, SIZE, 3, 2));
      assertTrue(tooSmall.getMessage().startsWith(images + ": its 120 images decoded at 8x8x3 need 27.1 kB (27,136 bytes)"
          + " of cache in " + cacheDir + ", but only "), tooSmall.getMessage());

      // Told there is room, the cache fills the disk as it is written: ENOSPC, and nothing is kept.
      BadInputException filled = assertThrows(BadInputException.class,
          () -> new ImageCache(cacheDir).withFreeSpace(d -> Long.MAX_VALUE).load(images, SIZE, SIZE, 3, 2));
      assertTrue(filled.getMessage().startsWith(images + ": the disk filled while caching its 120 images decoded at 8x8x3"
          + " in " + cacheDir + " (No space left on device): the cache needs 27.1 kB (27,136 bytes)"), filled.getMessage());
      assertTrue(filled.getMessage().contains("nothing was kept"), filled.getMessage());
      assertEquals(List.of(), cacheFiles(cacheDir), "no cache and no temporary file left on the small disk");

      assertEquals(120, new ImageCache(dir.resolve("big")).load(images, SIZE, SIZE, 3, 2).images().count());
    } finally {
      Tmpfs.command("umount", mount.toString());
    }
  }


  @Test
  void aStaleTemporaryOfAKilledDecodeIsRemoved() throws Exception {
    Path images = folder(dir.resolve("images"), 3);
    ImageCache cache = new ImageCache(dir.resolve("cache"));
    Path file = cache.fileFor(images, SIZE, SIZE, 3);
    Files.createDirectories(file.getParent());
    Path stale = file.resolveSibling(io.jgan.AtomicFiles.TEMP_PREFIX + file.getFileName() + "-123");
    Files.write(stale, new byte[1000]);
    assertEquals(3, cache.load(images, SIZE, SIZE, 3, 1).decoded());
    assertFalse(Files.exists(stale));
    assertEquals(List.of(file), cacheFiles(dir.resolve("cache")));
  }
}

package io.jgan.data;

import static io.jgan.data.IdxFixtures.counting;
import static io.jgan.data.IdxFixtures.gzip;
import static io.jgan.data.IdxFixtures.idx;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.jgan.BadInputException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Feeds {@link IdxReader} mutations of small valid raw and gzip IDX files and checks each outcome
 * against a separate, deliberately plain reference parser: when the reference accepts the bytes,
 * the reader must return the same sizes and data; when it rejects them, the reader must throw
 * {@link BadInputException}. Any other exception or error fails the test with the input in hex.
 */
class IdxReaderFuzzTest {

  private static final long SEED = 20261122L;
  private static final int RANDOM_MUTATIONS = 12_000;
  private static final int LARGEST_JAVA_ARRAY = Integer.MAX_VALUE - 8;
  /** Sizes a header edit puts in a size field. */
  private static final int[] EDGE_SIZES = {
    0, -1, 1, 2, 3, 4, 5, 255, 256, 65_536, 1 << 30, Integer.MAX_VALUE, Integer.MIN_VALUE,
    LARGEST_JAVA_ARRAY, LARGEST_JAVA_ARRAY + 1
  };

  @TempDir Path dir;

  /** A valid file and the dimension count it holds. */
  private record Base(byte[] bytes, int dims) {}

  private static List<Base> rawBases() {
    return List.of(
        new Base(idx(new int[] {2, 3, 4}, counting(24)), 3),
        new Base(idx(new int[] {1, 1, 1}, new byte[] {42}), 3),
        new Base(idx(new int[] {7}, new byte[] {5, 0, 4, 1, 9, 2, 1}), 1));
  }

  @Test
  void malformedInputsYieldConsistentResultsOrBadInputException() throws IOException {
    Path file = dir.resolve("fuzz-input");
    // One open channel, overwritten and cut to length per case: Files.write per case truncates
    // to zero and costs ten times as much on ext4.
    try (FileChannel channel =
        FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
      runCases(file, channel);
    }
  }

  private void runCases(Path file, FileChannel channel) throws IOException {
    Random random = new Random(SEED);
    int cases = 0;
    List<Base> raw = rawBases();
    List<Base> all = new ArrayList<>(raw);
    for (Base base : raw) {
      all.add(new Base(gzip(base.bytes()), base.dims()));
    }
    // Every truncation of every base, and every base read with the wrong dimension count.
    for (Base base : all) {
      for (int length = 0; length <= base.bytes().length; length++) {
        check(file, channel, Arrays.copyOf(base.bytes(), length), base.dims());
        cases++;
      }
      check(file, channel, base.bytes(), base.dims() == 1 ? 3 : 1);
      cases++;
    }
    for (int i = 0; i < RANDOM_MUTATIONS; i++) {
      Base base = all.get(random.nextInt(all.size()));
      int dims = random.nextInt(20) == 0 ? 1 + random.nextInt(4) : base.dims();
      check(file, channel, mutate(base, raw.get(random.nextInt(raw.size())), random), dims);
      cases++;
    }
    assertTrue(cases >= 10_000, "ran " + cases + " cases");
  }

  private static byte[] mutate(Base base, Base rawBase, Random random) {
    byte[] bytes = base.bytes().clone();
    switch (random.nextInt(9)) {
      case 0 -> { // flip 1 to 4 random bytes
        for (int n = 1 + random.nextInt(4); n > 0; n--) {
          bytes[random.nextInt(bytes.length)] = (byte) random.nextInt(256);
        }
        return bytes;
      }
      case 1 -> { // flip a single bit
        bytes[random.nextInt(bytes.length)] ^= (byte) (1 << random.nextInt(8));
        return bytes;
      }
      case 2 -> { // append 1 to 16 random bytes
        byte[] extra = new byte[1 + random.nextInt(16)];
        random.nextBytes(extra);
        return concat(bytes, extra);
      }
      case 3 -> { // insert or delete one byte
        int at = random.nextInt(bytes.length);
        if (random.nextBoolean()) {
          return concat(Arrays.copyOf(bytes, at), new byte[] {(byte) random.nextInt(256)},
              Arrays.copyOfRange(bytes, at, bytes.length));
        }
        return concat(Arrays.copyOf(bytes, at), Arrays.copyOfRange(bytes, at + 1, bytes.length));
      }
      case 4, 5 -> { // header field edit of a raw file, then gzip it half the time
        byte[] edited = editHeader(rawBase.bytes().clone(), rawBase.dims(), random);
        return random.nextBoolean() ? gzip(edited) : edited;
      }
      case 6 -> { // gzip member corruption: header flags, deflate body, CRC or size trailer
        byte[] member = gzip(rawBase.bytes());
        int region = random.nextInt(4);
        int at = switch (region) {
          case 0 -> 2 + random.nextInt(8); // method, flags, mtime, xfl, os
          case 1 -> 10 + random.nextInt(member.length - 18); // deflate data
          case 2 -> member.length - 8 + random.nextInt(4); // CRC32
          default -> member.length - 4 + random.nextInt(4); // ISIZE
        };
        member[at] = (byte) random.nextInt(256);
        return member;
      }
      case 7 -> { // a valid file split over two gzip members, or a second member of garbage
        byte[] whole = rawBase.bytes();
        int split = random.nextInt(whole.length + 1);
        byte[] second = random.nextInt(4) == 0
            ? gzip(counting(1 + random.nextInt(8)))
            : gzip(Arrays.copyOfRange(whole, split, whole.length));
        return concat(gzip(Arrays.copyOf(whole, split)), second);
      }
      default -> { // the first bytes of a gzip header, then nonsense
        byte[] junk = new byte[random.nextInt(40)];
        random.nextBytes(junk);
        return concat(new byte[] {0x1f, (byte) 0x8b}, junk);
      }
    }
  }

  private static byte[] editHeader(byte[] bytes, int dims, Random random) {
    switch (random.nextInt(4)) {
      case 0 -> bytes[random.nextInt(2)] = (byte) (1 + random.nextInt(255)); // first two bytes
      case 1 -> bytes[2] = (byte) random.nextInt(256); // type
      case 2 -> bytes[3] = (byte) random.nextInt(256); // dimension count
      default -> { // a size
        int size = random.nextBoolean()
            ? EDGE_SIZES[random.nextInt(EDGE_SIZES.length)]
            : random.nextInt();
        ByteBuffer.wrap(bytes).putInt(4 + 4 * random.nextInt(dims), size);
      }
    }
    return bytes;
  }

  private void check(Path file, FileChannel channel, byte[] input, int dims)
      throws IOException {
    ByteBuffer buffer = ByteBuffer.wrap(input);
    while (buffer.hasRemaining()) {
      channel.write(buffer, buffer.position());
    }
    channel.truncate(input.length);
    Reference expected = reference(input, dims);
    IdxArray result = null;
    BadInputException rejection = null;
    try {
      result = IdxReader.read(file, dims);
    } catch (BadInputException e) {
      rejection = e;
    } catch (Throwable t) {
      fail("threw " + t + " instead of BadInputException for (dims " + dims + "): "
          + hex(input), t);
    }
    if (rejection != null) {
      if (expected != null) {
        fail("rejected input the reference accepts (dims " + dims + "): " + hex(input),
            rejection);
      }
      assertTrue(rejection.getMessage().startsWith(file + ": "), rejection.getMessage());
      return;
    }
    if (expected == null) {
      fail("accepted input the reference rejects (dims " + dims + "): " + hex(input));
    }
    assertArrayEquals(expected.dims(), result.dims(), () -> "sizes of " + hex(input));
    assertArrayEquals(expected.data(), result.data(), () -> "data of " + hex(input));
  }

  /** The sizes and data a correct reader returns, straight from the format definition. */
  private record Reference(int[] dims, byte[] data) {}

  /** The expected result for {@code input}, or null if a correct reader must reject it. */
  private static Reference reference(byte[] input, int dims) {
    byte[] bytes = input;
    if (input.length >= 2 && (input[0] & 0xff) == 0x1f && (input[1] & 0xff) == 0x8b) {
      try (GZIPInputStream gzip = new GZIPInputStream(new ByteArrayInputStream(input))) {
        bytes = gzip.readAllBytes();
      } catch (IOException e) {
        return null;
      }
    }
    int header = 4 + 4 * dims;
    if (bytes.length < header) {
      return null;
    }
    ByteBuffer buffer = ByteBuffer.wrap(bytes);
    if (buffer.getInt() != (0x0800 | dims)) {
      return null;
    }
    int[] sizes = new int[dims];
    long product = 1;
    for (int i = 0; i < dims; i++) {
      sizes[i] = buffer.getInt();
      if (sizes[i] <= 0) {
        return null;
      }
    }
    for (int size : sizes) {
      product *= size;
      if (product > LARGEST_JAVA_ARRAY) {
        return null;
      }
    }
    if (bytes.length - header != product) {
      return null;
    }
    return new Reference(sizes, Arrays.copyOfRange(bytes, header, bytes.length));
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] part : parts) {
      out.writeBytes(part);
    }
    return out.toByteArray();
  }

  private static String hex(byte[] bytes) {
    return HexFormat.of().formatHex(bytes);
  }
}

package io.jgan.data;

import io.jgan.BadInputException;
import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reads IDX files, the format of MNIST and Fashion-MNIST (http://yann.lecun.com/exdb/mnist/).
 *
 * <p>Format: a 4-byte magic number {@code 0x00 0x00 TYPE DIMS}, then {@code DIMS} sizes as
 * big-endian int32, then the data in row-major order. Only {@code TYPE} 0x08 (unsigned byte) is
 * supported, which is what every MNIST-style file uses. Images are {@code 0x00000803}
 * ({@code [count][rows][cols]}), labels {@code 0x00000801} ({@code [count]}).
 *
 * <p>The file may be raw or gzip-compressed; which one is told by its first two bytes (the gzip
 * magic {@code 0x1f 0x8b}), never by its name, so {@code train-images-idx3-ubyte.gz} holding raw
 * bytes reads fine.
 *
 * <p>Every check fails before any large allocation: the header's promise is capped at
 * {@link #MAX_DATA_BYTES}; a raw file's length must match the header before the data array is
 * allocated; gzip data is decompressed into a buffer that grows with the data actually there and
 * never past what the header promises, so a 100-byte file claiming a gigabyte costs nothing.
 * Every malformed file, truncated or corrupt gzip included, ends in a {@link BadInputException}
 * that names the file, what was expected and what was found; so does an I/O error, so callers
 * see one exception type.
 *
 * <pre>{@code
 * IdxArray images = IdxReader.read(Path.of("data/mnist/train-images-idx3-ubyte.gz"), IdxReader.IMAGE_DIMS);
 * IdxArray labels = IdxReader.read(Path.of("data/mnist/train-labels-idx1-ubyte.gz"), IdxReader.LABEL_DIMS);
 * }</pre>
 */
public final class IdxReader {

  /** The only supported element type: unsigned byte. */
  public static final int TYPE_UNSIGNED_BYTE = 0x08;
  /** The largest data size accepted: the largest Java array (2^31 - 9 bytes). */
  public static final int MAX_DATA_BYTES = Integer.MAX_VALUE - 8;
  /** Dimension count of an image file ({@code [count][rows][cols]}). */
  public static final int IMAGE_DIMS = 3;
  /** Dimension count of a label file ({@code [count]}). */
  public static final int LABEL_DIMS = 1;

  static final int GZIP_MAGIC_FIRST = 0x1f;
  static final int GZIP_MAGIC_SECOND = 0x8b;
  static final int MAGIC_BYTES = 4;
  static final int SIZE_BYTES = 4;
  /** Read buffer for the file and the inflater. */
  static final int STREAM_BUFFER_BYTES = 1 << 16;
  /** First size of the gzip output buffer; it doubles as data arrives, up to the promise. */
  static final int INITIAL_GZIP_BUFFER_BYTES = 1 << 16;
  /** How far past the promised end gzip data is counted to report its real length. */
  static final long MAX_EXTRA_BYTES_COUNTED = 1L << 26;

  private IdxReader() {}

  /**
   * Reads {@code file}, raw or gzip, checking that it holds unsigned bytes in exactly
   * {@code expectedDims} dimensions ({@link #IMAGE_DIMS} for images, {@link #LABEL_DIMS} for
   * labels) and exactly as much data as its header says.
   *
   * @throws BadInputException if the file cannot be read or is not such an IDX file
   * @throws IllegalArgumentException if {@code expectedDims} is not in [1, 255]
   */
  public static IdxArray read(Path file, int expectedDims) {
    if (expectedDims < 1 || expectedDims > 0xff) {
      throw new IllegalArgumentException(
          "expected a dimension count in [1, 255], got " + expectedDims);
    }
    try (InputStream in =
        new BufferedInputStream(Files.newInputStream(file), STREAM_BUFFER_BYTES)) {
      if (startsWithGzipMagic(in)) {
        return readGzip(file, in, expectedDims);
      }
      long fileBytes = Files.isRegularFile(file) ? Files.size(file) : -1;
      return readIdx(file, in, expectedDims, fileBytes, false);
    } catch (NoSuchFileException e) {
      throw new BadInputException(file + ": expected an IDX file, got no such file", e);
    } catch (IOException e) {
      throw new BadInputException(file + ": expected a readable IDX file, got " + e, e);
    }
  }

  private static IdxArray readGzip(Path file, InputStream in, int expectedDims) {
    try (InputStream gzip = new GZIPInputStream(in, STREAM_BUFFER_BYTES)) {
      return readIdx(file, gzip, expectedDims, -1, true);
    } catch (EOFException e) {
      throw new BadInputException(
          file + ": expected a complete gzip stream (the file starts with the gzip magic bytes "
              + "0x1f 0x8b), got a truncated one: " + e.getMessage(), e);
    } catch (ZipException e) {
      throw new BadInputException(
          file + ": expected a valid gzip stream (the file starts with the gzip magic bytes "
              + "0x1f 0x8b), got a corrupt one: " + e.getMessage(), e);
    } catch (IOException e) {
      throw new BadInputException(file + ": expected a readable IDX file, got " + e, e);
    }
  }

  /** Peeks at the first two bytes without consuming them. */
  private static boolean startsWithGzipMagic(InputStream in) throws IOException {
    in.mark(2);
    int first = in.read();
    int second = in.read();
    in.reset();
    return first == GZIP_MAGIC_FIRST && second == GZIP_MAGIC_SECOND;
  }

  /**
   * Reads header and data from {@code in}.
   *
   * @param fileBytes the raw file's length, checked against the header before allocating; -1
   *     when unknown (gzip, or not a regular file)
   */
  private static IdxArray readIdx(
      Path file, InputStream in, int expectedDims, long fileBytes, boolean gzip)
      throws IOException {
    String where = gzip ? " after decompression" : "";
    byte[] magicBytes = new byte[MAGIC_BYTES];
    int got = readUpTo(in, magicBytes, 0, MAGIC_BYTES);
    if (got < MAGIC_BYTES) {
      throw new BadInputException(
          file + ": expected a 4-byte IDX magic number " + hex(expectedMagic(expectedDims)) + " ("
              + describe(expectedDims) + "), got " + got + " byte" + (got == 1 ? "" : "s")
              + where);
    }
    int magic = bigEndianInt(magicBytes, 0);
    checkMagic(file, magic, expectedDims);

    int headerBytes = MAGIC_BYTES + SIZE_BYTES * expectedDims;
    byte[] sizeBytes = new byte[SIZE_BYTES * expectedDims];
    got = readUpTo(in, sizeBytes, 0, sizeBytes.length);
    if (got < sizeBytes.length) {
      throw new BadInputException(
          file + ": expected a " + headerBytes + "-byte header (magic number and " + expectedDims
              + " int32 size" + (expectedDims == 1 ? "" : "s") + "), got " + (MAGIC_BYTES + got)
              + " bytes" + where);
    }
    int[] dims = new int[expectedDims];
    for (int i = 0; i < expectedDims; i++) {
      dims[i] = bigEndianInt(sizeBytes, SIZE_BYTES * i);
    }
    for (int i = 0; i < expectedDims; i++) {
      if (dims[i] <= 0) {
        throw new BadInputException(
            file + ": expected the size of dimension " + i + " to be positive, got " + dims[i]
                + " (sizes " + IdxArray.shape(dims) + ")");
      }
    }
    long product = 1;
    for (int i = 0; i < expectedDims; i++) {
      product *= dims[i]; // at most (2^31 - 9) * (2^31 - 1): fits in a long
      if (product > MAX_DATA_BYTES) {
        throw new BadInputException(
            file + ": expected at most " + MAX_DATA_BYTES + " data bytes (the largest Java "
                + "array), got a header promising " + IdxArray.shape(dims) + " = "
                + bigProduct(dims) + " bytes");
      }
    }
    int dataBytes = (int) product;
    String expectedData =
        dataBytes + " bytes of data after the " + headerBytes + "-byte header ("
            + IdxArray.shape(dims) + ")";

    if (fileBytes >= 0 && fileBytes - headerBytes != dataBytes) {
      throw new BadInputException(
          file + ": expected " + expectedData + ", got " + (fileBytes - headerBytes));
    }
    // A raw file's length was just checked, so its array can be allocated at once; gzip output
    // is only believed as it arrives.
    int initialCapacity =
        fileBytes >= 0 ? dataBytes : Math.min(dataBytes, INITIAL_GZIP_BUFFER_BYTES);
    byte[] data = new byte[initialCapacity];
    int filled = 0;
    while (true) {
      filled += readUpTo(in, data, filled, data.length - filled);
      if (filled < data.length || data.length == dataBytes) {
        break;
      }
      data = Arrays.copyOf(data, (int) Math.min((long) data.length * 2, dataBytes));
    }
    if (filled < dataBytes) {
      throw new BadInputException(file + ": expected " + expectedData + ", got " + filled + where);
    }
    if (in.read() >= 0) {
      long extra = 1 + countRemaining(in);
      String found =
          extra > MAX_EXTRA_BYTES_COUNTED
              ? "more than " + (dataBytes + MAX_EXTRA_BYTES_COUNTED)
              : Long.toString(dataBytes + extra);
      throw new BadInputException(file + ": expected " + expectedData + ", got " + found + where);
    }
    return new IdxArray(file, dims, data);
  }

  private static void checkMagic(Path file, int magic, int expectedDims) {
    int expected = expectedMagic(expectedDims);
    if (magic == expected) {
      return;
    }
    int type = (magic >>> 8) & 0xff;
    int dims = magic & 0xff;
    String why;
    if ((magic >>> 16) != 0) {
      why = "the first two bytes of an IDX file are zero: not an IDX file";
    } else if (type != TYPE_UNSIGNED_BYTE) {
      why = "type " + hexByte(type) + ", " + typeName(type) + "; only type "
          + hexByte(TYPE_UNSIGNED_BYTE) + ", unsigned byte, is supported";
    } else {
      why = "unsigned byte, " + dims + " dimension" + (dims == 1 ? "" : "s")
          + (dims == LABEL_DIMS ? ", like a label file" : "")
          + (dims == IMAGE_DIMS ? ", like an image file" : "");
    }
    throw new BadInputException(
        file + ": expected magic number " + hex(expected) + " (" + describe(expectedDims)
            + "), got " + hex(magic) + " (" + why + ")");
  }

  static int expectedMagic(int dims) {
    return (TYPE_UNSIGNED_BYTE << 8) | dims;
  }

  private static String describe(int dims) {
    String kind = dims == IMAGE_DIMS ? "images, " : dims == LABEL_DIMS ? "labels, " : "";
    return kind + "unsigned byte, " + dims + " dimension" + (dims == 1 ? "" : "s");
  }

  /** The IDX element types (http://yann.lecun.com/exdb/mnist/, "THE IDX FILE FORMAT"). */
  static String typeName(int type) {
    return switch (type) {
      case 0x08 -> "unsigned byte";
      case 0x09 -> "signed byte";
      case 0x0B -> "short";
      case 0x0C -> "int";
      case 0x0D -> "float";
      case 0x0E -> "double";
      default -> "not an IDX type";
    };
  }

  private static String hex(int value) {
    return String.format("0x%08X", value);
  }

  private static String hexByte(int value) {
    return String.format("0x%02X", value);
  }

  private static String bigProduct(int[] dims) {
    java.math.BigInteger product = java.math.BigInteger.ONE;
    for (int size : dims) {
      product = product.multiply(java.math.BigInteger.valueOf(size));
    }
    return product.toString();
  }

  private static int bigEndianInt(byte[] bytes, int offset) {
    return ((bytes[offset] & 0xff) << 24)
        | ((bytes[offset + 1] & 0xff) << 16)
        | ((bytes[offset + 2] & 0xff) << 8)
        | (bytes[offset + 3] & 0xff);
  }

  /** Reads until {@code length} bytes or the end of the stream; returns how many it read. */
  private static int readUpTo(InputStream in, byte[] buffer, int offset, int length)
      throws IOException {
    int total = 0;
    while (total < length) {
      int n = in.read(buffer, offset + total, length - total);
      if (n < 0) {
        break;
      }
      total += n;
    }
    return total;
  }

  /** Counts what is left, up to just past {@link #MAX_EXTRA_BYTES_COUNTED}, in a small buffer. */
  private static long countRemaining(InputStream in) throws IOException {
    byte[] scratch = new byte[STREAM_BUFFER_BYTES];
    long total = 0;
    int n;
    while (total <= MAX_EXTRA_BYTES_COUNTED && (n = in.read(scratch)) >= 0) {
      total += n;
    }
    return total;
  }
}

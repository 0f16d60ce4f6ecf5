package io.jgan.data;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.zip.GZIPOutputStream;

/** Builds tiny IDX files byte by byte, independently of {@link IdxReader}. */
final class IdxFixtures {

  private IdxFixtures() {}

  /** An IDX file: 0x00 0x00 type dims.length, big-endian sizes, then {@code data}. */
  static byte[] idx(int type, int[] dims, byte[] data) {
    ByteBuffer buffer = ByteBuffer.allocate(4 + 4 * dims.length + data.length); // big-endian
    buffer.put((byte) 0).put((byte) 0).put((byte) type).put((byte) dims.length);
    for (int size : dims) {
      buffer.putInt(size);
    }
    return buffer.put(data).array();
  }

  /** An unsigned-byte IDX file. */
  static byte[] idx(int[] dims, byte[] data) {
    return idx(0x08, dims, data);
  }

  /** {@code n} bytes 0, 1, 2, ... (mod 256). */
  static byte[] counting(int n) {
    byte[] bytes = new byte[n];
    for (int i = 0; i < n; i++) {
      bytes[i] = (byte) i;
    }
    return bytes;
  }

  static byte[] gzip(byte[] bytes) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
      gzip.write(bytes);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }
}

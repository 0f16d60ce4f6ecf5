package io.jgan.parity;

import io.jgan.BadInputException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;

/**
 * NumPy {@code .npy} files of little-endian float32 in C order, the exchange format between the
 * Java and Python sides of the parity checks (format: the magic {@code \x93NUMPY}, version 1.0, a
 * 2-byte header length, a Python-dict header padded to 64 bytes, then the data).
 */
public final class Npy {
  private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
  private static final Pattern SHAPE = Pattern.compile("'shape':\\s*\\(([^)]*)\\)");

  private Npy() {}

  public static TFloat32 read(Path file) {
    try {
      ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
      byte[] magic = new byte[6];
      b.get(magic);
      if (!java.util.Arrays.equals(magic, MAGIC)) {
        throw new BadInputException(file + ": expected an .npy file, got another format");
      }
      int major = b.get();
      b.get();
      int headerLength = major == 1 ? Short.toUnsignedInt(b.getShort()) : b.getInt();
      byte[] headerBytes = new byte[headerLength];
      b.get(headerBytes);
      String header = new String(headerBytes, StandardCharsets.ISO_8859_1);
      if (!header.contains("'descr': '<f4'") || header.contains("'fortran_order': True")) {
        throw new BadInputException(file + ": expected little-endian float32 in C order, got header " + header.strip());
      }
      Matcher m = SHAPE.matcher(header);
      if (!m.find()) {
        throw new BadInputException(file + ": expected a shape in the header, got " + header.strip());
      }
      String[] dims = m.group(1).split(",");
      long[] shape = java.util.Arrays.stream(dims).map(String::strip).filter(d -> !d.isEmpty()).mapToLong(Long::parseLong).toArray();
      float[] values = new float[(int) Shape.of(shape).size()];
      b.asFloatBuffer().get(values);
      return TFloat32.tensorOf(Shape.of(shape), DataBuffers.of(values, true, false));
    } catch (IOException e) {
      throw new BadInputException(file + ": cannot read (" + e.getMessage() + ")", e);
    }
  }

  public static void write(Path file, TFloat32 tensor) {
    float[] values = new float[(int) tensor.shape().size()];
    tensor.copyTo(DataBuffers.of(values, false, false));
    write(file, tensor.shape().asArray(), values);
  }

  public static void write(Path file, long[] shape, float[] values) {
    StringBuilder dims = new StringBuilder();
    for (long d : shape) {
      dims.append(d).append(", ");
    }
    String shapeText = shape.length == 1 ? shape[0] + "," : dims.length() > 0 ? dims.substring(0, dims.length() - 2) : "";
    String header = "{'descr': '<f4', 'fortran_order': False, 'shape': (" + shapeText + "), }";
    int total = MAGIC.length + 2 + 2 + header.length() + 1;
    int pad = (64 - total % 64) % 64;
    header = header + " ".repeat(pad) + "\n";
    ByteBuffer b = ByteBuffer.allocate(MAGIC.length + 4 + header.length() + values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    b.put(MAGIC).put((byte) 1).put((byte) 0).putShort((short) header.length());
    b.put(header.getBytes(StandardCharsets.ISO_8859_1));
    b.asFloatBuffer().put(values);
    try {
      Files.write(file, b.array());
    } catch (IOException e) {
      throw new IllegalStateException("cannot write " + file, e);
    }
  }
}

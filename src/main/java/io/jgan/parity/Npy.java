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
import org.tensorflow.types.TFloat64;
import org.tensorflow.types.family.TFloating;

/**
 * NumPy {@code .npy} files of little-endian float32 or float64 in C order, the exchange format
 * between the Java and Python sides of the parity checks (format: the magic {@code \x93NUMPY},
 * version 1.0, a 2-byte header length, a Python-dict header padded to 64 bytes, then the data).
 */
public final class Npy {
  private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
  private static final Pattern SHAPE = Pattern.compile("'shape':\\s*\\(([^)]*)\\)");
  private static final Pattern DESCR = Pattern.compile("'descr':\\s*'([^']*)'");

  private Npy() {}

  /** A float32 file. */
  public static TFloat32 read(Path file) {
    return read(file, TFloat32.class);
  }

  /** A file holding {@code type} ({@code <f4} for TFloat32, {@code <f8} for TFloat64); any other is an error. */
  @SuppressWarnings("unchecked")
  public static <T extends TFloating> T read(Path file, Class<T> type) {
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
      String expected = descr(type);
      Matcher d = DESCR.matcher(header);
      if (!d.find() || !d.group(1).equals(expected) || header.contains("'fortran_order': True")) {
        throw new BadInputException(file + ": expected " + expected + " in C order, got header " + header.strip());
      }
      Matcher m = SHAPE.matcher(header);
      if (!m.find()) {
        throw new BadInputException(file + ": expected a shape in the header, got " + header.strip());
      }
      String[] dims = m.group(1).split(",");
      long[] shape = java.util.Arrays.stream(dims).map(String::strip).filter(s -> !s.isEmpty()).mapToLong(Long::parseLong).toArray();
      int n = (int) Shape.of(shape).size();
      if (type == TFloat32.class) {
        float[] values = new float[n];
        b.asFloatBuffer().get(values);
        return (T) TFloat32.tensorOf(Shape.of(shape), DataBuffers.of(values, true, false));
      }
      double[] values = new double[n];
      b.asDoubleBuffer().get(values);
      return (T) TFloat64.tensorOf(Shape.of(shape), DataBuffers.of(values, true, false));
    } catch (IOException e) {
      throw new BadInputException(file + ": cannot read (" + e.getMessage() + ")", e);
    }
  }

  /** Writes a float32 or float64 tensor with its own type. */
  public static void write(Path file, TFloating tensor) {
    long[] shape = tensor.shape().asArray();
    if (tensor instanceof TFloat32 f) {
      float[] values = new float[(int) f.shape().size()];
      f.copyTo(DataBuffers.of(values, false, false));
      write(file, shape, "<f4", values.length * 4, b -> b.asFloatBuffer().put(values));
    } else {
      TFloat64 d = (TFloat64) tensor;
      double[] values = new double[(int) d.shape().size()];
      d.copyTo(DataBuffers.of(values, false, false));
      write(file, shape, "<f8", values.length * 8, b -> b.asDoubleBuffer().put(values));
    }
  }

  /** Doubles as {@code <f8}. */
  public static void write(Path file, long[] shape, double[] values) {
    write(file, shape, "<f8", values.length * 8, b -> b.asDoubleBuffer().put(values));
  }

  private static String descr(Class<? extends TFloating> type) {
    return type == TFloat64.class ? "<f8" : "<f4";
  }

  private static void write(Path file, long[] shape, String descr, int dataBytes, java.util.function.Consumer<ByteBuffer> data) {
    StringBuilder dims = new StringBuilder();
    for (long d : shape) {
      dims.append(d).append(", ");
    }
    String shapeText = shape.length == 1 ? shape[0] + "," : dims.length() > 0 ? dims.substring(0, dims.length() - 2) : "";
    String header = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': (" + shapeText + "), }";
    int total = MAGIC.length + 2 + 2 + header.length() + 1;
    int pad = (64 - total % 64) % 64;
    header = header + " ".repeat(pad) + "\n";
    ByteBuffer b = ByteBuffer.allocate(MAGIC.length + 4 + header.length() + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
    b.put(MAGIC).put((byte) 1).put((byte) 0).putShort((short) header.length());
    b.put(header.getBytes(StandardCharsets.ISO_8859_1));
    data.accept(b.slice().order(ByteOrder.LITTLE_ENDIAN));
    try {
      Files.write(file, b.array());
    } catch (IOException e) {
      throw new IllegalStateException("cannot write " + file, e);
    }
  }
}

package io.jgan.data;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * The contents of one IDX file of unsigned bytes: its sizes ({@code dims}, outermost first, e.g.
 * {@code [60000, 28, 28]}) and its data in row-major order, one byte per element (read with
 * {@code b & 0xff}).
 *
 * <p>{@code data} is shared, not copied: it is large, and callers own it once {@link IdxReader}
 * has returned it. {@code dims} is copied both ways. Equality compares contents.
 *
 * <pre>{@code
 * IdxArray images = IdxReader.read(Path.of("data/mnist/train-images-idx3-ubyte"), IdxReader.IMAGE_DIMS);
 * System.out.println(images.shape());   // 60000 x 28 x 28
 * }</pre>
 *
 * @param file where the data came from, for error messages
 * @param dims the size of each dimension, all positive
 * @param data exactly the product of {@code dims} bytes
 */
public record IdxArray(Path file, int[] dims, byte[] data) {

  public IdxArray {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(dims, "dims");
    Objects.requireNonNull(data, "data");
    dims = dims.clone();
    long product = 1;
    for (int size : dims) {
      if (size <= 0) {
        throw new IllegalArgumentException(
            "expected positive sizes, got " + Arrays.toString(dims) + " for " + file);
      }
      product *= size;
      if (product > Integer.MAX_VALUE) {
        break;
      }
    }
    if (product != data.length) {
      throw new IllegalArgumentException(
          "expected " + product + " data bytes for sizes " + Arrays.toString(dims) + ", got "
              + data.length + " for " + file);
    }
  }

  /** The sizes, outermost first (a copy). */
  @Override
  public int[] dims() {
    return dims.clone();
  }

  /** The number of dimensions. */
  public int rank() {
    return dims.length;
  }

  /** The size of dimension {@code i}. */
  public int dim(int i) {
    return dims[i];
  }

  /** The number of items: the size of the outermost dimension. */
  public int count() {
    return dims[0];
  }

  /** The sizes as {@code "60000 x 28 x 28"}. */
  public String shape() {
    return shape(dims);
  }

  static String shape(int[] dims) {
    return Arrays.stream(dims).mapToObj(Integer::toString).collect(Collectors.joining(" x "));
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof IdxArray that
        && file.equals(that.file)
        && Arrays.equals(dims, that.dims)
        && Arrays.equals(data, that.data);
  }

  @Override
  public int hashCode() {
    return 31 * (31 * file.hashCode() + Arrays.hashCode(dims)) + Arrays.hashCode(data);
  }

  @Override
  public String toString() {
    return "IdxArray[" + file + ": " + shape() + " unsigned bytes]";
  }
}

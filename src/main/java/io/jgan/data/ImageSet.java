package io.jgan.data;

import java.util.Arrays;
import java.util.Objects;

/**
 * An image dataset held in memory: {@code count} images of {@code height x width x channels}
 * unsigned bytes (0..255), row-major {@code [count][height][width][channels]} in {@code pixels},
 * and optionally one label in [0, numClasses) per image. The IDX datasets load into one; image
 * folders, which can exceed what one Java array holds, are read from a cache ({@link MappedImages}).
 *
 * <p>An unlabelled set has {@code labels == null} and {@code numClasses == 0}. The arrays are
 * shared, not copied (MNIST is 47 MB): do not modify them. The constructor checks that the sizes
 * agree and throws {@link IllegalArgumentException} ("expected X, got Y") if not; loaders check
 * their files first and report problems in them as {@link io.jgan.BadInputException} naming the
 * file, so a failure here is a bug in a loader. Equality compares contents.
 *
 * <pre>{@code
 * ImageSet train = Dataset.MNIST.load(Path.of("data"), true);
 * int pixel = train.pixel(0, 14, 14, 0);   // image 0, row 14, column 14, channel 0: 0..255
 * }</pre>
 *
 * @param name what the set is, for messages, e.g. {@code "mnist-train"}
 * @param count number of images, positive
 * @param height rows per image, positive
 * @param width columns per image, positive
 * @param channels values per pixel (1 grayscale, 3 RGB), positive
 * @param pixels {@code count * height * width * channels} unsigned bytes
 * @param labels {@code count} labels in [0, numClasses), or null
 * @param numClasses how many classes the labels range over; 0 when unlabelled
 */
public record ImageSet(
    String name,
    int count,
    int height,
    int width,
    int channels,
    byte[] pixels,
    int[] labels,
    int numClasses) implements Images {

  public ImageSet {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(pixels, "pixels");
    requirePositive(name, "count", count);
    requirePositive(name, "height", height);
    requirePositive(name, "width", width);
    requirePositive(name, "channels", channels);
    long expectedPixels = (long) count * height * width * channels;
    if (pixels.length != expectedPixels) {
      throw new IllegalArgumentException(
          name + ": expected " + expectedPixels + " pixel bytes (" + count + " x " + height + " x "
              + width + " x " + channels + "), got " + pixels.length);
    }
    Images.checkLabels(name, count, labels, numClasses);
  }

  private static void requirePositive(String name, String what, int value) {
    if (value <= 0) {
      throw new IllegalArgumentException(
          name + ": expected a positive " + what + ", got " + value);
    }
  }

  @Override
  public void read(int image, byte[] dst, int offset) {
    Objects.checkIndex(image, count);
    int size = imageSize();
    System.arraycopy(pixels, image * size, dst, offset, size);
  }

  @Override
  public ImageSet withLabels(int[] labels, int numClasses) {
    return new ImageSet(name, count, height, width, channels, pixels, labels, numClasses);
  }

  @Override
  public int pixel(int image, int y, int x, int channel) {
    Objects.checkIndex(image, count);
    Objects.checkIndex(y, height);
    Objects.checkIndex(x, width);
    Objects.checkIndex(channel, channels);
    return pixels[((image * height + y) * width + x) * channels + channel] & 0xff;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof ImageSet that
        && name.equals(that.name)
        && count == that.count
        && height == that.height
        && width == that.width
        && channels == that.channels
        && numClasses == that.numClasses
        && Arrays.equals(labels, that.labels)
        && Arrays.equals(pixels, that.pixels);
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, count, height, width, channels, numClasses,
        Arrays.hashCode(labels), Arrays.hashCode(pixels));
  }

  @Override
  public String toString() {
    return "ImageSet[" + name + ": " + count + " x " + height + " x " + width + " x " + channels
        + (labels == null ? ", unlabelled" : ", " + numClasses + " classes") + "]";
  }
}

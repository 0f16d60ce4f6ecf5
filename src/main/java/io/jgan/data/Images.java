package io.jgan.data;

import java.util.Objects;

/**
 * A dataset of {@code count} images of {@code height x width x channels} unsigned bytes (0..255,
 * row-major HWC), read image by image, with an optional label in [0, numClasses) per image.
 *
 * <p>Two kinds: {@link ImageSet} holds its pixels in one array (the IDX datasets: MNIST is 47 MB);
 * {@link MappedImages} reads them from a decoded-image cache on disk, for folders of any size.
 * Training reads only through {@link #read}, so a batch is the same bytes from either.
 *
 * <pre>{@code
 * Images images = Dataset.MNIST.load(Path.of("data"), true);   // an ImageSet
 * byte[] first = new byte[images.imageSize()];
 * images.read(0, first, 0);
 * }</pre>
 */
public interface Images {
  /** What the set is, for messages. */
  String name();

  int count();

  int height();

  int width();

  int channels();

  /** Labels, one per image, or null when unlabelled. Shared, not copied: do not modify. */
  int[] labels();

  /** How many classes the labels range over; 0 when unlabelled. */
  int numClasses();

  /** Copies the {@link #imageSize()} bytes of image {@code image} into {@code dst} from {@code offset}. */
  void read(int image, byte[] dst, int offset);

  /** The same images with other labels ({@code null} and 0 for none). */
  Images withLabels(int[] labels, int numClasses);

  /** Bytes per image: {@code height * width * channels}. */
  default int imageSize() {
    return height() * width() * channels();
  }

  /** Whether every image has a label. */
  default boolean labelled() {
    return labels() != null;
  }

  /** The label of image {@code image}; the set must be labelled. */
  default int label(int image) {
    if (labels() == null) {
      throw new IllegalStateException(name() + ": expected a labelled set, got an unlabelled one");
    }
    return labels()[image];
  }

  /** The value, 0..255, of channel {@code channel} of pixel (y, x) of image {@code image}. */
  default int pixel(int image, int y, int x, int channel) {
    Objects.checkIndex(image, count());
    Objects.checkIndex(y, height());
    Objects.checkIndex(x, width());
    Objects.checkIndex(channel, channels());
    byte[] one = new byte[imageSize()];
    read(image, one, 0);
    return one[(y * width() + x) * channels() + channel] & 0xff;
  }

  /** Checks labels against a count as every implementation must; "expected X, got Y" otherwise. */
  static void checkLabels(String name, int count, int[] labels, int numClasses) {
    if (labels == null) {
      if (numClasses != 0) {
        throw new IllegalArgumentException(name + ": expected numClasses 0 for an unlabelled set, got " + numClasses);
      }
      return;
    }
    if (numClasses <= 0) {
      throw new IllegalArgumentException(name + ": expected a positive numClasses, got " + numClasses);
    }
    if (labels.length != count) {
      throw new IllegalArgumentException(name + ": expected " + count + " labels (one per image), got " + labels.length);
    }
    for (int i = 0; i < labels.length; i++) {
      if (labels[i] < 0 || labels[i] >= numClasses) {
        throw new IllegalArgumentException(
            name + ": expected labels in [0, " + numClasses + "), got " + labels[i] + " for image " + i);
      }
    }
  }
}

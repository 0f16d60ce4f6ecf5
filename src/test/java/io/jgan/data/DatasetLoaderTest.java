package io.jgan.data;

import static io.jgan.data.IdxFixtures.counting;
import static io.jgan.data.IdxFixtures.gzip;
import static io.jgan.data.IdxFixtures.idx;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jgan.BadInputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetLoaderTest {

  @TempDir Path dir;

  private Path write(String name, byte[] bytes) throws IOException {
    Path file = dir.resolve(name);
    Files.createDirectories(file.getParent());
    return Files.write(file, bytes);
  }

  @Test
  void loadsImagesAndLabelsAsOneChannel() throws IOException {
    // 3 images of 2 x 2 holding 0..11, labels 9 0 4.
    Path images = write("images", idx(new int[] {3, 2, 2}, counting(12)));
    Path labels = write("labels", gzip(idx(new int[] {3}, new byte[] {9, 0, 4})));
    ImageSet set = DatasetLoader.load("tiny", images, labels, 10);
    assertEquals(new ImageSet("tiny", 3, 2, 2, 1, counting(12), new int[] {9, 0, 4}, 10), set);
    assertEquals(7, set.pixel(1, 1, 1, 0)); // image 1 starts at byte 4; (1, 1) is 3 further
  }

  @Test
  void loadsTheTestSplitOfADatasetFromItsDirectory() throws IOException {
    write("mnist/t10k-images-idx3-ubyte", idx(new int[] {2, 1, 3}, counting(6)));
    write("mnist/t10k-labels-idx1-ubyte", idx(new int[] {2}, new byte[] {7, 2}));
    ImageSet set = Dataset.MNIST.load(dir, false);
    assertEquals("mnist-test", set.name());
    assertEquals(2, set.count());
    assertEquals(1, set.height());
    assertEquals(3, set.width());
    assertEquals(1, set.channels());
    assertArrayEquals(new int[] {7, 2}, set.labels());
    assertEquals(10, set.numClasses());
  }

  @Test
  void loadsBothSplitsTrainFirstAsOneLabelledSet() throws IOException {
    // train: 3 images of 1 x 2 holding 0..5, labels 4 0 9; test: 2 images holding 100..103, labels 7 1.
    write("mnist/train-images-idx3-ubyte", idx(new int[] {3, 1, 2}, counting(6)));
    write("mnist/train-labels-idx1-ubyte", idx(new int[] {3}, new byte[] {4, 0, 9}));
    write("mnist/t10k-images-idx3-ubyte", idx(new int[] {2, 1, 2}, new byte[] {100, 101, 102, 103}));
    write("mnist/t10k-labels-idx1-ubyte", idx(new int[] {2}, new byte[] {7, 1}));
    ImageSet all = Dataset.MNIST.loadAll(dir);
    assertEquals(new ImageSet("mnist-all", 5, 1, 2, 1, new byte[] {0, 1, 2, 3, 4, 5, 100, 101, 102, 103},
        new int[] {4, 0, 9, 7, 1}, 10), all);
    assertEquals(102, all.pixel(4, 0, 0, 0)); // the second test image, its first pixel
  }

  @Test
  void rejectsSplitsOfDifferentImageSizes() throws IOException {
    write("mnist/train-images-idx3-ubyte", idx(new int[] {1, 1, 2}, counting(2)));
    write("mnist/train-labels-idx1-ubyte", idx(new int[] {1}, new byte[] {3}));
    write("mnist/t10k-images-idx3-ubyte", idx(new int[] {1, 2, 1}, counting(2)));
    write("mnist/t10k-labels-idx1-ubyte", idx(new int[] {1}, new byte[] {3}));
    BadInputException e = assertThrows(BadInputException.class, () -> Dataset.MNIST.loadAll(dir));
    assertTrue(e.getMessage().contains("expected test images of the train images' size 1x2x1, got 2x1x1"), e.getMessage());
  }

  @Test
  void rejectsImageLabelCountMismatch() throws IOException {
    Path images = write("images", idx(new int[] {3, 2, 2}, counting(12)));
    Path labels = write("labels", idx(new int[] {2}, new byte[] {1, 2}));
    BadInputException e = assertThrows(BadInputException.class,
        () -> DatasetLoader.load("tiny", images, labels, 10));
    String message = e.getMessage();
    assertTrue(message.contains(images.toString()), message);
    assertTrue(message.contains(labels.toString()), message);
    assertTrue(message.contains("expected 3 labels"), message);
    assertTrue(message.contains("got 2"), message);
  }

  @Test
  void rejectsLabelOutOfRange() throws IOException {
    Path images = write("images", idx(new int[] {3, 1, 1}, counting(3)));
    Path labels = write("labels", idx(new int[] {3}, new byte[] {1, 10, 2}));
    BadInputException e = assertThrows(BadInputException.class,
        () -> DatasetLoader.load("tiny", images, labels, 10));
    String message = e.getMessage();
    assertTrue(message.startsWith(labels + ": "), message);
    assertTrue(message.contains("expected labels in [0, 10)"), message);
    assertTrue(message.contains("got 10 at index 1"), message);
  }

  @Test
  void rejectsLabelFileGivenAsImages() throws IOException {
    Path labels = write("labels", idx(new int[] {3}, new byte[] {1, 2, 3}));
    BadInputException e = assertThrows(BadInputException.class,
        () -> DatasetLoader.load("swapped", labels, labels, 10));
    assertTrue(e.getMessage().contains("got 0x00000801"), e.getMessage());
  }

  @Test
  void rejectsMissingFileNamingIt() {
    Path images = dir.resolve("mnist/train-images-idx3-ubyte");
    BadInputException e = assertThrows(BadInputException.class,
        () -> Dataset.MNIST.load(dir, true));
    assertTrue(e.getMessage().startsWith(images + ": "), e.getMessage());
    assertTrue(e.getMessage().contains("got no such file"), e.getMessage());
    assertTrue(e.getMessage().contains("bash scripts/fetch-data.sh mnist"), e.getMessage());
  }
}

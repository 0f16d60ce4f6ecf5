package io.jgan.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jgan.BadInputException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class DatasetTest {

  @Test
  void parsesTheCommandLineNames() {
    assertEquals(Dataset.MNIST, Dataset.parse("mnist"));
    assertEquals(Dataset.FASHION_MNIST, Dataset.parse("fashion-mnist"));
  }

  @Test
  void rejectsUnknownNameListingTheValidOnes() {
    BadInputException e =
        assertThrows(BadInputException.class, () -> Dataset.parse("cifar10"));
    assertTrue(e.getMessage().contains("expected one of mnist, fashion-mnist"), e.getMessage());
    assertTrue(e.getMessage().contains("got 'cifar10'"), e.getMessage());
    assertThrows(BadInputException.class, () -> Dataset.parse(null));
    assertThrows(BadInputException.class, () -> Dataset.parse("FASHION_MNIST"));
  }

  @Test
  void knowsItsClasses() {
    assertEquals(10, Dataset.MNIST.numClasses());
    assertEquals("7", Dataset.MNIST.classNames().get(7));
    // Fashion-MNIST README, "Labels": 0 T-shirt/top ... 9 Ankle boot.
    assertEquals(List.of("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt",
        "Sneaker", "Bag", "Ankle boot"), Dataset.FASHION_MNIST.classNames());
  }

  @Test
  void laysOutItsFilesUnderItsDirectory() {
    Path data = Path.of("data");
    assertEquals(List.of(
            Path.of("data/fashion-mnist/train-images-idx3-ubyte"),
            Path.of("data/fashion-mnist/train-labels-idx1-ubyte"),
            Path.of("data/fashion-mnist/t10k-images-idx3-ubyte"),
            Path.of("data/fashion-mnist/t10k-labels-idx1-ubyte")),
        Dataset.FASHION_MNIST.files(data));
    assertEquals("t10k-images-idx3-ubyte", Dataset.MNIST.imagesFileName(false));
    assertEquals("train-labels-idx1-ubyte", Dataset.MNIST.labelsFileName(true));
  }
}

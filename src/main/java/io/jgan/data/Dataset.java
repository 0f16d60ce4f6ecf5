package io.jgan.data;

import io.jgan.BadInputException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The IDX datasets this project trains on, each fetched by {@code scripts/fetch-data.sh} into
 * {@code data/<name>/} as four uncompressed files with the original names:
 * {@code {train,t10k}-{images-idx3,labels-idx1}-ubyte}.
 *
 * <pre>{@code
 * Dataset dataset = Dataset.parse("fashion-mnist");
 * ImageSet train = dataset.load(Path.of(Dataset.DEFAULT_DATA_DIR), true);   // [60000, 28, 28, 1]
 * }</pre>
 */
public enum Dataset {
  /** Handwritten digits, LeCun et al. 1998; class i is the digit i. */
  MNIST("mnist", List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9")),
  /** Zalando article images, Xiao et al. 2017; class names from the dataset's README. */
  FASHION_MNIST(
      "fashion-mnist",
      List.of("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt",
          "Sneaker", "Bag", "Ankle boot"));

  public static final String TRAIN_IMAGES_FILE = "train-images-idx3-ubyte";
  public static final String TRAIN_LABELS_FILE = "train-labels-idx1-ubyte";
  public static final String TEST_IMAGES_FILE = "t10k-images-idx3-ubyte";
  public static final String TEST_LABELS_FILE = "t10k-labels-idx1-ubyte";
  /** The default data directory, relative to the repository root. */
  public static final String DEFAULT_DATA_DIR = "data";

  private final String dirName;
  private final List<String> classNames;

  Dataset(String dirName, List<String> classNames) {
    this.dirName = dirName;
    this.classNames = classNames;
  }

  /** The name used on the command line and as the directory under {@code data/}. */
  public String dirName() {
    return dirName;
  }

  public int numClasses() {
    return classNames.size();
  }

  /** Class names, indexed by label. */
  public List<String> classNames() {
    return classNames;
  }

  public String imagesFileName(boolean train) {
    return train ? TRAIN_IMAGES_FILE : TEST_IMAGES_FILE;
  }

  public String labelsFileName(boolean train) {
    return train ? TRAIN_LABELS_FILE : TEST_LABELS_FILE;
  }

  /** {@code dataDir/<dirName>}. */
  public Path directory(Path dataDir) {
    return dataDir.resolve(dirName);
  }

  /** This dataset's four files under {@code dataDir}: train images and labels, test ditto. */
  public List<Path> files(Path dataDir) {
    Path dir = directory(dataDir);
    return List.of(
        dir.resolve(TRAIN_IMAGES_FILE),
        dir.resolve(TRAIN_LABELS_FILE),
        dir.resolve(TEST_IMAGES_FILE),
        dir.resolve(TEST_LABELS_FILE));
  }

  /** Loads the train or test split from {@code dataDir/<dirName>}; see {@link DatasetLoader}. */
  public ImageSet load(Path dataDir, boolean train) {
    return DatasetLoader.load(this, dataDir, train);
  }

  /**
   * Both splits as one labelled set, the train images first, then the test images: what
   * {@code np.concatenate([x_train, x_test])} makes of {@code keras.datasets.mnist.load_data()} (keras-io's
   * conditional GAN trains on all 70,000 MNIST digits so). Does not fetch; see {@link DataFetcher#ensurePresent}.
   *
   * <pre>{@code
   * DataFetcher.ensurePresent(Dataset.MNIST, Path.of("data"));
   * ImageSet digits = Dataset.MNIST.loadAll(Path.of("data"));   // 70,000 images, labels 0-9
   * }</pre>
   *
   * @throws BadInputException if a file is missing or malformed, or the two splits' image sizes differ
   */
  public ImageSet loadAll(Path dataDir) {
    ImageSet train = load(dataDir, true);
    ImageSet test = load(dataDir, false);
    if (train.height() != test.height() || train.width() != test.width() || train.channels() != test.channels()) {
      throw new BadInputException(directory(dataDir) + ": expected test images of the train images' size " + train.height()
          + "x" + train.width() + "x" + train.channels() + ", got " + test.height() + "x" + test.width() + "x"
          + test.channels());
    }
    byte[] pixels = Arrays.copyOf(train.pixels(), train.pixels().length + test.pixels().length);
    System.arraycopy(test.pixels(), 0, pixels, train.pixels().length, test.pixels().length);
    int[] labels = Arrays.copyOf(train.labels(), train.count() + test.count());
    System.arraycopy(test.labels(), 0, labels, train.count(), test.count());
    return new ImageSet(dirName + "-all", train.count() + test.count(), train.height(), train.width(), train.channels(),
        pixels, labels, numClasses());
  }

  /**
   * The dataset named {@code name} ({@code "mnist"}, {@code "fashion-mnist"}), as given on the
   * command line.
   *
   * @throws BadInputException naming the valid names if there is no such dataset
   */
  public static Dataset parse(String name) {
    for (Dataset dataset : values()) {
      if (dataset.dirName.equals(name)) {
        return dataset;
      }
    }
    String got = name == null ? "none" : "'" + name + "'";
    throw new BadInputException("dataset: expected one of " + names() + ", got " + got);
  }

  /** The valid names, comma-separated. */
  public static String names() {
    return Arrays.stream(values()).map(Dataset::dirName).collect(Collectors.joining(", "));
  }

  /** The command-line name, so messages read "mnist" rather than "MNIST". */
  @Override
  public String toString() {
    return dirName;
  }
}

package io.jgan.data;

import io.jgan.BadInputException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Loads an MNIST-style pair of IDX files, images {@code [count][rows][cols]} (magic
 * {@code 0x00000803}) and labels {@code [count]} ({@code 0x00000801}), into a grayscale
 * {@link ImageSet} (1 channel). Checks, naming the files: both are well-formed
 * ({@link IdxReader}), they hold the same number of items, and every label is in
 * [0, numClasses).
 *
 * <pre>{@code
 * ImageSet train = DatasetLoader.load(Dataset.MNIST, Path.of("data"), true);
 * ImageSet own = DatasetLoader.load("digits", imagesFile, labelsFile, 10);   // IDX files of one's own
 * }</pre>
 */
public final class DatasetLoader {

  private DatasetLoader() {}

  /**
   * Loads the train ({@code train-*}) or test ({@code t10k-*}) split of {@code dataset} from
   * {@code dataDir/<dataset dir>}. Does not fetch; see {@link DataFetcher#ensurePresent}.
   *
   * @throws BadInputException if a file is missing or malformed, or the two do not match
   */
  public static ImageSet load(Dataset dataset, Path dataDir, boolean train) {
    Path dir = dataset.directory(dataDir);
    Path images = dir.resolve(dataset.imagesFileName(train));
    Path labels = dir.resolve(dataset.labelsFileName(train));
    for (Path file : new Path[] {images, labels}) {
      if (!Files.exists(file)) {
        throw new BadInputException(
            file + ": expected a " + dataset + " IDX file, got no such file; fetch the dataset with"
                + " 'bash scripts/fetch-data.sh " + dataset + "' (see data/README.md)");
      }
    }
    return load(
        dataset.dirName() + (train ? "-train" : "-test"), images, labels, dataset.numClasses());
  }

  /**
   * Loads any pair of IDX image and label files.
   *
   * @param name the {@link ImageSet#name()} to give the result
   * @param numClasses labels must be in [0, numClasses)
   * @throws BadInputException if a file is missing or malformed, or the two do not match
   */
  public static ImageSet load(String name, Path imagesFile, Path labelsFile, int numClasses) {
    if (numClasses <= 0) {
      throw new IllegalArgumentException("expected a positive numClasses, got " + numClasses);
    }
    IdxArray images = IdxReader.read(imagesFile, IdxReader.IMAGE_DIMS);
    IdxArray labels = IdxReader.read(labelsFile, IdxReader.LABEL_DIMS);
    if (images.count() != labels.count()) {
      throw new BadInputException(
          labelsFile + ": expected " + images.count() + " labels, one per image in " + imagesFile
              + ", got " + labels.count());
    }
    byte[] labelBytes = labels.data();
    int[] labelValues = new int[labelBytes.length];
    for (int i = 0; i < labelBytes.length; i++) {
      labelValues[i] = labelBytes[i] & 0xff;
      if (labelValues[i] >= numClasses) {
        throw new BadInputException(
            labelsFile + ": expected labels in [0, " + numClasses + "), got " + labelValues[i]
                + " at index " + i);
      }
    }
    return new ImageSet(
        name, images.count(), images.dim(1), images.dim(2), 1, images.data(), labelValues,
        numClasses);
  }
}

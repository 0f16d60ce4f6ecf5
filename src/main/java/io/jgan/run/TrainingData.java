package io.jgan.run;

import io.jgan.BadInputException;
import io.jgan.data.AttributeCsv;
import io.jgan.data.DataFetcher;
import io.jgan.data.Dataset;
import io.jgan.data.ImageCache;
import io.jgan.data.ImageFolder;
import io.jgan.data.ImageSet;
import io.jgan.data.Images;
import io.jgan.data.MappedImages;
import io.jgan.data.Resize;
import io.jgan.gan.Preset;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Locale;
import org.tensorflow.ndarray.Shape;

/**
 * The real images of a run, at the preset's image shape: an IDX dataset (fetched if missing) or an
 * image folder, converted (resized bilinearly, gray/RGB) to what the networks take, with class
 * labels for conditional presets (the dataset's classes, or a CSV attribute: 2 classes).
 *
 * <p>IDX datasets are held in memory (MNIST is 47 MB); image folders are decoded once into a cache
 * on disk ({@link ImageCache}, by default under {@code DATA-DIR/cache}) and read from it mapped,
 * so a folder of any size that fits the disk trains with bounded memory.
 */
public final class TrainingData {
  /** Decoding threads for image folders. */
  static final int DECODE_THREADS = Math.max(1, Runtime.getRuntime().availableProcessors());

  /** Where image folders are cached unless {@code --cache-dir} says otherwise: under the data directory. */
  public static final String CACHE_DIR = "cache";

  /**
   * @param images the training images, labelled when {@code classes > 0}
   * @param classes number of classes of a conditional run, else 0
   * @param description one line for the console
   */
  public record Loaded(Images images, int classes, String description) implements AutoCloseable {
    /** Unmaps a folder's cache (an IDX set in memory has nothing to release). */
    @Override
    public void close() {
      release(images);
    }
  }

  private TrainingData() {}

  /**
   * Loads the data a run asks for; every problem is a BadInputException raised before training.
   *
   * @param cacheDir where decoded image folders are kept (null: {@code dataDir/cache})
   */
  public static Loaded load(Preset preset, TrainConfig config, Path dataDir, Path cacheDir, PrintStream log) {
    Shape shape = preset.imageShape();
    if (shape.numDimensions() != 3) {
      throw new BadInputException(preset.name() + " takes examples of shape " + shape + ": expected an image shape [height, "
          + "width, channels] to train on " + (TrainConfig.FOLDER.equals(config.dataset()) ? "an image folder" : "a dataset "
          + "of images") + ", got " + shape + " (a program's own arrays go to Training.data(...))");
    }
    int height = (int) shape.size(0), width = (int) shape.size(1), channels = (int) shape.size(2);
    boolean conditional = preset.data().conditional();
    if (!TrainConfig.FOLDER.equals(config.dataset())) {
      Dataset dataset = Dataset.parse(config.dataset());
      DataFetcher.ensurePresent(dataset, dataDir);
      ImageSet raw = dataset.load(dataDir, true);
      ImageSet images = convert(raw, height, width, channels, conditional);
      String how = raw.height() == height && raw.channels() == channels ? ""
          : String.format(Locale.ROOT, " (resized from %dx%dx%d)", raw.height(), raw.width(), raw.channels());
      return new Loaded(images, conditional ? raw.numClasses() : 0,
          String.format(Locale.ROOT, "%s, %d images of %dx%dx%d%s%s", raw.name(), images.count(), height, width,
              channels, how, conditional ? ", " + raw.numClasses() + " classes" : ""));
    }
    if (config.data() == null) {
      throw new BadInputException("preset " + preset.name() + " trains on an image folder: expected --data DIR, got none"
          + " (make one from MNIST with: export-images --dataset mnist --out DIR --size " + height
          + (channels == 3 ? " --rgb" : "") + ")");
    }
    Path folder = Path.of(config.data());
    AttributeCsv csv = null;
    if (conditional) {
      if (config.labelCsv() == null) {
        throw new BadInputException("preset " + preset.name() + " is conditional: expected --label-csv FILE with --data "
            + folder + " (or --dataset mnist|fashion-mnist), got none");
      }
      csv = AttributeCsv.read(Path.of(config.labelCsv())); // checked before decoding thousands of images
    }
    ImageCache cache = new ImageCache(cacheDir != null ? cacheDir : dataDir.resolve(CACHE_DIR))
        .withLog(log, System.console() != null);
    ImageFolder.Loaded loaded = cache.load(folder, height, width, channels, DECODE_THREADS);
    if (!loaded.bad().isEmpty()) {
      String list = ImageFolder.describe(loaded.bad(), 20);
      if (!config.skipBadImages()) {
        release(loaded.images());
        throw new BadInputException(folder + ": " + loaded.bad().size() + " of " + (loaded.bad().size() + loaded.files().size())
            + " image files cannot be used:\n" + list + "Fix or remove them, or give --skip-bad-images to train on the other "
            + loaded.files().size());
      }
      log.print("Skipping " + loaded.bad().size() + " unusable image files (--skip-bad-images):\n" + list);
    }
    Images images = loaded.images();
    int classes = 0;
    if (conditional) {
      int[] labels;
      try {
        labels = csv.labels(loaded.files(), config.label());
      } catch (RuntimeException e) {
        release(images);
        throw e;
      }
      images = images.withLabels(labels, 2);
      classes = 2;
    }
    return new Loaded(images, classes, String.format(Locale.ROOT, "%s, %d images resized to %dx%dx%d%s%s", folder,
        images.count(), height, width, channels,
        loaded.ignored() > 0 ? ", " + loaded.ignored() + " non-image files ignored" : "",
        conditional ? ", labels: " + config.label() + " from " + config.labelCsv() : ""));
  }

  private static void release(Images images) {
    if (images instanceof MappedImages mapped) {
      mapped.close();
    }
  }

  /** An image set resized and channel-converted to h x w x c; labels kept only if {@code keepLabels}. */
  static ImageSet convert(ImageSet raw, int height, int width, int channels, boolean keepLabels) {
    int[] labels = keepLabels ? raw.labels() : null;
    int classes = keepLabels ? raw.numClasses() : 0;
    if (raw.height() == height && raw.width() == width && raw.channels() == channels) {
      return labels == raw.labels() ? raw
          : new ImageSet(raw.name(), raw.count(), height, width, channels, raw.pixels(), labels, classes);
    }
    int inSize = raw.imageSize();
    int outSize = height * width * channels;
    byte[] out = new byte[raw.count() * outSize];
    byte[] one = new byte[inSize];
    for (int i = 0; i < raw.count(); i++) {
      System.arraycopy(raw.pixels(), i * inSize, one, 0, inSize);
      byte[] c = Resize.channels(one, raw.height() * raw.width(), raw.channels(), channels);
      byte[] r = Resize.bilinear(c, raw.height(), raw.width(), channels, height, width);
      System.arraycopy(r, 0, out, i * outSize, outSize);
    }
    return new ImageSet(raw.name(), raw.count(), height, width, channels, out, labels, classes);
  }
}

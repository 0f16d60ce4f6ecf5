package io.jgan.cli;

import io.jgan.AtomicFiles;
import io.jgan.BadInputException;
import io.jgan.data.AttributeCsv;
import io.jgan.data.DataFetcher;
import io.jgan.data.Dataset;
import io.jgan.data.ImageSet;
import io.jgan.data.Resize;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Options;

/**
 * {@code export-images}: writes MNIST or Fashion-MNIST as a folder of PNG files plus a CelebA-format
 * {@code list_attr_celeba.csv} (one -1/1 column per class), so the image-folder presets
 * (dcgan-lego, wgan-gp, cwgan-gp), whose own LEGO and CelebA data cannot be fetched here, train on
 * real images through their real loaders.
 */
public final class ExportImagesCommand extends Command {
  /** CelebA's table name. */
  public static final String CSV_NAME = "list_attr_celeba.csv";

  record Settings(Dataset dataset, Path out, int size, boolean rgb, int limit, Path dataDir, boolean train) {}

  @Override
  public String name() {
    return "export-images";
  }

  @Override
  public String summary() {
    return "write MNIST or Fashion-MNIST as PNG files and a CelebA-format attribute CSV (for the image-folder presets)";
  }

  @Override
  protected Options options() {
    return new Options()
        .addOption(valued("dataset", "NAME", Dataset.names() + " (required)"))
        .addOption(valued("out", "DIR", "the folder to create (required; must not exist or be empty)"))
        .addOption(valued("size", "N", "resize to N x N, bilinear (default: the dataset's 28)"))
        .addOption(flag("rgb", "write RGB images (gray repeated) instead of grayscale"))
        .addOption(valued("limit", "N", "export only the first N images (default: all)"))
        .addOption(flag("test-split", "export the 10,000 test images instead of the 60,000 training ones"))
        .addOption(valued("data-dir", "DIR", "where the IDX datasets are (fetched if missing; default " + Dataset.DEFAULT_DATA_DIR + ")"));
  }

  static Settings parse(CommandLine line) {
    if (!line.hasOption("dataset")) {
      throw new UsageException("--dataset: expected one of " + Dataset.names() + ", got none");
    }
    if (!line.hasOption("out")) {
      throw new UsageException("--out: expected the folder to write, got none");
    }
    Dataset dataset;
    try {
      dataset = Dataset.parse(line.getOptionValue("dataset"));
    } catch (BadInputException e) {
      throw new UsageException("--dataset: " + e.getMessage());
    }
    return new Settings(dataset, Path.of(line.getOptionValue("out")), intOption(line, "size", 1, 0),
        line.hasOption("rgb"), intOption(line, "limit", 1, 0),
        Path.of(line.getOptionValue("data-dir", Dataset.DEFAULT_DATA_DIR)), !line.hasOption("test-split"));
  }

  @Override
  protected int execute(CommandLine line, PrintStream out, PrintStream err) throws IOException {
    Settings s = parse(line);
    if (Files.exists(s.out()) && (!Files.isDirectory(s.out()) || hasEntries(s.out()))) {
      throw new UsageException("--out: expected a new or empty folder, got " + s.out() + " which "
          + (Files.isDirectory(s.out()) ? "already has files" : "is a file"));
    }
    DataFetcher.ensurePresent(s.dataset(), s.dataDir());
    ImageSet set = s.dataset().load(s.dataDir(), s.train());
    int count = s.limit() > 0 ? Math.min(s.limit(), set.count()) : set.count();
    int size = s.size() > 0 ? s.size() : set.height();
    int channels = s.rgb() ? 3 : 1;
    Files.createDirectories(s.out());
    List<String> classes = columnNames(s.dataset());
    StringBuilder csv = new StringBuilder(AttributeCsv.ID_COLUMN);
    classes.forEach(c -> csv.append(',').append(c));
    csv.append('\n');
    byte[] one = new byte[set.imageSize()];
    for (int i = 0; i < count; i++) {
      System.arraycopy(set.pixels(), i * set.imageSize(), one, 0, one.length);
      byte[] pixels = Resize.bilinear(Resize.channels(one, set.height() * set.width(), set.channels(), channels),
          set.height(), set.width(), channels, size, size);
      String name = String.format(Locale.ROOT, "%06d.png", i + 1); // CelebA names its files 000001.jpg, ...
      writePng(pixels, size, channels, s.out().resolve(name));
      csv.append(name);
      for (int c = 0; c < classes.size(); c++) {
        csv.append(set.label(i) == c ? ",1" : ",-1");
      }
      csv.append('\n');
      if ((i + 1) % 10_000 == 0) {
        out.printf(Locale.ROOT, "  %d / %d%n", i + 1, count);
      }
    }
    AtomicFiles.writeString(s.out().resolve(CSV_NAME), csv.toString());
    out.printf(Locale.ROOT, "Wrote %d %s images of %dx%d%s and %s (columns: %s) to %s%n", count, s.dataset(), size, size,
        s.rgb() ? " RGB" : "", CSV_NAME, String.join(" ", classes), s.out());
    return OK;
  }

  /** CSV-safe attribute names for the classes: MNIST digit_0..digit_9, Fashion-MNIST T_shirt_top, Trouser, ... */
  static List<String> columnNames(Dataset dataset) {
    if (dataset == Dataset.MNIST) {
      return dataset.classNames().stream().map(c -> "digit_" + c).toList();
    }
    return dataset.classNames().stream().map(c -> c.replaceAll("[^A-Za-z0-9]+", "_").replaceAll("_$", "")).toList();
  }

  private static void writePng(byte[] pixels, int size, int channels, Path file) throws IOException {
    BufferedImage image = new BufferedImage(size, size, channels == 1 ? BufferedImage.TYPE_BYTE_GRAY : BufferedImage.TYPE_3BYTE_BGR);
    int[] px = new int[channels];
    for (int y = 0; y < size; y++) {
      for (int x = 0; x < size; x++) {
        for (int c = 0; c < channels; c++) {
          px[c] = pixels[(y * size + x) * channels + c] & 0xFF;
        }
        image.getRaster().setPixel(x, y, px);
      }
    }
    if (!ImageIO.write(image, "png", file.toFile())) {
      throw new IOException("no PNG writer");
    }
  }

  private static boolean hasEntries(Path dir) throws IOException {
    try (var list = Files.list(dir)) {
      return list.findAny().isPresent();
    }
  }
}

package io.jgan.data;

import io.jgan.BadInputException;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.io.IOException;
import java.nio.file.FileSystemLoopException;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * A folder of images read the way Keras {@code image_dataset_from_directory(labels=None)} does:
 * every {@code .bmp .gif .jpeg .jpg .png} file (any case) found recursively, in sorted path
 * order, decoded, converted to grayscale or RGB, resized bilinearly to the preset's size. The
 * decoded images go into an on-disk cache ({@link ImageCache}), from which training reads them.
 *
 * <p>Symbolic links are followed: the folder itself, sub-folders and image files may be links
 * (e.g. {@code data/celeba -> /mnt/disk/celeba}). A link that leads back to one of its own parent
 * folders is an error naming it, not an endless walk; a link to nothing, named like an image, is
 * listed as a bad image.
 *
 * <p>Awkward files are handled deterministically or reported, never discovered mid-run: 8- and
 * 16-bit gray and RGB, palette images and alpha channels (dropped) are converted; files the JDK
 * cannot decode (zero-byte, truncated PNG, CMYK JPEG, not an image despite the name) and JPEGs
 * that decode only with a warning (a truncated JPEG comes back half gray) are listed as bad before
 * the first step. The format is detected from the content, not the extension. Files with other
 * extensions are ignored (and counted), as Keras ignores them.
 *
 * <pre>{@code
 * ImageFolder.Loaded loaded = ImageFolder.load(Path.of("data/lego"), 64, 64, 3, 4, Path.of("data/.cache"));
 * System.out.println(loaded.images().count() + " images, " + loaded.bad().size() + " unreadable");
 * }</pre>
 */
public final class ImageFolder {
  /** Keras's {@code ALLOWLIST_FORMATS}. */
  public static final List<String> EXTENSIONS = List.of(".bmp", ".gif", ".jpeg", ".jpg", ".png");

  /** A file that could not be used, and why. */
  public record BadImage(Path file, String reason) {
    @Override
    public String toString() {
      return file + ": " + reason;
    }
  }

  /**
   * What a folder held.
   *
   * @param images the usable images at the requested size, in file order
   * @param files the file of each image in {@code images}
   * @param bad files with an image extension that could not be used
   * @param ignored files without an image extension
   * @param decoded how many files this load decoded: all of them when the cache was (re)built, 0
   *     when it was read from the cache
   */
  public record Loaded(Images images, List<Path> files, List<BadImage> bad, int ignored, int decoded) {}

  /**
   * The image files of a folder, sorted by path, with the size and modification time of each
   * (of the file a link points to), which key the decoded-image cache.
   *
   * @param root the folder as given
   * @param files image files, sorted by path (paths under {@code root}, links not resolved)
   * @param sizes bytes of each file
   * @param modified modification time of each file, in nanoseconds since the epoch
   * @param ignored how many other files there are
   */
  public record Listing(Path root, List<Path> files, long[] sizes, long[] modified, int ignored) {
    public int count() {
      return files.size();
    }
  }

  private ImageFolder() {}

  /**
   * Lists the image files under {@code root}, recursively, following symbolic links.
   *
   * @throws BadInputException if {@code root} is not a folder, cannot be read, or holds a link loop
   */
  public static Listing list(Path root) {
    if (!Files.isDirectory(root)) {
      throw new BadInputException(root + ": expected a folder of images, got " + (Files.exists(root) ? "a file"
          : Files.isSymbolicLink(root) ? "a symbolic link to nothing" : "nothing"));
    }
    record Entry(Path file, long size, long modified) {}
    List<Entry> images = new ArrayList<>();
    int[] others = new int[1];
    try {
      Files.walkFileTree(root, EnumSet.of(FileVisitOption.FOLLOW_LINKS), Integer.MAX_VALUE, new SimpleFileVisitor<>() {
        @Override
        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
          // Links have been followed; a file still reported as a link is one whose target is missing.
          boolean usable = attrs.isRegularFile() || attrs.isSymbolicLink();
          if (usable && isImageName(file)) {
            images.add(new Entry(file, attrs.isSymbolicLink() ? -1 : attrs.size(),
                attrs.lastModifiedTime().to(TimeUnit.NANOSECONDS)));
          } else if (!attrs.isDirectory()) {
            others[0]++;
          }
          return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
          if (e instanceof FileSystemLoopException) {
            throw new BadInputException(file + ": expected symbolic links to lead out of their folder, got a loop: "
                + describeLoop(root, file) + "; remove the link or point it elsewhere");
          }
          throw e;
        }
      });
    } catch (IOException e) {
      throw new BadInputException(root + ": cannot list the folder: " + e, e);
    }
    images.sort(Comparator.comparing(Entry::file));
    List<Path> files = new ArrayList<>(images.size());
    long[] sizes = new long[images.size()];
    long[] modified = new long[images.size()];
    for (int i = 0; i < images.size(); i++) {
      files.add(images.get(i).file());
      sizes[i] = images.get(i).size();
      modified[i] = images.get(i).modified();
    }
    return new Listing(root, List.copyOf(files), sizes, modified, others[0]);
  }

  /** "this is /real/x again, reached through the link root/a/b (to ../..)", naming the deepest link on the path. */
  private static String describeLoop(Path root, Path file) {
    StringBuilder sb = new StringBuilder();
    try {
      sb.append("this is ").append(file.toRealPath()).append(" again");
    } catch (IOException e) {
      sb.append("a folder that contains it");
    }
    for (Path p = file; p != null && p.startsWith(root) && !p.equals(root); p = p.getParent()) {
      if (Files.isSymbolicLink(p)) {
        try {
          sb.append(", reached through the link ").append(p).append(" (to ").append(Files.readSymbolicLink(p)).append(')');
        } catch (IOException e) {
          sb.append(", reached through the link ").append(p);
        }
        break;
      }
    }
    return sb.toString();
  }

  static boolean isImageName(Path p) {
    String name = p.getFileName().toString().toLowerCase(Locale.ROOT);
    return EXTENSIONS.stream().anyMatch(name::endsWith);
  }

  /**
   * Loads every image of {@code root} at {@code height x width x channels} through a cache in
   * {@code cacheDir} (decoding only when the folder is new or changed); see {@link ImageCache}.
   *
   * @throws BadInputException for a folder with no usable image, or a cache that cannot be written
   */
  public static Loaded load(Path root, int height, int width, int channels, int threads, Path cacheDir) {
    return new ImageCache(cacheDir).load(root, height, width, channels, threads);
  }

  /** Receives decoded images in file order. */
  @FunctionalInterface
  interface Sink {
    /** {@code pixels} of file {@code index}, or null and the reason it is bad. */
    void accept(int index, byte[] pixels, String badReason) throws IOException;
  }

  /**
   * Decodes {@code files} on {@code threads} threads and hands them to {@code sink} in file order,
   * holding at most a few images per thread in memory, whatever the number of files.
   */
  static void decodeInOrder(List<Path> files, int height, int width, int channels, int threads, Sink sink)
      throws IOException {
    if (channels != 1 && channels != 3) {
      throw new IllegalArgumentException("expected 1 or 3 channels, got " + channels);
    }
    ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
      Thread t = new Thread(r, "image-decoder");
      t.setDaemon(true);
      return t;
    });
    int window = threads * 16;
    ArrayDeque<Future<Object>> inFlight = new ArrayDeque<>();
    try {
      int next = 0;
      for (int i = 0; i < files.size(); i++) {
        while (next < files.size() && inFlight.size() < window) {
          Path f = files.get(next++);
          inFlight.add(pool.submit(() -> decodeOrReason(f, height, width, channels)));
        }
        Object d = inFlight.poll().get();
        if (d instanceof byte[] pixels) {
          sink.accept(i, pixels, null);
        } else {
          sink.accept(i, null, (String) d);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while decoding images", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("image decoding failed: " + e.getCause(), e.getCause());
    } finally {
      pool.shutdownNow();
    }
  }

  private static Object decodeOrReason(Path file, int height, int width, int channels) {
    try {
      Decoded d = decode(file);
      byte[] converted = Resize.channels(d.pixels(), d.height() * d.width(), d.channels(), channels);
      return Resize.bilinear(converted, d.height(), d.width(), channels, height, width);
    } catch (BadInputException e) {
      return e.getMessage();
    } catch (RuntimeException e) {
      // A decoder bug on a hostile file must not stop the scan: report the file.
      return "cannot decode (" + e.getClass().getSimpleName() + ": " + e.getMessage() + ")";
    }
  }

  /** An image as 8-bit gray (1 channel) or RGB (3 channels), at its own size. */
  public record Decoded(byte[] pixels, int height, int width, int channels) {}

  /**
   * Decodes one file by its content. Throws BadInputException with a short reason (without the
   * path) for anything that is not a cleanly decodable gray, RGB or palette image.
   */
  public static Decoded decode(Path file) {
    try {
      if (Files.isSymbolicLink(file) && !Files.exists(file)) {
        throw new BadInputException("a symbolic link to nothing (" + Files.readSymbolicLink(file) + ")");
      }
      if (Files.size(file) == 0) {
        throw new BadInputException("empty file (0 bytes)");
      }
      try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
        if (in == null) {
          throw new BadInputException("cannot open");
        }
        Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
        if (!readers.hasNext()) {
          throw new BadInputException("not a PNG, JPEG, GIF or BMP image (unknown content)");
        }
        ImageReader reader = readers.next();
        List<String> warnings = new ArrayList<>();
        try {
          reader.setInput(in, true, true);
          reader.addIIOReadWarningListener((source, warning) -> warnings.add(warning));
          BufferedImage image = reader.read(0);
          if (!warnings.isEmpty()) {
            throw new BadInputException("decodes only with a warning: " + warnings.get(0) + " (truncated or corrupt?)");
          }
          return toPixels(image);
        } finally {
          reader.dispose();
        }
      }
    } catch (IOException e) {
      throw new BadInputException("cannot decode (" + e.getMessage() + ")");
    }
  }

  private static Decoded toPixels(BufferedImage image) {
    int w = image.getWidth();
    int h = image.getHeight();
    ColorModel cm = image.getColorModel();
    Raster raster = image.getRaster();
    if (cm instanceof IndexColorModel) {
      // Palette entries are sRGB colours.
      byte[] rgb = new byte[w * h * 3];
      for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
          int argb = image.getRGB(x, y);
          int i = (y * w + x) * 3;
          rgb[i] = (byte) (argb >> 16);
          rgb[i + 1] = (byte) (argb >> 8);
          rgb[i + 2] = (byte) argb;
        }
      }
      return new Decoded(rgb, h, w, 3);
    }
    int space = cm.getColorSpace().getType();
    int bits = cm.getComponentSize(0);
    if (space == ColorSpace.TYPE_GRAY) {
      // Raw samples, not getRGB: Java treats gray as linear and would apply a gamma curve.
      return new Decoded(samples(raster, w, h, 1, bits), h, w, 1);
    }
    if (space == ColorSpace.TYPE_RGB && cm.getNumColorComponents() == 3) {
      // Bands 0..2 are R, G, B in every RGB layout ImageIO returns; a 4th band (alpha) is dropped.
      return new Decoded(samples(raster, w, h, 3, bits), h, w, 3);
    }
    throw new BadInputException("unsupported colour space " + colourSpaceName(space) + " (expected gray, RGB or a palette)");
  }

  private static byte[] samples(Raster raster, int w, int h, int bands, int bits) {
    if (bits != 8 && bits != 16) {
      throw new BadInputException("unsupported " + bits + "-bit samples (expected 8 or 16)");
    }
    byte[] out = new byte[w * h * bands];
    int[] row = new int[w];
    for (int b = 0; b < bands; b++) {
      for (int y = 0; y < h; y++) {
        raster.getSamples(0, y, w, 1, b, row);
        for (int x = 0; x < w; x++) {
          int v = bits == 16 ? (row[x] * 255 + 32767) / 65535 : row[x];
          out[(y * w + x) * bands + b] = (byte) v;
        }
      }
    }
    return out;
  }

  private static String colourSpaceName(int type) {
    return switch (type) {
      case ColorSpace.TYPE_CMYK -> "CMYK";
      case ColorSpace.TYPE_YCbCr -> "YCbCr";
      case ColorSpace.TYPE_4CLR -> "4-colour (CMYK/YCCK)";
      default -> "type " + type;
    };
  }

  /** A short report of bad files for the console: at most {@code max} lines. */
  public static String describe(List<BadImage> bad, int max) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < Math.min(max, bad.size()); i++) {
      sb.append("  ").append(bad.get(i)).append('\n');
    }
    if (bad.size() > max) {
      sb.append("  ... and ").append(bad.size() - max).append(" more\n");
    }
    return sb.toString();
  }
}

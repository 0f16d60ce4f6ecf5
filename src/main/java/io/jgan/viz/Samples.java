package io.jgan.viz;

import io.jgan.PixelScale;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;

/**
 * Sample grids and the training GIF from generator output tensors.
 *
 * <pre>{@code
 * Samples.writeGrid(images, PixelScale.TANH, 4, 4, runDir.resolve("image_at_epoch_0001.png"));
 * int frames = Samples.writeGif(runDir, "image_at_epoch_%04d.png", FrameSchedule.ALL, runDir.resolve("dcgan.gif"));
 * }</pre>
 */
public final class Samples {
  private Samples() {}

  /**
   * Writes generated samples as a PNG: images [n, h, w, c] as a rows x cols grid; points [n, 2] as a
   * scatter plot of all n ({@link ScatterPlot}).
   */
  public static void writeGrid(TFloat32 images, PixelScale scale, int rows, int cols, Path file) {
    ImageGrid.writePng(render(images, scale, rows, cols), file);
  }

  /** What {@link #writeGrid} writes, as an image. */
  public static BufferedImage render(TFloat32 samples, PixelScale scale, int rows, int cols) {
    long[] shape = samples.shape().asArray();
    float[] values = new float[(int) samples.shape().size()];
    samples.copyTo(DataBuffers.of(values, false, false));
    if (shape.length == 2 && shape[1] == 2) {
      return ScatterPlot.render(values, (int) shape[0]);
    }
    if (shape.length != 4) {
      throw new IllegalArgumentException("expected images [n, h, w, c] or points [n, 2], got " + samples.shape());
    }
    int count = (int) shape[0], height = (int) shape[1], width = (int) shape[2], channels = (int) shape[3];
    return ImageGrid.render(values, count, height, width, channels, scale, rows, cols, ImageGrid.zoomFor(cols, width));
  }

  /** {rows, cols} for n images. */
  public static int[] gridFor(int n) {
    return ImageGrid.gridFor(n);
  }

  /**
   * Writes the GIF of every grid in {@code dir} whose name fits {@code filePattern} (a
   * {@link String#format} pattern of the grid's number and, for conditional runs, its label), in
   * the order of their numbers (the tutorial's {@code sorted(glob('image*.png'))}), frames chosen by
   * {@code schedule}. The grids of a conditional run (one file per label) are stacked into one frame
   * per number, label 0 on top.
   *
   * @return the number of frames written (0 when there is no grid, and no GIF is written)
   */
  public static int writeGif(Path dir, String filePattern, FrameSchedule schedule, Path gif) {
    Pattern names = Pattern.compile(Pattern.quote(filePattern).replaceAll("%0?\\d*d", "\\\\E(\\\\d+)\\\\Q"));
    java.util.TreeMap<Long, java.util.TreeMap<Long, Path>> byNumber = new java.util.TreeMap<>();
    try (var files = Files.walk(dir, 2)) {
      for (Path p : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
        var m = names.matcher(dir.relativize(p).toString());
        if (m.matches()) {
          long number = Long.parseLong(m.group(1));
          long label = m.groupCount() > 1 ? Long.parseLong(m.group(2)) : 0;
          byNumber.computeIfAbsent(number, k -> new java.util.TreeMap<>()).put(label, p);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + dir, e);
    }
    List<java.util.TreeMap<Long, Path>> grids = new ArrayList<>(byNumber.values());
    List<BufferedImage> frames = new ArrayList<>();
    for (int i : schedule.select(grids.size())) {
      List<BufferedImage> parts = new ArrayList<>();
      for (Path p : grids.get(i).values()) {
        try {
          parts.add(ImageIO.read(p.toFile()));
        } catch (IOException e) {
          throw new UncheckedIOException("cannot read " + p, e);
        }
      }
      frames.add(stack(parts));
    }
    if (frames.isEmpty()) {
      return 0;
    }
    GifWriter.write(frames, gif, GifWriter.DELAY_CENTISECONDS_DEFAULT);
    return frames.size();
  }

  /** Images of one width stacked top to bottom (a single image is returned as is). */
  static BufferedImage stack(List<BufferedImage> parts) {
    if (parts.size() == 1) {
      return parts.get(0);
    }
    int width = parts.stream().mapToInt(BufferedImage::getWidth).max().orElse(1);
    int height = parts.stream().mapToInt(BufferedImage::getHeight).sum();
    BufferedImage out = new BufferedImage(width, height, parts.get(0).getType() == BufferedImage.TYPE_BYTE_GRAY
        ? BufferedImage.TYPE_BYTE_GRAY : BufferedImage.TYPE_INT_RGB);
    java.awt.Graphics2D g = out.createGraphics();
    try {
      int y = 0;
      for (BufferedImage p : parts) {
        g.drawImage(p, 0, y, null);
        y += p.getHeight();
      }
    } finally {
      g.dispose();
    }
    return out;
  }
}

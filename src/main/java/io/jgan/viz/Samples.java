package io.jgan.viz;

import io.jgan.data.PixelScale;
import io.jgan.models.SampleSpec;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;

/** Sample grids and the training GIF from generator output tensors. */
public final class Samples {
  private Samples() {}

  /** Writes generated images [n, h, w, c] as a rows x cols grid PNG. */
  public static void writeGrid(TFloat32 images, PixelScale scale, int rows, int cols, Path file) {
    long[] shape = images.shape().asArray();
    if (shape.length != 4) {
      throw new IllegalArgumentException("expected images [n, h, w, c], got " + images.shape());
    }
    float[] values = new float[(int) images.shape().size()];
    images.copyTo(DataBuffers.of(values, false, false));
    int count = (int) shape[0], height = (int) shape[1], width = (int) shape[2], channels = (int) shape[3];
    BufferedImage grid = ImageGrid.render(values, count, height, width, channels, scale, rows, cols,
        ImageGrid.zoomFor(cols, width));
    ImageGrid.writePng(grid, file);
  }

  /** {rows, cols} for n images. */
  public static int[] gridFor(int n) {
    return ImageGrid.gridFor(n);
  }

  /**
   * Writes the GIF of every grid in {@code dir} whose name fits the spec's pattern (sorted by name,
   * as the tutorial's {@code sorted(glob('image*.png'))}), frames chosen by the spec's schedule.
   *
   * @return the number of frames written (0 when there is no grid, and no GIF is written)
   */
  public static int writeGif(Path dir, SampleSpec spec, Path gif) {
    Pattern names = Pattern.compile(spec.filePattern().replaceAll("%0?(\\d*)d", "\\\\d+").replace(".png", "\\.png"));
    List<Path> grids = new ArrayList<>();
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*.png")) {
      for (Path p : files) {
        if (names.matcher(p.getFileName().toString()).matches()) {
          grids.add(p);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + dir, e);
    }
    grids.sort((a, b) -> a.getFileName().toString().compareTo(b.getFileName().toString()));
    List<BufferedImage> frames = new ArrayList<>();
    for (int i : spec.gifSchedule().select(grids.size())) {
      try {
        frames.add(ImageIO.read(grids.get(i).toFile()));
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + grids.get(i), e);
      }
    }
    if (frames.isEmpty()) {
      return 0;
    }
    GifWriter.write(frames, gif, GifWriter.DELAY_CENTISECONDS_DEFAULT);
    return frames.size();
  }
}
